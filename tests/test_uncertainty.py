"""Uncertainty analysis: the batched engine against independent roll-ups, ranks, summaries and errors."""

from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.analysis.choices import Draws, Uncertainty, draws_from_unit, nominal_draws
from smartcity_model.analysis.engine import Setup, evaluate, prepare, rank_regions
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr
from smartcity_model.scoring.normalise import NormaliseSpec
from smartcity_model.scoring.structure import ScoringError, ScoringWarning

ROOT = Path(__file__).parents[1]
ASEM = ROOT / "examples" / "asem"
SUMBAR = ROOT / "examples" / "sumatera-barat" / "recipe.yaml"
ASEM_LEVELS = ("indicator", "pillar", "sub-index", "index")

LEVELS = ("indicator", "pillar", "sub", "index")
PARENT = {
    "i1": "A",
    "i2": "A",
    "i3": "A",
    "i4": "B",
    "i5": "B",
    "i6": "C",
    "i7": "C",
    "i8": "C",
    "i9": "D",
    "i10": "D",
    "A": "S1",
    "B": "S1",
    "C": "S2",
    "D": "S2",
    "S1": "top",
    "S2": "top",
    "top": None,
}
WEIGHT = {"i2": 2.0, "i5": 3.0, "i8": 2.0, "B": 2.0, "S2": 1.5}
INDICATORS = [node for node in PARENT if node.startswith("i")]
REGIONS = [f"r{n}" for n in range(1, 8)]
YEARS = [2019, 2020, 2021]
TOLERANCE = {"rtol": 1e-5, "atol": 1e-6}


# ------------------------------------------------------------------------------------------ data


def _level(node: str) -> str:
    if node.startswith("i"):
        return "indicator"
    if node.startswith("S"):
        return "sub"
    return "index" if node == "top" else "pillar"


def synthetic_structure() -> scm.Structure:
    frame = pd.DataFrame(
        {
            "node": list(PARENT),
            "level": [_level(node) for node in PARENT],
            "parent": list(PARENT.values()),
            "weight": [WEIGHT.get(node, 1.0) for node in PARENT],
        }
    )
    return scm.Structure.from_frame(frame, LEVELS, directions={"i2": "lower", "i7": "lower"})


def synthetic_data(gaps: int = 12) -> pd.DataFrame:
    """Seven regions × three years × ten positive indicators, an outlier, and ``gaps`` after the first year."""
    rng = np.random.default_rng(20240611)
    frames = []
    for n, indicator in enumerate(INDICATORS):
        values = rng.lognormal(mean=1 + 0.3 * n, sigma=0.5, size=(len(REGIONS), len(YEARS)))
        if indicator == "i4":
            values[2, 1] *= 40  # an outlier the treatments tame
        frames.append(
            pd.DataFrame(
                {
                    "region": np.repeat(REGIONS, len(YEARS)),
                    "year": np.tile(YEARS, len(REGIONS)),
                    "indicator": indicator,
                    "value": values.ravel(),
                }
            )
        )
    data = pd.concat(frames, ignore_index=True)
    later = np.flatnonzero(data["year"].to_numpy() > YEARS[0])
    dropped = rng.choice(later, size=gaps, replace=False)
    return data.drop(index=dropped).reset_index(drop=True)


@pytest.fixture(scope="module")
def synthetic() -> tuple[pd.DataFrame, scm.Structure]:
    return synthetic_data(), synthetic_structure()


@pytest.fixture(scope="module")
def asem() -> tuple[pd.DataFrame, scm.Structure, scm.RollUp]:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), ASEM_LEVELS)
    treated = pd.read_csv(ASEM / "ASEM_COIN_Treated.csv")
    data = tidy_from_coinr(treated, structure, unit="UnitCode", time="Year")
    return data, structure, scm.roll_up(data, structure, method="minmax")


@pytest.fixture(scope="module")
def sumbar() -> scm.Study:
    return scm.Recipe.load(SUMBAR).run()


# --------------------------------------------------------------------- independent reference


def unit_draws(setup: Setup, n: int, seed: int) -> Draws:
    """Seeded uniform draws in which every discrete choice is taken at least once (when ``n`` allows)."""
    rng = np.random.default_rng(seed)
    u = rng.random((n, sum(f.columns for f in setup.factors)))
    column = 0
    for factor in setup.factors:
        if factor.kind == "choice":
            k = len(factor.choices)
            u[:, column] = rng.permutation((np.arange(n) % k + rng.random(n)) / k)
        column += factor.columns
    return draws_from_unit(u, setup.factors, setup.weight_specs)


def rebuild(  # noqa: PLR0913 - the nominal settings of the study the draw varies
    raw: pd.DataFrame,
    setup: Setup,
    draws: Draws,
    row: int,
    *,
    normalisations: list[NormaliseSpec],
    missing: str = "coverage",
    treatment: str = "none",
    groups: dict[str, str] | None = None,
) -> scm.RollUp:
    """Score draw ``row`` by hand: a structure with its weights, its stages, one plain ``roll_up``."""
    structure = setup.structure
    result = setup.result
    factor = {f.name: f for f in setup.factors}
    choice = {name: int(values[row]) for name, values in draws.choices.items()}
    nodes = structure.nodes.copy()
    for level, values in draws.weights.items():
        for node, weight in zip(structure.level_nodes(level), values[row], strict=True):
            nodes.loc[nodes["node"] == node, "weight"] = weight
    if choice.get("exclude", 0):
        nodes.loc[nodes["node"] == factor["exclude"].choices[choice["exclude"]], "weight"] = 0.0
    drawn = scm.Structure(structure.levels, nodes, structure.specs)
    policy = factor["missing"].choices[choice["missing"]] if "missing" in choice else missing
    method = factor["treatment"].choices[choice["treatment"]] if "treatment" in choice else treatment
    data = raw
    if policy != "coverage":
        data = scm.impute(data, policy, groups=groups if policy.startswith("group") else None).data
    if method != "none":
        data = scm.treat(data, method).data
    upper = structure.levels[1:]
    aggregation = dict(result.aggregation)
    if choice.get("aggregation", 0):
        aggregation = dict.fromkeys(upper, factor["aggregation"].choices[choice["aggregation"]])
    for level in upper:
        name = f"aggregation ({level})"
        if name in choice:
            aggregation[level] = factor[name].choices[choice[name]]
    used = set(aggregation.values())
    power = setup.power if "power" in used else None
    nonpositive = setup.nonpositive if used & {"geometric", "harmonic", "power"} else "raise"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)  # e.g. no node of a level reaching min_coverage
        return _roll_up(
            data,
            drawn,
            setup,
            normalisation=normalisations[choice.get("normalisation", 0)],
            aggregation=aggregation,
            power=power,
            nonpositive=nonpositive,
        )


def _roll_up(  # noqa: PLR0913 - one roll-up's settings
    data: pd.DataFrame,
    structure: scm.Structure,
    setup: Setup,
    *,
    normalisation: NormaliseSpec,
    aggregation: dict[str, str],
    power: float | None,
    nonpositive: str,
) -> scm.RollUp:
    result = setup.result
    return scm.roll_up(
        data,
        structure,
        method=normalisation,
        aggregation=aggregation,  # type: ignore[arg-type]
        power=power,
        nonpositive=nonpositive,  # type: ignore[arg-type]
        min_coverage=setup.min_coverage,
        count_imputed=setup.count_imputed,
        regions=result.panel.regions,
        years=result.panel.years,
    )


