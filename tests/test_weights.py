"""Weights: effective weights by hand, noisy weights, and weights optimised on COINr's ASEM index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import smartcity_model as scm
from smartcity_model.analysis import effective_weights
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr
from smartcity_model.scoring.structure import ScoringError, ScoringWarning

ASEM = Path(__file__).parents[1] / "examples" / "asem"
ASEM_LEVELS = ("indicator", "pillar", "sub-index", "index")
LEVELS = ("indicator", "pillar", "sub", "index")
#: node → (level, parent, weight); i6 weighs 0 (excluded), so does pillar E (above i9); pillar F has no indicator.
NODES = {
    "i1": ("indicator", "A", 1.0),
    "i2": ("indicator", "A", 2.0),
    "i3": ("indicator", "A", 5.0),
    "i4": ("indicator", "B", 1.0),
    "i5": ("indicator", "B", 3.0),
    "i6": ("indicator", "C", 0.0),
    "i7": ("indicator", "C", 1.5),
    "i8": ("indicator", "D", 1.0),
    "i9": ("indicator", "E", 1.0),
    "A": ("pillar", "S1", 1.0),
    "B": ("pillar", "S1", 3.0),
    "C": ("pillar", "S2", 2.0),
    "D": ("pillar", "S2", 0.5),
    "E": ("pillar", "S2", 0.0),
    "F": ("pillar", "S2", 0.5),
    "S1": ("sub", "top", 1.0),
    "S2": ("sub", "top", 4.0),
    "top": ("index", None, 1.0),
}


@pytest.fixture(scope="module")
def structure() -> scm.Structure:
    frame = pd.DataFrame(
        [(node, level, parent, weight) for node, (level, parent, weight) in NODES.items()],
        columns=["node", "level", "parent", "weight"],
    )
    return scm.Structure(LEVELS, frame)


@pytest.fixture(scope="module")
def asem() -> tuple[pd.DataFrame, scm.RollUp]:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), ASEM_LEVELS)
    data = tidy_from_coinr(pd.read_csv(ASEM / "ASEM_COIN_Treated.csv"), structure, unit="UnitCode", time="Year")
    return data, scm.roll_up(data, structure, method="minmax")


# ------------------------------------------------------------------------------ effective weights


def _measured(node: str) -> bool:
    """Whether an indicator of weight > 0 lies beneath ``node`` (through children of weight > 0)."""
    level, _parent, weight = NODES[node]
    if level == "indicator":
        return weight > 0
    return any(p == node and w > 0 and _measured(child) for child, (_l, p, w) in NODES.items())


def _share(node: str) -> float:
    """A node's weight as a share of the total of its siblings that something measures."""
    level, parent, weight = NODES[node]
    siblings = [w for other, (lv, p, w) in NODES.items() if lv == level and p == parent and _measured(other)]
    return weight / sum(siblings)


def _by_hand(indicator: str, ancestor: str) -> float:
    """The product of the within-parent shares from an indicator up to one of its ancestors."""
    product, node = 1.0, indicator
    while node != ancestor:
        product *= _share(node)
        node = NODES[node][1]
        if node is None:
            return 0.0
    return product


def test_effective_weights_are_products_of_within_parent_shares(structure) -> None:
    table = effective_weights(structure)
    assert list(table.columns) == ["level", "node", "indicator", "weight"]
    assert set(table["level"]) == set(LEVELS[1:])
    for row in table.itertuples():
        assert row.weight == pytest.approx(_by_hand(row.indicator, row.node), rel=1e-12), row
    expected = {
        (NODES[ancestor][0], ancestor, indicator)
        for indicator in NODES
        if NODES[indicator][0] == "indicator"
        for ancestor in NODES
        if NODES[ancestor][0] != "indicator" and _by_hand(indicator, ancestor) > 0
    }
    assert set(zip(table["level"], table["node"], table["indicator"], strict=True)) == expected


def test_effective_weights_sum_to_one_per_node_and_leave_out_excluded(structure) -> None:
    table = effective_weights(structure)
    totals = table.groupby(["level", "node"])["weight"].sum()
    # every node with a weighted indicator below it sums to 1; E has only weight-0 children's weight
    np.testing.assert_allclose(totals.to_numpy(), 1.0, rtol=1e-12)
    assert "i6" not in set(table["indicator"])
    assert "i9" not in set(table.loc[table["level"] != "pillar", "indicator"])
    top = table[table["node"] == "top"].set_index("indicator")["weight"]
    assert top["i3"] == pytest.approx(1 / 5 * 1 / 4 * 5 / 8)
    assert top["i7"] == pytest.approx(4 / 5 * 2 / 2.5 * 1.0)  # F, which nothing measures, takes no share
    assert "F" not in set(table["node"])


