"""Variance-based sensitivity: Sobol indices against analytical values, and a study's choices."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smartcity_model as scm
from smartcity_model.analysis.sensitivity import INDEX_COLUMNS, sobol_indices, sobol_sample
from smartcity_model.scoring.structure import ScoringError, ScoringWarning

SUMBAR = Path(__file__).parents[1] / "examples" / "sumatera-barat" / "recipe.yaml"
REGION = "kota-padang-panjang"


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """The analytical first-order and total indices of the Ishigami function on [-π, π]³."""
    v1 = 0.5 * (1 + b * np.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * np.pi**8 * (1 / 18 - 1 / 50)
    total_variance = v1 + v2 + v13
    first = np.array([v1, v2, 0.0]) / total_variance
    total = np.array([v1 + v13, v2, v13]) / total_variance
    return first, total


@pytest.fixture(scope="module")
def ishigami_table() -> pd.DataFrame:
    unit = sobol_sample(["x1", "x2", "x3"], 4096, seed=42)
    assert unit.shape == (4096 * 5, 3)
    assert unit.min() >= 0
    assert unit.max() <= 1
    return sobol_indices(ishigami(-np.pi + 2 * np.pi * unit), ["x1", "x2", "x3"], seed=42)


def test_analytical_ishigami_values_are_the_textbook_ones() -> None:
    first, total = ishigami_indices()
    np.testing.assert_allclose(first, [0.3139, 0.4424, 0.0], atol=5e-5)
    np.testing.assert_allclose(total, [0.5576, 0.4424, 0.2437], atol=5e-5)


def test_ishigami_indices_lie_in_their_intervals(ishigami_table) -> None:
    table = ishigami_table
    assert list(table.columns) == list(INDEX_COLUMNS)
    assert table["factor"].tolist() == ["x1", "x2", "x3"]
    first, total = ishigami_indices()
    for row, s1, st in zip(table.itertuples(), first, total, strict=True):
        assert row.first_order_low <= s1 <= row.first_order_high, (row.factor, s1, row)
        assert row.total_low <= st <= row.total_high, (row.factor, st, row)
        assert row.first_order_high - row.first_order_low < 0.1
        assert row.total_high - row.total_low < 0.1
    np.testing.assert_allclose(table["first_order"], first, atol=0.03)
    np.testing.assert_allclose(table["total"], total, atol=0.03)


def test_linear_additive_model_first_equals_total_equals_variance_share() -> None:
    coefficients = np.array([4.0, 2.0, 1.0, 0.0])
    unit = sobol_sample(4, 2048, seed=3)
    table = sobol_indices(unit @ coefficients, 4, seed=3)
    shares = coefficients**2 / (coefficients**2).sum()  # uniform columns share one variance
    assert table["factor"].tolist() == ["x1", "x2", "x3", "x4"]
    np.testing.assert_allclose(table["first_order"], shares, atol=0.03)
    np.testing.assert_allclose(table["total"], shares, atol=0.03)
    assert table.loc[3, "first_order"] == 0
    assert table.loc[3, "total"] == 0
    for row, share in zip(table.itertuples(), shares, strict=True):
        assert row.total_low <= share <= row.total_high, row


def test_grouped_columns_move_as_one_factor() -> None:
    unit = sobol_sample(["a1", "a2", "b"], 1024, seed=8, groups=["a", "a", "b"])
    assert unit.shape == (1024 * 4, 3)  # k counts groups: n × (2 + 2)
    table = sobol_indices(unit[:, 0] + unit[:, 1] + unit[:, 2], ["a1", "a2", "b"], groups=["a", "a", "b"], seed=8)
    assert table["factor"].tolist() == ["a", "b"]
    # Var(a1 + a2) = 2 / 12, Var(b) = 1 / 12
    np.testing.assert_allclose(table["first_order"], [2 / 3, 1 / 3], atol=0.03)
    np.testing.assert_allclose(table["total"], [2 / 3, 1 / 3], atol=0.03)


def test_constant_output_gives_zeros() -> None:
    unit = sobol_sample(3, 64, seed=1)
    table = sobol_indices(np.full(len(unit), 7.5), ["p", "q", "r"])
    assert table["factor"].tolist() == ["p", "q", "r"]
    assert (table[list(INDEX_COLUMNS[1:])].to_numpy() == 0).all()


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_outputs_are_refused(bad) -> None:
    unit = sobol_sample(2, 16, seed=1)
    outputs = unit.sum(axis=1)
    outputs[[3, 10]] = bad
    with pytest.raises(ScoringError, match="2 outputs are missing or not finite"):
        sobol_indices(outputs, 2)


@pytest.mark.parametrize("length", [63, 65, 17])
def test_outputs_not_from_the_design_are_refused(length) -> None:
    with pytest.raises(ScoringError, match=rf"{length} outputs do not come from a design of 2 factors"):
        sobol_indices(np.arange(length, dtype=float), 2)


def test_n_not_a_power_of_two_warns_and_rounds_up() -> None:
    with pytest.warns(ScoringWarning, match=r"n=100 is not a power of two.*128 is used"):
        unit = sobol_sample(2, 100, seed=1)
    assert unit.shape == (128 * 4, 2)
    np.testing.assert_array_equal(unit, sobol_sample(2, 128, seed=1))


@pytest.mark.parametrize("n", [1, 0, -4, 2.0, True])
def test_too_small_or_not_whole_n_is_refused(n) -> None:
    with pytest.raises(ScoringError, match=r"n must be a whole number ≥ 2"):
        sobol_sample(2, n)


@pytest.mark.parametrize(
    ("factors", "groups", "pattern"),
    [
        (0, None, "at least one factor"),
        (["a", "a"], None, "factor names must be given and differ"),
        ([], None, "factor names must be given and differ"),
        (["a", "b", "c"], ["g", "g"], "3 columns, 2 groups"),
    ],
)
def test_bad_factors_are_refused(factors, groups, pattern) -> None:
    with pytest.raises(ScoringError, match=pattern):
        sobol_sample(factors, 8, groups=groups)


@pytest.mark.parametrize("confidence", [0.0, 1.0, 1.5])
def test_confidence_must_lie_between_0_and_1(confidence) -> None:
    unit = sobol_sample(2, 16, seed=1)
    with pytest.raises(ScoringError, match="confidence must lie between 0 and 1"):
        sobol_indices(unit.sum(axis=1), 2, confidence=confidence)


def test_sample_is_reproducible_by_seed() -> None:
    np.testing.assert_array_equal(sobol_sample(3, 32, seed=5), sobol_sample(3, 32, seed=5))
    assert not np.array_equal(sobol_sample(3, 32, seed=5), sobol_sample(3, 32, seed=6))


# ------------------------------------------------------------------------------ a study's choices


@pytest.fixture(scope="module")
def sumbar() -> scm.Study:
    return scm.Recipe.load(SUMBAR).run()


@pytest.fixture(scope="module")
def society(sumbar) -> scm.SensitivityResult:
    return scm.sensitivity(
        sumbar,
        n=32,
        seed=4,
        node="society",
        regions=[REGION],
        resamples=200,
        weights={"indicator": 0.3, "element": 0.4, "dimension": 0.5},
        normalisation=["minmax"],
        missing=["nocb"],
    )


def test_sensitivity_gives_a_factor_per_declared_choice(society) -> None:
    factors = ["weights (indicator)", "weights (element)", "weights (dimension)", "missing", "normalisation"]
    assert society.node == "society"
    assert society.year == 2024
    assert society.n == 32
    assert society.seed == 4
    assert len(society.outputs) == 32 * (len(factors) + 2)
    assert list(society.outputs.columns) == ["run", "mean_rank_shift", f"rank {REGION}"]
    indices = society.indices
    assert list(indices.columns) == ["output", "region", *INDEX_COLUMNS]
    shift = indices[indices["output"] == "mean_rank_shift"]
    ranked = indices[indices["output"] == "rank"]
    assert shift["factor"].tolist() == factors
    assert shift["region"].isna().all()
    assert ranked["factor"].tolist() == factors
    assert set(ranked["region"]) == {REGION}
    assert (society.outputs["mean_rank_shift"] >= 0).all()
    ranks = society.outputs[f"rank {REGION}"]
    assert ranks.between(1, 19).all()
    assert (ranks == ranks.round()).all()


def test_a_factor_that_cannot_move_the_node_gets_zero(society) -> None:
    """Dimension weights only weigh the dimensions into the overall score: society's ranks cannot move."""
    dimension = society.indices[society.indices["factor"] == "weights (dimension)"]
    assert len(dimension) == 2
    assert (dimension[list(INDEX_COLUMNS[1:])].to_numpy() == 0).all()
    others = society.indices[society.indices["output"] == "mean_rank_shift"].set_index("factor")
    assert others.drop(index="weights (dimension)")["total"].max() > 0


