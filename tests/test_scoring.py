"""Readiness scoring: normalisation, aggregation, missing data, explanations, plan versus reality."""

from __future__ import annotations

import itertools
import warnings
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import smartcity_model as scm
from smartcity_model.scoring import IndicatorSpec, normalise
from smartcity_model.scoring.aggregate import aggregate

# A small structure: six indicators -> three elements -> two dimensions -> overall.
TREE = pd.DataFrame(
    [
        ("a1", "indicator", "ea", 1.0),
        ("a2", "indicator", "ea", 3.0),
        ("b1", "indicator", "eb", 1.0),
        ("b2", "indicator", "eb", 1.0),
        ("c1", "indicator", "ec", 2.0),
        ("c2", "indicator", "ec", 1.0),
        ("ea", "element", "d1", 1.0),
        ("eb", "element", "d1", 1.0),
        ("ec", "element", "d2", 1.0),
        ("d1", "dimension", "top", 2.0),
        ("d2", "dimension", "top", 1.0),
        ("top", "overall", None, 1.0),
    ],
    columns=["node", "level", "parent", "weight"],
)
LEVELS = ("indicator", "element", "dimension", "overall")
INDICATORS = ["a1", "a2", "b1", "b2", "c1", "c2"]


def structure(weights: dict[str, float] | None = None, directions: dict[str, str] | None = None) -> scm.Structure:
    tree = TREE.copy()
    if weights:
        tree["weight"] = [weights.get(node, w) for node, w in zip(tree["node"], tree["weight"], strict=True)]
    return scm.Structure.from_frame(tree, LEVELS, directions=directions)


def table(values: dict[str, float], region: str = "r", year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame({"region": region, "year": year, "indicator": list(values), "value": list(values.values())})


def goalposts_structure() -> scm.Structure:
    """The small tree with goalposts 0-100 on every indicator, so scores equal values."""
    base = structure()
    spec = IndicatorSpec(normalisation=scm.Goalposts(min=0, max=100))
    return scm.Structure(base.levels, base.nodes, dict.fromkeys(INDICATORS, spec))


# ------------------------------------------------------------------------- normalisation


def _norm(spec: IndicatorSpec, values: list[float]) -> list[float]:
    column = np.array(values, dtype=float)[:, None]
    return normalise(column, [spec], np.zeros(len(values), dtype=np.intp)).ravel().round(9).tolist()


class TestNormalise:
    def test_goalposts_follow_direction_and_clip(self) -> None:
        goal = scm.Goalposts(min=0, max=20)
        assert _norm(IndicatorSpec(normalisation=goal), [-5, 5, 20, 30]) == [0, 25, 100, 100]
        assert _norm(IndicatorSpec(scm.Direction.LOWER, goal), [5, 20, 30]) == [75, 0, 0]

    def test_band_is_best_inside_and_falls_to_the_goalposts(self) -> None:
        spec = IndicatorSpec(scm.Direction.BAND, scm.Goalposts(min=0, max=10), scm.Band(low=2, high=4))
        assert _norm(spec, [0, 1, 3, 4, 7, 10]) == [0, 50, 100, 100, 50, 0]

    def test_distance_to_target_uses_the_last_target_by_default(self) -> None:
        spec = IndicatorSpec(normalisation=scm.DistanceToTarget(worst=10), last_target=20)
        assert _norm(spec, [10, 15, 25]) == [0, 50, 100]
        lower = IndicatorSpec(scm.Direction.LOWER, scm.DistanceToTarget(target=5, worst=25))
        assert _norm(lower, [25, 15, 5, 0]) == [0, 50, 100, 100]

    def test_maturity_levels(self) -> None:
        assert _norm(IndicatorSpec(normalisation=scm.MaturityLevels()), [1, 2, 4, 5]) == [0, 25, 75, 100]

    @pytest.mark.parametrize("level", [3.5, 0, 6, 9])
    def test_maturity_levels_are_whole_levels_never_clipped(self, level: float) -> None:
        with pytest.raises(scm.ScoringError, match=f"maturity levels are whole numbers from 1 to 5; {level:g} are not"):
            _norm(IndicatorSpec(normalisation=scm.MaturityLevels()), [1, level])

    def test_thresholds_put_the_break_in_the_band_above(self) -> None:
        spec = IndicatorSpec(normalisation=scm.Thresholds(breaks=(65, 76.61, 88.31), scores=(25, 50, 75, 100)))
        assert _norm(spec, [64.9, 65, 80, 88.31, 99]) == [25, 50, 75, 100, 100]

    def test_missing_values_stay_missing(self) -> None:
        result = _norm(IndicatorSpec(normalisation=scm.Goalposts(min=0, max=1)), [np.nan, 0.5])
        assert np.isnan(result[0])
        assert result[1] == 50

    def test_peer_methods_work_within_each_year(self) -> None:
        values = np.array([[1.0], [2.0], [3.0], [10.0], [20.0], [30.0]])
        years = np.array([0, 0, 0, 1, 1, 1], dtype=np.intp)
        spec = [IndicatorSpec()]
        assert normalise(values, spec, years, "minmax").ravel().tolist() == [0, 50, 100, 0, 50, 100]
        assert normalise(values, spec, years, "rank").ravel().tolist() == [0, 50, 100, 0, 50, 100]
        assert normalise(values, spec, years, "zscore").ravel().tolist() == [40, 50, 60, 40, 50, 60]
        lower = [IndicatorSpec(scm.Direction.LOWER)]
        assert normalise(values, lower, years, "minmax").ravel().tolist() == [100, 50, 0, 100, 50, 0]

    @pytest.mark.parametrize("method", ["minmax", "zscore", "percentile", "borda", "distance_to_max"])
    def test_an_indicator_without_spread_or_peers_is_left_missing_with_a_warning(self, method: str) -> None:
        flat = np.array([[4.0], [4.0]])
        with pytest.warns(scm.ScoringWarning, match=r"'0' in 0 \(no spread\)|'0' in 0 \(one value\)"):
            assert np.isnan(normalise(flat, [IndicatorSpec()], np.zeros(2, dtype=np.intp), method)).all()
        alone = np.array([[4.0], [np.nan]])
        with pytest.warns(scm.ScoringWarning, match=r"one value"):
            assert np.isnan(normalise(alone, [IndicatorSpec()], np.zeros(2, dtype=np.intp), method)).all()

    def test_rank_shares_ties(self) -> None:
        values = np.array([[1.0], [1.0], [3.0]])
        assert normalise(values, [IndicatorSpec()], np.zeros(3, dtype=np.intp), "rank").ravel().tolist() == [
            25,
            25,
            100,
        ]

    def test_unknown_method_is_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match="unknown normalisation"):
            normalise(np.ones((1, 1)), [IndicatorSpec()], np.zeros(1, dtype=np.intp), "log")


# --------------------------------------------------------------------------- aggregation


def sinking(method: str) -> dict[str, str]:
    """Let a zero sink the means that need positive scores (the option exists only for them)."""
    return {"nonpositive": "zero"} if method in {"geometric", "harmonic", "power"} else {}


