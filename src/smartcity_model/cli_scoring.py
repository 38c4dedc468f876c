"""The scoring options ``smartcity score`` and ``smartcity report`` share, and the studies they both read.

Both commands score with the same options and the same defaults, so the numbers a report shows are
the numbers ``smartcity score`` prints. PATH may be a plan, or a study of many regions declared
in a ``recipe.yaml`` (which declares its own scoring). A mistake in the options is a usage error
(exit 2) said in the command line's words (``--nonpositive zero``, not ``nonpositive='zero'``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from smartcity_model.cli_support import EXIT_PROBLEMS, exit_with_usage_error
from smartcity_model.errors import suggest
from smartcity_model.i18n import N_, _
from smartcity_model.io import FOLDER_FILES
from smartcity_model.scoring import (
    AGGREGATIONS,
    MISSING_POLICIES,
    NORMALISATION_METHODS,
    READINESS_SCALES,
    NormaliseSpec,
    Recipe,
    RecipeError,
    ScoringError,
    Structure,
    Study,
)

__all__ = [
    "RECIPE_FILE",
    "SCORING_PARAMETERS",
    "check_levels",
    "fail_scoring",
    "recipe_of",
    "run_study",
    "scoring_kwargs",
    "scoring_options",
    "study_options_refused",
]

#: The file that declares a study of many regions, looked for in a folder that holds no plan.
RECIPE_FILE = "recipe.yaml"
_F = TypeVar("_F", bound=Callable[..., Any])

#: The scoring options, as the command line names them (the parameter names of the commands).
SCORING_PARAMETERS = (
    "method",
    "value_range",
    "reference",
    "reference_year",
    "aggregation",
    "power",
    "nonpositive",
    "missing",
    "min_coverage",
    "count_imputed",
    "scale",
)
#: How messages of the library name an option, and how the command line names it.
_COMMAND_LINE_WORDS = {
    "method=NormaliseSpec(method='minmax', range=(1, 100))": "--method minmax --range 1 100",
    "nonpositive='zero'": "--nonpositive zero",
    "method='minmax'": "--method minmax",
    "power=p": "--power P",
    "min_coverage": "--min-coverage",
    "count_imputed=True": "--count-imputed",
}


def scoring_options(function: _F) -> _F:
    """Add the scoring options (method, range, reference, aggregation, power, missing data, scale) to a command."""
    options = [
        click.option(
            "--method",
            type=click.Choice(NORMALISATION_METHODS),
            default="declared",
            show_default=True,
            help=N_("Normalisation: each indicator's declared one, or a method relative to the other years."),
        ),
        click.option(
            "--range",
            "value_range",
            type=(float, float),
            default=None,
            metavar="LOW HIGH",
            help=N_("minmax: the scores of the worst and the best value (default 0 100; 1 100 for geometric means)."),
        ),
        click.option(
            "--reference",
            default=None,
            help=N_("distance_to_reference: the region compared with (a plan's own region)."),
        ),
        click.option(
            "--reference-year",
            type=int,
            default=None,
            help=N_("distance_to_reference: compare with the reference in this year (default: each value's own)."),
        ),
        click.option(
            "--aggregation",
            type=click.Choice(AGGREGATIONS),
            default="arithmetic",
            show_default=True,
            help=N_("How children are combined at every level."),
        ),
        click.option("--power", type=float, default=None, help=N_("The exponent of --aggregation power.")),
        click.option(
            "--nonpositive",
            type=click.Choice(["raise", "zero"]),
            default="raise",
            show_default=True,
            help=N_(
                "Geometric, harmonic and power means: refuse scores of 0 or below, or let them sink the mean to 0."
            ),
        ),
        click.option(
            "--missing",
            type=click.Choice(MISSING_POLICIES),
            default="coverage",
            show_default=True,
            help=N_(
                "Missing data: aggregate what is observed, refuse gaps, or fill them (locf carries values forward)."
            ),
        ),
        click.option(
            "--min-coverage",
            type=click.FloatRange(0, 1),
            default=0.65,
            show_default=True,
            help=N_("Share of a node's weight that must be observed for it to get a score."),
        ),
        click.option("--count-imputed", is_flag=True, help=N_("Count filled values towards --min-coverage too.")),
        click.option(
            "--scale",
            type=click.Choice(list(READINESS_SCALES)),
            default="default",
            show_default=True,
            help=N_("Readiness scale naming the bands."),
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def scoring_kwargs(params: dict[str, Any]) -> dict[str, Any]:
    """Return :func:`~smartcity_model.roll_up`'s options from a command's scoring options, refusing what does not fit.

    An option the chosen method or aggregation does not use, or one it needs and lacks, is a
    usage error (exit 2), before anything is scored.
    """
    method, aggregation = params["method"], params["aggregation"]
    for name, wanted, by in (
        ("value_range", "minmax", "--range"),
        ("reference", "distance_to_reference", "--reference"),
        ("reference_year", "distance_to_reference", "--reference-year"),
    ):
        if params.get(name) is not None and method != wanted:
            _usage(_("{option} is used by --method {wanted} only").format(option=by, wanted=wanted))
    if method == "distance_to_reference" and params.get("reference") is None:
        _usage(_("--method distance_to_reference needs --reference REGION"))
    if aggregation == "power" and params.get("power") is None:
        _usage(_("--aggregation power needs --power P (e.g. 0.5)"))
    if aggregation != "power" and params.get("power") is not None:
        _usage(_("--power is used by --aggregation power only"))
    if params["nonpositive"] != "raise" and aggregation not in {"geometric", "harmonic", "power"}:
        _usage(_("--nonpositive is used by --aggregation geometric, harmonic or power only"))
    options: dict[str, Any] = {
        "method": method,
        "aggregation": aggregation,
        "missing": params["missing"],
        "min_coverage": params["min_coverage"],
        "count_imputed": params["count_imputed"],
        "scale": params["scale"],
    }
    spec = {
        key: value
        for key, value in (
            ("range", params.get("value_range")),
            ("reference", params.get("reference")),
            ("reference_year", params.get("reference_year")),
        )
        if value is not None
    }
    if spec:
        options["method"] = NormaliseSpec(method=method, **spec)
    if params.get("power") is not None:
        options["power"] = params["power"]
    if params["nonpositive"] != "raise":
        options["nonpositive"] = params["nonpositive"]
    return options


def check_levels(structure: Structure, levels: tuple[str, ...], *, extra: Sequence[str] = ()) -> None:
    """Refuse a ``--level`` the plan or study does not have (nor ``extra``), with the levels it has (exit 2)."""
    known = [*structure.levels, "all", *extra]
    unknown = [level for level in levels if level not in known]
    if unknown:
        shown = ", ".join(f"{level!r}{suggest(level, known)}" for level in unknown)
        message = _("--level {levels} is not a level; the levels are {known}")
        _usage(message.format(levels=shown, known=", ".join(known)))


def study_options_refused(ctx: click.Context) -> None:
    """Refuse scoring options given for a study: its recipe declares how it is scored (exit 2)."""
    given = [
        f"--{name.replace('value_range', 'range').replace('_', '-')}"
        for name in SCORING_PARAMETERS
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    ]
    if given:
        message = _("{options}: a study is scored as its recipe declares; change the recipe instead")
        _usage(message.format(options=", ".join(given)))


def recipe_of(path: Path) -> Path | None:
    """Return the recipe file ``path`` names (the file, or the one in the folder), if it is a study, not a plan."""
    if path.is_dir() and not (path / FOLDER_FILES[None]).is_file() and (path / RECIPE_FILE).is_file():
        return path / RECIPE_FILE
    if path.is_file() and path.name == RECIPE_FILE:
        return path
    return None


def run_study(recipe_path: Path) -> Study:
    """Run a study's recipe; its problems end the command with exit 1."""
    try:
        return Recipe.load(recipe_path).run()
    except (RecipeError, ScoringError) as error:
        fail_scoring(error)


def fail_scoring(error: Exception) -> NoReturn:
    """Print a scoring problem in the command line's words and exit 1."""
    message = str(error)
    for library, command_line in _COMMAND_LINE_WORDS.items():
        message = message.replace(library, command_line)
    click.echo(_("error: {message}").format(message=message), err=True)
    sys.exit(EXIT_PROBLEMS)


def _usage(message: str) -> None:
    exit_with_usage_error(ValueError(message))
