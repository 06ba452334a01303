"""Files kubelint writes (reports, baselines) appear whole or not at all."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO


def shown_path(path: Path | str) -> str:
    """A path as kubelint prints it: bytes that are not UTF-8 and controls escaped."""
    from kubelint.reporters.safe import visible

    return visible(os.fspath(path))


def new_file_mode() -> int:
    """The permissions a new file gets from the umask."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_for(path: Path) -> int:
    """The permissions a plain ``open(path, "w")`` would give: kept, or from the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return new_file_mode()


def temporary_beside(path: Path, data: bytes, mode: int) -> str:
    """A new temporary file beside ``path`` holding ``data``, on disk, with ``mode``: its
    name, for the caller to rename or link into place. Raises :class:`OSError`, leaving
    nothing behind."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return temporary


def write_atomically(path: Path, write: Callable[[TextIO], None]) -> None:
    """Write ``path`` through ``write`` into a temporary file beside it, then rename it.

    Two runs writing the same report, or a run interrupted mid-write (Ctrl-C, a full
    disk), leave the previous file or a complete new one, never a mix or a truncated one.
    A destination that exists and is not a regular file (``/dev/stdout``, a FIFO) is
    written directly: renaming over it would replace the device, not write to it.
    Raises :class:`OSError`.
    """
    if path.exists() and not path.is_file():
        with path.open("w", encoding="utf-8") as stream:
            write(stream)
        return
    # A link is written through, as a plain write would: the file it points at is replaced.
    path = Path(os.path.realpath(path))
    mode = _mode_for(path)
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except PermissionError:
        if not path.is_file():
            raise
        # A writable file in a folder the user may not add to: written in place, the only
        # way left (not atomic, as before kubelint wrote beside the file).
        with path.open("w", encoding="utf-8") as stream:
            write(stream)
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
