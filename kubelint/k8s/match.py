"""Which objects a check applies to, beyond its kinds: a small selector over plain objects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from kubelint.model import K8sObject


@dataclass(frozen=True)
class Match:
    """Objects a check judges; an empty field accepts every value.

    ``api_groups`` holds groups (``""`` for the core group), ``api_versions`` whole
    ``apiVersion`` values (``apps/v1``); ``labels`` is an equality selector on the object's
    own labels. Resources (plural names) are not matched: offline, kubelint knows kinds.
    """

    kinds: frozenset[str] = frozenset()
    api_groups: frozenset[str] = frozenset()
    api_versions: frozenset[str] = frozenset()
    namespaces: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)

    def matches(self, obj: K8sObject) -> bool:
        """Whether ``obj`` is one of the objects this selects."""
        if self.kinds and obj.kind not in self.kinds:
            return False
        if self.api_versions and obj.api_version not in self.api_versions:
            return False
        if self.api_groups and obj.api_version.rpartition("/")[0] not in self.api_groups:
            return False
        if self.namespaces and obj.namespace not in self.namespaces:
            return False
        if self.labels:
            labels = obj.metadata.get("labels")
            if not isinstance(labels, dict):
                return False
            return all(labels.get(k) == v for k, v in self.labels.items())
        return True
