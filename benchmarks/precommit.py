"""The pre-commit hook in a big repository: one staged file, cold and warm context cache.

    python benchmarks/precommit.py [--copies N] [--runs N] [--distinct] [CORPUS]

Builds (in a temporary folder) a git repository holding ``--copies`` copies of the corpus
(14 copies of ../shared/corpus: about 5,000 manifests), changes and stages one manifest,
then runs ``kubelint --skip-non-manifests --staged <file>`` there as the hook does (the
file: the first holding one Deployment, as most commits change a workload; a commit that
changes a Namespace or an admission policy re-judges every object, so reads every file):

- ``outside``: the same file linted in a folder that is no git repository (the floor);
- ``cold``: in the repository, after deleting kubelint's context cache;
- ``warm``: in the repository, with the cache the previous run left;
- ``no-cache``: in the repository, with ``--no-cache``.

The repository's files are left to age past the window in which kubelint reads a
kustomization again whatever its state (``RACY_NS``, 10 s), as a real repository's are
when a commit is made. Each scenario runs ``--runs`` times, alternated, and its median CPU
time (user + system of the child process) is printed with its ratio to ``outside``, and
the median of each round's own ratio to ``outside``. Byte-compiled files are allowed
(PYTHONDONTWRITEBYTECODE is unset after a warm-up), as an installed kubelint has.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kubelint.context_cache import RACY_NS

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"
KUBELINT = [sys.executable, "-m", "kubelint"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=ENV)


def build_repository(corpus: Path, copies: int, where: Path, distinct: bool) -> tuple[Path, Path]:
    """The repository and the staged manifest in it (relative to it)."""
    repo = where / "repo"
    for index in range(copies):
        shutil.copytree(corpus, repo / f"copy{index}", ignore=shutil.ignore_patterns(".git"))
        if distinct:  # every file its own content (copies would share their git blobs)
            for path in (repo / f"copy{index}").rglob("*.y*ml"):
                with path.open("a", encoding="utf-8") as out:
                    out.write(f"\n# copy {index}\n")
    git(repo, "init", "-q")
    git(repo, "-c", "user.email=b@e", "-c", "user.name=bench", "add", "-A")
    git(repo, "-c", "user.email=b@e", "-c", "user.name=bench", "commit", "-q", "-m", "corpus")
    staged = next(
        p
        for p in sorted((repo / "copy0").rglob("*.yaml"))
        if p.read_text(errors="replace").count("kind: ") == 1
        and "kind: Deployment" in p.read_text()
    )
    with staged.open("a", encoding="utf-8") as out:
        out.write("\n# changed by the benchmark\n")
    git(repo, "add", str(staged))
    return repo, staged.relative_to(repo)


def cpu_of(command: list[str], cwd: Path) -> float:
    """CPU seconds (user + system) one child process takes."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def files(repo: Path) -> int:
    listed = subprocess.run(
        ["git", "-C", str(repo), "ls-files"], capture_output=True, text=True, check=True
    )
    return len(listed.stdout.splitlines())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=14)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="make every file of every copy different (no two files share a git blob)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        repo, staged = build_repository(args.corpus, args.copies, where, args.distinct)
        # kubelint reads a kustomization again while it is younger than RACY_NS (its file
        # times cannot tell a change yet): the files of a real repository are older than
        # that when a commit is made. Without waiting, the first rounds would re-read
        # every kustomization of a repository written a moment ago.
        time.sleep(RACY_NS / 1e9 + 1)
        outside = where / "outside"
        outside.mkdir()
        shutil.copy(repo / staged, outside / staged.name)
        hook = [*KUBELINT, "--skip-non-manifests", "--staged"]
        scenarios = {
            "outside": (outside, [*KUBELINT, "--skip-non-manifests", staged.name], None),
            "cold": (repo, [*hook, str(staged)], repo / ".git" / "kubelint"),
            "warm": (repo, [*hook, str(staged)], None),
            "no-cache": (repo, [*hook, "--no-cache", str(staged)], None),
        }
        cpu_of(scenarios["outside"][1], outside)  # warm-up: byte-compiles kubelint
        times: dict[str, list[float]] = {name: [] for name in scenarios}
        for _ in range(args.runs):
            for name, (cwd, command, clear) in scenarios.items():
                if clear is not None:
                    shutil.rmtree(clear, ignore_errors=True)
                times[name].append(cpu_of(command, cwd))
        print(f"{files(repo)} files in the repository, {args.runs} alternated runs")
        floor = statistics.median(times["outside"])
        for name, values in times.items():
            median = statistics.median(values)
            # Each round's own ratio too: a machine that slows down for a while slows both
            # runs of a round, and the median of those ratios is steadier on a busy machine.
            paired = statistics.median(v / o for v, o in zip(values, times["outside"], strict=True))
            print(
                f"{name:>9}: {median:6.3f} s CPU (median)  {median / floor:5.2f}x outside"
                f"  ({paired:5.2f}x, median of the rounds' ratios)"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