def assert_same_scores(engine: np.ndarray, expected: np.ndarray, where: str) -> None:
    assert engine.shape == expected.shape, where
    np.testing.assert_array_equal(np.isnan(engine), np.isnan(expected), err_msg=where)
    np.testing.assert_allclose(engine.astype(float), expected, **TOLERANCE, err_msg=where)


def check_against_rebuilt(
    raw: pd.DataFrame, setup: Setup, draws: Draws, normalisations: list[NormaliseSpec], **nominal: str
) -> None:
    levels = setup.structure.levels[1:]
    scores, ranks = evaluate(setup, draws, levels)
    for row in range(draws.size):
        expected = rebuild(raw, setup, draws, row, normalisations=normalisations, **nominal)
        pd.testing.assert_frame_equal(expected.units, setup.result.units)
        for level in levels:
            where = f"draw {row}, level {level}, choices { {k: int(v[row]) for k, v in draws.choices.items()} }"
            assert_same_scores(scores[level][row], expected.levels[level].score, where)
            np.testing.assert_array_equal(ranks[level][row], pandas_ranks(expected.levels[level].score, setup))


def pandas_ranks(scores: np.ndarray, setup: Setup) -> np.ndarray:
    """Rank regions within each year and node with pandas (1 = best, ties share the best rank)."""
    units = setup.result.units
    frame = pd.DataFrame(scores).assign(year=units["year"].to_numpy())
    return frame.groupby("year").rank(method="min", ascending=False).to_numpy()


def distinct_choices(draws: Draws) -> dict[str, set[int]]:
    return {name: set(values.tolist()) for name, values in draws.choices.items()}


# ---------------------------------------------------------------- 1. engine = independent roll-ups


def test_engine_matches_rebuilt_roll_ups_with_geometric_on_1_to_100(synthetic) -> None:
    raw, structure = synthetic
    nominal = NormaliseSpec(method="minmax", range=(1, 100))
    # min_coverage 0: drawn weights move coverage in a roll-up of their own, never in a draw
    result = scm.roll_up(raw, structure, method=nominal, min_coverage=0.0)
    spec = Uncertainty(
        weights={"indicator": 0.3, "pillar": 0.2},
        weight_ranges={"S1": (0.5, 2.0), "i3": (0.1, 4.0)},
        normalisation=["zscore", "fraction_of_max"],
        aggregation=("geometric", "harmonic"),
        missing=("locf", "mean"),
        treatment=("winsorise",),
        exclude=True,
    )
    setup = prepare(result, spec)
    assert [f.name for f in setup.factors] == [
        "weights (indicator)",
        "weights (pillar)",
        "weights (sub)",
        "missing",
        "treatment",
        "normalisation",
        "aggregation",
        "exclude",
    ]
    draws = unit_draws(setup, 12, seed=3)
    # every alternative of every discrete choice is among the draws checked
    assert distinct_choices(draws) == {f.name: set(range(len(f.choices))) for f in setup.factors if f.kind == "choice"}
    check_against_rebuilt(raw, setup, draws, [nominal, NormaliseSpec.of("zscore"), NormaliseSpec.of("fraction_of_max")])


def test_engine_matches_rebuilt_roll_ups_per_level_aggregation_and_nonpositive_zero(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", missing="locf", min_coverage=0.0, count_imputed=True)
    year_scope = NormaliseSpec(method="minmax", scope="year")
    spec = Uncertainty(
        weights=0.25,
        normalisation=["percentile", year_scope],
        aggregation={"pillar": ("geometric",), "index": ("minimum", "power")},
        power=2.0,
        nonpositive="zero",
        missing=("coverage", "nocb"),
        treatment=("coinr",),
        exclude=True,
    )
    setup = prepare(result, spec)
    assert setup.factor("aggregation (index)").choices == ("arithmetic", "minimum", "power")
    # two minmax alternatives: both are named in full
    assert setup.factor("normalisation").choices == (
        NormaliseSpec.of("minmax").describe(),
        "percentile",
        year_scope.describe(),
    )
    draws = unit_draws(setup, 11, seed=11)
    assert distinct_choices(draws) == {f.name: set(range(len(f.choices))) for f in setup.factors if f.kind == "choice"}
    check_against_rebuilt(
        raw, setup, draws, [NormaliseSpec.of("minmax"), NormaliseSpec.of("percentile"), year_scope], missing="locf"
    )


@pytest.mark.parametrize("candidates", [("i6", "i9"), ("i1", "i6", "i9"), ("i10", "i2")])
def test_engine_leaves_out_the_named_candidate(synthetic, candidates) -> None:
    """exclude=(names…): choice k leaves out the k-th candidate named, not the k-th indicator of the structure."""
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.5)
    setup = prepare(result, Uncertainty(exclude=candidates))
    assert setup.factor("exclude").choices == ("none", *candidates)
    draws = Draws({}, {"exclude": np.arange(len(candidates) + 1)}, len(candidates) + 1)
    check_against_rebuilt(raw, setup, draws, [result.normalisation])


def test_engine_matches_rebuilt_roll_ups_on_asem(asem) -> None:
    data, _structure, result = asem
    spec = Uncertainty(
        weights={"indicator": 0.5, "sub-index": 0.25},
        weight_ranges={"Social": (0.2, 3.0)},
        normalisation=[NormaliseSpec(method="zscore", mean=100, sd=20, clip=False), "percentile"],
        aggregation={"pillar": ("geometric",), "sub-index": ("harmonic", "minimum")},
        nonpositive="zero",
        exclude=True,
    )
    setup = prepare(result, spec)
    draws = unit_draws(setup, 7, seed=5)
    normalisations = [
        result.normalisation,
        NormaliseSpec(method="zscore", mean=100, sd=20, clip=False),
        NormaliseSpec.of("percentile"),
    ]
    check_against_rebuilt(data, setup, draws, normalisations)


def test_engine_matches_rebuilt_roll_ups_on_the_study(sumbar) -> None:
    raw = sumbar.table("raw")
    # no weight noise: the study's min_coverage would count a drawn weight in a roll-up of its own
    spec = Uncertainty(missing=("coverage", "linear"), normalisation=["minmax"], exclude=True)
    setup = prepare(sumbar, spec)
    draws = unit_draws(setup, 10, seed=2)
    # Leave out indicators that have a sibling: a Structure refuses an element whose every child weighs 0.
    structure = sumbar.result.structure
    parents = structure.nodes.set_index("node")["parent"]
    with_sibling = [n for n, name in enumerate(structure.indicators, 1) if (parents == parents[name]).sum() > 1]
    assert len(with_sibling) >= 2
    excluded = draws.choices["exclude"]
    excluded[:] = np.where(excluded > 0, np.resize(with_sibling, draws.size), 0)
    assert (excluded > 0).any()
    check_against_rebuilt(
        raw, setup, draws, [sumbar.recipe.normalise, NormaliseSpec.of("minmax")], missing=sumbar.recipe.impute.method
    )


