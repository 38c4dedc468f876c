"""Load and save masterplans: a folder of YAML files plus a CSV, or one YAML or JSON file.

The folder format::

    masterplan.yaml     region, period, framework, document, horizons
    opds.yaml           a list of OPDs
    indicators.yaml     a list of indicators
    initiatives.yaml    a list of initiatives
    observations.csv    tidy observations: indicator, year, value[, region, status, source, note]

A single file holds the same data in one mapping, with the lists under ``opds``,
``indicators``, ``initiatives`` and ``observations``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import gc
import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from smartcity_model.checks.config import CHECKS_FILE
from smartcity_model.errors import MasterplanError, PlanNotFoundError, Problem, SaveError, SmartCityError
from smartcity_model.io.atomic import (
    JOURNAL,
    folder_lock,
    interrupted_state,
    needs_recovery,
    recover,
    write_files_atomically,
)
from smartcity_model.io.csvfile import compact_number, format_observations, parse_observations, read_csv_text
from smartcity_model.io.excel import EXCEL_SUFFIXES, read_workbook, write_workbook
from smartcity_model.io.yamlfile import Parsed, format_yaml, parse_json, parse_yaml, read_text
from smartcity_model.model import Framework, Masterplan
from smartcity_model.model.assemble import SECTIONS, Locator, assemble, locate_problem, problems_from_validation
from smartcity_model.model.framework import BUILTIN_FRAMEWORKS, builtin_framework

__all__ = [
    "FOLDER_FILES",
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
    "observations": "observations.csv",
}
_M = TypeVar("_M", bound=BaseModel)
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
    if suffix == ".csv":
        return parse_observations(read_csv_text(path, shown), shown)
    text = read_text(path, shown)
    if suffix == ".json":
        return parse_json(text, shown)
    return parse_yaml(text, shown)


def _locator(parsed: Mapping[str | None, Parsed], shown: Mapping[str | None, str]) -> Locator:
    """Locate a path in the plan's data: in its section's file if it has one, else in the header's."""

    def locate(path: tuple[str | int, ...]) -> tuple[str | None, int | None]:
        part: str | None = path[0] if path and isinstance(path[0], str) and path[0] in parsed else None
        lines, within = (parsed[part].lines, path[1:]) if part is not None else (parsed[None].lines, path)
        for end in range(len(within), 0, -1):
            found = lines.get(within[:end])
            if found is not None:
                return shown[part], found
        return shown[part], None

    return locate


def _load_single(path: Path, shown: str | None = None) -> Masterplan:
    shown = str(path) if shown is None else shown
    parsed = _parse(path, shown)
    return assemble(parsed.data, _locator({None: parsed}, {None: shown}), shown)


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
            message = f"{section!r} is given in both {FOLDER_FILES[None]} and {FOLDER_FILES[section]}"
            problems.append(Problem("wrong-shape", message, file=shown[None], line=parsed[None].lines.get((section,))))
        if part.data is None:
            problems.append(Problem("empty-document", f"no {section}; write [] for an empty list", file=shown[section]))
        data[section] = part.data
    if problems:
        raise MasterplanError(problems, shown[None])
    return data


def _load_parts(files: Mapping[str | None, Path], shown: Mapping[str | None, str], source: str) -> Masterplan:
    """Load a plan from the files of its parts (``None``: the header), naming them as ``shown``."""
    problems: list[Problem] = []
    parsed: dict[str | None, Parsed] = {}
    for part, path in files.items():
        if part is not None and not path.exists():
            continue
        try:
            parsed[part] = _parse(path, shown[part])
        except MasterplanError as error:
            problems.extend(error.problems)
    if problems:
        raise MasterplanError(problems, source)
    header = parsed[None].data
    if not isinstance(header, dict):
        return assemble(header, _locator({None: parsed[None]}, shown), source)
    data = _merge_sections(header, parsed, shown)
    try:
        return assemble(data, _locator(parsed, shown), source)
    except MasterplanError as error:
        missing = _missing_parts(error.problems, files)
        if not missing:
            raise
        raise MasterplanError([*missing, *error.problems], source) from None


#: Suffixes of data files: in a plan folder, each must be one of the plan's files (or checks.yaml).
_DATA_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".csv", ".tsv"})
_SECTION_OF_FIELD = {
    "lead": "opds",
    "supporting": "opds",
    "custodian": "opds",
    "indicators": "indicators",
    "indicator": "indicators",
    "depends_on": "initiatives",
}


