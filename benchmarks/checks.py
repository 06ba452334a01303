"""What each check of a default run costs, in CPU time, and what the run costs besides.

    python benchmarks/checks.py [CORPUS] [--copies N] [--repeat N] [--top N]

Each default check is wrapped so that its own calls (the generator run to its end) are
timed; the run is repeated and each figure is the median over the rounds (GC off, the
schema bundle read again each round, as in a new process). "locating" is the resolve
stage (positions, redaction, suppressions); "run-wide hooks" are the checks' on_run
work (the schema checks validate every object there, their per-object calls then reuse
it). The sum of the checks is what the default run costs over a run with no check
(see breakdown.py for that against the parse floor).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from _floor import copies
from run import DEFAULT_CORPUS

import kubelint.runner as runner
from kubelint.checks.base import Check, CheckDoc, CheckMeta
from kubelint.config import Config
from kubelint.model import Context, Finding, K8sObject
from kubelint.runner import Inputs, lint, select_checks
from kubelint.schema.bundle import load_bundle

COST: Counter[str] = Counter()


@dataclass(frozen=True)
class Timed:
    """A check whose calls add their CPU time to COST under its id (``meta`` is the
    check's own, its run-wide hook timed)."""

    inner: Check
    meta: CheckMeta

    @property
    def doc(self) -> CheckDoc:
        return self.inner.doc

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterable[Finding]:
        start = time.process_time()
        found = list(self.inner.check(obj, ctx, params))
        COST[self.inner.meta.id] += time.process_time() - start
        return found


def _timed_stage(name: str, label: str) -> None:
    """Time a stage of the runner (a method of its _Execution) under ``label``."""
    stage = getattr(runner._Execution, name)

    def wrapper(*args: Any) -> Any:
        start = time.process_time()
        result = stage(*args)
        COST[label] += time.process_time() - start
        return result

    setattr(runner._Execution, name, wrapper)


def _timed_hook(hook: Any) -> Any:
    def wrapper(*args: Any) -> None:
        start = time.process_time()
        hook(*args)
        COST["<run-wide hooks>"] += time.process_time() - start

    return wrapper


def rounds(folder: Path, repeat: int) -> list[Counter[str]]:
    config = Config()
    chosen = select_checks(runner.registry(), None, [])
    # One wrapper per hook: the runner calls a hook that several checks share once.
    hooks = {c.meta.on_run: _timed_hook(c.meta.on_run) for c in chosen if c.meta.on_run}
    checks = [
        Timed(c, replace(c.meta, on_run=hooks[c.meta.on_run]) if c.meta.on_run else c.meta)
        for c in chosen
    ]
    _timed_stage("_resolve", "<locating>")
    per_round = []
    for index in range(repeat + 1):  # the first round warms up (imports, caches)
        COST.clear()
        load_bundle.cache_clear()
        gc.collect()
        gc.disable()
        start = time.process_time()
        report = lint(Inputs([str(folder)]), config, checks)
        COST["<whole run>"] = time.process_time() - start
        del report
        gc.enable()
        if index:
            per_round.append(Counter(COST))
    return per_round


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if not args.corpus.is_dir() or args.copies < 1 or args.repeat < 1 or args.top < 1:
        print("no corpus there, or --copies/--repeat/--top below 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = copies(args.corpus, args.copies, Path(scratch))
        measured = rounds(folder, args.repeat)
    names = {name for counts in measured for name in counts}
    median = {name: statistics.median(c.get(name, 0.0) for c in measured) for name in names}
    checks = {n: v for n, v in median.items() if not n.startswith("<")}
    print(f"corpus: {args.corpus} x{args.copies}, CPU ms, median of {args.repeat} rounds")
    print(f"{median['<whole run>'] * 1000:8.1f}  whole run")
    print(f"{sum(checks.values()) * 1000:8.1f}  all checks' own calls")
    print(f"{median.get('<locating>', 0.0) * 1000:8.1f}  locating and recording findings")
    print(f"{median.get('<run-wide hooks>', 0.0) * 1000:8.1f}  run-wide hooks (on_run)")
    for name, seconds in sorted(checks.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"{seconds * 1000:8.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