def test_engine_uses_the_nominal_data_of_the_study(sumbar) -> None:
    """The Study's own imputed panel is the nominal data alternative: 'coverage' brings its gaps back."""
    setup = prepare(sumbar, Uncertainty(missing=("coverage",)))
    assert setup.factor("missing").choices == ("locf", "coverage")
    raw = sumbar.table("raw")
    expected = scm.roll_up(
        raw,
        sumbar.result.structure,
        method=sumbar.recipe.normalise,
        min_coverage=setup.min_coverage,
        count_imputed=True,
        regions=sumbar.result.panel.regions,
        years=sumbar.result.panel.years,
    )
    draws = Draws({}, {"missing": np.array([1, 0])}, 2)
    scores, _ranks = evaluate(setup, draws, ("overall",))
    assert_same_scores(scores["overall"][0], expected.levels["overall"].score, "coverage")
    assert_same_scores(scores["overall"][1], sumbar.result.levels["overall"].score, "locf")


def test_exact_scores_are_double_precision_and_skip_ranks(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.0)
    setup = prepare(result, Uncertainty(weights=0.2))
    draws = unit_draws(setup, 3, seed=1)
    exact, ranks = evaluate(setup, draws, ("index",), exact=True)
    assert ranks == {}
    assert exact["index"].dtype == np.float64
    for row in range(3):
        expected = rebuild(raw, setup, draws, row, normalisations=[result.normalisation])
        np.testing.assert_allclose(exact["index"][row], expected.levels["index"].score, rtol=1e-12)


def test_geometric_alternative_refused_when_first_draw_leaves_the_zero_out() -> None:
    """A draw that does not meet the zero must not hide the error of another draw beside it.

    Indicator ``a`` scores 0 for region r0; the first draw leaves ``a`` out, the second keeps it.
    Both use the geometric mean, so the second draw must be refused with a located ScoringError.
    """
    nodes = pd.DataFrame(
        {
            "node": ["a", "b", "c", "d", "P", "Q", "top"],
            "level": ["indicator"] * 4 + ["pillar"] * 2 + ["index"],
            "parent": ["P", "P", "Q", "Q", "top", "top", None],
            "weight": 1.0,
        }
    )
    structure = scm.Structure(("indicator", "pillar", "index"), nodes)
    data = pd.DataFrame(
        [
            (f"r{r}", 2020, name, 0.0 if (name == "a" and r == 0) else 1.0 + r + k)
            for r in range(4)
            for k, name in enumerate("abcd")
        ],
        columns=["region", "year", "indicator", "value"],
    )
    result = scm.roll_up(data, structure, method="fraction_of_max")
    setup = prepare(result, Uncertainty(aggregation=("geometric",), exclude=("a", "b")))
    draws = Draws({}, {"aggregation": np.array([1, 1]), "exclude": np.array([1, 0])}, 2)
    with pytest.raises(ScoringError, match=r"'a'.*'P'.*'r0', 2020"):
        evaluate(setup, draws, ("pillar",))


# ---------------------------------------------------------------- 2. nominal draws


def test_nominal_draws_reproduce_the_roll_up(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method=NormaliseSpec(method="minmax", range=(1, 100)), min_coverage=0.5)
    spec = Uncertainty(
        weights=0.4,
        weight_ranges={"C": (3.0, 5.0)},
        normalisation=["zscore"],
        aggregation=("geometric",),
        missing=("mean",),
        treatment=("log",),
        exclude=True,
    )
    setup = prepare(result, spec)
    draws = nominal_draws(setup.factors, setup.weight_specs, 3)
    scores, ranks = evaluate(setup, draws, structure.levels[1:])
    np.testing.assert_array_equal(setup.leaf_scores[0], result.levels["indicator"].score)
    for level in structure.levels[1:]:
        for row in range(3):
            assert_same_scores(scores[level][row], result.levels[level].score, f"{level} {row}")
            np.testing.assert_array_equal(ranks[level][row], pandas_ranks(result.levels[level].score, setup))


def test_nominal_draws_reproduce_the_study(sumbar) -> None:
    spec = Uncertainty(weights=0.2, missing=("coverage", "nocb"), normalisation=["minmax"], exclude=True)
    setup = prepare(sumbar, spec)
    levels = sumbar.result.structure.levels[1:]
    scores, _ranks = evaluate(setup, nominal_draws(setup.factors, setup.weight_specs, 2), levels)
    for level in levels:
        assert np.isfinite(sumbar.result.levels[level].score).any()
        for row in range(2):
            assert_same_scores(scores[level][row], sumbar.result.levels[level].score, f"{level} {row}")


# ---------------------------------------------------------------- 3. ranks


@settings(max_examples=80, deadline=None)
@given(
    shape=st.tuples(st.integers(1, 3), st.integers(1, 6), st.integers(1, 3), st.integers(1, 3)),
    data=st.data(),
)
def test_ranks_equal_pandas_min_ranks(shape, data) -> None:
    n_draws, n_regions, n_years, n_nodes = shape
    size = n_draws * n_regions * n_years * n_nodes
    values = data.draw(
        st.lists(st.sampled_from([np.nan, -1.5, 0.0, 2.0, 2.0, 7.25, 100.0]), min_size=size, max_size=size)
    )
    scores = np.asarray(values, dtype=np.float32).reshape(n_draws, n_regions * n_years, n_nodes)
    ranked = rank_regions(scores, n_regions, n_years)
    assert ranked.shape == scores.shape
    year = np.tile(np.arange(n_years), n_regions)  # rows are region-major: region 0's years first
    for d in range(n_draws):
        frame = pd.DataFrame(scores[d].astype(float)).assign(year=year)
        expected = frame.groupby("year").rank(method="min", ascending=False).to_numpy()
        np.testing.assert_array_equal(ranked[d], expected)
        np.testing.assert_array_equal(np.isnan(ranked[d]), np.isnan(scores[d]))


def test_nominal_rank_tells_close_scores_apart() -> None:
    """The summary's nominal rank is the rank of the nominal scores, even when two differ by 1e-6."""
    nodes = pd.DataFrame(
        {"node": ["x", "y", "top"], "level": ["indicator", "indicator", "index"], "parent": ["top", "top", None]}
    ).assign(weight=1.0)
    structure = scm.Structure(("indicator", "index"), nodes)
    data = pd.DataFrame(
        {
            "region": np.repeat(["a", "b", "c", "d"], 2),
            "year": 2020,
            "indicator": ["x", "y"] * 4,
            "value": [0.0, 0.0, 70.000001, 70.0, 70.0, 70.0, 100.0, 100.0],
        }
    )
    result = scm.roll_up(data, structure, method="minmax")
    scores = result.wide("index")["top"]
    assert scores.loc[("b", 2020)] > scores.loc[("c", 2020)]
    with pytest.warns(ScoringWarning, match="nothing is declared uncertain"):
        found = scm.uncertainty(result, n=2, seed=0)
    ranks = found.summary.set_index("region")["rank"]
    expected = scores.droplevel("year").rank(method="min", ascending=False)
    pd.testing.assert_series_equal(ranks.sort_index(), expected.sort_index(), check_names=False)


# ---------------------------------------------------------------- 4. summary


def _nominal_ranks_by_hand(result: scm.RollUp, level: str) -> pd.DataFrame:
    table = result.scores[result.scores["level"] == level].copy()
    table["expected_rank"] = table.groupby(["year", "node"])["score"].rank(method="min", ascending=False)
    return table[["region", "year", "node", "expected_rank"]]


