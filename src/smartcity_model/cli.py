"""The ``smartcity`` command line: a thin layer over the library that sets exit codes.

Exit codes: 0 the plan is valid, 1 problems were found, 2 usage or I/O error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from smartcity_model import __version__
from smartcity_model.errors import MasterplanError, PlanNotFoundError
from smartcity_model.examples import example_path
from smartcity_model.io import SCHEMA_PARTS, UnsupportedFormatError, json_schema, load
from smartcity_model.model import Horizon, Masterplan

__all__ = ["main"]

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
    rows = [
        ("Framework", f"{plan.framework.name} ({counts['dimensions']} dimensions, {counts['elements']} elements)"),
        ("OPDs", str(counts["opds"])),
        ("Indicators", str(counts["indicators"])),
        ("Initiatives", f"{counts['initiatives']} ({counts['quick_wins']} quick wins)"),
        ("Observations", f"{counts['observations']}" + (f" ({observed[0]}-{observed[1]})" if observed else "")),
    ]
    title = plan.document.title or f"Masterplan {plan.region.name}"
    lines = [title, f"{plan.region.name} ({plan.region.kind.value}), period {plan.period}", f"Source: {source}", ""]
    lines += [f"  {label:<13} {value}" for label, value in rows]
    return "\n".join(lines)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="smartcity")
def main() -> None:
    """Plan, check and score smart city masterplans (Gerakan Menuju 100 Smart City)."""


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def check(path: Path | None, fmt: str) -> None:
    """Load the masterplan at PATH (default: the bundled Solok Selatan example) and report every problem."""
    source = path if path is not None else example_path()
    try:
        plan = load(source)
    except MasterplanError as error:
        if fmt == "json":
            click.echo(
                json.dumps({"ok": False, "source": str(source), **error.to_dict()}, ensure_ascii=False, indent=2)
            )
        else:
            click.echo(str(error))
        sys.exit(EXIT_PROBLEMS)
    except (PlanNotFoundError, UnsupportedFormatError, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
    if fmt == "json":
        payload = {"ok": True, "source": str(source), "summary": summary(plan), "problems": []}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo(_text_summary(plan, str(source)))
        click.echo("\nNo problems found.")
    sys.exit(EXIT_OK)


@main.command()
@click.argument("part", required=False, default="masterplan", type=click.Choice(list(SCHEMA_PARTS)))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
def schema(part: str, output: Path | None) -> None:
    """Print the JSON Schema of a masterplan file (PART: masterplan, header, opds, indicators, initiatives)."""
    text = json.dumps(json_schema(part), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE)
