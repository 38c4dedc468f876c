"""``smartcity robustness``: how far a ranking moves when the study's choices move.

Scores a study (or a plan) many times with its uncertain choices drawn at random and prints each
region's rank with the median and 5–95 % interval of its rank over the draws, the table of one
choice changed at a time, and what had to be left out: the numbers of
:func:`~smartcity_model.uncertainty` and :func:`~smartcity_model.one_at_a_time`.
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path
from typing import NoReturn

import click
import pandas as pd

from smartcity_model.analysis import one_at_a_time, uncertainty
from smartcity_model.analysis.uncertainty import UncertaintyResult, declared
from smartcity_model.cli_results import readable, table_format, table_output_options, write_table
from smartcity_model.cli_scoring import recipe_of, run_study
from smartcity_model.cli_support import EXIT_PROBLEMS, default_plan, exit_with_usage_error, load_or_exit
from smartcity_model.i18n import N_, _
from smartcity_model.i18n_click import SpeakingCommand
from smartcity_model.scoring import AGGREGATIONS, MISSING_POLICIES, TREATMENTS, RollUp, ScoringError, roll_up
from smartcity_model.scoring.recipe import Study
from smartcity_model.scoring.structure import ScoringWarning

__all__ = ["robustness_command"]

#: Headers of the ranking shown to people.
_HEADERS = {
    "region": N_("region"),
    "name": N_("name"),
    "rank": N_("rank"),
    "rank_p05": N_("rank 5%"),
    "rank_median": N_("median rank"),
    "rank_p95": N_("rank 95%"),
    "score": N_("score"),
    "score_p05": N_("score 5%"),
    "score_p95": N_("score 95%"),
}
_SHIFT_HEADERS = {
    "factor": N_("choice"),
    "choice": N_("alternative"),
    "mean_rank_shift": N_("mean rank shift"),
    "max_rank_shift": N_("largest shift"),
    "regions_moved": N_("regions moved"),
}
#: How many rows of the one-at-a-time table are printed (all of them go to CSV, JSON and Excel).
_SHOWN_SHIFTS = 8


def _source(path: Path | None) -> tuple[RollUp | Study, str, dict[str, str]]:
    """Return the study or plan result to analyse, its title and the names of its regions."""
    source = path if path is not None else default_plan()
    recipe_path = recipe_of(source)
    if recipe_path is not None:
        study = run_study(recipe_path)
        return study, study.recipe.name or str(recipe_path), dict(study.names)
    plan = load_or_exit(source, "text")
    try:
        result = roll_up(plan)
    except ScoringError as error:
        _fail(error)
    return result, f"{plan.region.name}, {plan.period}", {plan.region.id: plan.region.name}


def _fail(error: Exception) -> NoReturn:
    """Print a problem of the analysis and exit 1."""
    message = str(error).replace("nonpositive='zero'", "--nonpositive zero")
    click.echo(_("error: {message}").format(message=message), err=True)
    sys.exit(EXIT_PROBLEMS)


def _text(title: str, found: UncertaintyResult, ranking: pd.DataFrame, shifts: pd.DataFrame | None) -> str:
    """Return the ranking, the largest one-at-a-time shifts and the notes, for people."""
    node, year = ranking.attrs["node"], ranking.attrs["year"]
    heading = _("{title}: rank of {node} in {year} over {n} draws (seed {seed})").format(
        title=title, node=node, year=year, n=found.n, seed=found.seed
    )
    lines = [heading, _("uncertain: {factors}").format(factors="; ".join(f.name for f in found.factors)), ""]
    lines.append(readable(ranking, _HEADERS, decimals=1).rstrip("\n"))
    if shifts is not None and len(shifts):
        lines += ["", _("One choice at a time (the largest shifts first):")]
        lines.append(readable(shifts.head(_SHOWN_SHIFTS), _SHIFT_HEADERS, decimals=2).rstrip("\n"))
    lines += ["", *(_("note: {note}").format(note=note) for note in found.notes)]
    return "\n".join(lines).rstrip("\n") + "\n"


@click.command(
    name="robustness",
    cls=SpeakingCommand,
    help=N_(
        "How robust is a ranking? Score the study or plan at PATH (default: the plan in this folder, else the "
        "bundled example) many times with its uncertain choices drawn at random — every weight within ±--weights, "
        "and the alternatives given with --normalisation, --aggregation, --missing, --treatment and "
        "--exclude-each — and print each region's rank beside the median and the 5-95% interval of its rank over "
        "the draws, then each discrete choice changed alone. PATH may be a recipe.yaml study of many regions "
        "(scored as its recipe declares) or a plan (scored as smartcity score scores it by default).\n\n"
        "The numbers are those of scm.uncertainty and scm.one_at_a_time with the same choices and seed. Exit 0, "
        "1 when the study cannot be scored, 2 on usage or I/O errors."
    ),
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--node", help=N_("The node ranked (default: the top one, e.g. overall)."))
@click.option("--year", type=int, help=N_("The year ranked (default: the latest)."))
@click.option("--draws", type=click.IntRange(min=1), default=1000, show_default=True, help=N_("Number of draws."))
@click.option("--seed", type=click.IntRange(min=0), help=N_("Seed of the draws (default: a fresh one, printed)."))
@click.option(
    "--weights",
    "noise",
    type=click.FloatRange(0, 1),
    default=0.25,
    show_default=True,
    help=N_("Relative noise of every weight: 0.25 draws each weight within ±25% (0: weights fixed)."),
)
@click.option(
    "--normalisation",
    "normalisations",
    multiple=True,
    help=N_("A normalisation to draw besides the study's own (repeat for several), e.g. minmax, zscore."),
)
@click.option(
    "--aggregation",
    "aggregations",
    type=click.Choice(AGGREGATIONS),
    multiple=True,
    help=N_("An aggregation to draw besides the study's own, for every level (repeat for several)."),
)
@click.option(
    "--missing",
    "policies",
    type=click.Choice([m for m in MISSING_POLICIES if m != "raise"]),
    multiple=True,
    help=N_("A missing-data policy to draw besides the study's own (repeat for several)."),
)
@click.option(
    "--treatment",
    "treatments",
    type=click.Choice(TREATMENTS),
    multiple=True,
    help=N_("An outlier treatment to draw besides the study's own (repeat for several)."),
)
@click.option("--exclude-each", is_flag=True, help=N_("Leave out one indicator at a time (or none) in the draws."))
@click.option(
    "--nonpositive",
    type=click.Choice(["raise", "zero"]),
    help=N_(
        "Geometric, harmonic and power means among the alternatives: refuse scores of 0 (raise) "
        "or let them sink the mean (zero)."
    ),
)
@table_output_options
def robustness_command(  # noqa: PLR0913 - one per option
    *,
    path: Path | None,
    node: str | None,
    year: int | None,
    draws: int,
    seed: int | None,
    noise: float,
    normalisations: tuple[str, ...],
    aggregations: tuple[str, ...],
    policies: tuple[str, ...],
    treatments: tuple[str, ...],
    exclude_each: bool,
    nonpositive: str | None,
    fmt: str | None,
    output: Path | None,
) -> None:
    """Run ``smartcity robustness`` (see its help)."""
    chosen = table_format(fmt, output)
    source, title, names = _source(path)
    try:
        choices = declared(
            None,
            {
                "weights": noise,
                "normalisation": normalisations,
                "aggregation": aggregations,
                "missing": policies,
                "treatment": treatments,
                "exclude": exclude_each,
                "nonpositive": nonpositive,
            },
        )
    except ScoringError as error:
        exit_with_usage_error(error)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScoringWarning)  # every warning is kept in the notes printed below
        try:
            found = uncertainty(source, choices, n=draws, seed=seed)
            node, year = found.focus(node, year)
            ranking = found.ranking(node, year)
            discrete = choices.model_copy(update={"weights": 0.0})
            shifts = (
                one_at_a_time(source, discrete, node=node, year=year)
                if normalisations or aggregations or policies or treatments or exclude_each
                else None
            )
        except ScoringError as error:
            _fail(error)
    ranking.insert(1, "name", [names.get(region, "") for region in ranking["region"]])
    ranking.attrs.update(node=node, year=year)
    sheets = {_("Ranking"): ranking, _("Summary"): found.summary}
    if shifts is not None:
        sheets[_("One at a time")] = shifts
    sheets[_("Draws")] = found.choices
    write_table(sheets, chosen, output, text=lambda: _text(title, found, ranking, shifts))
