"""The contents of a report as plain data: rows of text and numbers for each section, no markup.

Every function here returns lists and dicts of strings and numbers in the current language;
the template lays them out and escapes every string. Numbers a person reads are formatted with
:func:`~smartcity_model.i18n.format_number`.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from smartcity_model.budget import HORIZON_NAMES, SOURCE_NAMES, budget_summary, horizon_of
from smartcity_model.checks.registry import CHECK_CODES
from smartcity_model.checks.report import ValidationReport
from smartcity_model.i18n import N_, _, format_number, language, n_
from smartcity_model.model import Masterplan, ObservationStatus
from smartcity_model.scoring import RollUp

__all__ = [
    "Cell",
    "Table",
    "blockers_table",
    "budget_tables",
    "coverage_table",
    "dimension_table",
    "element_table",
    "explanations",
    "finding_groups",
    "key_figures",
    "matrix_table",
    "provenance",
    "province_levels_table",
    "region_table",
    "roadmap_table",
]


@dataclass(frozen=True)
class Cell:
    """One cell: its text, whether it is a number (aligned right) and a CSS class (a band, a severity)."""

    text: str
    number: bool = False
    css: str = ""


@dataclass(frozen=True)
class Table:
    """A table: headers, rows of cells, and a caption."""

    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    caption: str = ""
    numbers: Sequence[bool] = field(default_factory=tuple)


def _n(value: Any, decimals: int = 1, *, percent: bool = False) -> Cell:
    if value is None or value != value:  # noqa: PLR0124 - nan
        return Cell("–", number=True)
    return Cell(format_number(float(value), decimals, percent=percent), number=True)


def _decimals(value: Any) -> int:
    """Return the decimals a measured value is shown with: fewer as it grows."""
    if value is None or value != value:  # noqa: PLR0124 - nan
        return 0
    size = abs(float(value))
    return 0 if size >= 100 else 1 if size >= 10 else 2  # noqa: PLR2004 - thresholds of reading


def _t(value: object, css: str = "") -> Cell:
    return Cell("" if value is None else str(value), css=css)


def band_css(level: Any) -> str:
    """Return the CSS class of a readiness level (``band-1`` … ``band-5``, ``band-none``)."""
    if level is None or level is pd.NA or level != level:  # noqa: PLR0124 - nan
        return "band-none"
    return f"band-{int(level)}"


def latest_year(result: RollUp, level: str) -> int | None:
    """Return the latest year in which some node of ``level`` has a score."""
    scores = result.scores
    scored = scores[(scores["level"] == level) & scores["score"].notna()]
    return int(scored["year"].max()) if not scored.empty else None


def key_figures(
    plan: Masterplan, report: ValidationReport, result: RollUp | None, year: int | None = None
) -> list[tuple[str, str, str]]:
    """Return the figures of the summary: (label, value, detail); readiness is ``year``'s (default: the latest)."""
    quick = sum(1 for ini in plan.initiatives if horizon_of(plan, ini).value == "quick_win")
    sectors = len({o.sector for o in plan.opds})
    total = sum(line.amount for ini in plan.initiatives for line in ini.budget)
    counts = report.counts
    figures = [
        (_("OPDs"), str(len(plan.opds)), n_("{n} sector", "{n} sectors", sectors).format(n=sectors)),
        (_("Initiatives"), str(len(plan.initiatives)), n_("{n} quick win", "{n} quick wins", quick).format(n=quick)),
        (
            _("Indicators"),
            str(len(plan.indicators)),
            n_("{n} observation", "{n} observations", len(plan.observations)).format(n=len(plan.observations)),
        ),
        (_("Budget"), "Rp " + _short_amount(total), str(plan.period)),
        (
            _("Checks"),
            _("{errors} errors, {warnings} warnings").format(errors=counts["error"], warnings=counts["warning"]),
            _("{n} waived").format(n=counts["waived"]),
        ),
    ]
    if result is not None:
        top_level = result.structure.levels[-1]
        shown = year if year is not None else latest_year(result, top_level)
        top = result.readiness()
        rows = top[(top["level"] == top_level) & (top["year"] == shown) & top["score"].notna()]
        if not rows.empty:
            row = rows.iloc[0]
            band = _band_name(result.scale, row["readiness_level"]) or "–"
            figures.insert(
                0, (_("Readiness {year}").format(year=shown), format_number(float(row["score"]), 1), str(band))
            )
        elif shown is not None:
            figures.insert(0, (_("Readiness {year}").format(year=shown), "–", _("too little data for a score")))
    return figures