def _society_design(sumbar) -> tuple[np.ndarray, list[str]]:
    """The design sensitivity() runs: one column per weight of each level, then missing and normalisation."""
    structure = sumbar.result.structure
    columns = [f"weights ({level})" for level in structure.levels[:-1] for _node in structure.level_nodes(level)]
    columns += ["missing", "normalisation"]
    labels = [f"c{i}" for i in range(len(columns))]
    return sobol_sample(labels, 32, seed=4, groups=columns), columns


def _rerun(sumbar, u: np.ndarray) -> scm.RollUp:
    """Score one run of the design by hand: its weights, its imputation, its normalisation."""
    structure = sumbar.result.structure
    nodes = structure.nodes.copy()
    noise = {"indicator": 0.3, "element": 0.4, "dimension": 0.5}
    column = 0
    for level in structure.levels[:-1]:
        for node in structure.level_nodes(level):
            row = nodes["node"] == node
            nodes.loc[row, "weight"] = nodes.loc[row, "weight"] * (1 + noise[level] * (2 * u[column] - 1))
            column += 1
    missing = ("locf", "nocb")[int(u[column] * 2)]
    normalisation = (sumbar.recipe.normalise, "minmax")[int(u[column + 1] * 2)]
    data = scm.impute(sumbar.table("raw"), missing).data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)  # no overall score reaches min_coverage in 2024
        return scm.roll_up(
            data,
            scm.Structure(structure.levels, nodes, structure.specs),
            method=normalisation,
            min_coverage=0.3333,
            count_imputed=True,
        )


