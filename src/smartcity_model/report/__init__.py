"""A report to show the Bupati: one self-contained HTML file of a plan's readiness, checks, roadmap and budget.

:func:`plan_report` lays out a masterplan: a summary, readiness per dimension and its trend
against the plan's own path, element scores, each dimension explained by its indicators,
readiness by pillar, Kominfo's evaluation, the checks' findings with hints, the plan's alignment
with the RPJMD, its visions and strategic analysis, its partners and governance, its places, the
OPD collaboration network and the OPD × dimension matrix, the roadmap, the budget, and where the
data come from. The file holds everything it shows (styles,
charts as inline SVG drawn with matplotlib): it opens offline, from a USB stick or an email, makes
no request, and prints on A4 from the browser's "Save as PDF". Every text someone wrote is
escaped by the template (jinja2, autoescaping on).

Needs the ``report`` extra (jinja2 and matplotlib): ``pip install "smartcity-model[report]"``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from smartcity_model.checks import CheckConfig
from smartcity_model.checks import check as run_checks
from smartcity_model.checks.report import ValidationReport
from smartcity_model.errors import PlanWarning, SmartCityError
from smartcity_model.i18n import _, format_number, language
from smartcity_model.model import Masterplan
from smartcity_model.report import context, sections
from smartcity_model.roadmap import RoadmapError, schedule
from smartcity_model.scoring import (
    TOP_NODE,
    ProvinceReadiness,
    RollUp,
    ScoringError,
    ScoringWarning,
    readiness_scale,
    roll_up,
)
from smartcity_model.scoring.evaluation import evaluate
from smartcity_model.scoring.pillars import pillar_readiness

__all__ = [
    "CHROMIUM_FLAGS",
    "PDF_RENDERERS",
    "ReportUnavailableError",
    "find_pdf_renderer",
    "plan_report",
    "regions_report",
    "write_pdf",
]

_TEMPLATES = Path(__file__).parent / "templates"
#: Flags of a headless Chromium that asks the network for nothing of its own (no updates, no sync).
CHROMIUM_FLAGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
#: Browsers that print a report to PDF headless, looked for on the PATH in this order.
PDF_RENDERERS: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome", "chrome")


def _schedule_or_none(plan: Masterplan) -> pd.DataFrame | None:
    """Return the plan's schedule, or ``None`` when prerequisites wait on each other (the checks say where)."""
    try:
        return schedule(plan)
    except RoadmapError:
        return None


class ReportUnavailableError(SmartCityError, ImportError):
    """jinja2 or matplotlib, which the report needs, is not installed."""


def _environment() -> Any:
    try:
        import jinja2  # noqa: PLC0415 - an optional extra, imported on use
    except ImportError:
        msg = _('reports need jinja2 and matplotlib: pip install "smartcity-model[report]"')
        raise ReportUnavailableError(msg) from None
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _plot() -> Any:
    try:
        from smartcity_model import plot  # noqa: PLC0415 - an optional extra, imported on use
    except ImportError:
        msg = _('reports need jinja2 and matplotlib: pip install "smartcity-model[report]"')
        raise ReportUnavailableError(msg) from None
    return plot


@dataclass
class _Section:
    id: str
    title: str
    blocks: list[dict[str, Any]]
    lead: str = ""


def _chart(name: str, make: Callable[[], Any], caption: str = "") -> dict[str, Any]:
    """Draw a chart as inline SVG; a chart that cannot be drawn says why instead of vanishing."""
    import markupsafe  # noqa: PLC0415 - comes with jinja2

    plot = _plot()
    try:
        figure = make()
    except (ScoringError, plot.PlotError) as error:
        return {"kind": "missing-chart", "caption": _("This chart cannot be drawn: {reason}").format(reason=error)}
    # matplotlib's SVG writer escapes every text it draws (tested with hostile names), so the SVG is markup
    svg = markupsafe.Markup(_own_ids(plot.to_svg(figure)))  # noqa: S704
    return {"kind": "chart", "name": name, "svg": svg, "caption": caption}