def test_effective_weights_of_one_level(structure) -> None:
    table = effective_weights(structure, "sub")
    assert set(table["level"]) == {"sub"}
    pd.testing.assert_frame_equal(
        table.reset_index(drop=True),
        effective_weights(structure).query("level == 'sub'").reset_index(drop=True),
    )
    with pytest.raises(ScoringError, match=r"no level 'pilar' \(did you mean 'pillar'\?\)"):
        effective_weights(structure, "pilar")


def test_effective_weights_agree_with_an_arithmetic_roll_up(structure) -> None:
    """With every indicator observed, the top score is the effective-weighted sum of indicator scores."""
    rng = np.random.default_rng(1)
    indicators = structure.indicators
    data = pd.DataFrame(
        {
            "region": np.repeat(["a", "b", "c", "d"], len(indicators)),
            "year": 2020,
            "indicator": np.tile(indicators, 4),
            "value": rng.uniform(0, 100, 4 * len(indicators)),
        }
    )
    result = scm.roll_up(data, structure, method="minmax")
    weights = effective_weights(structure, "index").set_index("indicator")["weight"]
    leaves = result.wide("indicator")[weights.index]
    np.testing.assert_allclose(leaves.to_numpy() @ weights.to_numpy(), result.wide("index")["top"], rtol=1e-12)


# ------------------------------------------------------------------------------ noisy weights


def test_noisy_weights_stay_within_the_noise(structure) -> None:
    table = scm.noisy_weights(structure, 0.25, 400, seed=9)
    assert list(table.columns) == ["draw", "level", "node", "weight"]
    assert sorted(table["draw"].unique()) == list(range(400))
    weighted = {node for node, (level, _p, _w) in NODES.items() if level != "index"}
    assert set(table["node"]) == weighted
    assert (table.groupby("draw").size() == len(weighted)).all()
    nominal = table["node"].map({node: w for node, (_l, _p, w) in NODES.items()})
    assert (table["weight"] >= nominal * 0.75 - 1e-12).all()
    assert (table["weight"] <= nominal * 1.25 + 1e-12).all()
    assert (table.loc[nominal == 0, "weight"] == 0).all()  # 0 stays 0: an excluded node stays out
    ratio = (table["weight"] / nominal)[nominal > 0]
    assert ratio.min() < 0.76
    assert ratio.max() > 1.24
    assert ratio.mean() == pytest.approx(1.0, abs=0.01)
    assert (table.groupby("node")["weight"].nunique()[lambda s: s.index.isin(["i1", "B", "S2"])] == 400).all()


def test_noisy_weights_are_reproducible_by_seed(structure) -> None:
    first = scm.noisy_weights(structure, 0.3, 20, seed=5)
    pd.testing.assert_frame_equal(first, scm.noisy_weights(structure, 0.3, 20, seed=5))
    assert not first["weight"].equals(scm.noisy_weights(structure, 0.3, 20, seed=6)["weight"])


def test_noisy_weights_per_level(structure) -> None:
    table = scm.noisy_weights(structure, {"pillar": 0.5, "sub": 0.1}, 300, seed=2)
    assert set(table["level"]) == {"pillar", "sub"}
    nominal = table["node"].map({node: w for node, (_l, _p, w) in NODES.items()})
    ratio = (table["weight"] / nominal).where(nominal > 0)
    by_level = ratio.groupby(table["level"])
    assert by_level.min()["pillar"] == pytest.approx(0.5, abs=0.02)
    assert by_level.max()["pillar"] == pytest.approx(1.5, abs=0.02)
    assert by_level.min()["sub"] == pytest.approx(0.9, abs=0.005)
    assert by_level.max()["sub"] == pytest.approx(1.1, abs=0.005)
    assert by_level.min()["sub"] >= 0.9 - 1e-12
    assert by_level.max()["sub"] <= 1.1 + 1e-12


@pytest.mark.parametrize(
    ("noise", "n", "pattern"),
    [
        (0.0, 5, "noise 0 leaves every weight as it is"),
        ({"pillar": 0.0}, 5, "noise 0 leaves every weight as it is"),
        (0.2, 0, r"n must be a whole number of draws ≥ 1"),
        (0.2, 2.0, r"n must be a whole number of draws ≥ 1"),
        ({"pilar": 0.2}, 5, r"unknown levels 'pilar' \(did you mean 'pillar'\?\)"),
        ({"index": 0.2}, 5, r"unknown levels 'index'; the levels with weights are indicator, pillar, sub"),
    ],
)
def test_noisy_weights_errors(structure, noise, n, pattern) -> None:
    with pytest.raises(ScoringError, match=pattern):
        scm.noisy_weights(structure, noise, n, seed=1)


