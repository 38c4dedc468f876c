"""Masterplans as Excel workbooks, both ways: one sheet per part, Indonesian headers, dropdowns.

Planners exchange data in Excel. :func:`write_workbook` writes a plan as a workbook a planner can
fill in: a *Petunjuk* (instructions) sheet, *Rencana* (region, period, framework, document),
*OPD*, *Indikator*, *Inisiatif*, *Anggaran* (budget lines), *Harapan* (expected values) and
*Observasi*; headers in Bahasa Indonesia (English headers are read too), frozen header rows,
column widths to fit, and dropdowns for ids, elements, sectors, horizons and funding sources.
:func:`read_workbook` reads one back into a plan; every problem is located by sheet, row and
column as Excel shows them (``plan.xlsx, Inisiatif!C5``). The round trip is lossless.

Needs the ``excel`` extra (openpyxl): ``pip install "smartcity-model[excel]"``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import difflib
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from smartcity_model.errors import MasterplanError, Problem, SmartCityError, column_letters, warn_caller
from smartcity_model.i18n import N_, _, n_
from smartcity_model.io.yamlfile import MAX_FILE_BYTES, format_yaml, parse_yaml, read_bytes
from smartcity_model.model import FundingSource, Horizon, InitiativeStatus, Masterplan, ObservationStatus, OPDKind
from smartcity_model.model.alignment import GoalLevel, PlanningDocument
from smartcity_model.model.analysis import IssueKind
from smartcity_model.model.area import AreaKind
from smartcity_model.model.assemble import referenced_sections
from smartcity_model.model.governance import BodyKind
from smartcity_model.model.sectors import SECTORS
from smartcity_model.model.stakeholder import PentahelixRole
from smartcity_model.numerals import AmbiguousNumberError, read_number

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "EXCEL_SUFFIXES",
    "ExcelUnavailableError",
    "column_header",
    "damaged_sheets",
    "read_workbook",
    "tables_workbook",
    "write_workbook",
]

#: Suffixes of the workbooks read and written.
EXCEL_SUFFIXES = frozenset({".xlsx"})
#: Excel keeps at most this many characters in a cell.
_CELL_LIMIT = 32_767

Kind = Literal["text", "int", "number", "list", "lines", "yaml", "any"]


class ExcelUnavailableError(SmartCityError, ImportError):
    """openpyxl, which reads and writes workbooks, is not installed."""


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - an optional extra, imported on use
    except ImportError:
        msg = _('Excel workbooks need openpyxl: pip install "smartcity-model[excel]"')
        raise ExcelUnavailableError(msg) from None
    return openpyxl


@dataclass(frozen=True)
class _Column:
    key: str
    """Dotted key into an item's data (``bounds.min``)."""
    header: str
    """Indonesian header."""
    kind: Kind
    english: str = ""
    """English header, also read (default: the key)."""

    @property
    def names(self) -> set[str]:
        return {self.header.lower(), (self.english or self.key).lower(), self.key.lower()}


def _c(key: str, header: str, kind: Kind = "text", english: str = "") -> _Column:
    return _Column(key, header, kind, english)


_ID, _NAME, _NAME_EN = _c("id", "id"), _c("name", "nama", english="name"), _c("name_en", "nama_en")
_SHEETS: dict[str, tuple[_Column, ...]] = {
    "OPD": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("acronym", "akronim"),
        _c("sector", "sektor"),
        _c("kind", "jenis"),
        _c("focal_point", "narahubung"),
        _c("note", "catatan"),
    ),
    "Indikator": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("description", "deskripsi"),
        _c("unit", "satuan"),
        _c("element", "elemen"),
        _c("pillar", "pilar"),
        _c("direction", "arah"),
        _c("band.low", "pita_bawah", "number"),
        _c("band.high", "pita_atas", "number"),
        _c("bounds.min", "batas_bawah", "number"),
        _c("bounds.max", "batas_atas", "number"),
        _c("normalisation", "normalisasi", "yaml"),
        _c("weight", "bobot", "number"),
        _c("baseline.year", "baseline_tahun", "int"),
        _c("baseline.value", "baseline_nilai", "number"),
        _c("targets", "target", "yaml"),
        _c("custodian", "wali_data"),
        _c("source", "sumber"),
        _c("code", "kode"),
        _c("goals", "tujuan", "list", "goals"),
    ),
    "Inisiatif": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("description", "deskripsi"),
        _c("lead", "opd_pengusul", english="lead"),
        _c("supporting", "opd_pendukung", "list", "supporting"),
        _c("elements", "elemen", "list", "elements"),
        _c("indicators", "indikator", "list", "indicators"),
        _c("depends_on", "prasyarat", "list"),
        _c("start_year", "tahun_mulai", "int"),
        _c("end_year", "tahun_selesai", "int"),
        _c("horizon", "horizon"),
        _c("status", "status"),
        _c("goals", "tujuan", "list", "goals"),
        _c("addresses", "isu", "list", "addresses"),
        _c("stakeholders", "mitra", "list", "stakeholders"),
        _c("areas", "lokasi", "list", "areas"),
    ),
    "Anggaran": (
        _c("initiative", "inisiatif"),
        _c("year", "tahun", "int"),
        _c("amount", "jumlah_rupiah", "number", "amount"),
        _c("source", "sumber_dana", english="source"),
        _c("code", "kode_nomenklatur", english="code"),
        _c("note", "catatan"),
    ),
    "Harapan": (
        _c("initiative", "inisiatif"),
        _c("indicator", "indikator"),
        _c("year", "tahun", "int"),
        _c("value", "nilai", "number"),
    ),
    "Observasi": (
        _c("indicator", "indikator"),
        _c("year", "tahun", "int"),
        _c("value", "nilai", "number"),
        _c("region", "wilayah"),
        _c("status", "status"),
        _c("source", "sumber"),
        _c("note", "catatan"),
    ),
    "Tujuan": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("level", "tingkat"),
        _c("document", "dokumen"),
        _c("parent", "induk"),
        _c("opd", "opd"),
        _c("code", "kode"),
        _c("indicators", "indikator", "list", "indicators"),
    ),
    "Isu": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("kind", "jenis"),
        _c("dimension", "dimensi"),
        _c("evidence", "bukti"),
        _c("indicators", "indikator", "list", "indicators"),
    ),
    "Visi": (
        _c("dimension", "dimensi"),
        _c("vision", "visi"),
        _c("vision_en", "visi_en"),
        _c("missions", "misi", "lines", "missions"),
    ),
    "Mitra": (_ID, _NAME, _NAME_EN, _c("role", "peran"), _c("acronym", "akronim"), _c("note", "catatan")),
    "Lembaga": (
        _ID,
        _NAME,
        _NAME_EN,
        _c("kind", "jenis"),
        _c("decree.number", "sk_nomor"),
        _c("decree.date", "sk_tanggal", "any"),
        _c("decree.title", "sk_judul"),
        _c("chair", "ketua"),
        _c("members", "anggota", "list", "members"),
    ),
    "Lokasi": (_ID, _NAME, _NAME_EN, _c("kind", "jenis"), _c("parent", "induk"), _c("code", "kode")),
    "Kesiapan": (
        _c("question", "pertanyaan"),
        _c("year", "tahun", "int"),
        _c("level", "tingkat", "int"),
        _c("evidence", "bukti"),
        _c("assessor", "penilai"),
    ),
    "Realisasi": (
        _c("initiative", "inisiatif"),
        _c("year", "tahun", "int"),
        _c("status", "status"),
        _c("physical", "fisik_persen", "number"),
        _c("realised", "realisasi_rp", "number"),
        _c("note", "catatan"),
    ),
}
_PLAN_SHEET, _LISTS_SHEET, _README_SHEET = "Rencana", "Daftar", "Petunjuk"
#: The optional sheets: the plan's context (alignment, analysis, partners, governance, places, readiness), progress.
CONTEXT_SHEETS = ("Tujuan", "Isu", "Visi", "Mitra", "Lembaga", "Lokasi", "Kesiapan", "Realisasi")