_SVG_ID = re.compile(r'(\bid="|url\(#|href="#)([^"\)]+)')


def _own_ids(svg: str) -> str:
    """Give the ids of one SVG (``axes_1``, clip paths) and the references to them a prefix of the chart's own.

    Every chart drawn by matplotlib names its parts alike; in one page ids must be unique. The
    prefix is drawn from the chart itself, so the same report is always the same text.
    """
    prefix = "c" + hashlib.sha256(svg.encode("utf-8")).hexdigest()[:10]
    return _SVG_ID.sub(lambda match: f"{match.group(1)}{prefix}-{match.group(2)}", svg)


def _table(table: sections.Table) -> dict[str, Any]:
    return {"kind": "table", "table": table}


def _labels() -> dict[str, str]:
    return {
        "contents": _("Contents"),
        "hint": _("hint"),
        "waived": _("waived"),
        "no_findings": _("No findings."),
    }


def plan_report(
    plan: Masterplan,
    *,
    report: ValidationReport | None = None,
    config: CheckConfig | None = None,
    year: int | None = None,
    source: str | None = None,
    **options: Any,
) -> str:
    """Return the HTML report of ``plan``, in the current language.

    ``report`` is the plan's :class:`~smartcity_model.ValidationReport` (run with ``config`` if
    not given); ``year`` the year the readiness sections show (default: the latest with a score);
    ``options`` are :func:`~smartcity_model.roll_up`'s, with its defaults, so the report shows the
    numbers :func:`~smartcity_model.score_table` and ``smartcity score`` give with the same
    options. How the scores were made and what the scoring had to assume (its warnings) are
    listed at the top. A plan without observations is reported without scores; a plan whose
    observations cannot be scored with these options, or a ``year`` without scores, raises
    :class:`~smartcity_model.ScoringError`.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScoringWarning)
        warnings.simplefilter("always", PlanWarning)
        return _plan_report(plan, report=report, config=config, year=year, source=source, said=caught, **options)


def _plan_report(  # noqa: PLR0913 - one block per section of the report
    plan: Masterplan,
    *,
    report: ValidationReport | None = None,
    config: CheckConfig | None = None,
    year: int | None = None,
    source: str | None = None,
    said: list[warnings.WarningMessage],
    **options: Any,
) -> str:
    environment = _environment()
    plot = _plot()
    checked = report if report is not None else run_checks(plan, config or CheckConfig())
    scoring = dict(options)
    result = roll_up(plan, **scoring) if plan.observations else None  # a new plan has no scores yet
    region = plan.region.id
    chosen = _year_shown(result, year)
    blocks_ready: list[dict[str, Any]] = []
    blocks_elements: list[dict[str, Any]] = []
    blocks_explained: list[dict[str, Any]] = []
    if result is not None and chosen is not None:
        planned = sections.planned_scores(plan, scoring, chosen)
        blocks_ready = [
            _chart(
                "radar",
                lambda: plot.radar(result, region, year=chosen, labels=plan),
                _("Readiness per dimension, {year}.").format(year=chosen),
            ),
            _table(sections.dimension_table(plan, result, chosen, planned)),
            _chart(
                "paths",
                lambda: plot.paths(result, region, plan=plan),
                _("Observed readiness per dimension (lines) against the path the plan's targets imply (dashed)."),
            ),
        ]
        blocks_elements = [_table(sections.element_table(plan, result, chosen))]
        blocks_explained = [
            _chart(
                "explained",
                lambda: plot.explained(result, region, year=chosen, labels=plan),
                _(
                    "Each dimension's score is the sum of its elements' contributions; the tables below give "
                    "each indicator's."
                ),
            )
        ]
        for _dimension, headline, table in sections.explanations(plan, result, chosen):
            blocks_explained += [{"kind": "heading", "text": headline}, _table(table)]
    else:
        missing = {"kind": "text", "text": _("The plan's observations do not give a readiness score yet.")}
        blocks_ready, blocks_elements, blocks_explained = [missing], [missing], [missing]
    counts, data_table = sections.provenance(plan)
    observed = counts["verified"] + counts["estimated"]
    data_lead = _(
        "{verified} of {total} observations are verified by their custodian; {estimated} are estimated."
    ).format(verified=counts["verified"], total=observed, estimated=counts["estimated"])
    budget_first, budget_second = sections.budget_tables(plan)
    blocks: list[_Section] = [
        _Section("readiness", _("Readiness per dimension"), blocks_ready),
        _Section("elements", _("Element scores"), blocks_elements),
        _Section("explained", _("What makes each dimension's score"), blocks_explained),
        _Section("pillars", _("Readiness by pillar"), _pillar_blocks(plan, scoring, chosen)),
        _Section("evaluation", _("Kominfo's evaluation"), _evaluation_blocks(plan, scoring, chosen)),
        _Section(
            "checks", _("Findings of the checks"), [{"kind": "findings", "groups": sections.finding_groups(checked)}]
        ),
        *_context_sections(plan),
        _Section(
            "collaboration",
            _("Collaboration between OPDs"),
            [
                _chart(
                    "network",
                    lambda: plot.network(plan),
                    _(
                        "OPDs by acronym, sized by the initiatives they take part in, coloured by sector; "
                        "a line joins OPDs that share initiatives."
                    ),
                ),
                _table(sections.matrix_table(plan)),
            ],
        ),
        _Section(
            "roadmap",
            _("Roadmap"),
            [
                _chart(
                    "roadmap",
                    lambda: plot.roadmap(plan, _schedule_or_none(plan)),
                    _(
                        "Initiatives by horizon and year, at the earliest years their prerequisites allow; arrows "
                        "lead from prerequisites, grey bars show the years an initiative can slip, and critical "
                        "initiatives are outlined."
                    ),
                ),
                _table(sections.roadmap_table(plan)),
            ],
        ),
        _Section(
            "budget",
            _("Budget"),
            [
                _chart(
                    "budget",
                    lambda: plot.budget(plan, by="year", stack="source"),
                    _("Planned budget by year and funding source."),
                ),
                _table(budget_first),
                _table(budget_second),
            ],
        ),
        _Section("data", _("Data and their sources"), [_table(data_table)], lead=data_lead),
    ]
    title = plan.document.title_en if language() == "en" and plan.document.title_en else plan.document.title
    title = title or _("Smart City Masterplan of {region}").format(region=plan.region.name)
    context = {
        "lang": language(),
        "version": _version(),
        "kicker": _("Smart City Masterplan report"),
        "title": title,
        "subtitle": _("{region}, {period} · framework {framework}").format(
            region=plan.region.name, period=plan.period, framework=plan.framework.name
        ),
        "figures": sections.key_figures(plan, checked, result, chosen),
        "notes": [*_notes(result, chosen, asked=year is not None), *dict.fromkeys(str(w.message) for w in said)],
        "sections": blocks,
        "t": _labels(),
        "footer": _("Made with smartcity-model {version} from {source}.").format(
            version=_version(), source=source or plan.region.name
        ),
    }
    return str(environment.get_template("report.html.j2").render(**context))


def _tables_or_say(tables: list[tuple[str, sections.Table | None, str]]) -> list[dict[str, Any]]:
    """Return a heading and a table for each part the plan has, and a sentence saying what it lacks for the others."""
    blocks: list[dict[str, Any]] = []
    for heading, table, absent in tables:
        blocks.append({"kind": "heading", "text": heading})
        blocks.append(_table(table) if table is not None else {"kind": "text", "text": absent})
    return blocks


def _context_sections(plan: Masterplan) -> list[_Section]:
    """Return the sections on the plan's alignment, analysis, partners and governance, and places."""
    alignment = _tables_or_say(
        [(_("RPJMD and Renstra goals"), context.goal_table(plan), _("The plan lists no RPJMD or Renstra goal yet."))]
    )
    analysis = _tables_or_say(
        [
            (
                _("Visions of the dimensions"),
                context.vision_table(plan),
                _("The plan gives no dimension a vision yet."),
            ),
            (_("Strategic analysis"), context.issue_table(plan), _("The plan lists no strategic analysis yet.")),
        ]
    )
    partners = _tables_or_say(
        [
            (_("Partners beyond government"), context.partner_table(plan), _("The plan names no partner yet.")),
            (_("Council, team and forum"), context.body_table(plan), _("The plan names no council or team yet.")),
            (_("Focal points"), context.focal_point_table(plan), _("No OPD names its smart city focal point yet.")),
        ]
    )
    places = _tables_or_say([(_("Places"), context.area_table(plan), _("The plan lists no places yet."))])
    return [
        _Section("alignment", _("Alignment with the RPJMD"), alignment),
        _Section("analysis", _("Vision and strategic analysis"), analysis),
        _Section("partners", _("Partners and governance"), partners),
        _Section("places", _("Places"), places),
    ]


