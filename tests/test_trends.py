"""Trends and comparisons of roll-up results: growth, change between two years, two results side by side."""

from __future__ import annotations

import math
import statistics
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import smartcity_model as scm
from smartcity_model.analysis.trends import (
    CHANGE_COLUMNS,
    GROWTH_COLUMNS,
    SUMMARY_COLUMNS,
    change,
    compare,
    compare_summary,
    growth,
)
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr
from smartcity_model.scoring.structure import ScoringError, ScoringWarning

ROOT = Path(__file__).parents[1]
PANEL = Path(__file__).parent / "data" / "asem" / "ASEM_iData_p.csv"
META = ROOT / "examples" / "asem" / "ASEM_iMeta.csv"
LEVELS = ("indicator", "pillar", "sub-index", "index")


def _frame(rows: list[tuple[object, ...]], level: str = "dimension") -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "year", "node", "score"]).assign(level=level)


def _rank_min(scores: dict[str, float]) -> dict[str, int]:
    """Rank 1 for the highest score, ties sharing the best rank: 1 + how many score strictly higher."""
    return {r: 1 + sum(other > s for other in scores.values()) for r, s in scores.items()}


# growth ------------------------------------------------------------------------------------------


def test_growth_gives_the_compound_rate_and_the_least_squares_slope() -> None:
    frame = _frame(
        [
            ("a", 2019, "x", 40.0),
            ("a", 2020, "x", 44.0),
            ("a", 2022, "x", 50.0),
            ("b", 2019, "x", 80.0),
            ("b", 2020, "x", 70.0),
            ("b", 2021, "x", 75.0),
        ]
    )
    table = growth(frame).set_index("region")
    assert list(table.reset_index().columns) == list(GROWTH_COLUMNS)
    a, b = table.loc["a"], table.loc["b"]
    assert (a["first_year"], a["last_year"], a["first"], a["last"], a["years"]) == (2019, 2022, 40.0, 50.0, 3)
    assert a["cagr"] == pytest.approx(math.pow(50 / 40, 1 / 3) - 1, rel=1e-12)
    assert a["slope"] == pytest.approx(statistics.linear_regression([2019, 2020, 2022], [40, 44, 50]).slope)
    assert b["cagr"] == pytest.approx(math.pow(75 / 80, 1 / 2) - 1, rel=1e-12)
    assert b["slope"] == pytest.approx(statistics.linear_regression([2019, 2020, 2021], [80, 70, 75]).slope)
    assert a["level"] == "dimension"
    assert a["node"] == "x"


def test_growth_runs_from_the_first_to_the_last_year_with_a_score_inside_the_window() -> None:
    frame = _frame(
        [
            ("a", 2018, "x", 10.0),
            ("a", 2019, "x", float("nan")),
            ("a", 2020, "x", 20.0),
            ("a", 2021, "x", 30.0),
            ("a", 2022, "x", 90.0),
        ]
    )
    whole = growth(frame).iloc[0]
    assert (whole["first_year"], whole["last_year"], whole["years"]) == (2018, 2022, 4)
    assert whole["cagr"] == pytest.approx(math.pow(9, 1 / 4) - 1)
    window = growth(frame, start=2019, end=2021).iloc[0]
    assert (window["first_year"], window["last_year"], window["years"]) == (2020, 2021, 2)
    assert window["cagr"] == pytest.approx(0.5)
    assert window["slope"] == pytest.approx(10.0)


def test_growth_of_one_level_only() -> None:
    frame = pd.concat(
        [
            _frame([("a", 2020, "x", 1.0), ("a", 2021, "x", 2.0)], "dimension"),
            _frame([("a", 2020, "all", 4.0), ("a", 2021, "all", 5.0)], "overall"),
        ]
    )
    assert growth(frame)["node"].tolist() == ["x", "all"]
    only = growth(frame, level="overall")
    assert only["node"].tolist() == ["all"]
    assert only["cagr"].iloc[0] == pytest.approx(0.25)


