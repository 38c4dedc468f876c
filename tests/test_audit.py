"""The statistical audit: conformance with numpy/scipy on COINr's ASEM index, per-year tables, flags, errors."""

from __future__ import annotations

import dataclasses
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as sps

import smartcity_model as scm
from smartcity_model.analysis.audit import (
    CORRELATION_COLUMNS,
    CRONBACH_COLUMNS,
    DENOMINATOR_COLUMNS,
    FLAG_COLUMNS,
    LOADING_COLUMNS,
    PCA_COLUMNS,
    STATS_COLUMNS,
    audit,
    correlation_flags,
    correlations,
    cronbach_alpha,
    denominator_correlations,
    indicator_stats,
    pca_loadings,
    pca_variance,
)
from smartcity_model.scoring.coinr import structure_from_coinr, tidy_from_coinr
from smartcity_model.scoring.structure import ScoringWarning

ROOT = Path(__file__).parents[1]
ASEM = ROOT / "examples" / "asem"
LEVELS = ("indicator", "pillar", "sub-index", "index")
EXACT = {"rtol": 0, "atol": 1e-9}


@pytest.fixture(scope="module")
def asem() -> scm.RollUp:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), LEVELS)
    treated = pd.read_csv(ASEM / "ASEM_COIN_Treated.csv")
    data = tidy_from_coinr(treated, structure, unit="UnitCode", time="Year")
    return scm.roll_up(data, structure, method="minmax")


def _children(result: scm.RollUp, parent: str) -> list[str]:
    nodes = result.structure.nodes
    return nodes.loc[nodes["parent"] == parent, "node"].tolist()


def _level_of(result: scm.RollUp, node: str) -> str:
    nodes = result.structure.nodes
    return str(nodes.loc[nodes["node"] == node, "level"].iloc[0])


# ------------------------------------------------------------------------- ASEM conformance


@pytest.mark.parametrize("values", ["raw", "normalised"])
def test_indicator_stats_match_scipy_on_asem(asem: scm.RollUp, values: str) -> None:
    table = indicator_stats(asem, values=values).set_index("indicator")  # type: ignore[arg-type]
    wide = asem.panel.to_wide() if values == "raw" else asem.wide("indicator")
    x = wide.to_numpy(dtype=float)
    assert list(table.index) == list(wide.columns)
    assert (table["year"] == 2018).all()
    np.testing.assert_array_equal(table["n"], np.full(x.shape[1], 51))
    np.testing.assert_allclose(table["mean"], x.mean(axis=0), **EXACT)
    np.testing.assert_allclose(table["sd"], x.std(axis=0, ddof=1), **EXACT)
    np.testing.assert_allclose(table["median"], np.median(x, axis=0), **EXACT)
    np.testing.assert_allclose(table["min"], x.min(axis=0), **EXACT)
    np.testing.assert_allclose(table["max"], x.max(axis=0), **EXACT)
    skew = sps.skew(x, axis=0, bias=False)
    kurtosis = sps.kurtosis(x, axis=0, bias=False)
    np.testing.assert_allclose(table["skew"], skew, **EXACT)
    np.testing.assert_allclose(table["kurtosis"], kurtosis, **EXACT)
    np.testing.assert_array_equal(table["passes"].to_numpy(dtype=bool), (np.abs(skew) < 2) | (kurtosis < 3.5))
    q1, q3 = np.percentile(x, 25, axis=0), np.percentile(x, 75, axis=0)
    low = (x < q1 - 1.5 * (q3 - q1)).sum(axis=0)
    high = (x > q3 + 1.5 * (q3 - q1)).sum(axis=0)
    np.testing.assert_array_equal(table["outliers_low"], low)
    np.testing.assert_array_equal(table["outliers_high"], high)
    np.testing.assert_allclose(table["zero_share"], (x == 0).mean(axis=0), **EXACT)
    np.testing.assert_allclose(table["unique_share"], [len(np.unique(c)) / 51 for c in x.T], **EXACT)
    expected_outliers = (low + high) > 0
    np.testing.assert_array_equal(table["flags"].str.contains("outliers").to_numpy(), expected_outliers)
    np.testing.assert_array_equal(table["availability"], np.ones(x.shape[1]))
    assert list(indicator_stats(asem).columns) == list(STATS_COLUMNS)


