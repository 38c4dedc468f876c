"""The stages before normalisation: denominate, impute, screen, treat, each on the tidy table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import smartcity_model as scm


def tidy(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])


def values_of(data: pd.DataFrame) -> dict[tuple[str, int, str], float]:
    return {(r, y, i): v for r, y, i, v in data[["region", "year", "indicator", "value"]].itertuples(index=False)}


# ------------------------------------------------------------------------- denominate

RAW = tidy([("a", 2024, "doctors", 50.0), ("b", 2024, "doctors", 12.0), ("a", 2024, "poverty", 9.5)])
PEOPLE = pd.DataFrame({"region": ["a", "b"], "population": [100_000.0, 20_000.0], "area": [10.0, 4.0]})


class TestDenominate:
    def test_per_thousand_people(self) -> None:
        data, details = scm.denominate(RAW, PEOPLE, {"doctors": {"column": "population", "scale": 1000}})
        assert values_of(data) == {
            ("a", 2024, "doctors"): 0.5,
            ("b", 2024, "doctors"): 0.6,
            ("a", 2024, "poverty"): 9.5,
        }
        assert details[["indicator", "denominator", "scale", "values"]].to_numpy().tolist() == [
            ["doctors", "population", 1000.0, 2]
        ]

    def test_denominators_by_year(self) -> None:
        raw = tidy([("a", 2023, "doctors", 40.0), ("a", 2024, "doctors", 50.0)])
        people = pd.DataFrame({"region": ["a", "a"], "year": [2023, 2024], "population": [80_000.0, 100_000.0]})
        data, _ = scm.denominate(raw, people, {"doctors": "population"})
        assert data["value"].tolist() == pytest.approx([0.0005, 0.0005])

    def test_from_the_structure(self) -> None:
        frame = pd.DataFrame(
            [
                ("doctors", "indicator", "all", 1.0, "population"),
                ("poverty", "indicator", "all", 1.0, None),
                ("all", "overall", None, 1.0, None),
            ],
            columns=["node", "level", "parent", "weight", "denominator"],
        )
        structure = scm.Structure.from_frame(frame, ("indicator", "overall"))
        data, _ = scm.denominate(RAW, PEOPLE, structure)
        assert values_of(data)[("a", 2024, "doctors")] == pytest.approx(0.0005)

    def test_every_problem_named_with_a_suggestion(self) -> None:
        with pytest.raises(scm.ScoringError, match="2 problems") as caught:
            scm.denominate(RAW, PEOPLE, {"docters": "population", "poverty": "populasi"})
        message = str(caught.value)
        assert "'docters' (did you mean 'doctors'?)" in message
        assert "no denominator column 'populasi' (did you mean 'population'?)" in message

    def test_a_missing_denominator_is_an_error_or_a_gap(self) -> None:
        people = PEOPLE.assign(population=[100_000.0, 0.0])
        with pytest.raises(scm.ScoringError, match=r"no usable 'population' .* for 'b' 2024"):
            scm.denominate(RAW, people, {"doctors": "population"})
        with pytest.warns(scm.ScoringWarning, match=r"for 'b' 2024; left missing"):
            result = scm.denominate(RAW, people, {"doctors": "population"}, missing="gap")
        assert ("b", 2024, "doctors") not in values_of(result.data)
        assert result.details["left_missing"].tolist() == [1]

    def test_a_region_listed_twice_is_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match="give some regions twice: a"):
            scm.denominate(RAW, pd.concat([PEOPLE, PEOPLE.iloc[:1]]), {"doctors": "population"})


# ----------------------------------------------------------------------------- impute

GAPS = tidy(
    [
        ("a", 2020, "x", 1.0),
        ("a", 2023, "x", 4.0),
        ("b", 2020, "x", 3.0),
        ("b", 2021, "x", 5.0),
        ("c", 2021, "x", 9.0),
        ("c", 2023, "x", 7.0),
    ]
)
YEARS = range(2020, 2024)


class TestImpute:
    @pytest.mark.parametrize(
        ("method", "options", "expected"),
        [
            ("locf", {}, {("a", 2021): 1, ("a", 2022): 1, ("b", 2022): 5, ("b", 2023): 5, ("c", 2022): 9}),
            ("locf", {"max_gap": 1}, {("a", 2021): 1, ("b", 2022): 5, ("c", 2022): 9}),
            ("nocb", {}, {("a", 2021): 4, ("a", 2022): 4, ("c", 2020): 9, ("c", 2022): 7}),
            ("linear", {}, {("a", 2021): 2, ("a", 2022): 3, ("c", 2022): 8}),
            ("linear", {"max_gap": 1}, {("c", 2022): 8}),
            ("mean", {}, {("c", 2020): 2, ("a", 2021): 7, ("a", 2022): np.nan, ("b", 2022): np.nan, ("b", 2023): 5.5}),
            ("median", {}, {("c", 2020): 2, ("a", 2021): 7, ("b", 2023): 5.5}),
        ],
    )
    def test_methods(self, method: str, options: dict[str, int], expected: dict[tuple[str, int], float]) -> None:
        result = scm.impute(GAPS, method, years=YEARS, **options)
        filled = {(r, y): v for (r, y, _), v in values_of(result.data).items() if (r, y, "x") not in values_of(GAPS)}
        assert filled == {k: v for k, v in expected.items() if not np.isnan(v)}
        assert result.data.loc[result.data["imputed"], "imputation"].eq(method).all()
        assert len(result.changes) == len(filled)
        assert int(result.details["filled"].sum()) == len(filled)

    def test_group_means_stay_in_their_group(self) -> None:
        groups = {"a": "kota", "b": "kota", "c": "kabupaten"}
        result = scm.impute(GAPS, "group_mean", groups=groups, years=YEARS)
        assert values_of(result.data)[("a", 2021, "x")] == 5
        assert ("c", 2020, "x") not in values_of(result.data)  # no other kabupaten has a 2020 value
        assert "cells left missing" in result.notes[0]

    def test_bad_options_are_refused(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"'linaer' \(did you mean 'linear'\?\)"):
            scm.impute(GAPS, "linaer")
        with pytest.raises(scm.ScoringError, match="max_gap= is used only by locf, nocb and linear"):
            scm.impute(GAPS, "mean", max_gap=2)
        with pytest.raises(scm.ScoringError, match="max_gap must be a whole number"):
            scm.impute(GAPS, "locf", max_gap=0)
        with pytest.raises(scm.ScoringError, match=r"no group for regions 'c'"):
            scm.impute(GAPS, "group_median", groups={"a": 1, "b": 1})

    def test_flags_survive_the_next_stage(self) -> None:
        filled, _ = scm.impute(GAPS, "locf", years=YEARS)
        treated, _ = scm.treat(filled, "none")
        assert treated["imputed"].sum() == filled["imputed"].sum()
        again = scm.impute(treated, "nocb", years=YEARS)
        methods = set(again.data.loc[again.data["imputed"], "imputation"])
        assert methods == {"locf", "nocb"}

    @settings(max_examples=60, deadline=None)
    @given(
        cells=st.lists(
            st.tuples(st.sampled_from("abc"), st.integers(2018, 2024), st.sampled_from("xy"), st.floats(-1e6, 1e6)),
            min_size=1,
            max_size=30,
            unique_by=lambda cell: cell[:3],
        ),
        method=st.sampled_from(["mean", "median", "locf", "nocb", "linear"]),
    )
    def test_observed_values_never_change(self, cells: list[tuple[str, int, str, float]], method: str) -> None:
        data = tidy(cells)
        result = scm.impute(data, method)
        after = values_of(result.data)
        before = values_of(data)
        assert {key: after[key] for key in before} == before
        flagged = {
            (r, y, i)
            for r, y, i in result.data.loc[result.data["imputed"], ["region", "year", "indicator"]].itertuples(
                index=False
            )
        }
        assert flagged == set(after) - set(before)


# ----------------------------------------------------------------------------- screen

SPARSE = tidy(
    [
        ("a", 2023, "x", 1.0),
        ("a", 2023, "y", 0.0),
        ("a", 2023, "z", 2.0),
        ("b", 2023, "x", 1.0),
        ("a", 2024, "x", 1.0),
        ("b", 2024, "x", 1.0),
        ("b", 2024, "y", 1.0),
        ("b", 2024, "z", 1.0),
    ]
)


class TestScreen:
    def test_region_years_below_the_threshold_are_removed(self) -> None:
        result = scm.screen(SPARSE, min_availability=0.6)
        kept = set(zip(result.data["region"], result.data["year"], strict=True))
        assert kept == {("a", 2023), ("b", 2024)}
        reasons = result.details.set_index(["region", "year"])["reason"]
        assert reasons[("b", 2023)] == "too little data"
        assert "removed 2 region-years" in result.notes[0]

    def test_whole_regions_and_forced_choices(self) -> None:
        by_region = scm.screen(SPARSE, min_availability=0.6, unit="region")
        assert by_region.details["included"].tolist() == [True, True]  # 4 of 6 cells each
        forced = scm.screen(SPARSE, min_availability=0.6, include=["b"], exclude=["a"])
        assert set(forced.data["region"]) == {"b"}
        assert set(forced.details["reason"]) == {"excluded by request", "included by request", ""}

    def test_zeros_and_the_indicator_set(self) -> None:
        zeros = scm.screen(SPARSE, min_availability=0, min_nonzero=0.9)
        assert ("a", 2023) not in set(zip(zeros.data["region"], zeros.data["year"], strict=True))
        wider = scm.screen(SPARSE, min_availability=0.6, indicators=["x", "y", "z", "w"])
        assert wider.details["availability"].max() == 0.75

    def test_names_are_checked(self) -> None:
        with pytest.raises(scm.ScoringError, match=r"unknown regions: 'c'"):
            scm.screen(SPARSE, include=["c"])
        with pytest.raises(scm.ScoringError, match="min_availability must lie between 0 and 1"):
            scm.screen(SPARSE, min_availability=90)


# ------------------------------------------------------------------------------ treat


def _moments(v: np.ndarray) -> tuple[float, float]:
    """COINr's skew() and kurt(), as its R code writes them (e1071 type 2)."""
    x = v[~np.isnan(v)]
    n = len(x)
    d = x - x.mean()
    skew = np.sqrt(n) * (d**3).sum() / (d**2).sum() ** 1.5 * np.sqrt(n * (n - 1)) / (n - 2)
    r = n * (d**4).sum() / (d**2).sum() ** 2
    kurt = ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))
    return float(skew), float(kurt)