def test_an_undefined_growth_rate_is_nan_and_said() -> None:
    frame = _frame(
        [
            ("a", 2020, "x", 0.0),
            ("a", 2021, "x", 10.0),
            ("b", 2020, "x", 5.0),
            ("b", 2021, "x", -1.0),
            ("c", 2020, "x", 5.0),
            ("c", 2021, "x", 0.0),
        ]
    )
    with pytest.warns(ScoringWarning, match=r"^2 compound growth rates are undefined .*: a/x, b/x$"):
        table = growth(frame).set_index("region")
    assert math.isnan(table.loc["a", "cagr"])
    assert math.isnan(table.loc["b", "cagr"])
    assert table.loc["a", "slope"] == pytest.approx(10.0)
    assert table.loc["c", "cagr"] == pytest.approx(-1.0)  # falling to 0 is a loss of 100 %


def test_too_few_years_give_nan_and_are_counted() -> None:
    frame = _frame(
        [
            ("a", 2020, "x", 1.0),
            ("b", 2020, "x", 1.0),
            ("b", 2021, "x", 2.0),
            ("c", 2019, "x", 1.0),
            ("c", 2020, "x", 2.0),
            ("c", 2021, "x", 4.0),
            ("d", 2020, "x", float("nan")),
        ]
    )
    with pytest.warns(ScoringWarning, match=r"^2 region/node pairs have fewer than 2 years .*: a/x, d/x$"):
        table = growth(frame).set_index("region")
    assert table[["cagr", "slope"]].loc[["a", "d"]].isna().all().all()
    assert table.loc["d", "years"] == 0
    assert pd.isna(table.loc["d", "first_year"])
    assert table.loc["b", "cagr"] == pytest.approx(1.0)
    with pytest.warns(ScoringWarning, match=r"^3 region/node pairs have fewer than 3 years .*: a/x, b/x, d/x$"):
        strict = growth(frame, min_years=3).set_index("region")
    assert math.isnan(strict.loc["b", "cagr"])
    assert strict.loc["c", "cagr"] == pytest.approx(1.0)


def test_growth_reads_an_observation_table_with_float_years() -> None:
    data = pd.DataFrame(
        {
            "region": ["a", "a"],
            "year": [2020.0, 2022.0],
            "indicator": ["poverty", "poverty"],
            "value": [8.0, 6.0],
        }
    )
    row = growth(data).iloc[0]
    assert (row["level"], row["node"], row["first_year"], row["last_year"]) == ("indicator", "poverty", 2020, 2022)
    assert row["cagr"] == pytest.approx(math.sqrt(6 / 8) - 1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: growth(_frame([]).iloc[:0]), r"source: the table of scores is empty"),
        (lambda: growth(pd.DataFrame({"region": ["a"], "year": [2020]})), r"missing: node, score"),
        (lambda: growth([1, 2]), r"source must be a roll-up result or a table of scores, not list"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0)]), level="dimensions"), r"did you mean 'dimension'"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0)]), min_years=1), r"min_years must be .* at least 2, not 1"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0)]), start=2021, end=2020), r"start 2021 is after end 2020"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0)]), start=2025), r"no scores between 2025 and …"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0)]), start="2020"), r"start must be a year"),
        (lambda: growth(_frame([("a", 2020, "x", 1.0), ("a", 2020, "x", 2.0)])), r"2 rows repeat .* 'a', 2020, 'x'"),
        (lambda: growth(_frame([("a", 2020.5, "x", 1.0)])), r"years must be whole numbers: 2020.5"),
        (lambda: growth(_frame([("a", 2020, "x", "high")])), r"scores must be numbers: 'high'"),
        (lambda: growth(_frame([(None, 2020, "x", 1.0)])), r"1 row has no region, level or node"),
    ],
)
def test_growth_refuses_what_it_cannot_read(call, match) -> None:
    with pytest.raises(scm.ScoringError, match=match):
        call()


# change ------------------------------------------------------------------------------------------