def _pillar_blocks(plan: Masterplan, options: dict[str, Any], year: int | None) -> list[dict[str, Any]]:
    """Return readiness by pillar in ``year``, or say why there is none."""
    if year is None or not plan.all_pillars:
        return [{"kind": "text", "text": _("No readiness by pillar: the plan has no scores or no pillars yet.")}]
    try:
        table = pillar_readiness(plan, years=[year], **options)
    except ScoringError as error:
        return [{"kind": "text", "text": _("No readiness by pillar: {reason}").format(reason=error)}]
    scale = readiness_scale(options.get("scale", "default"))
    labels = {band.level: band.label() for band in scale.bands}
    names = {pillar.id: pillar.label(language()) for pillar in plan.all_pillars} | {TOP_NODE: _("all pillars")}
    return [_table(context.pillar_section_table(table, names, labels))]


def _evaluation_blocks(plan: Masterplan, options: dict[str, Any], year: int | None) -> list[dict[str, Any]]:
    """Return Kominfo's evaluation components scored from the plan's data in ``year``, or say why there are none."""
    if year is None:
        return [{"kind": "text", "text": _("No evaluation: the plan's observations give no readiness score yet.")}]
    kept = {key: value for key, value in options.items() if key != "scale"}
    try:
        evaluation = evaluate(plan, year, **kept)
    except ScoringError as error:
        return [{"kind": "text", "text": _("No evaluation: {reason}").format(reason=error)}]
    names = {d.id: d.label(language()) for d in plan.framework.dimensions}
    lead = _("{total} of 5 in {year}, scored from the plan's own data.").format(
        total=format_number(evaluation.overall, 2), year=year
    )
    return [
        {"kind": "text", "text": lead},
        _table(context.evaluation_table(evaluation, names)),
        {"kind": "text", "text": _("Assumed: {notes}.").format(notes="; ".join(evaluation.assumptions))},
    ]