def _society_ranks(result: scm.RollUp) -> pd.Series:
    table = result.scores
    table = table[(table["node"] == "society") & (table["year"] == 2024)].set_index("region")["score"]
    return table.rank(method="min", ascending=False)


def test_sensitivity_outputs_equal_runs_scored_by_hand(sumbar, society) -> None:
    design, _columns = _society_design(sumbar)
    assert len(design) == len(society.outputs)
    nominal = _society_ranks(sumbar.result)
    for run in (0, 1, 2, 40, 97, len(design) - 1):
        ranks = _society_ranks(_rerun(sumbar, design[run]))
        shift = (ranks - nominal).abs().dropna()
        row = society.outputs.iloc[run]
        assert row["run"] == run
        assert row[f"rank {REGION}"] == ranks[REGION], run
        assert row["mean_rank_shift"] == pytest.approx(shift.mean(), rel=1e-12), run


def test_sensitivity_indices_are_those_of_its_outputs(sumbar, society) -> None:
    """The indices are sobol_indices of the runs, with a level's weight columns grouped as one factor."""
    _design, columns = _society_design(sumbar)
    labels = [f"c{i}" for i in range(len(columns))]
    for output, name in (("mean_rank_shift", "mean_rank_shift"), ("rank", f"rank {REGION}")):
        expected = sobol_indices(society.outputs[name], labels, groups=columns, resamples=200, seed=4)
        found = society.indices[society.indices["output"] == output].drop(columns=["output", "region"])
        pd.testing.assert_frame_equal(found.reset_index(drop=True), expected)