def test_change_gives_score_and_rank_changes_between_two_years() -> None:
    before = {"a": 40.0, "b": 50.0, "c": 50.0, "d": 0.0, "e": -20.0}
    after = {"a": 60.0, "b": 45.0, "c": 50.0, "d": 10.0, "e": -10.0}
    frame = _frame([(r, 2020, "x", s) for r, s in before.items()] + [(r, 2022, "x", s) for r, s in after.items()])
    table = change(frame, 2020, 2022).set_index("region")
    assert list(table.reset_index().columns) == list(CHANGE_COLUMNS)
    rank_before, rank_after = _rank_min(before), _rank_min(after)
    assert rank_before == {"a": 3, "b": 1, "c": 1, "d": 4, "e": 5}
    for region, score in before.items():
        row = table.loc[region]
        assert row["score_first"] == score
        assert row["score_second"] == after[region]
        assert row["change"] == after[region] - score
        assert row["rank_first"] == rank_before[region]
        assert row["rank_second"] == rank_after[region]
        assert row["rank_change"] == rank_before[region] - rank_after[region]
    assert table.loc["a", "change_pct"] == pytest.approx(50.0)
    assert table.loc["b", "change_pct"] == pytest.approx(-10.0)
    assert math.isnan(table.loc["d", "change_pct"])  # from 0: no percentage
    assert table.loc["e", "change_pct"] == pytest.approx(50.0)  # up from below 0 is a rise


def test_change_keeps_a_region_scored_in_one_year_only() -> None:
    frame = _frame([("a", 2020, "x", 1.0), ("a", 2021, "x", 2.0), ("b", 2021, "x", 3.0)])
    table = change(frame, 2020, 2021).set_index("region")
    assert math.isnan(table.loc["b", "score_first"])
    assert pd.isna(table.loc["b", "rank_change"])
    assert table.loc["a", "rank_change"] == -1


@pytest.mark.parametrize(
    ("year", "match"),
    [
        (2017, r"no scores for the year 2017 \(the closest is 2018\); the years are 2018, 2020$"),
        ("2020", r"no scores for the year '2020' \(did you mean '2020'\?\)"),
    ],
)
def test_change_refuses_a_year_without_scores(year, match) -> None:
    frame = _frame([("a", 2018, "x", 1.0), ("a", 2020, "x", 2.0)])
    with pytest.raises(scm.ScoringError, match=match):
        change(frame, year, 2020)


# compare -----------------------------------------------------------------------------------------


def test_compare_puts_two_results_side_by_side_and_names_what_only_one_has() -> None:
    plan = _frame([("a", 2024, "x", 60.0), ("b", 2024, "x", 50.0), ("a", 2024, "y", 1.0)])
    actual = _frame([("a", 2024, "x", 55.0), ("b", 2024, "x", 58.0), ("d", 2024, "x", 70.0)])
    with pytest.warns(
        ScoringWarning,
        match=r"^2 rows are in only one of plan and actual.*; regions only in actual: d; nodes only in plan: y$",
    ):
        table = compare(plan, actual, labels=("plan", "actual"))
    assert list(table.columns) == [
        "region",
        "year",
        "level",
        "node",
        "score_plan",
        "score_actual",
        "difference",
        "rank_plan",
        "rank_actual",
        "rank_change",
    ]
    x = table[table["node"] == "x"].set_index("region")
    assert x["difference"].to_dict() == pytest.approx({"a": -5.0, "b": 8.0, "d": float("nan")}, nan_ok=True)
    assert x["rank_plan"].tolist()[:2] == [1, 2]
    assert x["rank_actual"].tolist() == [3, 2, 1]  # ranked among the actual's own regions
    assert x.loc["a", "rank_change"] == -2
    assert pd.isna(x.loc["d", "rank_plan"])
    y = table[table["node"] == "y"].iloc[0]
    assert math.isnan(y["score_actual"])
    assert y["score_plan"] == 1.0


def test_compare_of_one_year_and_one_level() -> None:
    a = pd.concat(
        [
            _frame([("a", 2023, "x", 1.0), ("a", 2024, "x", 2.0)], "dimension"),
            _frame([("a", 2024, "all", 3.0)], "overall"),
        ]
    )
    table = compare(a, a.assign(score=a["score"] * 2), level="dimension", year=2024)
    assert table[["year", "node", "score_a", "score_b", "difference"]].to_numpy().tolist() == [
        [2024, "x", 2.0, 4.0, 2.0]
    ]


