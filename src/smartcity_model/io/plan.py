"""Load and save masterplans: a folder of YAML files plus a CSV, or one YAML or JSON file.

The folder format::

    masterplan.yaml     region, period, framework, document, horizons
    opds.yaml           a list of OPDs
    indicators.yaml     a list of indicators
    initiatives.yaml    a list of initiatives
    (goals, issues, visions, stakeholders, bodies, areas, assessment).yaml   the plan's context, when it has one
    progress.csv        monitoring: initiative, year[, status, physical, realised, note]
    observations.csv    tidy observations: indicator, year, value[, region, status, source, note]
    observations/       more observation tables, e.g. one per OPD or per year (read with observations.csv)

A single file holds the same data in one mapping, with the lists under ``opds``,
``indicators``, ``initiatives`` and ``observations``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import json
import os
import re
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from smartcity_model.checks.config import CHECKS_FILE
from smartcity_model.errors import (
    MasterplanError,
    PlanNotFoundError,
    PlanWarning,
    Problem,
    SaveError,
    SmartCityError,
    warn_caller,
)
from smartcity_model.i18n import N_, _, n_
from smartcity_model.io.atomic import (
    JOURNAL,
    folder_lock,
    interrupted_state,
    needs_recovery,
    recover,
    write_files_atomically,
)
from smartcity_model.io.csvfile import (
    PROGRESS_TABLE,
    compact_number,
    csv_dialect,
    format_observations,
    format_table,
    parse_observations,
    parse_table,
    read_csv_text,
)
from smartcity_model.io.excel import EXCEL_SUFFIXES, read_workbook, write_workbook
from smartcity_model.io.yamlfile import Parsed, format_yaml, parse_json, parse_yaml, read_text
from smartcity_model.model import Framework, Masterplan, Observation
from smartcity_model.model.assemble import (
    NUMBER_AS_TEXT,
    SECTIONS,
    Locator,
    locate_problem,
    problems_from_validation,
    referenced_sections,
)
from smartcity_model.model.assessment import BUILTIN_QUESTIONNAIRES, builtin_questionnaire
from smartcity_model.model.framework import BUILTIN_FRAMEWORKS, builtin_framework

__all__ = [
    "FOLDER_FILES",
    "OBSERVATIONS_FOLDER",
    "UnsupportedFormatError",
    "dump",
    "dumps",
    "load",
    "load_framework",
    "load_model_file",
    "plan_to_data",
]

#: File of each part of a masterplan folder; ``None`` stands for the header (``masterplan.yaml``).
FOLDER_FILES: dict[str | None, str] = {
    None: "masterplan.yaml",
    "opds": "opds.yaml",
    "indicators": "indicators.yaml",
    "initiatives": "initiatives.yaml",
    "goals": "goals.yaml",
    "issues": "issues.yaml",
    "visions": "visions.yaml",
    "stakeholders": "stakeholders.yaml",
    "bodies": "bodies.yaml",
    "areas": "areas.yaml",
    "assessment": "assessment.yaml",
    "progress": "progress.csv",
    "observations": "observations.csv",
}
#: The sections of a plan's context: its alignment, analysis, partners, governance, places and readiness.
CONTEXT_SECTIONS = ("goals", "issues", "visions", "stakeholders", "bodies", "areas", "assessment")
#: The files every saved plan folder has; the others (goals, issues...) are written when the plan has some.
CORE_FILES = ("opds", "indicators", "initiatives")
#: A folder of more observation tables in a plan folder (one per OPD, or per year), read beside
#: ``observations.csv``; a save keeps each row in the table that holds it.
OBSERVATIONS_FOLDER = "observations"
_M = TypeVar("_M", bound=BaseModel)
Observation_list = TypeAdapter(list[Observation])
_YAML_SUFFIXES = frozenset({".yaml", ".yml"})
_SINGLE_SUFFIXES = _YAML_SUFFIXES | {".json"}
#: A suffix that names a kind of file (``.xlsx``, ``.csv``): a folder is not created under such a name.
_FILE_SUFFIX = re.compile(r"\.[a-z]{1,5}")


class UnsupportedFormatError(SmartCityError, ValueError):
    """A path is neither a masterplan folder nor a ``.yaml``, ``.yml`` or ``.json`` file."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a plan is read or written.

    Parsing builds hundreds of thousands of objects that all stay alive, and the collector
    would walk them again and again for nothing: pausing it makes a large plan load about
    three times faster. Everything is still freed as usual when it is no longer used.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------------------------------- load