def test_sensitivity_on_a_roll_up_with_an_irrelevant_region_rank() -> None:
    """Only the normalisation varies, and it cannot change who is first on a single indicator."""
    nodes = pd.DataFrame(
        {"node": ["x", "top"], "level": ["indicator", "index"], "parent": ["top", None], "weight": [1.0, 1.0]}
    )
    structure = scm.Structure(("indicator", "index"), nodes)
    data = pd.DataFrame({"region": list("abcde"), "year": 2020, "indicator": "x", "value": [1.0, 5, 2, 9, 4]})
    result = scm.roll_up(data, structure, method="minmax")
    found = scm.sensitivity(result, n=8, seed=1, normalisation=["zscore", "percentile"], regions="d")
    assert (found.outputs["mean_rank_shift"] == 0).all()
    assert (found.outputs["rank d"] == 1).all()
    assert (found.indices[list(INDEX_COLUMNS[1:])].to_numpy() == 0).all()
    assert any("did not change in any run" in note for note in found.notes)


def test_sensitivity_errors(sumbar) -> None:
    with pytest.raises(ScoringError, match="nothing is declared uncertain"):
        scm.sensitivity(sumbar, n=8, seed=1)
    with pytest.raises(ScoringError, match=r"unknown regions 'kota-padang-panjnag' \(did you mean 'kota-padang-panj"):
        scm.sensitivity(sumbar, n=8, seed=1, weights=0.1, regions=["kota-padang-panjnag"])
    with pytest.raises(ScoringError, match=r"unknown node 'socety' \(did you mean 'society'\?\)"):
        scm.sensitivity(sumbar, n=8, seed=1, weights=0.1, node="socety")
    with pytest.raises(ScoringError, match=r"year 2018 is not among the years scored"):
        scm.sensitivity(sumbar, n=8, seed=1, weights=0.1, node="society", year=2018)
    with pytest.raises(ScoringError, match=r"n must be a whole number ≥ 2"):
        scm.sensitivity(sumbar, n=1, seed=1, weights=0.1)
    with pytest.raises(ScoringError, match=r"unknown uncertain choices 'weight' \(did you mean 'weights'\?\)"):
        scm.sensitivity(sumbar, n=8, seed=1, weight=0.1)


def test_sensitivity_refuses_a_node_or_region_without_a_score(sumbar) -> None:
    """Branding has no data: there is no rank to analyse, and the message says why."""
    assert sumbar.result.wide("dimension")["branding"].isna().all()
    with pytest.raises(ScoringError, match=r"no branding score in 2024 in the result itself"):
        scm.sensitivity(sumbar, n=8, seed=1, weights=0.1, node="branding", regions=[REGION])
    with pytest.raises(ScoringError, match=r"no branding score in 2024 in the result itself"):
        scm.sensitivity(sumbar, n=8, seed=1, weights=0.1, node="branding")


def test_sensitivity_refuses_runs_that_leave_the_node_without_a_score() -> None:
    """Leaving out the only indicator of a pillar leaves it unscored in some runs: no variance without a rank."""
    nodes = pd.DataFrame(
        {
            "node": ["a", "b", "c", "P", "Q", "top"],
            "level": ["indicator"] * 3 + ["pillar"] * 2 + ["index"],
            "parent": ["P", "Q", "Q", "top", "top", None],
            "weight": 1.0,
        }
    )
    structure = scm.Structure.from_frame(nodes, ("indicator", "pillar", "index"))
    rng = np.random.default_rng(1)
    data = pd.DataFrame(
        [(f"r{i}", 2024, name, rng.uniform(0, 100)) for i in range(6) for name in "abc"],
        columns=["region", "year", "indicator", "value"],
    )
    result = scm.roll_up(data, structure, method="minmax")
    with pytest.raises(ScoringError, match=r"mean_rank_shift: some runs leave P 2024 without a score"):
        scm.sensitivity(result, n=8, seed=1, exclude=True, node="P")


