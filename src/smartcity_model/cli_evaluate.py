"""``smartcity evaluate``: Kominfo's evaluation (baseline, output, outcome, impact, quick wins) of a plan.

The components are scored from the plan's own data (:func:`~smartcity_model.scoring.evaluate`),
or taken from a self-assessment file (``--scores``: columns ``dimension, component, score``,
with Indonesian headers read too) and totalled with Kominfo's weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd

from smartcity_model.cli_results import readable, records, table_format, table_output_options, write_table
from smartcity_model.cli_scoring import fail_scoring, scoring_kwargs, scoring_options
from smartcity_model.cli_support import default_plan, exit_with_problems, load_or_exit
from smartcity_model.errors import MasterplanError, Problem, suggest
from smartcity_model.i18n import N_, _
from smartcity_model.i18n_click import SpeakingCommand
from smartcity_model.io.keyed import read_keyed_csv
from smartcity_model.model import Masterplan
from smartcity_model.numerals import read_number
from smartcity_model.scoring import ScoringError
from smartcity_model.scoring.evaluation import (
    EVALUATION_COMPONENTS,
    EVALUATION_SCALE,
    Evaluation,
    evaluate,
    evaluate_scores,
)

__all__ = ["evaluate_command", "read_scores"]

#: The headers of a self-assessment file, with the Indonesian words read as each.
_HEADERS = {
    "dimension": ("dimensi",),
    "component": ("komponen",),
    "score": ("nilai", "skor"),
}
#: Indonesian and spelt-out names of the components.
_COMPONENT_WORDS = {"quick win": "quick_win", "quick-win": "quick_win", "dampak": "impact", "hasil": "outcome"}
_TABLE_HEADERS = {
    "dimension": N_("dimension"),
    "baseline": N_("baseline"),
    "output": N_("output"),
    "outcome": N_("outcome"),
    "impact": N_("impact"),
    "quick_win": N_("quick win"),
    "total": N_("total"),
}
_COMPONENT_HEADERS = {
    "dimension": N_("dimension"),
    "component": N_("component"),
    "score": N_("score"),
    "basis": N_("basis"),
}


def read_scores(path: Path) -> pd.DataFrame:
    """Read a self-assessment CSV into ``dimension, component, score``; every problem located at once.

    The separator may be ``,``, ``;`` or a tab, numbers may have a decimal comma (``3,21``), and
    ``dimension`` may be left out (scores for the region as a whole).
    """
    shown = str(path)
    problems: list[Problem] = []
    found: list[dict[str, Any]] = []
    for line, row in read_keyed_csv(path, _HEADERS, ("component", "score")):
        component = _COMPONENT_WORDS.get(row.get("component", "").lower(), row.get("component", "").lower())
        if component not in EVALUATION_COMPONENTS:
            message = _("unknown component {name}{hint}; the components are {known}").format(
                name=repr(row.get("component", "")),
                hint=suggest(component, EVALUATION_COMPONENTS),
                known=", ".join(EVALUATION_COMPONENTS),
            )
            problems.append(Problem("invalid-choice", message, file=shown, line=line, field="component"))
            continue
        try:
            value = read_number(row.get("score", ""))
        except ValueError as error:
            problems.append(Problem("wrong-type", str(error), file=shown, line=line, field="score"))
            continue
        low, high = EVALUATION_SCALE
        if not low <= value <= high:
            message = _("{value:g} is off the scale: a score lies from {low:g} to {high:g}").format(
                value=value, low=low, high=high
            )
            problems.append(Problem("out-of-range", message, file=shown, line=line, field="score"))
            continue
        found.append({"dimension": row.get("dimension") or None, "component": component, "score": value})
    if problems:
        raise MasterplanError(problems, shown)
    return pd.DataFrame(found, columns=["dimension", "component", "score"])


def _check_dimensions(plan: Masterplan, table: pd.DataFrame) -> None:
    """Refuse scores of dimensions the plan's framework does not have (exit 1)."""
    known = [dimension.id for dimension in plan.framework.dimensions]
    unknown = [name for name in dict.fromkeys(table["dimension"].dropna()) if name not in known]
    if unknown:
        shown = ", ".join(f"{name!r}{suggest(str(name), known)}" for name in unknown)
        message = _("scores of dimensions the plan does not have: {names}; the dimensions are {known}")
        fail_scoring(ScoringError(message.format(names=shown, known=", ".join(known))))


