"""Lint speed against the line-aware parse floor, measured in one run.

    python benchmarks/run.py [CORPUS] [--repeat N] [--copies N]

CORPUS defaults to ../shared/corpus (real public manifests); ``--copies 2`` lints a scratch
folder holding two copies of it. The floor (see _floor.py) is libyaml composing every
document with a line/column mark on every node (PyYAML's C composer), plain data built from
the nodes and a line map of each file, the least any line-aware linter must do; "lint" is
kubelint's whole pipeline with the default checks (reading, parsing, checks, locating
findings), in the same process. Both run with the cyclic GC off and keep what they built
(no teardown timed), alternated. Reported as MB/s and as the ratio lint/floor in CPU time;
also the wall time of one small file end to end (a new process).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _floor import copies, files_of, floor

from kubelint.config import Config
from kubelint.runner import Inputs, lint
from kubelint.schema.bundle import load_bundle

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"

SMALL = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
"""


def timed(fn: object) -> float:
    """CPU seconds of one call: on a shared, noisy machine CPU time varies far less than
    wall time (time when this process was not running is not counted)."""
    gc.collect()
    gc.disable()
    start = time.process_time()
    result = fn()  # type: ignore[operator]
    elapsed = time.process_time() - start
    del result  # freed outside the timing, as the command line exits without freeing it
    gc.enable()
    return elapsed


def paired(repeat: int, floor_fn: object, lint_fn: object) -> tuple[list[float], list[float]]:
    """Alternate the two measurements so that both see the same machine noise."""
    floors, lints = [], []
    for _ in range(repeat):
        floors.append(timed(floor_fn))
        lints.append(timed(lint_fn))
    return floors, lints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1, help="lint this many copies of it")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    if args.copies < 1 or args.repeat < 1:
        print("--copies and --repeat take a whole number of at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = copies(args.corpus, args.copies, Path(scratch))
        compare(folder, args.repeat, f"{args.corpus} x{args.copies}")
    small_file(args.repeat)
    return 0


def compare(folder: Path, repeat: int, label: str) -> None:
    """Floor and lint of ``folder``, alternated, as CPU time."""
    files = files_of(folder)
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    config = Config()

    def run_lint() -> object:
        # Cold, as in a new process: the schema bundle is read and validators compiled again.
        load_bundle.cache_clear()
        return lint(Inputs([str(folder)]), config)

    floors, lints = paired(repeat, lambda: floor(files), run_lint)
    t_floor, t_lint = min(floors), min(lints)
    pair_ratio = statistics.median(lint / base for lint, base in zip(lints, floors, strict=True))
    print(f"corpus: {label} ({len(files)} files, {megabytes:.2f} MB)")
    print(
        f"parse floor : {t_floor * 1000:7.1f} ms  {megabytes / t_floor:6.2f} MB/s (best of {repeat}, CPU time)"
    )
    print(
        f"kubelint    : {t_lint * 1000:7.1f} ms  {megabytes / t_lint:6.2f} MB/s (best of {repeat})"
    )
    print(
        f"ratio lint/floor: {t_lint / t_floor:.2f}x best/best, {pair_ratio:.2f}x median of "
        "back-to-back pairs (target <= 1.35x)"
    )


def small_file(repeat: int) -> None:
    """One small file linted end to end in a new process, wall time."""
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp, "pod.yaml")
        small.write_text(SMALL)
        walls = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kubelint", str(small)], capture_output=True, check=False
            )
            walls.append(time.perf_counter() - start)
        print(
            f"one small file end to end: {min(walls) * 1000:.0f} ms best, "
            f"{statistics.median(walls) * 1000:.0f} ms median (target < 300 ms)"
        )


if __name__ == "__main__":
    sys.exit(main())
