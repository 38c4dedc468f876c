"""What the commands of ``smartcity`` share: exit codes, loading a plan or saying why not, writing output.

Exit codes: 0 the plan is valid, 1 problems were found, 2 usage or I/O error, 3 an internal error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

import click

from smartcity_model.checks import CheckConfig, find_check_config, load_check_config
from smartcity_model.errors import PROBLEM_HINTS, MasterplanError, PlanNotFoundError, Problem
from smartcity_model.examples import example_path
from smartcity_model.i18n import N_, _
from smartcity_model.io import FOLDER_FILES, UnsupportedFormatError, load
from smartcity_model.io.atomic import write_files_atomically
from smartcity_model.io.excel import ExcelUnavailableError
from smartcity_model.model import Masterplan

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CRASH",
    "EXIT_OK",
    "EXIT_PROBLEMS",
    "EXIT_USAGE",
    "TEXT_OR_JSON",
    "config_or_exit",
    "default_plan",
    "echo_hints",
    "emit",
    "exit_with_problems",
    "exit_with_usage_error",
    "load_or_exit",
]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 3
#: The reader of the output stopped early (``smartcity framework | head``): 128 + SIGPIPE, as a shell reports it.
EXIT_BROKEN_PIPE = 141

#: The ``--format`` option of the commands that print for people or for programs.
TEXT_OR_JSON = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help=N_("Text for people, or JSON for programs."),
)


def exit_with_problems(error: MasterplanError, source: Path, fmt: str) -> NoReturn:
    """Print every problem of ``error`` as text or JSON and exit 1."""
    if fmt == "json":
        click.echo(json.dumps({"ok": False, "source": str(source), **error.to_dict()}, ensure_ascii=False, indent=2))
    else:
        click.echo(str(error))
        echo_hints(error.problems)
    sys.exit(EXIT_PROBLEMS)


def echo_hints(problems: Iterable[Problem]) -> None:
    """Print the hint of each problem code found, once."""
    for code in dict.fromkeys(problem.code for problem in problems):
        click.echo(_("hint [{code}]: {hint}").format(code=code, hint=_(PROBLEM_HINTS[code])))


def exit_with_usage_error(error: Exception) -> NoReturn:
    """Print a usage or I/O error on stderr and exit 2."""
    click.echo(_("error: {message}").format(message=error), err=True)
    sys.exit(EXIT_USAGE)


def load_or_exit(source: Path, fmt: str) -> Masterplan:
    """Load a plan; on failure print the problems (exit 1) or the usage error (exit 2)."""
    try:
        return load(source)
    except MasterplanError as error:
        exit_with_problems(error, source, fmt)
    except (PlanNotFoundError, UnsupportedFormatError, ExcelUnavailableError, OSError) as error:
        exit_with_usage_error(error)


def config_or_exit(source: Path, config: Path | None, fmt: str) -> CheckConfig:
    """Load the checks configuration given, or the ``checks.yaml`` beside the plan, or the defaults."""
    path = config if config is not None else find_check_config(source)
    if path is None:
        return CheckConfig()
    try:
        return load_check_config(path)
    except MasterplanError as error:
        exit_with_problems(error, path, fmt)
    except (PlanNotFoundError, OSError) as error:
        exit_with_usage_error(error)


def default_plan() -> Path:
    """Return the plan in the current folder, if it holds one; else the bundled example, saying so."""
    here = Path.cwd()
    if (here / FOLDER_FILES[None]).is_file():
        return here
    message = _(
        "No {file} in {here}: the bundled example is used. "
        "Give a PATH for your plan, or start one with: smartcity init PATH"
    )
    click.echo(message.format(file=FOLDER_FILES[None], here=here), err=True)
    return example_path()


def emit(payload: str | bytes, output: Path | None) -> None:
    """Print ``payload``, or write it atomically to ``output`` and say so on standard error (exit 2 if that fails)."""
    if output is None:
        click.echo(payload, nl=False)
        return
    try:
        write_files_atomically({output: payload})
    except OSError as error:
        exit_with_usage_error(error)
    click.echo(_("written to {path}").format(path=output), err=True)
