"""Lint cost against the parse floor in CPU instructions (valgrind), immune to machine noise.

    python benchmarks/instructions.py [CORPUS] [--copies N]

Runs three processes under valgrind's callgrind (about a minute in all): start-up only
(imports and file listing), the parse floor (see _floor.py: libyaml composing every
document with marks, plain data and a line map, all kept), and kubelint with the default checks. Start-up is subtracted from the other
two and the ratio printed. Instructions are not seconds (cache misses and allocation
differ), but the count is the same on every run, which wall time on a shared machine is not.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _floor import copies

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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=1, help="count this many copies of it")
    args = parser.parse_args()
    if not args.corpus.is_dir() or args.copies < 1:
        print(f"no corpus at {args.corpus}, or --copies below 1", file=sys.stderr)
        return 2
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        corpus = copies(args.corpus, args.copies, Path(scratch))
        start = instructions("start", corpus)
        floor = instructions("floor", corpus) - start
        lint = instructions("lint", corpus) - start
    print(f"corpus: {args.corpus} x{args.copies}")
    print(f"parse floor : {floor / 1e6:8.1f} M instructions")
    print(f"kubelint    : {lint / 1e6:8.1f} M instructions")
    print(f"ratio lint/floor: {lint / floor:.2f}x (target <= 1.35x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
