"""The commands of ``smartcity`` that print results: readiness scores and budget totals.

Each prints a table for people, or writes CSV, JSON or an Excel workbook (``--format``, or the
suffix of ``-o``). CSV and JSON carry every digit of the library's numbers; the table rounds
them for reading. In CSV, a text that a spreadsheet would run as a formula (``=HYPERLINK(...)``)
is written after an apostrophe; in a workbook every text is stored as text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from smartcity_model.budget import BUDGET_KEYS, BudgetError, budget_summary
from smartcity_model.cli_scoring import (
    check_levels,
    fail_scoring,
    recipe_of,
    run_study,
    scoring_kwargs,
    scoring_options,
    study_options_refused,
)
from smartcity_model.cli_support import default_plan, emit, exit_with_usage_error, load_or_exit
from smartcity_model.i18n import N_, _, format_number
from smartcity_model.i18n_click import SpeakingCommand
from smartcity_model.io.excel import ExcelUnavailableError, tables_workbook
from smartcity_model.model import Masterplan
from smartcity_model.scoring import (
    TOP_NODE,
    NormaliseSpec,
    ReadinessScale,
    ScoringError,
    Structure,
    readiness_scale,
    score_table,
)
from smartcity_model.scoring.pillars import pillar_readiness

__all__ = [
    "TABLE_FORMATS",
    "budget",
    "readable",
    "records",
    "score",
    "table_format",
    "table_output_options",
    "write_table",
]

#: The output formats of the result commands.
TABLE_FORMATS: tuple[str, ...] = ("table", "csv", "json", "xlsx")
_F = TypeVar("_F", bound=Callable[..., Any])
_SUFFIXES = {".csv": "csv", ".json": "json", ".xlsx": "xlsx", ".txt": "table"}


def table_output_options(function: _F) -> _F:
    """Add ``--format`` (table, csv, json, xlsx) and ``-o/--output`` to a command that prints result tables."""
    output = click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write to this file.")
    )
    fmt = click.option(
        "--format",
        "fmt",
        type=click.Choice(TABLE_FORMATS),
        default=None,
        help=N_("table, csv, json or xlsx (default: from the output file's suffix, else table)."),
    )
    return fmt(output(function))


def table_format(fmt: str | None, output: Path | None) -> str:
    """Return the format asked for, or the one ``-o``'s suffix names; refuse a mismatch or xlsx to the terminal."""
    implied = None if output is None else _SUFFIXES.get(output.suffix.lower())
    if fmt is not None and implied is not None and fmt != implied:
        message = _("--format {fmt} does not match the output file {output} ({implied})")
        exit_with_usage_error(ValueError(message.format(fmt=fmt, output=output, implied=implied)))
    chosen = fmt or implied or "table"
    if chosen == "xlsx" and output is None:
        exit_with_usage_error(ValueError(_("an Excel workbook is written to a file: give -o FILE.xlsx")))
    return chosen


def _plain(value: Any) -> Any:
    """Return a table's value as JSON holds it: missing values null, numpy numbers as Python's."""
    if value is None or value is pd.NA:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


#: What a spreadsheet takes for the start of a formula in a cell it opens from CSV.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Return the table with every text that a spreadsheet would run as a formula written after ``'``.

    Names someone wrote can begin with ``=`` (``=HYPERLINK(...)``); a spreadsheet opening the CSV
    shows such a cell, with its apostrophe, as text. Numbers are left as they are.
    """
    shown = frame.copy()
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = [
                "'" + value if isinstance(value, str) and value.startswith(_FORMULA_STARTS) else value
                for value in shown[column]
            ]
    return shown


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a table's rows as JSON-ready objects, every number exact."""
    columns = list(frame.columns)
    return [dict(zip(columns, map(_plain, row), strict=True)) for row in frame.itertuples(index=False, name=None)]


def write_table(
    sheets: Mapping[str, pd.DataFrame],
    fmt: str,
    output: Path | None,
    *,
    text: Callable[[], str],
    json_value: Callable[[], Any] | None = None,
) -> None:
    """Print or write result tables: ``text()`` as a table, the first sheet as CSV, JSON or all sheets as xlsx."""
    payload: str | bytes
    if fmt == "table":
        payload = text()
    elif fmt == "csv":
        payload = _as_text(next(iter(sheets.values()))).to_csv(index=False, lineterminator="\n")
    elif fmt == "json":
        value = json_value() if json_value is not None else records(next(iter(sheets.values())))
        payload = json.dumps(value, ensure_ascii=False, indent=2) + "\n"
    else:
        try:
            payload = tables_workbook(sheets)
        except (ExcelUnavailableError, ValueError) as error:
            exit_with_usage_error(error)
    emit(payload, output)