@pytest.fixture(scope="module")
def kept(synthetic) -> tuple[scm.RollUp, scm.UncertaintyResult]:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.75)
    spec = Uncertainty(weights=0.3, normalisation=["zscore"], exclude=True)
    with pytest.warns(ScoringWarning) as caught:
        found = scm.uncertainty(result, spec, n=120, seed=7, keep_draws=True, interval=(0.1, 0.9))
    said = [str(w.message) for w in caught]
    # leaving an indicator out lowers some nodes' coverage below 0.75, and raises others' above it
    assert any("missing in some draws" in message for message in said)
    assert any("without a nominal score get one in some draws" in message for message in said)
    gained = found.summary[found.summary["score"].isna() & (found.summary["scored"] > 0)]
    assert len(gained) > 0
    assert gained["rank"].isna().all()
    assert gained["rank_median"].notna().all()
    return result, found


def test_summary_quantiles_equal_nanquantile_of_the_draws(kept) -> None:
    result, found = kept
    assert found.bounds == ("p10", "p90")
    assert {"score_p10", "score_p90", "rank_p10", "rank_p90"} <= set(found.summary.columns)
    assert not {"score_p05", "score_p95"} & set(found.summary.columns)
    for level in result.structure.levels[1:]:
        tidy = found.draws(level)
        assert len(tidy) == found.n * result.levels[level].score.size
        summary = found.summary[found.summary["level"] == level]
        expected = []
        for (region, year, node), group in tidy.groupby(["region", "year", "node"], sort=False):
            scores, ranks = group["score"].to_numpy(), group["rank"].to_numpy()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells: NaN, as in the summary
                row = {
                    "region": region,
                    "year": year,
                    "node": node,
                    **{f"e_score_{q}": np.nanquantile(scores, p) for q, p in (("p10", 0.1), ("median", 0.5))},
                    "e_score_p90": np.nanquantile(scores, 0.9),
                    "e_rank_p10": np.nanquantile(ranks, 0.1),
                    "e_rank_median": np.nanquantile(ranks, 0.5),
                    "e_rank_p90": np.nanquantile(ranks, 0.9),
                }
            row["e_scored"] = int(np.isfinite(scores).sum())
            expected.append(row)
        merged = summary.merge(pd.DataFrame(expected), on=["region", "year", "node"], validate="one_to_one")
        assert len(merged) == len(summary) == result.levels[level].score.size
        for column in ("score_p10", "score_median", "score_p90", "rank_p10", "rank_median", "rank_p90"):
            np.testing.assert_allclose(merged[column], merged[f"e_{column}"], rtol=1e-9, atol=1e-9, err_msg=column)
        np.testing.assert_array_equal(merged["scored"], merged["e_scored"])
        assert (merged["scored"] < found.n).any()  # exclusion leaves some nodes unscored in some draws
        assert (merged["scored"] == found.n).any()
        present = merged.dropna(subset=["score_p10"])
        assert (present["score_p10"] <= present["score_median"]).all()
        assert (present["score_median"] <= present["score_p90"]).all()
        assert (present["rank_p10"] <= present["rank_median"]).all()
        assert (present["rank_median"] <= present["rank_p90"]).all()


def test_summary_nominal_columns_and_rank_shift(kept) -> None:
    result, found = kept
    for level in result.structure.levels[1:]:
        tidy = found.draws(level)
        summary = found.summary[found.summary["level"] == level]
        nominal = result.scores[result.scores["level"] == level][["region", "year", "node", "score"]]
        merged = summary.merge(nominal, on=["region", "year", "node"], suffixes=("", "_nominal"))
        assert len(merged) == len(summary)
        np.testing.assert_array_equal(merged["score"], merged["score_nominal"])
        merged = merged.merge(_nominal_ranks_by_hand(result, level), on=["region", "year", "node"])
        np.testing.assert_array_equal(merged["rank"], merged["expected_rank"])
        tidy = tidy.merge(_nominal_ranks_by_hand(result, level), on=["region", "year", "node"])
        tidy["moved"] = (tidy["rank"] - tidy["expected_rank"]).abs()
        shift = tidy.groupby(["region", "year", "node"])["moved"].mean().rename("expected_shift").reset_index()
        merged = merged.merge(shift, on=["region", "year", "node"])
        np.testing.assert_allclose(merged["rank_shift"], merged["expected_shift"], rtol=1e-12)
        assert (merged["rank_shift"].fillna(0) > 0).any()


def test_draws_ranks_equal_pandas_ranks_of_the_draws(kept) -> None:
    result, found = kept
    tidy = found.draws("pillar")
    expected = tidy.groupby(["draw", "year", "node"])["score"].rank(method="min", ascending=False)
    np.testing.assert_array_equal(tidy["rank"].to_numpy(), expected.to_numpy())
    assert tidy["draw"].nunique() == found.n
    assert set(tidy["node"]) == set(result.structure.level_nodes("pillar"))


def test_choices_table_records_each_draw(kept) -> None:
    result, found = kept
    choices = found.choices
    assert list(choices.columns) == [
        "draw",
        "weights (indicator)",
        "weights (pillar)",
        "weights (sub)",
        "normalisation",
        "exclude",
    ]
    assert set(choices["exclude"]) <= {"none", *result.structure.indicators}
    assert set(choices["normalisation"]) <= {"minmax", "zscore"}
    ratios = choices["weights (pillar)"]
    assert ((ratios >= 0.7) & (ratios <= 1.3)).all()
    assert ratios.nunique() == found.n


def test_ranking_orders_the_regions_of_a_year(kept) -> None:
    _result, found = kept
    table = found.ranking("S1", 2020)
    summary = found.summary[(found.summary["node"] == "S1") & (found.summary["year"] == 2020)]
    assert sorted(table["region"]) == sorted(summary["region"])
    ranks = table["rank"].dropna().to_numpy()
    assert (np.diff(ranks) >= 0).all()
    assert list(table.columns[:5]) == ["region", "rank", "rank_p10", "rank_median", "rank_p90"]
    latest = found.ranking()
    assert set(found.summary.loc[found.summary["node"] == "top", "year"]).issuperset({2021})
    assert sorted(latest["region"]) == sorted(REGIONS)


# ---------------------------------------------------------------- 5. reproducibility


@pytest.fixture(scope="module")
def plain(synthetic) -> scm.RollUp:
    """The synthetic study without gaps: weight noise cannot leave a node below min_coverage."""
    _raw, structure = synthetic
    return scm.roll_up(synthetic_data(gaps=0), structure, method="minmax")


def test_same_seed_same_summary_and_other_seed_differs(plain) -> None:
    first = scm.uncertainty(plain, n=40, seed=123, weights=0.3, normalisation=["zscore"])
    again = scm.uncertainty(plain, n=40, seed=123, weights=0.3, normalisation=["zscore"])
    other = scm.uncertainty(plain, n=40, seed=124, weights=0.3, normalisation=["zscore"])
    pd.testing.assert_frame_equal(first.summary, again.summary)
    pd.testing.assert_frame_equal(first.choices, again.choices)
    assert first.seed == 123
    assert not first.summary["score_median"].equals(other.summary["score_median"])
    assert not first.choices.equals(other.choices)


def test_no_seed_records_one_that_repeats_the_run(plain) -> None:
    first = scm.uncertainty(plain, n=30, weights=0.3)
    assert isinstance(first.seed, int)
    assert first.seed >= 0
    again = scm.uncertainty(plain, n=30, weights=0.3, seed=first.seed)
    pd.testing.assert_frame_equal(first.summary, again.summary)
    other = scm.uncertainty(plain, n=30, weights=0.3)
    assert other.seed != first.seed


# ---------------------------------------------------------------- 6. nothing uncertain


