"""Statistical audit of a composite index: indicator statistics, correlations, consistency, PCA.

The tables follow COINr's ``get_stats``, ``get_corr``, ``get_corr_flags``, ``get_cronbach``,
``get_PCA`` and ``get_denom_corr``, with one difference throughout: a panel pools several years,
so every statistic is computed **per year** (a ``year`` column), never across years.

Formulas
--------
- Skewness and excess kurtosis are the sample-adjusted estimators the outlier treatment uses
  (:meth:`~smartcity_model.scoring.groups.Groups.moments`, as COINr and pandas); an indicator
  *passes* under the treatment's rule, ``|skew| < 2`` or ``kurtosis < 3.5``.
- Outliers are the values below ``Q1 - 1.5·IQR`` or above ``Q3 + 1.5·IQR`` (quartiles
  interpolated linearly, R's type 7).
- Correlations (Pearson or Spearman) use the pairwise-complete observations of each pair, as
  ``cor(use = "pairwise.complete.obs")``; ``n`` is their number.
- Cronbach's alpha of an aggregate's ``k`` children, on the complete rows, is
  ``k / (k - 1) · (1 - Σ var(x_i) / var(Σ x_i))`` with sample variances.
- The first principal component's share of variance, on the complete rows of standardised
  children (the correlation matrix ``R``, as ``prcomp(scale = TRUE)``), is ``λ_max(R) / k``; its
  loadings are the unit eigenvector of ``λ_max``, signed so that they sum to a positive number.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.scoring.denominate import _region_column
from smartcity_model.scoring.groups import Groups
from smartcity_model.scoring.panel import Panel
from smartcity_model.scoring.rollup import RollUp, _count
from smartcity_model.scoring.structure import ScoringError, ScoringWarning, Structure, listing, warn
from smartcity_model.scoring.treat import TreatmentRule

__all__ = [
    "CORRELATION_COLUMNS",
    "CRONBACH_COLUMNS",
    "DENOMINATOR_COLUMNS",
    "FLAG_COLUMNS",
    "LOADING_COLUMNS",
    "PCA_COLUMNS",
    "STATS_COLUMNS",
    "Audit",
    "CorrelationMethod",
    "Values",
    "Within",
    "audit",
    "correlation_flags",
    "correlations",
    "cronbach_alpha",
    "denominator_correlations",
    "indicator_stats",
    "pca_loadings",
    "pca_variance",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.intp]
Values = Literal["raw", "normalised"]
CorrelationMethod = Literal["pearson", "spearman"]
Within = Literal["parent", "all"]

_VALUES: tuple[str, ...] = ("raw", "normalised")
_METHODS: tuple[str, ...] = ("pearson", "spearman")
_WITHIN: tuple[str, ...] = ("parent", "all")
#: Fewest complete rows a correlation, an alpha or a PCA is computed on (two points always correlate ±1).
MIN_ROWS = 3
#: Columns of :func:`indicator_stats`.
STATS_COLUMNS: tuple[str, ...] = (
    "year",
    "indicator",
    "n",
    "availability",
    "imputed",
    "min",
    "max",
    "mean",
    "median",
    "sd",
    "skew",
    "kurtosis",
    "passes",
    "outliers_low",
    "outliers_high",
    "zero_share",
    "unique_share",
    "flags",
)
#: Columns of :func:`correlations`.
CORRELATION_COLUMNS: tuple[str, ...] = (
    "year",
    "level_x",
    "node_x",
    "level_y",
    "node_y",
    "correlation",
    "n",
    "same_parent",
    "ancestor",
    "flag",
)
#: Columns of :func:`correlation_flags`.
FLAG_COLUMNS: tuple[str, ...] = ("year", "level", "parent", "node_x", "node_y", "correlation", "n", "flag")
#: Columns of :func:`cronbach_alpha`.
CRONBACH_COLUMNS: tuple[str, ...] = ("year", "level", "node", "children", "n", "alpha")
#: Columns of :func:`pca_variance`.
PCA_COLUMNS: tuple[str, ...] = ("year", "level", "node", "children", "n", "first_component")
#: Columns of :func:`pca_loadings`.
LOADING_COLUMNS: tuple[str, ...] = ("year", "level", "node", "child", "loading")
#: Columns of :func:`denominator_correlations`.
DENOMINATOR_COLUMNS: tuple[str, ...] = ("year", "indicator", "denominator", "correlation", "n", "flag")

# Flag codes: stable English words in the tables (never translated).
_LOW_AVAILABILITY = "low availability"
_SKEWED = "skewed"
_OUTLIERS = "outliers"
_MANY_ZEROS = "many zeros"
_FEW_UNIQUE = "few unique values"
_NEGATIVE = "negative"
_REDUNDANT = "redundant"
_HIGH = "high"


# ------------------------------------------------------------------------------ checks


def _check_result(result: object) -> RollUp:
    if not isinstance(result, RollUp):
        msg = _("the audit needs a roll-up result (from roll_up), not {type}").format(type=type(result).__name__)
        raise ScoringError(msg)
    return result


def _choice(name: str, value: object, choices: Sequence[str]) -> str:
    if not isinstance(value, str) or value not in choices:
        msg = _("{name} must be one of {choices}, not {value}{hint}").format(
            name=name, choices=", ".join(choices), value=repr(value), hint=suggest(str(value), choices)
        )
        raise ScoringError(msg)
    return value


def _number(name: str, value: object, low: float, high: float) -> float:
    """Return ``value`` as a float, refusing anything outside ``[low, high]`` (and booleans, NaN)."""
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = _("{name} must be a number between {low:g} and {high:g}, not {value}").format(
            name=name, low=low, high=high, value=repr(value)
        )
        raise ScoringError(msg)
    number = float(value)
    if not low <= number <= high:  # NaN fails too
        msg = _("{name} must lie between {low:g} and {high:g}, not {value}").format(
            name=name, low=low, high=high, value=repr(value)
        )
        raise ScoringError(msg)
    return number


def _below_top(structure: Structure, level: str | None) -> list[str]:
    """Return the levels whose nodes have parents: ``level`` alone (checked), or all of them."""
    if level is None:
        return list(structure.levels[:-1])
    chosen = structure.check_level(level)
    if chosen == structure.levels[-1]:
        msg = _("level {level} is the top of the structure: its nodes have no parent; choose one of {levels}").format(
            level=repr(chosen), levels=", ".join(structure.levels[:-1])
        )
        raise ScoringError(msg)
    return [chosen]


def _parents(structure: Structure, level: str) -> npt.NDArray[np.object_]:
    """Return the parent of each node of ``level`` (``None`` on the top level)."""
    nodes = structure.level_nodes(level)
    if level == structure.levels[-1]:
        return np.full(len(nodes), None, dtype=object)
    _matrix, parents = structure.membership(level)
    return np.asarray(parents, dtype=object)[structure.parent_index(level)]


def _year_rows(result: RollUp) -> list[tuple[int, BoolArray]]:
    """Return each year of the panel with the rows that belong to it."""
    unit_year = result.panel.unit_year()
    return [(year, unit_year == year) for year in result.panel.years]


def pairwise(x: FloatArray, y: FloatArray | None, method: str) -> tuple[FloatArray, FloatArray]:
    """Return the correlations of the columns of ``x`` with those of ``y`` (``x`` itself if ``None``) and their n.

    Pairwise-complete observations; ``nan`` with fewer than :data:`MIN_ROWS` of them or no spread.
    """
    present_x = (~np.isnan(x)).astype(float)
    if y is None:
        matrix = pd.DataFrame(x).corr(method=method, min_periods=MIN_ROWS).to_numpy(dtype=float)  # type: ignore[arg-type]  # method is checked
        counts = present_x.T @ present_x
    else:
        width = x.shape[1]
        both = pd.DataFrame(np.hstack([x, y]))
        matrix = both.corr(method=method, min_periods=MIN_ROWS).to_numpy(dtype=float)[:width, width:]  # type: ignore[arg-type]  # method is checked
        counts = present_x.T @ (~np.isnan(y)).astype(float)
    return np.clip(matrix, -1.0, 1.0), counts


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})


# ------------------------------------------------------------------------------ statistics


def indicator_stats(  # noqa: PLR0913 - keyword-only thresholds, as COINr's get_stats
    result: RollUp,
    *,
    values: Values = "raw",
    min_availability: float = 0.65,
    max_zero_share: float = 0.5,
    min_unique_share: float = 0.5,
    rule: TreatmentRule | None = None,
) -> pd.DataFrame:
    """Return descriptive statistics of every indicator in every year (COINr's ``get_stats``).

    Parameters
    ----------
    result
        A roll-up.
    values
        ``raw``: the values scored, before normalisation (after any imputation or treatment);
        ``normalised``: the indicator scores.
    min_availability
        An indicator-year is flagged ``low availability`` when its share of region-years with an
        *observed* value (imputed values do not count) is below this.
    max_zero_share
        Flagged ``many zeros`` when the share of its values equal to 0 is above this.
    min_unique_share
        Flagged ``few unique values`` when distinct values / values is below this.
    rule
        The treatment's pass rule (default ``|skew| < 2`` or ``kurtosis < 3.5``); an indicator
        that fails it is flagged ``skewed``.

    Returns
    -------
    pandas.DataFrame
        One row per year and indicator: ``year, indicator, n`` (values present),
        ``availability`` (share of region-years with a value, observed or imputed), ``imputed``
        (share of region-years with an imputed value), ``min, max, mean, median, sd`` (``sd``
        with ``ddof=1``), ``skew, kurtosis`` (excess), ``passes`` (the treatment rule; ``<NA>``
        with too few values or no spread to check), ``outliers_low, outliers_high`` (counts
        beyond 1.5·IQR), ``zero_share, unique_share`` (shares of the values present) and
        ``flags`` (codes joined by ``", "``; empty when none). Unlike COINr, the zero and unique
        shares are of the values present, not of all rows, so missing data do not count twice.
    """
    result = _check_result(result)
    chosen = _choice("values", values, _VALUES)
    minimum = _number("min_availability", min_availability, 0.0, 1.0)
    zeros_allowed = _number("max_zero_share", max_zero_share, 0.0, 1.0)
    unique_needed = _number("min_unique_share", min_unique_share, 0.0, 1.0)
    rule = rule or TreatmentRule()
    if not isinstance(rule, TreatmentRule):
        msg = _("rule must be a TreatmentRule, not {type}").format(type=type(rule).__name__)
        raise ScoringError(msg)
    panel = result.panel
    matrix = panel.matrix if chosen == "raw" else result.levels[result.structure.levels[0]].score
    indicators = result.structure.indicators if chosen == "normalised" else panel.indicators
    codes = panel.year_code()
    groups = Groups(codes)
    n, skew, kurtosis = groups.moments(matrix)
    present = ~np.isnan(matrix)
    imputed = groups.count(np.where(present & panel.imputed, 1.0, np.nan))
    regions = max(len(panel.regions), 1)
    frame = pd.DataFrame(matrix)
    grouped = frame.groupby(codes)
    quartiles = grouped.quantile(np.array([0.25, 0.5, 0.75])).to_numpy(dtype=float).reshape(groups.size, 3, -1)
    q1, median, q3 = quartiles[:, 0], quartiles[:, 1], quartiles[:, 2]
    spread_q1, spread_q3 = groups.spread(q1), groups.spread(q3)
    iqr = spread_q3 - spread_q1
    low = groups.count(np.where(matrix < spread_q1 - 1.5 * iqr, 1.0, np.nan))
    high = groups.count(np.where(matrix > spread_q3 + 1.5 * iqr, 1.0, np.nan))
    zeros = groups.count(np.where(matrix == 0, 1.0, np.nan))
    unique = grouped.nunique().to_numpy(dtype=float)
    passed = rule.passes(skew, kurtosis)
    unchecked = ~passed & (np.isnan(skew) | np.isnan(kurtosis))
    with np.errstate(invalid="ignore", divide="ignore"):
        zero_share = np.where(n > 0, zeros / n, np.nan)
        unique_share = np.where(n > 0, unique / n, np.nan)
    availability = n / regions
    observed = availability - imputed / regions
    conditions = {
        _LOW_AVAILABILITY: observed < minimum,
        _SKEWED: ~passed & ~unchecked,
        _OUTLIERS: (low + high) > 0,
        _MANY_ZEROS: zero_share > zeros_allowed,
        _FEW_UNIQUE: unique_share < unique_needed,
    }
    flags = np.full(n.shape, "", dtype=object)
    for code, mask in conditions.items():
        flags = np.where(mask, np.where(flags == "", code, flags + ", " + code), flags)
    n_years, n_ind = n.shape
    passes = pd.array(passed.ravel(), dtype="boolean")
    passes[unchecked.ravel()] = pd.NA
    return pd.DataFrame(
        {
            "year": np.repeat(np.asarray(panel.years, dtype=np.int64), n_ind),
            "indicator": np.tile(np.asarray(indicators, dtype=object), n_years),
            "n": n.ravel().astype(np.int64),
            "availability": availability.ravel(),
            "imputed": (imputed / regions).ravel(),
            "min": groups.min(matrix).ravel(),
            "max": groups.max(matrix).ravel(),
            "mean": groups.mean(matrix).ravel(),
            "median": median.ravel(),
            "sd": groups.std(matrix).ravel(),
            "skew": skew.ravel(),
            "kurtosis": kurtosis.ravel(),
            "passes": passes,
            "outliers_low": low.ravel().astype(np.int64),
            "outliers_high": high.ravel().astype(np.int64),
            "zero_share": zero_share.ravel(),
            "unique_share": unique_share.ravel(),
            "flags": flags.ravel(),
        },
        columns=list(STATS_COLUMNS),
    )


# ------------------------------------------------------------------------------ correlations


def _flag(  # noqa: PLR0913 - the pair's relations and both thresholds
    correlation: FloatArray,
    *,
    same_level: bool,
    same_parent: BoolArray,
    ancestor: BoolArray,
    threshold: float,
    negative: float | None,
) -> npt.NDArray[np.object_]:
    """Return ``negative``, ``redundant`` or ``""`` for each pair (see :func:`correlations`)."""
    redundant = (correlation > threshold) & same_level
    low = np.zeros(correlation.shape, dtype=bool) if negative is None else correlation < negative
    low &= same_parent | ancestor
    return np.where(redundant, _REDUNDANT, np.where(low, _NEGATIVE, "")).astype(object)


def _warn_missing(frame: pd.DataFrame, left: str, right: str) -> None:
    """Say which pairs got no correlation (too few complete rows, or no spread)."""
    missing = frame[frame["correlation"].isna()]
    if missing.empty:
        return
    shown = listing(
        _("{x} and {y} in {year} (n={n})").format(x=repr(x), y=repr(y), year=year, n=count)
        for x, y, year, count in missing[[left, right, "year", "n"]].itertuples(index=False)
    )
    warn(
        n_(
            "{n} pair has no correlation (fewer than {rows} complete rows, or a value without spread): {pairs}",
            "{n} pairs have no correlation (fewer than {rows} complete rows, or a value without spread): {pairs}",
            len(missing),
        ).format(n=len(missing), rows=MIN_ROWS, pairs=shown)
    )


def _thresholds(threshold: float, negative: float | None) -> tuple[float, float | None]:
    high = _number("threshold", threshold, 0.0, 1.0)
    low = None if negative is None else _number("negative", negative, -1.0, 0.0)
    return high, low


def correlations(  # noqa: PLR0913 - keyword-only options, as COINr's get_corr
    result: RollUp,
    *,
    level: str | None = None,
    against: str | None = None,
    method: CorrelationMethod = "pearson",
    within: Within = "parent",
    threshold: float = 0.9,
    negative: float | None = 0.0,
) -> pd.DataFrame:
    """Return the correlations between the nodes of ``level`` and those of ``against``, per year (COINr's ``get_corr``).

    Scores are correlated: the normalised scores of indicators (so a "lower is better"
    indicator is already turned round), the aggregated scores above.

    Parameters
    ----------
    result
        A roll-up.
    level
        The level of ``node_x`` (default: the bottom one, the indicators).
    against
        The level of ``node_y``: ``level`` itself (the default; each unordered pair once, no
        self pairs) or a level above it (every node of ``level`` with every node of
        ``against``; e.g. ``against="index"`` correlates every indicator with the index).
    method
        ``pearson`` or ``spearman``, on pairwise-complete observations.
    within
        ``parent`` keeps the pairs of one family: siblings (same parent) on one level, a node
        and its own ancestor across levels (COINr's ``withparent``); ``all`` keeps every pair.
    threshold
        Pairs on the same level above this are flagged ``redundant`` (double counting).
    negative
        Pairs below this (default 0) are flagged ``negative`` when a negative correlation
        undermines the aggregate: siblings, or a node and its ancestor; pairs from different
        families may trade off against each other and are not flagged. ``None`` flags none.

    Returns
    -------
    pandas.DataFrame
        ``year, level_x, node_x, level_y, node_y, correlation, n`` (complete pairs),
        ``same_parent``, ``ancestor`` (``node_y`` is an ancestor of ``node_x``) and ``flag``
        (``redundant``, ``negative`` or ``""``). A pair without a correlation (fewer than three
        complete rows, or no spread) has ``nan`` and is named in a warning.
    """
    result = _check_result(result)
    structure = result.structure
    lower = structure.check_level(level) if level is not None else structure.levels[0]
    upper = lower if against is None else structure.check_level(against)
    if structure.levels.index(upper) < structure.levels.index(lower):
        msg = _(
            "against={against} is below level={level}; correlate the lower level against the higher one "
            "(level={against}, against={level})"
        ).format(against=repr(upper), level=repr(lower))
        raise ScoringError(msg)
    chosen = _choice("method", method, _METHODS)
    scope = _choice("within", within, _WITHIN)
    high, low = _thresholds(threshold, negative)
    same_level = lower == upper
    nodes_x, nodes_y = structure.level_nodes(lower), structure.level_nodes(upper)
    parents = _parents(structure, lower)
    if same_level:
        i, j = np.triu_indices(len(nodes_x), k=1)
        same_parent = (parents[i] == parents[j]) & (parents[i] != None)  # noqa: E711 - elementwise on objects
        ancestor = np.zeros(len(i), dtype=bool)
    else:
        i, j = (grid.ravel() for grid in np.meshgrid(np.arange(len(nodes_x)), np.arange(len(nodes_y)), indexing="ij"))
        ancestor = structure.ancestor_index(lower, upper)[i] == j
        same_parent = np.zeros(len(i), dtype=bool)
    keep = (same_parent | ancestor) if scope == "parent" else np.ones(len(i), dtype=bool)
    i, j, same_parent, ancestor = i[keep], j[keep], same_parent[keep], ancestor[keep]
    if not len(i):
        warn(
            _("no pairs to correlate on level {level} against {against} (within={within}): {why}").format(
                level=repr(lower),
                against=repr(upper),
                within=repr(scope),
                why=_("no two nodes share a parent") if scope == "parent" else _("the level has one node"),
            )
        )
        return _empty(CORRELATION_COLUMNS)
    x_scores, y_scores = result.levels[lower].score, result.levels[upper].score
    blocks = []
    for year, rows in _year_rows(result):
        matrix, counts = pairwise(x_scores[rows], None if same_level else y_scores[rows], chosen)
        blocks.append((year, matrix[i, j], counts[i, j]))
    years = len(blocks)
    correlation = np.concatenate([block[1] for block in blocks])
    same_parent, ancestor = np.tile(same_parent, years), np.tile(ancestor, years)
    frame = pd.DataFrame(
        {
            "year": np.repeat(np.asarray([block[0] for block in blocks], dtype=np.int64), len(i)),
            "level_x": lower,
            "node_x": np.tile(np.asarray(nodes_x, dtype=object)[i], years),
            "level_y": upper,
            "node_y": np.tile(np.asarray(nodes_y, dtype=object)[j], years),
            "correlation": correlation,
            "n": np.concatenate([block[2] for block in blocks]).astype(np.int64),
            "same_parent": same_parent,
            "ancestor": ancestor,
            "flag": _flag(
                correlation,
                same_level=same_level,
                same_parent=same_parent,
                ancestor=ancestor,
                threshold=high,
                negative=low,
            ),
        },
        columns=list(CORRELATION_COLUMNS),
    )
    _warn_missing(frame, "node_x", "node_y")
    return frame


def _has_siblings(structure: Structure, level: str) -> bool:
    if level == structure.levels[-1]:
        return False
    return bool((np.bincount(structure.parent_index(level)) > 1).any())


def correlation_flags(
    result: RollUp,
    *,
    level: str | None = None,
    threshold: float = 0.9,
    negative: float | None = 0.0,
    method: CorrelationMethod = "pearson",
) -> pd.DataFrame:
    """Return the flagged pairs of siblings, per year (COINr's ``get_corr_flags``).

    Parameters
    ----------
    result
        A roll-up.
    level
        The level whose siblings are compared (default: every level below the top that has siblings).
    threshold
        Siblings correlated above this are flagged ``redundant``.
    negative
        Siblings correlated below this (default 0) are flagged ``negative``; ``None`` flags none.
    method
        ``pearson`` or ``spearman``.

    Returns
    -------
    pandas.DataFrame
        ``year, level, parent, node_x, node_y, correlation, n, flag``. An empty table means
        no sibling pair crosses a threshold; a level without siblings is said in a warning.
    """
    result = _check_result(result)
    structure = result.structure
    levels = _below_top(structure, level)
    _thresholds(threshold, negative)
    if level is None:
        levels = [lv for lv in levels if _has_siblings(structure, lv)] or levels[:1]
    frames = []
    for chosen in levels:
        table = correlations(
            result, level=chosen, method=method, within="parent", threshold=threshold, negative=negative
        )
        if table.empty:
            continue
        flagged = table[table["flag"] != ""]
        parent = dict(zip(structure.level_nodes(chosen), _parents(structure, chosen), strict=True))
        frames.append(
            pd.DataFrame(
                {
                    "year": flagged["year"],
                    "level": chosen,
                    "parent": flagged["node_x"].map(parent),
                    "node_x": flagged["node_x"],
                    "node_y": flagged["node_y"],
                    "correlation": flagged["correlation"],
                    "n": flagged["n"],
                    "flag": flagged["flag"],
                },
                columns=list(FLAG_COLUMNS),
            )
        )
    if not frames:
        return _empty(FLAG_COLUMNS)
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------ families


@dataclass(frozen=True)
class _Family:
    """An aggregate and the columns of its children (those with a weight in it)."""

    level: str
    node: str
    children: tuple[str, ...]
    columns: IntArray
    source: str


def _families(structure: Structure, levels: Iterable[str]) -> list[_Family]:
    """Return every aggregate above ``levels``, saying which children of weight 0 are left out."""
    families, zero = [], []
    for lower in levels:
        upper = structure.levels[structure.levels.index(lower) + 1]
        matrix, parents = structure.membership(lower)
        parent = structure.parent_index(lower)
        nodes = np.asarray(structure.level_nodes(lower), dtype=object)
        weight = matrix[np.arange(len(parent)), parent]
        zero += [
            f"{child!r} ({parents[p]!r})" for child, p in zip(nodes[weight == 0], parent[weight == 0], strict=True)
        ]
        for column, name in enumerate(parents):
            members = np.flatnonzero((parent == column) & (weight > 0))
            families.append(_Family(upper, name, tuple(nodes[members]), members, lower))
    if zero:
        warn(
            n_(
                "{n} child of weight 0 is left out of its aggregate's consistency: {children}",
                "{n} children of weight 0 are left out of their aggregates' consistency: {children}",
                len(zero),
            ).format(n=len(zero), children=listing(zero))
        )
    return families


def _complete(result: RollUp, family: _Family, rows: BoolArray) -> tuple[FloatArray, tuple[str, ...]]:
    """Return the complete rows of a family's children in ``rows``, and the children used.

    A child with no score at all in these rows (an element nothing measures yet) is left out
    rather than emptying every row; the callers say so.
    """
    block = result.levels[family.source].score[rows][:, family.columns]
    scored: BoolArray = np.asarray(~np.isnan(block).all(axis=0), dtype=bool)
    block = block[:, scored]
    complete: FloatArray = block[~np.isnan(block).any(axis=1)]
    return complete, tuple(child for child, keep in zip(family.children, map(bool, scored), strict=True) if keep)


_TOO_FEW_CHILDREN = N_("fewer than 2 children")
_TOO_FEW_ROWS = N_("fewer than 3 complete rows")
_NO_SPREAD = N_("a child or the total without spread")
_UNSCORED = N_("children without any score that year were left out")


def _warn_undefined(what: str, problems: dict[str, list[str]]) -> None:
    """Say which aggregates got ``nan`` (or fewer children), grouped by reason."""
    for reason, items in problems.items():
        if reason == _UNSCORED and items:
            warn(
                n_(
                    "{what}: children without any score that year were left out of {n} aggregate: {items}",
                    "{what}: children without any score that year were left out of {n} aggregates: {items}",
                    len(items),
                ).format(what=what, n=len(items), items=listing(items))
            )
        elif items:
            warn(
                n_(
                    "{what} is undefined for {n} aggregate ({reason}): {items}",
                    "{what} is undefined for {n} aggregates ({reason}): {items}",
                    len(items),
                ).format(what=what, n=len(items), reason=_(reason), items=listing(items))
            )


def _label(family: _Family, year: int | None = None) -> str:
    if year is None:
        return _("{level} {node}").format(level=family.level, node=repr(family.node))
    return _("{level} {node} in {year}").format(level=family.level, node=repr(family.node), year=year)


def _walk(
    result: RollUp, level: str | None, problems: dict[str, list[str]]
) -> Iterator[tuple[int, _Family, FloatArray, tuple[str, ...], bool]]:
    """Yield every aggregate of every year with its complete rows, the children used and whether it is computable.

    Fills ``problems`` with what :func:`_warn_undefined` reports: too few children or rows, and
    children left out for want of any score.
    """
    families = _families(result.structure, _below_top(result.structure, level))
    problems.update({_TOO_FEW_CHILDREN: [], _TOO_FEW_ROWS: [], _NO_SPREAD: [], _UNSCORED: []})
    problems[_TOO_FEW_CHILDREN] = [_label(f) for f in families if len(f.children) < 2]  # noqa: PLR2004
    for year, in_year in _year_rows(result):
        for family in families:
            data, used = _complete(result, family, in_year)
            if len(used) < len(family.children) and len(family.children) >= 2:  # noqa: PLR2004
                problems[_UNSCORED].append(_label(family, year))
            n, k = data.shape
            if k >= 2 and n < MIN_ROWS:  # noqa: PLR2004 - two children at least
                problems[_TOO_FEW_ROWS].append(_label(family, year))
            yield year, family, data, used, k >= 2 and n >= MIN_ROWS  # noqa: PLR2004


def cronbach_alpha(result: RollUp, level: str | None = None) -> pd.DataFrame:
    """Return Cronbach's alpha of the children of every aggregate, per year (COINr's ``get_cronbach``).

    Parameters
    ----------
    result
        A roll-up.
    level
        The level of the children: the aggregates are their parents (``None``: every aggregate).

    Returns
    -------
    pandas.DataFrame
        ``year, level, node`` (the aggregate), ``children`` (how many were used), ``n``
        (complete rows: regions with every child scored) and ``alpha``. Children of weight 0,
        and children without any score that year, are left out (a warning names the latter); an
        aggregate with fewer than 2 children, fewer than 3 complete rows or a total without
        spread gets ``nan``, and a warning names it.
    """
    result = _check_result(result)
    problems: dict[str, list[str]] = {}
    rows = []
    for year, family, data, _used, computable in _walk(result, level, problems):
        n, k = data.shape
        alpha = np.nan
        if computable:
            total = data.sum(axis=1).var(ddof=1)
            if total > 0:
                alpha = k / (k - 1) * (1 - data.var(axis=0, ddof=1).sum() / total)
            else:
                problems[_NO_SPREAD].append(_label(family, year))
        rows.append((year, family.level, family.node, k, n, alpha))
    _warn_undefined(_("Cronbach's alpha"), problems)
    return pd.DataFrame(rows, columns=list(CRONBACH_COLUMNS)).astype({"year": np.int64, "alpha": float})


def _pca(result: RollUp, level: str | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = _check_result(result)
    problems: dict[str, list[str]] = {}
    shares, loadings = [], []
    for year, family, data, used, computable in _walk(result, level, problems):
        n, k = data.shape
        share = np.nan
        vector = np.full(k, np.nan)
        if computable and (data.std(axis=0, ddof=1) > 0).all():
            eigenvalues, eigenvectors = np.linalg.eigh(np.corrcoef(data, rowvar=False))
            share = float(eigenvalues[-1] / k)
            vector = eigenvectors[:, -1]
            total = vector.sum()
            sign = np.sign(total) if total != 0 else np.sign(vector[np.flatnonzero(vector)[0]])
            vector = vector * sign
        elif computable:
            problems[_NO_SPREAD].append(_label(family, year))
        shares.append((year, family.level, family.node, k, n, share))
        loadings += [
            (year, family.level, family.node, child, float(value)) for child, value in zip(used, vector, strict=True)
        ]
    _warn_undefined(_("the first principal component"), problems)
    variance = pd.DataFrame(shares, columns=list(PCA_COLUMNS)).astype({"year": np.int64, "first_component": float})
    loading = pd.DataFrame(loadings, columns=list(LOADING_COLUMNS)).astype({"year": np.int64, "loading": float})
    return variance, loading


def pca_variance(result: RollUp, level: str | None = None) -> pd.DataFrame:
    """Return the first principal component's share of variance, per aggregate and year (COINr's ``get_PCA``).

    Parameters
    ----------
    result
        A roll-up.
    level
        The level of the children: the aggregates are their parents (``None``: every aggregate).

    Returns
    -------
    pandas.DataFrame
        ``year, level, node, children, n`` (complete rows) and ``first_component``
        (``λ_max / k`` of the children's correlation matrix, between ``1/k`` and 1). Children
        of weight 0 are left out; undefined cases get ``nan`` and a warning, as in
        :func:`cronbach_alpha`.
    """
    return _pca(result, level)[0]


def pca_loadings(result: RollUp, level: str | None = None) -> pd.DataFrame:
    """Return the loadings of the first principal component of every aggregate's children, per year.

    Parameters
    ----------
    result
        A roll-up.
    level
        The level of the children (``None``: every aggregate).

    Returns
    -------
    pandas.DataFrame
        ``year, level, node, child, loading``: the unit eigenvector of the largest eigenvalue of
        the children's correlation matrix, signed so that the loadings of a node sum to a
        positive number (``nan`` where :func:`pca_variance` is ``nan``).
    """
    return _pca(result, level)[1]


# ------------------------------------------------------------------------------ denominators


def _denominator_table(denominators: pd.DataFrame, columns: Sequence[str] | None) -> tuple[str, list[str]]:
    """Check the denominators' table; return its region column and the denominator columns."""
    if not isinstance(denominators, pd.DataFrame):
        msg = _("denominators must be a pandas DataFrame, not {type}").format(type=type(denominators).__name__)
        raise ScoringError(msg)
    key = _region_column(denominators)
    available = [str(c) for c in denominators.columns if c not in {key, "year"}]
    if columns is None:
        chosen = available
    else:
        if isinstance(columns, str):
            columns = [columns]
        unknown = [f"{c!r}{suggest(str(c), available)}" for c in columns if c not in available]
        if unknown:
            msg = _("no denominator columns {columns}; the columns are {available}").format(
                columns=listing(unknown), available=listing(available)
            )
            raise ScoringError(msg)
        chosen = list(columns)
    if not chosen:
        msg = _("the denominators have no column besides {key} and year").format(key=repr(key))
        raise ScoringError(msg)
    text = [
        c for c in chosen if (pd.to_numeric(denominators[c], errors="coerce").isna() & denominators[c].notna()).any()
    ]
    if text:
        msg = _(
            "denominator columns {columns} hold values that are not numbers; choose the others with columns="
        ).format(columns=listing(repr(c) for c in text))
        raise ScoringError(msg)
    keys = [key, "year"] if "year" in denominators.columns else [key]
    twice = denominators[denominators.duplicated(keys)]
    if len(twice):
        msg = _("the denominators give some rows twice: {units}").format(
            units=listing(twice[keys].astype(str).agg(" ".join, axis=1))
        )
        raise ScoringError(msg)
    return key, chosen


def denominator_correlations(
    data: pd.DataFrame,
    denominators: pd.DataFrame,
    *,
    threshold: float = 0.7,
    method: CorrelationMethod = "pearson",
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the correlation of every indicator with every denominator, per year (COINr's ``get_denom_corr``).

    A raw indicator strongly correlated with a denominator (population, area, GDP) may measure
    size rather than performance, and may want denominating by it.

    Parameters
    ----------
    data
        A tidy table ``region, year, indicator, value`` of raw values (before denomination).
    denominators
        A table with a ``region`` (or ``id``) column, optionally ``year`` (without it, one row
        per region serves every year) and one numeric column per denominator.
    threshold
        Pairs with ``|r|`` above this are flagged ``high``.
    method
        ``pearson`` or ``spearman``, on pairwise-complete observations.
    columns
        The denominator columns (default: every column but the region and year).

    Returns
    -------
    pandas.DataFrame
        ``year, indicator, denominator, correlation, n`` (complete pairs) and ``flag``
        (``high`` or ``""``). Regions of the data without denominators are named in a warning.
    """
    limit = _number("threshold", threshold, 0.0, 1.0)
    chosen = _choice("method", method, _METHODS)
    key, names = _denominator_table(denominators, columns)
    panel = Panel.from_table(data)
    wide = panel.to_wide()
    table = denominators.assign(**{key: denominators[key].astype(str)})
    if "year" in table.columns:
        years = pd.to_numeric(table["year"], errors="coerce")
        lookup = pd.MultiIndex.from_arrays([table[key], years])
        row = lookup.get_indexer(pd.MultiIndex.from_arrays([panel.unit_region(), panel.unit_year()]))
    else:
        row = pd.Index(table[key]).get_indexer(pd.Index(panel.unit_region()))
    values = table[names].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    divisors = np.where((row >= 0)[:, None], values[np.clip(row, 0, None)] if len(values) else np.nan, np.nan)
    has_data = ~np.isnan(panel.matrix).all(axis=1)
    unmatched = has_data & (row < 0)
    if unmatched.any():
        shown = listing(
            f"{r!r} {y}" for r, y in zip(panel.unit_region()[unmatched], panel.unit_year()[unmatched], strict=True)
        )
        warn(
            n_(
                "{n} region-year of the data has no row in the denominators; it is left out: {units}",
                "{n} region-years of the data have no row in the denominators; they are left out: {units}",
                int(unmatched.sum()),
            ).format(n=int(unmatched.sum()), units=shown)
        )
    blocks = []
    unit_year = panel.unit_year()
    for year in panel.years:
        rows = unit_year == year
        matrix, counts = pairwise(wide.to_numpy(dtype=float)[rows], divisors[rows], chosen)
        blocks.append((year, matrix.ravel(), counts.ravel()))
    n_ind, n_den = len(panel.indicators), len(names)
    correlation = np.concatenate([block[1] for block in blocks])
    frame = pd.DataFrame(
        {
            "year": np.repeat(np.asarray(panel.years, dtype=np.int64), n_ind * n_den),
            "indicator": np.tile(np.repeat(np.asarray(panel.indicators, dtype=object), n_den), len(blocks)),
            "denominator": np.tile(np.asarray(names, dtype=object), n_ind * len(blocks)),
            "correlation": correlation,
            "n": np.concatenate([block[2] for block in blocks]).astype(np.int64),
            "flag": np.where(np.abs(correlation) > limit, _HIGH, "").astype(object),
        },
        columns=list(DENOMINATOR_COLUMNS),
    )
    _warn_missing(frame, "indicator", "denominator")
    return frame


# ------------------------------------------------------------------------------ the audit


@dataclass(frozen=True, eq=False)
class Audit:
    """Every table of a statistical audit of one roll-up (see :func:`audit`)."""

    stats: pd.DataFrame
    """:func:`indicator_stats` of the raw values."""
    correlations: pd.DataFrame
    """:func:`correlations` of every pair of indicators (``within="all"``)."""
    flags: pd.DataFrame
    """:func:`correlation_flags` of the siblings on every level below the top."""
    cronbach: pd.DataFrame
    """:func:`cronbach_alpha` of every aggregate."""
    pca: pd.DataFrame
    """:func:`pca_variance` of every aggregate."""
    loadings: pd.DataFrame
    """:func:`pca_loadings` of every aggregate."""
    notes: tuple[str, ...] = ()
    """What the tables left undefined or out, and why (said once, as one warning, by :func:`audit`)."""

    def __repr__(self) -> str:
        """Summarise: indicators flagged, flagged pairs, the weakest alpha and first component."""
        stats = self.stats
        years = sorted(set(stats["year"].tolist()))
        span = f"{years[0]}–{years[-1]}" if years else "no years"
        flagged = stats[stats["flags"] != ""]
        codes = pd.Series([c for text in flagged["flags"] for c in str(text).split(", ")], dtype=object)
        counts = ", ".join(f"{code} {count}" for code, count in codes.value_counts().items())
        pairs = self.flags["flag"].value_counts() if not self.flags.empty else pd.Series(dtype=int)
        lines = [
            f"<Audit {_count(stats['indicator'].nunique(), 'indicator')} × {_count(len(years), 'year')} ({span})",
            f"  stats: {len(flagged)} of {len(stats)} indicator-years flagged" + (f" ({counts})" if counts else ""),
            (
                f"  correlations: {int(pairs.get(_REDUNDANT, 0))} redundant and {int(pairs.get(_NEGATIVE, 0))} "
                f"negative sibling pair-years; {len(self.correlations)} indicator pair-years in .correlations"
            ),
            "  " + _lowest(self.cronbach, "alpha", "lowest alpha"),
            "  " + _lowest(self.pca, "first_component", "lowest first-component share"),
            *([f"  {len(self.notes)} notes: see .notes"] if self.notes else []),
            "  tables: .stats .correlations .flags .cronbach .pca .loadings>",
        ]
        return "\n".join(lines)


def _lowest(table: pd.DataFrame, column: str, what: str) -> str:
    """Write ``what 0.42 (pillar 'x', 2020)`` for the smallest value of ``column`` (English, for reprs)."""
    defined = table.dropna(subset=[column])
    if defined.empty:
        return f"{what}: none defined"
    row = defined.iloc[int(defined[column].to_numpy(dtype=float).argmin())]
    return f"{what} {row[column]:.3f} ({row['level']} {row['node']!r}, {row['year']})"


def audit(
    result: RollUp,
    *,
    method: CorrelationMethod = "pearson",
    threshold: float = 0.9,
    negative: float | None = 0.0,
    min_availability: float = 0.65,
) -> Audit:
    """Return the whole statistical audit of a roll-up.

    Parameters
    ----------
    result
        A roll-up.
    method
        ``pearson`` or ``spearman``, for the correlations.
    threshold, negative
        Thresholds of ``redundant`` and ``negative`` correlations (see :func:`correlations`).
    min_availability
        Threshold of ``low availability`` (see :func:`indicator_stats`).

    Returns
    -------
    Audit
        The statistics of the raw values, the correlations of every indicator pair, the
        flagged sibling pairs of every level, and Cronbach's alpha and the PCA of every
        aggregate.
    """
    result = _check_result(result)
    levels = result.structure.levels
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScoringWarning)
        variance, loadings = _pca(result, None)
        found = Audit(
            stats=indicator_stats(result, min_availability=min_availability),
            correlations=correlations(
                result, level=levels[0], method=method, within="all", threshold=threshold, negative=negative
            ),
            flags=correlation_flags(result, level=None, method=method, threshold=threshold, negative=negative),
            cronbach=cronbach_alpha(result),
            pca=variance,
            loadings=loadings,
        )
    notes = []
    for item in caught:
        if issubclass(item.category, ScoringWarning):
            notes.append(str(item.message))
        else:
            warnings.warn_explicit(item.message, item.category, item.filename, item.lineno)
    notes = list(dict.fromkeys(notes))
    if notes:
        warn(
            n_(
                "the audit left {n} thing undefined or out: see .notes",
                "the audit left {n} things undefined or out: see .notes",
                len(notes),
            ).format(n=len(notes))
        )
    return dataclasses.replace(found, notes=tuple(notes))