def _agg(
    scores: list[float], weights: list[float], method: str, min_coverage: float = 0.0, **options: Any
) -> tuple[float, float]:
    result = aggregate(
        np.array([scores]),
        (~np.isnan(np.array([scores]))).astype(float),
        np.array(weights)[:, None],
        method,
        min_coverage,
        **options,
    )
    return float(result.score[0, 0]), float(result.coverage[0, 0])


class TestAggregate:
    def test_the_four_methods(self) -> None:
        assert _agg([20, 80], [1, 3], "arithmetic")[0] == pytest.approx(65)
        assert _agg([20, 80], [1, 1], "geometric")[0] == pytest.approx(40)
        assert _agg([20, 80], [1, 1], "harmonic")[0] == pytest.approx(32)
        assert _agg([20, 80], [1, 1], "minimum")[0] == 20

    def test_weights_are_renormalised_among_children_present(self) -> None:
        score, coverage = _agg([np.nan, 40, 80], [2, 1, 1], "arithmetic")
        assert score == pytest.approx(60)
        assert coverage == pytest.approx(0.5)

    def test_coverage_threshold_drops_the_aggregate(self) -> None:
        score, coverage = _agg([np.nan, 40, 80], [2, 1, 1], "arithmetic", min_coverage=0.65)
        assert np.isnan(score)
        assert coverage == pytest.approx(0.5)

    def test_a_zero_child_sinks_geometric_and_harmonic_only_when_asked(self) -> None:
        for method in ("geometric", "harmonic"):
            with pytest.raises(scm.ScoringError, match="0 or below"):
                _agg([0, 80], [1, 1], method)
            assert _agg([0, 80], [1, 1], method, nonpositive="zero")[0] == 0

    def test_unknown_aggregation_is_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match="unknown aggregation"):
            _agg([1], [1], "median")


# ----------------------------------------------------------------------------- roll-up


def test_roll_up_tidy_table_and_views() -> None:
    result = scm.roll_up(table({"a1": 20, "a2": 60, "b1": 40, "b2": 80, "c1": 30, "c2": 90}), goalposts_structure())
    scores = result.scores
    assert list(scores.columns) == list(scm.scoring.SCORE_COLUMNS)
    by_node = scores.set_index("node")["score"]
    assert by_node["ea"] == pytest.approx((20 + 3 * 60) / 4)
    assert by_node["d1"] == pytest.approx((50 + 60) / 2)
    assert by_node["top"] == pytest.approx((2 * 55 + 50) / 3)
    assert result.wide("dimension").loc[("r", 2024)].tolist() == pytest.approx([55, 50])
    ready = result.readiness().set_index("node")
    assert ready.loc["top", "readiness"] == "Menengah"
    assert int(ready.loc["top", "readiness_level"]) == 3


def test_aggregation_per_level() -> None:
    result = scm.roll_up(
        table({"a1": 20, "a2": 60, "b1": 40, "b2": 80, "c1": 30, "c2": 90}),
        goalposts_structure(),
        aggregation={"dimension": "minimum"},
    )
    assert result.wide("dimension").loc[("r", 2024), "d1"] == pytest.approx(50)
    with pytest.raises(scm.ScoringError, match="unknown levels"):
        scm.roll_up(table({"a1": 1}), goalposts_structure(), aggregation={"pillar": "minimum"})


@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric", "harmonic", "minimum"])
def test_contributions_sum_to_the_score(example_plan: scm.Masterplan, aggregation: str) -> None:
    result = scm.roll_up(example_plan, missing="locf", aggregation=aggregation, **sinking(aggregation))  # type: ignore[arg-type]  # a valid name
    for level in ("element", "dimension", "overall"):
        sums = result.contributions(level).groupby(["region", "year", "node"])["contribution"].sum()
        scores = result.scores.query("level == @level").set_index(["region", "year", "node"])["score"].dropna()
        assert sums.reindex(scores.index).to_numpy() == pytest.approx(scores.to_numpy(), abs=1e-9)


def test_arithmetic_contributions_are_weight_times_score(example_plan: scm.Masterplan) -> None:
    result = scm.roll_up(example_plan, missing="locf")
    contributions = result.contributions().query("year == 2024").set_index("indicator")
    indicator_scores = result.scores.query("year == 2024 and level == 'indicator'").set_index("node")["score"]
    expected = contributions["weight"] * indicator_scores.reindex(contributions.index)
    assert contributions["contribution"].to_numpy() == pytest.approx(expected.to_numpy())
    assert contributions["weight"].sum() == pytest.approx(1)


class TestMissingData:
    values: ClassVar[dict[str, float]] = {"a1": 20, "a2": 60, "b1": 40, "b2": 80, "c2": 30}

    def test_coverage_policy_keeps_what_is_covered(self) -> None:
        result = scm.roll_up(table(self.values), goalposts_structure())
        wide = result.wide("element")
        coverage = result.wide("element", value="coverage")
        assert np.isnan(wide.loc[("r", 2024), "ec"])
        assert coverage.loc[("r", 2024), "ec"] == pytest.approx(1 / 3)
        low = scm.roll_up(table(self.values), goalposts_structure(), min_coverage=0.3)
        assert low.wide("element").loc[("r", 2024), "ec"] == pytest.approx(30)

    def test_raise_policy_names_the_gap(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"1 missing value: region 'r', year 2024, indicator 'c1'"):
            scm.roll_up(table(self.values), goalposts_structure(), missing="raise")

    def test_locf_carries_the_last_observation_forward(self) -> None:
        data = pd.concat([table(self.values | {"c1": 70}, year=2023), table(self.values, year=2024)])
        result = scm.roll_up(data, goalposts_structure(), missing="locf")
        assert result.wide("indicator").loc[("r", 2024), "c1"] == 70

    def test_group_mean_fills_from_the_regions_group(self) -> None:
        data = pd.concat(
            [
                table(self.values | {"c1": 10}, region="p"),
                table(self.values | {"c1": 30}, region="q"),
                table(self.values | {"c1": 90}, region="s"),
                table(self.values, region="r"),
            ]
        )
        groups = {"p": "west", "q": "west", "r": "west", "s": "east"}
        result = scm.roll_up(data, goalposts_structure(), missing="group_mean", groups=groups)
        assert result.wide("indicator").loc[("r", 2024), "c1"] == 20

    def test_unknown_policy_is_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match="unknown missing-data policy"):
            scm.roll_up(table(self.values), goalposts_structure(), missing="drop")  # type: ignore[arg-type]  # wrong on purpose