@pytest.mark.parametrize(
    ("options", "match"),
    [
        ({"labels": ("same", "same")}, r"labels must be two different"),
        ({"labels": ("change", "b")}, r"other than 'change'"),
        ({"labels": ("a",)}, r"labels must be"),
        ({"level": "overall"}, r"^b: no level 'overall'; the levels are dimension$"),
        ({"year": 2023}, r"^b: no scores for the year 2023 \(the closest is 2024\); the years are 2024$"),
    ],
)
def test_compare_refuses_labels_levels_and_years_it_cannot_use(options, match) -> None:
    a = pd.concat(
        [
            _frame([("a", 2023, "x", 1.0), ("a", 2024, "x", 2.0)], "dimension"),
            _frame([("a", 2023, "all", 3.0)], "overall"),
        ]
    )
    b = _frame([("a", 2024, "x", 2.0)], "dimension")
    with pytest.raises(scm.ScoringError, match=match):
        compare(a, b, **options)


def test_compare_summary_gives_rank_changes_and_spearman_per_node() -> None:
    a_scores = {"p": 1.0, "q": 2.0, "r": 3.0, "s": 4.0, "t": 5.0}
    b_scores = {"p": 2.0, "q": 1.0, "r": 3.0, "s": 5.0, "t": 4.0}
    a = _frame([(r, 2024, "x", s) for r, s in a_scores.items()] + [("p", 2024, "y", 1.0), ("q", 2024, "y", 2.0)])
    b = _frame([(r, 2024, "x", s) for r, s in b_scores.items()] + [("p", 2024, "y", 7.0), ("q", 2024, "y", 7.0)])
    summary = compare_summary(compare(a, b)).set_index("node")
    assert list(summary.reset_index().columns) == ["node", *[c for c in SUMMARY_COLUMNS if c != "node"]]
    # no ties: ρ = 1 − 6 Σd² / (n (n² − 1)), d the rank differences
    ranks_a, ranks_b = _rank_min(a_scores), _rank_min(b_scores)
    moves = [abs(ranks_a[r] - ranks_b[r]) for r in a_scores]
    rho = 1 - 6 * sum(m * m for m in moves) / (5 * (25 - 1))
    x = summary.loc["x"]
    assert x["regions"] == 5
    assert x["spearman"] == pytest.approx(rho)
    assert x["mean_abs_rank_change"] == pytest.approx(sum(moves) / 5)
    assert x["max_abs_rank_change"] == max(moves)
    assert x["mean_difference"] == pytest.approx(0.0)
    assert math.isnan(summary.loc["y", "spearman"])  # a constant score ranks nothing
    assert summary.loc["y", "mean_difference"] == pytest.approx(5.5)


def test_compare_summary_counts_only_regions_both_score_and_matches_scipy_with_ties() -> None:
    a = _frame([("p", 2024, "x", 1.0), ("q", 2024, "x", 2.0), ("r", 2024, "x", 2.0), ("s", 2024, "x", 4.0)])
    b = _frame([("p", 2024, "x", 3.0), ("q", 2024, "x", 1.0), ("r", 2024, "x", 2.0), ("s", 2024, "x", 2.0)])
    b = pd.concat([b, _frame([("z", 2024, "x", 9.0)])])
    with pytest.warns(ScoringWarning, match=r"regions only in b: z"):
        table = compare(a, b)
    row = compare_summary(table).iloc[0]
    assert row["regions"] == 4
    assert row["spearman"] == pytest.approx(stats.spearmanr([1, 2, 2, 4], [3, 1, 2, 2]).statistic)


def test_compare_summary_refuses_another_table() -> None:
    with pytest.raises(scm.ScoringError, match=r"needs the table compare returns .*; the columns are region, year"):
        compare_summary(pd.DataFrame({"region": ["a"], "year": [2020]}))