def column_header(sheet: str, key: str) -> str:
    """Return the header of the column holding ``key`` in ``sheet`` (``tahun_mulai`` for ``start_year``)."""
    return next((column.header for column in _SHEETS.get(sheet, ()) if column.key == key), key)


#: Keys of the plan sheet whose values are one-line YAML (a list).
_PLAN_YAML = frozenset({"document.authors", "pillars", "questionnaire"})
_SECTION_OF = {
    "OPD": "opds",
    "Indikator": "indicators",
    "Inisiatif": "initiatives",
    "Observasi": "observations",
    "Tujuan": "goals",
    "Isu": "issues",
    "Visi": "visions",
    "Mitra": "stakeholders",
    "Lembaga": "bodies",
    "Lokasi": "areas",
    "Kesiapan": "assessment",
    "Realisasi": "progress",
}
_SHEET_OF = {section: sheet for sheet, section in _SECTION_OF.items()}
#: Labels of the plan sheet's keys (the keys themselves are read).
_PLAN_LABELS = {
    "format_version": "versi format",
    "region.id": "id wilayah",
    "region.name": "nama wilayah",
    "region.name_en": "nama wilayah (Inggris)",
    "region.kind": "jenis: kabupaten atau kota",
    "region.code": "kode Kemendagri",
    "region.bps_code": "kode BPS",
    "region.capital": "ibu kota",
    "region.population": "jumlah penduduk",
    "region.population_year": "tahun data penduduk",
    "region.parent": "id provinsi",
    "period.start": "tahun awal periode",
    "period.end": "tahun akhir periode",
    "framework": "kerangka (gm100sc, atau YAML kerangka sendiri)",
    "document.title": "judul dokumen",
    "document.status": "status dokumen: draft, final, enacted",
}
_README = (
    ("Masterplan Smart City", ""),
    ("Petunjuk (Bahasa Indonesia)", "Instructions (English)"),
    (
        "Isi satu baris per OPD, indikator, inisiatif, baris anggaran, nilai harapan dan observasi.",
        "Fill in one row per OPD, indicator, initiative, budget line, expected value and observation.",
    ),
    (
        "Kolom berwarna memakai daftar pilihan (dropdown): id OPD, elemen, sektor, horizon, sumber dana.",
        "Coloured columns offer dropdowns: OPD ids, elements, sectors, horizons, funding sources.",
    ),
    (
        "Beberapa id dalam satu sel dipisah koma: diskominfo, dinkes.",
        "Several ids in one cell are separated by commas: diskominfo, dinkes.",
    ),
    (
        "Angka boleh ditulis 79,5 atau 1.250.000 (format Indonesia) atau 79.5.",
        "Numbers may be written 79,5 or 1.250.000 (Indonesian) or 79.5.",
    ),
    (
        "Periksa dengan: smartcity import FILE.xlsx FOLDER lalu smartcity check FOLDER",
        "Check with: smartcity import FILE.xlsx FOLDER then smartcity check FOLDER",
    ),
)


# ------------------------------------------------------------------------------------ write


#: Characters a worksheet cannot hold (XML 1.0; a carriage return would come back as a line feed),
#: written as Excel's own escapes ``_xHHHH_``.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x0d\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")
_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


#: Line breaks inside one item of a ``lines`` cell (the cell's own lines separate the items).
_LINE_BREAKS = re.compile("[\n\x85\u2028\u2029]")


def escape_text(text: str) -> str:
    """Write control characters as ``_x0001_``; a literal ``_x0041_`` keeps its underscore as ``_x005F_``."""
    return _UNWRITABLE.sub(
        lambda m: f"_x{ord(m.group()):04X}_" if len(m.group()) == 1 else "_x005F_" + m.group()[1:], text
    )


