"""Credentials a policy's ``messageExpression`` could copy into a finding.

A message written by a policy may quote the object (``'value is ' + object.data.password``):
whatever it quotes from a Secret's data, an env var or a field named like a credential is
masked before the message reaches any report, as kubelint never prints a credential.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kubelint.redaction import REDACTED, decode_base64, is_secret_name

#: Shorter values are not masked (they would mask ordinary words of the message).
MIN_LENGTH = 4


def credentials(*documents: Any) -> set[str]:
    """The credential-like strings of ``documents`` (objects and params), with the decoded
    form of a Secret's base64 data."""
    found: set[str] = set()
    for document in documents:
        if isinstance(document, Mapping):
            found.update(_secret_data(document))
            found.update(_named(document))
    return {value for value in found if len(value) >= MIN_LENGTH}


def _secret_data(document: Mapping[str, Any]) -> Iterator[str]:
    if document.get("kind") != "Secret":
        return
    for field in ("data", "stringData"):
        values = document.get(field)
        if isinstance(values, Mapping):
            for value in values.values():
                if isinstance(value, str):
                    yield value
                    decoded = decode_base64(value) if field == "data" else None
                    if decoded:
                        yield decoded


def _named(value: Any) -> Iterator[str]:
    """Strings under credential-like keys, and the value of a ``{name: DB_PASSWORD, value:
    ...}`` entry (env vars, args written as name/value pairs)."""
    if isinstance(value, Mapping):
        name = value.get("name")
        if isinstance(name, str) and is_secret_name(name) and isinstance(value.get("value"), str):
            yield value["value"]
        for key, item in value.items():
            if isinstance(item, str) and isinstance(key, str) and is_secret_name(key):
                yield item
            else:
                yield from _named(item)
    elif isinstance(value, list):
        for item in value:
            yield from _named(item)


def mask(message: str, values: Iterable[str]) -> str:
    """``message`` with every one of ``values`` in it replaced by ``<redacted>`` (longest
    first, so that a value holding another is masked whole)."""
    for value in sorted(values, key=len, reverse=True):
        if value in message:
            message = message.replace(value, REDACTED)
    return message
