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

from smartcity_model.i18n import N_, _, n_

__all__ = [
    "PROBLEM_CODES",
    "PROBLEM_HINTS",
    "MasterplanError",
    "PlanNotFoundError",
    "PlanWarning",
    "PlotUnavailableError",
    "Problem",
    "SaveError",
    "SmartCityError",
    "UnknownIdError",
    "closest",
    "suggest",
    "unknown_id",
    "warn_caller",
]

#: Stable problem codes with a one-line explanation each (documented in ``docs/problems.md``).
PROBLEM_CODES: dict[str, str] = {
    # reading files
    "file-missing": N_("a file the masterplan needs does not exist"),
    "file-unreadable": N_("a file cannot be read, or is not what its name says (UTF-8 text, a workbook)"),
    "unknown-file": N_("a data file in a plan folder is not one of the plan's files (often a misspelt name)"),
    "syntax-error": N_("a YAML, JSON or CSV file is not well formed"),
    "ambiguous-number": N_("a number reads two ways (1.250: thousands, or a decimal point)"),
    "empty-document": N_("a file holds no data where some is required"),
    "alias-bomb": N_("a file expands beyond the allowed size (YAML aliases, a workbook's compression)"),
    "wrong-shape": N_("a file or section has the wrong container type (list versus mapping)"),
    # one object at a time
    "missing-field": N_("a required field is absent"),
    "unknown-field": N_("a field is not part of the format (often a typo)"),
    "wrong-type": N_("a value has the wrong type or cannot be parsed"),
    "invalid-choice": N_("a value is not one of the allowed choices"),
    "invalid-id": N_("an id is not a lowercase slug (letters, digits, '-', '_', '.')"),
    "not-finite": N_("a number is NaN or infinite"),
    "out-of-range": N_("a number is outside its allowed range (e.g. a weight that is not > 0)"),
    "invalid-period": N_("a period or schedule ends before it starts"),
    "invalid-normalisation": N_("an indicator's normalisation settings are inconsistent"),
    "missing-band": N_("an indicator with direction 'band' has no target band"),
    "missing-schedule": N_("an initiative has neither start/end years nor a horizon"),
    # the plan as a whole
    "duplicate-id": N_("two objects of the same kind share an id"),
    "dangling-reference": N_("an id refers to an object that does not exist in the plan"),
    "misplaced-reference": N_("a reference points to an object of the wrong level or place (a target under a mission)"),
    "duplicate-reference": N_("the same id is listed twice in one field"),
    "lead-also-supporting": N_("an initiative lists its lead OPD among its supporting OPDs"),
    "year-outside-period": N_("a year lies outside the masterplan period"),
    "value-out-of-bounds": N_("a baseline, target, expected or observed value lies outside the indicator's bounds"),
    "target-before-baseline": N_("a target year is not after the indicator's baseline year"),
    "horizon-mismatch": N_("an initiative's years do not fit its horizon"),
    "duplicate-observation": N_("two observations share indicator, region and year"),
    "foreign-region": N_("an observation names a region other than the masterplan's"),
    # many plans at once
    "duplicate-plan": N_("two masterplans loaded together are for the same region"),
    # OPD workbooks merged into a plan
    "not-a-template": N_("a workbook given to merge is not an OPD template of this plan, or its record is damaged"),
}