def unescape_text(text: str) -> str:
    """Read Excel's ``_xHHHH_`` escapes back as the characters they stand for."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, Mapping) and all(isinstance(key, str) for key in value):
        flat: dict[str, Any] = {}
        for key, item in value.items():
            flat.update(_flatten(item, f"{prefix}{key}."))
        return flat
    return {prefix[:-1]: value}


def _cell(value: Any, kind: Kind, where: str) -> Any:
    """Write one value as its column's kind: lists joined by commas, mappings as one-line YAML."""
    if value is None:
        return None
    if kind == "list":
        return ", ".join(str(item) for item in value)
    if kind == "lines":  # one item a line: a break inside an item is escaped, as control characters are
        escaped = (_LINE_BREAKS.sub(lambda m: f"_x{ord(m.group()):04X}_", escape_text(str(item))) for item in value)
        return "\n".join(escaped)
    if isinstance(value, dict | list):
        return _flow(value)
    if isinstance(value, float) and float(f"{value:.15g}") != value:
        return repr(value)  # Excel keeps 15 significant digits: a longer number is kept whole as text
    if isinstance(value, str):
        value = escape_text(value)
        if len(value) > _CELL_LIMIT:
            msg = _("{where} holds {n} characters; an Excel cell holds at most {limit}").format(
                where=where, n=f"{len(value):,}", limit=f"{_CELL_LIMIT:,}"
            )
            raise ValueError(msg)
    return value


def _flow(value: Any) -> str:
    """Write a small mapping or list on one line: ``{2030: 80}``."""
    import yaml  # noqa: PLC0415 - PyYAML is a dependency; only the flow style is needed here

    return str(yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6)).strip()


def part_rows(plan: Masterplan) -> dict[str, list[dict[str, Any]]]:
    """Return the rows of each part sheet (``OPD``, ``Inisiatif``...), as flat mappings of column keys."""
    from smartcity_model.io.plan import plan_to_data  # noqa: PLC0415 - plan imports this module

    data = plan_to_data(plan)
    rows: dict[str, list[dict[str, Any]]] = {sheet: [] for sheet in _SHEETS}
    rows["OPD"] = [_flatten(item) for item in data["opds"]]
    rows["Indikator"] = [
        {**_flatten({k: v for k, v in item.items() if k not in {"normalisation", "targets"}}), **_keep(item)}
        for item in data["indicators"]
    ]
    for item in data["initiatives"]:
        links = item.get("indicators", [])
        ids = [link if isinstance(link, str) else link["indicator"] for link in links]
        flat = {k: v for k, v in item.items() if k not in {"budget", "indicators"}}
        rows["Inisiatif"].append({**_flatten(flat), "indicators": ids or None})
        rows["Anggaran"] += [{"initiative": item["id"], **line} for line in item.get("budget", [])]
        for link in links:
            if isinstance(link, dict):
                rows["Harapan"] += [
                    {"initiative": item["id"], "indicator": link["indicator"], "year": year, "value": value}
                    for year, value in link.get("expected", {}).items()
                ]
    rows["Observasi"] = list(data["observations"])
    for sheet in CONTEXT_SHEETS:
        rows[sheet] = [_flatten(item) for item in data.get(_SECTION_OF[sheet], [])]
    return rows


def _keep(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: item[key] for key in ("normalisation", "targets") if key in item}


def _header_rows(plan: Masterplan) -> list[tuple[str, Any]]:
    from smartcity_model.io.plan import plan_to_data  # noqa: PLC0415 - plan imports this module

    data = plan_to_data(plan)
    header = {key: value for key, value in data.items() if key not in _SECTION_OF.values()}
    framework = header.pop("framework")
    whole = [(key, header.pop(key)) for key in ("questionnaire",) if key in header]  # one cell, not flattened
    rows = [*_flatten(header).items(), *whole]
    rows.insert(rows.index(next(r for r in rows if r[0] == "period.end")) + 1, ("framework", framework))
    return [(key, _plan_cell(key, value)) for key, value in rows]


def _plan_cell(key: str, value: Any) -> Any:
    """Return a plan-sheet value: a framework of one's own as YAML text, a list as one-line YAML."""
    if key in {"framework", "questionnaire"} and isinstance(value, dict):
        return format_yaml(value).rstrip()
    return _flow(value) if isinstance(value, dict | list) else value


def write_workbook(plan: Masterplan) -> bytes:
    """Return the plan as an ``.xlsx`` workbook (bytes), ready for planners to fill in."""
    return book_bytes(build_workbook(plan, _README, part_rows(plan)))


