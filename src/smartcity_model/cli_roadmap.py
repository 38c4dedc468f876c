"""``smartcity roadmap``, ``prioritise`` and ``monitor``: when initiatives can happen, what to fund, how it goes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import click
import pandas as pd

from smartcity_model.cli_results import readable, records, table_format, table_output_options, write_table
from smartcity_model.cli_scoring import fail_scoring
from smartcity_model.cli_support import default_plan, emit, exit_with_problems, exit_with_usage_error, load_or_exit
from smartcity_model.errors import MasterplanError, Problem, suggest
from smartcity_model.i18n import N_, _, format_number, n_
from smartcity_model.i18n_click import SpeakingCommand
from smartcity_model.io.keyed import read_keyed_csv
from smartcity_model.model import FundingSource, Masterplan
from smartcity_model.numerals import read_number
from smartcity_model.roadmap import (
    Priorities,
    RoadmapError,
    WhatIf,
    absorption,
    as_of_year,
    critical_paths,
    prioritise,
    progress_table,
    readiness_gap,
    schedule,
    target_years,
    what_if,
    yearly_budget,
)
from smartcity_model.scoring import ScoringError

__all__ = ["monitor_command", "parse_amount", "prioritise_command", "read_budget", "roadmap_command"]

_SCHEDULE_HEADERS = {
    "initiative": N_("initiative"),
    "lead": N_("lead"),
    "planned_start": N_("planned"),
    "earliest_start": N_("start"),
    "earliest_finish": N_("finish"),
    "latest_finish": N_("latest finish"),
    "slack": N_("slack"),
    "delay": N_("delay"),
}
_PRIORITY_HEADERS = {
    "initiative": N_("initiative"),
    "lead": N_("lead"),
    "cost": N_("cost (Rp)"),
    "gain": N_("gain"),
    "gain_per_billion": N_("gain per Rp 1 miliar"),
    "decision": N_("decision"),
    "why": N_("why"),
}
_SPENDING_HEADERS = {
    "year": N_("year"),
    "source": N_("source"),
    "budget": N_("budget (Rp)"),
    "planned": N_("planned (Rp)"),
    "spent": N_("chosen (Rp)"),
    "left": N_("left (Rp)"),
}
_DECISION_WORDS = {"fund": N_("fund"), "cut": N_("cut"), "done": N_("done"), "cancelled": N_("cancelled")}
#: Words for large amounts: Indonesian and English.
_SCALES = {
    "miliar": 1e9,
    "milyar": 1e9,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "juta": 1e6,
    "jt": 1e6,
    "million": 1e6,
    "triliun": 1e12,
    "trillion": 1e12,
    "t": 1e12,
}
_AMOUNT = re.compile(r"^\s*(?P<number>.*?)\s*(?P<word>[A-Za-z]+)?\s*$")
_BUDGET_HEADERS = {
    "year": ("tahun",),
    "amount": ("jumlah", "anggaran", "pagu", "budget"),
    "source": ("sumber", "sumber_dana", "sumber dana"),
}


def parse_amount(text: str) -> float:
    """Read an amount of rupiah: ``12500000000``, ``Rp 12.500.000.000``, ``12,5 miliar``, ``12.5 billion``.

    ``M`` alone is refused: it is *miliar* (10⁹) to an Indonesian reader and *million* to an English one.
    """
    match = _AMOUNT.match(text)
    word = (match.group("word") or "") if match else ""
    if word.lower() == "m":
        msg = _("{text}: M is miliar to some and million to others; write miliar or juta").format(text=repr(text))
        raise ValueError(msg)
    number = match.group("number") if match and word else text
    scale = 1.0
    if word:
        if word.lower() not in _SCALES:
            msg = _("{text} is no amount: {word} is not a unit{hint} (miliar, juta, triliun, billion, million)").format(
                text=repr(text), word=repr(word), hint=suggest(word.lower(), list(_SCALES))
            )
            raise ValueError(msg)
        scale = _SCALES[word.lower()]
    value = read_number(number) * scale
    if value < 0:
        msg = _("{text} is no amount: a budget is 0 or more").format(text=repr(text))
        raise ValueError(msg)
    return value


def read_budget(path: Path) -> pd.DataFrame:
    """Read a budget CSV (``year, amount`` and optionally ``source``; Indonesian headers too), every problem located."""
    shown = str(path)
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    known = [s.value for s in FundingSource]
    for number, row in read_keyed_csv(path, _BUDGET_HEADERS, ("year", "amount")):
        try:
            year = int(row.get("year", ""))
        except ValueError:
            message = _("{value} is no year").format(value=repr(row.get("year", "")))
            problems.append(Problem("wrong-type", message, file=shown, line=number, field="year"))
            continue
        try:
            amount = parse_amount(row.get("amount", ""))
        except ValueError as error:
            problems.append(Problem("wrong-type", str(error), file=shown, line=number, field="amount"))
            continue
        source = row.get("source") or None
        if source is not None and source.lower() not in known:
            message = _("unknown funding source {name}{hint}; the sources are {known}").format(
                name=repr(source), hint=suggest(source.lower(), known), known=", ".join(known)
            )
            problems.append(Problem("invalid-choice", message, file=shown, line=number, field="source"))
            continue
        rows.append(
            {"year": year, "source": None if source is None else source.lower(), "amount": amount, "line": number}
        )
    problems += _budget_row_problems(rows, shown)
    if problems:
        raise MasterplanError(problems, shown)
    return pd.DataFrame(rows, columns=["year", "source", "amount"])


def _budget_row_problems(rows: list[dict[str, Any]], shown: str) -> list[Problem]:
    """Return the rows that repeat a year (and source), and those without a source in a budget per source."""
    problems: list[Problem] = []
    first: dict[tuple[int, str | None], int] = {}
    for row in rows:
        key = (row["year"], row["source"])
        if key in first:
            message = _("{year} is given twice (first at line {line})").format(
                year=" ".join(str(part) for part in key if part is not None), line=first[key]
            )
            problems.append(Problem("duplicate-id", message, file=shown, line=row["line"], field="year"))
        else:
            first[key] = row["line"]
    if any(row["source"] for row in rows):
        problems += [
            Problem(
                "missing-field",
                _("no source, where other rows give one: a budget per source gives it on every row"),
                file=shown,
                line=row["line"],
                field="source",
            )
            for row in rows
            if not row["source"]
        ]
    return problems


def _slips(values: tuple[str, ...]) -> dict[str, int]:
    """Read the ``--slip ID=YEARS`` options; refuse a malformed one or an initiative given twice."""
    slips: dict[str, int] = {}
    for value in values:
        name, sep, years = value.partition("=")
        try:
            number = int(years) if sep else None
        except ValueError:
            number = None
        if number is None:
            exit_with_usage_error(
                ValueError(_("--slip takes INITIATIVE=YEARS (e.g. sh-01=2), not {value}").format(value=repr(value)))
            )
        if name.strip() in slips:
            exit_with_usage_error(ValueError(_("--slip gives {name} twice").format(name=repr(name.strip()))))
        slips[name.strip()] = number
    return slips


def _gantt(table: pd.DataFrame, start: int, end: int) -> str:
    """Draw the schedule as text: █ the initiative's years, ░ the years it may slip into, · the rest."""
    years = list(range(start, max(end, int(table.attrs.get("deadline", end))) + 1))
    width = max([len(str(name)) for name in table["initiative"]] + [10])
    lines = [" " * (width + 2) + " ".join(f"{year % 100:02d}" for year in years)]
    for row in table.to_dict("records"):
        if pd.isna(row["earliest_start"]):
            cells = ["××"] * len(years)
            if row["blocked_by"] != row["initiative"]:
                note = _("blocked by {name}").format(name=row["blocked_by"])
            else:
                note = _("cancelled") if row["status"] == "cancelled" else _("dropped")
        else:
            cells = []
            for year in years:
                if row["earliest_start"] <= year <= row["earliest_finish"]:
                    cells.append("██")
                elif row["earliest_finish"] < year <= row["latest_finish"]:
                    cells.append("░░")
                else:
                    cells.append("··")
            notes = [_("critical")] if row["critical"] else []
            if row["delay"]:
                notes.append(_("{years:+d} years").format(years=int(row["delay"])))
            note = ", ".join(notes)
        lines.append(f"{row['initiative']!s:<{width}}  {' '.join(cells)}  {note}".rstrip())
    return "\n".join(lines)