def _short_amount(amount: float) -> str:
    """Write a rupiah amount for a headline: ``65,9 miliar`` / ``65.9 billion``."""
    units = ((1e12, _("trillion")), (1e9, _("billion")), (1e6, _("million")))
    for size, word in units:
        if abs(amount) >= size:
            return f"{format_number(amount / size, 1)} {word}"
    return format_number(amount)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a table's rows as plain mappings."""
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _names(plan: Masterplan) -> dict[str, str]:
    from smartcity_model.scoring import node_names  # noqa: PLC0415 - avoids an import cycle at load

    return node_names(plan)


def dimension_table(plan: Masterplan, result: RollUp, year: int, planned: pd.DataFrame | None) -> Table:
    """Return the dimensions' scores in ``year`` with coverage, band and the plan's own path."""
    ready = result.readiness()
    rows = ready[(ready["level"] == "dimension") & (ready["year"] == year)]
    names = _names(plan)
    path = {} if planned is None else dict(zip(planned["node"], planned["score"], strict=True))
    body = []
    for row in _records(rows):
        target = path.get(row["node"])
        gap = None if target is None or pd.isna(row["score"]) else float(row["score"]) - float(target)
        body.append(
            [
                _t(names.get(row["node"], row["node"])),
                _n(row["score"]),
                _n(row["coverage"], 0, percent=True),
                _t(_band_name(result.scale, row["readiness_level"]) or "–", band_css(row["readiness_level"])),
                _n(target),
                _n(gap),
            ]
        )
    headers = [_("dimension"), _("score"), _("coverage"), _("readiness"), _("plan"), _("gap")]
    caption = _("Scores 0–100 in {year}; coverage is the share of the dimension's indicator weight observed.").format(
        year=year
    )
    return Table(headers, body, caption)


def element_table(plan: Masterplan, result: RollUp, year: int) -> Table:
    """Return every element's score in ``year``, dimension by dimension."""
    ready = result.readiness()
    rows = ready[(ready["level"] == "element") & (ready["year"] == year)].set_index("node")
    names = _names(plan)
    body = []
    for dimension in plan.framework.dimensions:
        for element in dimension.elements:
            if element.id not in rows.index:
                continue
            row = rows.loc[element.id]
            body.append(
                [
                    _t(names[dimension.id]),
                    _t(names[element.id]),
                    _n(row["score"]),
                    _n(row["coverage"], 0, percent=True),
                    _t(_band_name(result.scale, row["readiness_level"]) or "–", band_css(row["readiness_level"])),
                ]
            )
    headers = [_("dimension"), _("element"), _("score"), _("coverage"), _("readiness")]
    return Table(headers, body, _("Element scores in {year}.").format(year=year))


def explanations(plan: Masterplan, result: RollUp, year: int) -> list[tuple[str, str, Table]]:
    """Return, per dimension, its score in ``year`` explained by its indicators' contributions."""
    region = plan.region.id
    contributions = result.contributions("dimension")
    chosen = contributions[(contributions["year"] == year) & (contributions["region"] == region)]
    normalised = result.scores[(result.scores["level"] == result.structure.levels[0]) & (result.scores["year"] == year)]
    norm = dict(zip(normalised["node"], normalised["score"], strict=True))
    data = result.data
    values = data[(data["year"] == year) & (data["region"] == region)]
    raw = dict(zip(values["indicator"], values["value"], strict=True))
    imputed = dict(zip(values["indicator"], values["imputed"], strict=True))
    dims = result.scores[(result.scores["level"] == "dimension") & (result.scores["year"] == year)]
    dim_score = dict(zip(dims["node"], dims["score"], strict=True))
    names = _names(plan)
    out = []
    for dimension in plan.framework.dimensions:
        rows = chosen[chosen["node"] == dimension.id].sort_values("contribution", ascending=False)
        body = []
        for row in _records(rows):
            indicator = plan.indicator(row["indicator"])
            value = raw.get(row["indicator"])
            shown = _n(value, _decimals(value))
            if value is not None and imputed.get(row["indicator"]):
                shown = Cell(shown.text + " *", number=True)
            body.append(
                [
                    _t(names.get(row["indicator"], row["indicator"])),
                    shown,
                    _t(indicator.unit),
                    _n(norm.get(row["indicator"])),
                    _n(row["weight"], 0, percent=True),
                    _n(row["contribution"]),
                ]
            )
        score = dim_score.get(dimension.id)
        headline = (
            _("{name}: {score} in {year}").format(
                name=names[dimension.id], score=format_number(float(score), 1), year=year
            )
            if score is not None and score == score  # noqa: PLR0124
            else _("{name}: no score in {year}").format(name=names[dimension.id], year=year)
        )
        headers = [_("indicator"), _("value"), _("unit"), _("score"), _("weight"), _("contribution")]
        caption = _("The contributions add up to the dimension's score; * marks a value carried from an earlier year.")
        out.append((dimension.id, headline, Table(headers, body, caption)))
    return out