class TestBadInput:
    def test_unknown_indicator(self) -> None:
        with pytest.raises(scm.ScoringError, match="unknown indicators: 'zz'"):
            scm.roll_up(table({"zz": 1}), goalposts_structure())

    def test_duplicate_observation(self) -> None:
        data = pd.concat([table({"a1": 1}), table({"a1": 2})])
        with pytest.raises(
            scm.ScoringError, match=r"1 cell observed more than once: region 'r', year 2024, indicator 'a1'"
        ):
            scm.roll_up(data, goalposts_structure())

    def test_non_finite_value(self) -> None:
        with pytest.raises(scm.ScoringError, match="finite"):
            scm.roll_up(table({"a1": float("inf")}), goalposts_structure())

    def test_table_without_structure(self) -> None:
        with pytest.raises(scm.ScoringError, match="needs a structure"):
            scm.roll_up(table({"a1": 1}))

    def test_structure_must_be_layered(self) -> None:
        tree = TREE.copy()
        tree.loc[0, "parent"] = "d1"
        with pytest.raises(scm.ScoringError, match="without a parent on level 'element': a1"):
            scm.Structure.from_frame(tree, LEVELS)
        tree = TREE.copy()
        tree.loc[0, "weight"] = -1
        with pytest.raises(scm.ScoringError, match=r"negative weights .*: a1"):
            scm.Structure.from_frame(tree, LEVELS)


# ------------------------------------------------------------------------ plan and reality


def test_plan_scores_follow_the_framework(example_plan: scm.Masterplan) -> None:
    result = scm.roll_up(example_plan, missing="locf")
    assert set(result.scores["level"]) == set(scm.scoring.PLAN_LEVELS)
    dims = result.wide("dimension")
    assert list(dims.columns) == [d.id for d in example_plan.framework.dimensions]
    assert dims.loc[("solok-selatan", 2024)].notna().all()
    assert result.scores["score"].dropna().between(0, 100).all()


def test_planned_path_interpolates_baseline_to_targets(plan_data: dict[str, Any]) -> None:
    planned = scm.scoring.planned_frame(scm.Masterplan.from_dict(plan_data))
    referral = planned[planned["indicator"] == "liv-referral"].set_index("year")["value"]
    assert referral[2023] == 40
    assert referral[2026] == 70
    assert referral[2025] == pytest.approx(60)
    assert referral[2030] == pytest.approx(70 + 25 * 4 / 7)


def test_plan_vs_actual_gap(plan_data: dict[str, Any]) -> None:
    plan_data["observations"] = [
        {"indicator": "liv-referral", "year": 2023, "value": 40},
        {"indicator": "liv-referral", "year": 2024, "value": 44},
    ]
    plan = scm.Masterplan.from_dict(plan_data)
    gaps = scm.plan_vs_actual(plan, min_coverage=0.0).query("level == 'element' and node == 'health'").set_index("year")
    assert gaps.loc[2023, "gap"] == pytest.approx(0)
    assert gaps.loc[2024, "planned"] == pytest.approx(50)
    assert gaps.loc[2024, "gap"] == pytest.approx(-6)


# ------------------------------------------------------------------------------ readiness


def test_readiness_presets() -> None:
    default = scm.scoring.readiness_scale("default")
    assert default.levels_of([0, 19.99, 20, 99, 100]).tolist() == [1, 1, 2, 5, 5]
    spbe = scm.scoring.readiness_scale("spbe")
    index = np.array([1.0, 1.79, 1.8, 2.6, 3.5, 4.2, 5.0])
    assert spbe.names_of(spbe.levels_of((index - 1) / 4 * 100)) == [
        "Kurang",
        "Kurang",
        "Cukup",
        "Baik",
        "Sangat Baik",
        "Memuaskan",
        "Memuaskan",
    ]


def test_custom_scale_must_start_at_zero_and_rise() -> None:
    with pytest.raises(ValueError, match="start at 0"):
        scm.ReadinessScale(name="x", bands=(scm.ReadinessBand(level=1, name="a", min=10),))
    scale = scm.ReadinessScale(
        name="two",
        bands=(scm.ReadinessBand(level=0, name="belum", min=0), scm.ReadinessBand(level=1, name="siap", min=70)),
    )
    assert scale.names_of(scale.levels_of([69, 70, np.nan])) == ["belum", "siap", None]


# ----------------------------------------------------------------------------- properties

values_strategy = st.dictionaries(
    st.sampled_from(INDICATORS), st.floats(min_value=-50, max_value=150, allow_nan=False), min_size=1
)
weights_strategy = st.dictionaries(
    st.sampled_from(list(TREE["node"])), st.floats(min_value=0.01, max_value=100, allow_nan=False)
)
methods = st.sampled_from(["arithmetic", "geometric", "harmonic", "minimum"])


def _scores(values: dict[str, float], weights: dict[str, float] | None = None, **options: Any) -> pd.Series:
    base = structure(weights)
    spec = IndicatorSpec(normalisation=scm.Goalposts(min=0, max=100))
    goal = scm.Structure(base.levels, base.nodes, dict.fromkeys(INDICATORS, spec))
    result = scm.roll_up(table(values), goal, min_coverage=0.0, **sinking(options.get("aggregation", "")), **options)
    return result.scores.set_index("node")["score"]


@settings(max_examples=80, deadline=None)
@given(values=values_strategy, weights=weights_strategy, method=methods)
def test_every_score_lies_in_0_100(values: dict[str, float], weights: dict[str, float], method: str) -> None:
    scores = _scores(values, weights, aggregation=method).dropna()
    assert scores.between(0, 100).all()


@settings(max_examples=80, deadline=None)
@given(
    values=values_strategy,
    weights=weights_strategy,
    method=st.sampled_from(["arithmetic", "geometric"]),
    data=st.data(),
)
def test_raising_a_value_never_lowers_an_aggregate(
    values: dict[str, float], weights: dict[str, float], method: str, data: st.DataObject
) -> None:
    indicator = data.draw(st.sampled_from(sorted(values)))
    bump = data.draw(st.floats(min_value=0, max_value=50))
    before = _scores(values, weights, aggregation=method)
    after = _scores(values | {indicator: values[indicator] + bump}, weights, aggregation=method)
    assert (after.fillna(-1) >= before.fillna(-1) - 1e-9).all()


@settings(max_examples=60, deadline=None)
@given(
    values=values_strategy,
    weights=weights_strategy,
    method=methods,
    factor=st.floats(0.01, 100),
    seed=st.integers(0, 99),
)
def test_invariant_to_row_order_and_weight_scale(
    values: dict[str, float], weights: dict[str, float], method: str, factor: float, seed: int
) -> None:
    base = _scores(values, weights, aggregation=method)
    shuffled_values = dict(sorted(values.items(), key=lambda kv: (hash((kv[0], seed)), kv[0])))
    scaled = {node: factor * weights.get(node, w) for node, w in zip(TREE["node"], TREE["weight"], strict=True)}
    assert _scores(shuffled_values, weights, aggregation=method).to_numpy() == pytest.approx(
        base.to_numpy(), nan_ok=True
    )
    assert _scores(values, scaled, aggregation=method).to_numpy() == pytest.approx(
        base.to_numpy(), nan_ok=True, rel=1e-9
    )


