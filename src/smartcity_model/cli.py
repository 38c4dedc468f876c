"""The ``smartcity`` command line: a thin layer over the library that sets exit codes.

Exit codes: 0 the plan is valid, 1 problems were found, 2 usage or I/O error, 3 an internal error
(a bug: the message says so, and ``--debug`` shows the traceback).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import warnings
from pathlib import Path
from typing import Any, NoReturn

import click

from smartcity_model import __version__
from smartcity_model.checks import CHECKS_FILE
from smartcity_model.checks import check as run_checks
from smartcity_model.cli_evaluate import evaluate_command
from smartcity_model.cli_report import report as report_command
from smartcity_model.cli_results import budget, score
from smartcity_model.cli_roadmap import monitor_command, prioritise_command, roadmap_command
from smartcity_model.cli_robustness import robustness_command
from smartcity_model.cli_support import (
    EXIT_BROKEN_PIPE,
    EXIT_CRASH,
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    TEXT_OR_JSON,
    config_or_exit,
    default_plan,
    echo_hints,
    emit,
    exit_with_usage_error,
    load_or_exit,
)
from smartcity_model.errors import MasterplanError, PlanWarning, UnknownIdError
from smartcity_model.frameworks import builtin_framework
from smartcity_model.graph import GRAPH_FORMATS
from smartcity_model.graph.views import GRAPH_VIEWS, PICTURE_FORMATS, GraphViewError, render, view_to_text
from smartcity_model.i18n import N_, _, n_
from smartcity_model.i18n_click import SpeakingGroup, choose_language, click_speaks
from smartcity_model.io import (
    FOLDER_FILES,
    SCHEMA_PARTS,
    UnsupportedFormatError,
    dump,
    find_plans,
    json_schema,
    load_many,
)
from smartcity_model.io.collect import merge_templates, write_template, write_templates
from smartcity_model.io.excel import ExcelUnavailableError
from smartcity_model.model import Horizon, Masterplan
from smartcity_model.model.sectors import SECTORS
from smartcity_model.scaffold import init_plan
from smartcity_model.scoring import ScoringWarning

__all__ = ["main"]


class _Commands(SpeakingGroup):
    """The command group: in the language chosen, and an unexpected exception is a short message and exit 3."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the command line, click's own messages included, in the language chosen.

        What the library had to assume (its warnings) is printed as one line each on standard
        error, whatever the warning filters of the process say: never raised, never hidden.
        """
        with click_speaks(), warnings.catch_warnings():
            warnings.simplefilter("always", PlanWarning)
            warnings.simplefilter("always", ScoringWarning)
            warnings.showwarning = _show_warning
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report a crash in one line unless ``--debug`` asks for the traceback."""
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:  # the reader stopped early (``smartcity framework | head``): not a crash
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as error:  # noqa: BLE001 - any other exception is a bug: one line (--debug: its traceback), exit 3
            if ctx.params.get("debug"):
                traceback.print_exc()
                ctx.exit(EXIT_CRASH)
            message = _("internal error: {kind}: {error}").format(kind=type(error).__name__, error=error)
            hint = _("This is a bug in smartcity-model; run again with --debug to see where.")
            click.echo(f"{message}\n{hint}", err=True)
            ctx.exit(EXIT_CRASH)


def summary(plan: Masterplan) -> dict[str, Any]:
    """Return counts by kind and the plan period, as shown by ``smartcity check``."""
    years = sorted({obs.year for obs in plan.observations})
    return {
        "region": plan.region.id,
        "region_name": plan.region.name,
        "title": plan.document.title,
        "period": {"start": plan.period.start, "end": plan.period.end},
        "framework": plan.framework.id,
        "counts": {
            "dimensions": len(plan.framework.dimensions),
            "elements": len(plan.framework.elements),
            "opds": len(plan.opds),
            "indicators": len(plan.indicators),
            "initiatives": len(plan.initiatives),
            "quick_wins": sum(1 for i in plan.initiatives if i.horizon is Horizon.QUICK_WIN),
            "observations": len(plan.observations),
        },
        "observation_years": [years[0], years[-1]] if years else None,
    }


