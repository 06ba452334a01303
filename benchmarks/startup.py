"""Start-up cost of the commands users wait for: ``kubelint --version`` and a one-file lint.

    python benchmarks/startup.py [FILE] [--repeat N] [--instructions]

FILE defaults to examples/insecure/shop.yaml; it is copied to a scratch folder outside any
repository and linted there, as a pre-commit hook or an editor lints one file. Each sample is a new process; its CPU time
(user + system, from the operating system's accounting of the child) is taken, and the
three commands (a bare ``python -c pass``, ``kubelint --version``, ``kubelint FILE``) are
alternated so that a busy neighbour slows all three alike. Medians of ``--repeat`` samples
(default 7) and their ratios to the bare interpreter are printed. Targets: one-file lint
under 0.15 s CPU, ``--version`` under 0.08 s.

``--instructions`` also counts the CPU instructions of one more one-file lint under
valgrind's callgrind: the same count on every run, where CPU seconds on a shared machine
swing by a tenth; quote it beside the seconds when a change moves start-up.

Bytecode is written once by a warm-up run and then used (as an installed kubelint does):
with ``PYTHONDONTWRITEBYTECODE`` set every process would compile kubelint again, and that
compile, not kubelint, would be measured.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_FILE = HERE.parent / "examples" / "insecure" / "shop.yaml"
KUBELINT = [sys.executable, "-c", "from kubelint.__main__ import run; run()"]


def cpu_seconds(command: list[str], env: dict[str, str], cwd: str) -> float:
    """User + system CPU seconds of one run of ``command`` (its output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--instructions", action="store_true", help="count a one-file lint under valgrind"
    )
    args = parser.parse_args()
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy(args.file, Path(scratch) / args.file.name)
        samples = measure(args.file.name, args.repeat, env, scratch)
        counted = instructions(args.file.name, env, scratch) if args.instructions else None
    bare = statistics.median(samples["python -c pass"])
    print(f"file: {args.file}  (CPU seconds, median of {args.repeat}, alternated)")
    for name, values in samples.items():
        median = statistics.median(values)
        print(f"{name:<20} {median:6.3f} s  {median / bare:5.1f}x bare python")
    if counted is not None:
        print(f"kubelint FILE        {counted / 1e6:6.1f} M instructions (callgrind)")
    return 0


def instructions(name: str, env: dict[str, str], cwd: str) -> int:
    """CPU instructions of one ``kubelint FILE`` (bytecode already written by measure)."""
    if shutil.which("valgrind") is None:
        sys.exit("--instructions needs valgrind (apt-get install valgrind)")
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *KUBELINT, name],
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    found = re.search(r"Collected\s*:\s*(\d+)", result.stderr)
    if found is None:
        sys.exit(f"valgrind gave no count: {result.stderr[-300:]}")
    return int(found.group(1))


def measure(name: str, repeat: int, env: dict[str, str], cwd: str) -> dict[str, list[float]]:
    """CPU seconds of each command, ``repeat`` samples, the commands taking turns."""
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kubelint --version": [*KUBELINT, "--version"],
        "kubelint FILE": [*KUBELINT, name],
    }
    for command in commands.values():  # warm-up: writes the bytecode, fills the page cache
        cpu_seconds(command, env, cwd)
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, command in commands.items():
            samples[label].append(cpu_seconds(command, env, cwd))
    return samples


if __name__ == "__main__":
    sys.exit(main())