def test_nothing_uncertain_warns_and_collapses_on_the_nominal(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.7)
    with pytest.warns(ScoringWarning, match="nothing is declared uncertain"):
        found = scm.uncertainty(result, n=5, seed=1, weights={"pillar": 0.0})
    summary = found.summary
    assert found.factors == ()
    assert any("nothing is declared uncertain" in note for note in found.notes)
    assert summary["score"].isna().any()
    assert len(summary) == sum(result.levels[level].score.size for level in LEVELS[1:])
    for column in ("score_p05", "score_median", "score_p95"):
        np.testing.assert_allclose(summary[column], summary["score"], rtol=1e-6, err_msg=column)
    for column in ("rank_p05", "rank_median", "rank_p95"):
        np.testing.assert_array_equal(summary[column], summary["rank"], err_msg=column)
    scored = summary["score"].notna()
    assert (summary.loc[scored, "rank_shift"] == 0).all()
    assert summary.loc[~scored, "rank_shift"].isna().all()
    assert (summary.loc[scored, "scored"] == 5).all()
    assert (summary.loc[~scored, "scored"] == 0).all()


def pandas_rank_table(scores: np.ndarray) -> np.ndarray:
    return pd.DataFrame(scores).rank(method="min", ascending=False).to_numpy()


def test_one_at_a_time_exclusion_equals_rebuilt_roll_ups(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.5)
    table = scm.one_at_a_time(result, exclude=True, node="S1", year=2021)
    assert len(table) == len(structure.indicators)
    assert set(table["choice"]) == set(structure.indicators)
    assert set(table["factor"]) == {"exclude"}
    assert (np.diff(table["mean_rank_shift"].to_numpy()) <= 0).all()
    rows = (result.units["year"] == 2021).to_numpy()
    column = structure.level_nodes("sub").index("S1")
    nominal = pandas_rank_table(result.levels["sub"].score[rows])[:, column]
    by_choice = table.set_index("choice")
    for indicator in structure.indicators:
        nodes = structure.nodes.assign(weight=structure.nodes["weight"].where(structure.nodes["node"] != indicator, 0))
        dropped = scm.roll_up(raw, scm.Structure(LEVELS, nodes, structure.specs), method="minmax", min_coverage=0.5)
        ranks = pandas_rank_table(dropped.levels["sub"].score[rows])[:, column]
        shift = np.abs(ranks - nominal)
        row = by_choice.loc[indicator]
        both = ~np.isnan(shift)
        assert row["mean_rank_shift"] == pytest.approx(shift[both].mean() if both.any() else np.nan, nan_ok=True)
        assert row["max_rank_shift"] == pytest.approx(shift[both].max() if both.any() else np.nan, nan_ok=True)
        assert row["regions_moved"] == int((shift[both] > 0).sum()), indicator
        assert row["regions_unscored"] == int((np.isnan(ranks) & ~np.isnan(nominal)).sum()), indicator
    # leaving out an indicator of S2 cannot move S1
    assert (by_choice.loc[["i6", "i7", "i8", "i9", "i10"], "mean_rank_shift"] == 0).all()
    assert (by_choice.loc[["i1", "i2", "i3", "i4", "i5"], "mean_rank_shift"] > 0).any()


def test_one_at_a_time_exclusion_of_named_candidates(synthetic) -> None:
    """Leaving out named candidates moves the ranking exactly as leaving out those indicators."""
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", min_coverage=0.5)
    every = scm.one_at_a_time(result, exclude=True, node="S2", year=2020).set_index("choice")
    named = scm.one_at_a_time(result, exclude=("i7", "i9"), node="S2", year=2020).set_index("choice")
    assert sorted(named.index) == ["i7", "i9"]
    pd.testing.assert_frame_equal(named.sort_index(), every.loc[["i7", "i9"]].sort_index())


def test_one_at_a_time_by_region_agrees_with_the_summary(asem) -> None:
    _data, _structure, result = asem
    summary = scm.one_at_a_time(result, exclude=True, node="Sust")
    regions = scm.one_at_a_time(result, exclude=True, node="Sust", by_region=True)
    assert list(regions.columns) == ["factor", "choice", "region", "rank_nominal", "rank", "rank_change"]
    assert len(regions) == len(summary) * 51
    np.testing.assert_allclose(regions["rank_change"], regions["rank_nominal"] - regions["rank"])
    grouped = regions.assign(moved=regions["rank_change"].abs()).groupby(["factor", "choice"])
    again = pd.DataFrame(
        {
            "mean": grouped["moved"].mean(),
            "max": grouped["moved"].max(),
            "moved": grouped["moved"].apply(lambda s: int((s > 0).sum())),
        }
    )
    merged = summary.set_index(["factor", "choice"]).join(again)
    assert len(merged) == 49
    np.testing.assert_allclose(merged["mean_rank_shift"], merged["mean"], rtol=1e-12)
    np.testing.assert_allclose(merged["max_rank_shift"], merged["max"], rtol=1e-12)
    np.testing.assert_array_equal(merged["regions_moved"], merged["moved"])
    # indicators of the other sub-index cannot move Sust
    conn = [i for i in result.structure.indicators if _ancestor(result.structure, i, "sub-index") == "Conn"]
    assert (merged.loc[[("exclude", i) for i in conn], "mean_rank_shift"] == 0).all()
    nominal = result.scores[(result.scores["node"] == "Sust")].copy()
    nominal["expected"] = nominal["score"].rank(method="min", ascending=False)
    first = regions[regions["choice"] == regions["choice"].iloc[0]].merge(nominal, on="region")
    assert len(first) == 51
    np.testing.assert_array_equal(first["rank_nominal"], first["expected"])


def _ancestor(structure: scm.Structure, node: str, level: str) -> str:
    parent = structure.nodes.set_index("node")["parent"]
    while node not in structure.level_nodes(level):
        node = parent[node]
    return node


def test_one_at_a_time_switches_one_aggregation(synthetic) -> None:
    raw, structure = synthetic
    spec = NormaliseSpec(method="minmax", range=(1, 100))
    result = scm.roll_up(raw, structure, method=spec, min_coverage=0.5)
    table = scm.one_at_a_time(result, aggregation={"pillar": ("geometric", "minimum")}, year=2019)
    assert sorted(table["choice"]) == ["geometric", "minimum"]
    assert set(table["factor"]) == {"aggregation (pillar)"}
    rows = (result.units["year"] == 2019).to_numpy()
    nominal = pandas_rank_table(result.levels["index"].score[rows])
    for method in ("geometric", "minimum"):
        other = scm.roll_up(
            raw,
            structure,
            method=spec,
            min_coverage=0.5,
            aggregation={"pillar": method, "sub": "arithmetic", "index": "arithmetic"},
        )
        shift = np.abs(pandas_rank_table(other.levels["index"].score[rows]) - nominal)
        row = table.set_index("choice").loc[method]
        assert row["mean_rank_shift"] == pytest.approx(np.nanmean(shift), rel=1e-12)
        assert row["max_rank_shift"] == pytest.approx(np.nanmax(shift), rel=1e-12)


def test_one_at_a_time_needs_a_discrete_choice(plain) -> None:
    with pytest.raises(ScoringError, match="weights are continuous"):
        scm.one_at_a_time(plain, weights=0.2)


# ---------------------------------------------------------------- 8. errors


