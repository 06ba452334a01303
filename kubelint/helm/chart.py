"""Finding the chart a ``# Source:`` name comes from, on disk and offline.

A rendered object names its template as ``<chart>/templates/<file>`` (or
``<chart>/charts/<subchart>/templates/<file>`` for a subchart). kubelint looks for a
folder whose ``Chart.yaml`` has that name: the folder the rendered file is in and its
parents (up to the working directory or the top of the file's work tree), the working
directory, their ``<chart>`` and ``charts/<chart>`` folders, then a
short walk under the working directory. A subchart's values are set under its name in
the parent chart's ``values.yaml``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kubelint.loader.discovery import Unreadable, git_root, read_regular

#: Folders the walk for a chart never enters.
_SKIPPED = frozenset({"node_modules", "vendor", "__pycache__", "site-packages"})
_WALK_DEPTH = 4
_WALK_FOLDERS = 5000
#: More than this is no template or values file kubelint reads for a suggestion.
MAX_FILE_BYTES = 1024 * 1024
_NAME = re.compile(r"^name:[ \t]*[\"']?([^\"'\s#]+)", re.MULTILINE)


@dataclass(frozen=True)
class Template:
    """Where a rendered object's template and the values it reads are."""

    chart: Path
    template: Path
    values: Path
    #: Where the template's ``.Values`` sit in ``values`` (a subchart's name, else empty).
    prefix: tuple[str, ...]


def chart_name(source: str) -> str:
    """The chart a ``# Source:`` name belongs to (its first part)."""
    return PurePosixPath(source).parts[0]


def find_template(source: str, near: Path | None, cwd: Path) -> Template | None:
    """The template ``source`` names, in a chart found on disk; None when not found."""
    path = PurePosixPath(source)
    parts = path.parts
    if len(parts) < 3 or ".." in parts or path.is_absolute():
        return None
    chart = find_chart(parts[0], near, cwd)
    if chart is None:
        return None
    rest: list[str] = list(parts[1:])
    prefix: list[str] = []
    folder = chart
    while len(rest) > 2 and rest[0] == "charts":
        folder, prefix = folder / "charts" / rest[1], [*prefix, rest[1]]
        rest = rest[2:]
    template = folder.joinpath(*rest)
    if not template.is_file():
        return None
    return Template(chart, template, chart / "values.yaml", tuple(prefix))


def find_chart(name: str, near: Path | None, cwd: Path) -> Path | None:
    """A folder holding a ``Chart.yaml`` named ``name``."""
    roots = [*_parents(near, cwd), cwd] if near is not None else [cwd]
    for root in dict.fromkeys(roots):
        for folder in (root, root / name, root / "charts" / name):
            if _named(folder, name):
                return folder
    return _walk(cwd, name)


def _parents(near: Path, cwd: Path) -> list[Path]:
    """``near`` and its parents, up to the working directory when it is under it, else up
    to the top of its git work tree (never the folders above: no Chart.yaml is read
    outside the tree being linted)."""
    found = [near, *near.parents]
    top = cwd if cwd in found else git_root(near)
    return found[: found.index(top) + 1] if top in found else [near]


def read_chart_file(path: Path, chart: Path) -> str | None:
    """The text of a file of a chart, read as kubelint reads manifests (a regular file, a
    link only to a file inside the chart) within :data:`MAX_FILE_BYTES`; None when it is
    missing or not read so."""
    try:
        raw = read_regular(path, chart, MAX_FILE_BYTES)
    except (OSError, Unreadable):
        return None
    return raw.decode("utf-8", errors="replace")


def _named(folder: Path, name: str) -> bool:
    text = read_chart_file(folder / "Chart.yaml", folder)
    if text is None:
        return False
    found = _NAME.search(text)
    return found is not None and found.group(1) == name


def _walk(cwd: Path, name: str) -> Path | None:
    """A short breadth-first walk under ``cwd`` (hidden and vendored folders skipped)."""
    level, seen = [cwd], 0
    for _ in range(_WALK_DEPTH):
        deeper: list[Path] = []
        for folder in level:
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            for entry in entries:
                if not entry.is_dir(follow_symlinks=False) or entry.name.startswith("."):
                    continue
                if entry.name in _SKIPPED:
                    continue
                seen += 1
                if seen > _WALK_FOLDERS:
                    return None
                if _named(Path(entry.path), name):
                    return Path(entry.path)
                deeper.append(Path(entry.path))
        level = deeper
    return None
