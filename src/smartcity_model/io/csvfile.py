"""Tidy observation tables in CSV: one row per indicator, year (and region)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from smartcity_model.errors import MasterplanError, Problem
from smartcity_model.io.yamlfile import Parsed
from smartcity_model.model import Observation

__all__ = ["OBSERVATION_COLUMNS", "compact_number", "format_observations", "parse_observations"]

#: Columns of ``observations.csv``, in the order they are written; the first three are required.
OBSERVATION_COLUMNS: tuple[str, ...] = ("indicator", "year", "value", "region", "status", "source", "note")
_REQUIRED = OBSERVATION_COLUMNS[:3]


def parse_observations(text: str, shown: str) -> Parsed:
    """Parse an observations CSV into row dicts; ``lines`` maps ``(row,)`` to its line number."""
    # A cell may be as long as the file (a long note); the csv module's default limit is 131,072.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise MasterplanError([Problem("empty-document", "no header row", file=shown, line=1)], shown)
        header = [name.strip() for name in header]
        problems = [
            Problem(
                "unknown-field", f"unknown column {name!r}; known: {', '.join(OBSERVATION_COLUMNS)}", file=shown, line=1
            )
            for name in header
            if name not in OBSERVATION_COLUMNS
        ]
        problems += [
            Problem("missing-field", f"missing column {name!r}", file=shown, line=1)
            for name in _REQUIRED
            if name not in header
        ]
        problems += [
            Problem("syntax-error", f"column {name!r} appears twice", file=shown, line=1)
            for name in sorted({n for n in header if header.count(n) > 1})
        ]
        if problems:
            raise MasterplanError(problems, shown)
        rows: list[dict[str, Any]] = []
        lines: dict[tuple[str | int, ...], int] = {}
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                message = f"{len(cells)} cells where the header has {len(header)}"
                problems.append(Problem("syntax-error", message, file=shown, line=reader.line_num))
                continue
            lines[(len(rows),)] = reader.line_num
            rows.append(
                {name: cell for name, cell in zip(header, cells, strict=True) if cell != "" or name in _REQUIRED}
            )
    except csv.Error as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown, line=reader.line_num)], shown) from None
    if problems:
        raise MasterplanError(problems, shown)
    return Parsed(rows, lines)


#: Whole floats below this magnitude are written as integers (every such integer is exact in a float).
_EXACT_INTEGERS = 2.0**53


def compact_number(value: float) -> float | int:
    """Return a whole float as an ``int`` (``80.0`` is written ``80``); ``float()`` gives it back exactly."""
    return int(value) if value.is_integer() and abs(value) < _EXACT_INTEGERS else value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(compact_number(value))
    return str(value)


def format_observations(observations: Sequence[Observation]) -> str:
    """Write observations as CSV text: required columns, then optional ones any row uses."""
    optional = [
        name
        for name in OBSERVATION_COLUMNS[3:]
        if name == "status" or any(getattr(obs, name) is not None for obs in observations)
    ]
    columns = [*_REQUIRED, *optional]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Lines end in "\n", so the csv module would write a carriage return bare; quote such rows.
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    for obs in observations:
        cells = [_cell(getattr(obs, name)) for name in columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()
