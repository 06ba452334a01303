"""What the api checks share: the target version's verdict on an object's apiVersion."""

from __future__ import annotations

from kubelint.checks.base import Context
from kubelint.k8s.kinds import is_component_config
from kubelint.model import Edit, Finding, Fix, K8sObject
from kubelint.schema.apis import ApiState, ApiStatus, status

#: Old apiVersion/kind -> the apiVersion that replaces it by a change of that line alone
#: (the two schemas agree field by field and no field means something else), and the
#: first minor version that serves it (older than the bundled schemas: from the
#: Kubernetes deprecation guide, https://kubernetes.io/docs/reference/using-api/deprecation-guide/).
#:
#: - ``autoscaling/v2beta2`` HorizontalPodAutoscaler: at 1.25, which serves both, the
#:   bundled definitions are the same but for the apiVersion and one field of ``status``
#:   (``currentReplicas``), which ``autoscaling/v2`` makes optional; ``status`` is the
#:   controller's anyway (tests/fix/test_api_fixes.py compares them).
#: - ``batch/v1beta1`` CronJob: no bundled version serves it (removed in 1.25, the
#:   oldest bundled, and by the schemas the bundle is built from); the deprecation
#:   guide says of the move to ``batch/v1`` (section "CronJob", v1.25): all existing
#:   objects are accessible through it, "No notable changes".
#:
#: Not here, though their replacement is known: ``policy/v1beta1`` PodDisruptionBudget
#: (an empty selector selects no pod there and every pod in ``policy/v1``),
#: ``autoscaling/v2beta1`` (other metric fields) and the beta Ingresses (another backend
#: shape): those need a person.
MECHANICAL_REPLACEMENTS: dict[tuple[str, str], tuple[str, int]] = {
    ("batch/v1beta1", "CronJob"): ("batch/v1", 21),
    ("autoscaling/v2beta2", "HorizontalPodAutoscaler"): ("autoscaling/v2", 23),
}


def api_status(obj: K8sObject, ctx: Context) -> ApiStatus:
    """Whether the target Kubernetes version serves the object's apiVersion/kind.

    A configuration file read from disk (a kubeconfig's ``v1`` ``Config``, a
    KubeletConfiguration) is no API of the server: nothing to say about it (unknown).
    """
    if is_component_config(obj.api_version, obj.kind):
        return ApiStatus(ApiState.UNKNOWN)
    return status(obj.api_version, obj.kind, ctx.kube_version)


def api_version_fix(obj: K8sObject, ctx: Context) -> Fix | None:
    """Setting ``apiVersion`` to its mechanical replacement (safe: the object means the
    same), when there is one and the target Kubernetes version serves it."""
    replacement = MECHANICAL_REPLACEMENTS.get((obj.api_version, obj.kind))
    if replacement is None:
        return None
    target, since = replacement
    if ctx.kube_version < since or not status(target, obj.kind, ctx.kube_version).state.served:
        return None
    return Fix(f"move to {target}", (Edit("set", ("apiVersion",), target, safe=True),), True)


def api_version_finding(message: str, state: ApiStatus, fix: Fix | None = None) -> Finding:
    """A finding at ``apiVersion`` that ends by naming the replacement, when one is known."""
    if state.replacement is None:
        return Finding(("apiVersion",), message, fix=fix)
    use = f"use {state.replacement}"
    return Finding(("apiVersion",), f"{message}; {use}", hint=use, fix=fix)