@pytest.mark.parametrize("noise", [1.5, -0.1])
def test_noisy_weights_refuse_noise_outside_0_to_1(structure, noise) -> None:
    with pytest.raises(ValueError, match="than or equal to"):
        scm.noisy_weights(structure, noise, 3, seed=1)


# ------------------------------------------------------------------------------ optimised weights


def _correlations_by_hand(result: scm.RollUp, level: str, against: str) -> pd.Series:
    children = result.wide(level)
    above = result.scores[result.scores["node"] == against].set_index(["region", "year"])["score"]
    return children.apply(lambda column: column.corr(above.loc[column.index]))


def _balance(correlations: pd.Series) -> float:
    share = correlations / correlations.sum()
    return float(((share - 1 / len(share)) ** 2).sum())


@pytest.fixture(scope="module")
def balanced(asem) -> scm.OptimisedWeights:
    _data, result = asem
    return scm.optimise_weights(result, "pillar")


def test_optimised_weights_lower_the_balance_objective(asem, balanced) -> None:
    data, result = asem
    assert balanced.converged
    assert balanced.level == "pillar"
    assert balanced.against == "Index"
    assert balanced.year == 2018
    before = _correlations_by_hand(result, "pillar", "Index")
    assert balanced.value_before == pytest.approx(_balance(before), rel=1e-9)
    rolled = scm.roll_up(data, balanced.structure, method="minmax")
    after = _correlations_by_hand(rolled, "pillar", "Index")
    assert balanced.value_after == pytest.approx(_balance(after), rel=1e-6)
    assert balanced.value_after < balanced.value_before / 2
    table = balanced.weights.set_index("node")
    np.testing.assert_allclose(table.loc[after.index, "correlation_after"], after, rtol=1e-9)
    np.testing.assert_allclose(table.loc[before.index, "correlation_before"], before, rtol=1e-9)
    assert (after.max() - after.min()) < (before.max() - before.min())