def _parse(path: Path, shown: str) -> Parsed:
    """Parse one file by the suffix of the name it is shown by (a file being saved has another)."""
    suffix = Path(shown).suffix.lower()
    if suffix == ".csv" and Path(shown).name == FOLDER_FILES["progress"]:
        return parse_table(read_csv_text(path, shown), shown, PROGRESS_TABLE)
    if suffix == ".csv":
        return parse_observations(read_csv_text(path, shown), shown)
    text = read_text(path, shown)
    if suffix == ".json":
        return parse_json(text, shown)
    return parse_yaml(text, shown, defer_doubtful=True)


class _Rows(Parsed):
    """The rows of several observation tables read as one, each row remembering its file."""

    def __init__(self, tables: Sequence[tuple[str, Parsed]]) -> None:
        rows: list[Any] = []
        lines: dict[tuple[str | int, ...], int] = {}
        self.files: list[str] = []
        for shown, table in tables:
            offset = len(rows)
            rows.extend(table.data)
            lines.update({(offset + int(key[0]), *key[1:]): line for key, line in table.lines.items()})
            self.files.extend([shown] * len(table.data))
        super().__init__(rows, lines)
        self.first = tables[0][0]


def _locator(parsed: Mapping[str | None, Parsed], shown: Mapping[str | None, str]) -> Locator:
    """Locate a path in the plan's data: in its section's file if it has one, else in the header's."""

    def locate(path: tuple[str | int, ...]) -> tuple[str | None, int | None]:
        part: str | None = path[0] if path and isinstance(path[0], str) and path[0] in parsed else None
        lines, within = (parsed[part].lines, path[1:]) if part is not None else (parsed[None].lines, path)
        name = shown[part]
        table = parsed[part] if part is not None else None
        if isinstance(table, _Rows):
            row = within[0] if within and isinstance(within[0], int) and within[0] < len(table.files) else None
            name = table.files[row] if row is not None else table.first
        for end in range(len(within), 0, -1):
            found = lines.get(within[:end])
            if found is not None:
                return name, found
        return name, None

    return locate


def _load_single(path: Path, shown: str | None = None) -> Masterplan:
    shown = str(path) if shown is None else shown
    parsed = _parse(path, shown)
    return _assembled(parsed.data, {None: parsed}, {None: shown}, shown)


def _assembled(
    data: Any,
    parsed: Mapping[str | None, Parsed],
    shown: Mapping[str | None, str],
    source: str,
    files: Mapping[str | None, Path] | None = None,
) -> Masterplan:
    """Assemble a plan from parsed files; a number that reads two ways (``1.250``) is a problem too.

    Such a number in a field that wants text is named by that field's own problem (put it in
    quotes), not again as ambiguous. With the part ``files`` of a folder, a missing one is named
    in place of the references into it.
    """
    doubtful = [problem for part in parsed.values() for problem in part.doubtful]
    try:
        plan = Masterplan.from_dict(data, locate=_locator(parsed, shown), source=source)
    except MasterplanError as error:
        problems = _missing_parts(error.problems, files) if files is not None else list(error.problems)
        as_text = _(NUMBER_AS_TEXT)
        text = {(p.file, p.line) for p in problems if p.message.endswith(as_text)}  # "put it in quotes" says it
        doubtful = [problem for problem in doubtful if (problem.file, problem.line) not in text]
        misread = {(problem.file, problem.line) for problem in doubtful}  # "not a whole number" follows from it
        problems = [problem for problem in problems if (problem.file, problem.line) not in misread]
        raise MasterplanError([*problems, *doubtful], source) from None
    if doubtful:
        raise MasterplanError(doubtful, source)
    return plan


def _merge_sections(
    header: dict[str, Any], parsed: Mapping[str | None, Parsed], shown: Mapping[str | None, str]
) -> dict[str, Any]:
    """Combine ``masterplan.yaml`` with the section files into one plan mapping."""
    problems: list[Problem] = []
    data: dict[str, Any] = dict(header)
    for section in SECTIONS:
        part = parsed.get(section)
        if part is None:
            continue
        if section in header:
            message = _("{section} is given in both {header} and {file}").format(
                section=repr(section), header=FOLDER_FILES[None], file=FOLDER_FILES[section]
            )
            problems.append(Problem("wrong-shape", message, file=shown[None], line=parsed[None].lines.get((section,))))
        if part.data is None:
            message = _("no {section}; write [] for an empty list").format(section=section)
            problems.append(Problem("empty-document", message, file=shown[section]))
        data[section] = part.data
    if problems:
        raise MasterplanError(problems, shown[None])
    return data


