"""Trends and comparisons of roll-up results: growth over time, change between two years, two results side by side.

For one region and node with scores :math:`s_t` in the years :math:`t` present (COINr's
``get_trends`` and ``compare_coins``):

- compound annual growth rate ``cagr = (s_last / s_first) ** (1 / (t_last - t_first)) - 1``,
  undefined (NaN, with a warning) when ``s_first <= 0`` or ``s_last < 0``;
- linear trend ``slope = Σ (t - t̄)(s_t - s̄) / Σ (t - t̄)²``, least squares over every year present
  (score points per year);
- ``change = s_second - s_first`` and ``change_pct = 100 · change / |s_first|`` (NaN when ``s_first = 0``);
- ranks among the regions of one node in one year, 1 the highest score, tied regions sharing the
  best rank of their tie (``min``); ``rank_change = rank before - rank after``, positive when a
  region moved up;
- two results ``a`` and ``b``: ``difference = score_b - score_a``, ``rank_change = rank_a - rank_b``,
  and per node Spearman's ρ, the Pearson correlation of the two scores' (average) ranks among the
  regions both score.

Every function takes a :class:`~smartcity_model.RollUp` or a tidy table: columns ``region, year,
node, score`` and optionally ``level`` (a roll-up's ``scores``), or ``region, year, indicator,
value`` (the observations :func:`~smartcity_model.roll_up` reads). A table without ``level`` is
one level, named after its node column (``node`` or ``indicator``). Ranks read higher as better,
as scores do after normalisation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, n_
from smartcity_model.scoring.rollup import RollUp
from smartcity_model.scoring.structure import ScoringError, listing, warn

__all__ = [
    "CHANGE_COLUMNS",
    "GROWTH_COLUMNS",
    "SUMMARY_COLUMNS",
    "Scores",
    "change",
    "compare",
    "compare_summary",
    "growth",
]

#: What the functions read: a roll-up, or a tidy table of scores (see the module's description).
Scores: TypeAlias = RollUp | pd.DataFrame
#: Columns of :func:`growth`.
GROWTH_COLUMNS: tuple[str, ...] = (
    "region",
    "level",
    "node",
    "first_year",
    "last_year",
    "first",
    "last",
    "years",
    "cagr",
    "slope",
)
#: Columns of :func:`change`.
CHANGE_COLUMNS: tuple[str, ...] = (
    "region",
    "level",
    "node",
    "score_first",
    "score_second",
    "change",
    "change_pct",
    "rank_first",
    "rank_second",
    "rank_change",
)
#: Columns of :func:`compare_summary`.
SUMMARY_COLUMNS: tuple[str, ...] = (
    "year",
    "level",
    "node",
    "regions",
    "mean_difference",
    "mean_abs_rank_change",
    "max_abs_rank_change",
    "spearman",
)
_KEYS = ["region", "year", "level", "node"]
_SERIES = ["region", "level", "node"]
_CELL = ["year", "level", "node"]


def _tidy(source: object, name: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Return ``region, year, level, node, score`` (years whole numbers) and the levels in order."""
    if isinstance(source, RollUp):
        return source.scores[[*_KEYS, "score"]], source.structure.levels
    if not isinstance(source, pd.DataFrame):
        msg = _("{name} must be a roll-up result or a table of scores, not {kind}").format(
            name=name, kind=type(source).__name__
        )
        raise ScoringError(msg)
    node = "node" if "node" in source.columns or "indicator" not in source.columns else "indicator"
    value = "score" if "score" in source.columns or "value" not in source.columns else "value"
    missing = [column for column in ("region", "year", node, value) if column not in source.columns]
    if missing:
        msg = _(
            "{name}: a table of scores needs columns region, year, node and score (or indicator and value); "
            "missing: {missing}"
        ).format(name=name, missing=", ".join(missing))
        raise ScoringError(msg)
    if source.empty:
        msg = _("{name}: the table of scores is empty").format(name=name)
        raise ScoringError(msg)
    level = source["level"] if "level" in source.columns else pd.Series(node, index=source.index, dtype=object)
    frame = pd.DataFrame(
        {
            "region": source["region"],
            "year": pd.to_numeric(source["year"], errors="coerce"),
            "level": level,
            "node": source[node],
            "score": pd.to_numeric(source[value], errors="coerce"),
        }
    )
    _check_frame(frame, source[value], name)
    frame["year"] = frame["year"].astype(np.int64)
    frame["score"] = frame["score"].astype(float)
    return frame.reset_index(drop=True), tuple(str(lv) for lv in pd.unique(frame["level"]))


