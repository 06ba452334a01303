"""Schema validators that never fetch anything.

A schema kubelint compiles may come from the linted repository (a CRD's openAPIV3Schema).
Left to themselves, JSON Schema libraries follow a ``$ref`` (or a ``$schema``) to a URL
or a file: an HTTP request, a DNS query or a local file read, decided by the input. Every
validator kubelint builds gets one of the refusals below, so a reference that reaches a
validator fails to compile instead of leaving the machine.
"""

from __future__ import annotations

from typing import Any


class RetrievalRefused(Exception):
    """Raised for every attempt to fetch a schema: kubelint works offline."""


def refuse(uri: str) -> Any:
    """Retriever for jsonschema-rs (``retriever=``): refuses every URI."""
    raise RetrievalRefused(f"kubelint never fetches schemas ({uri})")


def registry() -> Any:
    """A ``referencing.Registry`` for python-jsonschema that refuses every retrieval."""
    from referencing import Registry

    return Registry(retrieve=refuse)  # type: ignore[call-arg]