def _text(subject: str, evaluation: Evaluation) -> str:
    """Return the evaluation as tables for people."""
    heading = _("Kominfo evaluation of {subject}: {total} of 5").format(
        subject=subject, total=f"{evaluation.overall:.2f}"
    )
    lines = [heading, *(f"  {note}" for note in evaluation.assumptions), ""]
    lines.append(readable(evaluation.table(), _TABLE_HEADERS, decimals=2).rstrip("\n"))
    if evaluation.components["basis"].ne(_("given")).any():
        lines += ["", _("How each component was scored:")]
        lines.append(readable(evaluation.components, _COMPONENT_HEADERS, decimals=2).rstrip("\n"))
    return "\n".join(lines) + "\n"


def _json(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "region": evaluation.region,
        "year": evaluation.year,
        "overall": evaluation.overall,
        "weights": dict(evaluation.weights),
        "by_component": records(evaluation.by_component.rename("score").rename_axis("component").reset_index()),
        "by_dimension": records(evaluation.by_dimension.rename_axis("dimension").reset_index()),
        "components": records(evaluation.components),
        "missing": list(evaluation.missing),
        "assumptions": list(evaluation.assumptions),
    }


@click.command(
    "evaluate",
    cls=SpeakingCommand,
    help=N_(
        "Score Kominfo's evaluation of the plan at PATH (default: the plan in this folder, else the bundled "
        "example): baseline, output, outcome, impact and quick wins of each dimension on 1-5, and the total with "
        "the published weights (baseline and output 30%, outcome 30%, impact 20%, quick wins 20%; the split of "
        "the 30% is assumed and said). With --scores, total a self-assessment instead.\n\n"
        "Exit 0, 1 when the plan or the scores cannot be read or scored, 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--year", type=int, default=None, help=N_("Year evaluated (default: the latest year observed)."))
@click.option(
    "--baseline-year",
    type=int,
    default=None,
    help=N_("Year of the baseline (default: the latest year observed before the plan starts)."),
)
@click.option(
    "--baseline-share",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help=N_("Share of the joint 30% weight given to the baseline (the rest to output); not published."),
)
@click.option(
    "--scores",
    "scores_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("A self-assessment CSV (dimension, component, score on 1-5) to total instead of scoring the plan."),
)
@scoring_options
@table_output_options
def evaluate_command(  # noqa: PLR0913 - one per option
    *,
    path: Path | None,
    year: int | None,
    baseline_year: int | None,
    baseline_share: float,
    scores_file: Path | None,
    fmt: str | None,
    output: Path | None,
    **scoring: Any,
) -> None:
    """Run ``smartcity evaluate`` (see its help)."""
    chosen = table_format(fmt, output)
    plan: Masterplan | None = None
    try:
        if scores_file is not None:
            try:
                table = read_scores(scores_file)
            except MasterplanError as error:
                exit_with_problems(error, scores_file, "json" if chosen == "json" else "text")
            if path is not None:
                plan = load_or_exit(path, "text")
                _check_dimensions(plan, table)
            evaluation = evaluate_scores(
                table, baseline_share=baseline_share, region=None if plan is None else plan.region.id, year=year
            )
            subject = str(scores_file) if plan is None else plan.region.name
        else:
            plan = load_or_exit(path if path is not None else default_plan(), "text")
            options = scoring_kwargs(scoring)
            options.pop("scale", None)
            evaluation = evaluate(plan, year, baseline_year=baseline_year, baseline_share=baseline_share, **options)
            subject = f"{plan.region.name}, {evaluation.year}"
    except ScoringError as error:
        fail_scoring(error)
    sheets = {
        _("Evaluation"): evaluation.table(),
        _("Components"): evaluation.components,
        _("Assumptions"): pd.DataFrame({"assumption": list(evaluation.assumptions)}),
    }
    write_table(sheets, chosen, output, text=lambda: _text(subject, evaluation), json_value=lambda: _json(evaluation))