def _read_tables(tables: Sequence[tuple[Path, str]], problems: list[Problem]) -> Parsed | None:
    """Read observation tables as one (``None`` if there is none), adding their problems to ``problems``."""
    read: list[tuple[str, Parsed]] = []
    for path, name in tables:
        try:
            read.append((name, _parse(path, name)))
        except MasterplanError as error:
            problems.extend(error.problems)
    return _Rows(read) if read else None


def _load_parts(
    files: Mapping[str | None, Path],
    shown: Mapping[str | None, str],
    source: str,
    tables: Sequence[tuple[Path, str]] | None = None,
) -> Masterplan:
    """Load a plan from the files of its parts (``None``: the header), naming them as ``shown``.

    ``tables`` are the observation tables to read (path, name shown), by default the file of the
    ``observations`` part if it exists.
    """
    problems: list[Problem] = []
    parsed: dict[str | None, Parsed] = {}
    for part, path in files.items():
        if part == "observations" or (part is not None and not path.exists()):
            continue
        try:
            parsed[part] = _parse(path, shown[part])
        except MasterplanError as error:
            problems.extend(error.problems)
    if tables is None:
        single = files.get("observations")
        tables = [(single, shown["observations"])] if single is not None and single.exists() else []
    observations = _read_tables(tables, problems)
    if problems:
        raise MasterplanError(problems, source)
    if observations is not None:
        parsed["observations"] = observations
    header = parsed[None].data
    if not isinstance(header, dict):
        return _assembled(header, {None: parsed[None]}, shown, source)
    return _assembled(_merge_sections(header, parsed, shown), parsed, shown, source, files)


#: Suffixes of data files: in a plan folder, each must be one of the plan's files (or checks.yaml).
_DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".csv", ".tsv"})


#: Names a planner may give a plan's file in Bahasa Indonesia, or in the singular, with the file meant.
_FILE_ALIASES = {
    "opd": "opds.yaml",
    "indikator": "indicators.yaml",
    "inisiatif": "initiatives.yaml",
    "observasi": "observations.csv",
    "realisasi": "progress.csv",
    "monitoring": "progress.csv",
    "tujuan": "goals.yaml",
    "sasaran": "goals.yaml",
    "rpjmd": "goals.yaml",
    "isu": "issues.yaml",
    "analisis": "issues.yaml",
    "visi": "visions.yaml",
    "mitra": "stakeholders.yaml",
    "pentahelix": "stakeholders.yaml",
    "lembaga": "bodies.yaml",
    "kawasan": "areas.yaml",
    "lokasi": "areas.yaml",
    "wilayah": "areas.yaml",
    "kesiapan": "assessment.yaml",
    "check": CHECKS_FILE,
    "pemeriksaan": CHECKS_FILE,
}


def _meant_file(name: str) -> str | None:
    """Return the plan file that ``name`` (``Initiatives.yaml``, ``inisiatif.yml``, ``check.yaml``) likely means."""
    names = [*FOLDER_FILES.values(), CHECKS_FILE]
    stems = {Path(file).stem: file for file in names} | _FILE_ALIASES
    lower = name.lower()
    if lower in {file.lower() for file in names}:
        return next(file for file in names if file.lower() == lower)
    stem = lower.split(".")[0]
    if stem in stems:
        return stems[stem]
    close = difflib.get_close_matches(stem, list(stems), n=1, cutoff=0.75)
    return stems[close[0]] if close else None


def _unknown_files(folder: Path) -> list[Problem]:
    """Report data files in a plan folder that are not the plan's own: a misspelt name is never skipped.

    A file of another kind named like a plan's file (``observations.xlsx``, ``initiatives.yaml.bak``)
    is not data the plan reads, but it is named in a warning, never passed over in silence.
    """
    problems = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in FOLDER_FILES.values() or name == CHECKS_FILE or not path.is_file() or name.startswith("."):
            continue
        meant = _meant_file(name)
        if meant is not None and (folder / meant).exists() and (folder / meant).samefile(path):
            continue  # a case-insensitive file system: this is the plan's own file
        if path.suffix.lower() not in _DATA_SUFFIXES:
            if meant is not None and name != OBSERVATIONS_FOLDER:  # that one is named by the tables' check
                warning = _("{name} in {folder} is not read (a plan folder reads {meant}, not this file)")
                warn_caller(warning.format(name=repr(name), folder=folder, meant=meant))
            continue
        hint = _(" (did you mean {id}?)").format(id=repr(meant)) if meant else ""
        files = ", ".join([*FOLDER_FILES.values(), CHECKS_FILE])
        message = _("{name} is not one of a plan folder's files{hint}; the files read are {files}").format(
            name=repr(name), hint=hint, files=files
        )
        problems.append(Problem("unknown-file", message, file=str(path)))
    return problems