def build_workbook(
    plan: Masterplan,
    readme: Sequence[tuple[str, str]],
    rows: Mapping[str, Sequence[Mapping[str, Any]]],
    *,
    plan_sheet: bool = True,
    locked: Iterable[str] = (),
) -> Workbook:
    """Lay out a workbook: the instructions ``readme``, the plan sheet, one sheet per part of ``rows``, dropdowns.

    ``rows`` maps part sheets (``Inisiatif``...) to their rows, in the order the sheets come;
    the sheets named in ``locked`` are protected, for reference only.
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415 - optional extra
    from openpyxl.worksheet.datavalidation import DataValidation  # noqa: PLC0415 - optional extra

    book: Workbook = openpyxl.Workbook()
    sheet = book.create_sheet(_README_SHEET, 0)
    book.remove(book.worksheets[1])  # the empty sheet every new workbook starts with
    for line in readme:
        sheet.append([_cell(text, "text", f"{_README_SHEET} row {sheet.max_row + 1}") for text in line])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 90
    sheet.column_dimensions["B"].width = 90
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")

    if plan_sheet:
        sheet = book.create_sheet(_PLAN_SHEET)
        sheet.append(["kunci", "keterangan", "nilai"])
        for key, value in _header_rows(plan):
            sheet.append([key, _PLAN_LABELS.get(key, ""), _cell(value, "any", f"{_PLAN_SHEET} {key}")])
            _as_text(sheet[sheet.max_row])
        _dress(sheet, bold, widths=(24, 44, 60))
        for row in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")

    for name, items in rows.items():
        columns = _SHEETS[name]
        sheet = book.create_sheet(name)
        sheet.append([column.header for column in columns])
        for number, item in enumerate(items, start=2):
            sheet.append([_cell(item.get(c.key), c.kind, f"{name} row {number}, {c.header}") for c in columns])
            _as_text(sheet[number])
        _dress(sheet, bold)
    _lists(book, plan, DataValidation, fill)
    for name in locked:
        book[name].protection.sheet = True
    return book


def book_bytes(book: Workbook) -> bytes:
    """Return a workbook saved as ``.xlsx`` bytes."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _as_text(cells: Iterable[Any]) -> None:
    """Keep text that begins with ``=`` as text: Excel would take it for a formula."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def _dress(sheet: Worksheet, bold: Any, widths: Sequence[int] = ()) -> None:
    """Bold, frozen header; columns as wide as their content (within reason)."""
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "B2"
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max((len(str(cell.value)) for cell in column if cell.value is not None), default=8)
        width = widths[index - 1] if index <= len(widths) else min(max(longest + 2, 10), 50)
        sheet.column_dimensions[column_letters(index)].width = width


def _lists(book: Workbook, plan: Masterplan, validation: Any, fill: Any) -> None:
    """Add a hidden sheet of choices, and dropdowns that use it."""
    choices = {
        "sektor": sorted({*SECTORS, *(o.sector for o in plan.opds)}),
        "jenis_opd": [kind.value for kind in OPDKind],
        "elemen": [element.id for element in plan.framework.elements],
        "arah": ["higher", "lower", "band"],
        "horizon": [horizon.value for horizon in Horizon],
        "status_inisiatif": [status.value for status in InitiativeStatus],
        "sumber_dana": [source.value for source in FundingSource],
        "status_observasi": [status.value for status in ObservationStatus],
        "dimensi": [dimension.id for dimension in plan.framework.dimensions],
        "tingkat_tujuan": [level.value for level in GoalLevel],
        "dokumen": [document.value for document in PlanningDocument],
        "jenis_isu": [kind.value for kind in IssueKind],
        "peran_mitra": [role.value for role in PentahelixRole],
        "jenis_lembaga": [kind.value for kind in BodyKind],
        "jenis_lokasi": [kind.value for kind in AreaKind],
        "pertanyaan": [question.id for question in plan.questionnaire.questions],
    }
    lists = book.create_sheet(_LISTS_SHEET)
    ranges = {}
    for index, (name, values) in enumerate(choices.items(), start=1):
        letter = column_letters(index)
        lists.cell(row=1, column=index, value=name)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        ranges[name] = f"{_LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"
    with_ids = ("OPD", "Indikator", "Inisiatif", "Tujuan", "Isu", "Mitra", "Lokasi")
    ids = {sheet: f"{sheet}!$A$2:$A$5000" for sheet in with_ids}
    for sheet_name, columns in _DROPDOWNS.items():
        if sheet_name not in book.sheetnames:
            continue
        sheet = book[sheet_name]
        for key, source in columns.items():
            index = next(i for i, c in enumerate(_SHEETS[sheet_name], start=1) if c.key == key)
            letter = column_letters(index)
            formula = ids[source] if source in ids else ranges[source]
            rule = validation(type="list", formula1=f"={formula}", allow_blank=True, showErrorMessage=False)
            rule.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(rule)
            sheet[f"{letter}1"].fill = fill


#: The dropdowns of each part sheet: column key to a list of the hidden sheet, or a sheet whose ids are offered.
#: Columns that hold several ids offer one at a time; a typed list is still accepted.
_DROPDOWNS: dict[str, dict[str, str]] = {
    "OPD": {"sector": "sektor", "kind": "jenis_opd"},
    "Indikator": {"element": "elemen", "direction": "arah", "custodian": "OPD"},
    "Inisiatif": {
        "lead": "OPD",
        "supporting": "OPD",
        "elements": "elemen",
        "indicators": "Indikator",
        "horizon": "horizon",
        "status": "status_inisiatif",
        "goals": "Tujuan",
        "addresses": "Isu",
        "stakeholders": "Mitra",
        "areas": "Lokasi",
    },
    "Anggaran": {"initiative": "Inisiatif", "source": "sumber_dana"},
    "Harapan": {"initiative": "Inisiatif", "indicator": "Indikator"},
    "Observasi": {"indicator": "Indikator", "status": "status_observasi"},
    "Tujuan": {"level": "tingkat_tujuan", "document": "dokumen", "parent": "Tujuan", "opd": "OPD"},
    "Isu": {"kind": "jenis_isu", "dimension": "dimensi"},
    "Visi": {"dimension": "dimensi"},
    "Mitra": {"role": "peran_mitra"},
    "Lembaga": {"kind": "jenis_lembaga"},
    "Lokasi": {"kind": "jenis_lokasi", "parent": "Lokasi"},
    "Kesiapan": {"question": "pertanyaan"},
    "Realisasi": {"initiative": "Inisiatif", "status": "status_inisiatif"},
}


# ------------------------------------------------------------------------------------- read


@dataclass
class Reading:
    """What was read from a workbook, and where each value came from."""

    shown: str
    cells: dict[tuple[str | int, ...], tuple[str, int, int]] = dataclasses.field(default_factory=dict)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    reported: set[tuple[str, int | None, int | None]] = dataclasses.field(default_factory=set)
    """Cells already reported as unreadable: what follows from them is not reported again."""
    formulas: dict[tuple[str, int, int], str] = dataclasses.field(default_factory=dict)
    """Cells (sheet title, row, column) holding a formula whose value was never saved with the file."""
    titles: dict[str, str] = dataclasses.field(default_factory=dict)
    """The title each sheet found has in the workbook (``Opd`` or ``OPDs`` for the sheet ``OPD``)."""
    headers: dict[tuple[str, int], str] = dataclasses.field(default_factory=dict)
    """The header as written of each (sheet, column) read: problems name the column so."""
    misnamed: dict[str, set[str]] = dataclasses.field(default_factory=dict)
    """Per sheet, the keys of columns whose header was misspelt (reported once, at the header)."""
    missing_sheets: set[str] = dataclasses.field(default_factory=set)
    """Part sheets the workbook does not have."""

    def problem(self, code: str, message: str, sheet: str, row: int | None = None, column: int | None = None) -> None:
        self.problems.append(Problem(code, message, file=self.shown, line=row, sheet=sheet, column=column))
        self.reported.add((sheet, row, column))


def _number(raw: Any, kind: Kind) -> Any:
    if isinstance(raw, str):
        raw = read_number(raw)
    if kind == "int" and isinstance(raw, float) and raw.is_integer():
        return int(raw)
    return raw


def _text(raw: Any) -> str:
    return str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw)


def _any(raw: Any) -> Any:
    return raw.date() if isinstance(raw, dt.datetime) and raw.time() == dt.time() else raw


_READERS: dict[Kind, Any] = {
    "list": lambda raw: [part.strip() for part in str(raw).split(",") if part.strip()],
    "lines": lambda raw: [unescape_text(line).strip() for line in str(raw).split("\n") if line.strip()],
    "int": lambda raw: _number(raw, "int"),
    "number": lambda raw: _number(raw, "number"),
    "text": _text,
    "any": _any,
}


def _value(raw: Any, kind: Kind, where: tuple[str, int, int], reading: Reading) -> Any:
    """Read one cell as its column's kind; a value that cannot be read is a located problem."""
    sheet, row, column = where
    formula = reading.formulas.get((reading.titles.get(sheet, sheet), row, column))
    if raw is None and formula is not None:
        message = _(
            "the cell holds the formula {formula} but no value: the file was not saved by a spreadsheet program "
            "that computes formulas; open it in Excel or LibreOffice and save it, or type the value"
        )
        reading.problem("wrong-type", message.format(formula=formula), sheet, row, column)
        return None
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, str) and kind != "lines":  # a lines cell is unescaped line by line
        raw = unescape_text(raw)
    try:
        if kind == "yaml":
            return parse_yaml(str(raw), f"{reading.shown}, {sheet}!{column_letters(column)}{row}").data
        return _READERS[kind](raw)
    except ValueError as error:
        code = "ambiguous-number" if isinstance(error, AmbiguousNumberError) else "wrong-type"
        reading.problem(code, str(error), sheet, row, column)
    except MasterplanError as error:
        reading.problem("syntax-error", "; ".join(p.message for p in error.problems), sheet, row, column)
    return None


