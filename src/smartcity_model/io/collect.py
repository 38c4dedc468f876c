"""OPD workbooks: a template per OPD to collect its proposals and observations, and a merge that reports conflicts.

Bappeda sends each OPD a workbook (:func:`write_template`, :func:`write_templates`): the sheets of
a plan workbook (:mod:`smartcity_model.io.excel`) prefilled with the initiatives the OPD leads,
their budget lines and expected values, and the observations of the indicators it is custodian
of; the plan's OPDs and indicators as locked reference sheets; dropdowns of ids and choices; a
*Petunjuk* sheet saying whose workbook it is and what to fill in. A hidden sheet records the OPD
and what the workbook held when it was written.

:func:`merge_templates` merges the returned workbooks into the plan, three ways: each workbook is
compared with what it held when written, so only what the OPD changed is taken, and a change is
a :class:`Conflict` where the plan has since changed the same value otherwise, where two
workbooks disagree, or where a workbook changes what another OPD leads or is custodian of.
Nothing is merged while a conflict stands, unless ``prefer`` says which side wins.

Examples
--------
>>> import smartcity_model as scm
>>> import tempfile
>>> plan = scm.load(scm.example_path())
>>> with tempfile.TemporaryDirectory() as folder:
...     written = scm.write_templates(plan, folder, opds=["dinkes", "rsud"])
...     result = scm.merge_templates(plan, written.values())
>>> result
<MergeResult of 2 workbooks: 0 changes, 0 conflicts, 0 problems>
>>> result.plan == plan
True
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from smartcity_model.errors import MasterplanError, Problem, SaveError, UnknownIdError, place, suggest
from smartcity_model.i18n import N_, _, n_
from smartcity_model.io.atomic import write_files_atomically
from smartcity_model.io.csvfile import compact_number
from smartcity_model.io.excel import (
    EXCEL_SUFFIXES,
    Reading,
    book_bytes,
    build_workbook,
    column_header,
    damaged_sheets,
    escape_text,
    find_sheets,
    locate_cell,
    open_book,
    part_rows,
    read_parts,
    relocated,
    unescape_text,
)
from smartcity_model.io.yamlfile import format_yaml, parse_yaml
from smartcity_model.model import Initiative, Masterplan, Observation
from smartcity_model.model.assemble import validate_items
from smartcity_model.model.header import PlanHeader, with_element_ids
from smartcity_model.model.problems import LIST_SECTIONS

__all__ = [
    "CONFLICT_CODES",
    "Change",
    "Conflict",
    "MergeResult",
    "merge_templates",
    "template_workbook",
    "write_template",
    "write_templates",
]

Part = Literal["initiative", "budget", "expected", "observation"]
Action = Literal["added", "changed", "removed"]
Prefer = Literal["workbook", "plan"]
Key = tuple[Any, ...]

#: The conflicts a merge reports, with a one-line explanation each (documented in ``docs/opd-workbooks.md``).
CONFLICT_CODES: dict[str, str] = {
    "stale": N_("the plan has changed a value since the workbook was written, and the workbook changes it otherwise"),
    "disagreement": N_("two workbooks give different values for the same item"),
    "not-lead": N_("a workbook adds or changes an initiative (or its budget or expected values) another OPD leads"),
    "not-custodian": N_("a workbook gives an observation of an indicator whose custodian is another OPD"),
    "unknown-opd": N_("a workbook is for an OPD that is not in the plan"),
}

#: The hidden sheet that records whose template a workbook is and what it held when written.
ORIGIN_SHEET = "Asal"
_FORMAT = 1
_EDITABLE = ("Inisiatif", "Anggaran", "Harapan", "Observasi")
_REFERENCE = ("OPD", "Indikator")
#: Reference sheets of the ids an initiative may name, written when the plan has any: goals, issues, partners, places.
_CONTEXT_REFERENCE = ("Tujuan", "Isu", "Mitra", "Lokasi")
#: Characters of the record in one cell (a cell holds 32,767; escapes may lengthen the text).
_CHUNK = 10_000
_PARTS: tuple[Part, ...] = ("initiative", "budget", "expected", "observation")
#: The fields compared, by part; the others are part of the key (a budget line's year and source).
_FIELDS: dict[Part, tuple[str, ...]] = {
    "initiative": tuple(name for name in Initiative.model_fields if name != "budget"),
    "budget": ("amount", "note"),
    "expected": ("value",),
    "observation": ("value", "status", "source", "note"),
}
_PART_WORDS: dict[Part, str] = {
    "initiative": N_("initiative"),
    "budget": N_("budget line"),
    "expected": N_("expected value"),
    "observation": N_("observation"),
}
_PART_SHEETS: dict[Part, str] = {
    "initiative": "Inisiatif",
    "budget": "Anggaran",
    "expected": "Harapan",
    "observation": "Observasi",
}

#: The items of each part by key, each a mapping of its fields.
Items = dict[Part, dict[Key, dict[str, Any]]]
#: A place in a plan's data, as problems carry it: ``("initiatives", 3, "budget", 0, "amount")``.
DataPath = tuple[str | int, ...]


def _shown(value: Any) -> str:
    """Show a value as a planner reads it: ``850000000``, ``apbd``, ``dinkes, rsud``, ``(empty)``."""
    if value is None or value == ():
        return _("(empty)")
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, float):
        return repr(compact_number(value))
    if isinstance(value, tuple | list):
        return ", ".join(_shown(item) for item in value)
    return repr(value) if isinstance(value, str) else str(value)


def _key_text(part: Part | None, key: Key) -> str:
    """Name an item: ``'qw-01'``, ``qw-01 2025 apbd``, ``qw-02 gov-open-data 2025``, ``liv-referral 2024``."""
    if part == "initiative":
        return repr(key[0])
    if part == "budget":
        initiative, year, source, occurrence = key
        return f"{initiative} {year} {source}" + (f" #{occurrence + 1}" if occurrence else "")
    if part == "observation":
        indicator, region, year = key
        return f"{indicator} {year}" + (f" ({region})" if region is not None else "")
    return " ".join(map(str, key))


#: The sheet of a workbook each part of a merge is read from (its columns name the fields changed).
_SHEET_OF_PART: dict[Part, str] = {
    "initiative": "Inisiatif",
    "budget": "Anggaran",
    "expected": "Harapan",
    "observation": "Observasi",
}


def _subject(part: Part | None, key: Key) -> str:
    return f"{_(_PART_WORDS[part])} {_key_text(part, key)}" if part is not None else ""


@dataclass(frozen=True)
class Change:
    """One change a merge makes to the plan: an item added, changed or removed, its values before and after.

    ``before`` holds the plan's values of the fields that change (every field of an item removed),
    ``after`` the merged ones (every field of an item added); ``workbooks`` names the workbooks it
    comes from, and ``sheet``, ``line`` and ``column`` locate it in the first of them.
    """

    part: Part
    key: Key
    action: Action
    before: Mapping[str, Any] = field(default_factory=dict, hash=False)
    after: Mapping[str, Any] = field(default_factory=dict, hash=False)
    workbooks: tuple[str, ...] = ()
    sheet: str | None = None
    line: int | None = None
    column: int | None = None

    def where(self) -> str:
        """Return the location in the first workbook: ``dinkes.xlsx, Observasi!C5``."""
        return place(self.workbooks[0] if self.workbooks else None, self.line, self.sheet, self.column)

    def __str__(self) -> str:
        """Render as one line: ``where: observation liv-referral 2024 changed: nilai 40 → 41.5``."""
        subject = _subject(self.part, self.key)
        if self.action == "added":
            text = _("{subject} added").format(subject=subject)
        elif self.action == "removed":
            text = _("{subject} removed").format(subject=subject)
        else:
            sheet = _SHEET_OF_PART[self.part]
            fields = "; ".join(
                f"{column_header(sheet, name)} {_shown(self.before.get(name))} → {_shown(self.after.get(name))}"
                for name in self.after
            )
            text = _("{subject} changed: {fields}").format(subject=subject, fields=fields)
        where = self.where()
        return f"{where}: {text}" if where else text


@dataclass(frozen=True)
class Conflict:
    """A change a merge cannot make on its own: a stale value, a disagreement, another OPD's item.

    ``code`` is one of :data:`CONFLICT_CODES`; ``values`` gives what each side holds
    (``template``: when the workbook was written, ``plan``: now, and each workbook by name);
    ``resolution`` is ``None`` while the conflict stands, else ``"plan"`` or the workbook whose
    value was taken.
    """

    code: str
    message: str
    part: Part | None = None
    key: Key = ()
    file: str | None = None
    sheet: str | None = None
    line: int | None = None
    column: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)
    resolution: str | None = None

    def __post_init__(self) -> None:
        """Reject codes that are not registered, so every code stays documented."""
        if self.code not in CONFLICT_CODES:
            msg = f"unregistered conflict code {self.code!r}"
            raise ValueError(msg)

    def where(self) -> str:
        """Return the location: ``rsud.xlsx, Observasi!C3``, ``rsud.xlsx``, or an empty string."""
        return place(self.file, self.line, self.sheet, self.column)

    def __str__(self) -> str:
        """Render as one line: ``where: message [code]``, and how it was resolved."""
        head = f"{self.where()}: {self.message} [{self.code}]" if self.file else f"{self.message} [{self.code}]"
        if self.resolution is None:
            return head
        if self.resolution == "plan":
            return head + " " + _("(resolved: the plan's value is kept)")
        return head + " " + _("(resolved: the value of {workbook} is taken)").format(workbook=self.resolution)


@dataclass(frozen=True, repr=False)
class MergeResult:
    """What merging OPD workbooks into a plan gives: the merged plan, the changes, the conflicts, the problems.

    ``plan`` is the merged, validated plan, or ``None`` while a conflict stands or a problem
    remains: then nothing should be saved. ``workbooks`` maps each workbook read to its OPD.
    """

    plan: Masterplan | None
    changes: tuple[Change, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    problems: tuple[Problem, ...] = ()
    workbooks: Mapping[str, str] = field(default_factory=dict, hash=False)
    prefer: Prefer | None = None

    @property
    def ok(self) -> bool:
        """Tell whether the merge gives a plan: no problem, and every conflict resolved."""
        return self.plan is not None

    @property
    def unresolved(self) -> tuple[Conflict, ...]:
        """The conflicts that stand (``prefer`` did not resolve them)."""
        return tuple(conflict for conflict in self.conflicts if conflict.resolution is None)

    def error(self) -> MasterplanError | None:
        """Return the problems as one :class:`~smartcity_model.MasterplanError`, or ``None`` without problems."""
        return MasterplanError(self.problems) if self.problems else None

    def __repr__(self) -> str:
        """Show the counts: ``<MergeResult of 2 workbooks: 3 changes, 1 conflict (1 unresolved), 0 problems>``."""
        standing = len(self.unresolved)
        conflicts = f"{len(self.conflicts)} conflict{'' if len(self.conflicts) == 1 else 's'}"
        if standing:
            conflicts += f" ({standing} unresolved)"
        return (
            f"<MergeResult of {len(self.workbooks)} workbook{'' if len(self.workbooks) == 1 else 's'}: "
            f"{len(self.changes)} change{'' if len(self.changes) == 1 else 's'}, {conflicts}, "
            f"{len(self.problems)} problem{'' if len(self.problems) == 1 else 's'}>"
        )

    def report(self) -> str:
        """Return the changes, conflicts and problems as text, one line each, in the current language."""
        lines = []
        if self.changes:
            lines.append(n_("{n} change:", "{n} changes:", len(self.changes)).format(n=len(self.changes)))
            lines += [f"  {change}" for change in self.changes]
        else:
            lines.append(_("No changes."))
        if self.conflicts:
            count = len(self.conflicts)
            lines.append(n_("{n} conflict:", "{n} conflicts:", count).format(n=count))
            lines += [f"  {conflict}" for conflict in self.conflicts]
        if self.problems:
            lines.append(str(MasterplanError(self.problems)))
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------- write


def _owned(plan: Masterplan, opd: str) -> tuple[list[Initiative], list[Observation]]:
    """Return the initiatives ``opd`` leads and the observations of the indicators it is custodian of."""
    watched = {indicator.id for indicator in plan.indicators if indicator.custodian == opd}
    return [i for i in plan.initiatives if i.lead == opd], [o for o in plan.observations if o.indicator in watched]


def _petunjuk(plan: Masterplan, opd: str, initiatives: int) -> list[tuple[str, str]]:
    """Return the instructions of one OPD's template, in Bahasa Indonesia and English."""
    body = plan.opd(opd)
    name, short = body.name, body.acronym or body.id
    watched = ", ".join(i.id for i in plan.indicators if i.custodian == opd)
    return [
        (f"Masterplan Smart City {plan.region.name} {plan.period}", ""),
        (f"Lembar isian OPD: {name} (id {opd})", f"OPD workbook: {body.name_en or name} (id {opd})"),
        ("Petunjuk (Bahasa Indonesia)", "Instructions (English)"),
        (
            (
                f"Inisiatif: {initiatives} inisiatif yang diusulkan {short} sebagai OPD pengusul. Ubah isinya, "
                f"hapus barisnya, atau tambah baris untuk inisiatif baru dengan opd_pengusul {opd}."
            ),
            (
                f"Inisiatif: the {initiatives} initiatives {short} proposes as lead. Change them, delete their "
                f"rows, or add rows for new initiatives with opd_pengusul {opd}."
            ),
        ),
        (
            "Anggaran: baris anggaran inisiatif tersebut, satu baris per tahun dan sumber dana.",
            "Anggaran: their budget lines, one row per year and funding source.",
        ),
        (
            "Harapan: nilai indikator yang diharapkan dari inisiatif tersebut, per tahun.",
            "Harapan: the values of indicators expected of them, by year.",
        ),
        (
            f"Observasi: data indikator yang wali datanya {short}: {watched or 'tidak ada'}.",
            f"Observasi: observations of the indicators {short} is custodian of: {watched or 'none'}.",
        ),
        (
            f"Tahun rencana {plan.period}; observasi boleh dari tahun sebelumnya.",
            f"Plan years {plan.period}; observations may be of earlier years.",
        ),
        (
            (
                "Lembar OPD dan Indikator (serta Tujuan, Isu, Mitra dan Lokasi bila ada) hanya rujukan "
                "(terkunci) dan tidak ikut digabung: kolom tujuan, isu, mitra dan lokasi inisiatif memakai id-nya."
            ),
            (
                "The OPD and Indikator sheets (and Tujuan, Isu, Mitra and Lokasi, if any) are for reference "
                "(locked) and are not merged: an initiative's goals, issues, partners and places name their ids."
            ),
        ),
        (
            "Kolom berwarna memakai daftar pilihan (dropdown); beberapa id dalam satu sel dipisah koma.",
            "Coloured columns offer dropdowns; several ids in one cell are separated by commas.",
        ),
        (
            "Angka boleh ditulis 79,5 atau 1.250.000 (format Indonesia) atau 79.5.",
            "Numbers may be written 79,5 or 1.250.000 (Indonesian) or 79.5.",
        ),
        (
            "Jangan ganti nama lembar atau judul kolom. Kirim berkas ini kembali ke Bappeda.",
            "Do not rename sheets or headers. Send this file back to Bappeda.",
        ),
        (
            "Bappeda menggabungkannya dengan: smartcity merge RENCANA BERKAS.xlsx",
            "Bappeda merges it with: smartcity merge PLAN FILE.xlsx",
        ),
    ]