def _roadmap_text(plan: Masterplan, table: pd.DataFrame, targets: pd.DataFrame, change: WhatIf | None) -> str:
    heading = _("Roadmap of {region}, {period}").format(region=plan.region.name, period=plan.period)
    lines = [heading, ""]
    paths = critical_paths(table)
    if table["earliest_start"].isna().all():
        lines.append(_("No initiative can happen: every one is dropped, cancelled or waits on one that is."))
    elif paths:
        lines.append(n_("Critical path:", "Critical paths:", len(paths)))
        lines += [f"  {' → '.join(path)}" for path in paths]
    else:
        lines.append(
            _("No critical path: every initiative can slip without pushing the plan past {end}.").format(
                end=table.attrs["deadline"]
            )
        )
    lines += ["", _gantt(table, plan.period.start, plan.period.end), ""]
    lines.append(_("█ scheduled years, ░ years it can slip into, × cannot happen"))
    if change is not None:
        lines += ["", _("What changes:"), *(f"  {line}" for line in change.summary())]
    late = targets[targets["late_by"].fillna(0).gt(0) | targets["earliest_year"].isna()]
    late = late[late["basis"] != "no initiative"]
    if not late.empty:
        lines += ["", _("Targets the initiatives cannot meet in time:")]
        lines += [f"  {line}" for line in _late_lines(late)]
    return "\n".join(lines) + "\n"