_SEVERITIES = ("error", "warning", "info")


def finding_groups(report: ValidationReport) -> list[dict[str, Any]]:
    """Return the findings grouped by severity, then by code, each code with its title and hint."""
    groups = []
    for severity in _SEVERITIES:
        codes: dict[str, list[Any]] = defaultdict(list)
        for finding in report.findings:
            if finding.severity.value == severity:
                codes[finding.code].append(finding)
        if not codes:
            continue
        entries = []
        for code, findings in codes.items():
            entries.append(
                {
                    "code": code,
                    "title": _(CHECK_CODES[code].title),
                    "hint": findings[0].hint,
                    "items": [
                        {
                            "subject": f.subject(),
                            "message": f.message,
                            "waived": f.waiver_reason if f.waived else None,
                        }
                        for f in findings
                    ],
                }
            )
        groups.append({"severity": severity, "title": _(_SEVERITY_TITLES[severity]), "codes": entries})
    return groups


_SEVERITY_TITLES = {"error": N_("Errors"), "warning": N_("Warnings"), "info": N_("Information")}


def matrix_table(plan: Masterplan) -> Table:
    """Return the OPD × dimension matrix: how many initiatives each OPD leads (L) or supports (S) in each dimension."""
    framework = plan.framework
    led: Counter[tuple[str, str]] = Counter()
    supported: Counter[tuple[str, str]] = Counter()
    for ini in plan.initiatives:
        dims = {framework.dimension_of(element).id for element in ini.elements}
        for dim in dims:
            led[ini.lead, dim] += 1
            for opd in ini.supporting:
                supported[opd, dim] += 1
    english = language() == "en"
    body = []
    for body_opd in plan.opds:
        cells = [_t(body_opd.acronym or body_opd.id), _t(body_opd.label(language()))]
        total = 0
        for dimension in framework.dimensions:
            lead, support = led[body_opd.id, dimension.id], supported[body_opd.id, dimension.id]
            total += lead + support
            text = " ".join(part for part in (f"{lead}L" if lead else "", f"{support}S" if support else "") if part)
            cells.append(Cell(text, number=True, css="cell-on" if lead or support else ""))
        cells.append(Cell(str(total), number=True))
        body.append(cells)
    headers = [
        _("OPD"),
        _("name"),
        *[(d.name_en if english and d.name_en else d.name) for d in framework.dimensions],
        _("in all"),
    ]
    return Table(headers, body, _("L: initiatives the OPD leads; S: initiatives it supports."))


def roadmap_table(plan: Masterplan) -> Table:
    """Return the initiatives in roadmap order: horizon, years, lead OPD, prerequisites and budget."""
    order = {"quick_win": 0, "short": 1, "medium": 2, "long": 3}
    rows = []
    for ini in plan.initiatives:
        start, end = plan.schedule(ini)
        horizon = horizon_of(plan, ini).value
        rows.append((order[horizon], start, end, ini, horizon))
    rows.sort(key=lambda row: row[:3])
    acronym = {opd.id: opd.acronym or opd.id for opd in plan.opds}
    body = [
        [
            _t(_(HORIZON_NAMES[horizon]) if horizon in HORIZON_NAMES else horizon, "nowrap"),
            _t(ini.id, "nowrap"),
            _t(ini.label(language())),
            _t(acronym.get(ini.lead, ini.lead)),
            _t(f"{start}–{end}" if end != start else str(start), "nowrap"),
            _t(", ".join(ini.depends_on) or "–"),
            _n(sum(line.amount for line in ini.budget) / 1e6, 0),
        ]
        for _order, start, end, ini, horizon in rows
    ]
    headers = [
        _("horizon"),
        _("id"),
        _("initiative"),
        _("lead"),
        _("years"),
        _("prerequisites"),
        _("budget (Rp million)"),
    ]
    return Table(headers, body)


