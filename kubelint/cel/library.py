"""The Kubernetes CEL libraries, as the API server declares them (filled in by the library
work: sets, lists, regex, URLs, quantity, IP/CIDR, semver, authorizer)."""

from __future__ import annotations

from typing import Any


def extensions(cel: Any) -> list[Any]:
    """The engine extensions (``cel.CelExtension``) that declare the Kubernetes libraries."""
    return []
