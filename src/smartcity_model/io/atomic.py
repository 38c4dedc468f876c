"""All-or-nothing saves: several files of one folder replaced together, or not at all.

A save runs under an exclusive lock on the folder (readers take a shared one) and follows a
journal, so that a process killed at any instant, a file that cannot be replaced or two writers
at once leave the folder holding exactly the old files or exactly the new ones:

1. **prepare** — the journal (``.smartcity-journal.json``) lists every file about to be written;
2. every new file is written in full beside its target (``.NAME.smartcity-ID.new``) and flushed
   to disk, and may be checked (a plan is loaded back) before anything else happens;
3. every existing target is kept as a hard link (``.NAME.smartcity-ID.old``);
4. **commit** — the journal is rewritten with state ``committed``: from here on the save is done;
5. every new file is renamed over its target (one atomic rename each), then the journal and the
   kept old files are removed.

Whoever next takes the lock — a save or a load — finishes what a killed save left: a journal
still ``prepared`` is rolled back (the new files are removed), a ``committed`` one is rolled
forward (the remaining renames are made; if one cannot be, every target is put back from its kept
old file). Files the save does not name are never touched. New files get the permissions of the
file they replace, or the umask's; a target that is a symbolic link is followed, and the file it
points to is replaced.

Limits: the lock is an advisory ``flock`` on the folder (POSIX), which every reader and writer of
this library takes but other programs may not; on file systems where ``flock`` does not work
across machines (some network shares), two machines can still race. Durability across a power
cut relies on the file system honouring ``fsync``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from smartcity_model.errors import SaveError
from smartcity_model.i18n import _

__all__ = [
    "JOURNAL",
    "SaveError",
    "folder_lock",
    "interrupted_state",
    "needs_recovery",
    "recover",
    "write_files_atomically",
]

#: The journal of a save in progress, in the folder being saved.
JOURNAL = ".smartcity-journal.json"
_MARK = ".smartcity-"
_NEW, _OLD = ".new", ".old"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no fcntl; saves are then unlocked
    fcntl = None  # type: ignore[assignment]


# ------------------------------------------------------------------------------ locking


@contextlib.contextmanager
def folder_lock(folder: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold a shared or exclusive advisory lock on ``folder`` (no lock where ``flock`` is missing)."""
    if fcntl is None:  # pragma: no cover - see above
        yield
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


# ------------------------------------------------------------------------------ files on disk


def _fsync_folder(folder: Path) -> None:
    """Make renames and removals in ``folder`` durable (a no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _write_new(path: Path, text: str | bytes, mode: int | None) -> None:
    """Create ``path`` (which must not exist) with ``text`` (UTF-8) or bytes, flushed; ``mode`` or the umask's."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise
    if mode is not None:
        path.chmod(mode)


def _remove(path: str | None) -> None:
    if path is not None:
        with contextlib.suppress(FileNotFoundError):
            Path(path).unlink()


def _target(path: Path) -> Path:
    """Follow ``path`` through any symbolic links to the file to replace (which may not exist yet)."""
    return Path(os.path.realpath(path))


@dataclass
class _Entry:
    target: str
    new: str
    old: str | None

    def as_dict(self) -> dict[str, str | None]:
        return {"target": self.target, "new": self.new, "old": self.old}


def _write_journal(folder: Path, state: str, entries: list[_Entry]) -> None:
    """Replace the journal atomically: the prepare and commit points of a save."""
    journal = folder / JOURNAL
    scratch = folder / f"{JOURNAL}.{uuid.uuid4().hex[:12]}{_NEW}"
    _write_new(scratch, json.dumps({"state": state, "entries": [e.as_dict() for e in entries]}), None)
    scratch.replace(journal)
    _fsync_folder(folder)


def _read_journal(folder: Path) -> tuple[str, list[_Entry]] | None:
    """Read the journal of an interrupted save; refuse one this module did not write.

    A journal only ever names files of the folder (or the files its links point to), each with
    its new and kept old copy beside it; anything else (a journal written by hand, by another
    program or by an attacker) is refused with a :class:`SaveError`, and no file is touched.
    """
    path = folder / JOURNAL
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        state = data["state"]
        entries = [_Entry(e["target"], e["new"], e["old"]) for e in data["entries"]]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as error:
        msg = _(
            "{path}: the journal of an interrupted save cannot be read ({reason}); remove it if no save is running"
        ).format(path=path, reason=error)
        raise SaveError(msg) from None
    untrusted = state not in {"prepared", "committed"} or not all(_trusted(entry) for entry in entries)
    if untrusted:
        msg = _(
            "{path}: the journal of an interrupted save names files this folder's saves never write; "
            "nothing was touched; remove the journal if no save is running"
        ).format(path=path)
        raise SaveError(msg)
    outside = [entry.target for entry in entries if not _inside(folder, Path(entry.target))]
    if outside:  # a link of the folder led the save elsewhere: finishing it would write outside the folder
        msg = _(
            "{path}: an interrupted save replaced files outside this folder, which its links point to ({files}); "
            "to be safe it is not finished here, and nothing was touched: check those files, then remove the "
            "journal and save the plan again"
        ).format(path=path, files=", ".join(outside))
        raise SaveError(msg)
    return str(state), entries