def _check_frame(frame: pd.DataFrame, raw: pd.Series, name: str) -> None:
    """Refuse missing ids, years that are not whole numbers, values that are not numbers, and repeated rows."""
    problems = []
    ids = frame[["region", "level", "node"]].isna().any(axis=1)
    if ids.any():
        problems.append(
            n_("{n} row has no region, level or node", "{n} rows have no region, level or node", int(ids.sum())).format(
                n=int(ids.sum())
            )
        )
    years = frame["year"]
    bad_years = years.isna() | (years != years.round())
    if bad_years.any():
        shown = listing(pd.unique(frame.loc[bad_years, "year"].astype(object)))
        problems.append(_("years must be whole numbers: {years}").format(years=shown))
    bad_values = frame["score"].isna() & raw.notna().to_numpy()
    if bad_values.any():
        shown = listing(repr(v) for v in pd.unique(raw[bad_values.to_numpy()].astype(object)))
        problems.append(_("scores must be numbers: {values}").format(values=shown))
    infinite = np.isinf(frame["score"].to_numpy(dtype=float))
    if infinite.any():
        problems.append(
            n_("{n} score is infinite: {pairs}", "{n} scores are infinite: {pairs}", int(infinite.sum())).format(
                n=int(infinite.sum()), pairs=_pairs(frame[infinite])
            )
        )
    repeated = frame.duplicated(_KEYS, keep=False) & ~ids
    if repeated.any():
        first = frame.loc[repeated].iloc[0]
        problems.append(
            n_(
                "{n} row repeats another's region, year, level and node, e.g. {region}, {year}, {node}",
                "{n} rows repeat another's region, year, level and node, e.g. {region}, {year}, {node}",
                int(repeated.sum()),
            ).format(n=int(repeated.sum()), region=repr(first["region"]), year=first["year"], node=repr(first["node"]))
        )
    if problems:
        msg = _("{name}: {problems}").format(name=name, problems="; ".join(problems))
        raise ScoringError(msg)


def _level(frame: pd.DataFrame, levels: Sequence[str], level: str | None, name: str | None = None) -> pd.DataFrame:
    """Return the rows of ``level`` (every row when ``None``), refusing a level the scores do not have."""
    if level is None:
        return frame
    if level not in levels:
        msg = _("no level {level}{hint}; the levels are {levels}").format(
            level=repr(level), hint=suggest(str(level), levels), levels=", ".join(levels)
        )
        raise ScoringError(msg if name is None else _("{name}: {problems}").format(name=name, problems=msg))
    return frame[frame["level"] == level]


def _year(year: object, years: Sequence[int], name: str | None = None) -> int:
    """Return ``year`` if the scores have it, else raise naming the years they have."""
    wanted = int(year) if isinstance(year, int | np.integer) and not isinstance(year, bool) else None
    if wanted is not None and wanted in years:
        return wanted
    if wanted is not None and years:
        near = min(years, key=lambda y: (abs(y - wanted), -y))
        hint = _(" (the closest is {year})").format(year=near)
    else:
        hint = suggest(str(year), [str(y) for y in years])
    msg = _("no scores for the year {year}{hint}; the years are {years}").format(
        year=repr(year), hint=hint, years=listing(years)
    )
    raise ScoringError(msg if name is None else _("{name}: {problems}").format(name=name, problems=msg))


