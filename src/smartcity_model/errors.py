"""Exceptions and the registry of problem codes raised when a masterplan is loaded.

Every problem found while reading or validating a masterplan is a :class:`Problem` with a
stable ``code`` (a slug listed in :data:`PROBLEM_CODES`), the file and line it comes from where
known, the kind and id of the object it concerns, and the field at fault. All problems of one
load are raised together as a single :class:`MasterplanError`.
"""

from __future__ import annotations

import difflib
import inspect
import warnings
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "PROBLEM_CODES",
    "MasterplanError",
    "PlanNotFoundError",
    "PlanWarning",
    "Problem",
    "SaveError",
    "SmartCityError",
    "UnknownIdError",
    "suggest",
    "unknown_id",
    "warn_caller",
]

#: Stable problem codes with a one-line explanation each (documented in ``docs/problems.md``).
PROBLEM_CODES: dict[str, str] = {
    # reading files
    "file-missing": "a file the masterplan needs does not exist",
    "file-unreadable": "a file cannot be read or decoded as UTF-8 text",
    "unknown-file": "a data file in a plan folder is not one of the plan's files (often a misspelt name)",
    "syntax-error": "a YAML, JSON or CSV file is not well formed",
    "empty-document": "a file holds no data where some is required",
    "alias-bomb": "a YAML document expands through aliases beyond the allowed size",
    "wrong-shape": "a file or section has the wrong container type (list versus mapping)",
    # one object at a time
    "missing-field": "a required field is absent",
    "unknown-field": "a field is not part of the format (often a typo)",
    "wrong-type": "a value has the wrong type or cannot be parsed",
    "invalid-choice": "a value is not one of the allowed choices",
    "invalid-id": "an id is not a lowercase slug (letters, digits, '-', '_', '.')",
    "not-finite": "a number is NaN or infinite",
    "out-of-range": "a number is outside its allowed range (e.g. a weight that is not > 0)",
    "invalid-period": "a period or schedule ends before it starts",
    "invalid-normalisation": "an indicator's normalisation settings are inconsistent",
    "missing-band": "an indicator with direction 'band' has no target band",
    "missing-schedule": "an initiative has neither start/end years nor a horizon",
    # the plan as a whole
    "duplicate-id": "two objects of the same kind share an id",
    "dangling-reference": "an id refers to an object that does not exist in the plan",
    "duplicate-reference": "the same id is listed twice in one field",
    "lead-also-supporting": "an initiative lists its lead OPD among its supporting OPDs",
    "year-outside-period": "a year lies outside the masterplan period",
    "value-out-of-bounds": "a baseline, target, expected or observed value lies outside the indicator's bounds",
    "target-before-baseline": "a target year is not after the indicator's baseline year",
    "horizon-mismatch": "an initiative's years do not fit its horizon",
    "duplicate-observation": "two observations share indicator, region and year",
    "foreign-region": "an observation names a region other than the masterplan's",
    # many plans at once
    "duplicate-plan": "two masterplans loaded together are for the same region",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a masterplan, located as precisely as possible.

    ``path`` is the location inside the plan's data (e.g. ``("initiatives", 3, "lead")``);
    ``file`` and ``line`` are filled in when the plan was read from files.
    """

    code: str
    message: str
    kind: str | None = None
    id: str | None = None
    field: str | None = None
    file: str | None = None
    line: int | None = None
    path: tuple[str | int, ...] = ()
    sheet: str | None = None
    """The worksheet, for a problem in an Excel workbook (``line`` is then its row)."""
    column: int | None = None
    """The 1-based column, where known (a worksheet's column A is 1)."""

    def __post_init__(self) -> None:
        """Reject codes that are not registered, so every code stays documented."""
        if self.code not in PROBLEM_CODES:
            msg = f"unregistered problem code {self.code!r}"
            raise ValueError(msg)

    def where(self) -> str:
        """Return the location: ``file:line``, ``file, Sheet!C5`` in a workbook, ``file`` or an empty string."""
        if self.file is None:
            return ""
        if self.sheet is not None:
            cell = f"{column_letters(self.column)}{self.line or ''}" if self.column else f"row {self.line}"
            return f"{self.file}, {self.sheet}!{cell}" if self.line is not None else f"{self.file}, sheet {self.sheet}"
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def subject(self) -> str:
        """Return the object and field concerned, e.g. ``initiative 'qw-01', field 'lead'``."""
        parts = []
        if self.kind is not None:
            parts.append(f"{self.kind} {self.id!r}" if self.id is not None else self.kind)
        if self.field:
            parts.append(f"field {self.field!r}")
        return ", ".join(parts)

    def __str__(self) -> str:
        """Render as one line: ``where: subject: message [code]``."""
        head = ": ".join(part for part in (self.where(), self.subject()) if part)
        return f"{head}: {self.message} [{self.code}]" if head else f"{self.message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        data = asdict(self)
        data["path"] = list(self.path)
        return data


class SmartCityError(Exception):
    """Base class of every error raised by ``smartcity_model``."""


class SaveError(SmartCityError, OSError):
    """A plan (or file) that could not be saved; the files already on disk are unchanged."""


class PlanNotFoundError(SmartCityError, FileNotFoundError):
    """The path given to :func:`~smartcity_model.load` does not exist."""


class UnknownIdError(SmartCityError, KeyError):
    """A look-up such as ``plan.opd(id)`` named an id the plan does not have."""

    def __str__(self) -> str:
        """Show the message without the quoting that ``KeyError`` adds."""
        return str(self.args[0]) if self.args else ""


class MasterplanError(SmartCityError):
    """A masterplan failed to load; :attr:`problems` lists every problem found at once.

    ``str(error)`` gives one line per problem with file, line, object id and field.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], source: str | Path | None = None) -> None:
        """Collect ``problems`` (at least one) found while loading ``source``."""
        if not problems:
            msg = "MasterplanError needs at least one problem"
            raise ValueError(msg)
        # by file and line, as an editor shows them; problems without a place keep their order first
        self.problems: tuple[Problem, ...] = tuple(
            sorted(
                problems, key=lambda p: (p.file is not None, p.file or "", p.sheet or "", p.line or 0, p.column or 0)
            )
        )
        self.source: str | None = None if source is None else str(source)
        super().__init__(self._render())

    @property
    def codes(self) -> Counter[str]:
        """Count the problems by code."""
        return Counter(problem.code for problem in self.problems)

    def _render(self) -> str:
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        origin = f" in {self.source}" if self.source else ""
        lines = [f"{count} {noun}{origin}:"]
        lines.extend(f"  {problem}" for problem in self.problems)
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Return the error as a JSON-ready dict with every problem."""
        return {"source": self.source, "problems": [problem.to_dict() for problem in self.problems]}

    def __reduce__(self) -> tuple[type[MasterplanError], tuple[tuple[Problem, ...], str | None]]:
        """Pickle with the problems (an error crosses from a worker process intact)."""
        return type(self), (self.problems, self.source)


class PlanWarning(UserWarning):
    """Something given was not used, or something was assumed, while handling plans; the message says what."""


def warn_caller(message: str, category: type[Warning] = PlanWarning) -> None:
    """Issue a warning pointing at the first line of code outside this package."""
    level, frame = 1, inspect.currentframe()
    while frame is not None and str(frame.f_globals.get("__name__", "")).startswith("smartcity_model"):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def column_letters(column: int) -> str:
    """Return a spreadsheet's name of a 1-based column: 1 is ``A``, 27 is ``AA``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def suggest(wanted: str, known: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest known id, or an empty string."""
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_id(kind: str, wanted: str, known: Iterable[str]) -> UnknownIdError:
    """Build the error for a look-up of an id the plan does not have."""
    return UnknownIdError(f"no {kind} with id {wanted!r}{suggest(wanted, known)}")