#: Files that are not data and may sit in a folder of observation tables (notes, the sources).
_NOT_DATA = frozenset({".md", ".pdf", ".doc", ".docx", ".png", ".jpg", ".jpeg"})


def observation_tables(folder: Path) -> list[Path]:
    """Return a plan folder's observation tables: ``observations.csv``, then ``observations/*.csv`` by name."""
    tables = [folder / FOLDER_FILES["observations"]] if (folder / FOLDER_FILES["observations"]).exists() else []
    below = folder / OBSERVATIONS_FOLDER
    if below.is_dir():
        tables += sorted(
            path
            for path in below.iterdir()
            if path.suffix.lower() == ".csv" and not path.name.startswith(".") and path.is_file()
        )
    return tables


def _unknown_tables(folder: Path) -> list[Problem]:
    """Report what a folder of observation tables holds that is not read: other files, folders."""
    below = folder / OBSERVATIONS_FOLDER
    if not below.is_dir():
        if below.exists():
            message = _("{name} is not a folder; observation tables go in the folder {name}/ or in {file}")
            message = message.format(name=OBSERVATIONS_FOLDER, file=FOLDER_FILES["observations"])
            return [Problem("unknown-file", message, file=str(below))]
        return []
    problems = []
    for path in sorted(below.iterdir()):
        if path.name.startswith(".") or path.suffix.lower() in _NOT_DATA:
            continue
        if path.is_dir():
            message = _("a folder inside {name}/ is not read; put its tables in {name}/ itself")
        elif path.suffix.lower() == ".csv":
            if path.is_file():
                continue
            message = _("not a regular file; only .csv tables in {name}/ are read")
        elif path.suffix.lower() in EXCEL_SUFFIXES | {".xls", ".ods"}:
            message = _('only .csv tables in {name}/ are read; in Excel, save the sheet as "CSV UTF-8"')
        else:
            message = _("only .csv tables in {name}/ are read")
        problems.append(Problem("unknown-file", message.format(name=OBSERVATIONS_FOLDER), file=str(path)))
    return problems


def _missing_parts(problems: tuple[Problem, ...], files: Mapping[str | None, Path]) -> list[Problem]:
    """Name each missing part file in place of the dangling references that point into it (counted)."""
    pointing: dict[str, int] = {}
    kept = []
    for problem in problems:
        section = next((s for s in referenced_sections(problem) if s in files and not files[s].exists()), None)
        if section is not None:
            pointing[section] = pointing.get(section, 0) + 1
        else:
            kept.append(problem)
    missing = [
        Problem(
            "file-missing",
            n_(
                "no {file} in the folder, so {n} reference to its {section} cannot be resolved",
                "no {file} in the folder, so {n} references to its {section} cannot be resolved",
                count,
            ).format(file=FOLDER_FILES[section], n=count, section=section),
            file=str(files[section]),
        )
        for section, count in pointing.items()
    ]
    return [*missing, *kept] if missing else list(problems)


def _load_folder(folder: Path) -> Masterplan:
    """Load a plan folder under a shared lock, first finishing any save that was interrupted."""
    unknown = _unknown_files(folder) + _unknown_tables(folder)
    try:
        plan = _load_folder_parts(folder)
    except MasterplanError as error:
        raise MasterplanError([*unknown, *error.problems], folder) from None
    if unknown:
        raise MasterplanError(unknown, folder)
    return plan


def _load_folder_parts(folder: Path) -> Masterplan:
    files = {part: folder / name for part, name in FOLDER_FILES.items()}
    shown = {part: str(path) for part, path in files.items()}

    def tables() -> list[tuple[Path, str]]:
        return [(path, str(path)) for path in observation_tables(folder)]

    with folder_lock(folder, exclusive=False):  # looked at under the lock: a save cannot be caught half done
        if not needs_recovery(folder):
            return _load_parts(files, shown, str(folder), tables())
    try:
        with folder_lock(folder, exclusive=True):
            recover(folder)
            return _load_parts(files, shown, str(folder), tables())
    except SaveError as error:  # a journal this library did not write, or a save it will not finish here
        raise MasterplanError([Problem("file-unreadable", str(error), file=str(folder / JOURNAL))], folder) from None
    except PermissionError as error:
        with folder_lock(folder, exclusive=False):
            if interrupted_state(folder) == "committed":  # the files may be half old, half new
                message = _(
                    "a save of this plan was interrupted and cannot be finished here ({reason}); "
                    "open the plan once with permission to write to its folder"
                ).format(reason=error.strerror)
                raise MasterplanError([Problem("file-unreadable", message, file=str(folder))], folder) from None
            # a read-only folder where no save committed: the old files are whole; read them
            return _load_parts(files, shown, str(folder), tables())