# real roll-ups -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def asem_panel() -> tuple[scm.RollUp, scm.RollUp]:
    structure = structure_from_coinr(pd.read_csv(META), LEVELS)
    data = tidy_from_coinr(pd.read_csv(PANEL), structure)
    whole = scm.roll_up(data, structure, method="minmax")
    yearly = scm.roll_up(data, structure, method="minmax", scope="year")
    return whole, yearly


def _by_year(result: scm.RollUp) -> pd.DataFrame:
    """The index of every region (rows) in every year (columns), from the roll-up's wide table."""
    return result.wide("index").reset_index().pivot_table(index="region", columns="year", values="Index", dropna=False)


def test_growth_of_the_asem_panel_index_matches_its_wide_table(asem_panel: tuple[scm.RollUp, scm.RollUp]) -> None:
    result, _yearly = asem_panel
    with pytest.warns(ScoringWarning, match=r"^1 region/node has fewer than 2 years .*: BRN/Index$"):
        table = growth(result, level="index").set_index("region")
    wide = _by_year(result)
    assert len(table) == 51
    for region, row in wide.iterrows():
        present = row.dropna()
        if len(present) < 2:
            assert math.isnan(table.loc[region, "cagr"])
            continue
        years, values = present.index.to_numpy(), present.to_numpy()
        expected = (values[-1] / values[0]) ** (1 / (years[-1] - years[0])) - 1
        assert table.loc[region, "cagr"] == pytest.approx(expected, rel=1e-12)
        assert table.loc[region, "slope"] == pytest.approx(np.polyfit(years, values, 1)[0], rel=1e-9, abs=1e-12)


def test_change_and_compare_of_the_asem_panel(asem_panel: tuple[scm.RollUp, scm.RollUp]) -> None:
    whole, yearly = asem_panel
    wide = _by_year(whole)
    moved = change(whole, 2018, 2022, level="index").set_index("region")
    expected = wide[2018].rank(ascending=False, method="min") - wide[2022].rank(ascending=False, method="min")
    both = expected.dropna()
    assert len(both) == 50
    assert (moved.loc[both.index, "rank_change"].astype(int) == both.astype(int)).all()
    assert (moved["rank_change"] != 0).any()
    table = compare(whole, yearly, labels=("panel", "year"))
    # min-max per year is monotone within a year: indicator ranks stay, aggregates may move
    indicators = table[table["level"] == "indicator"]
    assert (indicators["rank_change"].dropna() == 0).all()
    assert (table.loc[table["level"] == "index", "difference"].abs() > 1e-6).any()
    summary = compare_summary(table)
    index = summary[summary["level"] == "index"].set_index("year")
    for year in (2018, 2022):
        scores = table[(table["level"] == "index") & (table["year"] == year)].dropna(
            subset=["score_panel", "score_year"]
        )
        assert index.loc[year, "spearman"] == pytest.approx(
            stats.spearmanr(scores["score_panel"], scores["score_year"]).statistic
        )
        assert index.loc[year, "regions"] == len(scores)


def test_growth_of_the_example_plan_matches_its_wide_table(example_plan: scm.Masterplan) -> None:
    result = scm.roll_up(example_plan, missing="locf", count_imputed=True)
    table = growth(result, level="dimension").set_index("node")
    society = result.wide("dimension")["society"].droplevel("region").dropna()
    first, last = society.index[0], society.index[-1]
    assert table.loc["society", "cagr"] == pytest.approx(
        (society[last] / society[first]) ** (1 / (last - first)) - 1, rel=1e-12
    )
    assert table.loc["society", "years"] == len(society)


# properties --------------------------------------------------------------------------------------


@given(
    start=st.floats(0.1, 1000),
    rate=st.floats(-0.5, 1.0),
    n=st.integers(2, 12),
    first_year=st.integers(1990, 2030),
)
def test_the_growth_rate_of_a_geometric_series_is_its_rate(start: float, rate: float, n: int, first_year: int) -> None:
    frame = _frame([("a", first_year + t, "x", start * (1 + rate) ** t) for t in range(n)])
    row = growth(frame).iloc[0]
    assert row["cagr"] == pytest.approx(rate, rel=1e-9, abs=1e-9)
    assert row["years"] == n