def _unflatten(flat: Mapping[str, Any]) -> dict[str, Any]:
    nested: dict[str, Any] = {}
    for key, value in flat.items():
        *parents, last = key.split(".")
        node = nested
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return nested


#: The sheets a plan workbook must have, in order (the context sheets may be left out: no such part).
PLAN_PARTS = (_PLAN_SHEET, *(sheet for sheet in _SHEETS if sheet not in CONTEXT_SHEETS))


#: English (and other) names of the sheets, read as the sheet they name.
_SHEET_ALIASES = {
    "opds": "OPD",
    "indicators": "Indikator",
    "initiatives": "Inisiatif",
    "budget": "Anggaran",
    "expected": "Harapan",
    "expected values": "Harapan",
    "observations": "Observasi",
    "plan": "Rencana",
    "instructions": "Petunjuk",
    "readme": "Petunjuk",
    "lists": "Daftar",
    "goals": "Tujuan",
    "issues": "Isu",
    "analysis": "Isu",
    "visions": "Visi",
    "stakeholders": "Mitra",
    "partners": "Mitra",
    "bodies": "Lembaga",
    "governance": "Lembaga",
    "areas": "Lokasi",
    "places": "Lokasi",
    "assessment": "Kesiapan",
    "readiness": "Kesiapan",
    "progress": "Realisasi",
    "monitoring": "Realisasi",
}


def find_sheets(
    book: Any, reading: Reading, parts: Sequence[str] = PLAN_PARTS, others: Iterable[str] = ()
) -> dict[str, Any]:
    """Find each sheet of ``parts`` and ``others`` (any case, spaces trimmed, English names too).

    A missing part is a located problem; a sheet that is none of them is a problem when its name
    is close to a part's (a misspelt part is never skipped), else a warning that it is not read
    (a sheet of notes may stay).
    """
    names = (*parts, _README_SHEET, _LISTS_SHEET, *others)
    wanted = {name.lower(): name for name in names}
    wanted |= {alias: name for alias, name in _SHEET_ALIASES.items() if name in names}
    found: dict[str, Any] = {}
    for title in book.sheetnames:
        name = wanted.get(title.strip().lower())
        if name is None or name in found:
            close = difflib.get_close_matches(title.strip().lower(), list(wanted), n=1, cutoff=0.6)
            meant = wanted[close[0]] if close and wanted[close[0]] not in found else None
            if meant is None:
                warning = _("{file}: sheet {sheet} is not read; the parts are {parts}")
                warn_caller(warning.format(file=reading.shown, sheet=repr(title), parts=", ".join(parts)))
                continue
            message = _("sheet {sheet} is not one of the workbook's parts{hint}; the parts are {parts}").format(
                sheet=repr(title), hint=_(" (did you mean {id}?)").format(id=repr(meant)), parts=", ".join(parts)
            )
            reading.problem("unknown-file", message, title)
            continue
        found[name] = book[title]
        reading.titles[name] = title
    for name in parts:
        if name not in found:
            reading.missing_sheets.add(name)
            message = _("no sheet {sheet}: write its header row even when it has no rows").format(sheet=repr(name))
            reading.problem("file-missing", message, name)
    return found


def _checked_cell(cell: Any, kind: Kind, where: tuple[str, int, int], reading: Reading) -> Any:
    """Refuse what a cell shows differently from what it holds: TRUE/FALSE, a number formatted as a percentage."""
    raw = cell.value
    if isinstance(raw, bool):
        message = _("{value} is not a {kind}").format(value=str(raw).upper(), kind=_(_KIND_WORDS[kind]))
        reading.problem("wrong-type", message, *where)
        return None
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(raw, int | float) and "%" in number_format:
        shown = raw * 100
        message = _(
            "the cell shows {shown:g}% but holds {raw:g}; remove the percentage format and type {shown:g} "
            "(or the value you mean)"
        ).format(shown=shown, raw=raw)
        reading.problem("wrong-type", message, *where)
        return None
    return _value(raw, kind, where, reading)