def regions_report(  # noqa: PLR0913 - keyword-only parts of one report
    result: RollUp,
    *,
    province: ProvinceReadiness | None = None,
    names: Mapping[str, str] | None = None,
    title: str | None = None,
    description: str | None = None,
    year: int | None = None,
    source: str | None = None,
    sources: pd.DataFrame | None = None,
) -> str:
    """Return the HTML report of many regions scored together, in the current language.

    ``province`` adds the smart-province rule: the province's level on each node by year and the
    regions holding it back. ``names`` gives region (and node) names, e.g. from a units table;
    ``year`` is the year shown (default: the latest with a score); ``sources`` says where each
    indicator's data come from (a study's ``sources``).
    """
    environment = _environment()
    plot = _plot()
    from smartcity_model.plot._style import level_name  # noqa: PLC0415 - the charts' words, with the charts

    structure = result.structure
    level = structure.levels[-2] if len(structure.levels) > 1 else structure.levels[-1]
    shown = year if year is not None else sections.latest_year(result, level)
    labels: dict[str, str] = {**_structure_names(result), **(names or {})}
    regions = sorted(set(result.units["region"].astype(str)))
    scored = [node for node in structure.level_nodes(level) if _has_scores(result, node)]
    blocks_regions: list[dict[str, Any]] = []
    if shown is not None:
        blocks_regions = [
            _chart(
                "dot",
                lambda: plot.dot(result, level, year=shown, labels=labels),
                _("Every region's score on each {level}, {year}.").format(level=level_name(level), year=shown),
            ),
            _table(sections.region_table(result, level, shown, labels)),
        ]
    blocks_nodes: list[dict[str, Any]] = []
    for node in scored:
        blocks_nodes += [
            {"kind": "heading", "text": labels.get(node, node)},
            _chart("bar", functools.partial(plot.bar, result, node, year=shown, labels=labels)),
            _chart("trend", functools.partial(plot.trend, result, node, labels=labels)),
        ]
    parts: list[_Section] = []
    if province is not None and shown is not None:
        parts.append(
            _Section(
                "province",
                _("Toward a smart province"),
                [
                    _table(sections.province_levels_table(province, labels)),
                    {"kind": "heading", "text": _("What holds the province back in {year}").format(year=shown)},
                    _table(sections.blockers_table(province, shown, labels)),
                ],
            )
        )
    parts += [
        _Section("regions", _("The regions compared"), blocks_regions or [_no_scores()]),
        _Section(
            "nodes",
            _("Each {level} across the regions").format(level=level_name(level)),
            blocks_nodes or [_no_scores()],
        ),
        _Section(
            "indicators",
            _("The indicators"),
            [
                _chart("correlation", lambda: plot.correlation(result, "indicator", labels=labels)),
                _chart("distribution", lambda: plot.distribution(result, labels=labels)),
            ],
        ),
        _Section(
            "data",
            _("Data coverage and sources"),
            [
                _table(sections.coverage_table(result, labels)),
                *([_table(sections.sources_table(sources, labels))] if sources is not None and len(sources) else []),
            ],
        ),
    ]
    figures = [
        (_("Regions"), str(len(regions)), ""),
        (_("Years"), _span(result), ""),
        (_("Indicators"), str(len(structure.indicators)), ""),
    ]
    if province is not None and shown is not None:
        latest = province.levels[province.levels["year"] == shown]
        reached = int(latest["province_level"].notna().sum())
        figures.append(
            (
                _("Smart-province rule"),
                format_number(province.share, 0, percent=True),
                _("{n} of {total} dimensions reached in {year}").format(n=reached, total=len(latest), year=shown),
            )
        )
    context = {
        "lang": language(),
        "version": _version(),
        "kicker": _("Readiness of many regions"),
        "title": title or _("Readiness of {n} regions").format(n=len(regions)),
        "subtitle": description or "",
        "figures": figures,
        "notes": list(result.notes),
        "sections": parts,
        "t": _labels(),
        "footer": _("Made with smartcity-model {version} from {source}.").format(
            version=_version(), source=source or title or ""
        ),
    }
    return str(environment.get_template("report.html.j2").render(**context))