@pytest.mark.parametrize(
    ("choices", "pattern"),
    [
        ({"weights": {"pilar": 0.2}}, r"unknown levels 'pilar' \(did you mean 'pillar'\?\)"),
        ({"weights": {"index": 0.2}}, r"unknown levels 'index'.*the levels with weights are indicator, pillar, sub"),
        ({"weight_ranges": {"top": (0.5, 1.0)}}, r"names 'top', on the top level, which has no weight"),
        ({"exclude": ("i11",)}, r"exclude names indicators the structure does not have: 'i11' \(did you mean 'i1"),
        ({"aggregation": {"pilar": ("geometric",)}}, r"unknown levels 'pilar' \(did you mean 'pillar'\?\)"),
        ({"wieghts": 0.2}, r"unknown uncertain choices 'wieghts' \(did you mean 'weights'\?\)"),
        ({"exclud": True}, r"unknown uncertain choices 'exclud' \(did you mean 'exclude'\?\)"),
    ],
)
def test_unknown_names_are_located_with_a_hint(plain, choices, pattern) -> None:
    with pytest.raises(ScoringError, match=pattern):
        scm.uncertainty(plain, n=2, seed=0, **choices)


@pytest.mark.parametrize(
    ("choices", "pattern"),
    [
        ({"weight_ranges": {"Socail": (0.5, 1.0)}}, r"does not weigh: 'Socail' \(did you mean 'Social'\?\)"),
        ({"exclude": ("Forrest",)}, r"'Forrest' \(did you mean 'Forest'\?\)"),
        ({"weights": {"sub_index": 0.1}}, r"'sub_index' \(did you mean 'sub-index'\?\)"),
    ],
)
def test_unknown_asem_names_are_located_with_a_hint(asem, choices, pattern) -> None:
    _data, _structure, result = asem
    with pytest.raises(ScoringError, match=pattern):
        scm.uncertainty(result, n=2, seed=0, **choices)


@pytest.mark.parametrize(
    ("choices", "pattern"),
    [
        (
            {"aggregation": {"pillar": ("geometrc",)}},
            r"unknown aggregations: 'geometrc' \(did you mean 'geometric'\?\); use arithmetic, geometric, harmonic",
        ),
        ({"aggregation": ("geometrc",)}, r"unknown aggregations: 'geometrc' \(did you mean 'geometric'\?\)"),
        ({"missing": ("locff",)}, r"unknown missing-data policies: 'locff' \(did you mean 'locf'\?\); use coverage"),
        ({"treatment": ("winsorize",)}, r"unknown treatments: 'winsorize' \(did you mean 'winsorise'\?\); use coinr"),
        ({"normalisation": ("minmaxx",)}, r"unknown normalisation 'minmaxx' \(did you mean 'minmax'\?\)"),
    ],
)
def test_unknown_methods_are_refused_listing_the_known_ones(plain, choices, pattern) -> None:
    with pytest.raises(ValueError, match=pattern):
        scm.uncertainty(plain, n=2, seed=0, **choices)


def test_unknown_level_and_node_in_the_result(plain) -> None:
    with pytest.raises(ScoringError, match=r"no level 'pilar' \(did you mean 'pillar'\?\)"):
        scm.uncertainty(plain, n=2, seed=0, weights=0.1, levels="pilar")
    found = scm.uncertainty(plain, n=2, seed=0, weights=0.1, levels=["pillar"])
    assert set(found.summary["level"]) == {"pillar"}
    with pytest.raises(ScoringError, match=r"node 'S1'.*not among the nodes analysed"):
        found.ranking("S1")
    with pytest.raises(ScoringError, match=r"node 'Aa' is not among the nodes analysed \(A, B, C, D\)"):
        found.ranking("Aa")
    with pytest.raises(ScoringError, match=r"node 'topp' \(did you mean 'top'\?\)"):
        scm.uncertainty(plain, n=2, seed=0, weights=0.1).ranking("topp")
    with pytest.raises(ScoringError, match=r"year 2030 is not among the years scored"):
        found.ranking("A", 2030)
    with pytest.raises(ScoringError, match="keep_draws=True"):
        found.draws()
    with pytest.raises(ScoringError, match=r"year 2030 is not among the years scored"):
        scm.one_at_a_time(plain, exclude=True, year=2030)
    with pytest.raises(ScoringError, match=r"unknown node 'S3x'.*the aggregates are"):
        scm.one_at_a_time(plain, exclude=True, node="S3x")
    kept = scm.uncertainty(plain, n=2, seed=0, weights=0.1, levels=["pillar"], keep_draws=True)
    with pytest.raises(ScoringError, match=r"level 'sub' was not among the levels analysed"):
        kept.draws("sub")
    with pytest.raises(ScoringError, match=r"no level 'sbu'"):
        kept.draws("sbu")


def test_the_indicator_level_is_summarised_like_any_other(plain) -> None:
    found = scm.uncertainty(plain, n=40, seed=0, normalisation=["zscore"], levels="indicator", keep_draws=True)
    assert set(found.summary["node"]) == set(plain.structure.indicators)
    zscore = scm.roll_up(plain.data, plain.structure, method="zscore").wide("indicator")
    draws = found.draws("indicator")
    picked = found.choices["normalisation"].to_numpy()
    for draw in (int(np.flatnonzero(picked == "zscore")[0]), int(np.flatnonzero(picked != "zscore")[0])):
        expected = zscore if picked[draw] == "zscore" else plain.wide("indicator")
        ours = draws[draws["draw"] == draw].pivot_table(index=["region", "year"], columns="node", values="score")
        np.testing.assert_allclose(ours[expected.columns].to_numpy(), expected.to_numpy(), rtol=1e-5, equal_nan=True)
    table = scm.one_at_a_time(plain, normalisation=["zscore"], node="i1")
    assert list(table["choice"]) == ["zscore"]


def test_choices_given_twice_are_refused(plain) -> None:
    with pytest.raises(ScoringError, match=r"give the uncertain choices once.*weights"):
        scm.uncertainty(plain, Uncertainty(weights=0.2), n=2, seed=0, weights=0.1)
    with pytest.raises(ScoringError, match=r"give the uncertain choices once"):
        scm.one_at_a_time(plain, {"exclude": True}, exclude=True)
    # a mapping alone is as good as the object
    again = scm.uncertainty(plain, {"weights": 0.2}, n=3, seed=4)
    pd.testing.assert_frame_equal(again.summary, scm.uncertainty(plain, Uncertainty(weights=0.2), n=3, seed=4).summary)


@pytest.mark.parametrize(
    ("fields", "pattern"),
    [
        ({"missing": ["raise"]}, "missing='raise' refuses gaps"),
        ({"missing": ["locf", "raise"]}, "missing='raise' refuses gaps"),
        ({"weight_ranges": {"A": (2.0, 1.0)}}, r"weight ranges need low ≤ high: A"),
        ({"weights": 1.5}, "less than or equal to 1"),
        ({"weights": -0.1}, "greater than or equal to 0"),
        ({"weight_ranges": {"A": (-1.0, 1.0)}}, "greater than or equal to 0"),
    ],
)
def test_invalid_declarations_are_refused(plain, fields, pattern) -> None:
    with pytest.raises(ValueError, match=pattern):
        Uncertainty(**fields)
    with pytest.raises(ValueError, match=pattern):
        scm.uncertainty(plain, n=2, seed=0, **fields)


@pytest.mark.parametrize("interval", [(0.9, 0.1), (0.5, 0.5), (-0.1, 0.9), (0.1, 1.2)])
def test_bad_interval_is_refused(plain, interval) -> None:
    with pytest.raises(ScoringError, match=r"interval must be two quantiles 0 ≤ low < high ≤ 1"):
        scm.uncertainty(plain, n=2, seed=0, weights=0.1, interval=interval)