_KIND_WORDS: dict[Kind, str] = {
    "text": N_("text"),
    "int": N_("whole number"),
    "number": N_("number"),
    "list": N_("list of ids"),
    "lines": N_("text"),
    "yaml": N_("value"),
    "any": N_("value"),
}
_MISSING = {
    "year": N_("the year is missing; each row gives one expected value in one year"),
    "value": N_("the value is missing; each row gives one expected value in one year"),
}


def _sheet_rows(
    sheets: Mapping[str, Any], name: str, reading: Reading
) -> list[tuple[int, dict[str, Any], dict[str, int]]]:
    """Rows of a part's sheet as (row number, values by key, column by key); headers matched by name."""
    if name not in sheets:
        return []
    columns = _SHEETS[name]
    rows = sheets[name].iter_rows()
    titles = [cell.value for cell in next(rows, ())]
    where = _header(name, titles, columns, reading)
    headed = {index for index, title in enumerate(titles, start=1) if title is not None and str(title).strip()}
    unheaded: dict[int, list[int]] = {}  # a column with values but no header: its rows, reported once
    found = []
    for number, cells in enumerate(rows, start=2):
        values = [cell.value for cell in cells]
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        item: dict[str, Any] = {}
        positions: dict[str, int] = {}
        for index, cell in enumerate(cells, start=1):
            if index not in headed and cell.value is not None and str(cell.value).strip():
                unheaded.setdefault(index, []).append(number)
        for index, column in where.items():
            cell = cells[index - 1] if index - 1 < len(cells) else None
            value = None if cell is None else _checked_cell(cell, column.kind, (name, number, index), reading)
            if value is not None:
                item[column.key] = value
            positions[column.key] = index
        found.append((number, item, positions))
    for index, numbers in unheaded.items():
        message = n_(
            "{n} value is in a column without a header (row {rows}); give the column a header or move it",
            "{n} values are in a column without a header (rows {rows}); give the column a header or move them",
            len(numbers),
        )
        reading.problem("unknown-field", message.format(n=len(numbers), rows=_rows(numbers)), name, numbers[0], index)
    return found


def _rows(numbers: Sequence[int]) -> str:
    """Write row numbers short: ``2-5, 9``."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in spans)


def _header(name: str, titles: Sequence[Any], columns: Sequence[_Column], reading: Reading) -> dict[int, _Column]:
    """Match a sheet's header cells to its columns (any case; spaces read as ``_``)."""
    known = {alias: column for column in columns for alias in column.names}
    where: dict[int, _Column] = {}
    unknown: list[tuple[int, Any]] = []
    for index, title in enumerate(titles, start=1):
        if title is None or not str(title).strip():
            continue
        column = known.get(str(title).strip().lower()) or known.get(str(title).strip().lower().replace(" ", "_"))
        if column is None:
            unknown.append((index, title))
        elif column in where.values():
            reading.problem("syntax-error", _("column {name} appears twice").format(name=repr(title)), name, 1, index)
        else:
            where[index] = column
            reading.headers[(name, index)] = str(title).strip()
    for index, title in unknown:
        spelt = str(title).strip().lower().replace(" ", "_")
        close = difflib.get_close_matches(spelt, list(known), n=1, cutoff=0.75)
        meant = known[close[0]] if close and known[close[0]] not in where.values() else None
        hint = "" if meant is None else _(" (did you mean {id}?)").format(id=repr(meant.header))
        if meant is not None:  # its rows' "required" problems follow from the header: not reported again
            reading.misnamed.setdefault(name, set()).add(meant.key)
        message = _("unknown column {name}{hint}; the columns are {columns}").format(
            name=repr(title), hint=hint, columns=", ".join(c.header for c in columns)
        )
        reading.problem("unknown-field", message, name, 1, index)
    return where


#: Keys of the plan sheet that hold whole numbers (typed the Indonesian way too: 182.027).
_PLAN_INTS = frozenset(
    {"format_version", "region.population", "region.population_year", "period.start", "period.end"}
    | {f"horizons.{name}" for name in ("quick_win", "short", "medium", "long")}
)


def _plan_header(sheets: Mapping[str, Any], reading: Reading) -> dict[str, Any]:
    if _PLAN_SHEET not in sheets:
        return {}
    flat: dict[str, Any] = {}
    for number, cells in enumerate(sheets[_PLAN_SHEET].iter_rows(min_row=2), start=2):
        raw_key = cells[0].value if cells else None
        if raw_key is None or not str(raw_key).strip():
            continue
        key = str(raw_key).strip().lower()
        raw = cells[2].value if len(cells) > 2 else None  # noqa: PLR2004 - the value column
        framework_text = key == "framework" and isinstance(raw, str) and ("\n" in raw or ":" in raw)
        kind: Kind = "yaml" if framework_text or key in _PLAN_YAML else "int" if key in _PLAN_INTS else "any"
        value = None if len(cells) <= 2 else _checked_cell(cells[2], kind, (_PLAN_SHEET, number, 3), reading)  # noqa: PLR2004
        if key in {"region.code", "region.bps_code"} and value is not None:
            value = str(value)
        if key in flat:
            message = _("the key {key} is given twice; keep one row").format(key=repr(key))
            reading.problem("syntax-error", message, _PLAN_SHEET, number, 1)
            continue
        if value is not None:
            flat[key] = value
            reading.cells[tuple(key.split("."))] = (_PLAN_SHEET, number, 3)
    return _unflatten(flat)


def locate_cell(reading: Reading, path: tuple[str | int, ...]) -> tuple[str, int, int] | None:
    """Return the cell (sheet, row, column) the value at ``path`` was read from, or its nearest parent's."""
    for end in range(len(path), 0, -1):
        found = reading.cells.get(path[:end])
        if found is not None:
            return found
    return None


def _record(
    reading: Reading, prefix: tuple[str | int, ...], sheet: str, row: int, positions: Mapping[str, int]
) -> None:
    """Remember the cell each value of one row came from, under its path in the plan's data."""
    reading.cells[prefix] = (sheet, row, 1)
    for key, column in positions.items():
        reading.cells[(*prefix, *key.split("."))] = (sheet, row, column)