def test_optimised_weights_table_and_structure(asem, balanced) -> None:
    _data, result = asem
    table = balanced.weights
    assert list(table.columns) == [
        "node",
        "parent",
        "nominal",
        "weight",
        "target",
        "correlation_before",
        "correlation_after",
    ]
    assert table["node"].tolist() == list(result.structure.level_nodes("pillar"))
    np.testing.assert_allclose(table.groupby("parent")["weight"].sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(table.groupby("parent")["nominal"].sum(), 1.0, rtol=1e-12)
    np.testing.assert_allclose(table["target"], 1 / 8)
    assert (table["weight"] > 0).all()
    assert not np.allclose(table["weight"], table["nominal"])
    new = balanced.structure.nodes.set_index("node")["weight"]
    np.testing.assert_allclose(new[table["node"]].to_numpy(), table["weight"].to_numpy())
    old = result.structure.nodes.set_index("node")["weight"]
    others = [node for node in old.index if node not in set(table["node"])]
    pd.testing.assert_series_equal(new[others], old[others])
    assert balanced.iterations > 0
    assert balanced.evaluations >= balanced.iterations


def test_infomax_raises_the_sum_of_correlations(asem) -> None:
    data, result = asem
    found = scm.optimise_weights(result, "pillar", objective="infomax")
    before = _correlations_by_hand(result, "pillar", "Index")
    after = _correlations_by_hand(scm.roll_up(data, found.structure, method="minmax"), "pillar", "Index")
    assert after.sum() > before.sum()
    assert found.value_before == pytest.approx(-before.sum(), rel=1e-9)
    assert found.value_after == pytest.approx(-after.sum(), rel=1e-6)


def test_optimised_against_a_sub_index_with_a_target(asem) -> None:
    data, result = asem
    target = {"Physical": 2.0, "ConEcFin": 1.0, "Political": 1.0, "Instit": 1.0, "P2P": 1.0}
    found = scm.optimise_weights(result, "pillar", against="Conn", target=target)
    assert found.against == "Conn"
    table = found.weights.set_index("node")
    conn = ["Physical", "ConEcFin", "Political", "Instit", "P2P"]
    assert table.index.tolist() == conn  # only the pillars beneath Conn weigh in it
    np.testing.assert_allclose(table["target"], np.array([2, 1, 1, 1, 1]) / 6)
    np.testing.assert_allclose(table["weight"].sum(), 1.0)
    after = _correlations_by_hand(scm.roll_up(data, found.structure, method="minmax"), "pillar", "Conn")[conn]
    before = _correlations_by_hand(result, "pillar", "Conn")[conn]
    np.testing.assert_allclose(table["correlation_after"], after, rtol=1e-9)

    def objective(correlations: pd.Series) -> float:
        return float(((correlations / correlations.sum() - table["target"]) ** 2).sum())

    assert found.value_before == pytest.approx(objective(before), rel=1e-9)
    assert found.value_after == pytest.approx(objective(after), rel=1e-6)
    assert found.value_after < found.value_before
    # the Sust pillars keep their weights
    old = result.structure.nodes.set_index("node")["weight"]
    new = found.structure.nodes.set_index("node")["weight"]
    pd.testing.assert_series_equal(new[["Environ", "Social", "SusEcFin"]], old[["Environ", "Social", "SusEcFin"]])


def test_too_few_iterations_warn_and_say_not_converged(asem) -> None:
    _data, result = asem
    with pytest.warns(ScoringWarning, match="stopped before converging"):
        found = scm.optimise_weights(result, "pillar", max_iterations=3)
    assert not found.converged
    assert found.iterations <= 3
    assert "did NOT converge" in repr(found)


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"level": "index"}, "the top level has no weights to optimise"),
        ({"level": "sub-index", "against": "Physical"}, r"against= must be a node above level sub-index, not 'Phys"),
        ({"level": "sub-index", "against": "Conn"}, r"against= must be a node above level sub-index, not 'Conn'"),
        ({"level": "pilar"}, r"no level 'pilar' \(did you mean 'pillar'\?\)"),
        ({"level": "pillar", "against": "Indx"}, r"unknown node 'Indx' \(did you mean 'Index'\?\)"),
        ({"level": "pillar", "target": {"Physicl": 1.0}}, r"target names nodes not on the level: 'Physicl'"),
        ({"level": "pillar", "target": {"Conn": 1.0}}, r"target names nodes not on the level: 'Conn'"),
        ({"level": "pillar", "target": {"Physical": -1.0, "P2P": 2.0}}, "target importances must be finite numbers"),
        ({"level": "pillar", "target": {"Physical": 0.0}}, "not all 0"),
        ({"level": "pillar", "objective": "infomx"}, r"objective must be 'balance' or 'infomax', not 'infomx'"),
        ({"level": "pillar", "year": 2019}, r"year 2019 is not among the years scored"),
    ],
)
def test_optimise_weights_errors(asem, options, pattern) -> None:
    _data, result = asem
    with pytest.raises(ScoringError, match=pattern):
        scm.optimise_weights(result, **options)


def test_noisy_weights_record_their_seed_and_refuse_what_is_no_noise(structure) -> None:
    first = scm.noisy_weights(structure, 0.2, 3)
    again = scm.noisy_weights(structure, 0.2, 3, seed=first.attrs["seed"])
    pd.testing.assert_frame_equal(first, again)
    assert len(scm.noisy_weights(structure, 0.2, np.int64(2), seed=1)["draw"].unique()) == 2
    for noise in (1.5, -0.1, float("nan"), True, "0.2"):
        with pytest.raises(ScoringError, match="weights"):
            scm.noisy_weights(structure, noise, 3, seed=1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        ({"tolerance": -1.0}, "tolerance must be a number above 0"),
        ({"tolerance": float("nan")}, "tolerance must be a number above 0"),
        ({"max_iterations": 0}, "max_iterations must be a whole number ≥ 1"),
        ({"max_iterations": True}, "max_iterations must be a whole number ≥ 1"),
        ({"max_iterations": 2.5}, "max_iterations must be a whole number ≥ 1"),
        ({"target": {"Conn": float("inf")}}, "target importances must be finite numbers"),
    ],
)
def test_optimiser_options_are_checked(asem, options, pattern) -> None:
    _data, result = asem
    with pytest.raises(ScoringError, match=pattern):
        scm.optimise_weights(result, "sub-index", **options)


def test_a_target_on_a_node_of_weight_zero_is_refused(asem) -> None:
    data, result = asem
    nodes = result.structure.nodes.copy()
    nodes.loc[nodes["node"] == "Physical", "weight"] = 0.0
    zero = scm.Structure(result.structure.levels, nodes, result.structure.specs)
    again = scm.roll_up(data, zero, method="minmax")
    with pytest.raises(ScoringError, match=r"target names nodes of weight 0, which the optimiser leaves at 0"):
        scm.optimise_weights(again, "pillar", target={"Physical": 1.0, "P2P": 1.0})
