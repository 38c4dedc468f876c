"""Notebook views: the HTML a Jupyter notebook shows for a plan, a report, a roll-up or a province.

Each ``*_html`` function returns a small, self-contained fragment (a summary and the one table
that matters, never raw arrays), in the current language, with every text someone wrote
escaped. The objects' ``_repr_html_`` methods call them; so can anyone building a page.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from smartcity_model.i18n import _, format_number, language, n_

if TYPE_CHECKING:
    from smartcity_model.checks.report import ValidationReport
    from smartcity_model.model import Masterplan
    from smartcity_model.scoring import ProvinceReadiness, RollUp

__all__ = ["plan_html", "province_html", "report_html", "rollup_html"]

#: Rows of a table shown in a notebook before "and N more".
SHOWN_ROWS = 20
_STYLE = "font-family:sans-serif;font-size:13px;border-collapse:collapse"
_CELL = "padding:2px 8px;border-bottom:1px solid #ddd;text-align:left"


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], total: int | None = None) -> str:
    """Return an HTML table; ``total`` rows in all, of which those given are shown."""
    head = "".join(f'<th style="{_CELL}">{_e(header)}</th>' for header in headers)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{_e(cell)}</td>' for cell in row) + "</tr>" for row in rows)
    more = ""
    shown = body.count("<tr>")
    if total is not None and total > shown:
        rest = _("... and {n} more").format(n=total - shown)
        more = f'<p style="font-size:12px">{_e(rest)}</p>'
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}'


def _shown(value: object, decimals: int) -> object:
    """Return a table's value as a notebook shows it: missing values blank, floats rounded."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        return format_number(value, decimals)
    return value


def _frame(frame: pd.DataFrame, decimals: int = 1) -> str:
    """Return a DataFrame as an HTML table, numbers rounded for reading, at most :data:`SHOWN_ROWS` rows."""
    index_names = [name for name in frame.index.names if name is not None]
    flat = frame.reset_index() if index_names else frame
    rows = [
        [_shown(value, decimals) for value in values]
        for values in flat.head(SHOWN_ROWS).itertuples(index=False, name=None)
    ]
    return _table([str(column) for column in flat.columns], rows, total=len(flat))


def _heading(text: str, detail: str = "") -> str:
    extra = f' <span style="font-weight:normal;color:#555">{_e(detail)}</span>' if detail else ""
    return f'<div style="font-family:sans-serif"><b>{_e(text)}</b>{extra}</div>'


def plan_html(plan: Masterplan) -> str:
    """Return a plan's summary: region, period, counts, initiatives by horizon and budget."""
    from smartcity_model.budget import horizon_of  # noqa: PLC0415 - budget imports the model
    from smartcity_model.model import Horizon  # noqa: PLC0415 - the model imports this module on use

    quick = sum(
        1
        for initiative in plan.initiatives
        if initiative.horizon is not None and initiative.horizon.value == "quick_win"
    )
    years = sorted({obs.year for obs in plan.observations})
    total = sum(line.amount for initiative in plan.initiatives for line in initiative.budget)
    rows = [
        (_("Region"), f"{plan.region.name} ({plan.region.kind.value})"),
        (_("Period"), str(plan.period)),
        (_("Framework"), plan.framework.name),
        (_("OPDs"), len(plan.opds)),
        (_("Indicators"), len(plan.indicators)),
        (_("Initiatives"), _("{count} ({quick} quick wins)").format(count=len(plan.initiatives), quick=quick)),
        (_("Observations"), f"{len(plan.observations)}" + (f" ({years[0]}–{years[-1]})" if years else "")),
        (_("Budget"), f"Rp {format_number(total)}"),
    ]
    horizons = Counter(horizon_of(plan, initiative).value for initiative in plan.initiatives)
    order = [horizon.value for horizon in Horizon]
    by_horizon = _table([_("horizon"), _("initiatives")], [(name, horizons[name]) for name in order if horizons[name]])
    english = language() == "en" and plan.document.title_en
    title = (plan.document.title_en if english else plan.document.title) or f"Masterplan {plan.region.name}"
    return _heading(title) + _table([_("part"), _("value")], rows) + by_horizon


def report_html(report: ValidationReport) -> str:
    """Return a validation report: its counts and a table of findings, errors first."""
    counts = report.counts
    detail = ", ".join(
        [
            n_("{n} error", "{n} errors", counts["error"]).format(n=counts["error"]),
            n_("{n} warning", "{n} warnings", counts["warning"]).format(n=counts["warning"]),
            _("{n} info").format(n=counts["info"]),
            _("{n} waived").format(n=counts["waived"]),
        ]
    )
    order = {"error": 0, "warning": 1, "info": 2}
    findings = sorted(report.findings, key=lambda f: (f.waived, order.get(f.severity.value, 3)))
    rows = [
        (
            finding.severity.label + (" (" + _("waived") + ")" if finding.waived else ""),
            finding.code,
            finding.subject(),
            finding.message,
            finding.hint,
        )
        for finding in findings[:SHOWN_ROWS]
    ]
    table = _table([_("severity"), _("code"), _("subject"), _("finding"), _("hint")], rows, total=len(findings))
    return _heading(_("Checks on {subject}").format(subject=report.subject), detail) + (table if rows else "")


def rollup_html(result: RollUp) -> str:
    """Return a roll-up: what was scored and how, and the scores of the level below the top, latest year."""
    structure = result.structure
    units = result.units
    years = sorted(set(units["year"].tolist()))
    level = structure.levels[-2] if len(structure.levels) > 1 else structure.levels[-1]
    wide = result.wide(level)
    if years:
        wide = wide[wide.index.get_level_values("year") == years[-1]]
    detail = _("{regions} regions × {years} years; normalisation {method}; aggregation {aggregation}").format(
        regions=len(set(units["region"])),
        years=len(years),
        method=result.normalisation.describe(),
        aggregation="/".join(sorted(set(result.aggregation.values()))),
    )
    caption = _("Scores of the level {level}, {year}").format(level=level, year=years[-1] if years else "")
    notes = ""
    if result.notes:
        shown = "".join(f"<li>{_e(note)}</li>" for note in result.notes[:5])
        notes = f'<ul style="font-family:sans-serif;font-size:12px">{shown}</ul>'
    return (
        _heading(_("Roll-up"), detail)
        + f'<div style="font-family:sans-serif">{_e(caption)}</div>'
        + _frame(wide)
        + notes
    )


def province_html(readiness: ProvinceReadiness) -> str:
    """Return a province's readiness: the rule, the latest year's levels and the regions holding it back."""
    years = sorted(set(readiness.levels["year"].tolist()))
    latest = readiness.levels[readiness.levels["year"] == years[-1]] if years else readiness.levels
    detail = _("{regions} regions; rule: {share} of the regions reach a level").format(
        regions=len(set(readiness.regions.units["region"])),
        share=format_number(readiness.share, 0, percent=True),
    )
    levels = _frame(latest.drop(columns=["year"]).reset_index(drop=True), decimals=2)
    blockers = readiness.blockers() if years else pd.DataFrame()
    held = _frame(blockers.reset_index(drop=True)) if not blockers.empty else ""
    caption = _("Smart-province levels, {year}").format(year=years[-1] if years else "")
    holding = _("What holds the province back")
    hold = f'<div style="font-family:sans-serif">{_e(holding)}</div>' if held else ""
    return (
        _heading(_("Province readiness"), detail)
        + f'<div style="font-family:sans-serif">{_e(caption)}</div>'
        + levels
        + hold
        + held
    )