@contextlib.contextmanager
def damaged_sheets(shown: str) -> Iterator[None]:
    """Turn a sheet openpyxl cannot read as it streams it (damaged XML in the archive) into one located problem."""
    try:
        yield
    except (MasterplanError, ExcelUnavailableError):
        raise
    except Exception as error:  # noqa: BLE001 - whatever openpyxl or its XML parser raises, the workbook is damaged
        message = _("the workbook is damaged and cannot be read ({reason}); save it again from Excel").format(
            reason=f"{type(error).__name__}: {error}"
        )
        raise MasterplanError([Problem("file-unreadable", message, file=shown)], shown) from None


def open_book(path: str | Path, shown: str, reading: Reading | None = None) -> Any:
    """Open a workbook to read (values, not formulas); a file openpyxl cannot open is one located problem.

    With a ``reading``, the cells that hold a formula whose value was never saved with the file
    (a workbook written by a program, not by Excel) are noted in it, to be named, never read as empty.
    """
    openpyxl = _openpyxl()
    raw = read_bytes(Path(path), shown)
    _check_expansion(raw, shown)
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - any file openpyxl cannot open is one located problem
        message = _("not an Excel workbook ({reason}); save it from Excel as an .xlsx workbook").format(reason=error)
        problem = Problem("file-unreadable", message, file=shown)
        raise MasterplanError([problem], shown) from None
    if reading is not None:
        with damaged_sheets(shown):
            if b"</f>" in _sheet_xml(raw):
                _note_formulas(openpyxl, raw, book, reading)
    return book


def _note_formulas(openpyxl: Any, raw: bytes, book: Any, reading: Reading) -> None:
    """Note in ``reading`` the cells holding a formula whose value was never saved with the workbook."""
    formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    try:
        for sheet in formulas.worksheets:
            values = book[sheet.title].iter_rows()
            for row, (cells, computed) in enumerate(zip(sheet.iter_rows(), values, strict=False), start=1):
                for column, cell in enumerate(cells, start=1):
                    text = cell.value
                    saved = computed[column - 1].value if column - 1 < len(computed) else None
                    if isinstance(text, str) and text.startswith("=") and saved is None:
                        reading.formulas[(sheet.title, row, column)] = text
    finally:
        formulas.close()


#: A workbook is a zip archive: its parts may unpack to at most this many times the workbook's size...
EXPANSION_LIMIT = 100
#: ...and to at most as much as the largest file read (:data:`~smartcity_model.io.yamlfile.MAX_FILE_BYTES`).


def _check_expansion(raw: bytes, shown: str) -> None:
    """Refuse a workbook whose parts would unpack to far more than it holds (a zip bomb), before reading it."""
    import zipfile  # noqa: PLC0415 - only to read the archive's table of contents

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl says so
    if unpacked > min(MAX_FILE_BYTES, EXPANSION_LIMIT * max(len(raw), 1)):
        message = _(
            "the workbook would unpack to {size} bytes, {ratio:.0f} times its own size; a workbook of a plan "
            "holds far less (at most {limit} bytes, {times} times its size)"
        ).format(
            size=f"{unpacked:,}", ratio=unpacked / max(len(raw), 1), limit=f"{MAX_FILE_BYTES:,}", times=EXPANSION_LIMIT
        )
        raise MasterplanError([Problem("alias-bomb", message, file=shown)], shown)