def _inside(folder: Path, target: Path) -> bool:
    """Tell whether ``target`` lies in ``folder`` or in one of its own (not hidden, not linked) folders."""
    home = Path(os.path.realpath(folder))
    parent = target.parent
    if parent == home:
        return True
    own = parent.parent == home and not parent.name.startswith(".")
    return own and not (home / parent.name).is_symlink() and (home / parent.name).is_dir()


def _trusted(entry: _Entry) -> bool:
    """Tell whether a journal entry is one a save writes: a target with its new and kept old files beside it.

    Whether the target lies inside the folder is checked apart (:func:`_inside`): a save that
    followed a link elsewhere is one this module wrote, but it is not finished from the folder.
    """
    if not all(isinstance(name, str) for name in (entry.target, entry.new)) or not isinstance(entry.old, str | None):
        return False
    target = Path(entry.target)
    pattern = re.compile(rf"\.{re.escape(target.name)}{re.escape(_MARK)}[0-9a-f]{{12}}")
    new_ok = Path(entry.new).parent == target.parent and pattern.fullmatch(Path(entry.new).name.removesuffix(_NEW))
    old_ok = entry.old is None or (
        Path(entry.old).parent == target.parent and pattern.fullmatch(Path(entry.old).name.removesuffix(_OLD))
    )
    return bool(new_ok and old_ok and entry.new.endswith(_NEW) and (entry.old is None or entry.old.endswith(_OLD)))


def _roll_forward(entries: list[_Entry], *, strict: bool = False) -> None:
    """Rename every new file over its target; ``strict`` (a save, not a recovery): each must still be there.

    A recovery finds some new files renamed already; a save that finds one gone (removed by
    something else) raises, to be rolled back rather than half done.
    """
    for entry in entries:
        if os.path.lexists(entry.new):
            Path(entry.new).replace(entry.target)
        elif strict:
            raise SaveError(_("{path} was removed while the plan was being saved").format(path=entry.new))
    for folder in {Path(e.target).parent for e in entries}:
        _fsync_folder(folder)


def _discard(entries: list[_Entry]) -> None:
    """Undo a save that never committed: its targets were never touched, so remove its own files."""
    for entry in entries:
        _remove(entry.new)
        _remove(entry.old)


def _roll_back(entries: list[_Entry]) -> None:
    """Undo a committed save: put back every target already replaced, remove the rest."""
    for entry in entries:
        if os.path.lexists(entry.new):  # not replaced yet: the target still holds the old file
            _remove(entry.new)
        elif entry.old is not None and os.path.lexists(entry.old):
            Path(entry.old).replace(entry.target)
        elif entry.old is None:  # the target is new: there was no file before
            _remove(entry.target)
    for folder in {Path(e.target).parent for e in entries}:
        _fsync_folder(folder)


def _finish(folder: Path, entries: list[_Entry]) -> None:
    """Remove the journal, then the kept old files and any new file left over."""
    _remove(str(folder / JOURNAL))
    _fsync_folder(folder)
    for entry in entries:
        _remove(entry.old)
        _remove(entry.new)


def _strays(folder: Path, places: list[Path] | None = None) -> list[Path]:
    """Files that only an interrupted save leaves: new and kept old files, journals being written.

    New and kept old files are looked for in the folder and in ``places`` (by default its own folders).
    """
    patterns = (f".*{_MARK}*{_NEW}", f".*{_MARK}*{_OLD}")
    where = [folder, *(_subfolders(folder) if places is None else places)]
    files = [path for place in where for pattern in patterns for path in place.glob(pattern)]
    return sorted({*files, *folder.glob(f"{JOURNAL}.*{_NEW}")})


def _subfolders(folder: Path) -> list[Path]:
    """Return the folders a save may write into below ``folder``: its own, not hidden, not linked.

    A folder with a journal of its own is another folder's saves (a plan folder inside a folder of
    plans), not this one's.
    """
    try:
        items = list(folder.iterdir())
    except OSError:
        return []
    return [
        item
        for item in items
        if not item.name.startswith(".") and item.is_dir() and not item.is_symlink() and not (item / JOURNAL).exists()
    ]


@contextlib.contextmanager
def _free_subfolders(folder: Path) -> Iterator[list[Path]]:
    """Yield the folder's own folders that no other save holds, each locked until the block ends.

    A folder another process has locked is saving as a folder of its own: its files are left alone.
    """
    with contextlib.ExitStack() as stack:
        yield [place for place in _subfolders(folder) if stack.enter_context(_try_lock(place))]


@contextlib.contextmanager
def _try_lock(folder: Path) -> Iterator[bool]:
    """Take an exclusive lock on ``folder`` if no one holds it; yield whether it was taken."""
    if fcntl is None:  # pragma: no cover - no locks where flock is missing
        yield True
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)


