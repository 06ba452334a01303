"""Where a default run's CPU time goes, stage by stage, against the parse floor.

    python benchmarks/breakdown.py [CORPUS] [--copies N] [--repeat N]

Each stage is timed as CPU seconds in one process, all of them alternated round after
round (GC off, nothing freed inside a timing), and printed as the median share of the
floor (see _floor.py) of the same round:

- compose: libyaml composing every document through kubelint's resolver, nodes kept;
- parse: kubelint.loader.yamlparse.parse_documents (compose, plain data, budgets);
- fastread: the compiled reader, kubelint.loader.fastread.read (data and positions in C;
  a text it leaves to the pure path counts as nothing here);
- load_source: the loader on every file's bytes (parse, objects, Helm origins);
- lint: the whole default run (file listing, reading, loading, checks, locating).

lint minus load_source is what the checks, the file listing and the resolve stage cost.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml
from _floor import copies, files_of, floor
from run import DEFAULT_CORPUS, timed

from kubelint.config import Config
from kubelint.loader import fastread
from kubelint.loader.documents import load_source
from kubelint.loader.yamlparse import ParseError, _Loader, parse_documents
from kubelint.runner import Inputs, lint
from kubelint.schema.bundle import load_bundle


def stages(folder: Path) -> dict[str, Callable[[], object]]:
    files = files_of(folder)
    raws = [(str(path), path.read_bytes()) for path in files]
    texts = [raw.decode("utf-8-sig", "replace") for _, raw in raws]
    config = Config()

    def compose() -> object:
        kept = []
        for text in texts:
            try:
                kept.append(list(yaml.compose_all(text, Loader=_Loader)))
            except yaml.YAMLError:
                pass
        return kept

    def parse() -> object:
        kept = []
        for text in texts:
            try:
                kept.extend(parse_documents(text, "x"))
            except ParseError:
                pass
        return kept

    def fast() -> object:
        return [fastread.read(text) for text in texts]

    def run_lint() -> object:
        load_bundle.cache_clear()
        return lint(Inputs([str(folder)]), config)

    return {
        "floor": lambda: floor(files),
        "compose": compose,
        "parse": parse,
        "fastread": fast,
        "load_source": lambda: [load_source(name, raw, walked=True) for name, raw in raws],
        "lint": run_lint,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.corpus.is_dir() or args.copies < 1 or args.repeat < 1:
        print("a corpus folder, and --copies and --repeat of at least 1", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        work = stages(copies(args.corpus, args.copies, Path(scratch)))
        times: dict[str, list[float]] = {name: [] for name in work}
        for _ in range(args.repeat):
            for name, stage in work.items():
                times[name].append(timed(stage))
    print(f"corpus: {args.corpus} x{args.copies}, CPU time, median of {args.repeat} rounds")
    for name, values in times.items():
        share = statistics.median(v / f for v, f in zip(values, times["floor"], strict=True))
        print(f"{name:12} {statistics.median(values) * 1000:7.1f} ms  {share:5.2f}x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
