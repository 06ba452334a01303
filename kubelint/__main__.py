"""The ``kubelint`` command and ``python -m kubelint``.

``kubelint --version`` alone is answered here, before the command line (typer) and the
checks are imported: it is asked on every run by tools that check what they launch, and
the full start costs ten times as much. Anything else goes to :func:`kubelint.cli.run`.
"""

from __future__ import annotations

import gc
import os
import sys


def run() -> None:
    """Console-script entry point (see :func:`kubelint.cli.run`)."""
    if sys.argv[1:] == ["--version"]:
        _version()
    # Off before the command line is imported, not only before the run: the import creates
    # many objects, and the collector would walk them again in a process that lives a
    # fraction of a second (see cli.run).
    gc.disable()
    from kubelint.cli import run as run_cli

    run_cli()


def _version() -> None:
    """Print what ``kubelint --version`` prints and exit 0, as the full command does.

    Returns only when standard output refuses the line (a closed pipe, a full disk): the
    full command then meets the same failure and answers it as it always has.
    """
    from kubelint import __version__

    if sys.stdout is not None:
        try:
            sys.stdout.write(f"kubelint {__version__}\n")
            sys.stdout.flush()
        except (OSError, ValueError):
            return
    os._exit(0)


if __name__ == "__main__":
    run()