def test_missing_salib_says_how_to_install(monkeypatch) -> None:
    for name in ("SALib", "SALib.sample", "SALib.sample.sobol", "SALib.analyze", "SALib.analyze.sobol"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ScoringError, match=r'pip install "smartcity-model\[sensitivity\]"'):
        sobol_sample(2, 8)
    with pytest.raises(ScoringError, match=r'pip install "smartcity-model\[sensitivity\]"'):
        sobol_indices(np.arange(16, dtype=float), 2)


def test_one_group_of_several_columns_is_one_factor() -> None:
    """SALib reads a single group as no grouping: the design and the indices must still treat it as one factor."""
    x = sobol_sample(["a", "b", "c"], 64, seed=2, groups=["g", "g", "g"])
    assert x.shape == (64 * 3, 3)
    a, ab, b = x[0::3], x[1::3], x[2::3]
    np.testing.assert_array_equal(ab, b)  # the group's columns taken from B: all of them
    assert not np.allclose(a, b)
    table = sobol_indices((x**2).sum(axis=1), ["a", "b", "c"], groups=["g", "g", "g"], seed=2)
    assert table["factor"].tolist() == ["g"]
    row = table.iloc[0]
    assert row["first_order_low"] <= 1 <= row["first_order_high"]
    assert row["total_low"] <= 1 <= row["total_high"]


def test_one_level_of_uncertain_weights_explains_everything(sumbar) -> None:
    found = scm.sensitivity(sumbar, n=64, seed=3, weights={"indicator": 0.5}, node="economy")
    row = found.indices[found.indices["output"] == "mean_rank_shift"].iloc[0]
    assert row["factor"] == "weights (indicator)"
    assert row["first_order_low"] <= 1 <= row["first_order_high"]
    assert row["total_low"] <= 1 <= row["total_high"]
    assert len(found.outputs) == 64 * 3


@pytest.mark.parametrize("resamples", [0, -5, 2.5, True])
def test_resamples_must_be_a_whole_number(resamples) -> None:
    x = sobol_sample(2, 16, seed=1)
    with pytest.raises(ScoringError, match="resamples must be a whole number"):
        sobol_indices(x[:, 0], 2, resamples=resamples)


def test_outputs_must_be_flat() -> None:
    x = sobol_sample(2, 16, seed=1)
    with pytest.raises(ScoringError, match=r"a flat array\), not an array of shape \(16, 4\)"):
        sobol_indices(x[:, 0].reshape(16, 4), 2)


def test_runs_that_lose_some_regions_are_said() -> None:
    """r0 has no ``a``: leaving out ``b`` leaves its P, then its top, unscored; the mean shift is over the others."""
    nodes = pd.DataFrame(
        {
            "node": ["a", "b", "c", "P", "Q", "top"],
            "level": ["indicator"] * 3 + ["pillar"] * 2 + ["index"],
            "parent": ["P", "P", "Q", "top", "top", None],
            "weight": [1.0, 3.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    structure = scm.Structure.from_frame(nodes, ("indicator", "pillar", "index"))
    rng = np.random.default_rng(4)
    rows = [(f"r{i}", 2024, name, rng.uniform(0, 100)) for i in range(6) for name in "abc" if (i, name) != (0, "a")]
    data = pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])
    result = scm.roll_up(data, structure, method="minmax")
    assert result.wide("index").notna().all().all()  # r0 has a nominal score
    with pytest.warns(ScoringWarning, match=r"runs leave some regions without a top score in 2024"):
        found = scm.sensitivity(result, n=16, seed=1, exclude=("b",), node="top")
    assert any("mean rank shift is over the others" in note for note in found.notes)


def test_estimator_options_are_checked_before_anything_runs() -> None:
    with pytest.raises(ScoringError, match="resamples must be a whole number"):
        sobol_indices(np.ones(40), 2, resamples=-5)  # a constant output, refused all the same
    with pytest.raises(ScoringError, match="confidence must lie between 0 and 1"):
        sobol_indices(np.ones(40), 2, confidence=1.5)