@given(
    intercept=st.floats(-100, 100),
    slope=st.floats(-10, 10),
    years=st.lists(st.integers(2000, 2040), min_size=2, max_size=10, unique=True),
)
def test_the_slope_of_a_straight_line_is_its_slope(intercept: float, slope: float, years: list[int]) -> None:
    frame = _frame([("a", y, "x", intercept + slope * (y - 2000)) for y in years])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)  # a line through 0 has no growth rate; its slope stands
        row = growth(frame).iloc[0]
    assert row["slope"] == pytest.approx(slope, rel=1e-9, abs=1e-9)


scores_strategy = st.lists(st.integers(0, 6).map(float), min_size=6, max_size=6)


@settings(deadline=None)
@given(first=scores_strategy, second=scores_strategy, n_regions=st.integers(1, 6))
def test_change_is_antisymmetric_when_the_years_are_swapped(
    first: list[float], second: list[float], n_regions: int
) -> None:
    regions = [f"r{i}" for i in range(n_regions)]
    frame = _frame(
        [(r, 2020, "x", s) for r, s in zip(regions, first, strict=False)]
        + [(r, 2023, "x", s) for r, s in zip(regions, second, strict=False)]
    )
    forward = change(frame, 2020, 2023).set_index("region")
    backward = change(frame, 2023, 2020).set_index("region").loc[forward.index]
    np.testing.assert_array_equal(forward["change"], -backward["change"])
    np.testing.assert_array_equal(forward["rank_change"].astype(int), -backward["rank_change"].astype(int))
    np.testing.assert_array_equal(forward["score_first"], backward["score_second"])
    assert (forward["rank_first"] >= 1).all()
    assert (forward["rank_first"] <= n_regions).all()


@settings(deadline=None)
@given(
    scores=st.lists(st.one_of(st.floats(0, 100, allow_nan=False), st.just(float("nan"))), min_size=12, max_size=12),
)
def test_compare_of_a_result_with_itself_shows_no_difference(scores: list[float]) -> None:
    keys = [(f"r{i % 4}", 2020 + i // 4 % 3, "x") for i in range(12)]
    frame = _frame([(*key, s) for key, s in zip(keys, scores, strict=True)])
    table = compare(frame, frame)
    assert len(table) == 12
    scored = table["score_a"].notna()
    assert (table.loc[scored, "difference"] == 0).all()
    assert table.loc[~scored, "difference"].isna().all()
    assert (table.loc[scored, "rank_change"] == 0).all()
    summary = compare_summary(table)
    assert (summary["mean_abs_rank_change"].dropna() == 0).all()
    assert (np.isclose(summary["spearman"], 1.0) | summary["spearman"].isna()).all()


@settings(deadline=None)
@given(
    a=st.lists(st.integers(0, 5).map(float), min_size=3, max_size=8),
    b=st.lists(st.integers(0, 5).map(float), min_size=8, max_size=8),
)
def test_spearman_of_the_summary_is_scipys(a: list[float], b: list[float]) -> None:
    b = b[: len(a)]
    regions = [f"r{i}" for i in range(len(a))]
    table = compare(
        _frame([(r, 2024, "x", s) for r, s in zip(regions, a, strict=True)]),
        _frame([(r, 2024, "x", s) for r, s in zip(regions, b, strict=True)]),
    )
    rho = compare_summary(table)["spearman"].iloc[0]
    if len(set(a)) == 1 or len(set(b)) == 1:
        assert math.isnan(rho)
    else:
        assert rho == pytest.approx(stats.spearmanr(a, b).statistic, abs=1e-12)


def test_infinite_scores_are_refused_naming_the_pairs() -> None:
    frame = _frame([("a", 2019, "x", 40.0), ("a", 2020, "x", float("inf")), ("b", 2019, "x", 1.0)])
    with pytest.raises(ScoringError, match=r"1 score is infinite: a/x"):
        growth(frame)
