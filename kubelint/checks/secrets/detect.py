"""Credential judgements only the plaintext-secret check makes: keys that hold a value,
``name:value`` words, and values that look like generated key material.

What every output needs (token shapes, named literals, redaction) is in kubelint.redaction.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from typing import Any

from kubelint.loader.scalars import UNUSUAL_KEY
from kubelint.redaction import (
    MAX_CONTENT_CHARS,
    PAIR_WORD,
    classify,
    credential_in_text,
    find_tokens,
    is_secret_name,
)

#: At most this many JSON leaves of one value are looked at.
MAX_CONTENT_ENTRIES = 1_000_000


def split_pair(word: str) -> tuple[str, str] | None:
    """(name, value) of a ``name:value`` / ``name=value`` word, else None."""
    match = PAIR_WORD.fullmatch(word.strip())
    return (match.group(1), match.group(3)) if match is not None else None


#: A key holds a credential only with one of these in it (or a token, found elsewhere).
_KEY_MARKS = UNUSUAL_KEY


def key_credential(key: str) -> str | None:
    """What credential a mapping key holds, else None: ``password:Hunter2`` or
    ``password=Hunter2`` (a missing space), a connection string or URL with a password, or
    a mapping used as a key (``{name: API_TOKEN, value: ...}``, written as JSON). Token
    shapes are left out: the scan of the file's text finds them wherever they are."""
    if _KEY_MARKS.search(key) is None or len(key) > MAX_CONTENT_CHARS:
        return None  # the usual key: a plain name
    if find_tokens(key):
        return None
    pair = split_pair(key)
    if pair is not None and is_secret_name(pair[0]):
        return classify(pair[0], pair[1])
    if key[:1] in ("{", "["):
        try:
            data = json.loads(key)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict | list):
            return _json_key_credential(data)
    return credential_in_text(key)


def _json_key_credential(data: dict[str, Any] | list[Any]) -> str | None:
    stack: list[object] = [data]
    seen = 0
    while stack and seen < MAX_CONTENT_ENTRIES:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, str) and "value" in item:  # an env var written as a key
                kind = classify(name, item["value"])
                if kind is not None:
                    return kind
            for name, value in item.items():
                kind = None if isinstance(value, dict | list) else classify(str(name), value)
                if kind is not None:
                    return kind
                stack.append(value)
    return None


def looks_random(text: str) -> bool:
    """Whether a value looks like generated key material (long, mixed, high entropy)."""
    text = text.strip()
    if not 16 <= len(text) <= 8192 or any(c.isspace() for c in text):
        return False
    if "://" in text or text.startswith("/") or _UUID.fullmatch(text):
        return False
    lower = any(c.islower() for c in text)
    upper = any(c.isupper() for c in text)
    digits = sum(c.isdigit() for c in text)
    hex_only = all(c in "0123456789abcdefABCDEF" for c in text)
    if hex_only:
        mixed = len(text) >= 32 and 4 <= digits < len(text) - 4
    else:
        mixed = lower and upper and digits > 0
    return mixed and _entropy(text) >= 3.5


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _entropy(text: str) -> float:
    counts = Counter(text)
    size = len(text)
    return -sum(n / size * math.log2(n / size) for n in counts.values())