def template_workbook(plan: Masterplan, opd: str) -> bytes:
    """Return the template of ``opd`` (an OPD id of ``plan``) as ``.xlsx`` bytes, prefilled with what it owns.

    Raises :class:`~smartcity_model.UnknownIdError` for an OPD the plan does not have.
    """
    _check_opd(plan, opd)
    initiatives, observations = _owned(plan, opd)
    own = {initiative.id for initiative in initiatives}
    watched = {observation.indicator for observation in observations}
    rows = part_rows(plan)
    editable = {
        "Inisiatif": [row for row in rows["Inisiatif"] if row["id"] in own],
        "Anggaran": [row for row in rows["Anggaran"] if row["initiative"] in own],
        "Harapan": [row for row in rows["Harapan"] if row["initiative"] in own],
        "Observasi": [row for row in rows["Observasi"] if row["indicator"] in watched],
    }
    shown = [*_REFERENCE, *(name for name in _CONTEXT_REFERENCE if rows[name])]
    reference = {name: rows[name] for name in shown}
    book = build_workbook(
        plan, _petunjuk(plan, opd, len(own)), {**editable, **reference}, plan_sheet=False, locked=shown
    )
    _write_origin(book, plan, opd, initiatives, observations)
    return book_bytes(book)


def _check_opd(plan: Masterplan, opd: str) -> None:
    known = [body.id for body in plan.opds]
    if opd not in known:
        message = _("the plan has no OPD {id}{hint}").format(id=repr(opd), hint=suggest(opd, known))
        raise UnknownIdError(message)