#: What to do about each problem code (the third column of ``docs/problems.md``).
PROBLEM_HINTS: dict[str, str] = {
    "file-missing": N_(
        "Create the file or the sheet (with its header row), or give the right folder or workbook. Only "
        "`masterplan.yaml` is required in a folder."
    ),
    "file-unreadable": N_(
        "Save the file as what its name says: text as UTF-8 (a byte-order mark is fine), a workbook as an Excel "
        ".xlsx workbook; and check that you may read it."
    ),
    "unknown-file": N_(
        "Rename it to the file it was meant to be (the message suggests one), or move it out of the plan "
        "folder: only the plan's own files are read (`masterplan.yaml`, `opds.yaml`, `indicators.yaml`, "
        "`initiatives.yaml`, the context files such as `goals.yaml`, `progress.csv`, `observations.csv` and "
        "`checks.yaml`; see docs/format.md). Files that are not data (`.md`, `.pdf`, `.xlsx`...) may stay."
    ),
    "syntax-error": N_(
        "Fix the YAML/JSON/CSV at the line and column shown; the message names the slip (a tab, a colon or a "
        "quote inside a value, an indentation) and its fix. Duplicate keys and Python-specific YAML tags are "
        "refused too."
    ),
    "ambiguous-number": N_(
        "Write the number so it reads one way only: the message gives both readings and how to write each "
        "(`1250` or `1.2500`; in a text field, put the text in quotes)."
    ),
    "empty-document": N_("Write the content; for an empty list write `[]`."),
    "alias-bomb": N_(
        "Expand the aliases by hand; a document may grow through aliases to at most ten times its own size. A "
        "workbook that unpacks to more than a hundred times its size is not a plan's: save it again from Excel."
    ),
    "wrong-shape": N_(
        "Use a list where a list is expected (e.g. `opds.yaml` is a list of OPDs), and give each section "
        "in one place only."
    ),
    "missing-field": N_("Add the field."),
    "unknown-field": N_("Remove or correct the field; the message names it. Often a typo (`leed` for `lead`)."),
    "wrong-type": N_("Give a value of the right type, e.g. a number for `year`."),
    "invalid-choice": N_("Use one of the values the message lists."),
    "invalid-id": N_("Ids are lowercase slugs: letters, digits, `-`, `_`, `.`."),
    "not-finite": N_("Replace NaN or infinity with a real number, or leave the value out."),
    "out-of-range": N_("Weights must be > 0, amounts >= 0, years 1900-2200, bounds min < max."),
    "invalid-period": N_("Make the period or schedule start no later than it ends."),
    "invalid-normalisation": N_(
        "Goalposts need `min < max`; thresholds need increasing breaks and one score more than breaks; "
        "distance to target needs a target (and `worst` unless higher is better)."
    ),
    "missing-band": N_("Give `band: {low: ..., high: ...}` or choose another direction."),
    "missing-schedule": N_("Give `start_year`/`end_year` or a `horizon`."),
    "duplicate-id": N_("Give each OPD, indicator and initiative its own id."),
    "dangling-reference": N_("Correct the id (the message suggests the closest) or add the missing object."),
    "misplaced-reference": N_(
        "Point it at an object of the level the message names: a target (sasaran) under a goal (tujuan), a goal "
        "under a mission (misi), a place inside another place and never inside itself."
    ),
    "duplicate-reference": N_("List each id once."),
    "lead-also-supporting": N_("Remove the lead OPD from `supporting`."),
    "year-outside-period": N_(
        "Move the year into the plan period, or extend the period. Baselines and observations may lie "
        "before the period, not after it."
    ),
    "value-out-of-bounds": N_(
        "Correct the value or the indicator's `bounds` (a maturity indicator is bounded by its levels)."
    ),
    "target-before-baseline": N_("Targets must come after the baseline year."),
    "horizon-mismatch": N_(
        "End the initiative within its horizon (see `horizons` in `masterplan.yaml`) or change its horizon."
    ),
    "duplicate-observation": N_("Keep one value per indicator, region and year."),
    "foreign-region": N_(
        "A masterplan's observations are for its own region; leave `region` empty or use the plan's region id."
    ),
    "duplicate-plan": N_(
        "Raised by `load_many`: keep one plan folder per region (the first one found, in path order, is kept)."
    ),
    "not-a-template": N_(
        "Merge the workbooks written by `smartcity template` for this plan, as the OPDs returned them; a whole "
        "plan's workbook is read with `smartcity import`. Write a new template if its hidden sheet was removed."
    ),
}