@settings(max_examples=80, deadline=None)
@given(values=values_strategy, weights=weights_strategy)
def test_minimum_below_harmonic_below_geometric_below_arithmetic(
    values: dict[str, float], weights: dict[str, float]
) -> None:
    data = table(values)
    base = structure(weights)
    spec = IndicatorSpec(normalisation=scm.Goalposts(min=0, max=100))
    goal = scm.Structure(base.levels, base.nodes, dict.fromkeys(INDICATORS, spec))
    elements = {
        method: scm.roll_up(data, goal, aggregation=method, min_coverage=0.0, **sinking(method))  # type: ignore[arg-type]
        .wide("element")
        .to_numpy()
        for method in ("minimum", "harmonic", "geometric", "arithmetic")
    }
    present = ~np.isnan(elements["arithmetic"])
    order = ["minimum", "harmonic", "geometric", "arithmetic"]
    for low, high in itertools.pairwise(order):
        assert (elements[low][present] <= elements[high][present] + 1e-9).all()


def test_rows_of_a_table_can_come_in_any_order(example_plan: scm.Masterplan) -> None:
    data = scm.scoring.observations_frame(example_plan)
    structure_ = scm.Structure.from_plan(example_plan)
    forward = scm.roll_up(data, structure_).scores
    backward = scm.roll_up(data.iloc[::-1], structure_).scores
    pd.testing.assert_frame_equal(forward, backward)


# ------------------------------------------------------------- never a silent answer

#: One indicator ``a`` under an ``index``: the smallest structure a panel study has.
ONE = pd.DataFrame([("a", "indicator", "index", 1.0), ("index", "index", None, 1.0)], columns=TREE.columns)
#: Regions x, y, z in 2023-2024; only x and y in 2025.
PANEL = pd.DataFrame(
    [
        ("x", 2023, "a", 1.0),
        ("y", 2023, "a", 2.0),
        ("z", 2023, "a", 3.0),
        ("x", 2024, "a", 2.0),
        ("y", 2024, "a", 3.0),
        ("z", 2024, "a", 5.0),
        ("x", 2025, "a", 4.0),
        ("y", 2025, "a", 1.0),
    ],
    columns=["region", "year", "indicator", "value"],
)


def one() -> scm.Structure:
    return scm.Structure.from_frame(ONE, ("indicator", "index"))


class TestTheGrid:
    def test_a_region_without_rows_in_a_year_stays_with_coverage_zero(self) -> None:
        result = scm.roll_up(PANEL, one(), method="minmax")
        row = result.scores.query("region == 'z' and year == 2025 and level == 'index'")
        assert len(row) == 1
        assert np.isnan(row["score"].item())
        assert row["coverage"].item() == 0
        assert len(result.units) == 9

    def test_locf_carries_a_missing_region_forward_flagged_as_imputed(self) -> None:
        result = scm.roll_up(PANEL, one(), method="minmax", missing="locf")
        z = result.scores.query("region == 'z' and year == 2025").set_index("level")
        assert z.loc["indicator", "imputed"] == 1
        assert z.loc["indicator", "coverage"] == 0
        assert np.isnan(z.loc["index", "score"])  # observed coverage 0 is below min_coverage
        counted = scm.roll_up(PANEL, one(), method="minmax", missing="locf", count_imputed=True)
        assert counted.wide("index").loc[("z", 2025), "index"] == pytest.approx(100)
        cell = counted.data.query("region == 'z' and year == 2025")
        assert cell[["value", "imputed", "imputation"]].to_numpy().tolist() == [[5.0, True, "locf"]]

    def test_the_province_sees_the_missing_region(self) -> None:
        result = scm.roll_up_province(PANEL, one(), method="minmax", missing="locf")
        province = result.province.set_index("year")
        assert province.loc[2025, "coverage"] == pytest.approx(2 / 3)
        assert "z" in result.blockers(2025)["region"].tolist()
        assert result.levels.set_index("year").loc[2025, "share_at_next"] <= 2 / 3

    def test_years_and_regions_define_the_grid(self) -> None:
        with pytest.warns(scm.ScoringWarning, match=r"no observation at all for regions 'w'"):
            result = scm.roll_up(PANEL, one(), method="minmax", regions=["x", "y", "z", "w"], years=[2024, 2025, 2026])
        assert len(result.units) == 12
        assert result.wide("index", "coverage").loc[("w", 2024), "index"] == 0
        assert set(result.units["year"]) == {2024, 2025, 2026}
        with pytest.raises(scm.ScoringError, match=r"unknown regions: 'z'.*not among the regions given"):
            scm.roll_up(PANEL, one(), method="minmax", regions=["x", "y"])

    def test_empty_data_is_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match="nothing to score"):
            scm.roll_up(PANEL.iloc[:0], one(), method="minmax")
        with pytest.raises(scm.ScoringError, match="nothing to score"):
            scm.roll_up(PANEL, one(), method="minmax", years=[1999])


class TestHonestCoverage:
    @pytest.mark.parametrize("missing", ["group_mean", "locf", "mean", "median", "linear", "nocb"])
    def test_imputed_values_are_not_counted_as_observed(self, missing: str) -> None:
        data = PANEL[~((PANEL["region"] == "y") & (PANEL["year"] == 2024))]
        groups = {"x": "kota", "y": "kota", "z": "kabupaten"} if missing.startswith("group") else None
        result = scm.roll_up(data, one(), method="minmax", missing=missing, groups=groups)  # type: ignore[arg-type]  # valid names
        y = result.scores.query("region == 'y' and year == 2024 and level == 'indicator'")
        assert y["coverage"].item() == 0
        assert y["imputed"].item() == 1
        assert result.data.query("imputed")["imputation"].unique().tolist()[0] == missing
        assert np.isnan(result.wide("index").loc[("y", 2024), "index"])

    def test_coverage_and_imputed_never_exceed_one(self, example_plan: scm.Masterplan) -> None:
        scores = scm.roll_up(example_plan, missing="locf", count_imputed=True).scores
        total = scores["coverage"] + scores["imputed"]
        assert (total <= 1 + 1e-12).all()
        assert (scores["imputed"] > 0).any()

    def test_groups_must_cover_every_region(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"no group for regions 'z'"):
            scm.roll_up(PANEL, one(), method="minmax", missing="group_mean", groups={"x": "a", "y": "b"})
        with pytest.raises(scm.ScoringError, match="groups= is used only"):
            scm.roll_up(PANEL, one(), method="minmax", missing="locf", groups={"x": "a"})
        with pytest.raises(scm.ScoringError, match="needs groups="):
            scm.roll_up(PANEL, one(), method="minmax", missing="group_mean")

    def test_unknown_policy_gets_a_suggestion(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"'lcf' \(did you mean 'locf'\?\)"):
            scm.roll_up(PANEL, one(), missing="lcf")  # type: ignore[arg-type]  # wrong on purpose