def _sheet_xml(raw: bytes) -> bytes:
    """Return the worksheets' XML of an ``.xlsx`` file, joined (empty if the archive cannot be opened).

    A damaged part raises (``zlib.error``, ``EOFError``...): read inside :func:`damaged_sheets`.
    """
    import zipfile  # noqa: PLC0415 - only to look for formulas

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return b"".join(archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/"))
    except (zipfile.BadZipFile, OSError, KeyError):
        return b""


def read_parts(
    sheets: Mapping[str, Any], reading: Reading, sections: Iterable[str] = tuple(_SHEET_OF)
) -> dict[str, list[Any]]:
    """Read the part sheets of ``sections`` into the plan's data, each initiative with its budget and expected values.

    Where each value came from is recorded in ``reading``.
    """
    data: dict[str, list[Any]] = {}
    for section in sections:
        data[section] = []
        for position, (row, item, positions) in enumerate(_sheet_rows(sheets, _SHEET_OF[section], reading)):
            _record(reading, (section, position), _SHEET_OF[section], row, positions)
            data[section].append(_unflatten(item))
    if "initiatives" in data:
        _attach(sheets, data, reading)
    return data


def read_workbook(path: str | Path, shown: str | None = None) -> Masterplan:
    """Read a plan from an ``.xlsx`` workbook written by :func:`write_workbook` (and filled in).

    Raises :class:`~smartcity_model.MasterplanError` with every problem located by sheet, row and
    column, and :class:`ExcelUnavailableError` without openpyxl.
    """
    shown = str(path) if shown is None else shown
    reading = Reading(shown)
    book = open_book(path, shown, reading)
    try:
        with damaged_sheets(shown):
            sheets = find_sheets(book, reading, PLAN_PARTS, CONTEXT_SHEETS)
            data: dict[str, Any] = _plan_header(sheets, reading)
            data.update(read_parts(sheets, reading))
    finally:
        book.close()
    try:
        plan = Masterplan.from_dict(data)
    except MasterplanError as error:
        reading.problems.extend(relocated(error.problems, reading))
    if reading.problems:
        raise MasterplanError(reading.problems, shown)
    return plan


def _attach(sheets: Mapping[str, Any], data: dict[str, list[Any]], reading: Reading) -> None:
    """Give each initiative its budget lines and expected values, from their own sheets."""
    initiatives = {item.get("id"): (position, item) for position, item in enumerate(data["initiatives"])}
    for sheet, key in (("Anggaran", "budget"), ("Harapan", "indicators")):
        for row, item, positions in _sheet_rows(sheets, sheet, reading):
            owner = item.pop("initiative", None)
            if owner not in initiatives:
                message = _("unknown initiative {id}; each row belongs to an initiative of the sheet 'Inisiatif'")
                message = message.format(id=repr(owner))
                reading.problem("dangling-reference", message, sheet, row, positions.get("initiative"))
                continue
            position, initiative = initiatives[owner]
            if key == "budget":
                lines = initiative.setdefault("budget", [])
                _record(reading, ("initiatives", position, "budget", len(lines)), sheet, row, positions)
                lines.append(item)
                continue
            links = initiative.setdefault("indicators", [])
            index = _link_index(links, item.get("indicator"))
            if index is None:
                message = _("indicator {id} is not among the initiative's indicators in 'Inisiatif'")
                message = message.format(id=repr(item.get("indicator")))
                reading.problem("dangling-reference", message, sheet, row, positions.get("indicator"))
                continue
            link = links[index] if isinstance(links[index], dict) else {"indicator": links[index]}
            year, value = item.get("year"), item.get("value")
            missing = [name for name in ("year", "value") if name not in item]
            for name in missing:
                message = _(_MISSING[name])
                reading.problem("missing-field", message, sheet, row, positions.get(name))
            if missing:
                continue
            if year in link.get("expected", {}):
                message = _("{initiative}'s expected value for {indicator} in {year} is given twice; keep one row")
                message = message.format(initiative=owner, indicator=repr(item.get("indicator")), year=year)
                reading.problem("duplicate-reference", message, sheet, row, positions.get("year"))
                continue
            link.setdefault("expected", {})[year] = value
            links[index] = link
            if isinstance(year, int):
                where = (sheet, row, positions.get("value", 1))
                reading.cells[("initiatives", position, "indicators", index, "expected", year)] = where


def _link_index(links: Sequence[Any], indicator: Any) -> int | None:
    for index, link in enumerate(links):
        if (link if isinstance(link, str) else link.get("indicator")) == indicator:
            return index
    return None


def relocated(problems: Iterable[Problem], reading: Reading) -> list[Problem]:
    """Locate problems by the cells their paths were read from, each field named by its column's header.

    Left out: problems at cells already reported, a required value of a column whose header is
    misspelt (the header's problem says it), and references into a sheet that is missing (its
    problem counts them).
    """
    out = []
    unresolved: dict[str, int] = {}
    for problem in problems:
        missing = {_SECTION_OF.get(sheet) for sheet in reading.missing_sheets}
        section = next((s for s in referenced_sections(problem) if s in missing), None)
        if section is not None:
            unresolved[section] = unresolved.get(section, 0) + 1
            continue
        found = locate_cell(reading, problem.path)
        if found is None:
            out.append(dataclasses.replace(problem, file=reading.shown))
            continue
        sheet, row, column = found
        key = ".".join(str(part) for part in problem.path[2:] if isinstance(part, str))
        if (sheet, row, column) in reading.reported or (
            problem.code == "missing-field" and key in reading.misnamed.get(sheet, set())
        ):
            continue
        field = reading.headers.get((sheet, column), problem.field) if problem.field else None
        out.append(dataclasses.replace(problem, file=reading.shown, line=row, sheet=sheet, column=column, field=field))
    for section, count in unresolved.items():  # the sheet's own problem, with the references it leaves unresolved
        message = n_(
            "no sheet {sheet}, so {n} reference to its rows cannot be resolved; write its header row even when "
            "it has no rows",
            "no sheet {sheet}, so {n} references to its rows cannot be resolved; write its header row even when "
            "it has no rows",
            count,
        )
        sheet = _SHEET_OF[section]
        reading.problems[:] = [p for p in reading.problems if not (p.code == "file-missing" and p.sheet == sheet)]
        out.append(Problem("file-missing", message.format(sheet=repr(sheet), n=count), file=reading.shown, sheet=sheet))
    return out


#: Characters a worksheet's name may not hold, and its longest length.
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_LIMIT = 31


#: Columns of result tables that hold shares (0-1), shown as percentages in a workbook.
SHARE_COLUMNS = frozenset({"coverage", "imputed", "share", "indicator_coverage", "indicator_imputed"})


def tables_workbook(tables: Mapping[str, Any]) -> bytes:
    """Return tables (pandas DataFrames) as an ``.xlsx`` workbook, one sheet per table, in order.

    Every text cell is stored as text, so a name someone wrote that begins with ``=``, ``+``,
    ``-`` or ``@`` (``=HYPERLINK(...)``) is shown, never run as a formula; missing values are
    empty cells; numbers are numbers, as precise as Excel holds them (15 significant digits),
    and the shares (coverage, imputed, share) are shown as percentages. Header rows are bold and
    frozen, columns fit their content. Sheet names are cut to Excel's 31 characters.
    """
    import pandas as pd  # noqa: PLC0415 - pandas is a dependency; imported where tables are written

    openpyxl = _openpyxl()
    from openpyxl.styles import Font  # noqa: PLC0415 - optional extra

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    bold = Font(bold=True)
    for title, frame in tables.items():
        sheet = book.create_sheet(_SHEET_NAME.sub("-", str(title))[:_SHEET_NAME_LIMIT])
        sheet.append([escape_text(str(column)) for column in frame.columns])
        for row in frame.itertuples(index=False, name=None):
            sheet.append([_table_cell(value, pd) for value in row])
        shares = {index for index, column in enumerate(frame.columns, start=1) if str(column) in SHARE_COLUMNS}
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                elif cell.column in shares and isinstance(cell.value, int | float) and cell.row > 1:
                    cell.number_format = "0.0%"
        _dress(sheet, bold)
    if not book.worksheets:
        book.create_sheet("-")
    return book_bytes(book)


def _table_cell(value: Any, pd: Any) -> Any:
    """Return a table's value as a worksheet holds it: text escaped, missing values empty."""
    if value is None or (pd.api.types.is_scalar(value) and not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return _cell(value, "text", _("a cell"))
    if isinstance(value, list | tuple | set | frozenset):
        return _cell(", ".join(str(item) for item in value), "text", _("a cell"))
    if isinstance(value, dict):
        return _cell(_flow(value), "text", _("a cell"))
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value