class Reference:
    """COINr's Treat on one column, written out as plainly as its R code."""

    def __init__(self) -> None:
        self.near_threshold = False
        self.collapsed = False

    def passes(self, v: np.ndarray) -> bool:
        with np.errstate(invalid="ignore", divide="ignore"):
            skew, kurt = _moments(v)
        # All values equal: R gets NA or, through rounding, an arbitrary skew; COINr gives up either way.
        self.collapsed |= np.isnan(skew) or np.isnan(kurt) or np.nanmax(v) == np.nanmin(v)
        self.near_threshold |= abs(abs(skew) - 2) < 1e-6 or abs(kurt - 3.5) < 1e-6
        return bool(abs(skew) < 2 or kurt < 3.5)

    def treat(self, column: np.ndarray, winmax: int = 5) -> tuple[np.ndarray, str]:
        x = column.copy()
        if self.passes(x):
            return x, "passed"
        nwin = 0
        imax: np.ndarray = np.array([], dtype=int)
        imin: np.ndarray = np.array([], dtype=int)
        while not self.passes(x) and nwin < winmax:
            if self.collapsed:
                return column, "not treated"
            if _moments(x)[0] >= 0:
                imax = np.flatnonzero(x == np.nanmax(x))
                x[imax] = np.nanmax(np.delete(x, imax))
            else:
                imin = np.flatnonzero(x == np.nanmin(x))
                x[imin] = np.nanmin(np.delete(x, imin))
            nwin = len(imax) + len(imin)
        if self.passes(x):
            return x, "winsorised"
        if self.collapsed:
            return column, "not treated"
        low, high = np.nanmin(column), np.nanmax(column)
        return np.log(column - low + 0.01 * (high - low)), "log"