class TestNamesAreChecked:
    def test_province_rule_levels_follow_the_structure(self) -> None:
        result = scm.roll_up_province(PANEL, one(), method="minmax")
        assert set(result.levels["level"]) == {"index"}
        assert not result.province.empty
        with pytest.raises(scm.ScoringError, match=r"'indx' \(did you mean 'index'\?\)"):
            scm.roll_up_province(PANEL, one(), method="minmax", rule_levels=["indx"])

    def test_misspelt_direction_ids_are_refused(self) -> None:
        tree = pd.DataFrame(
            [("poverty_rate", "indicator", "all", 1.0), ("all", "overall", None, 1.0)], columns=TREE.columns
        )
        with pytest.raises(scm.ScoringError, match=r"'povrty_rate' \(did you mean 'poverty_rate'\?\)"):
            scm.Structure.from_frame(tree, ("indicator", "overall"), directions={"povrty_rate": "lower"})
        with pytest.raises(scm.ScoringError, match=r"'poverty_rate': direction 'down' is neither"):
            scm.Structure.from_frame(tree, ("indicator", "overall"), directions={"poverty_rate": "down"})

    @pytest.mark.parametrize("given", ["lower", "Lower", " LOWER ", -1, -1.0, scm.Direction.LOWER])
    def test_directions_in_any_spelling(self, given: object) -> None:
        tree = pd.DataFrame([("p", "indicator", "all", 1.0), ("all", "overall", None, 1.0)], columns=TREE.columns)
        structure = scm.Structure.from_frame(tree, ("indicator", "overall"), directions={"p": given})
        assert structure.spec("p").direction is scm.Direction.LOWER

    def test_views_name_the_levels_they_have(self) -> None:
        result = scm.roll_up(PANEL, one(), method="minmax")
        with pytest.raises(scm.ScoringError, match=r"no level 'dimension'; the levels are indicator, index"):
            result.wide("dimension")
        with pytest.raises(scm.ScoringError, match=r"no level 'dimension'"):
            result.contributions("dimension")
        with pytest.raises(scm.ScoringError, match=r"'indexx' \(did you mean 'index'\?\)"):
            scm.roll_up(PANEL, one(), aggregation={"indexx": "geometric"})  # type: ignore[dict-item]  # wrong on purpose


class TestBadRows:
    @pytest.mark.parametrize(
        ("column", "value", "message"),
        [
            ("region", np.nan, r"region missing in rows 2"),
            ("region", "  ", r"region missing in rows 2"),
            ("year", np.nan, r"year missing in rows 2"),
            ("year", 2024.5, r"years must be whole numbers: 2024\.5 \(row 2\)"),
            ("year", "2024a", r"year is not a number in rows 2"),
            ("value", "79,5", r"value is not a number in rows 2"),
            ("value", np.nan, r"value missing in rows 2"),
        ],
    )
    def test_a_bad_cell_is_named_by_its_row(self, column: str, value: object, message: str) -> None:
        data = PANEL.astype({column: object})
        data.loc[2, column] = value
        with pytest.raises(scm.ScoringError, match=message):
            scm.roll_up(data, one(), method="minmax")

    def test_every_bad_row_is_reported_at_once(self) -> None:
        data = PANEL.astype({"year": object, "region": object})
        data.loc[1, "region"] = None
        data.loc[4, "year"] = 2024.5
        with pytest.raises(scm.ScoringError, match=r"2 problems") as caught:
            scm.roll_up(data, one(), method="minmax")
        assert "region missing in rows 1" in str(caught.value)
        assert "2024.5 (row 4)" in str(caught.value)


