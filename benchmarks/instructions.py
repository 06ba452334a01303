"""Lint cost against the parse floor in CPU instructions (valgrind), immune to machine noise.

    python benchmarks/instructions.py [CORPUS]

Runs three processes under valgrind's callgrind (about a minute in all): start-up only
(imports and file listing), the parse floor (libyaml composing every document with marks,
nodes kept), and kubelint with the default checks. Start-up is subtracted from the other
two and the ratio printed. Instructions are not seconds (cache misses and allocation
differ), but the count is the same on every run, which wall time on a shared machine is not.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def instructions(mode: str, corpus: Path) -> int:
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            str(HERE / "_workload.py"),
            mode,
            str(corpus),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    assert match, result.stderr[-500:]
    return int(match.group(1).replace(",", ""))


def main() -> int:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_CORPUS
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    start = instructions("start", corpus)
    floor = instructions("floor", corpus) - start
    lint = instructions("lint", corpus) - start
    print(f"corpus: {corpus}")
    print(f"parse floor : {floor / 1e6:8.1f} M instructions")
    print(f"kubelint    : {lint / 1e6:8.1f} M instructions")
    print(f"ratio lint/floor: {lint / floor:.2f}x (target <= 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