def budget_tables(plan: Masterplan) -> list[Table]:
    """Return the budget by year and source, and by dimension."""
    by_both = budget_summary(plan, ["year", "source"])
    pivot = by_both.pivot_table(index="year", columns="source", values="amount", aggfunc="sum", fill_value=0.0)
    years = list(plan.period.years)
    pivot = pivot.reindex(years, fill_value=0.0)
    sources = [_(SOURCE_NAMES.get(str(source), str(source))) for source in pivot.columns]
    millions = pivot.to_numpy(dtype=float) / 1e6
    body = [
        [_t(year), *[_n(value, 0) for value in row], _n(row.sum(), 0)]
        for year, row in zip(years, millions, strict=True)
    ]
    body.append([_t(_("in all")), *[_n(value, 0) for value in millions.sum(axis=0)], _n(millions.sum(), 0)])
    first = Table([_("year"), *sources, _("in all")], body, _("Rp million, by year and funding source."))
    by_dimension = budget_summary(plan, "dimension")
    names = _names(plan)
    second = Table(
        [_("dimension"), _("Rp million"), _("share"), _("initiatives")],
        [
            [
                _t(names.get(row["dimension"], row["dimension"])),
                _n(row["amount"] / 1e6, 0),
                _n(row["share"], 1, percent=True),
                Cell(str(row["initiatives"]), number=True),
            ]
            for row in _records(by_dimension)
        ],
        _("An initiative serving several dimensions shares its money among them."),
    )
    return [first, second]


def provenance(plan: Masterplan) -> tuple[dict[str, int], Table]:
    """Return counts of verified and estimated observations, and a table per indicator."""
    by: dict[str, list[Any]] = defaultdict(list)
    for obs in plan.observations:
        by[obs.indicator].append(obs)
    totals = Counter(obs.status.value for obs in plan.observations)
    names = _names(plan)
    acronym = {opd.id: opd.acronym or opd.id for opd in plan.opds}
    body = []
    for indicator in plan.indicators:
        rows = by.get(indicator.id, [])
        years = sorted({obs.year for obs in rows})
        verified = sum(1 for obs in rows if obs.status is ObservationStatus.VERIFIED)
        sources = sorted({_source_label(obs.source) for obs in rows if obs.source})
        body.append(
            [
                _t(names.get(indicator.id, indicator.id)),
                _t(acronym.get(indicator.custodian, indicator.custodian) if indicator.custodian else "–"),
                _t(
                    f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else "–"),
                    "" if years else "missing",
                ),
                Cell(str(verified), number=True),
                Cell(str(len(rows) - verified), number=True, css="estimated" if len(rows) - verified else ""),
                _t("; ".join(sources[:_SOURCES_SHOWN]) + (" …" if len(sources) > _SOURCES_SHOWN else "")),
            ]
        )
    headers = [_("indicator"), _("custodian"), _("years"), _("verified"), _("estimated"), _("sources")]
    counts = {"verified": totals.get("verified", 0), "estimated": totals.get("estimated", 0)}
    return counts, Table(headers, body)


#: Sources of an indicator listed before "…", and the longest source shown whole.
_SOURCES_SHOWN = 3
_SOURCE_LENGTH = 60


def _source_label(source: str) -> str:
    """Shorten a source for a table: a web address to its host, text to its first 60 characters."""
    text = source.strip()
    if text.startswith(("http://", "https://")):
        host = text.split("/")[2]
        return host.removeprefix("www.")
    return text if len(text) <= _SOURCE_LENGTH else text[: _SOURCE_LENGTH - 3] + "..."


def planned_scores(plan: Masterplan, options: Mapping[str, Any], year: int) -> pd.DataFrame | None:
    """Return the dimension scores the plan's own baselines and targets imply in ``year`` (``None`` if none)."""
    from smartcity_model.scoring import ScoringError, plan_vs_actual  # noqa: PLC0415 - avoids an import cycle

    try:
        path = plan_vs_actual(plan, **options)
    except ScoringError:
        return None
    chosen = path[(path["level"] == "dimension") & (path["year"] == year)]
    return chosen.rename(columns={"planned": "score"})[["node", "score"]] if not chosen.empty else None


# ------------------------------------------------------------------ many regions: a province


def region_table(result: RollUp, level: str, year: int, names: Mapping[str, str]) -> Table:
    """Return every region's score on each node of ``level`` in ``year``, banded, best first."""
    ready = result.readiness()
    rows = ready[(ready["level"] == level) & (ready["year"] == year)]
    nodes = [
        node for node in result.structure.level_nodes(level) if rows.loc[rows["node"] == node, "score"].notna().any()
    ]
    scores = rows.pivot_table(index="region", columns="node", values="score", aggfunc="first", dropna=False)
    levels = rows.pivot_table(index="region", columns="node", values="readiness_level", aggfunc="first", dropna=False)
    order = scores[nodes].mean(axis=1).sort_values(ascending=False).index if nodes else scores.index
    body = [
        [
            _t(names.get(str(region), region)),
            *[
                Cell(_n(scores.loc[region, node]).text, number=True, css=band_css(levels.loc[region, node]))
                for node in nodes
            ],
        ]
        for region in order
    ]
    return Table(
        [_("region"), *[names.get(node, node) for node in nodes]],
        body,
        _("Scores 0–100 in {year}, coloured by readiness band.").format(year=year),
    )