class TestPeerMethods:
    def test_band_indicators_score_best_inside_the_band(self) -> None:
        tree = pd.DataFrame(
            [("inflation", "indicator", "all", 1.0), ("all", "overall", None, 1.0)], columns=TREE.columns
        )
        structure = scm.Structure.from_frame(
            tree, ("indicator", "overall"), directions={"inflation": "band"}, bands={"inflation": (2.0, 4.0)}
        )
        values = {"p": 0.5, "q": 3.0, "r": 6.0, "s": 2.0}
        data = pd.DataFrame(
            {"region": list(values), "year": 2024, "indicator": "inflation", "value": list(values.values())}
        )
        for method in ("minmax", "zscore", "percentile", "distance_to_max"):
            scores = scm.roll_up(data, structure, method=method).wide("indicator")["inflation"].droplevel("year")
            assert scores["q"] == scores.max(), method
            assert scores["s"] == scores["q"], method
            assert scores["r"] < scores["p"] < scores["q"], method

    def test_peer_methods_pool_the_panel_unless_asked_per_year(self) -> None:
        pooled = scm.roll_up(PANEL, one(), method="minmax").wide("indicator")["a"]
        assert pooled[("x", 2023)] == 0
        assert pooled[("z", 2024)] == 100
        assert pooled[("x", 2025)] == pytest.approx(75)
        per_year = scm.roll_up(PANEL, one(), method="minmax", scope="year").wide("indicator")["a"]
        assert per_year[("x", 2025)] == 100
        assert per_year[("z", 2023)] == 100
        assert "whole panel" in repr(scm.roll_up(PANEL, one(), method="minmax"))
        assert "each year" in repr(scm.roll_up(PANEL, one(), method="minmax", scope="year"))
        with pytest.raises(scm.ScoringError, match="scope given twice"):
            scm.roll_up(PANEL, one(), method=scm.NormaliseSpec(method="minmax", scope="year"), scope="panel")

    def test_one_region_per_year_has_no_peers(self) -> None:
        alone = PANEL[PANEL["region"] == "x"]
        with pytest.warns(scm.ScoringWarning) as caught:
            result = scm.roll_up(alone, one(), method="minmax", scope="year")
        assert "'a' in 2023 (one value)" in str(caught[0].message)
        assert "no index got a score" in str(caught[1].message)
        assert result.wide("indicator")["a"].isna().all()
        assert any("one value" in note for note in result.notes)
        pooled = scm.roll_up(alone, one(), method="minmax")
        assert pooled.wide("indicator")["a"].tolist() == [0, pytest.approx(100 / 3), 100]

    def test_minmax_to_a_range(self) -> None:
        spec = scm.NormaliseSpec(method="minmax", range=(1, 100))
        scores = scm.roll_up(PANEL, one(), method=spec).wide("indicator")["a"]
        assert scores.min() == 1
        assert scores.max() == 100
        assert scores[("y", 2023)] == pytest.approx(1 + 99 / 4)

    @pytest.mark.parametrize(
        ("spec", "expected"),
        [
            # COINr's formulas, written out: n_borda (ties min), n_prank × 100, n_fracmax × 100,
            # n_dist2max × 100, n_dist2ref × 100 (reference y in each year), n_zscore(m_sd = c(0, 1))
            (scm.NormaliseSpec(method="borda", ties="min"), [0, 2, 4, 2, 4, 7, 6, 0]),
            (
                scm.NormaliseSpec(method="percentile", ties="min"),
                [0, 200 / 7, 400 / 7, 200 / 7, 400 / 7, 100, 600 / 7, 0],
            ),
            (
                scm.NormaliseSpec(method="rank", ties="average"),
                [100 / 14, 250 / 7, 450 / 7, 250 / 7, 450 / 7, 100, 600 / 7, 100 / 14],
            ),
            (scm.NormaliseSpec(method="fraction_of_max"), [20, 40, 60, 40, 60, 100, 80, 20]),
            (scm.NormaliseSpec(method="distance_to_max"), [0, 25, 50, 25, 50, 100, 75, 0]),
            (
                scm.NormaliseSpec(method="distance_to_reference", reference="z", reference_year=2024),
                [0, 25, 50, 25, 50, 100, 75, 0],
            ),
        ],
    )
    def test_coinr_methods(self, spec: scm.NormaliseSpec, expected: list[float]) -> None:
        scores = scm.roll_up(PANEL, one(), method=spec, min_coverage=0).scores
        indicator = scores[scores["level"] == "indicator"].set_index(["region", "year"])["score"]
        ours = [indicator[(r, y)] for r, y in zip(PANEL["region"], PANEL["year"], strict=True)]
        assert ours == pytest.approx(expected)

    def test_distance_to_a_reference_in_each_year(self) -> None:
        spec = scm.NormaliseSpec(method="distance_to_reference", reference="y", scope="year", cap=False)
        with pytest.warns(scm.ScoringWarning, match=r"'a' in 2025 \(the reference is not above the worst value\)"):
            scores = scm.roll_up(PANEL, one(), method=spec).wide("indicator")["a"]
        assert scores.loc[(["x", "y", "z"], 2023)].tolist() == [0, 100, 200]
        assert scores.loc[(["x", "y", "z"], 2024)].tolist() == [0, 100, 300]
        assert scores.loc[(["x", "y"], 2025)].isna().all()
        capped = scm.roll_up(PANEL[PANEL["year"] < 2025], one(), method=spec.model_copy(update={"cap": True}))
        assert capped.wide("indicator")["a"].max() == 100

    def test_equal_values_are_not_scored_even_when_rounding_differs(self) -> None:
        thirds = PANEL.assign(value=1 / 3)
        for method in ("zscore", "minmax", "percentile"):
            with pytest.warns(scm.ScoringWarning) as caught:
                result = scm.roll_up(thirds, one(), method=method, min_coverage=0)
            assert "'a' in the panel (no spread)" in str(caught[0].message)
            assert result.wide("indicator")["a"].isna().all()

    def test_a_reference_missing_in_one_year_blanks_that_year_only(self) -> None:
        data = PANEL[~((PANEL["region"] == "y") & (PANEL["year"] == 2024))]
        spec = scm.NormaliseSpec(method="distance_to_reference", reference="y")
        with pytest.warns(scm.ScoringWarning, match=r"'a' in 2024 \(the reference has no value\)"):
            scores = scm.roll_up(data, one(), method=spec, min_coverage=0).wide("indicator")["a"]
        assert scores.loc[(["x", "z"], 2024)].isna().all()
        assert scores.loc[("z", 2023)] == 100

    def test_zscore_settings(self) -> None:
        values = PANEL["value"].to_numpy()
        z = (values - values.mean()) / values.std(ddof=1)
        spec = scm.NormaliseSpec(method="zscore", mean=0, sd=1, clip=False)
        scores = scm.roll_up(PANEL, one(), method=spec, min_coverage=0).scores
        indicator = scores[scores["level"] == "indicator"].set_index(["region", "year"])["score"]
        assert [indicator[(r, y)] for r, y in zip(PANEL["region"], PANEL["year"], strict=True)] == pytest.approx(z)

    def test_distance_to_target_uses_each_indicators_target(self) -> None:
        frame = ONE.assign(target=[4.0, np.nan])
        structure = scm.Structure.from_frame(frame, ("indicator", "index"))
        scores = scm.roll_up(PANEL, structure, method="distance_to_target").wide("indicator")["a"]
        assert scores[("x", 2024)] == pytest.approx(100 / 3)
        assert scores[("z", 2024)] == 100
        with pytest.raises(scm.ScoringError, match="needs a target for every indicator; none for a"):
            scm.roll_up(PANEL, one(), method="distance_to_target")

    def test_fraction_of_max_refuses_what_it_cannot_score(self) -> None:
        negative = PANEL.assign(value=PANEL["value"] - 3)
        with pytest.raises(scm.ScoringError, match="values >= 0"):
            scm.roll_up(negative, one(), method="fraction_of_max")

    def test_reference_must_be_a_region_of_the_data(self) -> None:
        spec = scm.NormaliseSpec(method="distance_to_reference", reference="kota-padangg")
        data = PANEL.replace({"x": "kota-padang"})
        with pytest.raises(scm.ScoringError, match=r"'kota-padangg' \(did you mean 'kota-padang'\?\)"):
            scm.roll_up(data, one(), method=spec)
        with pytest.raises(ValueError, match="needs a reference region"):
            scm.NormaliseSpec(method="distance_to_reference")

    def test_unknown_method_gets_a_suggestion(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"'minmx' \(did you mean 'minmax'\?\)"):
            scm.roll_up(PANEL, one(), method="minmx")


