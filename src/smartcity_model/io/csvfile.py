"""Tidy tables in CSV: observations (one row per indicator, year and region) and progress (per initiative and year).

The files Excel writes under Indonesian regional settings read as well as the canonical ones:
``;`` separators, decimal commas, Windows-1252 or UTF-16 text, and Indonesian column names
(``indikator, tahun, nilai, wilayah, status, sumber, catatan``) in any case. What cannot be read
for certain (``1.250``: thousands or a decimal?) is refused with both readings shown.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel

from smartcity_model.errors import MasterplanError, Problem, suggest, warn_caller
from smartcity_model.i18n import N_, _
from smartcity_model.io.yamlfile import Parsed, read_bytes
from smartcity_model.model import Observation
from smartcity_model.numerals import AmbiguousNumberError, column_convention, convention_of, read_number

__all__ = [
    "COLUMN_ALIASES",
    "OBSERVATION_COLUMNS",
    "OBSERVATION_TABLE",
    "PROGRESS_COLUMNS",
    "PROGRESS_TABLE",
    "CsvDialect",
    "TableSpec",
    "compact_number",
    "csv_dialect",
    "format_observations",
    "format_table",
    "parse_observations",
    "parse_table",
    "read_csv_text",
]

#: Columns of ``observations.csv``, in the order they are written; the first three are required.
OBSERVATION_COLUMNS: tuple[str, ...] = ("indicator", "year", "value", "region", "status", "source", "note")
#: Other names read as each column (any case): Bahasa Indonesia first.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator": ("indikator", "kode indikator", "indicator id"),
    "year": ("tahun",),
    "value": ("nilai", "capaian"),
    "region": ("wilayah", "daerah", "kabupaten/kota"),
    "status": (),
    "source": ("sumber", "sumber data"),
    "note": ("catatan", "keterangan", "notes"),
}
_NAMES = {name: column for column in OBSERVATION_COLUMNS for name in (column, *COLUMN_ALIASES[column])}


@dataclass(frozen=True)
class TableSpec:
    """The columns of one kind of tidy table: their order, which are required, other names, which hold numbers."""

    kind: str
    """What a row is, in messages (``observation``)."""
    columns: tuple[str, ...]
    """Columns in the order they are written; the first ``required`` must be there."""
    required: int
    aliases: Mapping[str, tuple[str, ...]]
    """Other names read as each column (any case): Bahasa Indonesia first."""
    numbers: tuple[str, ...]
    """Columns read as numbers, with the decimal convention their cells prove."""
    always: tuple[str, ...] = ()
    """Optional columns written even when no row has a value there."""

    @property
    def names(self) -> dict[str, str]:
        """Every name read as a column, lower case, with the column it names."""
        return {name: column for column in self.columns for name in (column, *self.aliases.get(column, ()))}


#: The observation tables (``observations.csv``).
OBSERVATION_TABLE = TableSpec("observation", OBSERVATION_COLUMNS, 3, COLUMN_ALIASES, ("value",), ("status",))
#: Columns of ``progress.csv``, in the order they are written; the first two are required.
PROGRESS_COLUMNS: tuple[str, ...] = ("initiative", "year", "status", "physical", "realised", "note")
#: The monitoring tables (``progress.csv``): what each initiative achieved, by year.
PROGRESS_TABLE = TableSpec(
    "progress",
    PROGRESS_COLUMNS,
    2,
    {
        "initiative": ("inisiatif", "kode inisiatif", "initiative id"),
        "year": ("tahun",),
        "status": ("keadaan",),
        "physical": ("fisik", "realisasi fisik", "progres fisik", "physical progress"),
        "realised": ("realisasi", "realisasi anggaran", "serapan", "realized"),
        "note": ("catatan", "keterangan", "notes"),
    },
    ("physical", "realised"),
)
_SEPARATORS = (",", ";", "\t")
_NOT_FINITE = frozenset({"nan", "inf", "infinity"})
#: Excel's menu item for a file every tool reads the same way.
_SAVE_AS = N_('in Excel, save with "File > Save As > CSV UTF-8 (Comma delimited) (*.csv)"')


def read_csv_text(path: Path, shown: str) -> str:
    """Read a CSV file as UTF-8, UTF-16 (with its byte-order mark) or, failing both, Windows-1252.

    Windows-1252 (Excel's "CSV (Comma delimited)" on Windows) is a guess, announced with a
    :class:`~smartcity_model.PlanWarning`; bytes it cannot hold either are refused with the
    way to save the file as UTF-8.
    """
    text, encoding = _decoded(read_bytes(path, shown), shown)
    if encoding == "cp1252":
        warning = _("{file} is not UTF-8; read as Windows-1252 (Excel's ANSI CSV). To be sure, {advice}")
        warn_caller(warning.format(file=shown, advice=_(_SAVE_AS)))
    return text


def _decoded(raw: bytes, shown: str) -> tuple[str, str]:
    """Return a CSV file's text and the encoding it was read in (``utf-8``, ``utf-8-sig``, ``utf-16``...)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode("utf-16"), "utf-16"
    elif raw[1:] and raw.count(b"\x00") * 3 > len(raw):  # UTF-16 without its byte-order mark
        little = raw[1::2].count(b"\x00") > raw[::2].count(b"\x00")
        encoding = "utf-16-le" if little else "utf-16-be"
        with contextlib.suppress(UnicodeDecodeError):
            return raw.decode(encoding), encoding
    try:
        return raw.decode("utf-8-sig"), "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        mixed = any(not char.isascii() and char != "\ufffd" for char in raw.decode("utf-8", errors="replace"))
        if mixed:  # UTF-8 characters beside bytes that are not: read either way, some text would be wrong
            message = _("part UTF-8 and part not (byte {byte}): the text cannot be read one way only; {advice}").format(
                byte=error.start, advice=_(_SAVE_AS)
            )
            raise MasterplanError([Problem("file-unreadable", message, file=shown, line=line)], shown) from None
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            message = _("not UTF-8 text (byte {byte}); {advice}").format(byte=error.start, advice=_(_SAVE_AS))
            raise MasterplanError([Problem("file-unreadable", message, file=shown, line=line)], shown) from None


@dataclass(frozen=True)
class CsvDialect:
    """How a table was written, so that saving it again keeps it so (what Excel wrote stays as Excel wrote it)."""

    separator: str = ","
    decimal_comma: bool = False
    encoding: str = "utf-8"
    newline: str = "\n"
    declared: bool = False
    """Whether a first line ``sep=;`` declares the separator (Excel's way)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """The header each column was written with (``indikator`` for ``indicator``)."""

    @property
    def plain(self) -> bool:
        """Whether the table is written as this library writes one: commas, decimal points, UTF-8, English headers."""
        form = (self.separator, self.decimal_comma, self.encoding, self.newline, self.declared)
        return form == (",", False, "utf-8", "\n", False) and all(
            header == column for column, header in self.headers.items()
        )

    @property
    def indonesian(self) -> bool:
        """Whether the headers are the Indonesian names (new columns are then named so too)."""
        return any(header.strip().lower() in COLUMN_ALIASES[column][:1] for column, header in self.headers.items())


def csv_dialect(path: Path) -> CsvDialect:
    """Return how the table at ``path`` is written: separator, decimals, encoding, line ends, headers."""
    shown = str(path)
    raw = read_bytes(path, shown)
    text, encoding = _decoded(raw, shown)
    separator, declared = _dialect(text)
    reader = _reader(text, separator)
    try:
        if declared:
            next(reader, None)
        cells = next(reader, None) or []
        values = [
            row[index]
            for row in reader
            for index, cell in enumerate(cells)
            if _NAMES.get(cell.strip().lower()) == "value" and index < len(row)
        ]
    except csv.Error as error:
        raise MasterplanError([Problem("syntax-error", str(error), file=shown, line=reader.line_num)], shown) from None
    headers = {_NAMES[cell.strip().lower()]: cell.strip() for cell in cells if cell.strip().lower() in _NAMES}
    try:
        convention = column_convention(value for value in values if value.strip())
    except ValueError:
        convention = None
    newline = "\r\n" if b"\r\n" in raw[:4096] or "\r\n" in text[:4096] else "\n"
    return CsvDialect(separator, convention == "id", encoding, newline, declared, headers)


def _separator(header_line: str, spec: TableSpec = OBSERVATION_TABLE) -> str:
    """Return the separator that splits the header into the most known column names (``,`` on a tie)."""
    names = spec.names

    def known(separator: str) -> int:
        return sum(1 for name in header_line.split(separator) if name.strip().strip('"').lower() in names)

    return max(_SEPARATORS, key=lambda separator: (known(separator), header_line.count(separator), separator == ","))


def _header(cells: list[str], shown: str, spec: TableSpec = OBSERVATION_TABLE) -> tuple[list[str], list[Problem]]:
    """Map header cells to column names (aliases, any case); report unknown, missing and repeated ones."""
    known = spec.names
    names = [known.get(cell.strip().lower(), cell.strip()) for cell in cells]
    problems = []
    for cell, name in zip(cells, names, strict=True):
        if name not in spec.columns:
            hint = suggest(cell.strip().lower(), known) or ""
            message = _("unknown column {name}{hint}; the columns are {columns}").format(
                name=repr(cell.strip()), hint=hint, columns=", ".join(spec.columns)
            )
            problems.append(Problem("unknown-field", message, file=shown, line=1))
    problems += [
        Problem("missing-field", _("missing column {name}").format(name=repr(name)), file=shown, line=1)
        for name in spec.columns[: spec.required]
        if name not in names
    ]
    problems += [
        Problem("syntax-error", _("column {name} appears twice").format(name=repr(name)), file=shown, line=1)
        for name in sorted({n for n in names if names.count(n) > 1})
    ]
    return names, problems


def _values(
    rows: list[dict[str, Any]], lines: dict[tuple[str | int, ...], int], shown: str, spec: TableSpec = OBSERVATION_TABLE
) -> list[Problem]:
    """Read the number columns as numbers, each with the decimal convention its cells prove."""
    problems = []
    for column in spec.numbers:
        problems += _numbers(rows, lines, shown, column, spec.kind)
    return problems


def _numbers(
    rows: list[dict[str, Any]], lines: dict[tuple[str | int, ...], int], shown: str, column: str, kind: str
) -> list[Problem]:
    """Read one column as numbers, with the decimal convention its cells prove."""
    cells = [row[column] for row in rows if isinstance(row.get(column), str)]
    try:
        convention = column_convention(cells)
    except ValueError as error:  # located at the first value written the other way
        first = next(c for c in (convention_of(cell) for cell in cells) if c is not None)
        other = next(
            n
            for n, r in enumerate(rows)
            if isinstance(r.get(column), str) and convention_of(r[column]) not in {None, first}
        )
        message = _("column {column}: {reason}").format(column=repr(column), reason=error)
        return [Problem("wrong-type", message, file=shown, line=lines[(other,)])]
    problems = []
    for position, row in enumerate(rows):
        cell = row.get(column)
        if not isinstance(cell, str) or not cell.strip():
            continue
        if cell.strip().lower().lstrip("+-") in _NOT_FINITE:
            row[column] = float(cell)  # refused as not finite, with its own code
            continue
        try:
            row[column] = read_number(cell, convention)
        except ValueError as error:
            code = "ambiguous-number" if isinstance(error, AmbiguousNumberError) else "wrong-type"
            problems.append(Problem(code, str(error), kind=kind, field=column, file=shown, line=lines[(position,)]))
    return problems


def _dialect(text: str, spec: TableSpec = OBSERVATION_TABLE) -> tuple[str, bool]:
    """Return the separator, and whether the first line only declares it (Excel's ``sep=;``)."""
    first = text.split("\n", 1)[0].strip()
    if first.lower().startswith("sep=") and len(first) == len("sep=;"):
        return first[-1], True
    return _separator(first, spec), False


def _trimmed(cells: list[str], width: int) -> list[str]:
    """Drop the empty cells that trailing separators (``;;``) leave beyond ``width``."""
    end = len(cells)
    while end > width and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _reader(text: str, separator: str) -> Any:
    """Return a strict CSV reader of ``text``: a quote left open is an error, never the rest of the file in a cell.

    A cell may be as long as the file (a long note); the csv module's default limit is 131,072.
    """
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)


def parse_observations(text: str, shown: str) -> Parsed:
    """Parse an observations CSV into row dicts; ``lines`` maps ``(row,)`` to its line number."""
    return parse_table(text, shown, OBSERVATION_TABLE)


def parse_table(text: str, shown: str, spec: TableSpec) -> Parsed:
    """Parse a tidy CSV table of ``spec`` into row dicts; ``lines`` maps ``(row,)`` to its line number."""
    required = spec.columns[: spec.required]
    separator, declared = _dialect(text, spec)
    reader = _reader(text, separator)
    started = 1  # the line the row being read starts on: where a quote left open is reported
    try:
        if declared:
            next(reader)
        header_cells = next(reader, None)
        if header_cells is None:
            problem = Problem("empty-document", _("no header row"), file=shown, line=1)
            raise MasterplanError([problem], shown)
        header, problems = _header(_trimmed(header_cells, 0), shown, spec)
        if problems:
            raise MasterplanError(problems, shown)
        rows: list[dict[str, Any]] = []
        lines: dict[tuple[str | int, ...], int] = {}
        started = reader.line_num + 1
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                started = reader.line_num + 1
                continue
            row = _trimmed(cells, len(header))
            if len(row) != len(header):
                message = _("{n} cells where the header has {header}").format(n=len(row), header=len(header))
                if separator == "," and len(row) > len(header) and any(n in header for n in spec.numbers):
                    message += _(
                        "; a decimal comma (79,5) splits a cell in two where commas separate the columns: "
                        'put such a value in quotes ("79,5"), write 79.5, or separate the columns with ;'
                    )
                problems.append(Problem("syntax-error", message, file=shown, line=reader.line_num))
                continue
            lines[(len(rows),)] = reader.line_num
            rows.append({name: cell for name, cell in zip(header, row, strict=True) if cell != "" or name in required})
            started = reader.line_num + 1
    except csv.Error as error:
        message = _(
            "the row cannot be read ({reason}): a quote opened in a cell must close it, and a quote inside a "
            'quoted cell is written twice ("")'
        ).format(reason=error)
        raise MasterplanError([Problem("syntax-error", message, file=shown, line=started)], shown) from None
    problems += _values(rows, lines, shown, spec)
    if problems:
        raise MasterplanError(problems, shown)
    return Parsed(rows, lines)


#: Whole floats below this magnitude are written as integers (every such integer is exact in a float).
_EXACT_INTEGERS = 2.0**53


def compact_number(value: float) -> float | int:
    """Return a whole float as an ``int`` (``80.0`` is written ``80``); ``float()`` gives it back exactly."""
    return int(value) if value.is_integer() and abs(value) < _EXACT_INTEGERS else value


def _cell(value: object, *, decimal_comma: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, float):
        number = compact_number(value)
        if not decimal_comma or isinstance(number, int):
            return repr(number)
        return str(np.format_float_positional(number, unique=True, trim="-")).replace(".", ",")
    return str(value)


def format_observations(observations: Sequence[Observation], dialect: CsvDialect | None = None) -> str:
    """Write observations as CSV text: required columns, then optional ones any row uses.

    With a ``dialect`` (see :func:`csv_dialect`), the table is written as that file was: its
    separator (and ``sep=`` line), decimal commas, headers and line ends; the caller encodes it
    with ``dialect.encoding``.
    """
    return format_table(observations, OBSERVATION_TABLE, dialect)


def format_table(items: Sequence[BaseModel], spec: TableSpec, dialect: CsvDialect | None = None) -> str:
    """Write the rows of a tidy table of ``spec`` as CSV text: required columns, then optional ones any row uses."""
    required = spec.columns[: spec.required]
    optional = [
        name
        for name in spec.columns[spec.required :]
        if name in spec.always
        or any(getattr(item, name) is not None for item in items)
        or (dialect is not None and name in dialect.headers)
    ]
    columns = [*required, *optional]
    out = io.StringIO()
    separator = "," if dialect is None else dialect.separator
    newline = "\n" if dialect is None else dialect.newline
    decimal_comma = dialect is not None and dialect.decimal_comma
    writer = csv.writer(out, lineterminator=newline, delimiter=separator)
    # Lines end in "\n", so the csv module would write a carriage return bare; quote such rows.
    quoted = csv.writer(out, lineterminator=newline, delimiter=separator, quoting=csv.QUOTE_ALL)
    if dialect is not None and dialect.declared:
        out.write(f"sep={separator}{newline}")
    writer.writerow([_header_of(name, dialect) for name in columns])
    for item in items:
        cells = [_cell(getattr(item, name), decimal_comma=decimal_comma) for name in columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


def _header_of(column: str, dialect: CsvDialect | None) -> str:
    """Return the header a column is written with: the file's own, else its Indonesian name in an Indonesian file."""
    if dialect is None:
        return column
    if column in dialect.headers:
        return dialect.headers[column]
    return COLUMN_ALIASES[column][0] if dialect.indonesian and COLUMN_ALIASES[column] else column