@pytest.mark.parametrize("method", ["pearson", "spearman"])
@pytest.mark.parametrize("level", ["indicator", "pillar", "sub-index"])
def test_correlations_match_numpy_on_asem(asem: scm.RollUp, level: str, method: str) -> None:
    table = correlations(asem, level=level, method=method, within="all")  # type: ignore[arg-type]
    wide = asem.wide(level)
    k = wide.shape[1]
    x = wide.to_numpy(dtype=float)
    expected = (
        np.corrcoef(x, rowvar=False) if method == "pearson" else np.corrcoef(sps.rankdata(x, axis=0), rowvar=False)
    )
    i, j = np.triu_indices(k, k=1)
    assert len(table) == k * (k - 1) // 2  # each unordered pair once, no self pairs
    assert list(table["node_x"]) == list(wide.columns[i])
    assert list(table["node_y"]) == list(wide.columns[j])
    np.testing.assert_allclose(table["correlation"], expected[i, j], **EXACT)
    assert (table["n"] == 51).all()
    parent = dict(zip(asem.structure.nodes["node"], asem.structure.nodes["parent"], strict=True))
    np.testing.assert_array_equal(
        table["same_parent"], [parent[a] == parent[b] for a, b in zip(table["node_x"], table["node_y"], strict=True)]
    )
    assert list(table.columns) == list(CORRELATION_COLUMNS)