class TestMeansOfPositives:
    def test_geometric_refuses_a_zero_naming_region_year_and_node(self) -> None:
        with pytest.raises(
            scm.ScoringError, match=r"index 'index' in region 'x', 2023: indicator 'a' scores 0"
        ) as caught:
            scm.roll_up(PANEL, one(), method="minmax", aggregation="geometric")
        assert "range=(1, 100)" in str(caught.value)

    def test_a_range_above_zero_is_the_cure(self) -> None:
        spec = scm.NormaliseSpec(method="minmax", range=(1, 100))
        result = scm.roll_up(PANEL, one(), method=spec, aggregation="geometric")
        assert result.wide("index")["index"].min() == pytest.approx(1)

    def test_power_mean_between_its_limits(self) -> None:
        assert _agg([20, 80], [1, 1], "power", power=1)[0] == pytest.approx(50)
        assert _agg([20, 80], [1, 1], "power", power=2)[0] == pytest.approx(np.sqrt((400 + 6400) / 2))
        assert _agg([20, 80], [1, 1], "power", power=-1)[0] == pytest.approx(_agg([20, 80], [1, 1], "harmonic")[0])
        assert _agg([20, 80], [1, 1], "power", power=1e-9)[0] == pytest.approx(40, rel=1e-6)
        with pytest.raises(scm.ScoringError, match="power=0 is the limit of the geometric mean"):
            _agg([20, 80], [1, 1], "power", power=0)
        with pytest.raises(scm.ScoringError, match="needs power="):
            _agg([20, 80], [1, 1], "power")
        with pytest.raises(scm.ScoringError, match="power= is used only"):
            scm.roll_up(PANEL, one(), method="minmax", power=2)

    @settings(max_examples=60, deadline=None)
    @given(
        power=st.sampled_from([-1e5, -300.0, -40.0, -2.5, 0.3, 3.0, 40.0, 300.0, 1e6]),
        seed=st.integers(0, 2**32 - 1),
    )
    def test_power_mean_of_extreme_powers_equals_its_log_sum_exp(self, power: float, seed: int) -> None:
        """No power overflows or underflows into a wrong mean: scores of two parents, far apart, with gaps."""
        rng = np.random.default_rng(seed)
        scores = rng.uniform(0.5, 100, (12, 6)) * np.repeat([1.0, 0.02], 3)
        scores[rng.random(scores.shape) < 0.25] = np.nan
        membership = np.zeros((6, 2))
        membership[:3, 0], membership[3:, 1] = rng.uniform(0.5, 2, 3), rng.uniform(0.5, 2, 3)
        found = aggregate(scores, (~np.isnan(scores)).astype(float), membership, "power", 0.0, power=power).score
        for parent, children in enumerate((slice(0, 3), slice(3, 6))):
            x, w = scores[:, children], membership[children, parent]
            present = ~np.isnan(x)
            logs = np.where(present, power * np.log(np.where(present, x, 1.0)), -np.inf)
            top = logs.max(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                total = np.log((np.where(present, w, 0.0) * np.exp(logs - top)).sum(axis=1)) + top[:, 0]
                expected = np.exp((total - np.log((present * w).sum(axis=1))) / power)
            expected = np.where(present.any(axis=1), expected, np.nan)
            np.testing.assert_allclose(found[:, parent], expected, rtol=1e-9, equal_nan=True)


class TestWeights:
    def test_weight_zero_excludes_a_node(self) -> None:
        tree = TREE.copy()
        tree.loc[tree["node"] == "a2", "weight"] = 0
        tree.loc[tree["node"] == "eb", "weight"] = 0
        base = scm.Structure.from_frame(tree, LEVELS)
        spec = IndicatorSpec(normalisation=scm.Goalposts(min=0, max=100))
        goal = scm.Structure(base.levels, base.nodes, dict.fromkeys(INDICATORS, spec))
        assert goal.excluded == {"a2", "eb", "b1", "b2"}
        assert "4 excluded (weight 0)" in repr(goal)
        result = scm.roll_up(table({"a1": 20, "a2": 60, "b1": 40, "b2": 80, "c1": 30, "c2": 90}), goal)
        by_node = result.scores.set_index("node")["score"]
        assert by_node["ea"] == 20
        assert by_node["d1"] == 20
        assert by_node["top"] == pytest.approx((2 * 20 + 50) / 3)
        assert set(result.contributions()["indicator"]) == {"a1", "c1", "c2"}
        assert "nodes excluded (weight 0)" in repr(result)

    def test_children_all_weight_zero_is_refused(self) -> None:
        tree = TREE.copy()
        tree.loc[tree["node"].isin(["a1", "a2"]), "weight"] = 0
        with pytest.raises(scm.ScoringError, match="every child of 'ea' has weight 0"):
            scm.Structure.from_frame(tree, LEVELS)

    def test_every_structure_problem_at_once(self) -> None:
        tree = TREE.copy()
        tree.loc[0, "weight"] = -1
        tree.loc[1, "parent"] = "eaa"
        tree.loc[2, "level"] = "indikator"
        with pytest.raises(scm.ScoringError, match="3 problems") as caught:
            scm.Structure.from_frame(tree, LEVELS)
        message = str(caught.value)
        assert "'indikator' (did you mean 'indicator'?)" in message
        assert "a2 (parent 'eaa' (did you mean 'ea'?))" in message
        assert "negative weights" in message


def test_no_numpy_warning_escapes() -> None:
    data = pd.concat([PANEL, pd.DataFrame([("x", 2024, "b", 1.0)], columns=PANEL.columns)], ignore_index=True)
    tree = pd.DataFrame(
        [("a", "indicator", "index", 1.0), ("b", "indicator", "index", 1.0), ("index", "index", None, 1.0)],
        columns=TREE.columns,
    )
    structure = scm.Structure.from_frame(tree, ("indicator", "index"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for method in ("minmax", "zscore", "percentile", "borda", "fraction_of_max", "distance_to_max"):
            for scope in ("panel", "year"):
                for missing in ("coverage", "mean", "median", "linear"):
                    scm.roll_up(data, structure, method=method, scope=scope, missing=missing, min_coverage=0)  # type: ignore[arg-type]  # valid names
    assert caught
    assert {type(w.message) for w in caught} == {scm.ScoringWarning}


def test_results_print_in_a_few_lines(example_plan: scm.Masterplan) -> None:
    result = scm.roll_up(example_plan, missing="locf")
    province = scm.roll_up_province(PANEL, one(), method="minmax")
    for shown in (repr(result), repr(province), repr(result.structure), repr(result.panel)):
        assert len(shown.splitlines()) <= 8
        assert len(shown) < 1000
    assert "1 region × 6 years (2019–2024)" in repr(result)
    assert "observed" in repr(result)


tidy_rows = st.lists(
    st.tuples(
        st.sampled_from(["x", "y", "z", "w"]),
        st.integers(2019, 2024),
        st.sampled_from(INDICATORS),
        st.floats(-1e6, 1e6, allow_subnormal=False),
    ),
    min_size=1,
    max_size=60,
    unique_by=lambda row: row[:3],
)


@settings(max_examples=60, deadline=None)
@given(rows=tidy_rows)
def test_a_tidy_table_round_trips_through_the_grid(rows: list[tuple[str, int, str, float]]) -> None:
    data = pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])
    panel = scm.scoring.Panel.from_table(data, indicators=INDICATORS)
    assert panel.shape == (data["region"].nunique(), data["year"].nunique(), len(INDICATORS))
    back = panel.to_table().set_index(["region", "year", "indicator"])["value"]
    assert (
        back.sort_index().to_dict() == data.set_index(["region", "year", "indicator"])["value"].sort_index().to_dict()
    )
    assert not panel.to_table()["imputed"].any()


@settings(max_examples=60, deadline=None)
@given(
    rows=tidy_rows,
    missing=st.sampled_from(["coverage", "locf", "nocb", "linear", "mean", "median"]),
    method=st.sampled_from(["minmax", "percentile", "zscore", "distance_to_max"]),
    scope=st.sampled_from(["panel", "year"]),
    count_imputed=st.booleans(),
)
def test_coverage_and_imputed_shares_are_honest(
    *, rows: list[tuple[str, int, str, float]], missing: str, method: str, scope: str, count_imputed: bool
) -> None:
    data = pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scm.ScoringWarning)
        result = scm.roll_up(
            data,
            structure(),
            method=method,
            scope=scope,
            missing=missing,
            count_imputed=count_imputed,  # type: ignore[arg-type]  # valid names
        )
    scores = result.scores
    assert len(scores) == result.units.shape[0] * len(TREE)
    assert scores["coverage"].between(0, 1 + 1e-12).all()
    assert scores["imputed"].between(0, 1 + 1e-12).all()
    assert (scores["coverage"] + scores["imputed"] <= 1 + 1e-12).all()
    leaves = scores[scores["level"] == "indicator"].set_index(["region", "year", "node"])
    observed = set(data.itertuples(index=False, name=None))
    observed_cells = {(r, y, i) for r, y, i, _ in observed}
    for key, row in leaves.iterrows():
        if np.isnan(row["score"]):
            continue
        assert row["coverage"] == (1.0 if key in observed_cells else 0.0)
        assert row["imputed"] == (0.0 if key in observed_cells else 1.0)
    counted = scores["coverage"] + (scores["imputed"] if count_imputed else 0)
    scored_aggregates = (scores["level"] != "indicator") & scores["score"].notna()
    assert (counted[scored_aggregates] >= 0.65 - 1e-12).all()


