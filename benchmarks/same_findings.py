"""Whether both YAML read paths give the same report on a corpus (no timing).

    python benchmarks/same_findings.py [CORPUS]

Lints CORPUS (default ../shared/corpus) twice in new processes, with the compiled reader
and with ``KUBELINT_PURE_PYTHON=1`` (PyYAML), and compares the two JSON reports byte for
byte. tests/test_fastread.py holds the two paths together on every fixture of the test
suite; this runs the same comparison on a corpus the repository does not ship.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from run import DEFAULT_CORPUS


def report(corpus: Path, pure: bool) -> str:
    env = dict(os.environ)
    env.pop("KUBELINT_PURE_PYTHON", None)
    if pure:
        env["KUBELINT_PURE_PYTHON"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "kubelint", "--format", "json", str(corpus)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args()
    compiled, pure = report(args.corpus, False), report(args.corpus, True)
    findings = len(json.loads(compiled)["findings"])
    same = compiled == pure
    print(f"{args.corpus}: {findings} findings; reports {'identical' if same else 'DIFFER'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