def _write_origin(
    book: Any, plan: Masterplan, opd: str, initiatives: Sequence[Initiative], observations: Sequence[Observation]
) -> None:
    """Record the OPD and what the template holds, in a sheet no one sees."""
    from smartcity_model.io.plan import plan_to_data  # noqa: PLC0415 - plan imports excel, as this module does

    data = plan_to_data(
        plan.model_copy(update={"initiatives": tuple(initiatives), "observations": tuple(observations)})
    )
    text = format_yaml({"initiatives": data["initiatives"], "observations": data["observations"]})
    sheet = book.create_sheet(ORIGIN_SHEET)
    for row in (("kunci", "nilai"), ("format", _FORMAT), ("opd", opd), ("region", plan.region.id)):
        sheet.append(list(row))
    for start in range(0, len(text), _CHUNK):
        sheet.append(["original", escape_text(text[start : start + _CHUNK])])
        sheet.cell(row=sheet.max_row, column=2).data_type = "s"
    sheet.sheet_state = "veryHidden"
    sheet.protection.sheet = True


def _xlsx(path: Path) -> None:
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        msg = _("{path}: a template is an Excel workbook; give a file name ending in .xlsx").format(path=path)
        raise ValueError(msg)


def write_template(plan: Masterplan, opd: str, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the template of ``opd`` to ``path`` (``.xlsx``), atomically; return the path written.

    An existing file is kept (it may be a returned workbook) unless ``overwrite`` is true.
    """
    target = Path(path)
    _xlsx(target)
    return write_templates(plan, target.parent, opds=[opd], names={opd: target.name}, overwrite=overwrite)[opd]


def write_templates(
    plan: Masterplan,
    folder: str | Path,
    *,
    opds: Iterable[str] | None = None,
    names: Mapping[str, str] | None = None,
    overwrite: bool = False,
) -> dict[str, Path]:
    """Write a template per OPD (every OPD of the plan, or those of ``opds``) into ``folder``, all or none.

    Each is named ``<opd id>.xlsx`` unless ``names`` gives another name. Existing files are kept
    (raising :class:`FileExistsError` naming them) unless ``overwrite`` is true. Every template is
    read back before any file is written. Returns the path of each OPD's template.
    """
    target = Path(folder)
    wanted = [body.id for body in plan.opds] if opds is None else list(dict.fromkeys(opds))
    for opd in wanted:
        _check_opd(plan, opd)
    paths = {opd: target / (names or {}).get(opd, f"{opd}.xlsx") for opd in wanted}
    existing = [str(path) for path in paths.values() if path.exists()]
    if existing and not overwrite:
        message = n_(
            "{files} exists already: it may be a returned workbook; remove it or overwrite it",
            "{files} exist already: they may be returned workbooks; remove them or overwrite them",
            len(existing),
        )
        raise FileExistsError(message.format(files=", ".join(existing)))
    files: dict[Path, str | bytes] = {path: template_workbook(plan, opd) for opd, path in paths.items()}

    def untouched(written: Mapping[Path, Path]) -> None:
        result = merge_templates(plan, written.values())
        if result.problems or result.changes or result.conflicts:
            msg = _("the templates were not written: they would not read back unchanged ({report})").format(
                report=result.report()
            )
            raise SaveError(msg)

    write_files_atomically(files, check=untouched)
    return paths


# ----------------------------------------------------------------------------------------- read


@dataclass
class _Returned:
    """A workbook returned by an OPD: what it held when written, what it holds now, where each item is."""

    shown: str
    opd: str
    reading: Reading
    base: Items
    theirs: Items
    paths: dict[tuple[Part, Key], DataPath]

    @property
    def complete(self) -> bool:
        """Tell whether every row was read: only then is a row missing taken as removed."""
        return not self.reading.problems

    def cell(self, part: Part, key: Key, name: str | None = None) -> tuple[str, int | None, int | None]:
        """Locate an item (or one of its fields) in the workbook; an item it no longer has, by its sheet."""
        path = self.paths.get((part, key))
        if path is None:
            return _PART_SHEETS[part], None, None
        found = locate_cell(self.reading, (*path, name) if name else path)
        return found if found is not None else (_PART_SHEETS[part], None, None)


def _items(
    initiatives: Iterable[tuple[int, Initiative]], observations: Iterable[tuple[int, Observation]], region: str
) -> tuple[Items, dict[tuple[Part, Key], DataPath], list[tuple[Part, DataPath]]]:
    """Split initiatives and observations into keyed items; return them, their paths and the repeated ones."""
    items: Items = {part: {} for part in _PARTS}
    paths: dict[tuple[Part, Key], DataPath] = {}
    repeated: list[tuple[Part, DataPath]] = []

    def put(part: Part, key: Key, item: dict[str, Any], path: DataPath) -> bool:
        if key in items[part]:
            repeated.append((part, path))
            return False
        items[part][key] = item
        paths[part, key] = path
        return True

    for position, initiative in initiatives:
        fields = {name: getattr(initiative, name) for name in _FIELDS["initiative"]}
        fields["indicators"] = initiative.indicator_ids
        if not put("initiative", (initiative.id,), fields, ("initiatives", position)):
            continue
        seen: Counter[tuple[Any, ...]] = Counter()
        for number, line in enumerate(initiative.budget):
            group = (initiative.id, line.year, line.source.value)
            put("budget", (*group, seen[group]), line.model_dump(), ("initiatives", position, "budget", number))
            seen[group] += 1
        for index, link in enumerate(initiative.indicators):
            for year, value in link.expected.items():
                path = ("initiatives", position, "indicators", index, "expected", year)
                put("expected", (initiative.id, link.indicator, year), {"value": value}, path)
    for position, observation in observations:
        own = observation.region in {None, region}
        key = (observation.indicator, None if own else observation.region, observation.year)
        put("observation", key, observation.model_dump(), ("observations", position))
    return items, paths, repeated


def _origin_problem(reading: Reading, message: str, sheet: str | None = None) -> None:
    reading.problems.append(Problem("not-a-template", message, file=reading.shown, sheet=sheet))


def _read_origin(book: Any, reading: Reading, plan: Masterplan) -> tuple[str, Items] | None:
    """Read whose template a workbook is and what it held when written; ``None`` (a problem) if it cannot tell."""
    title = next((name for name in book.sheetnames if name.strip().lower() == ORIGIN_SHEET.lower()), None)
    if title is None:
        message = _(
            "this workbook is not an OPD template: it does not say which OPD it is for "
            "(templates are written by smartcity template; a plan's workbook is read by smartcity import)"
        )
        _origin_problem(reading, message)
        return None
    record: dict[str, Any] = {}
    chunks: list[str] = []
    for cells in book[title].iter_rows(min_row=2, values_only=True):
        key, value = (cells[0], cells[1]) if len(cells) > 1 else (cells[0] if cells else None, None)
        if key == "original":
            chunks.append(unescape_text(str(value or "")))
        elif key is not None:
            record[str(key)] = value
    if record.get("format") != _FORMAT or not isinstance(record.get("opd"), str) or not chunks:
        message = _("the template's record (the hidden sheet {sheet}) is damaged; write a new template").format(
            sheet=repr(ORIGIN_SHEET)
        )
        _origin_problem(reading, message, ORIGIN_SHEET)
        return None
    if record.get("region") != plan.region.id:
        message = _("this template is for the plan of {region}, not for this plan ({plan})").format(
            region=repr(record.get("region")), plan=repr(plan.region.id)
        )
        _origin_problem(reading, message, ORIGIN_SHEET)
        return None
    problems: list[Problem] = []
    try:
        data = parse_yaml("".join(chunks), f"{reading.shown}, {ORIGIN_SHEET}").data
        initiatives = validate_items("initiatives", list(data["initiatives"]), problems, set())
        observations = validate_items("observations", list(data["observations"]), problems, set())
    except (MasterplanError, KeyError, TypeError) as error:  # not the record's YAML, or not its two lists
        problems.append(Problem("not-a-template", str(error)))
    if problems:
        message = _("the template's record (the hidden sheet {sheet}) is damaged; write a new template").format(
            sheet=repr(ORIGIN_SHEET)
        )
        _origin_problem(reading, message, ORIGIN_SHEET)
        return None
    base, _paths, _repeated = _items(initiatives, observations, plan.region.id)
    return record["opd"], base


def _read_returned(path: Path, shown: str, plan: Masterplan) -> _Returned | list[Problem]:
    """Read one returned workbook; its problems if it cannot be merged at all."""
    reading = Reading(shown)
    try:
        book = open_book(path, shown, reading)
    except MasterplanError as error:
        return list(error.problems)
    try:
        with damaged_sheets(shown):
            origin = _read_origin(book, reading, plan)
            if origin is None:
                return reading.problems
            sheets = find_sheets(book, reading, _EDITABLE, (*_REFERENCE, *_CONTEXT_REFERENCE, ORIGIN_SHEET))
            data = read_parts(sheets, reading, ("initiatives", "observations"))
    except MasterplanError as error:
        return list(error.problems)
    finally:
        book.close()
    fixed = with_element_ids(data, plan.framework)
    problems: list[Problem] = []
    initiatives = validate_items("initiatives", list(fixed["initiatives"]), problems, set())
    observations = validate_items("observations", list(fixed["observations"]), problems, set())
    reading.problems.extend(relocated(problems, reading))
    opd, base = origin
    theirs, paths, repeated = _items(initiatives, observations, plan.region.id)
    for part, where in repeated:
        _repeated(reading, part, where, data)
    return _Returned(shown, opd, reading, base, theirs, paths)


def _repeated(reading: Reading, part: Part, path: DataPath, data: Mapping[str, Any]) -> None:
    """Report a row that gives an initiative or an observation the workbook gives already."""
    item = data[str(path[0])][int(path[1])]
    if part == "initiative":
        message = _("{kind} id {id} is used again; an id names one {kind} only").format(
            kind=_("initiative"), id=repr(item.get("id"))
        )
        code, cell = "duplicate-id", locate_cell(reading, (*path, "id"))
    else:
        label = f"{item.get('indicator')}/{item.get('year')}"
        message = _("{id} is observed twice in this workbook; keep one row").format(id=label)
        code, cell = "duplicate-observation", locate_cell(reading, path)
    sheet, row, column = cell if cell is not None else (_PART_SHEETS[part], None, None)
    reading.problem(code, message, sheet, row, column)


# ---------------------------------------------------------------------------------------- merge


@dataclass
class _Proposal:
    """One thing a workbook changes: an item's field, or a whole item (added, or removed when ``new`` is None)."""

    part: Part
    key: Key
    name: str | None
    base: Any
    new: Any
    source: _Returned

    def claims(self) -> dict[str, Any]:
        """Return what this proposal says of the item: whether it exists (``""``) and the values of its fields."""
        if self.name is not None:
            return {"": True, self.name: self.new}
        if self.new is None:
            return {"": False}
        return {"": True, **{name: self.new[name] for name in _FIELDS[self.part]}}

    def cell(self) -> tuple[str, int | None, int | None]:
        """Locate the proposal in its workbook."""
        return self.source.cell(self.part, self.key, self.name)

    def located(self, name: str | None = None) -> str:
        """Return where the proposal is (at the field ``name``, if given), as problems show it."""
        sheet, row, column = self.source.cell(self.part, self.key, name or self.name)
        return place(self.source.shown, row, sheet, column)


def _same(part: Part, one: Mapping[str, Any] | None, other: Mapping[str, Any] | None) -> bool:
    if one is None or other is None:
        return one is other
    return all(one[name] == other[name] for name in _FIELDS[part])


def _proposals(returned: _Returned, ours: Items) -> list[_Proposal]:
    """Return what one workbook changes relative to what it held when written."""
    out = []
    for part in _PARTS:
        base, theirs = returned.base[part], returned.theirs[part]
        for key in dict.fromkeys([*theirs, *base]):
            old, new = base.get(key), theirs.get(key)
            if _same(part, old, new) or (new is None and not returned.complete):
                continue  # a workbook with rows that cannot be read removes nothing
            if old is not None and new is not None and key in ours[part]:
                out += [
                    _Proposal(part, key, name, old[name], new[name], returned)
                    for name in _FIELDS[part]
                    if old[name] != new[name]
                ]
            else:
                out.append(_Proposal(part, key, None, old, new, returned))
    return out


@dataclass
class _Pending:
    """A conflict found, before ``prefer`` resolves it."""

    code: str
    message: str
    proposals: list[_Proposal]
    values: dict[str, Any]
    file: str | None = None
    """The workbook, for a conflict about a whole workbook (located by its file alone)."""
    resolution: str | None = None

    def conflict(self) -> Conflict:
        first = self.proposals[0] if self.proposals else None
        if first is None or self.file is not None:
            return Conflict(self.code, self.message, file=self.file, values=self.values, resolution=self.resolution)
        sheet, row, column = first.cell()
        return Conflict(
            self.code,
            self.message,
            part=first.part,
            key=first.key,
            file=first.source.shown,
            sheet=sheet,
            line=row,
            column=column,
            values=self.values,
            resolution=self.resolution,
        )


#: Conflicts about what another OPD owns (or about a workbook of an OPD the plan does not have).
_OWNER_CODES = frozenset({"not-lead", "not-custodian", "unknown-opd"})


class _Merge:
    """The state of one merge: the plan's items, the proposals of every workbook, the conflicts found."""

    def __init__(self, plan: Masterplan, returned: Sequence[_Returned]) -> None:
        self.plan = plan
        self.returned = returned
        self.ours, _paths, _repeated = _items(enumerate(plan.initiatives), enumerate(plan.observations), plan.region.id)
        self.opds = {body.id for body in plan.opds}
        self.custodians = {indicator.id: indicator.custodian for indicator in plan.indicators}
        self.pending: list[_Pending] = []
        self.proposals: list[_Proposal] = []
        self.noop: set[int] = set()
        self.trespass: set[int] = set()
        """Proposals about what another OPD owns (or from an OPD not in the plan): never a disagreement."""

    def current(self, proposal: _Proposal) -> Any:
        item = self.ours[proposal.part].get(proposal.key)
        return item if proposal.name is None or item is None else item[proposal.name]

    def add(self, code: str, message: str, proposals: list[_Proposal], values: dict[str, Any]) -> None:
        self.pending.append(_Pending(code, message, proposals, values))

    def find(self) -> None:
        """Gather every workbook's proposals and the conflicts among them, the plan and the OPDs."""
        for returned in self.returned:
            proposals = _proposals(returned, self.ours)
            self.proposals += proposals
            self.noop.update(id(proposal) for proposal in proposals if self.settled(proposal))
            if returned.opd not in self.opds:
                message = _("this workbook is for the OPD {id}, which is not in the plan{hint}").format(
                    id=repr(returned.opd), hint=suggest(returned.opd, self.opds)
                )
                values = {returned.shown: returned.opd}
                self.pending.append(_Pending("unknown-opd", message, proposals, values, file=returned.shown))
                self.trespass.update(id(proposal) for proposal in proposals)
                continue
            for proposal in proposals:
                if id(proposal) in self.noop:
                    continue
                if self.owner_conflicts(proposal):
                    self.trespass.add(id(proposal))
                else:
                    self.stale_conflicts(proposal)
        self.disagreements()

    def settled(self, proposal: _Proposal) -> bool:
        """Tell whether the plan already holds what the proposal gives (nothing to change)."""
        now = self.current(proposal)
        return _same(proposal.part, now, proposal.new) if proposal.name is None else now == proposal.new

    def lead_of(self, proposal: _Proposal) -> str | None:
        initiative = (proposal.key[0],)
        plan_item = self.ours["initiative"].get(initiative)
        if plan_item is not None:
            return str(plan_item["lead"])
        own = proposal.source.theirs["initiative"].get(initiative)
        return None if own is None else str(own["lead"])

    def owner_of(self, part: Part, key: Key) -> str | None:
        """Return the OPD a plan's item belongs to: an initiative's lead, an indicator's custodian."""
        if part == "observation":
            return self.custodians.get(key[0])
        item = self.ours["initiative"].get((key[0],))
        return None if item is None else str(item["lead"])

    def owner_conflicts(self, proposal: _Proposal) -> bool:
        """Report a proposal about what another OPD leads or is custodian of."""
        opd, subject = proposal.source.opd, _subject(proposal.part, proposal.key)
        values = {proposal.source.shown: proposal.new, "plan": self.current(proposal)}
        if proposal.part == "observation":
            custodian = self.custodians.get(proposal.key[0])
            if custodian is None or custodian == opd:
                return False
            message = _(
                "{subject}: the custodian of {indicator} is {custodian}, not {opd}; "
                "its observations come from its custodian's workbook"
            ).format(subject=subject, indicator=proposal.key[0], custodian=custodian, opd=opd)
            self.add("not-custodian", message, [proposal], values)
            return True
        lead = self.lead_of(proposal)  # a lead that is no OPD of the plan is a problem the plan's validation locates
        if lead is not None and lead != opd and lead in self.opds:
            message = _("{subject}: initiative {id} is led by {lead}, not by {opd}").format(
                subject=subject, id=repr(proposal.key[0]), lead=lead, opd=opd
            )
            self.add("not-lead", message, [proposal], values)
            return True
        if proposal.part == "initiative" and proposal.name in {None, "lead"}:
            new = proposal.new if proposal.name == "lead" else (proposal.new or {}).get("lead", opd)
            if new != opd and new in self.opds:
                message = _("{subject} would be led by {lead}; a workbook of {opd} gives only initiatives it leads")
                self.add("not-lead", message.format(subject=subject, lead=new, opd=opd), [proposal], values)
                return True
        return False

    def stale_conflicts(self, proposal: _Proposal) -> bool:
        """Report a proposal about a value the plan has changed since the template was written."""
        now = self.current(proposal)
        unchanged = _same(proposal.part, now, proposal.base) if proposal.name is None else now == proposal.base
        if unchanged:
            return False
        subject = _subject(proposal.part, proposal.key)
        if proposal.name is not None:
            message = _(
                "{subject}: the plan has changed {field} since this template was written ({base} → {plan}); "
                "the workbook gives {new}"
            ).format(
                subject=subject,
                field=proposal.name,
                base=_shown(proposal.base),
                plan=_shown(now),
                new=_shown(proposal.new),
            )
        elif now is None:
            message = _("{subject}: the plan has removed it since this template was written; the workbook changes it")
            message = message.format(subject=subject)
        elif proposal.new is None:
            message = _(
                "{subject}: the workbook removes it, but the plan has changed it since this template was written"
            )
            message = message.format(subject=subject)
        else:
            message = _("{subject}: the plan has it since this template was written, with other values")
            message = message.format(subject=subject)
        values = {"template": proposal.base, "plan": now, proposal.source.shown: proposal.new}
        self.add("stale", message, [proposal], values)
        return True

    def disagreements(self) -> None:
        """Report the items two workbooks give differently."""
        groups: dict[tuple[Part, Key], list[_Proposal]] = {}
        for proposal in self.proposals:
            if id(proposal) not in self.trespass:  # another OPD's item: its own conflict says so, no outvoting
                groups.setdefault((proposal.part, proposal.key), []).append(proposal)
        for (part, key), group in groups.items():
            if len({id(proposal.source) for proposal in group}) < 2:  # noqa: PLR2004 - two workbooks disagree
                continue
            claims = [proposal.claims() for proposal in group]
            differing = next(
                (
                    name
                    for name in dict.fromkeys(name for claim in claims for name in claim)
                    if len(_distinct([claim[name] for claim in claims if name in claim])) > 1
                ),
                None,
            )
            if differing is None:
                continue
            said = []
            for proposal, claim in zip(group, claims, strict=True):
                if differing not in claim:
                    continue
                where = proposal.located(differing or None)
                if claim.get("") is False:
                    said.append(_("{where} removes it").format(where=where))
                elif not differing:
                    said.append(_("{where} gives it").format(where=where))
                else:
                    said.append(_("{where} gives {value}").format(where=where, value=_shown(claim[differing])))
            what = _subject(part, key) + (f" ({differing})" if differing else "")
            message = _("the workbooks disagree on {what}: {claims}").format(what=what, claims="; ".join(said))
            values = {
                proposal.source.shown: claim.get(differing) if claim.get("") is not False else None
                for proposal, claim in zip(group, claims, strict=True)
                if differing in claim
            }
            self.add("disagreement", message, group, values)

    def resolve(self, prefer: Prefer | None) -> list[_Proposal]:
        """Resolve the conflicts as ``prefer`` says; return the proposals to apply."""
        dropped: set[int] = set()
        if prefer is None:
            dropped.update(id(proposal) for pending in self.pending for proposal in pending.proposals)
        elif prefer == "plan":
            for pending in self.pending:
                pending.resolution = "plan"
                dropped.update(id(proposal) for proposal in pending.proposals)
        else:
            lost: dict[int, str | None] = {}  # proposals that lost a disagreement: to whom, if anyone
            for pending in self.pending:
                if pending.code == "disagreement":
                    pending.resolution = self.winner(pending)
                    lost |= {
                        id(proposal): pending.resolution
                        for proposal in pending.proposals
                        if pending.resolution is None or proposal.source.shown != pending.resolution
                    }
            dropped.update(lost)
            owned = self.owners_proposals()
            for pending in self.pending:
                if pending.code in _OWNER_CODES:  # the owner's own workbook, where it speaks of the item, wins
                    beaten = [p for p in pending.proposals if (p.part, p.key) in owned]
                    dropped.update(id(p) for p in beaten)
                    owner = owned.get((beaten[0].part, beaten[0].key)) if beaten else None
                    pending.resolution = owner or pending.proposals[0].source.shown
                elif pending.code != "disagreement":
                    ids = [id(proposal) for proposal in pending.proposals]
                    first = pending.file or (pending.proposals[0].source.shown if pending.proposals else None)
                    pending.resolution = lost[ids[0]] if ids and all(i in lost for i in ids) else first
        return [p for p in self.proposals if id(p) not in dropped and id(p) not in self.noop]

    def owners_proposals(self) -> dict[tuple[Part, Key], str]:
        """Return the items the owner's own workbook proposes something about, with that workbook."""
        return {
            (proposal.part, proposal.key): proposal.source.shown
            for proposal in self.proposals
            if id(proposal) not in self.trespass and proposal.source.opd == self.owner_of(proposal.part, proposal.key)
        }

    def winner(self, pending: _Pending) -> str | None:
        """Return the workbook that wins a disagreement: the owner's, if exactly its values are given."""
        first = pending.proposals[0]
        owner = self.owner_of(first.part, first.key)
        winners = [proposal for proposal in pending.proposals if proposal.source.opd == owner]
        shown = {proposal.source.shown for proposal in winners}
        if len(shown) == 1 and len(_distinct([proposal.claims() for proposal in winners])) == 1:
            return shown.pop()
        return None


def _distinct(values: Iterable[Any]) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if all(value != seen for seen in out):
            out.append(value)
    return out


#: The workbook a merged value came from, with its place in that workbook's data; ``None`` for the plan's own.
Origin = tuple[_Returned, DataPath] | None


@dataclass
class _Merged:
    """The plan's items with the proposals applied, and the workbook each applied value came from."""

    items: Items
    origins: dict[tuple[Part, Key, str | None], Origin] = field(default_factory=dict)
    applied: dict[tuple[Part, Key], list[_Proposal]] = field(default_factory=dict)

    @classmethod
    def of(cls, ours: Items, proposals: Iterable[_Proposal]) -> _Merged:
        merged = cls({part: dict(items) for part, items in ours.items()})
        for proposal in proposals:
            items, key = merged.items[proposal.part], proposal.key
            path = proposal.source.paths.get((proposal.part, key))
            origin = None if path is None else (proposal.source, path)
            merged.applied.setdefault((proposal.part, key), []).append(proposal)
            if proposal.name is None and proposal.new is None:
                items.pop(key, None)
            elif proposal.name is None:
                items[key] = dict(proposal.new)
                merged.origins[proposal.part, key, None] = origin
            elif key in items:
                items[key] = {**items[key], proposal.name: proposal.new}
                merged.origins[proposal.part, key, proposal.name] = origin
        return merged

    def origin(self, part: Part, key: Key, name: str | None = None) -> Origin:
        """Return the workbook (and the path in its data) a value came from, ``None`` for the plan's own.

        Without ``name``, the item's: where it was given whole, else where one of its fields was changed.
        """
        if name is not None and (part, key, name) in self.origins:
            return self.origins[part, key, name]
        if name is None and (part, key, None) not in self.origins:
            return next((origin for (p, k, _n), origin in self.origins.items() if (p, k) == (part, key)), None)
        return self.origins.get((part, key, None))

    def changes(self, ours: Items) -> list[Change]:
        """Return what the merge changes in the plan's items ``ours``, located at the first workbook it comes from."""
        out = []
        for part in _PARTS:
            before_items, after_items = ours[part], self.items[part]
            for key in dict.fromkeys([*before_items, *after_items]):
                before, after = before_items.get(key), after_items.get(key)
                if _same(part, before, after):
                    continue
                names = [n for n in _FIELDS[part] if before is None or after is None or before[n] != after[n]]
                action: Action = "added" if before is None else "removed" if after is None else "changed"
                proposals = self.applied.get((part, key), [])
                workbooks = tuple(dict.fromkeys(proposal.source.shown for proposal in proposals))
                located = next((p for p in proposals if action != "changed" or p.name in names), None)
                sheet, row, column = located.cell() if located is not None else (None, None, None)
                if action == "changed" and len(names) > 1 and located is not None and located.name is not None:
                    column = 1  # several fields: the row, by its first cell
                out.append(
                    Change(
                        part,
                        key,
                        action,
                        before={} if before is None else {n: before[n] for n in names},
                        after={} if after is None else {n: after[n] for n in names},
                        workbooks=workbooks,
                        sheet=sheet,
                        line=row,
                        column=column,
                    )
                )
        return out

    def data(self, plan: Masterplan) -> tuple[dict[str, Any], dict[DataPath, Origin], list[Problem]]:
        """Return the merged plan's data, the origin of each of its paths, and what cannot be put together."""
        where: dict[DataPath, Origin] = {}
        budget: dict[Any, list[tuple[Key, dict[str, Any]]]] = {}
        for key, line in self.items["budget"].items():
            budget.setdefault(key[0], []).append((key, line))
        expected: dict[tuple[Any, Any], list[tuple[Key, float]]] = {}
        for key, item in self.items["expected"].items():
            expected.setdefault((key[0], key[1]), []).append((key, item["value"]))
        initiatives = [
            self.initiative(("initiatives", position), key, fields, budget, expected, where)
            for position, (key, fields) in enumerate(self.items["initiative"].items())
        ]
        problems = [self.orphan("budget", line_key) for lines in budget.values() for line_key, _line in lines]
        problems += [self.orphan("expected", value_key) for values in expected.values() for value_key, _v in values]
        observations = []
        for position, (key, item) in enumerate(self.items["observation"].items()):
            observations.append(item)
            where["observations", position] = self.origin("observation", key)
        header = {name: getattr(plan, name) for name in PlanHeader.model_fields}
        data = {**header, **{section: list(getattr(plan, section)) for section in LIST_SECTIONS}}
        data |= {"initiatives": initiatives, "observations": observations}
        return data, where, problems

    def initiative(  # noqa: PLR0913, PLR0917 - the pieces of one initiative, taken out of the merged parts
        self,
        prefix: DataPath,
        key: Key,
        fields: Mapping[str, Any],
        budget: dict[Any, list[tuple[Key, dict[str, Any]]]],
        expected: dict[tuple[Any, Any], list[tuple[Key, float]]],
        where: dict[DataPath, Origin],
    ) -> dict[str, Any]:
        """Return one merged initiative's data with its budget lines and expected values (taken out of theirs)."""
        item = {name: value for name, value in fields.items() if name != "indicators"}
        where[prefix] = self.origin("initiative", key)
        for name in _FIELDS["initiative"]:
            where[(*prefix, name)] = _shifted(self.origin("initiative", key, name), name)
        item["budget"] = []
        for number, (line_key, line) in enumerate(budget.pop(key[0], [])):
            item["budget"].append(line)
            where[(*prefix, "budget", number)] = self.origin("budget", line_key)
        item["indicators"] = []
        for index, indicator in enumerate(fields["indicators"]):
            values = expected.pop((key[0], indicator), [])
            item["indicators"].append({"indicator": indicator, "expected": {k[2]: v for k, v in values}})
            for value_key, _value in values:
                where[(*prefix, "indicators", index, "expected", value_key[2])] = self.origin("expected", value_key)
        return item

    def orphan(self, part: Part, key: Key) -> Problem:
        """Report a budget line or expected value left without its initiative or indicator link by the merge."""
        subject = _subject(part, key)
        if (key[0],) in self.items["initiative"]:
            message = _("{subject}: the merged initiative no longer lists the indicator {indicator}").format(
                subject=subject, indicator=key[1]
            )
        else:
            message = _("{subject}: the merge leaves it without its initiative {id}").format(
                subject=subject, id=repr(key[0])
            )
        problem = Problem("dangling-reference", message, kind="initiative", id=str(key[0]))
        own = self.origin(part, key)
        if own is not None:
            return _located(problem, own, ())
        return _located(problem, self.origin("initiative", (key[0],), "indicators"), ("indicators",))


def _shifted(origin: Origin, name: str) -> Origin:
    """Return the origin of one field of an item: its path in the workbook's data, down to the field."""
    return None if origin is None else (origin[0], (*origin[1], name))


def _located(problem: Problem, origin: Origin, rest: DataPath) -> Problem:
    if origin is None:
        return problem
    returned, path = origin
    cell = locate_cell(returned.reading, (*path, *rest))
    if cell is None:
        return dataclasses.replace(problem, file=returned.shown)
    sheet, row, column = cell
    return dataclasses.replace(problem, file=returned.shown, sheet=sheet, line=row, column=column)


def _relocate(problems: Iterable[Problem], where: Mapping[DataPath, Origin]) -> list[Problem]:
    """Locate the merged plan's problems in the workbooks their values came from, where they did."""
    out = []
    for problem in problems:
        path = problem.path
        end = next((end for end in range(len(path), 0, -1) if path[:end] in where), 0)
        out.append(_located(problem, where[path[:end]], path[end:]) if end else problem)
    return out


def merge_templates(plan: Masterplan, workbooks: Iterable[str | Path], *, prefer: Prefer | None = None) -> MergeResult:
    """Merge the OPD workbooks returned (templates filled in) into ``plan``; report changes, conflicts, problems.

    Each workbook is compared with what it held when written (three ways: template, workbook,
    plan): what the OPD did not change is left as the plan has it now. Conflicts (see
    :data:`CONFLICT_CODES`) stand unless ``prefer`` resolves them: ``"plan"`` keeps the plan's
    value wherever there is a conflict; ``"workbook"`` takes the workbook's, and between
    workbooks that disagree, the one of the OPD that leads the initiative or is custodian of the
    indicator (a disagreement without it stands). Problems are located by file, sheet, row and
    column; the merged plan is validated as a whole. ``result.plan`` is ``None`` while a conflict
    stands or a problem remains. Nothing is written: save ``result.plan`` with :func:`~smartcity_model.dump`.
    """
    if prefer not in {None, "workbook", "plan"}:
        msg = f"prefer must be 'workbook', 'plan' or None, not {prefer!r}"
        raise ValueError(msg)
    problems: list[Problem] = []
    returned: list[_Returned] = []
    for path in workbooks:
        read = _read_returned(Path(path), str(path), plan)
        if isinstance(read, _Returned):
            returned.append(read)
            problems += read.reading.problems
        else:
            problems += read
    merge = _Merge(plan, returned)
    merge.find()
    merged = _Merged.of(merge.ours, merge.resolve(prefer))
    data, where, orphans = merged.data(plan)
    problems += orphans
    result_plan = None
    try:
        result_plan = Masterplan.from_dict(data)
    except MasterplanError as error:
        problems += _relocate(error.problems, where)
    conflicts = tuple(pending.conflict() for pending in merge.pending)
    ok = not problems and all(conflict.resolution is not None for conflict in conflicts)
    return MergeResult(
        plan=result_plan if ok else None,
        changes=tuple(merged.changes(merge.ours)),
        conflicts=conflicts,
        problems=tuple(MasterplanError(problems).problems) if problems else (),
        workbooks={r.shown: r.opd for r in returned},
        prefer=prefer,
    )