class TestMisreadInput:
    def test_dates_are_not_years(self) -> None:
        dated = PANEL.assign(year=pd.to_datetime(PANEL["year"].astype(str)))
        with pytest.raises(scm.ScoringError, match=r"years are dates .*\.dt\.year"):
            scm.roll_up(dated, one(), method="minmax")
        periods = PANEL.assign(year=pd.PeriodIndex(PANEL["year"].astype(str), freq="Y"))
        with pytest.raises(scm.ScoringError, match="years are dates"):
            scm.roll_up(periods, one(), method="minmax")
        with pytest.raises(scm.ScoringError, match=r"between 1000 and 9999: 1e\+20 \(row 0\)"):
            scm.roll_up(PANEL.assign(year=[1e20, *PANEL["year"][1:]]), one(), method="minmax")

    def test_values_that_cannot_be_scored(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"1e\+150 or more cannot be scored reliably, in rows 3"):
            scm.roll_up(PANEL.assign(value=[1, 2, 3, 1e300, 3, 5, 4, 1.0]), one(), method="zscore")
        with pytest.raises(scm.ScoringError, match="complex numbers"):
            scm.roll_up(PANEL.assign(value=PANEL["value"] + 1j), one(), method="minmax")

    def test_an_imputed_column_read_from_a_csv(self) -> None:
        flags = PANEL.assign(imputed=[1.0, np.nan, 0, 1, np.nan, 0, 0, 0])
        result = scm.roll_up(flags, one(), method="minmax", count_imputed=True)
        assert result.data["imputed"].sum() == 2
        assert set(result.data.loc[result.data["imputed"], "imputation"]) == {"given"}
        nullable = PANEL.assign(imputed=pd.array([True, None, False, True, None, False, False, False], dtype="boolean"))
        assert scm.roll_up(nullable, one(), method="minmax").data["imputed"].sum() == 2
        with pytest.raises(scm.ScoringError, match=r"'imputed' must be true or false \(1 or 0\), not 2"):
            scm.roll_up(PANEL.assign(imputed=2), one(), method="minmax")

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"years": 2024}, r"years= must be a list of years"),
            ({"regions": "x"}, r"regions= must be a list of region ids"),
            ({"aggregation": "power", "power": "2"}, r"needs power=p, a finite number"),
            ({"count_imputed": "no"}, r"count_imputed must be True or False, not 'no'"),
            ({"nonpositive": "zero"}, r"nonpositive= is used only by geometric, harmonic and power means"),
            ({"scale": "spbee"}, r"unknown readiness scale 'spbee' \(did you mean 'spbe'\?\)"),
        ],
    )
    def test_arguments_of_the_wrong_kind(self, options: dict[str, Any], message: str) -> None:
        with pytest.raises(scm.ScoringError, match=message):
            scm.roll_up(PANEL, one(), method="minmax", **options)

    def test_a_listed_region_that_looks_like_a_typo_is_named(self) -> None:
        named = PANEL.replace({"region": {"x": "kota-padang", "y": "agam", "z": "solok"}})
        listed = ["kota-padang", "agam", "solok", "agaam", "kota-baru"]
        with pytest.warns(
            scm.ScoringWarning, match=r"for regions 'agaam' \(did you mean 'agam'\?\), 'kota-baru'; they are"
        ):
            result = scm.roll_up(named, one(), method="minmax", regions=listed)
        coverage = result.wide("index", "coverage")
        assert coverage.loc[("agaam", 2024), "index"] == 0
        assert coverage.loc[("kota-baru", 2024), "index"] == 0

    def test_settings_a_method_does_not_use_are_refused(self) -> None:
        with pytest.raises(ValueError, match="zscore does not use range; its settings are clip, mean, sd"):
            scm.NormaliseSpec(method="zscore", range=(1, 100))
        with pytest.raises(ValueError, match="minmax does not use cap, reference"):
            scm.NormaliseSpec(method="minmax", reference="x", cap=False)
        assert "peers: each year" in scm.NormaliseSpec(scope="year").describe()

    def test_bands_and_targets_are_checked(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"'a': a band is given but its direction is 'higher'"):
            scm.Structure.from_frame(ONE, ("indicator", "index"), bands={"a": (1, 2)})
        with pytest.raises(scm.ScoringError, match=r"'a': the band \(4, 2\) needs low <= high"):
            scm.Structure.from_frame(ONE, ("indicator", "index"), directions={"a": "band"}, bands={"a": (4, 2)})
        with pytest.raises(scm.ScoringError, match=r"'a': the target and band must be numbers"):
            scm.Structure.from_frame(ONE, ("indicator", "index"), targets={"a": "high"})


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        (scm.NormaliseSpec(method="borda"), "borda scores count the regions beaten"),
        (scm.NormaliseSpec(method="minmax", range=(0, 1)), r"min-max to the range \(0\.0, 1\.0\) does not end"),
        (scm.NormaliseSpec(method="zscore", mean=0, sd=1, clip=False), r"scores run from -1\.154 to 1\.687"),
        (
            scm.NormaliseSpec(method="distance_to_reference", reference="z", reference_year=2023, cap=False),
            "scores run from 0 to 200",
        ),
    ],
)
def test_readiness_levels_need_scores_on_0_100(spec: scm.NormaliseSpec, reason: str) -> None:
    result = scm.roll_up(PANEL, one(), method=spec, min_coverage=0)
    with pytest.raises(scm.ScoringError, match=f"readiness levels are bands of 0–100 scores, but {reason}"):
        result.readiness()
    with pytest.raises(scm.ScoringError, match="readiness levels are bands of 0–100 scores"):
        scm.roll_up_province(PANEL, one(), method=spec, min_coverage=0)


def test_a_structure_column_named_like_a_known_one_is_not_ignored() -> None:
    coinr_style = ONE.assign(Direction=[-1, None])
    with pytest.raises(scm.ScoringError, match=r"columns 'Direction' \(did you mean 'direction'\?\) would be ignored"):
        scm.Structure.from_frame(coinr_style, ("indicator", "index"))
    labelled = ONE.assign(name=["Kemiskinan", "Indeks"])
    assert scm.Structure.from_frame(labelled, ("indicator", "index")).indicators == ("a",)


def test_options_for_the_roll_up_are_checked_by_name(example_plan: scm.Masterplan) -> None:
    with pytest.raises(scm.ScoringError, match=r"unknown options 'min_coverag' \(did you mean 'min_coverage'\?\)"):
        scm.roll_up_province(PANEL, one(), method="minmax", min_coverag=0.5)
    with pytest.raises(scm.ScoringError, match=r"unknown options 'misssing' \(did you mean 'missing'\?\)"):
        scm.plan_vs_actual(example_plan, misssing="locf")
