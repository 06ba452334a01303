"""Which Kubernetes version serves which apiVersion/kind: removals and deprecations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from kubelint.schema.bundle import api_index, versions

#: Removals older than the oldest bundled schemas (from the Kubernetes deprecation guide):
#: (apiVersion, kind) -> (minor version that stopped serving it, what to use instead).
_APPS = "apps/v1"
EARLY_REMOVALS: dict[tuple[str, str], tuple[int, str]] = {
    **{("extensions/v1beta1", k): (16, _APPS) for k in ("DaemonSet", "Deployment", "ReplicaSet")},
    **{("apps/v1beta1", k): (16, _APPS) for k in ("Deployment", "StatefulSet", "ReplicaSet")},
    **{
        ("apps/v1beta2", k): (16, _APPS)
        for k in ("DaemonSet", "Deployment", "ReplicaSet", "StatefulSet")
    },
    ("extensions/v1beta1", "NetworkPolicy"): (16, "networking.k8s.io/v1"),
    ("extensions/v1beta1", "PodSecurityPolicy"): (16, "policy/v1beta1"),
    ("extensions/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "Ingress"): (22, "networking.k8s.io/v1"),
    ("networking.k8s.io/v1beta1", "IngressClass"): (22, "networking.k8s.io/v1"),
    ("admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration"): (
        22,
        "admissionregistration.k8s.io/v1",
    ),
    ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"): (
        22,
        "admissionregistration.k8s.io/v1",
    ),
    ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"): (22, "apiextensions.k8s.io/v1"),
    ("apiregistration.k8s.io/v1beta1", "APIService"): (22, "apiregistration.k8s.io/v1"),
    ("authentication.k8s.io/v1beta1", "TokenReview"): (22, "authentication.k8s.io/v1"),
    **{
        ("authorization.k8s.io/v1beta1", k): (22, "authorization.k8s.io/v1")
        for k in ("SubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectAccessReview")
    },
    ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"): (22, "certificates.k8s.io/v1"),
    ("coordination.k8s.io/v1beta1", "Lease"): (22, "coordination.k8s.io/v1"),
    **{
        ("rbac.authorization.k8s.io/v1beta1", k): (22, "rbac.authorization.k8s.io/v1")
        for k in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
    },
    ("scheduling.k8s.io/v1beta1", "PriorityClass"): (22, "scheduling.k8s.io/v1"),
    **{
        ("storage.k8s.io/v1beta1", k): (22, "storage.k8s.io/v1")
        for k in ("CSIDriver", "CSINode", "StorageClass", "VolumeAttachment")
    },
    ("batch/v1beta1", "CronJob"): (25, "batch/v1"),
    ("discovery.k8s.io/v1beta1", "EndpointSlice"): (25, "discovery.k8s.io/v1"),
    ("events.k8s.io/v1beta1", "Event"): (25, "events.k8s.io/v1"),
    ("autoscaling/v2beta1", "HorizontalPodAutoscaler"): (25, "autoscaling/v2"),
    ("policy/v1beta1", "PodDisruptionBudget"): (25, "policy/v1"),
    ("policy/v1beta1", "PodSecurityPolicy"): (25, "Pod Security admission (namespace labels)"),
    ("node.k8s.io/v1beta1", "RuntimeClass"): (25, "node.k8s.io/v1"),
}


class ApiState(str, Enum):
    """Whether a Kubernetes version serves an apiVersion/kind.

    A ``str`` so that a state compares equal to its name (``"served"``).
    """

    SERVED = "served"
    #: Served, and a later version that removes it is known.
    DEPRECATED = "deprecated"
    REMOVED = "removed"
    #: Served only from a later version.
    NOT_YET = "not-yet"
    #: A Kubernetes API group, but no such apiVersion/kind (removed long ago, or misspelt).
    NOT_SERVED = "not-served"
    #: Not a Kubernetes API group: a custom resource.
    UNKNOWN = "unknown"

    @property
    def served(self) -> bool:
        """Whether the version serves it (deprecated or not)."""
        return self in (ApiState.SERVED, ApiState.DEPRECATED)


@dataclass(frozen=True)
class ApiStatus:
    """Whether a Kubernetes version serves an API version, and what replaces it."""

    state: ApiState
    #: For removed/deprecated: the first minor version that does not serve it;
    #: for not-yet: the first that does.
    version: int | None = None
    replacement: str | None = None


def _stability(api_version: str) -> tuple[int, str]:
    version = api_version.rsplit("/", 1)[-1]
    rank = 2 if "alpha" in version else 1 if "beta" in version else 0
    return rank, api_version


def replacement(api_version: str, kind: str, minor: int) -> str | None:
    """Another apiVersion serving the same kind at ``minor`` (stable first, same group first)."""
    group = _group(api_version)
    candidates = []
    for other, kinds in api_index().items():
        if other == api_version or kind not in kinds:
            continue
        if any(start <= minor <= end for start, end in kinds[kind]) or minor > versions()[-1]:
            candidates.append((_group(other) != group, *_stability(other)))
    return min(candidates)[-1] if candidates else None


# A run asks this for every object (removed-api, deprecated-api, the schema checks): a pure
# function of the bundled index, worked out once per apiVersion, kind and version.
@lru_cache(maxsize=4096)
def status(api_version: str, kind: str, minor: int) -> ApiStatus:
    """Whether Kubernetes 1.``minor`` serves ``api_version``/``kind``."""
    oldest, newest = versions()[0], versions()[-1]
    minor = min(minor, newest)
    early = EARLY_REMOVALS.get((api_version, kind))
    if early is not None:
        removed_in, instead = early
        if minor >= removed_in:
            return ApiStatus(ApiState.REMOVED, removed_in, instead)
        return ApiStatus(ApiState.DEPRECATED, removed_in, instead)
    ranges = api_index().get(api_version, {}).get(kind)
    if not ranges:
        # A Kubernetes API group but no such apiVersion/kind: an API removed before the
        # bundled versions (or misspelt). Anything else is a custom resource.
        return ApiStatus(ApiState.NOT_SERVED if is_builtin_group(api_version) else ApiState.UNKNOWN)
    first, last = ranges[0][0], ranges[-1][1]
    if minor < first and first > oldest:
        return ApiStatus(ApiState.NOT_YET, first)
    if minor > last:
        return ApiStatus(ApiState.REMOVED, last + 1, replacement(api_version, kind, minor))
    if last < newest:
        return ApiStatus(ApiState.DEPRECATED, last + 1, replacement(api_version, kind, last + 1))
    return ApiStatus(ApiState.SERVED)


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


@lru_cache(maxsize=1)
def _builtin_groups() -> frozenset[str]:
    return frozenset(_group(gv) for gv in api_index()) | {_group(gv) for gv, _ in EARLY_REMOVALS}


def is_builtin_group(api_version: str) -> bool:
    """Whether the apiVersion's group belongs to Kubernetes itself (at any bundled version)."""
    return _group(api_version) in _builtin_groups()