def _no_scores() -> dict[str, Any]:
    return {"kind": "text", "text": _("No region has a score here yet.")}


def _has_scores(result: RollUp, node: str) -> bool:
    scores = result.scores
    return bool(scores.loc[scores["node"] == node, "score"].notna().any())


def _span(result: RollUp) -> str:
    years = sorted(set(result.units["year"].tolist()))
    return f"{years[0]}–{years[-1]}" if years else "–"


def _structure_names(result: RollUp) -> dict[str, str]:
    """Name the nodes of a roll-up on the built-in framework, in the current language."""
    from smartcity_model.frameworks import builtin_framework  # noqa: PLC0415 - the model layer

    if result.structure.levels[-1] != "overall":
        return {}
    lang = language()
    framework = builtin_framework()
    names = {"overall": _("Overall readiness")}
    for dimension in framework.dimensions:
        names[dimension.id] = dimension.label(lang)
        names.update({element.id: element.label(lang) for element in dimension.elements})
    return names


def _year_shown(result: RollUp | None, year: int | None) -> int | None:
    """Return the year the readiness sections show: the one asked for (it must have scores), or the latest."""
    if result is None:
        return None
    levels = result.structure.levels[-2:0:-1] or result.structure.levels[-1:]  # dimensions, else below
    if year is None:
        return next((found for level in levels if (found := sections.latest_year(result, level))), None)
    scores = result.scores
    scored = scores.loc[scores["score"].notna() & (scores["level"] != result.structure.levels[0]), "year"]
    if year not in set(scored.tolist()):
        years = sorted(set(scored.tolist()))
        span = f"{years[0]}–{years[-1]}" if years else "-"
        message = _("no readiness scores in {year}, asked for; the years with scores are {span}")
        raise ScoringError(message.format(year=year, span=span))
    return year