def load(path: str | Path) -> Masterplan:
    """Load a masterplan from a folder or from one ``.yaml``/``.yml``/``.json`` file.

    Raises :class:`~smartcity_model.MasterplanError` listing every problem found (with file,
    line, object id and field), :class:`~smartcity_model.PlanNotFoundError` if ``path`` does not
    exist, and :class:`UnsupportedFormatError` for any other kind of file.

    Examples
    --------
    >>> import smartcity_model as scm
    >>> plan = scm.load(scm.example_path())
    >>> plan.region.name
    'Kabupaten Solok Selatan'
    """
    target = Path(path)
    if target.is_dir():
        with collector_paused():
            return _load_folder(target)
    if not target.exists():
        msg = _("no masterplan at {path}: no such file or folder").format(path=target)
        raise PlanNotFoundError(msg)
    if target.suffix.lower() in EXCEL_SUFFIXES:
        with collector_paused():
            return read_workbook(target)
    if target.suffix.lower() not in _SINGLE_SUFFIXES:
        msg = _("{path}: expected a masterplan folder or a .yaml, .yml, .json or .xlsx file").format(path=target)
        raise UnsupportedFormatError(msg)
    siblings = [name for part, name in FOLDER_FILES.items() if part is not None and (target.parent / name).exists()]
    if target.name == FOLDER_FILES[None] and siblings:
        msg = _(
            "{path} is the header of the plan folder {folder} (beside {files}); load the folder to read the whole plan"
        ).format(path=target, folder=target.parent, files=", ".join(siblings))
        raise UnsupportedFormatError(msg)
    with collector_paused():
        return _load_single(target)


#: The kinds of file :func:`load_model_file` reads, as messages name them.
_MODEL_KINDS = {"framework": N_("framework"), "check configuration": N_("check configuration")}


def load_model_file(path: str | Path, model: type[_M], kind: str) -> _M:
    """Load one YAML or JSON file into ``model``; problems are raised as one error with file and line."""
    target = Path(path)
    if not os.path.lexists(target):  # anything else of that name (a folder, a pipe) is read, and refused located
        msg = _("no {kind} file at {path}").format(kind=_(_MODEL_KINDS.get(kind, kind)), path=target)
        raise PlanNotFoundError(msg)
    shown = str(target)
    parsed = _parse(target, shown)
    try:
        return model.model_validate(parsed.data)
    except ValidationError as error:
        problems = problems_from_validation(error, prefix=(), kind=kind, obj_id=None, model=model)
        locate = _locator({None: parsed}, {None: shown})
        raise MasterplanError([locate_problem(p, locate) for p in problems], shown) from None


def load_framework(path: str | Path) -> Framework:
    """Load a framework (dimensions, elements, pillars) from a YAML or JSON file.

    Errors are raised as one :class:`~smartcity_model.MasterplanError` with file and line.
    """
    return load_model_file(path, Framework, "framework")


# ---------------------------------------------------------------------------------------- dump