@pytest.mark.parametrize("n", [0, -3, 2.5, True])
def test_bad_number_of_draws_is_refused(plain, n) -> None:
    with pytest.raises(ScoringError, match=r"n must be a whole number of draws ≥ 1"):
        scm.uncertainty(plain, n=n, seed=0, weights=0.1)


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seed_is_refused(plain, seed) -> None:
    with pytest.raises(ScoringError, match=r"seed must be a whole number ≥ 0"):
        scm.uncertainty(plain, n=2, seed=seed, weights=0.1)


def test_keep_draws_must_be_a_boolean(plain) -> None:
    with pytest.raises(ScoringError, match="keep_draws must be True or False"):
        scm.uncertainty(plain, n=2, seed=0, weights=0.1, keep_draws="yes")


def test_geometric_alternative_meeting_zeros_names_region_and_year(plain) -> None:
    zeros = plain.scores[(plain.scores["level"] == "indicator") & (plain.scores["score"] == 0)]
    assert len(zeros)  # min-max gives the worst value 0
    places = "|".join(f"'{r}', {y}" for r, y in zip(zeros["region"], zeros["year"], strict=True))
    located = rf"geometric mean among the choices.*in region ({places}).*nonpositive='zero'"
    with pytest.raises(ScoringError, match=located):
        scm.uncertainty(plain, n=8, seed=0, aggregation=("geometric",))
    # nonpositive='zero' lets the zeros sink the mean instead
    found = scm.uncertainty(plain, n=8, seed=0, aggregation=("geometric",), nonpositive="zero", keep_draws=True)
    geometric = found.choices["aggregation"].to_numpy() == "geometric"
    assert geometric.any()
    pillars = found.scores["pillar"][geometric]
    sunk = scm.roll_up(
        synthetic_data(gaps=0), plain.structure, method="minmax", aggregation="geometric", nonpositive="zero"
    )
    np.testing.assert_allclose(pillars, np.broadcast_to(sunk.levels["pillar"].score, pillars.shape), **TOLERANCE)
    assert (pillars == 0).any()


def test_a_source_that_is_no_result_is_refused() -> None:
    with pytest.raises(ScoringError, match="needs a RollUp"):
        scm.uncertainty(pd.DataFrame(), n=2, seed=0, weights=0.1)


def test_power_among_the_aggregations_needs_a_power(plain) -> None:
    with pytest.raises(ScoringError, match="aggregation 'power' needs power=p"):
        scm.uncertainty(plain, n=2, seed=0, aggregation=("power",))


def test_the_robustness_example_writes_one_row_per_region_with_rank_intervals(tmp_path: Path) -> None:
    out, chart = tmp_path / "ranks.csv", tmp_path / "ranks.png"
    arguments = ["--draws", "200", "--out", str(out)]
    if importlib.util.find_spec("matplotlib") is not None:
        arguments += ["--chart", str(chart)]
    run = subprocess.run(  # noqa: S603 - our own example with fixed arguments
        [sys.executable, str(ROOT / "examples" / "sumatera-barat" / "robustness.py"), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "society, 2024: rank of the 19 kabupaten/kota over 200 draws (seed 2024)" in run.stdout
    assert "kota-padang-panjang: nominal rank 1; first in " in run.stdout
    table = pd.read_csv(out)
    assert list(table.columns[:5]) == ["region", "rank", "rank_p05", "rank_median", "rank_p95"]
    assert len(table) == 19
    assert table["region"].is_unique
    assert sorted(table["rank"]) == list(range(1, 20))
    assert (table["rank_p05"] <= table["rank_median"]).all()
    assert (table["rank_median"] <= table["rank_p95"]).all()
    assert table.loc[0, "region"] == "kota-padang-panjang"
    # the same analysis in Python gives the same intervals
    spec = importlib.util.spec_from_file_location("robustness", ROOT / "examples" / "sumatera-barat" / "robustness.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    study = scm.Recipe.load(SUMBAR).run()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)
        again = scm.uncertainty(study, module.CHOICES, n=200, seed=2024).ranking("society", 2024)
    np.testing.assert_allclose(table["rank_p95"], again["rank_p95"])
    if chart.exists():
        assert chart.read_bytes().startswith(b"\x89PNG")


def test_drawn_weights_move_scores_but_never_which_scores_the_data_allow(sumbar) -> None:
    """Coverage is reckoned with the nominal weights: a node on the min_coverage edge stays scored in every draw."""
    setup = prepare(sumbar, Uncertainty(weights=0.5))
    draws = unit_draws(setup, 40, seed=5)
    scores, _ranks = evaluate(setup, draws, ("element", "dimension"), exact=True)
    for level in ("element", "dimension"):
        nominal = sumbar.result.levels[level].score
        for row in range(draws.size):
            np.testing.assert_array_equal(np.isnan(scores[level][row]), np.isnan(nominal), err_msg=level)
    # Each element is the mean of its indicators present, weighted by the draw's weights.
    leaves = sumbar.result.levels["indicator"].score
    structure = sumbar.result.structure
    parent = structure.parent_index("indicator")
    for row in range(draws.size):
        weights = draws.weights["indicator"][row]
        present = ~np.isnan(leaves)
        total = np.zeros((len(leaves), len(structure.level_nodes("element"))))
        weight = np.zeros_like(total)
        for column, element in enumerate(parent):
            total[:, element] += np.where(present[:, column], leaves[:, column] * weights[column], 0.0)
            weight[:, element] += np.where(present[:, column], weights[column], 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            expected = total / weight
        scored = ~np.isnan(scores["element"][row])
        np.testing.assert_allclose(scores["element"][row][scored], expected[scored], rtol=1e-12)
    # the edge case this guards: some dimension has exactly the minimum coverage
    coverage = sumbar.result.levels["dimension"].coverage + sumbar.result.levels["dimension"].imputed
    assert np.isclose(coverage, setup.min_coverage, atol=1e-3).any()


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"interval": (0.1, 0.5, 0.9)}, r"interval must be two quantiles"),
        ({"interval": "0.05"}, r"interval must be two quantiles"),
        ({"interval": (False, True)}, r"interval must be two quantiles"),
        ({"levels": []}, r"levels= names no level"),
        ({"weights": True}, r"weight noise must be a number between 0 and 1"),
        ({"weights": "0.2"}, r"weight noise must be a number between 0 and 1"),
        ({"weights": {"pillar": True}}, r"weight noise must be a number between 0 and 1"),
        ({"groups": {"r1": "a"}, "weights": 0.1}, r"groups= is used only by the missing-data alternatives group_mean"),
        ({"max_gap": 2, "missing": ["mean"]}, r"max_gap= is used only by the missing-data alternatives linear, locf"),
        ({"n": 10**12, "weights": 0.1}, r"would keep about [\d.]+ GB of scores and ranks, more than this machine's"),
    ],
)
def test_options_that_cannot_be_used_are_refused(plain, options, pattern) -> None:
    options = {"n": 4, "seed": 1, "normalisation": ["zscore"], **options}
    with pytest.raises(ScoringError, match=pattern):
        scm.uncertainty(plain, **options)


