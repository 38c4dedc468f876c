"""``smartcity report``: a report to show the Bupati, as one HTML file (optionally PDF), or every table in Excel.

PATH is a plan (its report: readiness, checks, collaboration, roadmap, budget, data) or a study
of many regions declared in a ``recipe.yaml`` (a file, or a folder holding one): the regions
compared and, with a ``province`` step, the smart-province rule.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pandas as pd

from smartcity_model.budget import BUDGET_KEY_NAMES, budget_summary
from smartcity_model.checks import check as run_checks
from smartcity_model.cli_results import pillar_table
from smartcity_model.cli_scoring import (
    fail_scoring,
    recipe_of,
    run_study,
    scoring_kwargs,
    scoring_options,
    study_options_refused,
)
from smartcity_model.cli_support import config_or_exit, default_plan, emit, exit_with_usage_error, load_or_exit
from smartcity_model.i18n import N_, _
from smartcity_model.i18n_click import SpeakingCommand
from smartcity_model.io.excel import ExcelUnavailableError, tables_workbook
from smartcity_model.model import Masterplan
from smartcity_model.report import ReportUnavailableError, plan_report, regions_report, write_pdf
from smartcity_model.scoring import ScoringError, Study, score_table
from smartcity_model.scoring.evaluation import evaluate

__all__ = ["report"]

_OUTPUTS = (".html", ".htm", ".xlsx")


def _plan_tables(plan: Masterplan, options: dict[str, Any], config: Any, year: int | None) -> dict[str, pd.DataFrame]:
    """Return every table of a plan's report, for a workbook: scores, contributions, findings, pillars, budget..."""
    from smartcity_model.scoring import roll_up  # noqa: PLC0415 - only the workbook needs it

    contributions = roll_up(plan, **options).contributions("dimension")
    tables = {
        _("Scores"): score_table(plan, levels="all", years=None if year is None else [year], **options),
        _("Contributions"): contributions if year is None else contributions[contributions["year"] == year],
        _("Findings"): run_checks(plan, config).to_frame(),
    }
    kept = {key: value for key, value in options.items() if key != "scale"}
    makers: list[tuple[str, Callable[[], pd.DataFrame]]] = [
        (_("Pillars"), lambda: pillar_table(plan, None if year is None else [year], options)),
        (_("Evaluation"), lambda: evaluate(plan, year, **kept).table()),
    ]
    for name, make in makers:
        try:
            tables[name] = make()
        except ScoringError as error:  # said in the sheet, as the HTML report says it
            tables[name] = pd.DataFrame({_("not scored"): [str(error)]})
    for key in ("year", "source", "opd", "dimension", "horizon"):
        tables[_("Budget by {key}").format(key=_(BUDGET_KEY_NAMES[key]))] = budget_summary(plan, key)
    return tables


def _study_tables(study: Study, year: int | None) -> dict[str, pd.DataFrame]:
    """Return every table of a study's report, for a workbook: scores, and the province's levels and blockers."""

    def chosen(frame: pd.DataFrame) -> pd.DataFrame:
        return frame if year is None else frame[frame["year"] == year]

    structure = study.structure
    level = structure.levels[-2] if len(structure.levels) > 2 else structure.levels[-1]  # noqa: PLR2004 - top and one below
    tables = {
        _("Scores"): score_table(study.result, levels="all", years=None if year is None else [year], names=study.names),
        _("Contributions"): chosen(study.result.contributions(level)),
    }
    if study.province is not None:
        tables[_("Province")] = chosen(study.province.province)
        tables[_("Province levels")] = chosen(study.province.levels)
        tables[_("Holding it back")] = study.province.blockers(year)
    return tables


def _payload(source: Path, output: Path, year: int | None, options: dict[str, Any]) -> str | bytes:
    """Build the report of the plan or study at ``source``: HTML text, or the bytes of a workbook."""
    workbook = output.suffix.lower() == ".xlsx"
    recipe_path = recipe_of(source)
    if recipe_path is not None:
        study = run_study(recipe_path)
        if workbook:
            return tables_workbook(_study_tables(study, year))
        step = study.recipe.province
        return regions_report(
            study.result,
            province=study.province,
            names=dict(study.names),
            title=study.recipe.name or (step.name if step is not None else None),
            description=study.recipe.description,
            year=year,
            source=recipe_path.name,
            sources=study.sources,
        )
    plan = load_or_exit(source, "text")
    config = config_or_exit(source, None, "text")
    if workbook:
        return tables_workbook(_plan_tables(plan, options, config, year))
    return plan_report(plan, config=config, year=year, source=source.resolve().name, **options)


@click.command(
    cls=SpeakingCommand,
    help=N_(
        "Write the report of the plan at PATH (default: the plan in this folder, else the bundled example) to "
        "OUTPUT: one self-contained HTML file to open offline, print or send (charts included), or an Excel "
        "workbook (.xlsx) with every table. PATH may also be a study of many regions declared in a recipe.yaml "
        "(the file, or a folder holding it), such as examples/sumatera-barat.\n\n"
        "The scores are made with the options and defaults of smartcity score, and are its numbers. "
        "Exit 0, 1 when the plan or study cannot be loaded or scored, 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("The report to write: .html, or .xlsx for the tables."),
)
@click.option("--year", type=int, default=None, help=N_("The year the readiness sections show (default: the latest)."))
@scoring_options
@click.option("--pdf", is_flag=True, help=N_("Also print the HTML to PDF (A4) beside it, with a headless Chromium."))
@click.pass_context
def report(
    ctx: click.Context, /, *, path: Path | None, output: Path, year: int | None, pdf: bool, **scoring: Any
) -> None:
    """Run ``smartcity report`` (see its help)."""
    if output.suffix.lower() not in _OUTPUTS:
        message = _("{path}: a report is written to a .html file, or to a .xlsx workbook of its tables")
        exit_with_usage_error(ValueError(message.format(path=output)))
    if pdf and output.suffix.lower() == ".xlsx":
        exit_with_usage_error(ValueError(_("--pdf prints the HTML report: give -o FILE.html")))
    source = path if path is not None else default_plan()
    if recipe_of(source) is not None:
        study_options_refused(ctx)
        options: dict[str, Any] = {}
    else:
        options = scoring_kwargs(scoring)
    try:
        payload = _payload(source, output, year, options)
    except (ReportUnavailableError, ExcelUnavailableError) as error:
        exit_with_usage_error(error)
    except ScoringError as error:
        fail_scoring(error)
    emit(payload, output)
    if pdf:
        try:
            written = write_pdf(output, output.with_suffix(".pdf"))
        except (ReportUnavailableError, OSError) as error:
            exit_with_usage_error(error)
        click.echo(_("written to {path}").format(path=written), err=True)
