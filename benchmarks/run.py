"""Lint speed against the line-aware parse floor, measured in one run.

    python benchmarks/run.py [CORPUS] [--repeat N]

CORPUS defaults to ../shared/corpus (real public manifests). The floor is libyaml composing
every document with a line/column mark on every node (PyYAML's C composer), the least any
line-aware linter must do; "lint" is kubelint's whole pipeline with the default checks
(reading, parsing, checks, locating findings), in the same process. Reported as MB/s and
as the ratio lint/floor; also the wall time of one small file end to end (a new process).
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

import yaml

from kubelint.config import Config
from kubelint.loader.discovery import walk
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


def floor(files: list[Path]) -> list[object]:
    """Compose every document, keeping the nodes (as kubelint does until it exits)."""
    nodes: list[object] = []
    for path in files:
        try:
            nodes.extend(
                yaml.compose_all(path.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
            )
        except (yaml.YAMLError, UnicodeDecodeError):
            pass
    return nodes


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
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    files = list(walk(args.corpus))
    megabytes = sum(p.stat().st_size for p in files) / 1e6
    config = Config()

    def run_lint() -> object:
        # Cold, as in a new process: the schema bundle is read and validators compiled again.
        load_bundle.cache_clear()
        return lint(Inputs([str(args.corpus)]), config)

    floors, lints = paired(args.repeat, lambda: floor(files), run_lint)
    t_floor, t_lint = min(floors), min(lints)
    pair_ratio = statistics.median(lint / base for lint, base in zip(lints, floors, strict=True))
    print(f"corpus: {args.corpus} ({len(files)} files, {megabytes:.2f} MB)")
    print(
        f"parse floor : {t_floor * 1000:7.1f} ms  {megabytes / t_floor:6.2f} MB/s (best of {args.repeat}, CPU time)"
    )
    print(
        f"kubelint    : {t_lint * 1000:7.1f} ms  {megabytes / t_lint:6.2f} MB/s (best of {args.repeat})"
    )
    print(
        f"ratio lint/floor: {t_lint / t_floor:.2f}x best/best, {pair_ratio:.2f}x median of "
        "back-to-back pairs (target <= 1.5x)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp, "pod.yaml")
        small.write_text(SMALL)
        walls = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "kubelint", str(small)], capture_output=True, check=False
            )
            walls.append(time.perf_counter() - start)
        print(
            f"one small file end to end: {min(walls) * 1000:.0f} ms best, "
            f"{statistics.median(walls) * 1000:.0f} ms median (target < 300 ms)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