def recover(folder: Path) -> bool:
    """Finish a save that was interrupted in ``folder`` (hold the exclusive lock); tell whether one was.

    A prepared save is rolled back, a committed one rolled forward (or back, if a target cannot be
    replaced); leftover files of saves are removed.
    """
    found = _read_journal(folder)
    if found is not None:
        state, entries = found
        if state == "committed":
            try:
                _roll_forward(entries)
            except OSError:
                _roll_back(entries)
        else:
            _discard(entries)
        _finish(folder, entries)
    with _free_subfolders(folder) as places:
        strays = _strays(folder, places)
        for stray in strays:
            _remove(str(stray))
    return found is not None or bool(strays)


def interrupted_state(folder: Path) -> str | None:
    """Return the state of an interrupted save in ``folder`` (``prepared``, ``committed``), or ``None``."""
    found = _read_journal(folder)
    return None if found is None else found[0]


def needs_recovery(folder: Path) -> bool:
    """Tell whether ``folder`` holds a journal or leftovers of an interrupted save."""
    return (folder / JOURNAL).exists() or bool(_strays(folder))


# ------------------------------------------------------------------------------ saving


def _keep_old(target: Path, old: Path) -> None:
    """Keep the current ``target`` as ``old``: a hard link (instant), or a copy where links fail."""
    try:
        os.link(target, old)
    except OSError:
        shutil.copy2(target, old)
        with open(old, "rb") as handle:  # noqa: PTH123 - a descriptor to fsync
            os.fsync(handle.fileno())


def _preflight(targets: Mapping[Path, Path]) -> None:
    problems = []
    for path, target in targets.items():
        if target.exists() and not target.is_file():
            what = _("a folder") if target.is_dir() else _("a special file")
            problems.append(_("{path}: there is {what} of that name").format(path=path, what=what))
        elif not target.parent.is_dir():
            problems.append(_("{path}: its folder {folder} does not exist").format(path=path, folder=target.parent))
    if problems:
        raise SaveError(_("cannot save, nothing was changed: {reasons}").format(reasons="; ".join(problems)))


def write_files_atomically(
    files: Mapping[Path, str | bytes],
    *,
    check: Callable[[Mapping[Path, Path]], None] | None = None,
) -> None:
    """Write every file of ``files`` (path to text), all of them or none, even if killed.

    The files must share one folder (it is created if needed), or lie in existing folders of that
    folder (``plan/observations/dinkes.csv``); the lock and the journal are the folder's. ``check``
    receives the written new files (final path → file on disk) before any target is replaced, and
    may raise to stop the save. Raises :class:`SaveError` when a target cannot be written (a folder of that name, a
    missing folder behind a link); an error from ``check`` propagates. Either way the old files
    are untouched.
    """
    if not files:
        return
    folders = {path.parent for path in files}
    folder = min(folders, key=lambda place: len(place.parts))
    if any(place != folder and (place.parent != folder or not place.is_dir()) for place in folders):
        msg = f"the files of one save must share a folder (or existing folders of it), not {sorted(map(str, folders))}"
        raise ValueError(msg)
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder, exclusive=True):
        recover(folder)
        for path in files:  # leftovers of saves made before journals: .NAME.random.tmp
            for stray in path.parent.glob(f".{path.name}.*.tmp"):
                _remove(str(stray))
        targets = {path: _target(path) for path in files}
        _preflight(targets)
        entries = _entries(targets)
        _write_journal(folder, "prepared", list(entries.values()))
        try:
            _stage(files, targets, entries, check)
            _write_journal(folder, "committed", list(entries.values()))
        except BaseException:
            _discard(list(entries.values()))
            _finish(folder, list(entries.values()))
            raise
        try:
            _roll_forward(list(entries.values()), strict=True)
        except OSError as error:
            _roll_back(list(entries.values()))
            _finish(folder, list(entries.values()))
            msg = _("cannot save, nothing was changed: {reasons}").format(reasons=error)
            raise SaveError(msg) from error
        _finish(folder, list(entries.values()))


def _entries(targets: Mapping[Path, Path]) -> dict[Path, _Entry]:
    """Name the new file and the kept old file of every target, for one save."""
    save = uuid.uuid4().hex[:12]
    return {
        path: _Entry(
            str(target),
            str(target.parent / f".{target.name}{_MARK}{save}{_NEW}"),
            str(target.parent / f".{target.name}{_MARK}{save}{_OLD}") if target.exists() else None,
        )
        for path, target in targets.items()
    }


def _stage(
    files: Mapping[Path, str | bytes],
    targets: Mapping[Path, Path],
    entries: Mapping[Path, _Entry],
    check: Callable[[Mapping[Path, Path]], None] | None,
) -> None:
    """Write every new file beside its target, check them, and keep every old file."""
    for path, text in files.items():
        target = targets[path]
        mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
        _write_new(Path(entries[path].new), text, mode)
    if check is not None:
        check({path: Path(entry.new) for path, entry in entries.items()})
    for path, entry in entries.items():
        if entry.old is not None:
            _keep_old(targets[path], Path(entry.old))
