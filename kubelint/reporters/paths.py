"""Paths as CI systems want them: relative to the root of the repository."""

from __future__ import annotations

import os
from pathlib import Path

from kubelint.loader.discovery import work_tree
from kubelint.model import Report


def report_root(report: Report) -> Path:
    """The folder a report's paths are relative to: the one the run found (see
    ``Report.root``), else, for a report built by hand, the work tree around the working
    folder."""
    return report.root if report.root is not None else work_tree(os.getcwd())


def repo_relative(file: str, root: Path) -> str:
    """``file`` (as shown to users) relative to ``root`` when it is a file below it.

    Names that are not files here (Helm templates named by ``# Source:``, ``<stdin>``) are
    returned as they are.
    """
    path = Path(file)
    if not path.exists():
        return file
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(root.resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()
