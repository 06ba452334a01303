"""Reading an ``EncryptionConfiguration`` (``apiserver.config.k8s.io``).

The file lists entries, each a list of ``resources`` and an ordered list of ``providers``.
For each resource the first entry that names it applies; within an entry the *first*
provider encrypts what is written, the others only decrypt what older providers wrote
(kept during a key or provider rotation).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubelint.checks.cluster import ENCRYPTION_KINDS
from kubelint.k8s.workloads import api_group
from kubelint.model import K8sObject, KeyPath

GROUP = "apiserver.config.k8s.io"
KINDS = ENCRYPTION_KINDS
#: Resource names that cover Secrets: the resource itself, every core resource, everything.
COVERS_SECRETS = frozenset({"secrets", "secrets.", "*.", "*.*"})


@dataclass(frozen=True)
class Entry:
    """One entry of ``resources``: what it covers and its writing provider."""

    index: int
    resources: list[str]
    #: The name of the first provider (``identity``, ``aescbc``, ``kms``...), or None.
    writer: str | None
    #: The first provider's settings (its mapping's value).
    writer_settings: Any
    #: Key path of the first provider's name.
    writer_path: KeyPath


def is_config(obj: K8sObject) -> bool:
    return obj.kind == "EncryptionConfiguration" and api_group(obj.api_version) == GROUP


def entries(obj: K8sObject) -> Iterator[Entry]:
    """Every well-formed entry of the configuration (wrong shapes are skipped)."""
    if not is_config(obj):
        return
    items = obj.data.get("resources")
    if not isinstance(items, list):
        return
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        names = item.get("resources")
        resources = [str(n) for n in names if isinstance(n, str)] if isinstance(names, list) else []
        providers = item.get("providers")
        writer: str | None = None
        settings: Any = None
        path: KeyPath = ("resources", index, "providers")
        if isinstance(providers, list) and providers and isinstance(providers[0], dict):
            first = providers[0]
            keys = [k for k in first if isinstance(k, str)]
            if keys:
                writer, settings = keys[0], first[keys[0]]
                path = (*path, 0, writer)
        yield Entry(index, resources, writer, settings, path)


def describe(resources: list[str]) -> str:
    """The resources of an entry, for messages (a few named, the rest counted)."""
    if not resources:
        return "no resources"
    shown = ", ".join(resources[:4])
    more = len(resources) - 4
    return shown + (f" and {more} more" if more > 0 else "")
