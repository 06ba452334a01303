"""Paths as CI systems want them: relative to the root of the repository."""

from __future__ import annotations

import os
import subprocess
from functools import cache
from pathlib import Path


@cache
def repository_root(cwd: str) -> Path:
    """The git work tree around ``cwd``, else ``cwd`` itself."""
    try:
        out = subprocess.run(
            ["git", "-C", cwd, "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return Path(cwd)
    top = out.stdout.strip()
    return Path(top) if out.returncode == 0 and top else Path(cwd)


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
