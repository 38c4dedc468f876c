"""Readiness as a planning team reads it: one row per region, year and node, with names and bands.

:func:`score_table` is what ``smartcity score`` prints: the scores of the chosen levels with the
node's name (in the current language), coverage, imputed share, readiness level and band, and,
with ``vs_plan=True``, the score the plan's own baselines and targets imply for that year and the
gap to it. The numbers are :func:`~smartcity_model.roll_up`'s, unrounded.

Examples
--------
>>> import smartcity_model as scm
>>> table = scm.score_table(scm.load(scm.example_path()), missing="locf")
>>> list(table.columns[:7])
['region', 'year', 'level', 'node', 'name', 'score', 'coverage']
>>> sorted(set(table["level"]))
['dimension']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from smartcity_model.errors import suggest
from smartcity_model.i18n import _, language
from smartcity_model.model import Masterplan
from smartcity_model.scoring.rollup import RollUp, check_options, plan_vs_actual, roll_up
from smartcity_model.scoring.structure import TOP_NODE, ScoringError, Structure, warn

__all__ = ["SCORE_TABLE_COLUMNS", "node_names", "score_table"]

#: Columns of :func:`score_table` (``planned`` and ``gap`` only with ``vs_plan=True``).
SCORE_TABLE_COLUMNS: tuple[str, ...] = (
    "region",
    "year",
    "level",
    "node",
    "name",
    "score",
    "coverage",
    "imputed",
    "readiness_level",
    "band",
)
#: ``levels=ALL`` asks for every level above the indicators.
ALL = "all"


def node_names(plan: Masterplan) -> dict[str, str]:
    """Return the name of every node of the plan's structure in the current language.

    Dimensions and elements are named as the framework names them (Indonesian, or the English
    name where the language is English and the framework has one), indicators by their name,
    and the top node ``overall``.
    """
    lang = language()
    names = {TOP_NODE: _("Overall readiness")}
    for dimension in plan.framework.dimensions:
        names[dimension.id] = dimension.label(lang)
        for element in dimension.elements:
            names[element.id] = element.label(lang)
    for indicator in plan.indicators:
        names[indicator.id] = indicator.label(lang)
    return names


def _levels(structure: Structure, levels: str | Iterable[str]) -> list[str]:
    """Return the levels asked for, in the structure's order; ``all`` is every level above the indicators."""
    wanted = [levels] if isinstance(levels, str) else list(levels)
    if ALL in wanted:
        return list(structure.levels[1:])
    for level in wanted:
        if level not in structure.levels:
            message = _("unknown level {level}{hint}; the levels are {levels}").format(
                level=repr(level), hint=suggest(level, structure.levels), levels=", ".join([*structure.levels, ALL])
            )
            raise ScoringError(message)
    if not wanted:
        raise ScoringError(_("give at least one level"))
    return [level for level in structure.levels if level in wanted]


def score_table(
    source: Masterplan | RollUp,
    *,
    levels: str | Sequence[str] = "dimension",
    years: Iterable[int] | None = None,
    vs_plan: bool = False,
    names: Mapping[str, str] | None = None,
    **options: object,
) -> pd.DataFrame:
    """Score a plan (or take a roll-up already made) and return the chosen levels as one tidy table.

    ``source`` is a :class:`~smartcity_model.Masterplan`, scored with ``options`` (those of
    :func:`~smartcity_model.roll_up`: ``method``, ``aggregation``, ``missing``, ``min_coverage``,
    ``scale``...), or a :class:`~smartcity_model.RollUp` of many regions (a study's ``result``),
    whose nodes are named by ``names`` (else by their ids). ``levels`` is a level name, several,
    or ``"all"`` (every level above the indicators; indicator rows carry no band). ``years``
    keeps those years only; a year asked for without scores is named in a
    :class:`~smartcity_model.ScoringWarning` (all of them: a ``ScoringError``). With
    ``vs_plan=True`` (a plan only), the score the plan's targets imply and the gap are added.
    Rows are sorted by region, level (top first), node and year.
    """
    check_options(options, taken=("years",))
    if isinstance(source, RollUp):
        if options or vs_plan:
            given = ", ".join(sorted([*options, *(["vs_plan"] if vs_plan else [])]))
            message = _("a roll-up is scored already: {options} apply to a plan only").format(options=given)
            raise ScoringError(message)
        result, shown_names = source, dict(names or {})
    else:
        result = roll_up(source, Structure.from_plan(source), **options)  # type: ignore[arg-type]  # roll_up's own
        shown_names = {**node_names(source), **(names or {})}
    structure = result.structure
    chosen = _levels(structure, levels)
    scores = result.scores
    banded = result.readiness() if any(level != structure.levels[0] for level in chosen) else None
    frame = scores[scores["level"].isin(chosen)].copy()
    keys = ["region", "year", "level", "node"]
    if banded is not None:
        frame = frame.merge(banded[[*keys, "readiness_level", "readiness"]], on=keys, how="left")
    else:
        frame["readiness_level"] = pd.Series(dtype="Int64")
        frame["readiness"] = None
    frame = frame.rename(columns={"readiness": "band"})
    frame.insert(4, "name", frame["node"].map(shown_names).fillna(frame["node"]))
    if years is not None:
        kept = {int(year) for year in years}
        frame = frame[frame["year"].isin(kept)]
        absent = sorted(kept - set(frame["year"].tolist()))
        if absent and not frame.empty:
            warn(
                _("no scores in {years}, asked for; the data cover {span}").format(
                    years=", ".join(map(str, absent)), span=_span(scores)
                )
            )
    if vs_plan and isinstance(source, Masterplan):
        path = plan_vs_actual(source, **options)[["region", "year", "level", "node", "planned", "gap"]]
        frame = frame.merge(path, on=keys, how="left")
    order = {level: rank for rank, level in enumerate(reversed(structure.levels))}
    frame["_level"] = frame["level"].map(order)
    frame["_node"] = frame["node"].map({node: n for n, node in enumerate(structure.nodes["node"])})
    frame = frame.sort_values(["region", "_level", "_node", "year"], kind="stable").drop(columns=["_level", "_node"])
    frame["readiness_level"] = frame["readiness_level"].astype("Int64")
    frame["band"] = frame["band"].where(frame["band"].notna(), None)
    if frame.empty and years is not None:
        message = _("no scores in the years asked for ({years}); the data cover {span}").format(
            years=", ".join(map(str, sorted(kept))), span=_span(scores)
        )
        raise ScoringError(message)
    return frame.reset_index(drop=True)


def _span(scores: pd.DataFrame) -> str:
    years = np.unique(scores["year"].to_numpy())
    return f"{years[0]}–{years[-1]}" if years.size else "-"