def _text_summary(plan: Masterplan, source: str) -> str:
    info = summary(plan)
    counts = info["counts"]
    observed = info["observation_years"]
    framework = _("{name} ({dimensions} dimensions, {elements} elements)").format(
        name=plan.framework.name, dimensions=counts["dimensions"], elements=counts["elements"]
    )
    initiatives = _("{count} ({quick} quick wins)").format(count=counts["initiatives"], quick=counts["quick_wins"])
    rows = [
        (_("Framework"), framework),
        (_("OPDs"), str(counts["opds"])),
        (_("Indicators"), str(counts["indicators"])),
        (_("Initiatives"), initiatives),
        (_("Observations"), f"{counts['observations']}" + (f" ({observed[0]}-{observed[1]})" if observed else "")),
    ]
    title = plan.document.title or f"Masterplan {plan.region.name}"
    period = _("{region} ({kind}), period {period}").format(
        region=plan.region.name, kind=plan.region.kind.value, period=plan.period
    )
    lines = [title, period, _("Source: {source}").format(source=source), ""]
    width = max(13, *(len(label) for label, _value in rows))
    lines += [f"  {label:<{width}} {value}" for label, value in rows]
    return "\n".join(lines)


@click.group(
    name="smartcity",
    cls=_Commands,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_("Plan, check and score smart city masterplans (Gerakan Menuju 100 Smart City)."),
)
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=lambda ctx, _param, value: _show_version(ctx) if value else None,
    help=N_("Show the version and exit."),
)
@click.option("--debug", is_flag=True, help=N_("Show the full traceback of an internal error."))
def main(*, debug: bool) -> None:
    """Run ``smartcity``: the group of commands (see ``smartcity --help``)."""


def _show_version(ctx: click.Context) -> None:
    """Print the version, in the language chosen, and exit."""
    click.echo(_("%(prog)s, version %(version)s") % {"prog": "smartcity", "version": __version__})
    ctx.exit(EXIT_OK)


def _show_warning(  # noqa: PLR0913, PLR0917 - the signature of warnings.showwarning
    message: Warning | str,
    category: type[Warning],  # noqa: ARG001
    filename: str,  # noqa: ARG001
    lineno: int,  # noqa: ARG001
    file: Any = None,  # noqa: ARG001
    line: str | None = None,  # noqa: ARG001
) -> None:
    """Print a warning on standard error as one plain line, not as Python shows it."""
    click.echo(_("warning: {message}").format(message=message), err=True)


@main.command(
    help=N_(
        "Load the masterplan at PATH (default: the plan in this folder, else the bundled Solok Selatan "
        "example) and check it.\n\n"
        "PATH may also be a folder tree of plan folders (a province's, a country's): every plan is "
        "loaded in parallel and checked, and one line per plan is printed, then every problem and "
        "every error-level finding. Exit 0 when every plan loads and no error-level finding remains, "
        "1 when problems or error-level findings are found, 2 on usage or I/O errors."
    )
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@TEXT_OR_JSON
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Checks configuration (default: checks.yaml beside the plan, if any)."),
)
@click.option("--no-checks", is_flag=True, help=N_("Only load and validate the files; skip the consistency checks."))
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help=N_("Processes loading the plans of a folder tree (default: one per CPU)."),
)
def check(path: Path | None, fmt: str, config: Path | None, workers: int | None, *, no_checks: bool) -> None:
    """Run ``smartcity check`` (see its help)."""
    source = path if path is not None else default_plan()
    if _is_tree(source):
        _check_tree(source, fmt, config, workers, no_checks=no_checks)
    plan = load_or_exit(source, fmt)
    report = None if no_checks else run_checks(plan, config_or_exit(source, config, fmt))
    ok = report is None or report.ok
    if fmt == "json":
        payload: dict[str, Any] = {"ok": ok, "source": str(source), "summary": summary(plan), "problems": []}
        if report is not None:
            payload["report"] = report.to_dict()
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(_text_summary(plan, str(source)))
        click.echo("\n" + _("No loading problems."))
        if report is not None:
            click.echo("")
            click.echo(str(report))
    sys.exit(EXIT_OK if ok else EXIT_PROBLEMS)