def test_correlations_within_parent_keep_the_siblings(asem: scm.RollUp) -> None:
    everything = correlations(asem, within="all")
    siblings = correlations(asem)
    assert siblings["same_parent"].all()
    expected = everything[everything["same_parent"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(siblings, expected)


def test_correlations_against_the_index_match_numpy(asem: scm.RollUp) -> None:
    table = correlations(asem, against="index")
    indicators = asem.wide("indicator")
    index = asem.wide("index")["Index"].to_numpy()
    expected = [np.corrcoef(indicators[c].to_numpy(), index)[0, 1] for c in indicators.columns]
    assert list(table["node_x"]) == list(indicators.columns)
    assert (table["node_y"] == "Index").all()
    assert table["ancestor"].all()
    np.testing.assert_allclose(table["correlation"], expected, **EXACT)


def test_correlations_against_the_level_above_mark_the_ancestor(asem: scm.RollUp) -> None:
    every = correlations(asem, level="pillar", against="sub-index", within="all")
    assert len(every) == 8 * 2
    own = correlations(asem, level="pillar", against="sub-index")
    parent = dict(zip(asem.structure.nodes["node"], asem.structure.nodes["parent"], strict=True))
    assert list(own["node_y"]) == [parent[p] for p in own["node_x"]]
    assert own["ancestor"].all()
    assert every["ancestor"].sum() == 8
    pillars, subindex = asem.wide("pillar"), asem.wide("sub-index")
    for row in every.itertuples():
        expected = np.corrcoef(pillars[row.node_x], subindex[row.node_y])[0, 1]
        assert row.correlation == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("level", ["indicator", "pillar", "sub-index"])
def test_cronbach_alpha_matches_its_formula_on_asem(asem: scm.RollUp, level: str) -> None:
    table = cronbach_alpha(asem, level=level)
    parents = asem.structure.level_nodes(LEVELS[LEVELS.index(level) + 1])
    assert list(table["node"]) == list(parents)
    expected = []
    for parent in parents:
        x = asem.wide(level)[_children(asem, parent)].to_numpy()
        covariance = np.cov(x, rowvar=False)
        k = x.shape[1]
        expected.append(k / (k - 1) * (1 - np.trace(covariance) / covariance.sum()))
    np.testing.assert_allclose(table["alpha"], expected, **EXACT)
    assert (table["n"] == 51).all()
    assert list(table["children"]) == [len(_children(asem, p)) for p in parents]
    assert list(table.columns) == list(CRONBACH_COLUMNS)


@pytest.mark.parametrize("level", ["indicator", "pillar", "sub-index"])
def test_pca_first_component_matches_eigvalsh_on_asem(asem: scm.RollUp, level: str) -> None:
    table = pca_variance(asem, level=level)
    loadings = pca_loadings(asem, level=level)
    parents = asem.structure.level_nodes(LEVELS[LEVELS.index(level) + 1])
    expected = []
    for parent in parents:
        children = _children(asem, parent)
        correlation = np.corrcoef(asem.wide(level)[children].to_numpy(), rowvar=False)
        eigenvalues = np.linalg.eigvalsh(correlation)
        expected.append(eigenvalues.max() / len(children))
        vector = loadings.loc[loadings["node"] == parent, "loading"].to_numpy()
        assert list(loadings.loc[loadings["node"] == parent, "child"]) == children
        np.testing.assert_allclose(correlation @ vector, eigenvalues.max() * vector, **EXACT)
        assert np.linalg.norm(vector) == pytest.approx(1, abs=1e-12)
        assert vector.sum() > 0
    np.testing.assert_allclose(table["first_component"], expected, **EXACT)
    assert list(table.columns) == list(PCA_COLUMNS)
    assert list(loadings.columns) == list(LOADING_COLUMNS)


def test_every_aggregate_is_audited_by_default(asem: scm.RollUp) -> None:
    table = cronbach_alpha(asem)
    assert list(table["node"]) == [*asem.structure.level_nodes("pillar"), "Conn", "Sust", "Index"]
    assert list(pca_variance(asem)["node"]) == list(table["node"])


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_denominator_correlations_match_numpy_on_asem_idata(method: str) -> None:
    structure = structure_from_coinr(pd.read_csv(ASEM / "ASEM_iMeta.csv"), LEVELS)
    idata = pd.read_csv(ASEM / "ASEM_iData.csv")
    data = tidy_from_coinr(idata, structure, unit="uCode", time="Time")
    names = ["Area", "Energy", "GDP", "Population"]
    denominators = idata[["uCode", "Time", *names]].rename(columns={"uCode": "region", "Time": "year"})
    table = denominator_correlations(data, denominators, method=method)  # type: ignore[arg-type]
    assert list(table.columns) == list(DENOMINATOR_COLUMNS)
    raw = idata.set_index("uCode")
    expected, counts = [], []
    for indicator in structure.indicators:
        for name in names:
            x, y = raw[indicator].to_numpy(dtype=float), raw[name].to_numpy(dtype=float)
            both = ~np.isnan(x) & ~np.isnan(y)
            counts.append(int(both.sum()))
            if method == "spearman":
                x, y = sps.rankdata(x[both]), sps.rankdata(y[both])
            else:
                x, y = x[both], y[both]
            expected.append(np.corrcoef(x, y)[0, 1])
    keyed = table.set_index(["indicator", "denominator"]).loc[[(i, n) for i in structure.indicators for n in names]]
    np.testing.assert_allclose(keyed["correlation"], expected, **EXACT)
    np.testing.assert_array_equal(keyed["n"], counts)
    assert min(counts) < 51  # the raw data have gaps: pairwise-complete rows matter
    np.testing.assert_array_equal(keyed["flag"] == "high", np.abs(expected) > 0.7)
    assert (keyed["flag"] == "high").any()
    strict = denominator_correlations(data, denominators, threshold=0.9, method=method)  # type: ignore[arg-type]
    assert (strict["flag"] == "high").sum() < (table["flag"] == "high").sum()
    # one row per region serves every year: the same numbers here
    same = denominator_correlations(data, denominators.drop(columns="year"), method=method)  # type: ignore[arg-type]
    np.testing.assert_allclose(same["correlation"], table["correlation"], **EXACT)


def test_audit_gathers_every_table(asem: scm.RollUp) -> None:
    result = audit(asem)
    pd.testing.assert_frame_equal(result.stats, indicator_stats(asem))
    pd.testing.assert_frame_equal(result.correlations, correlations(asem, within="all"))
    pd.testing.assert_frame_equal(result.cronbach, cronbach_alpha(asem))
    pd.testing.assert_frame_equal(result.pca, pca_variance(asem))
    pd.testing.assert_frame_equal(result.loadings, pca_loadings(asem))
    every = pd.concat([correlation_flags(asem, level=lv) for lv in LEVELS[:-1]], ignore_index=True)
    pd.testing.assert_frame_equal(result.flags, every)
    assert set(result.flags["level"]) == {"indicator", "pillar"}
    text = repr(result)
    flagged = int((result.stats["flags"] != "").sum())
    lowest = result.cronbach.loc[result.cronbach["alpha"].idxmin()]
    assert f"{flagged} of 49 indicator-years flagged" in text
    assert f"lowest alpha {lowest['alpha']:.3f} ({lowest['level']} {lowest['node']!r}, 2018)" in text
    assert f"{(result.flags['flag'] == 'negative').sum()} negative sibling pair-years" in text
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.stats = result.pca  # type: ignore[misc]
    assert result.notes == ()  # COINr's treated ASEM data leave nothing undefined


# ------------------------------------------------------------------------- a two-year panel

REGIONS = ["r1", "r2", "r3", "r4", "r5"]


def _structure(order: tuple[str, ...] = ("a", "b", "c", "d")) -> scm.Structure:
    parent = {"a": "p1", "b": "p1", "c": "p2", "d": "p2"}
    rows = [(i, "indicator", parent[i], 1.0) for i in order]
    rows += [("p1", "pillar", "top", 1.0), ("p2", "pillar", "top", 1.0), ("top", "index", None, 1.0)]
    return scm.Structure.from_frame(
        pd.DataFrame(rows, columns=["node", "level", "parent", "weight"]), ("indicator", "pillar", "index")
    )


def _two_years() -> pd.DataFrame:
    a = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    columns = {
        2020: {"a": a, "b": 2 * a, "c": np.array([3.0, 1.0, 4.0, 1.5, 5.0]), "d": np.array([2.0, 7.0, 1.0, 8.0, 2.5])},
        2021: {
            "a": a,
            "b": 12 - 2 * a,
            "c": np.array([3.0, 9.0, 2.0, 6.0, np.nan]),
            "d": np.array([5.0, 3.0, 5.5, 8.0, 9.0]),
        },
    }
    frames = [
        pd.DataFrame({"region": REGIONS, "year": year, "indicator": name, "value": values})
        for year, by_name in columns.items()
        for name, values in by_name.items()
    ]
    return pd.concat(frames, ignore_index=True).dropna(subset=["value"])


@pytest.fixture(scope="module")
def two_years() -> scm.RollUp:
    return scm.roll_up(_two_years(), _structure(), method="minmax", min_coverage=0.5)


def test_correlations_are_computed_year_by_year(two_years: scm.RollUp) -> None:
    table = correlations(two_years, within="all").set_index(["year", "node_x", "node_y"])
    wide = two_years.wide("indicator")
    for year in (2020, 2021):
        block = wide.xs(year, level="year")
        for x, y in [("a", "b"), ("a", "c"), ("c", "d")]:
            both = block[[x, y]].dropna()
            assert table.loc[(year, x, y), "correlation"] == pytest.approx(
                np.corrcoef(both[x], both[y])[0, 1], abs=1e-12
            )
            assert table.loc[(year, x, y), "n"] == len(both)
    assert table.loc[(2020, "a", "b"), "correlation"] == pytest.approx(1)
    assert table.loc[(2021, "a", "b"), "correlation"] == pytest.approx(-1)
    assert table.loc[(2021, "c", "d"), "n"] == 4  # r5 has no c in 2021: pairwise-complete
    pooled = np.corrcoef(wide["a"], wide["b"])[0, 1]
    assert abs(pooled) < 0.5  # pooling the two years would hide both relations


def test_flags_of_siblings_per_year(two_years: scm.RollUp) -> None:
    flags = correlation_flags(two_years, level="indicator")
    assert list(flags.columns) == list(FLAG_COLUMNS)
    ab = flags[(flags["node_x"] == "a") & (flags["node_y"] == "b")].set_index("year")
    assert ab.loc[2020, "flag"] == "redundant"
    assert ab.loc[2021, "flag"] == "negative"
    assert (ab["parent"] == "p1").all()
    everything = correlations(two_years, within="all")
    expected = everything[everything["same_parent"] & (everything["flag"] != "")]
    assert len(flags) == len(expected)
    assert correlation_flags(two_years, level="indicator", negative=None)["flag"].eq("redundant").all()
    assert not (correlation_flags(two_years, level="indicator", threshold=1.0)["flag"] == "redundant").any()
    # by default every level below the top that has siblings (p1 and p2 have no spread in 2021: said)
    with pytest.warns(ScoringWarning, match=r"'p1' and 'p2' in 2021"):
        every = correlation_flags(two_years)
    assert len(every) >= len(flags)
    assert set(every["level"]) <= set(two_years.structure.levels[:-1])


def test_negative_flags_only_within_a_family(two_years: scm.RollUp) -> None:
    table = correlations(two_years, within="all")
    negative = table[table["correlation"] < 0]
    assert not negative["same_parent"].all()  # some negative pairs cross pillars...
    np.testing.assert_array_equal(negative["flag"] == "negative", negative["same_parent"])  # ...and are not flagged
    redundant = table[table["correlation"] > 0.9]
    assert (redundant["flag"] == "redundant").all()


def test_stats_per_year(two_years: scm.RollUp) -> None:
    table = indicator_stats(two_years, min_availability=0.9).set_index(["year", "indicator"])
    assert table.loc[(2021, "c"), "n"] == 4
    assert table.loc[(2021, "c"), "availability"] == pytest.approx(0.8)
    assert table.loc[(2020, "c"), "availability"] == 1
    assert "low availability" in table.loc[(2021, "c"), "flags"]
    assert "low availability" not in table.loc[(2020, "c"), "flags"]
    b2021 = 12 - 2 * np.arange(1, 6)
    assert table.loc[(2021, "b"), "mean"] == pytest.approx(b2021.mean())
    assert table.loc[(2021, "b"), "sd"] == pytest.approx(b2021.std(ddof=1))
    assert table.loc[(2020, "b"), "mean"] == pytest.approx(6.0)
    assert table.loc[(2020, "a"), "skew"] == pytest.approx(0.0, abs=1e-12)
    assert table.loc[(2021, "c"), "passes"] is not pd.NA  # four values: checked


def test_too_few_values_to_check_leave_passes_unknown() -> None:
    data = _two_years()
    gone = (data["indicator"] == "d") & (data["year"] == 2021) & data["region"].isin(["r3", "r4", "r5"])
    result = scm.roll_up(data[~gone], _structure(), method="minmax", min_coverage=0.5)
    table = indicator_stats(result).set_index(["year", "indicator"])
    row = table.loc[(2021, "d")]
    assert row["n"] == 2
    assert row["passes"] is pd.NA
    assert np.isnan(row["skew"])
    assert row["flags"] == "low availability"
    assert table.loc[(2020, "d"), "passes"] is not pd.NA


def test_imputed_values_count_as_available_but_not_observed() -> None:
    result = scm.roll_up(_two_years(), _structure(), method="minmax", missing="locf", min_coverage=0.5)
    table = indicator_stats(result).set_index(["year", "indicator"])
    assert table.loc[(2021, "c"), "availability"] == 1
    assert table.loc[(2021, "c"), "imputed"] == pytest.approx(0.2)
    assert table.loc[(2020, "c"), "imputed"] == 0
    strict = indicator_stats(result, min_availability=0.9).set_index(["year", "indicator"])
    assert "low availability" in strict.loc[(2021, "c"), "flags"]


def test_cronbach_and_pca_use_complete_rows_per_year(two_years: scm.RollUp) -> None:
    # in 2021 b's score is 100 minus a's: their total has no spread, and alpha is undefined
    with pytest.warns(
        ScoringWarning, match=r"undefined for 1 aggregate \(a child or the total without spread\): pillar 'p1' in 2021"
    ):
        table = cronbach_alpha(two_years, level="indicator").set_index(["year", "node"])
    assert np.isnan(table.loc[(2021, "p1"), "alpha"])
    assert table.loc[(2020, "p1"), "alpha"] == pytest.approx(1)
    wide = two_years.wide("indicator")
    for year in (2020, 2021):
        x = wide.xs(year, level="year")[["c", "d"]].dropna().to_numpy()
        covariance = np.cov(x, rowvar=False)
        assert table.loc[(year, "p2"), "alpha"] == pytest.approx(
            2 * (1 - np.trace(covariance) / covariance.sum()), abs=1e-12
        )
        assert table.loc[(year, "p2"), "n"] == len(x)
    assert table.loc[(2021, "p2"), "n"] == 4
    pca = pca_variance(two_years, level="indicator").set_index(["year", "node"])
    assert pca.loc[(2020, "p1"), "first_component"] == pytest.approx(1)
    assert pca.loc[(2021, "p1"), "first_component"] == pytest.approx(1)
    loadings = pca_loadings(two_years, level="indicator").set_index(["year", "node", "child"])["loading"]
    assert loadings[(2021, "p1", "a")] == pytest.approx(-loadings[(2021, "p1", "b")])
    assert loadings[(2020, "p1", "a")] == pytest.approx(loadings[(2020, "p1", "b")])


# ------------------------------------------------------------------------- errors and warnings


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda r: correlations(r, level="pilar"), r"did you mean 'pillar'"),
        (lambda r: correlations(r, against="indicatr"), r"did you mean 'indicator'"),
        (lambda r: correlations(r, level="pillar", against="indicator"), r"below level="),
        (lambda r: correlations(r, method="pearsn"), r"method must be one of pearson, spearman.*'pearson'"),
        (lambda r: correlations(r, within="parents"), r"within must be one of .*did you mean 'parent'"),
        (lambda r: correlations(r, threshold=1.5), r"threshold must lie between 0 and 1, not 1.5"),
        (lambda r: correlations(r, threshold=float("nan")), r"threshold must lie between 0 and 1"),
        (lambda r: correlations(r, threshold=True), r"threshold must be a number"),
        (lambda r: correlations(r, negative=0.5), r"negative must lie between -1 and 0"),
        (lambda r: correlation_flags(r, threshold=-0.1), r"threshold must lie between 0 and 1"),
        (lambda r: cronbach_alpha(r, level="index"), r"level 'index' is the top"),
        (lambda r: pca_variance(r, level="dimension"), r"no level 'dimension'"),
        (lambda r: indicator_stats(r, values="normalized"), r"did you mean 'normalised'"),
        (lambda r: indicator_stats(r, min_availability=65), r"min_availability must lie between 0 and 1"),
        (lambda _r: audit(pd.DataFrame()), r"needs a roll-up result .* not DataFrame"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(two_years: scm.RollUp, call, match: str) -> None:
    with pytest.raises(scm.ScoringError, match=match):
        call(two_years)


def test_bad_denominators_are_refused() -> None:
    data = _two_years()
    good = pd.DataFrame({"region": REGIONS, "population": [1.0, 2.0, 3.0, 4.0, 5.0]})
    with pytest.raises(scm.ScoringError, match=r"'region' \(or 'id'\) column"):
        denominator_correlations(data, good.rename(columns={"region": "name"}))
    with pytest.raises(scm.ScoringError, match=r"'populaton' \(did you mean 'population'\?\)"):
        denominator_correlations(data, good, columns=["populaton"])
    with pytest.raises(scm.ScoringError, match=r"'name' hold values that are not numbers"):
        denominator_correlations(data, good.assign(name=list("vwxyz")))
    with pytest.raises(scm.ScoringError, match=r"some rows twice: r1"):
        denominator_correlations(data, pd.concat([good, good.head(1)]))
    with pytest.raises(scm.ScoringError, match=r"threshold must lie between 0 and 1"):
        denominator_correlations(data, good, threshold=2)
    with pytest.raises(scm.ScoringError, match=r"no column besides 'region' and year"):
        denominator_correlations(data, good[["region"]])


def test_denominators_missing_for_a_region_are_said() -> None:
    denominators = pd.DataFrame({"region": REGIONS[:4], "population": [1.0, 2.0, 3.0, 5.0]})
    with pytest.warns(ScoringWarning, match=r"2 region-years .* no row in the denominators.*'r5' 2020, 'r5' 2021"):
        table = denominator_correlations(_two_years(), denominators)
    assert (table["n"] <= 4).all()
    assert table.loc[(table["year"] == 2020) & (table["indicator"] == "a"), "n"].item() == 4


def test_a_parent_with_one_child_gets_no_alpha_and_a_warning() -> None:
    rows = [("a", "indicator", "p1", 1.0), ("b", "indicator", "p1", 1.0), ("c", "indicator", "p2", 1.0)]
    rows += [("p1", "pillar", "top", 1.0), ("p2", "pillar", "top", 1.0), ("top", "index", None, 1.0)]
    structure = scm.Structure.from_frame(
        pd.DataFrame(rows, columns=["node", "level", "parent", "weight"]), ("indicator", "pillar", "index")
    )
    data = _two_years()
    kept = data[(data["indicator"] != "d") & (data["year"] == 2020)]
    result = scm.roll_up(kept, structure, method="minmax", min_coverage=0.5)
    with pytest.warns(ScoringWarning, match=r"Cronbach's alpha is undefined for 1 aggregate \(fewer than 2 children\)"):
        table = cronbach_alpha(result, level="indicator").set_index(["year", "node"])
    assert table["alpha"].isna().tolist() == [False, True]
    with pytest.warns(ScoringWarning, match=r"first principal component is undefined .*pillar 'p2'"):
        pca = pca_variance(result, level="indicator")
    assert pca["first_component"].isna().tolist() == [False, True]


def test_a_child_of_weight_0_is_left_out_with_a_warning() -> None:
    structure = _structure()
    nodes = structure.nodes.assign(weight=np.where(structure.nodes["node"] == "d", 0.0, 1.0))
    result = scm.roll_up(
        _two_years(), scm.Structure.from_frame(nodes, structure.levels), method="minmax", min_coverage=0.5
    )
    with pytest.warns(ScoringWarning) as caught:
        table = cronbach_alpha(result, level="indicator")
    messages = [str(w.message) for w in caught]
    assert any("child of weight 0 is left out" in m and "'d' ('p2')" in m for m in messages)
    assert table.loc[table["node"] == "p2", "children"].tolist() == [1, 1]


def test_pairs_without_a_correlation_are_named() -> None:
    data = _two_years()
    data.loc[(data["indicator"] == "d") & (data["year"] == 2021), "value"] = 4.0
    result = scm.roll_up(data, _structure(), method="minmax", min_coverage=0.5)
    with pytest.warns(ScoringWarning, match=r"3 pairs have no correlation .*'a' and 'd' in 2021"):
        table = correlations(result, within="all")
    missing = table[table["correlation"].isna()]
    assert set(missing["node_y"]) == {"d"}
    assert set(missing["year"]) == {2021}
    assert (missing["flag"] == "").all()


def test_no_pairs_is_said_not_returned_silently(two_years: scm.RollUp) -> None:
    with pytest.warns(ScoringWarning, match=r"no pairs to correlate on level 'index'"):
        table = correlations(two_years, level="index")
    assert table.empty
    assert list(table.columns) == list(CORRELATION_COLUMNS)


# ------------------------------------------------------------------------- properties


def _random_result(values: np.ndarray, order: tuple[str, ...] | None = None) -> scm.RollUp:
    n, k = values.shape
    names = [f"i{c}" for c in range(k)]
    rows = [(name, "indicator", "p", 1.0) for name in (order or names)]
    rows += [("p", "pillar", "top", 1.0), ("top", "index", None, 1.0)]
    structure = scm.Structure.from_frame(
        pd.DataFrame(rows, columns=["node", "level", "parent", "weight"]), ("indicator", "pillar", "index")
    )
    data = pd.DataFrame(
        {
            "region": np.repeat([f"r{r}" for r in range(n)], k),
            "year": 2024,
            "indicator": np.tile(names, n),
            "value": values.ravel(),
        }
    )
    return scm.roll_up(data, structure, method="minmax")


matrices = (
    st.integers(2, 5)
    .flatmap(
        lambda k: st.lists(
            st.lists(st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False), min_size=k, max_size=k),
            min_size=3,
            max_size=9,
        )
    )
    .map(np.array)
)


@settings(max_examples=60, deadline=None)
@given(values=matrices)
def test_alpha_and_first_component_stay_in_their_bounds(values: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)
        result = _random_result(values)
        alpha = cronbach_alpha(result, level="indicator")["alpha"].dropna()
        share = pca_variance(result, level="indicator")["first_component"].dropna()
        loadings = pca_loadings(result, level="indicator")["loading"].dropna()
    k = values.shape[1]
    assert (alpha <= 1 + 1e-9).all()
    assert ((share >= 1 / k - 1e-9) & (share <= 1 + 1e-9)).all()
    if len(loadings):
        assert np.linalg.norm(loadings) == pytest.approx(1, abs=1e-9)
        assert loadings.sum() >= -1e-12


@settings(max_examples=60, deadline=None)
@given(values=matrices, method=st.sampled_from(["pearson", "spearman"]))
def test_correlations_are_symmetric_and_bounded(values: np.ndarray, method: str) -> None:
    k = values.shape[1]
    names = tuple(f"i{c}" for c in range(k))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)
        forward = correlations(_random_result(values), method=method)  # type: ignore[arg-type]
        backward = correlations(_random_result(values, order=names[::-1]), method=method)  # type: ignore[arg-type]
    assert len(forward) == len(backward) == k * (k - 1) // 2
    ours = {
        frozenset(p): r
        for p, r in zip(zip(forward["node_x"], forward["node_y"], strict=True), forward["correlation"], strict=True)
    }
    theirs = {
        frozenset(p): r
        for p, r in zip(zip(backward["node_x"], backward["node_y"], strict=True), backward["correlation"], strict=True)
    }
    assert ours.keys() == theirs.keys()
    for pair, r in ours.items():
        assert (np.isnan(r) and np.isnan(theirs[pair])) or r == pytest.approx(theirs[pair], abs=1e-12)
        assert np.isnan(r) or -1 <= r <= 1