def _optional_year(value: object, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = _("{what} must be a year (a whole number) or None, not {value}").format(what=what, value=repr(value))
        raise ScoringError(msg)
    return int(value)


def _pairs(frame: pd.DataFrame) -> str:
    """Name the region/node pairs of ``frame`` for a message: ``AUS/LPI, AUT/LPI and 3 more``."""
    return listing((frame["region"].astype(str) + "/" + frame["node"].astype(str)).tolist())


def _ranks(frame: pd.DataFrame) -> pd.Series:
    """Rank the regions within each year, level and node: 1 the highest score, ties ``min``, NaN unranked."""
    ranks = frame.groupby(_CELL, sort=False)["score"].rank(method="min", ascending=False)
    return ranks.astype("Int64")


def _present(frame: pd.DataFrame, column: str) -> pd.Series:
    """Return a column of booleans, ``False`` where a left join found no row."""
    return frame[column].astype("boolean").fillna(value=False).astype(bool)


def _align(left: pd.DataFrame, right: pd.DataFrame, keys: list[str], suffixes: tuple[str, str]) -> pd.DataFrame:
    """Join two tables on ``keys`` keeping every row of either, in the order met (left's first)."""
    union = pd.concat([left[keys], right[keys]], ignore_index=True).drop_duplicates()
    marked_left = left.assign(_in_left=True).rename(columns=lambda c: c if c in keys else f"{c}{suffixes[0]}")
    marked_right = right.assign(_in_right=True).rename(columns=lambda c: c if c in keys else f"{c}{suffixes[1]}")
    joined = union.merge(marked_left, on=keys, how="left").merge(marked_right, on=keys, how="left")
    return joined.reset_index(drop=True)


def growth(
    source: Scores,
    *,
    level: str | None = None,
    start: int | None = None,
    end: int | None = None,
    min_years: int = 2,
) -> pd.DataFrame:
    """Return each region's and node's compound annual growth rate and linear trend.

    Parameters
    ----------
    source
        A :class:`~smartcity_model.RollUp` or a tidy table of scores (see the module's description).
    level
        Only this level; ``None`` for every level.
    start, end
        The years looked at (inclusive); by default every year. Within them, each region and
        node runs from its first to its last year with a score.
    min_years
        Fewer years with a score than this (at least 2) give NaN growth, with a warning.

    Returns
    -------
    pandas.DataFrame
        ``region, level, node, first_year, last_year, first, last, years, cagr, slope``: ``years``
        counts the years with a score; ``cagr = (last/first) ** (1/(last_year - first_year)) - 1``
        (NaN, with a warning, when ``first <= 0`` or ``last < 0``); ``slope`` is the least-squares
        trend per year over every year with a score.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"region": "a", "year": [2020, 2021, 2022], "node": "x", "score": [50.0, 55.0, 60.5]})
    >>> row = growth(scores).iloc[0]
    >>> round(float(row["cagr"]), 4), round(float(row["slope"]), 2)
    (0.1, 5.25)
    """
    if isinstance(min_years, bool) or not isinstance(min_years, int | np.integer) or min_years < 2:  # noqa: PLR2004 - two points make a growth rate
        msg = _("min_years must be a whole number of at least 2, not {value}").format(value=repr(min_years))
        raise ScoringError(msg)
    first_wanted, last_wanted = _optional_year(start, "start"), _optional_year(end, "end")
    if first_wanted is not None and last_wanted is not None and first_wanted > last_wanted:
        msg = _("start {start} is after end {end}").format(start=first_wanted, end=last_wanted)
        raise ScoringError(msg)
    tidy, levels = _tidy(source, "source")
    frame = _level(tidy, levels, level)
    inside = pd.Series(data=True, index=frame.index)
    if first_wanted is not None:
        inside &= frame["year"] >= first_wanted
    if last_wanted is not None:
        inside &= frame["year"] <= last_wanted
    if not inside.any():
        msg = _("no scores between {start} and {end}; the years are {years}").format(
            start=first_wanted if first_wanted is not None else "…",
            end=last_wanted if last_wanted is not None else "…",
            years=listing(sorted(pd.unique(frame["year"]).tolist())),
        )
        raise ScoringError(msg)
    work = frame[inside].sort_values("year", kind="stable")
    work = work.assign(present=work["year"].where(work["score"].notna()).astype(float))
    keys = [work[column] for column in _SERIES]
    centred_year = work["present"] - work.groupby(keys, sort=False)["present"].transform("mean")
    centred_score = work["score"] - work.groupby(keys, sort=False)["score"].transform("mean")
    work = work.assign(sxy=centred_year * centred_score, sxx=centred_year * centred_year)
    out = (
        work.groupby(_SERIES, sort=False)
        .agg(
            first_year=("present", "min"),
            last_year=("present", "max"),
            first=("score", "first"),
            last=("score", "last"),
            years=("score", "count"),
            sxy=("sxy", "sum"),
            sxx=("sxx", "sum"),
        )
        .reset_index()
    )
    short = out["years"] < min_years
    undefined = ~short & ((out["first"] <= 0) | (out["last"] < 0))
    span = (out["last_year"] - out["first_year"]).to_numpy(dtype=float)
    with np.errstate(all="ignore"):  # in logs: no overflow of last/first, and expm1 keeps small rates exact
        cagr = np.expm1((np.log(out["last"].to_numpy()) - np.log(out["first"].to_numpy())) / span)
        slope = out["sxy"].to_numpy() / out["sxx"].to_numpy()
    out["cagr"] = np.where(short | undefined, np.nan, cagr)
    out["slope"] = np.where(short | (out["sxx"] <= 0), np.nan, slope)
    out["first_year"] = out["first_year"].astype("Int64")
    out["last_year"] = out["last_year"].astype("Int64")
    out["years"] = out["years"].astype(np.int64)
    if short.any():
        count = int(short.sum())
        warn(
            n_(
                "{n} region/node has fewer than {min_years} years with a score, so no growth: {pairs}",
                "{n} region/node pairs have fewer than {min_years} years with a score, so no growth: {pairs}",
                count,
            ).format(n=count, min_years=min_years, pairs=_pairs(out[short]))
        )
    if undefined.any():
        count = int(undefined.sum())
        warn(
            n_(
                "{n} compound growth rate is undefined (the first score is 0 or less, or the last below 0), "
                "left NaN; the slope is given: {pairs}",
                "{n} compound growth rates are undefined (the first score is 0 or less, or the last below 0), "
                "left NaN; the slope is given: {pairs}",
                count,
            ).format(n=count, pairs=_pairs(out[undefined]))
        )
    return out[list(GROWTH_COLUMNS)]


def change(result: Scores, first_year: int, second_year: int, *, level: str | None = None) -> pd.DataFrame:
    """Return each region's and node's change of score and rank from one year to another.

    Parameters
    ----------
    result
        A :class:`~smartcity_model.RollUp` or a tidy table of scores (see the module's description).
    first_year, second_year
        The years compared; each must have scores.
    level
        Only this level; ``None`` for every level.

    Returns
    -------
    pandas.DataFrame
        ``region, level, node, score_first, score_second, change, change_pct, rank_first,
        rank_second, rank_change``: ``change = score_second - score_first``, ``change_pct = 100 ·
        change / |score_first|``; ranks among the regions of each node and year (1 best, ties
        ``min``); ``rank_change = rank_first - rank_second`` (positive: moved up). A region or
        node scored in one year only is kept, with NaN for the other.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"region": ["a", "b", "a", "b"], "year": [2020, 2020, 2021, 2021],
    ...                        "node": "x", "score": [40.0, 50.0, 60.0, 45.0]})
    >>> change(scores, 2020, 2021)[["region", "change", "rank_change"]].to_numpy().tolist()
    [['a', 20.0, 1], ['b', -5.0, -1]]
    """
    tidy, levels = _tidy(result, "result")
    years = sorted(pd.unique(tidy["year"]).tolist())
    before, after = _year(first_year, years), _year(second_year, years)
    frame = _level(tidy, levels, level)
    frame = frame.assign(rank=_ranks(frame))
    table = _align(
        frame[frame["year"] == before].drop(columns="year"),
        frame[frame["year"] == after].drop(columns="year"),
        _SERIES,
        ("_first", "_second"),
    )
    table["change"] = table["score_second"] - table["score_first"]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change_pct"] = (100 * table["change"] / table["score_first"].abs()).where(table["score_first"] != 0)
    table["rank_change"] = table["rank_first"] - table["rank_second"]
    return table[list(CHANGE_COLUMNS)]


def _labels(labels: object) -> tuple[str, str]:
    fine = (
        isinstance(labels, tuple | list)
        and len(labels) == 2  # noqa: PLR2004 - one label per result
        and all(isinstance(label, str) and label and label != "change" for label in labels)
        and labels[0] != labels[1]
    )
    if not fine:
        msg = _("labels must be two different non-empty names other than 'change', not {labels}").format(
            labels=repr(labels)
        )
        raise ScoringError(msg)
    return str(labels[0]), str(labels[1])  # type: ignore[index]  # a pair, checked above


def _only(column: str, first: pd.DataFrame, second: pd.DataFrame, label: str) -> str:
    """Return ``; regions only in plan: a, b`` for the values of ``column`` ``first`` has and ``second`` lacks."""
    extra = pd.Index(pd.unique(first[column])).difference(pd.Index(pd.unique(second[column])), sort=False)
    if extra.empty:
        return ""
    what = {"region": _("regions"), "node": _("nodes"), "year": _("years")}[column]
    return _("; {what} only in {label}: {names}").format(what=what, label=label, names=listing(extra.tolist()))


def compare(
    a: Scores,
    b: Scores,
    *,
    level: str | None = None,
    year: int | None = None,
    labels: tuple[str, str] = ("a", "b"),
) -> pd.DataFrame:
    """Return two results side by side: two recipes, or a plan's path against the scores observed.

    Parameters
    ----------
    a, b
        :class:`~smartcity_model.RollUp` results or tidy tables of scores (see the module's description).
    level
        Only this level (which both must have); ``None`` for every level.
    year
        Only this year (which both must have); ``None`` for every year.
    labels
        Names of ``a`` and ``b`` in the column names (not ``change``).

    Returns
    -------
    pandas.DataFrame
        ``region, year, level, node, score_<a>, score_<b>, difference, rank_<a>, rank_<b>,
        rank_change``: ``difference = score_<b> - score_<a>``; ranks among each result's own
        regions for each node and year (1 best, ties ``min``); ``rank_change = rank_<a> - rank_<b>``
        (positive: ranked higher in ``b``). Rows in only one result are kept with NaN for the
        other, and counted in a warning. :func:`compare_summary` sums the table up per node.

    Examples
    --------
    >>> import pandas as pd
    >>> plan = pd.DataFrame({"region": ["a", "b"], "year": 2024, "node": "x", "score": [60.0, 50.0]})
    >>> actual = plan.assign(score=[55.0, 58.0])
    >>> compare(plan, actual, labels=("plan", "actual"))[["region", "difference", "rank_change"]].to_numpy().tolist()
    [['a', -5.0, -1], ['b', 8.0, 1]]
    """
    first, second = _labels(labels)
    tidy_a, levels_a = _tidy(a, first)
    tidy_b, levels_b = _tidy(b, second)
    if level is not None:
        tidy_a = _level(tidy_a, levels_a, level, first)
        tidy_b = _level(tidy_b, levels_b, level, second)
    if year is not None:
        tidy_a = tidy_a[tidy_a["year"] == _year(year, sorted(pd.unique(tidy_a["year"]).tolist()), first)]
        tidy_b = tidy_b[tidy_b["year"] == _year(year, sorted(pd.unique(tidy_b["year"]).tolist()), second)]
    table = _align(
        tidy_a.assign(rank=_ranks(tidy_a)), tidy_b.assign(rank=_ranks(tidy_b)), _KEYS, (f"_{first}", f"_{second}")
    )
    in_a, in_b = _present(table, f"_in_left_{first}"), _present(table, f"_in_right_{second}")
    table["difference"] = table[f"score_{second}"] - table[f"score_{first}"]
    table["rank_change"] = table[f"rank_{first}"] - table[f"rank_{second}"]
    one_sided = int((in_a != in_b).sum())
    if one_sided:
        details = "".join(
            _only(column, x, y, label)
            for column in ("region", "node", "year")
            for x, y, label in ((tidy_a, tidy_b, first), (tidy_b, tidy_a, second))
        )
        warn(
            n_(
                "{n} row is in only one of {a} and {b}, kept with NaN for the other{details}",
                "{n} rows are in only one of {a} and {b}, kept with NaN for the other{details}",
                one_sided,
            ).format(n=one_sided, a=first, b=second, details=details)
        )
    columns = [*_KEYS, f"score_{first}", f"score_{second}", "difference", f"rank_{first}", f"rank_{second}"]
    return table[[*columns, "rank_change"]]


def compare_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Sum up a :func:`compare` table per year and node: how far ranks moved, and how well they agree.

    Returns
    -------
    pandas.DataFrame
        ``year, level, node, regions, mean_difference, mean_abs_rank_change, max_abs_rank_change,
        spearman`` over the regions both results score: ``regions`` counts them;
        ``mean_difference`` is the mean of ``difference``; the rank changes are those of the
        table; ``spearman`` is Spearman's ρ between the two scores (NaN with fewer than two
        regions or a constant score).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"region": ["p", "q", "r"], "year": 2024, "node": "x", "score": [1.0, 2.0, 3.0]})
    >>> summary = compare_summary(compare(a, a.assign(score=[1.0, 3.0, 2.0])))
    >>> summary[["regions", "mean_abs_rank_change", "spearman"]].to_numpy().tolist()
    [[3.0, 0.6666666666666666, 0.5]]
    """
    if not isinstance(table, pd.DataFrame):
        msg = _("compare_summary needs the table compare returns, not {kind}").format(kind=type(table).__name__)
        raise ScoringError(msg)
    scores = [c for c in table.columns if isinstance(c, str) and c.startswith("score_")]
    ranks = [c for c in table.columns if isinstance(c, str) and c.startswith("rank_") and c != "rank_change"]
    missing = [c for c in (*_KEYS, "difference", "rank_change") if c not in table.columns]
    if missing or len(scores) != 2 or len(ranks) != 2:  # noqa: PLR2004 - one column per result
        msg = _(
            "compare_summary needs the table compare returns (region, year, level, node, two score_ and two "
            "rank_ columns, difference, rank_change); the columns are {columns}"
        ).format(columns=", ".join(str(c) for c in table.columns))
        raise ScoringError(msg)
    both = table[scores[0]].notna() & table[scores[1]].notna()
    keys = [table[column] for column in _CELL]
    rank_a = table[scores[0]].where(both).groupby(keys, sort=False).rank(method="average")
    rank_b = table[scores[1]].where(both).groupby(keys, sort=False).rank(method="average")
    centred_a = rank_a - rank_a.groupby(keys, sort=False).transform("mean")
    centred_b = rank_b - rank_b.groupby(keys, sort=False).transform("mean")
    moved = pd.Series(table["rank_change"].to_numpy(dtype=float, na_value=np.nan), index=table.index, dtype=float).abs()
    work = pd.DataFrame(
        {
            "both": both.astype(np.int64),
            "difference": table["difference"].where(both).astype(float),
            "moved": moved,  # NaN unless both rank the region
            "sab": centred_a * centred_b,
            "saa": centred_a * centred_a,
            "sbb": centred_b * centred_b,
        }
    )
    sums = (
        work.groupby(keys, sort=False)
        .agg(
            regions=("both", "sum"),
            mean_difference=("difference", "mean"),
            mean_abs_rank_change=("moved", "mean"),
            max_abs_rank_change=("moved", "max"),
            sab=("sab", "sum"),
            saa=("saa", "sum"),
            sbb=("sbb", "sum"),
        )
        .reset_index()
    )
    spread = np.sqrt(sums["saa"].to_numpy() * sums["sbb"].to_numpy())
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = sums["sab"].to_numpy() / spread
    sums["spearman"] = np.where(spread > 0, np.clip(rho, -1.0, 1.0), np.nan)
    sums["regions"] = sums["regions"].astype(np.int64)
    return sums[list(SUMMARY_COLUMNS)]