#: The kinds of object a problem is about, as messages name them.
_KINDS = {
    "opd": N_("OPD"),
    "indicator": N_("indicator"),
    "initiative": N_("initiative"),
    "observation": N_("observation"),
    "masterplan": N_("masterplan"),
    "region": N_("region"),
    "recipe": N_("recipe"),
    "goal": N_("goal"),
    "issue": N_("issue"),
    "vision": N_("vision"),
    "stakeholder": N_("stakeholder"),
    "body": N_("body"),
    "area": N_("area"),
    "answer": N_("answer"),
}
#: The kinds of object looked up by id, as :func:`unknown_id` names them.
_ID_KINDS = (
    N_("OPD"),
    N_("indicator"),
    N_("initiative"),
    N_("dimension"),
    N_("element"),
    N_("built-in framework"),
    N_("example"),
    N_("readiness level"),
    N_("schema part"),
    N_("plan for region"),
    N_("province"),
)


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
    related: tuple[str | int, ...] = ()
    """The path of another object the problem is about (the first of two duplicates)."""
    also: str | None = None
    """Where that other object is written (``observations/dinkes.csv:4``), filled in with ``file``."""

    def __post_init__(self) -> None:
        """Reject codes that are not registered, so every code stays documented."""
        if self.code not in PROBLEM_CODES:
            msg = f"unregistered problem code {self.code!r}"
            raise ValueError(msg)

    def where(self) -> str:
        """Return the location: ``file:line:column``, ``file:line``, ``file, Sheet!C5`` in a workbook, or ``file``."""
        return place(self.file, self.line, self.sheet, self.column)

    def subject(self) -> str:
        """Return the object and field concerned, e.g. ``initiative 'qw-01', field 'lead'``."""
        parts = []
        if self.kind is not None:
            kind = _(_KINDS.get(self.kind, self.kind))
            parts.append(f"{kind} {self.id!r}" if self.id is not None else kind)
        if self.field:
            parts.append(_("field {field}").format(field=repr(self.field)))
        return ", ".join(parts)

    def __str__(self) -> str:
        """Render as one line: ``where: subject: message [code]``."""
        head = ": ".join(part for part in (self.where(), self.subject()) if part)
        message = self.message + (_(" (first at {where})").format(where=self.also) if self.also else "")
        return f"{head}: {message} [{self.code}]" if head else f"{message} [{self.code}]"

    def to_dict(self) -> dict[str, Any]:
        """Return the problem as a JSON-ready dict."""
        data = asdict(self)
        data["path"] = list(self.path)
        data["related"] = list(self.related)
        return data


class SmartCityError(Exception):
    """Base class of every error raised by ``smartcity_model``."""


class SaveError(SmartCityError, OSError):
    """A plan (or file) that could not be saved; the files already on disk are unchanged."""


class PlanNotFoundError(SmartCityError, FileNotFoundError):
    """The path given to :func:`~smartcity_model.load` does not exist."""


class PlotUnavailableError(SmartCityError, ImportError):
    """Charts were asked for, but matplotlib (the ``plot`` extra) is not installed."""


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
        if self.source:
            head = n_("{n} problem in {source}:", "{n} problems in {source}:", count).format(
                n=count, source=self.source
            )
        else:
            head = n_("{n} problem:", "{n} problems:", count).format(n=count)
        lines = [head]
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


def place(file: str | None, line: int | None = None, sheet: str | None = None, column: int | None = None) -> str:
    """Return a location as problems show it: ``file:line:column``, ``file:line``, ``file, Sheet!C5``, ``file``."""
    if file is None:
        return ""
    if sheet is not None:
        if line is None:
            return _("{file}, sheet {sheet}").format(file=file, sheet=sheet)
        cell = f"{column_letters(column)}{line}" if column else _("row {n}").format(n=line)
        return f"{file}, {sheet}!{cell}"
    if line is None:
        return file
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


def column_letters(column: int) -> str:
    """Return a spreadsheet's name of a 1-based column: 1 is ``A``, 27 is ``AA``."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def closest(wanted: str, known: Iterable[str]) -> str | None:
    """Return the known name closest to ``wanted`` (a likely typo of it), or ``None``."""
    close = difflib.get_close_matches(wanted, list(known), n=1, cutoff=0.75)
    return close[0] if close else None


def suggest(wanted: str, known: Iterable[str]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest known id, or an empty string."""
    close = closest(wanted, known)
    return _(" (did you mean {id}?)").format(id=repr(close)) if close is not None else ""


def unknown_id(kind: str, wanted: str, known: Iterable[str]) -> UnknownIdError:
    """Build the error for a look-up of an id the plan does not have."""
    message = _("no {kind} with id {id}{hint}").format(kind=_(kind), id=repr(wanted), hint=suggest(wanted, known))
    return UnknownIdError(message)