def test_audit_of_a_sparse_framework_leaves_out_unmeasured_children_and_warns_once() -> None:
    study = scm.Recipe.load(ROOT / "examples" / "sumatera-barat" / "recipe.yaml").run()
    with pytest.warns(scm.ScoringWarning, match=r"the audit left \d+ things undefined or out: see \.notes") as caught:
        result = audit(study.result)
    assert len([w for w in caught if issubclass(w.category, scm.ScoringWarning)]) == 1
    assert any("children without any score that year were left out" in note for note in result.notes)
    # society's elements in 2024: community and learning are measured, security is not
    society = result.cronbach[(result.cronbach["node"] == "society") & (result.cronbach["year"] == 2024)].iloc[0]
    nodes = study.structure.nodes
    children = nodes.loc[nodes["parent"] == "society", "node"].tolist()
    scores = study.result.wide("element").xs(2024, level="year")
    used = [c for c in children if scores[c].notna().any()]
    assert 2 <= len(used) < len(children)
    data = scores[used].dropna().to_numpy()
    k = data.shape[1]
    expected = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / data.sum(axis=1).var(ddof=1))
    assert society["children"] == k
    assert society["n"] == len(data)
    np.testing.assert_allclose(society["alpha"], expected, rtol=0, atol=1e-12)