def _tidy(value: Any) -> Any:
    """Turn dumped model data into plain YAML/JSON values, with whole floats written as integers."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if kind is dict:
        return {_tidy(k): _tidy(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [_tidy(v) for v in value]
    if kind is float:
        return compact_number(value)
    if isinstance(value, StrEnum):
        return value.value
    return value


def _compact_initiative(item: dict[str, Any]) -> dict[str, Any]:
    links = item.get("indicators")
    if links:
        item["indicators"] = [link["indicator"] if set(link) == {"indicator"} else link for link in links]
    return item


def _compact_indicator(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("normalisation") == {"method": "maturity"}:
        item["normalisation"] = "maturity"
    return item


def plan_to_data(plan: Masterplan) -> dict[str, Any]:
    """Return the plan as plain data in file order, leaving out values equal to their defaults.

    A built-in framework (and questionnaire) is written by name; indicators moved without expected
    values are written as bare ids; the context parts (goals, issues...) only when the plan has some.
    ``Masterplan.model_validate(plan_to_data(plan)) == plan``.
    """
    dumped = plan.model_dump(mode="python", exclude_defaults=True)
    data: dict[str, Any] = {
        "format_version": plan.format_version,
        "region": dumped["region"],
        "period": dumped["period"],
    }
    builtin = next((name for name in BUILTIN_FRAMEWORKS if plan.framework == builtin_framework(name)), None)
    data["framework"] = (
        builtin if builtin is not None else plan.framework.model_dump(mode="python", exclude_defaults=True)
    )
    for name in ("document", "horizons", "pillars"):
        if dumped.get(name):
            data[name] = dumped[name]
    if "questionnaire" in dumped:  # a questionnaire of the plan's own; the built-in one is the default
        named = next((q for q in BUILTIN_QUESTIONNAIRES if plan.questionnaire == builtin_questionnaire(q)), None)
        data["questionnaire"] = named if named is not None else dumped["questionnaire"]
    data["opds"] = dumped.get("opds", [])
    data["indicators"] = [_compact_indicator(item) for item in dumped.get("indicators", [])]
    data["initiatives"] = [_compact_initiative(item) for item in dumped.get("initiatives", [])]
    for section in (*CONTEXT_SECTIONS, "progress"):
        if dumped.get(section):
            data[section] = dumped[section]
    data["observations"] = dumped.get("observations", [])
    tidy: dict[str, Any] = _tidy(data)
    return tidy


def _yaml(data: Any) -> str:
    return format_yaml(data)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    msg = f"cannot write {type(value).__name__} as JSON"
    raise TypeError(msg)


def dumps(plan: Masterplan, fmt: str = "yaml") -> str:
    """Return the plan as one YAML (``fmt="yaml"``) or JSON (``fmt="json"``) document."""
    data = plan_to_data(plan)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=_json_default) + "\n"
    if fmt == "yaml":
        return _yaml(data)
    msg = f"unknown format {fmt!r}; use 'yaml' or 'json'"
    raise UnsupportedFormatError(msg)


def _folder_texts(plan: Masterplan, folder: Path, comments: Mapping[str, str] | None = None) -> dict[Path, str | bytes]:
    data = plan_to_data(plan)
    header = {key: value for key, value in data.items() if key not in SECTIONS}
    texts: dict[Path, str | bytes] = {folder / FOLDER_FILES[None]: _yaml(header)}
    for section, name in FOLDER_FILES.items():
        if section is None or section == "observations":
            continue
        items = data.get(section, [])
        if section == "progress":
            if plan.progress or (folder / name).exists():  # an old table keeps its header when emptied
                texts[folder / name] = format_table(plan.progress, PROGRESS_TABLE)
        elif section in CORE_FILES or items or (folder / name).exists():  # an old file gets [] when emptied
            texts[folder / name] = _yaml(items)
    for name, comment in (comments or {}).items():
        lines = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
        texts[folder / name] = lines + str(texts[folder / name])
    texts.update(_observation_texts(plan, folder))
    return texts


def _existing_rows(path: Path) -> list[Observation]:
    """Read the rows a table holds now, to keep each where it is; refuse the save if they cannot be read."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PlanWarning)  # said when the plan was loaded
            rows = _parse(path, str(path)).data
        return [Observation.model_validate(row) for row in rows]
    except (MasterplanError, ValidationError) as error:
        reason = error if isinstance(error, MasterplanError) else _("a row cannot be read")
        msg = _(
            "the plan was not saved: {file} cannot be read ({reason}), so its rows cannot be kept in it; "
            "correct it or move it out of {folder}"
        ).format(file=path, reason=str(reason).splitlines()[-1].strip(), folder=OBSERVATIONS_FOLDER + "/")
        raise SaveError(msg) from None


def _table_text(path: Path, rows: Sequence[Observation]) -> str | bytes:
    """Write a table as the file at ``path`` is written (Excel's ``;``, decimal commas, headers, encoding).

    A new table, or one whose form cannot hold these rows (they would read back otherwise), is
    written in the plain form: commas, decimal points, English headers, UTF-8.
    """
    try:
        dialect = csv_dialect(path) if path.is_file() else None
    except MasterplanError:
        dialect = None
    plain = format_observations(rows)
    if dialect is None or dialect.plain:
        return plain
    text = format_observations(rows, dialect)
    try:
        reread = Observation_list.validate_python(parse_observations(text, str(path)).data)
    except (MasterplanError, ValidationError):
        return plain
    if list(reread) != list(rows):
        return plain
    if dialect.encoding == "utf-8":
        return text
    try:
        return text.encode(dialect.encoding)
    except UnicodeEncodeError:  # a character the file's old encoding cannot hold: UTF-8, marked so Excel knows
        return text.encode("utf-8-sig")