def _notes(result: RollUp | None, year: int | None, *, asked: bool) -> list[str]:
    """Say which year the readiness sections show and how the scores were made."""
    if result is None or year is None:
        return [] if result is None else [_("The plan's observations do not give a readiness score yet.")]
    shown = (
        _("Readiness is shown for {year}, the year asked for.")
        if asked
        else _("Readiness is shown for {year}, the latest year with scores.")
    )
    options = result.options
    imputed = _("counted") if options.get("count_imputed") else _("not counted")
    made = _(
        "Scores: normalisation {normalisation}; aggregation {aggregation}; missing data {missing} (filled values "
        "{imputed} toward coverage); a score needs {coverage} of its weight observed. smartcity score with the "
        "same options prints the same numbers."
    ).format(
        normalisation=result.normalisation.describe(),
        aggregation=", ".join(dict.fromkeys(result.aggregation.values())),
        missing=options.get("missing", "coverage"),
        imputed=imputed,
        coverage=format_number(float(str(options.get("min_coverage", 0.65))), 0, percent=True),
    )
    return [shown.format(year=year), made]


def _version() -> str:
    from smartcity_model import __version__  # noqa: PLC0415 - the package imports this module's parent

    return __version__


def find_pdf_renderer() -> str | None:
    """Return the path of a browser that prints to PDF headless (:data:`PDF_RENDERERS`), if one is installed."""
    return next((found for name in PDF_RENDERERS if (found := shutil.which(name))), None)


def write_pdf(html_path: Path, pdf_path: Path, renderer: str | None = None, timeout: float = 120) -> Path:
    """Print the HTML report at ``html_path`` to ``pdf_path`` with a headless browser (A4, the print stylesheet).

    Raises :class:`ReportUnavailableError` when no renderer is installed, :class:`OSError` when it fails.
    """
    browser = renderer or find_pdf_renderer()
    if browser is None:
        msg = _("no browser to print PDF with ({names}); install Debian's chromium, or print the HTML from a browser")
        raise ReportUnavailableError(msg.format(names=", ".join(PDF_RENDERERS)))
    with tempfile.TemporaryDirectory() as profile:
        command = [
            browser,
            "--headless",
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)  # noqa: S603 - a browser found on PATH
    if done.returncode != 0 or not pdf_path.is_file():
        message = _("{browser} could not print the PDF (exit {code})").format(browser=browser, code=done.returncode)
        raise OSError(message)
    return pdf_path
