"""Baselines: record today's findings, then report only the new ones.

An entry is keyed by check, file, object identity and field path, never by line, so it
survives lines moving and documents being reordered. Repeated identical entries are
counted, so a second copy of a problem is still new. Entries hold no message and no value:
a baseline never stores a secret.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from kubelint.atomic import shown_path, write_atomically
from kubelint.errors import UsageError
from kubelint.model import Result
from kubelint.redaction import redact
from kubelint.reporters.paths import repo_relative

FORMAT_VERSION = 1
Key = tuple[str, str, str, str, str, str, str]


def key(result: Result, root: Path) -> Key:
    """The identity of a finding: check, file relative to ``root`` (the repository), object,
    field path."""
    obj = result.obj
    file = repo_relative(result.location.file, root)
    # Results are redacted already; redacting again (it is idempotent) keeps a baseline
    # free of secrets even for a Result built elsewhere (a plugin, a test).
    api_version, kind, namespace, name = (
        redact(str(obj.get(field) or "")) for field in ("apiVersion", "kind", "namespace", "name")
    )
    return (result.check, redact(file), api_version, kind, namespace, name, redact(result.path))


def _entry(k: Key, count: int) -> dict[str, Any]:
    check, file, api_version, kind, namespace, name, path = k
    entry: dict[str, Any] = {
        "check": check,
        "file": file,
        "object": {"apiVersion": api_version, "kind": kind, "namespace": namespace, "name": name},
        "path": path,
    }
    if count > 1:
        entry["count"] = count
    return entry


def write_baseline(results: Iterable[Result], path: Path, root: Path) -> int:
    """Record the results in a baseline file; return how many were recorded."""
    counts = Counter(key(r, root) for r in results)
    entries = [_entry(k, n) for k, n in sorted(counts.items())]
    data = {"version": FORMAT_VERSION, "tool": "kubelint", "entries": entries}
    text = json.dumps(data, indent=2) + "\n"

    def dump(stream: TextIO) -> None:
        stream.write(text)

    try:
        write_atomically(path, dump)
    except OSError as exc:
        raise UsageError(f"{shown_path(path)}: cannot write baseline: {exc.strerror}") from None
    return sum(counts.values())


def load_baseline(path: Path) -> Counter[Key]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"{path}: cannot read baseline: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f":{exc.lineno}:{exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise UsageError(f"{path}{where}: not a kubelint baseline (invalid JSON)") from None
    except RecursionError:
        raise UsageError(f"{path}: not a kubelint baseline (nested too deeply)") from None
    if (
        not isinstance(data, dict)
        or data.get("version") != FORMAT_VERSION
        or not isinstance(data.get("entries"), list)
    ):
        raise UsageError(f"{path}: not a kubelint baseline (version {FORMAT_VERSION} expected)")
    counts: Counter[Key] = Counter()
    for index, entry in enumerate(data["entries"]):
        try:
            obj = entry["object"]
            k: Key = (
                entry["check"],
                entry["file"],
                obj["apiVersion"],
                obj["kind"],
                obj["namespace"],
                obj["name"],
                entry["path"],
            )
            counts[k] += int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"{path}: baseline entry {index + 1} is malformed") from None
    return counts


def new_findings(
    results: list[Result], baseline: Counter[Key], root: Path
) -> tuple[list[Result], int]:
    """The results not covered by the baseline, and how many were covered (files are
    relative to ``root``, as when the baseline was written)."""
    remaining = Counter(baseline)
    kept = []
    hidden = 0
    for result in results:
        k = key(result, root)
        if remaining[k] > 0:
            remaining[k] -= 1
            hidden += 1
        else:
            kept.append(result)
    return kept, hidden
