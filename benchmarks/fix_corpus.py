"""Apply the fixes of missing-security-context and privileged-container to a corpus.

Not a test: it measures the editing engine (kubelint.edit) on real manifests. The corpus
is copied to a scratch folder first and edited there, never in place.

    python benchmarks/fix_corpus.py                  # safe fixes, ../shared/corpus
    python benchmarks/fix_corpus.py --all            # unsafe fixes too
    python benchmarks/fix_corpus.py path/to/manifests --keep

Reports the files touched, the fixes applied and refused (by reason), the share of the
touched files' original lines kept verbatim, and a second lint of the edited copy: whether
the settings the applied fixes addressed are still reported, and whether any
schema-validation finding is new.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import difflib
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from kubelint.checks import registry
from kubelint.config import Config
from kubelint.edit import apply
from kubelint.model import Fix, K8sObject, Report, Result
from kubelint.redaction import redacted_identity
from kubelint.runner import Inputs, lint, select_checks

FIXED = ("missing-security-context", "privileged-container")
CHECKS = (*FIXED, "schema-validation")
#: What a missing-security-context message names for the setting an edit path ends with.
LABELS = {
    "allowPrivilegeEscalation": "allowPrivilegeEscalation",
    "drop": "capabilities.drop",
    "seccompProfile": "seccompProfile",
    "privileged": "privileged",
}


def _lint(folder: Path) -> Report:
    checks = select_checks(registry(), list(CHECKS), [])
    return lint(Inputs([str(folder)], repo_context=False), Config(), checks)


def _owner(result: Result) -> tuple[Any, ...]:
    """Which container (or pod) a result is about, stable across edits of the file."""
    doc = result.document
    identity = tuple(sorted(redacted_identity(doc).items())) if doc else ()
    owner = result.message.split(" is missing ")[0] if " is missing " in result.message else ""
    path = result.key_path if result.check == "privileged-container" else ()
    return (result.location.file, identity, result.check, owner, path)


def _schema(report: Report) -> set[tuple[Any, ...]]:
    return {
        (r.location.file, tuple(sorted(redacted_identity(r.document).items())), r.path, r.message)
        for r in report.results
        if r.check == "schema-validation" and r.document is not None
    }


def _by_source(report: Report, all_fixes: bool) -> dict[int, list[Result]]:
    found: dict[int, list[Result]] = collections.defaultdict(list)
    for result in report.results:
        if result.check in FIXED and result.fix and result.document is not None:
            part = result.fix.part(unsafe=all_fixes)  # a plain fix applies the safe edits
            if part is not None:
                found[id(result.document.source)].append(dataclasses.replace(result, fix=part))
    return found


def _kept_lines(before: str, after: str) -> tuple[int, int]:
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()), len(old)


def _edit_files(report: Report, all_fixes: bool, stats: dict[str, Any]) -> list[Result]:
    """Apply the fixes file by file; the results whose fixes were applied."""
    by_source = _by_source(report, all_fixes)
    applied_results: list[Result] = []
    for loaded in report.retained:
        results = by_source.get(id(loaded.source), [])
        if not results:
            continue
        path = Path(loaded.source.display)
        bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        fixes: list[tuple[K8sObject, Fix]] = [(r.document, r.fix) for r in results]  # type: ignore[misc]
        out = apply(bom + loaded.source.text, loaded.objects, fixes)
        stats["fixes"] += len(fixes)
        stats["applied"] += len(out.applied)
        for _, reason in out.refused:
            stats["refused"][reason] += 1
        applied_ids = {id(fix) for fix in out.applied}
        applied_results += [r for r in results if id(r.fix) in applied_ids]
        if out.text != bom + loaded.source.text:
            path.write_text(out.text, encoding="utf-8", newline="")
            kept, total = _kept_lines(bom + loaded.source.text, out.text)
            stats["files"] += 1
            stats["kept"] += kept
            stats["lines"] += total
    return applied_results


def _still_reported(applied: Iterable[Result], after: Report) -> collections.Counter[str]:
    """The settings applied fixes addressed that the second lint still reports."""
    messages: dict[tuple[Any, ...], list[str]] = collections.defaultdict(list)
    for result in after.results:
        messages[_owner(result)].append(result.message)
    still: collections.Counter[str] = collections.Counter()
    for result in applied:
        assert result.fix is not None
        for edit in result.fix.edits:
            label = LABELS.get(str(edit.path[-1]), str(edit.path[-1]))
            if any(label in message for message in messages.get(_owner(result), [])):
                still[f"{result.check}: {label}"] += 1
    return still


def _copy(corpus: Path) -> Path:
    scratch = Path(tempfile.mkdtemp(prefix="kubelint-fix-")) / corpus.name
    shutil.copytree(corpus, scratch)
    for path in scratch.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    return scratch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default="../shared/corpus")
    parser.add_argument("--all", action="store_true", help="apply unsafe fixes too")
    parser.add_argument("--keep", action="store_true", help="keep the edited copy")
    args = parser.parse_args()
    scratch = _copy(Path(args.corpus).resolve())
    before = _lint(scratch)
    counts = collections.Counter(r.check for r in before.results)
    stats: dict[str, Any] = collections.Counter(refused=collections.Counter())
    applied = _edit_files(before, args.all, stats)
    after = _lint(scratch)
    print(f"corpus: {args.corpus} ({'all' if args.all else 'safe'} fixes; copy: {scratch})")
    for check in FIXED:
        print(
            f"  {check}: {counts[check]} findings before, "
            f"{sum(r.check == check for r in after.results)} after"
        )
    print(f"files touched: {stats['files']}")
    print(f"fixes: {stats['fixes']} tried, {stats['applied']} applied")
    for reason, number in stats["refused"].most_common():
        print(f"  refused {number}: {reason}")
    share = 100 * stats["kept"] / stats["lines"] if stats["lines"] else 100.0
    print(
        f"original lines kept verbatim in touched files: {share:.2f}% "
        f"({stats['kept']} of {stats['lines']})"
    )
    still = _still_reported(applied, after)
    print(f"settings of applied fixes still reported: {sum(still.values())}")
    for what, number in still.most_common():
        print(f"  {number}: {what}")
    new_schema = _schema(after) - _schema(before)
    print(
        f"schema-validation findings: {counts['schema-validation']} before, "
        f"{sum(r.check == 'schema-validation' for r in after.results)} after; "
        f"new: {len(new_schema)}"
    )
    for item in sorted(new_schema)[:10]:
        print(f"  {item[0]}: {item[2]}: {item[3]}")
    if not args.keep:
        shutil.rmtree(scratch.parent)


if __name__ == "__main__":
    main()