def _observation_texts(plan: Masterplan, folder: Path) -> dict[Path, str | bytes]:
    """Return the observation tables to write: ``observations.csv``, or the tables the folder keeps.

    In a folder with tables in ``observations/``, every row goes back to the table that holds its
    indicator, region and year; a new row goes to the table with most rows of its indicator (else
    ``observations.csv`` if the folder has one, else the first table). A table whose rows are
    unchanged is not rewritten, and one that is keeps the form it was written in (Excel's ``;``
    and decimal commas, Indonesian headers, its encoding), so the files an OPD keeps in Excel
    open there as before.
    """
    single = folder / FOLDER_FILES["observations"]
    below = folder / OBSERVATIONS_FOLDER
    tables = observation_tables(folder) if below.is_dir() else []
    if not any(path.parent == below for path in tables):
        return {single: _table_text(single, plan.observations)}
    linked = [path for path in (below, *tables) if path.is_symlink()]
    if linked:
        msg = _("the plan was not saved: {path} is a link; observation tables are saved in a folder of the plan")
        raise SaveError(msg.format(path=linked[0]))
    region = plan.region.id
    kept = {path: _existing_rows(path) for path in tables}
    home: dict[tuple[str, str, int], Path] = {}
    most: dict[str, Counter[Path]] = {}
    for path, rows in kept.items():
        for obs in rows:
            home.setdefault((obs.indicator, obs.region or region, obs.year), path)
            most.setdefault(obs.indicator, Counter())[path] += 1
    fallback = single if single in kept else tables[0]
    placed: dict[Path, list[Observation]] = {path: [] for path in tables}
    for obs in plan.observations:
        found = home.get((obs.indicator, obs.region or region, obs.year))
        if found is None:
            counts = most.get(obs.indicator)
            found = counts.most_common(1)[0][0] if counts else fallback
        placed[found].append(obs)
    return {path: _table_text(path, rows) for path, rows in placed.items() if rows != kept[path]}


def dump_commented(plan: Masterplan, folder: str | Path, comments: Mapping[str, str]) -> Path:
    """Save ``plan`` to a new plan folder with a comment block at the top of some of its YAML files.

    ``comments`` maps a file name (``opds.yaml``) to its text; each line becomes a ``#`` comment.
    The folder must not exist yet, or be empty; the save is all-or-nothing as :func:`dump`'s.
    """
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        msg = _("{path} already exists and is not an empty folder; choose a new folder").format(path=target)
        raise FileExistsError(msg)
    unknown = sorted(set(comments) - {FOLDER_FILES[part] for part in (None, "opds", "indicators", "initiatives")})
    if unknown:
        msg = f"comments can only head the YAML files of a plan folder, not {', '.join(unknown)}"
        raise ValueError(msg)
    with collector_paused():
        _save_folder(plan, target, _folder_texts(plan, target, comments))
    return target


_SAVED_TO = N_("a folder or a .yaml, .yml, .json or .xlsx file")


def dump(plan: Masterplan, path: str | Path) -> Path:
    """Save ``plan`` to a folder, or to one file if ``path`` ends in ``.yaml``, ``.yml``, ``.json`` or ``.xlsx``.

    An ``.xlsx`` workbook (with the ``excel`` extra) is laid out for planners to fill in; see
    :mod:`smartcity_model.io.excel`. In a folder whose observations are kept in tables under
    ``observations/``, each row is saved back to the table that holds it.

    Output is deterministic (the same plan always gives the same bytes, in the plan's own order)
    and atomic: every file is written in full beside its target before any target is replaced.
    ``load(dump(plan, path)) == plan``. Returns the path written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SINGLE_SUFFIXES | EXCEL_SUFFIXES and target.exists() and not target.is_dir():
        msg = _("{path}: expected {kinds} name").format(path=target, kinds=_(_SAVED_TO))
        raise UnsupportedFormatError(msg)
    if suffix not in _SINGLE_SUFFIXES | EXCEL_SUFFIXES and _FILE_SUFFIX.fullmatch(suffix) and not target.is_dir():
        msg = _(
            "{path}: a masterplan is saved to {kinds}, not to a {suffix} file "
            "(to save to a new folder with this name, create the folder first)"
        ).format(path=target, kinds=_(_SAVED_TO), suffix=suffix)
        raise UnsupportedFormatError(msg)
    if suffix in EXCEL_SUFFIXES and not target.is_dir():
        try:
            book = write_workbook(plan)
        except ValueError as error:  # what a worksheet cannot hold (a cell over Excel's limit)
            raise SaveError(_("the plan was not saved as a workbook: {reason}").format(reason=error)) from None
        with collector_paused():
            write_files_atomically({target: book}, check=lambda written: _check_workbook(plan, written))
        return target
    with collector_paused():
        if suffix in _SINGLE_SUFFIXES and not target.is_dir():
            text = dumps(plan, "json" if suffix == ".json" else "yaml")
            write_files_atomically({target: text}, check=lambda written: _check_single(plan, written))
        else:
            _save_folder(plan, target, _folder_texts(plan, target))
    return target


def _save_folder(plan: Masterplan, folder: Path, texts: Mapping[Path, str | bytes]) -> None:
    """Write a plan folder's files all-or-nothing, checking first that the folder will load as ``plan``."""
    single, below = folder / FOLDER_FILES["observations"], folder / OBSERVATIONS_FOLDER
    tables = set(observation_tables(folder)) | {path for path in texts if path == single or path.parent == below}
    ordered = ([single] if single in tables else []) + sorted(path for path in tables if path != single)
    write_files_atomically(dict(texts), check=lambda written: _check_folder(plan, folder, written, ordered))


