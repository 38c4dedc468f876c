"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_files_atomically"]


def write_files_atomically(files: Mapping[Path, str]) -> None:
    """Write every file of ``files`` (path to text) so that none is ever left half-written.

    All texts are first written and flushed to temporary files beside their targets; only when
    every one of them is on disk are they moved into place, each with an atomic rename. If
    anything fails before that, the temporary files are removed and the targets are untouched.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, text in files.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            staged.append((Path(tmp_name), target))
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in staged:
            tmp.replace(target)
    finally:
        for tmp, _ in staged:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
