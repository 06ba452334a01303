"""Whether a warm pre-commit run reports what an uncached one does, on real manifests.

    python benchmarks/cache_same_findings.py [--copies N] [--files N] [--seed N] [CORPUS]

Builds (in a temporary folder) a git repository of ``--copies`` copies of the corpus, as
``precommit.py`` does, then for ``--files`` files picked at random: changes and stages the
file, runs ``kubelint --skip-non-manifests --staged --format json FILE`` twice (the first
run puts the changed file in the context cache) and once with ``--no-cache``, compares the
three reports and exit codes, and puts the file back. No timing: the test suite holds the
cache to the same rule on generated repositories; this runs it on a corpus the repository
does not ship, whatever kinds the files picked hold.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import tempfile
from pathlib import Path

from precommit import DEFAULT_CORPUS, ENV, KUBELINT, build_repository, git


def reports(repo: Path, name: str) -> list[tuple[int, str]]:
    """Exit code and JSON report of a warm run (twice) and of an uncached one."""
    command = [*KUBELINT, "--skip-non-manifests", "--staged", "--format", "json", name]
    found = []
    for extra in ([], [], ["--no-cache"]):
        done = subprocess.run(
            [*command, *extra], cwd=repo, env=ENV, capture_output=True, text=True, check=False
        )
        found.append((done.returncode, done.stdout))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--files", type=int, default=25)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        repo, _ = build_repository(args.corpus, args.copies, Path(tmp), distinct=False)
        git(repo, "reset", "-q", "--hard")  # build_repository stages a change of its own
        names = sorted(
            str(p.relative_to(repo))
            for p in repo.rglob("*")
            if p.suffix in (".yaml", ".yml", ".json") and ".git" not in p.parts
        )
        differ = 0
        for name in random.Random(args.seed).sample(names, min(args.files, len(names))):
            with (repo / name).open("a", encoding="utf-8") as out:
                out.write("\n# changed by the benchmark\n")
            git(repo, "add", name)
            warm, again, uncached = reports(repo, name)
            same = warm == again == uncached
            differ += not same
            print(f"{'same' if same else 'DIFFERENT'}: {name} (exit {warm[0]})")
            git(repo, "reset", "-q", "HEAD", "--", name)
            git(repo, "checkout", "-q", "--", name)
        print(f"{differ} of {min(args.files, len(names))} files reported differently")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