def _counted(kind: str, number: int) -> str:
    """Return ``2 warnings``, ``1 error``, ``3 info`` or ``1 waived`` in the current language."""
    forms = {
        "error": n_("{n} error", "{n} errors", number),
        "warning": n_("{n} warning", "{n} warnings", number),
        "info": _("{n} info"),
        "waived": _("{n} waived"),
    }
    return forms[kind].format(n=number)


def _is_tree(source: Path) -> bool:
    """Tell whether ``source`` is a folder of plan folders rather than one plan."""
    plan_files = FOLDER_FILES.values()
    return source.is_dir() and not any((source / name).exists() for name in plan_files) and bool(find_plans(source))


def _check_tree(source: Path, fmt: str, config: Path | None, workers: int | None, *, no_checks: bool) -> NoReturn:
    """Load and check every plan under ``source``; print a line per plan, then what went wrong."""
    plans = load_many(source, workers=workers, progress=fmt == "text")
    shared = None if config is None else config_or_exit(source, config, fmt)
    reports, unconfigured = ({}, {}) if no_checks else plans.check_each(shared)
    failed = {**plans.errors, **{plans.paths[region]: error for region, error in unconfigured.items()}}
    ok = not failed and all(report.ok for report in reports.values())
    if fmt == "json":
        payload = {
            "ok": ok,
            "source": str(source),
            "plans": [
                {"region": region, "path": str(path), "ok": region not in reports or reports[region].ok}
                | ({"report": reports[region].to_dict()} if region in reports else {})
                for region, path in plans.paths.items()
            ],
            "failed": [{"path": str(path), **error.to_dict()} for path, error in failed.items()],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        sys.exit(EXIT_OK if ok else EXIT_PROBLEMS)
    total = len(plans) + len(plans.errors)
    heading = n_(
        "{total} plan under {source}: {loaded} loaded, {failed} did not",
        "{total} plans under {source}: {loaded} loaded, {failed} did not",
        total,
    )
    click.echo(heading.format(total=total, source=source, loaded=len(plans), failed=len(plans.errors)))
    width = max((len(region) for region in plans), default=0)
    for region, path in plans.paths.items():
        if region in unconfigured:
            state = _("not checked: its {file} does not load").format(file=CHECKS_FILE)
        elif region in reports:
            counts = reports[region].counts.items()
            state = ", ".join(_counted(kind, number) for kind, number in counts if number) or _("no findings")
        else:
            state = _("loaded")
        click.echo(f"  {region:<{width}}  {state}  ({path})")
    for error in failed.values():
        click.echo("")
        click.echo(str(error))
    for region, report in reports.items():
        errors = report.select(severity="error", waived=False)
        if errors:
            found = n_("{region}: {n} error-level finding", "{region}: {n} error-level findings", len(errors))
            click.echo("\n" + found.format(region=region, n=len(errors)))
            click.echo("\n".join(f"  {finding}" for finding in errors))
    sys.exit(EXIT_OK if ok else EXIT_PROBLEMS)


@main.command(
    help=N_(
        "Export a view of the graph of the masterplan at PATH: for Gephi or Cytoscape (graphml, json), Graphviz "
        "(dot), or as a picture (svg, png; drawn by Graphviz when it is installed, else by the charts).\n\n"
        "Views: dependency (the initiatives, a prerequisite pointing to what depends on it, by start year), "
        "collaboration (the OPDs by acronym, linked by the initiatives they share), framework (dimensions, "
        "elements, indicators), full (every OPD, initiative, indicator, element and dimension)."
    )
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*GRAPH_FORMATS, *PICTURE_FORMATS]),
    default=None,
    help=N_("graphml, json, dot, svg or png (default: from the output file's suffix, else graphml)."),
)
@click.option(
    "--view",
    type=click.Choice(list(GRAPH_VIEWS)),
    default="dependency",
    show_default=True,
    help=N_("dependency, collaboration, framework or full (see above)."),
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write to this file."))
def graph(path: Path, fmt: str | None, view: str, output: Path | None) -> None:
    """Run ``smartcity graph`` (see its help)."""
    chosen = _graph_format(fmt, output)
    if chosen == "png" and output is None:
        exit_with_usage_error(ValueError(_("a PNG picture is written to a file: give -o FILE.png")))
    plan = load_or_exit(path, "text")
    if chosen in PICTURE_FORMATS:
        try:
            picture = render(plan, view, chosen)
        except (GraphViewError, ImportError) as error:
            exit_with_usage_error(error)
        emit(picture.decode("utf-8") if output is None else picture, output)
        return
    emit(view_to_text(plan, view, chosen), output)


#: The graph format each output suffix stands for.
_GRAPH_SUFFIXES: dict[str, str] = {
    ".graphml": "graphml",
    ".xml": "graphml",
    ".json": "json",
    ".dot": "dot",
    ".gv": "dot",
    ".svg": "svg",
    ".png": "png",
}


def _graph_format(fmt: str | None, output: Path | None) -> str:
    """Return the format asked for, or the one the output's suffix names; refuse the two disagreeing."""
    implied = None if output is None else _GRAPH_SUFFIXES.get(output.suffix.lower())
    if fmt is not None and implied is not None and fmt != implied:
        message = _("--format {fmt} does not match the output file {output} ({implied})")
        exit_with_usage_error(ValueError(message.format(fmt=fmt, output=output, implied=implied)))
    if fmt is None and output is not None and implied is None:
        message = _("{output}: its suffix names no graph format; end it in {suffixes}, or give --format")
        exit_with_usage_error(ValueError(message.format(output=output, suffixes=", ".join(_GRAPH_SUFFIXES))))
    return fmt or implied or "graphml"


@main.command(
    help=N_("List the framework's dimensions and elements (ids, Indonesian and English names), or the sectors.")
)
@TEXT_OR_JSON
@click.option("--sectors", is_flag=True, help=N_("List the sector vocabulary instead of the framework."))
def framework(fmt: str, *, sectors: bool) -> None:
    """Run ``smartcity framework`` (see its help)."""
    fw = builtin_framework()
    if sectors:
        rows = [
            {"id": s.id, "name": s.name_id, "name_en": s.name_en, "aliases": list(s.aliases)} for s in SECTORS.values()
        ]
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        width = max(len(row["id"]) for row in rows)
        for row in rows:
            also = _("  (also: {aliases})").format(aliases=", ".join(row["aliases"])) if row["aliases"] else ""
            click.echo(f"{row['id']:<{width}}  {row['name']} / {row['name_en']}{also}")
        return
    if fmt == "json":
        click.echo(json.dumps(fw.model_dump(mode="json", exclude_defaults=True), ensure_ascii=False, indent=2))
        return
    click.echo(f"{fw.name} ({fw.id}){f' / {fw.name_en}' if fw.name_en else ''}")
    width = max(len(element.id) for element in fw.elements)
    for dimension in fw.dimensions:
        click.echo(f"\n{dimension.id}: {dimension.name}")
        for element in dimension.elements:
            english = f" / {element.name_en}" if element.name_en else ""
            click.echo(f"  {element.id:<{width}}  {element.name}{english}")
    if fw.pillars:
        click.echo("\n" + _("pillars: {pillars}").format(pillars=", ".join(f"{p.id} ({p.name})" for p in fw.pillars)))


def _comments_and_messages(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Speak the language ``init --lang`` asks the comments in, when it is given."""
    if ctx.get_parameter_source("lang") is click.core.ParameterSource.COMMANDLINE:
        choose_language(ctx, param, value)
    return value


@main.command(help=N_("Start a new plan at PATH: a valid, commented skeleton to fill in (one example per dimension)."))
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--region", required=True, help=N_("Region id, a lowercase slug such as padang-panjang."))
@click.option("--name", required=True, help=N_('Region name, e.g. "Kota Padang Panjang".'))
@click.option("--kind", required=True, type=click.Choice(["kabupaten", "kota"]), help=N_("Kabupaten or kota."))
@click.option(
    "--lang",
    type=click.Choice(["id", "en"]),
    default="id",
    show_default=True,
    is_eager=True,
    callback=_comments_and_messages,
    help=N_("Language of the comments (and, when given, of the messages)."),
)
@click.option("--start", type=int, default=None, help=N_("First year of the period (default: next year)."))
def init(path: Path, region: str, name: str, kind: str, lang: str, start: int | None) -> None:  # noqa: PLR0913, PLR0917 - one per option
    """Run ``smartcity init`` (see its help)."""
    try:
        written = init_plan(path, region=region, name=name, kind=kind, lang=lang, start=start)  # type: ignore[arg-type]
    except MasterplanError as error:  # an option's value: a usage error, each problem named
        click.echo(str(error), err=True)
        sys.exit(EXIT_USAGE)
    except (FileExistsError, OSError) as error:
        exit_with_usage_error(error)
    done = _("A new plan for {name} is in {path}. Fill it in, then run: smartcity check {path}")
    click.echo(done.format(name=name, path=written))


@main.command(
    name="export",
    help=N_("Save the plan at PATH as OUTPUT: an Excel workbook (.xlsx) for planners, or a folder, .yaml or .json."),
)
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("output", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help=N_("Replace OUTPUT if it exists already (it may hold edits of its own)."))
def export_plan(path: Path, output: Path, *, force: bool) -> None:
    """Run ``smartcity export`` (see its help)."""
    plan = load_or_exit(path, "text")
    _refuse_replacing(output, force=force)
    _convert(plan, output)


@main.command(
    name="import",
    help=N_(
        "Read a plan from WORKBOOK (.xlsx, as written by export) and save it as the plan folder PATH.\n\n"
        "Every problem is listed with its sheet, row and column (exit 1); nothing is written then."
    ),
)
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--force", is_flag=True, help=N_("Replace the plan at PATH if there is one (it may hold edits of its own).")
)
def import_plan(workbook: Path, path: Path, *, force: bool) -> None:
    """Run ``smartcity import`` (see its help)."""
    if workbook.suffix.lower() != ".xlsx":
        exit_with_usage_error(ValueError(_("{path}: expected an Excel workbook (.xlsx)").format(path=workbook)))
    plan = load_or_exit(workbook, "text")
    _refuse_replacing(path, force=force)
    _convert(plan, path)


def _refuse_replacing(output: Path, *, force: bool) -> None:
    """Refuse to replace a plan or a file the user may have edited, unless ``--force`` says so (exit 2)."""
    if force or not output.exists():
        return
    holds = not output.is_dir() or any(output.iterdir())
    if holds:
        message = _(
            "{path} exists already and may hold edits of its own; give --force to replace it "
            "(it is replaced all-or-nothing), or choose another name"
        )
        exit_with_usage_error(FileExistsError(message.format(path=output)))


def _convert(plan: Masterplan, output: Path) -> None:
    try:
        written = dump(plan, output)
    except (UnsupportedFormatError, ExcelUnavailableError, OSError) as error:
        exit_with_usage_error(error)
    click.echo(_("{region}: saved to {path}").format(region=plan.region.name, path=written))


@main.command(
    help=N_(
        "Write the workbook an OPD of the plan at PATH fills in and returns (see smartcity merge).\n\n"
        "It holds the initiatives the OPD leads, their budget lines and expected values, and the "
        "observations of the indicators it is custodian of, with instructions in Bahasa Indonesia "
        "and English. An existing workbook is not overwritten unless --force is given."
    )
)
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--opd", default=None, help=N_("Id of the OPD the workbook is for."))
@click.option("--all", "every", is_flag=True, help=N_("One workbook per OPD of the plan, named <opd id>.xlsx."))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help=N_("The workbook to write (.xlsx); with --all, the folder to write them into."),
)
@click.option("--force", is_flag=True, help=N_("Overwrite workbooks that exist already (they may be returned ones)."))
def template(path: Path, opd: str | None, output: Path, *, every: bool, force: bool) -> None:
    """Run ``smartcity template`` (see its help)."""
    if every == (opd is not None):
        exit_with_usage_error(ValueError(_("give either --opd ID or --all")))
    if every and output.suffix.lower() == ".xlsx":
        exit_with_usage_error(ValueError(_("with --all, -o names a folder, not {path}").format(path=output)))
    plan = load_or_exit(path, "text")
    try:
        if opd is not None:
            written = {opd: write_template(plan, opd, output, overwrite=force)}
        else:
            written = write_templates(plan, output, overwrite=force)
    except (UnknownIdError, FileExistsError, ValueError, ExcelUnavailableError, OSError) as error:
        exit_with_usage_error(error)
    for body, file in written.items():
        click.echo(_("{opd}: template written to {path}").format(opd=plan.opd(body).name, path=file))


@main.command(
    help=N_(
        "Merge the WORKBOOKS the OPDs returned (written by smartcity template) into the plan at PATH.\n\n"
        "Prints every change, conflict and problem, located by file, sheet, row and column. Exit 0 "
        "when merged (the plan saved over PATH, or to -o), 1 with nothing written while a conflict "
        "stands or a problem is found, 2 on usage or I/O errors."
    )
)
@click.argument("path", type=click.Path(path_type=Path))
@click.argument("workbooks", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help=N_("Save the merged plan here (default: over PATH).")
)
@click.option("--dry-run", is_flag=True, help=N_("Show the changes, conflicts and problems; write nothing."))
@click.option(
    "--prefer",
    type=click.Choice(["workbook", "plan"]),
    default=None,
    help=N_(
        "Resolve every conflict: take the workbook's value (the lead's or custodian's between workbooks), "
        "or keep the plan's."
    ),
)
def merge(path: Path, workbooks: tuple[Path, ...], output: Path | None, prefer: str | None, *, dry_run: bool) -> None:
    """Run ``smartcity merge`` (see its help)."""
    for workbook in workbooks:
        if workbook.suffix.lower() != ".xlsx":
            exit_with_usage_error(ValueError(_("{path}: expected an Excel workbook (.xlsx)").format(path=workbook)))
        if not workbook.is_file():
            exit_with_usage_error(FileNotFoundError(_("{path}: no such workbook").format(path=workbook)))
    plan = load_or_exit(path, "text")
    try:
        result = merge_templates(plan, workbooks, prefer=prefer)  # type: ignore[arg-type]
    except (ExcelUnavailableError, OSError) as error:
        exit_with_usage_error(error)
    heading = n_("Merging {n} workbook into {plan}:", "Merging {n} workbooks into {plan}:", len(workbooks))
    click.echo(heading.format(n=len(workbooks), plan=path))
    for shown, opd in result.workbooks.items():
        click.echo(f"  {shown}: {opd}")
    click.echo(result.report())
    echo_hints(result.problems)
    if result.plan is None:
        if result.unresolved:
            click.echo(
                _("Nothing was written: resolve the conflicts in the workbooks, or choose a side with --prefer.")
            )
        else:
            click.echo(_("Nothing was written: correct the problems in the workbooks."))
        sys.exit(EXIT_PROBLEMS)
    if dry_run:
        click.echo(_("Dry run: nothing was written."))
        return
    if not result.changes and output is None:
        click.echo(_("The plan is unchanged; nothing was written."))
        return
    _convert(result.plan, output if output is not None else path)


@main.command(
    help=N_("Print the JSON Schema of a masterplan file (PART: masterplan, header, or a folder's file such as opds).")
)
@click.argument("part", required=False, default="masterplan", type=click.Choice(list(SCHEMA_PARTS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help=N_("Write to this file."))
def schema(part: str, output: Path | None) -> None:
    """Run ``smartcity schema`` (see its help)."""
    emit(json.dumps(json_schema(part), ensure_ascii=False, indent=2) + "\n", output)


main.add_command(score)
main.add_command(budget)
main.add_command(evaluate_command)
main.add_command(report_command)
main.add_command(robustness_command)
main.add_command(roadmap_command)
main.add_command(prioritise_command)
main.add_command(monitor_command)
