"""Small CSV files people write by hand (a self-assessment, a budget): known columns, Indonesian headers read too."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

from smartcity_model.errors import MasterplanError, Problem, suggest
from smartcity_model.i18n import _
from smartcity_model.io.csvfile import read_csv_text

__all__ = ["read_keyed_csv"]


def read_keyed_csv(
    path: Path, headers: Mapping[str, Sequence[str]], required: Sequence[str]
) -> list[tuple[int, dict[str, str]]]:
    """Return the rows of a CSV as ``(line, {key: cell})``, the header read through ``headers``.

    ``headers`` maps each column's key to the words accepted for it (any case); the separator may
    be ``,``, ``;`` or a tab. Unknown and missing columns, an empty or ill-formed file are located
    problems, all reported at once in one :class:`~smartcity_model.MasterplanError`. Blank lines
    are skipped.
    """
    shown = str(path)
    text = read_csv_text(path, shown)
    first = next((line for line in text.split("\n") if line.strip()), "")
    separator = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    except csv.Error as error:
        message = _("the file is not well-formed CSV ({reason}); a quote may be left open").format(reason=error)
        raise MasterplanError([Problem("syntax-error", message, file=shown)], shown) from None
    numbered = [(line, cells) for line, cells in enumerate(rows, start=1) if any(cell.strip() for cell in cells)]
    if not numbered:
        raise MasterplanError([Problem("empty-document", _("the file is empty"), file=shown)], shown)
    header_line, cells = numbered[0]
    words = {word.lower(): key for key, accepted in headers.items() for word in (key, *accepted)}
    header = [words.get(cell.strip().lower(), cell.strip()) for cell in cells]
    problems: list[Problem] = []
    for column, cell in enumerate(header, start=1):
        if cell not in headers:
            message = _("unknown column {name}{hint}; the columns are {known}").format(
                name=repr(cell), hint=suggest(cell.lower(), list(words)), known=", ".join(headers)
            )
            problems.append(Problem("unknown-field", message, file=shown, line=header_line, column=column))
    problems += [
        Problem("missing-field", _("no column {name}").format(name=repr(key)), file=shown, line=header_line)
        for key in required
        if key not in header
    ]
    if problems:
        raise MasterplanError(problems, shown)
    return [(line, dict(zip(header, (cell.strip() for cell in cells), strict=False))) for line, cells in numbered[1:]]