def readable(
    frame: pd.DataFrame,
    columns: Mapping[str, str],
    percent: Mapping[str, int] | None = None,
    right: Sequence[str] = (),
    decimals: int = 1,
) -> str:
    """Return a table rounded for people, with headers and numbers in the current language.

    ``percent`` maps the columns of shares to their decimals; other numbers get ``decimals``.
    Numbers (and the columns named in ``right``) are aligned right, text left.
    """
    percent = percent or {}
    kept = [column for column in columns if column in frame.columns]
    cells: dict[str, list[str]] = {}
    aligned_right = set(right)
    for column in kept:
        values = frame[column]
        if column in percent:
            cells[column] = [format_number(float(v), percent[column], percent=True) for v in values]
            aligned_right.add(column)
        elif pd.api.types.is_float_dtype(values):
            cells[column] = [format_number(float(v), decimals) for v in values]
            aligned_right.add(column)
        else:
            cells[column] = ["" if v is None or v is pd.NA else str(v) for v in values]
            aligned_right.update([column] if pd.api.types.is_integer_dtype(values) else [])
    headers = {column: _(columns[column]) for column in kept}
    widths = {column: max([len(headers[column]), *map(len, cells[column])]) for column in kept}

    def line(texts: Mapping[str, str]) -> str:
        parts = [
            texts[column].rjust(widths[column]) if column in aligned_right else texts[column].ljust(widths[column])
            for column in kept
        ]
        return "  ".join(parts).rstrip()

    rows = [line(headers)] + [line({column: cells[column][n] for column in kept}) for n in range(len(frame))]
    return "\n".join(rows) + "\n"


#: Headers of the score table shown to people.
_SCORE_HEADERS = {
    "region": N_("region"),
    "year": N_("year"),
    "node": N_("node"),
    "name": N_("name"),
    "score": N_("score"),
    "coverage": N_("coverage"),
    "imputed": N_("imputed"),
    "band": N_("readiness"),
    "planned": N_("planned"),
    "gap": N_("gap"),
}


def _score_text(subject: str, table: pd.DataFrame, options: Mapping[str, Any], scale: ReadinessScale) -> str:
    method = options.get("method", "declared")
    heading = _("Readiness of {subject} (normalisation {method}, aggregation {aggregation}, missing {missing})")
    lines = [
        heading.format(
            subject=subject,
            method=method.describe() if isinstance(method, NormaliseSpec) else method,
            aggregation=_shown_option(options.get("aggregation", "arithmetic")),
            missing=options.get("missing", "coverage"),
        )
    ]
    for level, rows in table.groupby("level", sort=False):
        lines.append("")
        lines.append(_("Level: {level}").format(level=_(str(level))))
        regions = len(set(table["region"]))
        headers = {key: header for key, header in _SCORE_HEADERS.items() if key != "region" or regions > 1}
        labels = [None if pd.isna(level) else scale.band(int(level)).label() for level in rows["readiness_level"]]
        shown = rows.assign(band=pd.Series(labels, index=rows.index, dtype=object))  # in the reader's language
        lines.append(readable(shown, headers, percent={"coverage": 0, "imputed": 0}).rstrip("\n"))
    return "\n".join(lines) + "\n"


