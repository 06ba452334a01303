"""Credentials in config files and scripts held in a value: .env, properties, ini, YAML,
JSON, XML, shell."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kubelint.checks.secrets.args import scan_command
from kubelint.checks.secrets.detect import MAX_CONTENT_ENTRIES
from kubelint.redaction import MAX_CONTENT_CHARS, classify, credential_in_text, is_secret_name


@dataclass(frozen=True)
class ContentHit:
    """A credential inside a multi-line value: the entry's name (may be empty), what it
    is, and where its line starts in the value. ``line`` is for locating only."""

    name: str
    kind: str
    start: int
    line: str


_KV = re.compile(
    r"""(?:export\s+)?["']?([A-Za-z_][A-Za-z0-9_.\-\[\]/]*)["']?\s*[:=]\s*(.*)""", re.DOTALL
)
_XML = re.compile(r"<([A-Za-z_][A-Za-z0-9_.:\-]*)>([^<]*)</\1>")
#: "//" only with a space after it: .npmrc lines start with "//registry/:_authToken=".
_COMMENT_STARTS = ("#", ";", "!", "// ", "--")


def _strip_value(raw: str) -> str:
    value = raw.strip()
    quote = value[:1]
    if quote in ("'", '"'):
        end = value.find(quote, 1)
        return value[1:end].strip() if end != -1 else value[1:].strip()
    if " #" in value:  # .env / YAML trailing comment
        value = value.split(" #", 1)[0]
    return value.rstrip().rstrip(",").rstrip()


def _json_leaves(data: object) -> Iterator[tuple[str, object]]:
    """(key, value) of every scalar in parsed JSON, depth-first, bounded."""
    stack: list[tuple[str, object]] = [("", data)]
    seen = 0
    while stack and seen < MAX_CONTENT_ENTRIES:
        key, item = stack.pop()
        seen += 1
        if isinstance(item, dict):
            stack.extend((str(k), v) for k, v in reversed(list(item.items())))
        elif isinstance(item, list):
            stack.extend((key, v) for v in reversed(item))
        else:
            yield key, item


def _scan_json(text: str) -> list[ContentHit] | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # nested deeper than the parser recurses
        return None
    if not isinstance(data, dict | list):
        return None
    hits = []
    for key, value in _json_leaves(data):
        kind = classify(key, value)
        if kind is not None:
            needle = f'"{key}"' if key else ""
            hits.append(ContentHit(key, kind, max(text.find(needle), 0), needle))
    return hits


def scan_content(text: str) -> list[ContentHit]:
    """Credentials in a config file or script held in a value, one per entry, in order."""
    text = text[:MAX_CONTENT_CHARS]
    head = text.lstrip()[:1]
    if head in ("{", "["):
        hits = _scan_json(text)
        if hits is not None:
            return hits
    found: list[ContentHit] = []
    start = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line.startswith("- "):  # a YAML list item
            line = line[2:].lstrip()
        line_start = start
        start += len(raw) + 1
        if not line or line.startswith("["):
            continue
        hit = _scan_line(line)
        if hit is not None:
            found.append(ContentHit(hit[0], hit[1], line_start, line))
    return found


def _scan_line(line: str) -> tuple[str, str] | None:
    if line.startswith(_COMMENT_STARTS):
        # Commented-out entries are still in the repository, but prose and examples
        # live in comments too: only unmistakable shapes count there.
        kind = credential_in_text(line, pairs=False)
        return ("", kind) if kind is not None else None
    if "<" in line:
        xml = _XML.search(line)
        if xml is not None:
            kind = classify(xml.group(1), xml.group(2))
            return (xml.group(1), kind) if kind is not None else None
    match = _KV.fullmatch(line)
    if match is not None and not match.group(2).strip().startswith(("|", ">")):
        name, value = match.group(1), _strip_value(match.group(2))
        kind = classify(name, value)
        return (name, kind) if kind is not None else None
    parts = line.split()
    if parts[0] in ("machine", "default") and "password" in parts[:-1]:  # .netrc
        kind = classify("password", parts[parts.index("password") + 1])
        return ("password", kind) if kind is not None else None
    if len(parts) == 2 and is_secret_name(parts[0]):  # redis.conf: requirepass <password>
        kind = classify(parts[0], parts[1])
        return (parts[0], kind) if kind is not None else None
    # A command line in a script: flags, assignments, mysql -p.
    for hit in scan_command([line]):
        return hit.name, hit.kind
    return None