def province_levels_table(readiness: Any, names: Mapping[str, str]) -> Table:
    """Return the province's level on each rule node by year (the share of regions at the next level beside it)."""
    levels = readiness.levels
    years = sorted(set(levels["year"].tolist()))
    nodes = list(dict.fromkeys(levels["node"].tolist()))
    body = []
    for node in nodes:
        cells = [_t(names.get(node, node))]
        for year in years:
            row = levels[(levels["node"] == node) & (levels["year"] == year)].iloc[0]
            name = _band_name(readiness.scale, row["province_level"]) or "–"
            cells.append(Cell(name, css=band_css(row["province_level"])))
        body.append(cells)
    caption = _("The province reaches a level on a node when at least {share} of its regions reach it there.").format(
        share=format_number(readiness.share, 0, percent=True)
    )
    return Table([_("dimension"), *[str(year) for year in years]], body, caption)


def blockers_table(readiness: Any, year: int, names: Mapping[str, str]) -> Table:
    """Return the regions holding the province back in ``year``: their score and the points they need.

    A node no region has a score on is one row: none of its regions can be ranked there.
    """
    blockers = readiness.blockers(year)
    scale = readiness.scale
    body = []
    for node, group in blockers.groupby("node", sort=False):
        rows = _records(group)
        if all(row["score"] is None or row["score"] != row["score"] for row in rows):
            body.append(
                [
                    _t(names.get(str(node), node)),
                    _t(_("all {n} regions: no data").format(n=len(rows))),
                    _n(None),
                    _t(_("no score"), "band-none"),
                    _t(_band_name(scale, rows[0]["target_level"]) or "–"),
                    _n(None),
                ]
            )
            continue
        body.extend(
            [
                _t(names.get(row["node"], row["node"])),
                _t(names.get(row["region"], row["region"])),
                _n(row["score"]),
                _t(_band_name(scale, row["readiness_level"]) or _("no score"), band_css(row["readiness_level"])),
                _t(_band_name(scale, row["target_level"]) or "–"),
                _n(row["points_needed"]),
            ]
            for row in rows
        )
    headers = [_("dimension"), _("region"), _("score"), _("readiness"), _("next level"), _("points needed")]
    return Table(headers, body, _("Regions below the level the province needs next, in {year}.").format(year=year))


def _band_name(scale: Any, level: Any) -> str | None:
    """Return the name of a readiness level, ``None`` where there is none."""
    if level is None or level is pd.NA or level != level:  # noqa: PLR0124 - nan
        return None
    return str(scale.band(int(level)).label())


def coverage_table(result: RollUp, names: Mapping[str, str]) -> Table:
    """Return, per indicator, how many region-years are observed, filled and missing."""
    data = result.data
    units = len(result.units)
    body = []
    for indicator in result.structure.indicators:
        mine = data[data["indicator"] == indicator]
        filled = int(mine["imputed"].sum()) if "imputed" in mine else 0
        observed = len(mine) - filled
        body.append(
            [
                _t(names.get(indicator, indicator)),
                Cell(str(observed), number=True),
                Cell(str(filled), number=True, css="estimated" if filled else ""),
                Cell(str(units - len(mine)), number=True, css="missing" if units - len(mine) else ""),
                _n(observed / units if units else math.nan, 0, percent=True),
            ]
        )
    headers = [_("indicator"), _("observed"), _("filled"), _("missing"), _("coverage")]
    caption = _("Of {units} region-years; filled values are carried from an earlier year or otherwise imputed.").format(
        units=units
    )
    return Table(headers, body, caption)


def sources_table(sources: pd.DataFrame, labels: Mapping[str, str]) -> Table:
    """Return where each indicator's data come from: observations, regions, years and sources."""
    named = {"source": _("source"), "source_url": _("source (address)"), "status": _("status")}
    extra = [column for column in named if column in sources.columns]
    body = [
        [
            _t(labels.get(str(row["indicator"]), str(row["indicator"]))),
            Cell(str(row["observations"]), number=True),
            Cell(str(row["regions"]), number=True),
            _t(f"{row['first_year']}–{row['last_year']}"),
            *[_t(str(row[column])) for column in extra],
        ]
        for row in _records(sources)
    ]
    headers = [_("indicator"), _("observations"), _("regions"), _("years"), *[named[c] for c in extra]]
    return Table(headers, body, _("Where each indicator's data come from."))