@click.command(
    cls=SpeakingCommand,
    help=N_(
        "Score the readiness of the plan at PATH (default: the plan in this folder, else the bundled example) "
        "by level and year: score, coverage, imputed share and readiness band, as a table, CSV, JSON or Excel. "
        "PATH may also be a study of many regions declared in a recipe.yaml (the file, or a folder holding it), "
        "scored as its recipe declares.\n\n"
        "The numbers are those of scm.score_table (and scm.roll_up) with the same options, to the last digit "
        "in CSV and JSON, and those smartcity report shows. Exit 0, 1 when the plan cannot be loaded or scored, "
        "2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--level",
    "levels",
    multiple=True,
    default=("dimension",),
    show_default=True,
    help=N_(
        "Level to show: overall, dimension, element, indicator, or all (repeat for several); pillar shows "
        "readiness by pillar (struktur, infrastruktur, suprastruktur) from indicators and the questionnaire."
    ),
)
@click.option("--year", "years", type=int, multiple=True, help=N_("Year to show (repeat for several; default: all)."))
@scoring_options
@click.option("--vs-plan", is_flag=True, help=N_("Add the score the plan's own targets imply, and the gap to it."))
@table_output_options
@click.pass_context
def score(  # noqa: PLR0913 - one per option
    ctx: click.Context,
    /,
    *,
    path: Path | None,
    levels: tuple[str, ...],
    years: tuple[int, ...],
    fmt: str | None,
    output: Path | None,
    vs_plan: bool,
    **scoring: Any,
) -> None:
    """Run ``smartcity score`` (see its help)."""
    chosen = table_format(fmt, output)
    source = path if path is not None else default_plan()
    recipe_path = recipe_of(source)
    if recipe_path is not None:
        study_options_refused(ctx)
        if vs_plan:
            exit_with_usage_error(ValueError(_("--vs-plan compares a plan with its own targets; a study has none")))
        study = run_study(recipe_path)
        check_levels(study.structure, levels)
        try:
            table = score_table(study.result, levels=levels, years=years or None, names=study.names)
        except ScoringError as error:
            fail_scoring(error)
        sheets = {_("Scores"): table}
        if chosen == "xlsx":
            sheets[_("Contributions")] = study.result.contributions(_second_level(study.structure))
        title = study.recipe.name or str(recipe_path)
        text = lambda: _score_text(title, table, study.result.options, study.result.scale)  # noqa: E731 - a table drawn only when printed
        write_table(sheets, chosen, output, text=text)
        return
    plan = load_or_exit(source, "text")
    _score_plan(plan, levels, years, scoring_kwargs(scoring), vs_plan=vs_plan, chosen=chosen, output=output)


def _score_plan(  # noqa: PLR0913 - the plan and the command's choices
    plan: Masterplan,
    levels: tuple[str, ...],
    years: tuple[int, ...],
    options: dict[str, Any],
    *,
    vs_plan: bool,
    chosen: str,
    output: Path | None,
) -> None:
    """Score a plan on the framework's levels asked for, and by pillar if asked, and print or write the tables."""
    check_levels(Structure.from_plan(plan), levels, extra=(PILLAR_LEVEL,))
    framework_levels = tuple(level for level in levels if level != PILLAR_LEVEL)
    pillars = PILLAR_LEVEL in levels
    if pillars and framework_levels and chosen in {"csv", "json"}:
        message = _("--level pillar gives a table of its own; with --format {fmt}, ask for it alone")
        exit_with_usage_error(ValueError(message.format(fmt=chosen)))
    if pillars and vs_plan:
        exit_with_usage_error(ValueError(_("--vs-plan compares the framework's levels; leave out --level pillar")))
    sheets: dict[str, pd.DataFrame] = {}
    try:
        if framework_levels:
            table = score_table(plan, levels=framework_levels, years=years or None, vs_plan=vs_plan, **options)
            sheets[_("Scores")] = table
        if pillars:
            sheets[_("Pillars")] = pillar_table(plan, years or None, options)
        if chosen == "xlsx" and framework_levels:
            from smartcity_model.scoring import roll_up  # noqa: PLC0415 - only the workbook needs contributions

            sheets[_("Contributions")] = roll_up(plan, **options).contributions("dimension")
    except ScoringError as error:
        fail_scoring(error)
    heading = f"{plan.region.name}, {plan.period}"
    scale = readiness_scale(options["scale"])

    def text() -> str:
        parts = [_score_text(heading, sheets[_("Scores")], options, scale)] if framework_levels else []
        if pillars:
            parts.append(pillar_text(heading, sheets[_("Pillars")], scale))
        return "\n".join(parts)

    write_table(sheets, chosen, output, text=text)


#: The ``--level`` of readiness by pillar (beside the framework's levels).
PILLAR_LEVEL = "pillar"
#: Headers of the pillar table shown to people.
_PILLAR_HEADERS = {
    "year": N_("year"),
    "name": N_("pillar"),
    "from_indicators": N_("indicators"),
    "indicator_coverage": N_("coverage"),
    "from_questionnaire": N_("questionnaire"),
    "answers": N_("answers"),
    "score": N_("score"),
    "band": N_("readiness"),
}


def pillar_table(plan: Masterplan, years: Sequence[int] | None, options: Mapping[str, Any]) -> pd.DataFrame:
    """Return readiness by pillar with the pillars' names, scored with the command's options."""
    kept = {key: value for key, value in options.items() if key not in {"min_coverage", "scale"}}
    table = pillar_readiness(plan, years=years, min_coverage=options["min_coverage"], scale=options["scale"], **kept)
    names = {pillar.id: pillar.label() for pillar in plan.all_pillars} | {TOP_NODE: _("readiness (all pillars)")}
    table.insert(list(table.columns).index("node") + 1, "name", table["node"].map(names))
    return table


def pillar_text(subject: str, table: pd.DataFrame, scale: ReadinessScale) -> str:
    """Return readiness by pillar as a table for people."""
    labels = [None if pd.isna(level) else scale.band(int(level)).label() for level in table["readiness_level"]]
    shown = table.assign(band=pd.Series(labels, index=table.index, dtype=object))
    heading = _("Readiness of {subject} by pillar (from indicators and the readiness questionnaire)")
    body = readable(shown, _PILLAR_HEADERS, percent={"indicator_coverage": 0})
    return heading.format(subject=subject) + "\n\n" + body


def _shown_option(value: Any) -> str:
    """Show an option as people read it: a method per level as ``level: method, ...``."""
    if isinstance(value, Mapping):
        return ", ".join(f"{level}: {method}" for level, method in value.items())
    return str(value)


def _second_level(structure: Structure) -> str:
    """Return the level just below the top (dimensions), or the top of a structure of two levels."""
    return structure.levels[-2] if len(structure.levels) > 2 else structure.levels[-1]  # noqa: PLR2004 - top and one below


#: Headers of the budget tables shown to people.
_BUDGET_HEADERS = {
    "year": N_("year"),
    "source": N_("source"),
    "opd": N_("OPD"),
    "dimension": N_("dimension"),
    "horizon": N_("horizon"),
    "initiative": N_("initiative"),
    "status": N_("status"),
    "amount": N_("amount (Rp)"),
    "share": N_("share"),
    "initiatives": N_("initiatives"),
    "lines": N_("budget lines"),
}
#: What ``smartcity budget`` shows when no ``--by`` is given.
_DEFAULT_KEYS = ("year", "source", "opd", "dimension", "horizon")


def _budget_text(plan: Masterplan, sheets: Mapping[str, pd.DataFrame], dimensions: str) -> str:
    total = sum(line.amount for initiative in plan.initiatives for line in initiative.budget)
    heading = _("Budget of {region}, {period}: Rp {total} in all").format(
        region=plan.region.name, period=plan.period, total=format_number(total)
    )
    lines = [heading]
    if dimensions == "full":
        lines.append(_("(dimensions: the whole amount of an initiative is counted in each of its dimensions)"))
    for frame in sheets.values():
        lines.append("")
        shown = frame.copy()
        shown["amount"] = [format_number(float(v)) for v in shown["amount"]]
        lines.append(readable(shown, _BUDGET_HEADERS, percent={"share": 1}, right=("amount",)).rstrip("\n"))
    return "\n".join(lines) + "\n"


@click.command(
    cls=SpeakingCommand,
    help=N_(
        "Total the budget of the plan at PATH (default: the plan in this folder, else the bundled example) by "
        "year, funding source, OPD, dimension and horizon, or by the keys given with --by, as a table, CSV, JSON "
        "or Excel.\n\nThe numbers are those of scm.budget_summary, to the last digit in CSV and JSON."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--by",
    "keys",
    type=click.Choice(BUDGET_KEYS),
    multiple=True,
    help=N_("Total by this key; repeat to total by several at once (--by year --by source)."),
)
@click.option(
    "--dimensions",
    type=click.Choice(["split", "full"]),
    default="split",
    show_default=True,
    help=N_("An initiative of several dimensions: share its money among them, or count it in full in each."),
)
@table_output_options
def budget(path: Path | None, keys: tuple[str, ...], dimensions: str, fmt: str | None, output: Path | None) -> None:
    """Run ``smartcity budget`` (see its help)."""
    chosen = table_format(fmt, output)
    if chosen == "csv" and not keys:
        exit_with_usage_error(ValueError(_("a CSV file holds one table: choose it with --by (e.g. --by year)")))
    plan = load_or_exit(path if path is not None else default_plan(), "text")
    groups: list[tuple[str, ...]] = [keys] if keys else [(key,) for key in _DEFAULT_KEYS]
    try:
        sheets = {
            " × ".join(_(_BUDGET_HEADERS[key]) for key in group): budget_summary(
                plan,
                list(group),
                dimensions=dimensions,  # type: ignore[arg-type]
            )
            for group in groups
        }
    except BudgetError as error:
        exit_with_usage_error(error)

    def as_json() -> Any:
        if keys:
            return records(next(iter(sheets.values())))
        return {group[0]: records(frame) for group, frame in zip(groups, sheets.values(), strict=True)}

    write_table(sheets, chosen, output, text=lambda: _budget_text(plan, sheets, dimensions), json_value=as_json)