def _unknown_files(folder: Path) -> list[Problem]:
    """Report data files in a plan folder that are not the plan's own: a misspelt name is never skipped."""
    known = {name.lower(): name for name in FOLDER_FILES.values()}
    stems = {Path(name).stem: name for name in FOLDER_FILES.values()}
    problems = []
    for path in sorted(folder.iterdir()):
        name = path.name
        if name in FOLDER_FILES.values() or name == CHECKS_FILE or path.suffix.lower() not in _DATA_SUFFIXES:
            continue
        if not path.is_file() or name.startswith("."):
            continue
        meant = known.get(name.lower()) or stems.get(path.stem.lower())
        if meant is not None and (folder / meant).exists() and (folder / meant).samefile(path):
            continue  # a case-insensitive file system: this is the plan's own file
        if meant is None:
            close = difflib.get_close_matches(path.stem.lower(), list(stems), n=1, cutoff=0.75)
            meant = stems[close[0]] if close else None
        hint = f" (did you mean {meant!r}?)" if meant else ""
        files = ", ".join([*FOLDER_FILES.values(), CHECKS_FILE])
        message = f"{name!r} is not one of a plan folder's files{hint}; the files read are {files}"
        problems.append(Problem("unknown-file", message, file=str(path)))
    return problems


def _missing_parts(problems: tuple[Problem, ...], files: Mapping[str | None, Path]) -> list[Problem]:
    """Name each missing part file that the plan's dangling references point into."""
    pointing: dict[str, int] = {}
    for problem in problems:
        if problem.code == "dangling-reference" and problem.field:
            section = _SECTION_OF_FIELD.get(problem.field.split(".")[0])
            if section is not None and not files[section].exists():
                pointing[section] = pointing.get(section, 0) + 1
    return [
        Problem(
            "file-missing",
            f"no {FOLDER_FILES[section]} in the folder, so {count} reference{'' if count == 1 else 's'} "
            f"to its {section} cannot be resolved",
            file=str(files[section]),
        )
        for section, count in pointing.items()
    ]


def _load_folder(folder: Path) -> Masterplan:
    """Load a plan folder under a shared lock, first finishing any save that was interrupted."""
    unknown = _unknown_files(folder)
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
    if needs_recovery(folder):
        try:
            with folder_lock(folder, exclusive=True):
                recover(folder)
                return _load_parts(files, shown, str(folder))
        except SaveError as error:  # a journal this library did not write
            raise MasterplanError(
                [Problem("file-unreadable", str(error), file=str(folder / JOURNAL))], folder
            ) from None
        except PermissionError as error:
            if interrupted_state(folder) == "committed":  # the files may be half old, half new
                message = (
                    f"a save of this plan was interrupted and cannot be finished here ({error.strerror}); "
                    "open the plan once with permission to write to its folder"
                )
                raise MasterplanError([Problem("file-unreadable", message, file=str(folder))], folder) from None
            # a read-only folder where no save committed: the old files are whole; read them
    with folder_lock(folder, exclusive=False):
        return _load_parts(files, shown, str(folder))


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
        msg = f"no masterplan at {target}: no such file or folder"
        raise PlanNotFoundError(msg)
    if target.suffix.lower() in EXCEL_SUFFIXES:
        with collector_paused():
            return read_workbook(target)
    if target.suffix.lower() not in _SINGLE_SUFFIXES:
        msg = f"{target}: expected a masterplan folder or a .yaml, .yml, .json or .xlsx file"
        raise UnsupportedFormatError(msg)
    siblings = [name for part, name in FOLDER_FILES.items() if part is not None and (target.parent / name).exists()]
    if target.name == FOLDER_FILES[None] and siblings:
        msg = (
            f"{target} is the header of the plan folder {target.parent} (beside {', '.join(siblings)}); "
            "load the folder to read the whole plan"
        )
        raise UnsupportedFormatError(msg)
    with collector_paused():
        return _load_single(target)


def load_model_file(path: str | Path, model: type[_M], kind: str) -> _M:
    """Load one YAML or JSON file into ``model``; problems are raised as one error with file and line."""
    target = Path(path)
    if not target.is_file():
        msg = f"no {kind} file at {target}"
        raise PlanNotFoundError(msg)
    shown = str(target)
    parsed = _parse(target, shown)
    try:
        return model.model_validate(parsed.data)
    except ValidationError as error:
        problems = problems_from_validation(error, prefix=(), kind=kind, obj_id=None)
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

    A built-in framework is written by name; indicators moved without expected values are
    written as bare ids. ``Masterplan.model_validate(plan_to_data(plan)) == plan``.
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
    for name in ("document", "horizons"):
        if dumped.get(name):
            data[name] = dumped[name]
    data["opds"] = dumped.get("opds", [])
    data["indicators"] = [_compact_indicator(item) for item in dumped.get("indicators", [])]
    data["initiatives"] = [_compact_initiative(item) for item in dumped.get("initiatives", [])]
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