def _late_lines(late: pd.DataFrame) -> list[str]:
    """Say, one line per indicator and reason, which targets come late and why."""
    lines = []
    keys = ["indicator", "basis", "earliest_year", "initiatives"]
    for (indicator, basis, earliest, names), group in late.groupby(keys, sort=False, dropna=False):
        years = ", ".join(str(year) for year in group["target_year"])
        if basis == "blocked":
            why = _("{names} cannot happen").format(names=names)
        elif basis == "not reached":
            why = _("the values {names} expects do not reach it").format(names=names)
        elif basis == "expected":
            why = _("{year}, when {names} expects to reach it").format(year=earliest, names=names)
        else:
            why = n_("{year}, when {names} ends", "{year}, when {names} end", len(str(names).split(", "))).format(
                year=earliest, names=names
            )
        lines.append(f"{indicator} {years}: {why}")
    return lines


@click.command(
    "roadmap",
    cls=SpeakingCommand,
    help=N_(
        "Show when each initiative of the plan at PATH (default: the plan in this folder, else the bundled "
        "example) can really happen: its earliest and latest years given its prerequisites, its slack and the "
        "critical path, and the earliest year each indicator target can be met. With --slip and --drop, what "
        "moves when initiatives slip or are dropped.\n\n"
        "Exit 0, 1 when the plan cannot be read or scheduled (a dependency cycle), 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--anchor",
    type=click.Choice(["planned", "earliest"]),
    default="planned",
    show_default=True,
    help=N_("Start initiatives no earlier than their planned years, or as early as the plan allows."),
)
@click.option("--slip", multiple=True, metavar="ID=YEARS", help=N_("Put an initiative off by YEARS; repeat."))
@click.option("--drop", multiple=True, metavar="ID", help=N_("Take an initiative out of the plan; repeat."))
@click.option(
    "--chart",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Also draw the schedule as a Gantt chart in FILE.svg or FILE.png (the plot extra)."),
)
@table_output_options
def roadmap_command(  # noqa: PLR0913 - one per option
    *,
    path: Path | None,
    anchor: str,
    slip: tuple[str, ...],
    drop: tuple[str, ...],
    chart: Path | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Run ``smartcity roadmap`` (see its help)."""
    chosen = table_format(fmt, output)
    plan = load_or_exit(path if path is not None else default_plan(), "text")
    slips = _slips(slip)
    try:
        change = what_if(plan, slip=slips, drop=drop, anchor=anchor) if slips or drop else None  # type: ignore[arg-type]
        table = change.after if change is not None else schedule(plan, anchor=anchor)  # type: ignore[arg-type]
        targets = target_years(plan, table)
    except (RoadmapError, ScoringError) as error:
        fail_scoring(error)
    if chart is not None:
        _write_chart(plan, table, chart)
    sheets = {_("Schedule"): table, _("Targets"): targets}
    if change is not None:
        sheets |= {_("Moved"): change.moved, _("Readiness"): change.path}
    write_table(sheets, chosen, output, text=lambda: _roadmap_text(plan, table, targets, change))


def _write_chart(plan: Masterplan, table: pd.DataFrame, chart: Path) -> None:
    """Draw the schedule as a Gantt chart into ``chart`` (SVG or PNG); exit 2 if that cannot be done."""
    suffix = chart.suffix.lower()
    if suffix not in {".svg", ".png"}:
        exit_with_usage_error(ValueError(_("--chart writes FILE.svg or FILE.png, not {name}").format(name=chart.name)))
    try:
        from smartcity_model import plot  # noqa: PLC0415 - the plot extra, only when a chart is asked for
    except ImportError:
        exit_with_usage_error(ImportError(_('a chart needs matplotlib: pip install "smartcity-model[plot]"')))
    figure = plot.roadmap(plan, table)
    if suffix == ".svg":
        emit(plot.to_svg(figure), chart)
        return
    with tempfile.TemporaryDirectory() as folder:
        emit(plot.to_png(figure, Path(folder) / "chart.png").read_bytes(), chart)


def _budget_option(plan: Masterplan, budget: str | None, budget_file: Path | None, sources: tuple[str, ...]) -> Any:
    """Return the budget the options give: an amount, a share of the plan's own, or a table."""
    if budget is None and budget_file is None:
        exit_with_usage_error(ValueError(_("give the budget: --budget AMOUNT (or PERCENT%) or --budget-file FILE")))
    if budget is not None and budget_file is not None:
        exit_with_usage_error(ValueError(_("give one budget: --budget or --budget-file, not both")))
    if budget_file is not None:
        if not budget_file.is_file():
            exit_with_usage_error(FileNotFoundError(_("no budget file {path}").format(path=budget_file)))
        try:
            table = read_budget(budget_file)
        except MasterplanError as error:
            exit_with_problems(error, budget_file, "text")
        if sources and table["source"].notna().any():
            message = _("{path} gives a budget per source: --source is for a budget of all sources together")
            exit_with_usage_error(ValueError(message.format(path=budget_file)))
        return table
    assert budget is not None  # noqa: S101 - one of the two is given, checked above
    text = budget.strip()
    try:
        if text.endswith("%"):
            share = read_number(text[:-1]) / 100
            return yearly_budget(plan, share=share, sources=sources or None)
        return parse_amount(text)
    except (ValueError, RoadmapError) as error:
        exit_with_usage_error(ValueError(_("--budget: {reason}").format(reason=error)))


def _prioritise_text(plan: Masterplan, result: Priorities) -> str:
    lines = [_("Priorities for {region}, {period}").format(region=plan.region.name, period=plan.period)]
    lines += [f"  {line}" for line in result.summary()]
    table = result.table.copy()
    table["cost"] = [format_number(float(v)) for v in table["cost"]]
    table["decision"] = [_(_DECISION_WORDS[d]) for d in table["decision"]]
    lines += ["", readable(table, _PRIORITY_HEADERS, right=("cost",), decimals=2).rstrip("\n")]
    spending = result.spending.copy()
    for column in ("budget", "planned", "spent", "left"):
        spending[column] = [format_number(float(v)) for v in spending[column]]
    lines += ["", readable(spending, _SPENDING_HEADERS, right=("budget", "planned", "spent", "left")).rstrip("\n")]
    return "\n".join(lines) + "\n"


def _prioritise_json(result: Priorities) -> dict[str, Any]:
    cut = result.table[result.table["decision"] == "cut"]
    return {
        "chosen": list(result.chosen),
        "cut": [
            {"initiative": row["initiative"], "reason": row["reason"], "why": row["why"]}
            for row in cut.to_dict("records")
        ],
        "gain": result.gain,
        "bound": result.bound,
        "gap": result.gap,
        "method": result.method,
        "notes": list(result.notes),
        "initiatives": records(result.table),
        "spending": records(result.spending),
    }


@click.command(
    "prioritise",
    cls=SpeakingCommand,
    help=N_(
        "Choose the initiatives of the plan at PATH (default: the plan in this folder, else the bundled example) "
        "that bring the most expected readiness within a budget: never one without its prerequisites, never over "
        "a year's budget. --budget gives the same amount every year (12500000000, 'Rp 12.500.000.000', '12,5 "
        "miliar') or a share of the plan's own yearly spending ('70%' for a 30% cut); --budget-file a CSV of "
        "year, amount and optionally source.\n\n"
        "Exit 0, 1 when the plan cannot be read or no choice fits the budget, 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--budget", default=None, metavar="AMOUNT|PERCENT%", help=N_("The budget of every year."))
@click.option(
    "--budget-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("A CSV with the budget per year (year, amount) or per year and source (year, source, amount)."),
)
@click.option(
    "--source",
    "sources",
    multiple=True,
    type=click.Choice([source.value for source in FundingSource]),
    help=N_("A funding source the budget covers (default: all); repeat."),
)
@click.option("--every-dimension", is_flag=True, help=N_("Keep at least one initiative in every dimension."))
@click.option("--every-opd", is_flag=True, help=N_("Keep at least one initiative for every lead OPD."))
@click.option("--cut-ongoing", is_flag=True, help=N_("Let ongoing initiatives be cut too."))
@click.option("--keep", multiple=True, metavar="ID", help=N_("Keep this initiative, with its prerequisites; repeat."))
@click.option("--greedy", is_flag=True, help=N_("Choose by gain per rupiah instead of solving exactly."))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help=N_("Seconds the solver may take."),
)
@click.option(
    "--tolerance",
    type=click.FloatRange(0, 1, max_open=True),
    default=1e-6,
    show_default=True,
    help=N_("Relative gap to the best possible at which the solver stops (1e-4 is fast on very large plans)."),
)
@table_output_options
def prioritise_command(  # noqa: PLR0913 - one per option
    *,
    path: Path | None,
    budget: str | None,
    budget_file: Path | None,
    sources: tuple[str, ...],
    every_dimension: bool,
    every_opd: bool,
    cut_ongoing: bool,
    keep: tuple[str, ...],
    greedy: bool,
    time_limit: float,
    tolerance: float,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Run ``smartcity prioritise`` (see its help)."""
    chosen = table_format(fmt, output)
    plan = load_or_exit(path if path is not None else default_plan(), "text")
    amounts = _budget_option(plan, budget, budget_file, sources)
    try:
        result = prioritise(
            plan,
            amounts,
            sources=sources or None,
            every_dimension=every_dimension,
            every_opd=every_opd,
            keep_ongoing=not cut_ongoing,
            keep=keep,
            method="greedy" if greedy else "exact",
            time_limit=time_limit,
            tolerance=tolerance,
        )
    except (RoadmapError, ScoringError) as error:
        fail_scoring(error)
    sheets = {_("Priorities"): result.table, _("Spending"): result.spending}
    write_table(
        sheets, chosen, output, text=lambda: _prioritise_text(plan, result), json_value=lambda: _prioritise_json(result)
    )


_STATE_HEADERS = {
    "initiative": N_("initiative"),
    "lead": N_("lead"),
    "state": N_("state"),
    "status": N_("status"),
    "physical": N_("physical %"),
    "planned": N_("planned (Rp)"),
    "realised": N_("realised (Rp)"),
    "absorption": N_("absorption"),
}
_ABSORPTION_HEADERS = {
    "opd": N_("OPD"),
    "source": N_("source"),
    "year": N_("year"),
    "planned": N_("planned (Rp)"),
    "realised": N_("realised (Rp)"),
    "absorption": N_("absorption"),
}
_GAP_HEADERS = {
    "year": N_("year"),
    "node": N_("node"),
    "on_schedule": N_("on schedule"),
    "as_reported": N_("as reported"),
    "attributable": N_("held back"),
    "planned": N_("planned"),
    "observed": N_("observed"),
    "gap": N_("gap"),
}
_STATE_WORDS = {
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "overdue": N_("overdue"),
    "not started": N_("not started"),
    "under way": N_("under way"),
    "not due": N_("not due"),
}
_MONEY = ("planned", "realised")


def _money_table(frame: pd.DataFrame, headers: dict[str, str]) -> str:
    shown = frame.copy()
    for column in _MONEY:
        if column in shown.columns:
            shown[column] = [format_number(float(v)) for v in shown[column]]
    return readable(shown, headers, percent={"absorption": 0}, right=_MONEY).rstrip("\n")


def _monitor_text(plan: Masterplan, sheets: dict[str, pd.DataFrame], as_of: int) -> str:
    states = sheets["initiatives"]
    budgeted = {initiative.id: {line.year for line in initiative.budget} for initiative in plan.initiatives}
    heading = _("Progress of {region} as of {year} ({n} records)").format(
        region=plan.region.name, year=as_of, n=sum(1 for record in plan.progress if record.year <= as_of)
    )
    counts = states["state"].value_counts()
    lines = [heading, "  " + ", ".join(f"{_(_STATE_WORDS[s])}: {counts[s]}" for s in _STATE_WORDS if s in counts)]
    spending = states["absorption"].notna() | (states["realised"] > 0)
    attention = states[states["state"].isin(["overdue", "not started"]) | spending]
    attention = attention[attention["state"] != "done"].assign(state=lambda f: [_(_STATE_WORDS[s]) for s in f["state"]])
    if not attention.empty:
        lines += ["", _("Initiatives due, late or spending:"), _money_table(attention, _STATE_HEADERS)]
    lines += ["", _("Absorption by OPD:"), _money_table(sheets["by_opd"], _ABSORPTION_HEADERS)]
    lines += ["", _("Absorption by funding source:"), _money_table(sheets["by_source"], _ABSORPTION_HEADERS)]
    unplanned = [
        f"{record.initiative} {record.year}"
        for record in plan.progress
        if record.realised
        and record.year <= as_of
        and record.initiative in budgeted
        and record.year not in budgeted[record.initiative]
    ]
    if unplanned:
        lines.append(
            _("Money realised in a year without budget lines is counted under source 'other': {records}.").format(
                records=", ".join(unplanned)
            )
        )
    gap = sheets["readiness"]
    if not gap.empty:
        lines += ["", _("Readiness (0-100): expected on schedule, expected from what is reported, and observed:")]
        lines.append(readable(gap, _GAP_HEADERS, decimals=2).rstrip("\n"))
        held = gap["attributable"].iloc[-1]
        lines.append(
            _("Late initiatives hold back {points} points of readiness in {year}.").format(
                points=format_number(float(held), 2), year=int(gap["year"].iloc[-1])
            )
        )
    return "\n".join(lines) + "\n"


@click.command(
    "monitor",
    cls=SpeakingCommand,
    help=N_(
        "Report how the plan at PATH (default: the plan in this folder, else the bundled example) is going, from "
        "its progress records (progress.csv): initiatives overdue, not started, under- or over-spent; money "
        "realised against money planned by OPD and funding source; and the readiness the late initiatives hold "
        "back.\n\nExit 0, 1 when the plan cannot be read or scored, 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--year", type=int, default=None, help=N_("Year reported on (default: the latest year reported)."))
@table_output_options
def monitor_command(*, path: Path | None, year: int | None, fmt: str | None, output: Path | None) -> None:
    """Run ``smartcity monitor`` (see its help)."""
    chosen = table_format(fmt, output)
    plan = load_or_exit(path if path is not None else default_plan(), "text")
    if year is not None and not plan.period.start <= year <= plan.period.end:
        message = _("--year {year} is outside the plan's period {period}").format(year=year, period=plan.period)
        exit_with_usage_error(ValueError(message))
    last = max((record.year for record in plan.progress), default=None)
    if year is not None and last is not None and year > last:
        click.echo(
            _("The records stop in {last}: as of {year}, what they do not report is taken as not done.").format(
                last=last, year=year
            ),
            err=True,
        )
    if not plan.progress and year is None:
        click.echo(
            _(
                "No progress reported yet: write progress.csv beside the plan (initiative, year, status, physical, "
                "realised, note), or give --year to see what is due."
            ),
            err=True,
        )
    try:
        as_of = as_of_year(plan, year)
        sheets = {
            "initiatives": progress_table(plan, as_of),
            "by_opd": absorption(plan, "opd", as_of),
            "by_source": absorption(plan, "source", as_of),
            "by_year": absorption(plan, "year", as_of),
            "readiness": readiness_gap(plan, as_of),
        }
    except (RoadmapError, ScoringError) as error:
        fail_scoring(error)
    titles = {
        "initiatives": _("Initiatives"),
        "by_opd": _("By OPD"),
        "by_source": _("By source"),
        "by_year": _("By year"),
        "readiness": _("Readiness"),
    }
    write_table(
        {titles[key]: frame for key, frame in sheets.items()},
        chosen,
        output,
        text=lambda: _monitor_text(plan, sheets, as_of),
        json_value=lambda: {"as_of": as_of, **{key: records(frame) for key, frame in sheets.items()}},
    )