def _not_saved(error: MasterplanError | None = None, where: str | None = None, what: str = "files") -> SaveError:
    """Return the error of a save refused because what was written would not load back as the plan."""
    if error is not None:
        message = _("the plan was not saved: the {what} written would not load back ({error})")
        return SaveError(message.format(what=_(_WRITTEN[what]), error=error))
    message = _("the plan was not saved: the {what} written would load back differently, at {where}")
    return SaveError(message.format(what=_(_WRITTEN[what]), where=where))


_WRITTEN = {"files": N_("files"), "workbook": N_("workbook")}


def _check_workbook(plan: Masterplan, written: Mapping[Path, Path]) -> None:
    """Read the workbook just written back, and refuse it unless it gives ``plan``."""
    ((final, new),) = written.items()
    try:
        loaded = read_workbook(new, str(final))
    except MasterplanError as error:
        raise _not_saved(error, what="workbook") from error
    if loaded != plan:
        raise _not_saved(where=_first_difference(plan, loaded), what="workbook")


def _check_single(plan: Masterplan, written: Mapping[Path, Path]) -> None:
    """Load the one file just written (before it replaces anything) and refuse it unless it gives ``plan``."""
    ((final, new),) = written.items()
    try:
        loaded = _load_single(new, str(final))
    except MasterplanError as error:
        raise _not_saved(error) from error
    if loaded != plan:
        raise _not_saved(where=_first_difference(plan, loaded))


def _check_folder(plan: Masterplan, folder: Path, written: Mapping[Path, Path], tables: Sequence[Path]) -> None:
    """Load the folder as it will be once the files written replace the old ones; refuse it unless it gives ``plan``."""
    files = {part: written.get(folder / name, folder / name) for part, name in FOLDER_FILES.items()}
    shown = {part: str(folder / name) for part, name in FOLDER_FILES.items()}
    try:
        with warnings.catch_warnings():  # what a load would warn of is said when the plan is loaded, not here
            warnings.simplefilter("ignore", PlanWarning)
            loaded = _load_parts(files, shown, str(folder), [(written.get(path, path), str(path)) for path in tables])
    except MasterplanError as error:
        raise _not_saved(error) from error
    if len(tables) > 1:  # rows kept in several tables come back table by table
        loaded = _in_order_of(plan, loaded)
    if loaded != plan:
        raise _not_saved(where=_first_difference(plan, loaded))


def _in_order_of(plan: Masterplan, loaded: Masterplan) -> Masterplan:
    """Return ``loaded`` with its observations in ``plan``'s order, where both hold the same rows."""
    region = plan.region.id

    def key(obs: Observation) -> tuple[str, str, int]:
        return (obs.indicator, obs.region or region, obs.year)

    found = {key(obs): obs for obs in loaded.observations}
    if len(found) != len(loaded.observations) or set(found) != {key(obs) for obs in plan.observations}:
        return loaded
    return loaded.model_copy(update={"observations": tuple(found[key(obs)] for obs in plan.observations)})


def _first_difference(expected: Masterplan, found: Masterplan) -> str:
    """Return the path of the first value that differs, e.g. ``initiatives[3].name``."""

    def walk(a: Any, b: Any, path: str) -> str | None:
        if isinstance(a, dict) and isinstance(b, dict):
            for key in dict.fromkeys([*a, *b]):
                found = walk(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
                if found is not None:
                    return found
            return None
        if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
            return next(
                (f for n, (x, y) in enumerate(zip(a, b, strict=True)) if (f := walk(x, y, f"{path}[{n}]"))), None
            )
        return None if a == b else f"{path or 'the plan'} ({a!r} became {b!r})"[:300]

    return walk(expected.model_dump(), found.model_dump(), "") or "the plan"
