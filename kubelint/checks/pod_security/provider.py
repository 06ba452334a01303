"""Namespaces that declare a Pod Security level bring the family's controls into a run."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kubelint.checks.base import Check, ProviderRequest
from kubelint.checks.pod_security.engine import controls, namespace_policies


class NamespaceLabels:
    """``pod-security.kubernetes.io/<mode>: <level>`` on a Namespace of the linted tree.

    The controls then judge that namespace's workloads under its policy even when they are
    not selected (unless ignored); each control itself decides which objects its labels
    concern.
    """

    name = "pod-security-labels"
    config_key: str | None = None
    config_schema: Mapping[str, Any] | None = None

    def provide(self, request: ProviderRequest) -> Iterable[Check]:
        if not namespace_policies(request.context):
            return ()
        return [request.available[cid] for cid in controls() if cid in request.available]
