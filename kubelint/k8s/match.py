"""Which objects a check applies to, beyond its kinds: a small selector over plain objects."""

from __future__ import annotations

from dataclasses import dataclass, field

from kubelint.k8s.objects import KubeObject
from kubelint.k8s.selectors import Selector, pod_labels


@dataclass(frozen=True)
class Match:
    """Objects a check judges; an empty field accepts every value.

    ``api_groups`` holds groups (``""`` for the core group), ``api_versions`` whole
    ``apiVersion`` values (``apps/v1``); ``selector`` is a label selector on the object's
    own labels (see :func:`kubelint.k8s.selectors.parse_selector`). Resources (plural
    names) are not matched: offline, kubelint knows kinds.
    """

    kinds: frozenset[str] = frozenset()
    api_groups: frozenset[str] = frozenset()
    api_versions: frozenset[str] = frozenset()
    namespaces: frozenset[str] = frozenset()
    selector: Selector = field(default_factory=Selector)

    def matches(self, obj: KubeObject) -> bool:
        """Whether ``obj`` is one of the objects this selects."""
        if self.kinds and obj.kind not in self.kinds:
            return False
        if self.api_versions and obj.api_version not in self.api_versions:
            return False
        if self.api_groups and obj.api_version.rpartition("/")[0] not in self.api_groups:
            return False
        if self.namespaces and obj.namespace not in self.namespaces:
            return False
        return self.selector.matches(pod_labels(obj.metadata))
