"""One workload per process, for instruction counting (see instructions.py)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

from _floor import files_of, floor

from kubelint.config import Config
from kubelint.runner import Inputs, lint

KEEP: list[object] = []


def main() -> None:
    mode, corpus = sys.argv[1], Path(sys.argv[2])
    files = files_of(corpus)
    gc.disable()
    if mode == "floor":
        KEEP.append(floor(files))
    elif mode == "lint":
        KEEP.append(lint(Inputs([str(corpus)]), Config()))
    elif mode.startswith("lint:"):  # lint:check-a,check-b ("lint:" alone runs no check)
        from kubelint.checks import registry
        from kubelint.runner import select_checks

        ids = [i for i in mode[5:].split(",") if i]
        checks = select_checks(registry(), ids, []) if ids else []
        KEEP.append(lint(Inputs([str(corpus)]), Config(), checks))
    # mode "start": imports and file listing only, subtracted from both


if __name__ == "__main__":
    main()
