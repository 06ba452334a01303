"""What the api checks share: the target version's verdict on an object's apiVersion."""

from __future__ import annotations

from kubelint.checks.base import Context
from kubelint.k8s.kinds import is_component_config
from kubelint.model import Finding, K8sObject
from kubelint.schema.apis import ApiState, ApiStatus, status


def api_status(obj: K8sObject, ctx: Context) -> ApiStatus:
    """Whether the target Kubernetes version serves the object's apiVersion/kind.

    A configuration file read from disk (a kubeconfig's ``v1`` ``Config``, a
    KubeletConfiguration) is no API of the server: nothing to say about it (unknown).
    """
    if is_component_config(obj.api_version, obj.kind):
        return ApiStatus(ApiState.UNKNOWN)
    return status(obj.api_version, obj.kind, ctx.kube_version)


def api_version_finding(message: str, state: ApiStatus) -> Finding:
    """A finding at ``apiVersion`` that ends by naming the replacement, when one is known."""
    if state.replacement is None:
        return Finding(("apiVersion",), message)
    use = f"use {state.replacement}"
    return Finding(("apiVersion",), f"{message}; {use}", hint=use)
