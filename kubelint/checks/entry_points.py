"""Plugin discovery without paying for it when there are no plugins.

``importlib.metadata`` is the authority on entry points, but importing it (it brings
``email``, ``zipfile``, ``csv``...) and scanning every distribution costs more than
kubelint's own start-up on a one-file lint, on every run and every commit. Almost no
installation has a kubelint plugin, so :func:`may_declare` first looks for the group's
header in the ``entry_points.txt`` files that installers write (``*.dist-info`` and
``*.egg-info`` folders on ``sys.path``). Only when one may declare it, or when the
environment holds something this quick look cannot read (a zip on ``sys.path``, a
distribution finder of a third party, ``importlib.metadata`` already imported and so
possibly patched), is ``importlib.metadata`` asked. A false yes costs the slow path; a
false no is impossible for the layouts the quick look accepts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

_METADATA_SUFFIXES = (".dist-info", ".egg-info")


def may_declare(group: str) -> bool:
    """Whether some installed distribution may declare entry points of ``group``."""
    if "importlib.metadata" in sys.modules:
        return True  # imported already: asking it costs nothing more (and tests patch it)
    if _foreign_finders():
        return True
    header = f"[{group}]"
    for entry in sys.path:
        listing = _listing(entry or ".")
        if listing is None:
            return True  # not a folder we can list (a zip, an egg): ask the authority
        for name in listing:
            if name.endswith(_METADATA_SUFFIXES) and _declares(
                os.path.join(entry or ".", name, "entry_points.txt"), header
            ):
                return True
    return False


def load(group: str) -> Iterator[Any]:
    """The entry points of ``group`` (``importlib.metadata.EntryPoint``), if any."""
    if not may_declare(group):
        return iter(())
    from importlib.metadata import entry_points

    return iter(entry_points(group=group))


def _listing(entry: str) -> list[str] | None:
    """The names in a ``sys.path`` folder; [] when it does not exist; None when it is not
    a folder (a zip file)."""
    try:
        return os.listdir(entry)
    except (FileNotFoundError, NotADirectoryError):
        return None if os.path.isfile(entry) else []
    except OSError:
        return None


def _declares(path: str, header: str) -> bool:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except FileNotFoundError:
        return False
    except OSError:
        return True  # unreadable here: let importlib.metadata decide
    # Section headers may carry spaces inside the brackets in hand-written files.
    return header in text or header in text.replace(" ", "")


def _foreign_finders() -> bool:
    """Whether a finder other than the standard path finder may list distributions."""
    from importlib.machinery import PathFinder

    return any(
        finder is not PathFinder and hasattr(finder, "find_distributions")
        for finder in sys.meta_path
    )