def _folder_texts(plan: Masterplan, folder: Path, comments: Mapping[str, str] | None = None) -> dict[Path, str]:
    data = plan_to_data(plan)
    header = {key: value for key, value in data.items() if key not in SECTIONS}
    texts = {folder / FOLDER_FILES[None]: _yaml(header)}
    for section in ("opds", "indicators", "initiatives"):
        texts[folder / FOLDER_FILES[section]] = _yaml(data[section])
    texts[folder / FOLDER_FILES["observations"]] = format_observations(plan.observations)
    for name, comment in (comments or {}).items():
        lines = "".join(f"# {line}".rstrip() + "\n" for line in comment.splitlines())
        texts[folder / name] = lines + texts[folder / name]
    return texts


def dump_commented(plan: Masterplan, folder: str | Path, comments: Mapping[str, str]) -> Path:
    """Save ``plan`` to a new plan folder with a comment block at the top of some of its YAML files.

    ``comments`` maps a file name (``opds.yaml``) to its text; each line becomes a ``#`` comment.
    The folder must not exist yet, or be empty; the save is all-or-nothing as :func:`dump`'s.
    """
    target = Path(folder)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        msg = f"{target} already exists and is not an empty folder; choose a new folder"
        raise FileExistsError(msg)
    unknown = sorted(set(comments) - {FOLDER_FILES[part] for part in (None, "opds", "indicators", "initiatives")})
    if unknown:
        msg = f"comments can only head the YAML files of a plan folder, not {', '.join(unknown)}"
        raise ValueError(msg)
    with collector_paused():
        texts = _folder_texts(plan, target, comments)
        write_files_atomically(texts, check=lambda written: _check_written(plan, written))
    return target


def dump(plan: Masterplan, path: str | Path) -> Path:
    """Save ``plan`` to a folder, or to one file if ``path`` ends in ``.yaml``, ``.yml``, ``.json`` or ``.xlsx``.

    An ``.xlsx`` workbook (with the ``excel`` extra) is laid out for planners to fill in; see
    :mod:`smartcity_model.io.excel`.

    Output is deterministic (the same plan always gives the same bytes, in the plan's own order)
    and atomic: every file is written in full beside its target before any target is replaced.
    ``load(dump(plan, path)) == plan``. Returns the path written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in _SINGLE_SUFFIXES | EXCEL_SUFFIXES and target.exists() and not target.is_dir():
        msg = f"{target}: expected a folder or a .yaml, .yml, .json or .xlsx file name"
        raise UnsupportedFormatError(msg)
    if suffix not in _SINGLE_SUFFIXES | EXCEL_SUFFIXES and _FILE_SUFFIX.fullmatch(suffix) and not target.is_dir():
        msg = (
            f"{target}: a masterplan is saved to a folder or to a .yaml, .yml, .json or .xlsx file, not to a "
            f"{suffix} file (to save to a new folder with this name, create the folder first)"
        )
        raise UnsupportedFormatError(msg)
    if suffix in EXCEL_SUFFIXES and not target.is_dir():
        with collector_paused():
            write_files_atomically({target: write_workbook(plan)}, check=lambda written: _check_workbook(plan, written))
        return target
    with collector_paused():
        if suffix in _SINGLE_SUFFIXES and not target.is_dir():
            texts: dict[Path, str | bytes] = {target: dumps(plan, "json" if suffix == ".json" else "yaml")}
        else:
            texts = dict(_folder_texts(plan, target))
        write_files_atomically(texts, check=lambda written: _check_written(plan, written))
    return target


def _check_workbook(plan: Masterplan, written: Mapping[Path, Path]) -> None:
    """Read the workbook just written back, and refuse it unless it gives ``plan``."""
    ((final, new),) = written.items()
    try:
        loaded = read_workbook(new, str(final))
    except MasterplanError as error:
        msg = f"the plan was not saved: the workbook written would not load back ({error})"
        raise SaveError(msg) from error
    if loaded != plan:
        msg = f"the plan was not saved: the workbook would load back differently, at {_first_difference(plan, loaded)}"
        raise SaveError(msg)


def _check_written(plan: Masterplan, written: Mapping[Path, Path]) -> None:
    """Load the files just written (before they replace anything) and refuse them unless they give ``plan``."""
    shown = {final: str(final) for final in written}
    try:
        if len(written) == 1:
            ((final, new),) = written.items()
            loaded = _load_single(new, shown[final])
        else:
            part_of = {name: part for part, name in FOLDER_FILES.items()}
            files = {part_of[final.name]: new for final, new in written.items()}
            names = {part_of[final.name]: shown[final] for final in written}
            loaded = _load_parts(files, names, str(next(iter(written)).parent))
    except MasterplanError as error:
        msg = f"the plan was not saved: the files written would not load back ({error})"
        raise SaveError(msg) from error
    if loaded != plan:
        where = _first_difference(plan, loaded)
        msg = f"the plan was not saved: the files written would load back differently, at {where}"
        raise SaveError(msg)


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