def coinr_treat(column: np.ndarray, winmax: int = 5) -> tuple[np.ndarray, str]:
    """Treat one column as COINr does."""
    return Reference().treat(column, winmax)


class TestTreat:
    def test_a_skewed_indicator_is_winsorised_like_coinr(self) -> None:
        values = np.array([1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 50.0])
        data = tidy([(f"r{n}", 2024, "x", v) for n, v in enumerate(values)])
        result = scm.treat(data)
        expected, status = coinr_treat(values)
        assert status == "winsorised"
        assert result.data.sort_values("region", key=lambda r: r.str[1:].astype(int))[
            "value"
        ].tolist() == pytest.approx(expected.tolist())
        assert result.details["status"].tolist() == ["winsorised"]
        assert result.changes["how"].tolist() == ["winsorised high"]

    def test_log_when_winsorising_is_not_enough(self) -> None:
        values = np.round(np.exp(np.linspace(0, 1, 100) ** 3 * 8), 3)  # skewed all along, not just at the top
        data = tidy([(f"r{n:03d}", 2024, "x", v) for n, v in enumerate(values)])
        result = scm.treat(data)
        expected, status = coinr_treat(values)
        assert status == "log"
        assert result.details["status"].tolist() == ["log"]
        assert result.data["value"].tolist() == pytest.approx(expected.tolist())
        winsorised_only = scm.treat(data, "winsorise")
        assert winsorised_only.details["status"].tolist() == ["winsorised, still skewed"]

    def test_scope_and_per_indicator_methods(self) -> None:
        skewed = [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 7, 50.0]
        indicators = ("internet", "poverty")
        rows = [(f"r{n}", year, ind, v) for year in (2023, 2024) for ind in indicators for n, v in enumerate(skewed)]
        data = tidy(rows)
        per_year = scm.treat(data, scope="year", methods={"poverty": "none"})
        assert per_year.details[["indicator", "scope", "status"]].to_numpy().tolist() == [
            ["internet", "2023", "winsorised"],
            ["poverty", "2023", "untreated (method none)"],
            ["internet", "2024", "winsorised"],
            ["poverty", "2024", "untreated (method none)"],
        ]
        pooled = scm.treat(data)
        assert pooled.details["scope"].tolist() == ["panel", "panel"]
        with pytest.raises(scm.ScoringError, match=r"'povrty' \(did you mean 'poverty'\?\)"):
            scm.treat(data, methods={"povrty": "none"})
        with pytest.raises(scm.ScoringError, match=r"'winsorize' \(did you mean 'winsorise'\?\)"):
            scm.treat(data, "winsorize")

    def test_too_few_values_are_left_alone_with_a_warning(self) -> None:
        data = tidy([("a", 2024, "x", 1.0), ("b", 2024, "x", 100.0)])
        with pytest.warns(scm.ScoringWarning, match=r"'x' in panel"):
            result = scm.treat(data)
        assert result.data["value"].tolist() == [1.0, 100.0]
        assert result.details["status"].tolist() == ["not checked: fewer than 4 values or no spread"]

    @settings(max_examples=80, deadline=None)
    @given(
        values=st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=4, max_size=40),
        outliers=st.lists(st.floats(1e3, 1e6), max_size=4),
        winmax=st.integers(1, 6),
    )
    def test_matches_the_plain_reference(self, values: list[float], outliers: list[float], winmax: int) -> None:
        column = np.asarray(values + outliers)
        assume(np.ptp(column) > 1e-6 * max(1.0, np.abs(column).max()))  # no spread: left alone, tested above
        reference = Reference()
        expected, status = reference.treat(column, winmax)
        assume(not reference.near_threshold)  # a tie with a threshold is decided by rounding
        assume(not reference.collapsed)  # winsorised to no spread: COINr stops with an error, tested above
        data = tidy([(f"r{n:03d}", 2024, "x", v) for n, v in enumerate(column)])
        result = scm.treat(data, winmax=winmax)
        assert result.details["status"].iloc[0].startswith(status)
        np.testing.assert_allclose(result.data["value"].to_numpy(), expected, rtol=1e-9, atol=1e-9)

    @settings(max_examples=40, deadline=None)
    @given(
        blocks=st.lists(
            st.tuples(
                st.lists(st.floats(-1e3, 1e3, allow_subnormal=False), min_size=8, max_size=8),
                st.lists(st.floats(1e3, 1e6), min_size=0, max_size=3),
            ),
            min_size=4,
            max_size=4,
        )
    )
    def test_every_indicator_and_year_is_treated_on_its_own(
        self, blocks: list[tuple[list[float], list[float]]]
    ) -> None:
        """Two indicators × two years, treated per year: each column of each year matches the reference."""
        cells = {}
        rows = []
        for number, (values, outliers) in enumerate(blocks):
            indicator, year = ("x", "y")[number % 2], (2023, 2024)[number // 2]
            column = np.asarray(values + outliers + [0.0] * (3 - len(outliers)))
            reference = Reference()
            expected, _ = reference.treat(column)
            assume(np.ptp(column) > 1e-6 * max(1.0, np.abs(column).max()))
            assume(not reference.near_threshold and not reference.collapsed)
            cells[(indicator, year)] = expected
            rows += [(f"r{n:02d}", year, indicator, v) for n, v in enumerate(column)]
        result = scm.treat(tidy(rows), scope="year")
        for (indicator, year), expected in cells.items():
            chosen = (result.data["indicator"] == indicator) & (result.data["year"] == year)
            ours = result.data[chosen].sort_values("region")["value"]
            np.testing.assert_allclose(ours.to_numpy(), expected, rtol=1e-9, atol=1e-9)

    def test_equal_values_are_not_checked_even_when_rounding_differs(self) -> None:
        data = tidy([(f"r{n}", 2024, "x", 1 / 3) for n in range(12)])
        with pytest.warns(scm.ScoringWarning, match="untreated"):
            result = scm.treat(data)
        assert result.details["status"].tolist() == ["not checked: fewer than 4 values or no spread"]


def test_stage_results_unpack_and_print_briefly() -> None:
    result = scm.impute(GAPS, "locf", years=YEARS)
    data, details = result
    assert data is result.data
    assert details is result.details
    assert repr(result).startswith("<StageResult impute:")
    assert len(repr(result).splitlines()) <= 3


def test_denominators_must_be_usable() -> None:
    with pytest.raises(scm.ScoringError, match=r"denominator of 'doctors': Input should be greater than 0"):
        scm.denominate(RAW, PEOPLE, {"doctors": {"column": "population", "scale": 0}})
    with pytest.raises(
        scm.ScoringError, match=r"no usable 'population' \(missing, 0 or less, not a number\) for 'b' 2024"
    ):
        scm.denominate(RAW, PEOPLE.assign(population=[100_000.0, -5.0]), {"doctors": "population"})
    with pytest.raises(scm.ScoringError, match=r"dividing by 'population' overflows for 'a' 2024"):
        scm.denominate(
            RAW, PEOPLE.assign(population=[1e-300, 1.0]), {"doctors": {"column": "population", "scale": 1e10}}
        )


def test_a_group_left_blank_is_named_as_such() -> None:
    with pytest.raises(scm.ScoringError, match=r"the group of regions 'c' is missing \(NaN\)"):
        scm.impute(GAPS, "group_mean", groups={"a": "kota", "b": "kota", "c": np.nan})


def test_winmax_belongs_to_winsorising() -> None:
    data = tidy([(f"r{n}", 2024, "x", float(n)) for n in range(10)])
    with pytest.raises(
        scm.ScoringError, match="winmax= is used only by the coinr and winsorise treatments, not by log"
    ):
        scm.treat(data, "log", winmax=3)
    assert scm.treat(data, "log").details["status"].tolist() == ["passed"]


def test_denominating_with_nothing_to_divide_is_refused() -> None:
    frame = pd.DataFrame(
        [("doctors", "indicator", "all", 1.0), ("all", "overall", None, 1.0)],
        columns=["node", "level", "parent", "weight"],
    )
    structure = scm.Structure.from_frame(frame, ("indicator", "overall"))
    with pytest.raises(scm.ScoringError, match="no indicator names a denominator"):
        scm.denominate(RAW, PEOPLE, structure)