def test_levels_named_twice_or_out_of_order_are_reported_once_bottom_up(plain) -> None:
    found = scm.uncertainty(plain, n=5, seed=1, weights=0.2, levels=["index", "pillar", "index"])
    assert found.levels == ("pillar", "index")
    assert not found.summary.duplicated(["region", "year", "node"]).any()
    only = scm.uncertainty(plain, n=5, seed=1, weights=0.2, levels="pillar", keep_draws=True)
    assert set(only.ranking()["region"]) == set(REGIONS)  # the top node analysed, not the structure's
    assert set(only.draws()["node"]) == set(plain.structure.level_nodes("pillar"))
    with pytest.raises(ScoringError, match=r"year must be a whole number \(e\.g\. 2024\), not '2020'"):
        only.ranking(year="2020")  # type: ignore[arg-type]


def test_a_named_normalisation_takes_the_nominal_scope(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", scope="year", min_coverage=0.0)
    setup = prepare(result, Uncertainty(normalisation=["zscore", NormaliseSpec(method="percentile")]))
    draws = Draws({}, {"normalisation": np.array([1, 2])}, 2)
    scores, _ranks = evaluate(setup, draws, ("pillar",))
    by_year = scm.roll_up(raw, structure, method="zscore", scope="year", min_coverage=0.0)
    whole_panel = scm.roll_up(raw, structure, method="percentile", min_coverage=0.0)
    assert_same_scores(scores["pillar"][0], by_year.levels["pillar"].score, "zscore takes the year scope")
    assert_same_scores(scores["pillar"][1], whole_panel.levels["pillar"].score, "a spec keeps its own scope")


def test_indicators_that_count_for_nothing_are_no_candidates_to_leave_out(synthetic) -> None:
    raw, structure = synthetic
    nodes = structure.nodes.copy()
    nodes.loc[nodes["node"] == "i4", "weight"] = 0.0
    zero = scm.Structure(structure.levels, nodes, structure.specs)
    result = scm.roll_up(raw, zero, method="minmax", min_coverage=0.0)
    setup = prepare(result, Uncertainty(exclude=True))
    assert "i4" not in setup.factor("exclude").choices
    assert len(setup.factor("exclude").choices) == len(INDICATORS)  # "none" and the nine that count
    with pytest.raises(ScoringError, match=r"already count for nothing \(weight 0\): 'i4'"):
        prepare(result, Uncertainty(exclude=("i1", "i4")))


def test_one_at_a_time_says_it_keeps_the_weights_nominal(plain) -> None:
    with pytest.warns(ScoringWarning, match=r"keeps the weights nominal: weights \(indicator\)"):
        table = scm.one_at_a_time(plain, weights={"indicator": 0.2}, normalisation=["zscore"])
    assert list(table["choice"]) == ["zscore"]


def test_the_nominal_means_keep_their_own_power_and_handling_of_zeros(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", aggregation={"pillar": "power"}, power=2.0)
    with pytest.raises(ScoringError, match=r"own power mean has power=2\.0: an alternative cannot use power=3"):
        prepare(result, Uncertainty(aggregation={"pillar": ["arithmetic"]}, power=3.0))
    assert prepare(result, Uncertainty(aggregation={"index": ["geometric"]}, power=2.0)).power == 2.0
    geometric = scm.roll_up(raw, structure, method="minmax", aggregation="geometric", nonpositive="zero")
    with pytest.raises(ScoringError, match=r"own means take nonpositive='zero': an alternative cannot take 'raise'"):
        prepare(geometric, Uncertainty(aggregation=["harmonic"], nonpositive="raise"))


def test_imputation_alternatives_keep_the_results_own_max_gap(synthetic) -> None:
    raw, structure = synthetic
    result = scm.roll_up(raw, structure, method="minmax", missing="locf", max_gap=1, min_coverage=0.0)
    setup = prepare(result, Uncertainty(missing=["linear"]))
    draws = Draws({}, {"missing": np.array([1])}, 1)
    scores, _ranks = evaluate(setup, draws, ("pillar",))
    expected = scm.roll_up(raw, structure, method="minmax", missing="linear", max_gap=1, min_coverage=0.0)
    assert_same_scores(scores["pillar"][0], expected.levels["pillar"].score, "linear with max_gap 1")


# ------------------------------------------------------------------------ the command line


def test_the_robustness_command_prints_the_ranking_of_a_study_with_its_intervals(sumbar) -> None:
    from click.testing import CliRunner  # noqa: PLC0415 - only these tests run the command line

    from smartcity_model.cli import main  # noqa: PLC0415

    folder = str(SUMBAR.parent)
    arguments = ["robustness", folder, "--node", "society", "--draws", "60", "--seed", "5", "--normalisation", "minmax"]
    shown = CliRunner().invoke(main, [*arguments, "--exclude-each"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == "Sumatera Barat toward a smart province: rank of society in 2024 over 60 draws (seed 5)"
    assert lines[1] == "uncertain: weights (indicator); weights (element); weights (dimension); normalisation; exclude"
    assert any(line.startswith("kota-padang-panjang  Kota Padang Panjang") for line in lines)
    assert "One choice at a time (the largest shifts first):" in lines
    assert any(line.startswith("note: ") for line in lines)
    # CSV: the numbers of scm.uncertainty with the same choices and seed
    written = CliRunner().invoke(main, [*arguments, "--exclude-each", "--format", "csv"])
    assert written.exit_code == 0, written.output
    table = pd.read_csv(io.StringIO(written.output))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)
        choices = Uncertainty(weights=0.25, normalisation=["minmax"], exclude=True)
        expected = scm.uncertainty(sumbar, choices, n=60, seed=5).ranking("society", 2024)
    assert list(table.columns[:3]) == ["region", "name", "rank"]
    np.testing.assert_allclose(table["rank_p95"], expected["rank_p95"])
    np.testing.assert_allclose(table["score_median"], expected["score_median"], rtol=1e-9)
    assert table.loc[table["region"] == "kota-padang-panjang", "name"].item() == "Kota Padang Panjang"


def test_the_robustness_command_refuses_what_it_cannot_use(tmp_path: Path) -> None:
    from click.testing import CliRunner  # noqa: PLC0415 - only these tests run the command line

    from smartcity_model.cli import main  # noqa: PLC0415

    folder = str(SUMBAR.parent)
    typo = CliRunner().invoke(main, ["--lang", "id", "robustness", folder, "--normalisation", "minmx"])
    assert typo.exit_code == 2
    assert "normalisasi 'minmx' tidak dikenal (maksud Anda 'minmax'?)" in typo.output
    zeros = CliRunner().invoke(
        main, ["robustness", folder, "--draws", "8", "--seed", "1", "--aggregation", "geometric"]
    )
    assert zeros.exit_code == 1
    assert "needs scores above 0" in zeros.output
    assert "--nonpositive zero" in zeros.output
    sunk = CliRunner().invoke(
        main,
        [
            "robustness",
            folder,
            "--draws",
            "8",
            "--seed",
            "1",
            "--aggregation",
            "geometric",
            "--nonpositive",
            "zero",
            "--format",
            "json",
        ],
    )
    assert sunk.exit_code == 0, sunk.output
    assert json.loads(sunk.output)[0]["region"]
    if importlib.util.find_spec("openpyxl") is not None:
        workbook = tmp_path / "robust.xlsx"
        done = CliRunner().invoke(main, ["robustness", folder, "--draws", "8", "--seed", "1", "-o", str(workbook)])
        assert done.exit_code == 0, done.output
        import openpyxl  # noqa: PLC0415

        assert openpyxl.load_workbook(workbook).sheetnames == ["Ranking", "Summary", "Draws"]
