"""The REST resources behind Kubernetes kinds: plural names, scopes, served versions.

The API server matches admission rules (webhooks, ValidatingAdmissionPolicy) against
*resources* (``apps/v1 deployments``), while manifests name *kinds* (``apps/v1
Deployment``). Offline there is no discovery to ask, so this module carries the table
``kubectl api-resources`` would print for the built-in APIs, the releases that serve each
version (to tell which equivalent resources exist in a cluster of a given version), and
the custom resources that the tree's CustomResourceDefinitions declare.

References: https://kubernetes.io/docs/reference/using-api/api-concepts/ and
https://kubernetes.io/docs/reference/using-api/deprecation-guide/
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

#: A release (minor) number standing for "served until now".
_NOW = 10**6


@dataclass(frozen=True)
class Resource:
    """One resource of one API version, as admission rules and ``request.resource`` name it."""

    group: str
    version: str
    #: The plural, lowercase name (``deployments``).
    resource: str
    namespaced: bool
    kind: str = ""
    #: The first and last Kubernetes minor release serving this version (0 and a large
    #: number when the table knows no bound).
    first: int = 0
    last: int = _NOW

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    def served_in(self, minor: int) -> bool:
        """Whether Kubernetes 1.``minor`` serves this version of the resource."""
        return self.first <= minor <= self.last


# (group, kind, plural, namespaced, versions). A version is "v1" (served by every release
# kubelint knows), "v1:30-" (from 1.30), "v1beta1:-24" (until 1.24) or "v1alpha2:27-30".
# Ranges after 1.25 follow schemas/kubernetes/apis.json (a test holds them to it); those
# before follow the deprecation guide. Alpha and beta versions count as served in the
# releases that have them, whether or not a cluster switches them on.
_N, _C = True, False
# fmt: off
_TABLE: tuple[tuple[str, str, str, bool, str], ...] = (
    ("", "Binding", "bindings", _N, "v1"),
    ("", "ComponentStatus", "componentstatuses", _C, "v1"),
    ("", "ConfigMap", "configmaps", _N, "v1"),
    ("", "Endpoints", "endpoints", _N, "v1"),
    ("", "Event", "events", _N, "v1"),
    ("", "LimitRange", "limitranges", _N, "v1"),
    ("", "Namespace", "namespaces", _C, "v1"),
    ("", "Node", "nodes", _C, "v1"),
    ("", "PersistentVolume", "persistentvolumes", _C, "v1"),
    ("", "PersistentVolumeClaim", "persistentvolumeclaims", _N, "v1"),
    ("", "Pod", "pods", _N, "v1"),
    ("", "PodTemplate", "podtemplates", _N, "v1"),
    ("", "ReplicationController", "replicationcontrollers", _N, "v1"),
    ("", "ResourceQuota", "resourcequotas", _N, "v1"),
    ("", "Secret", "secrets", _N, "v1"),
    ("", "Service", "services", _N, "v1"),
    ("", "ServiceAccount", "serviceaccounts", _N, "v1"),
    ("admissionregistration.k8s.io", "MutatingWebhookConfiguration",
     "mutatingwebhookconfigurations", _C, "v1 v1beta1:-21"),
    ("admissionregistration.k8s.io", "ValidatingWebhookConfiguration",
     "validatingwebhookconfigurations", _C, "v1 v1beta1:-21"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicy",
     "validatingadmissionpolicies", _C, "v1:30- v1beta1:28-33 v1alpha1:26-31"),
    ("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding",
     "validatingadmissionpolicybindings", _C, "v1:30- v1beta1:28-33 v1alpha1:26-31"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicy",
     "mutatingadmissionpolicies", _C, "v1:36- v1beta1:34- v1alpha1:32-"),
    ("admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding",
     "mutatingadmissionpolicybindings", _C, "v1:36- v1beta1:34- v1alpha1:32-"),
    ("apiextensions.k8s.io", "CustomResourceDefinition", "customresourcedefinitions", _C,
     "v1 v1beta1:-21"),
    ("apiregistration.k8s.io", "APIService", "apiservices", _C, "v1 v1beta1:-21"),
    ("apps", "ControllerRevision", "controllerrevisions", _N, "v1 v1beta1:-15 v1beta2:-15"),
    ("apps", "DaemonSet", "daemonsets", _N, "v1 v1beta2:-15"),
    ("apps", "Deployment", "deployments", _N, "v1 v1beta1:-15 v1beta2:-15"),
    ("apps", "ReplicaSet", "replicasets", _N, "v1 v1beta1:-15 v1beta2:-15"),
    ("apps", "StatefulSet", "statefulsets", _N, "v1 v1beta1:-15 v1beta2:-15"),
    ("authentication.k8s.io", "TokenReview", "tokenreviews", _C, "v1 v1beta1:-21"),
    ("authentication.k8s.io", "SelfSubjectReview", "selfsubjectreviews", _C,
     "v1:28- v1beta1:27-32 v1alpha1:26-31"),
    ("authorization.k8s.io", "LocalSubjectAccessReview", "localsubjectaccessreviews", _N,
     "v1 v1beta1:-21"),
    ("authorization.k8s.io", "SelfSubjectAccessReview", "selfsubjectaccessreviews", _C,
     "v1 v1beta1:-21"),
    ("authorization.k8s.io", "SelfSubjectRulesReview", "selfsubjectrulesreviews", _C,
     "v1 v1beta1:-21"),
    ("authorization.k8s.io", "SubjectAccessReview", "subjectaccessreviews", _C,
     "v1 v1beta1:-21"),
    ("autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers", _N,
     "v1 v2 v2beta1:-24 v2beta2:-25"),
    ("batch", "CronJob", "cronjobs", _N, "v1 v1beta1:-24"),
    ("batch", "Job", "jobs", _N, "v1"),
    ("certificates.k8s.io", "CertificateSigningRequest", "certificatesigningrequests", _C,
     "v1 v1beta1:-21"),
    ("certificates.k8s.io", "ClusterTrustBundle", "clustertrustbundles", _C,
     "v1:37- v1beta1:33- v1alpha1:27-36"),
    ("certificates.k8s.io", "PodCertificateRequest", "podcertificaterequests", _N,
     "v1:37- v1beta1:35- v1alpha1:34-34"),
    ("coordination.k8s.io", "Lease", "leases", _N, "v1 v1beta1:-21"),
    ("coordination.k8s.io", "LeaseCandidate", "leasecandidates", _N,
     "v1beta1:33- v1alpha2:32- v1alpha1:31-31"),
    ("discovery.k8s.io", "EndpointSlice", "endpointslices", _N, "v1 v1beta1:-24"),
    ("events.k8s.io", "Event", "events", _N, "v1 v1beta1:-24"),
    ("extensions", "DaemonSet", "daemonsets", _N, "v1beta1:-15"),
    ("extensions", "Deployment", "deployments", _N, "v1beta1:-15"),
    ("extensions", "Ingress", "ingresses", _N, "v1beta1:-21"),
    ("extensions", "NetworkPolicy", "networkpolicies", _N, "v1beta1:-15"),
    ("extensions", "PodSecurityPolicy", "podsecuritypolicies", _C, "v1beta1:-15"),
    ("extensions", "ReplicaSet", "replicasets", _N, "v1beta1:-15"),
    ("flowcontrol.apiserver.k8s.io", "FlowSchema", "flowschemas", _C,
     "v1:29- v1beta3:26-31 v1beta2:-28 v1beta1:-25 v1alpha1:-20"),
    ("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration",
     "prioritylevelconfigurations", _C,
     "v1:29- v1beta3:26-31 v1beta2:-28 v1beta1:-25 v1alpha1:-20"),
    ("internal.apiserver.k8s.io", "StorageVersion", "storageversions", _C, "v1alpha1"),
    # KEP-4563: both name a pod of their own namespace.
    ("lifecycle.k8s.io", "Eviction", "evictions", _N, "v1alpha1:37-"),
    ("lifecycle.k8s.io", "EvictionRequest", "evictionrequests", _N, "v1alpha1:37-"),
    ("networking.k8s.io", "ClusterCIDR", "clustercidrs", _C, "v1alpha1:25-28"),
    ("networking.k8s.io", "IPAddress", "ipaddresses", _C,
     "v1:33- v1beta1:31-36 v1alpha1:27-30"),
    ("networking.k8s.io", "Ingress", "ingresses", _N, "v1 v1beta1:-21"),
    ("networking.k8s.io", "IngressClass", "ingressclasses", _C, "v1 v1beta1:-21"),
    ("networking.k8s.io", "NetworkPolicy", "networkpolicies", _N, "v1"),
    ("networking.k8s.io", "ServiceCIDR", "servicecidrs", _C,
     "v1:33- v1beta1:31-36 v1alpha1:29-30"),
    ("node.k8s.io", "RuntimeClass", "runtimeclasses", _C, "v1 v1beta1:-24"),
    ("policy", "PodDisruptionBudget", "poddisruptionbudgets", _N, "v1 v1beta1:-24"),
    ("policy", "PodSecurityPolicy", "podsecuritypolicies", _C, "v1beta1:-24"),
    ("rbac.authorization.k8s.io", "ClusterRole", "clusterroles", _C,
     "v1 v1beta1:-21 v1alpha1:-21"),
    ("rbac.authorization.k8s.io", "ClusterRoleBinding", "clusterrolebindings", _C,
     "v1 v1beta1:-21 v1alpha1:-21"),
    ("rbac.authorization.k8s.io", "Role", "roles", _N, "v1 v1beta1:-21 v1alpha1:-21"),
    ("rbac.authorization.k8s.io", "RoleBinding", "rolebindings", _N,
     "v1 v1beta1:-21 v1alpha1:-21"),
    ("resource.k8s.io", "DeviceClass", "deviceclasses", _C,
     "v1:34- v1beta2:33- v1beta1:32- v1alpha3:31-33"),
    ("resource.k8s.io", "DeviceTaintRule", "devicetaintrules", _C,
     "v1:37- v1beta2:36- v1alpha3:33-"),
    ("resource.k8s.io", "PodScheduling", "podschedulings", _N, "v1alpha1:26-26"),
    ("resource.k8s.io", "PodSchedulingContext", "podschedulingcontexts", _N,
     "v1alpha3:31-31 v1alpha2:27-30"),
    ("resource.k8s.io", "ResourceClaim", "resourceclaims", _N,
     "v1:34- v1beta2:33- v1beta1:32- v1alpha3:31-33 v1alpha2:27-30 v1alpha1:26-26"),
    ("resource.k8s.io", "ResourceClaimParameters", "resourceclaimparameters", _N,
     "v1alpha2:30-30"),
    ("resource.k8s.io", "ResourceClaimTemplate", "resourceclaimtemplates", _N,
     "v1:34- v1beta2:33- v1beta1:32- v1alpha3:31-33 v1alpha2:27-30 v1alpha1:26-26"),
    ("resource.k8s.io", "ResourceClass", "resourceclasses", _C,
     "v1alpha2:27-30 v1alpha1:26-26"),
    ("resource.k8s.io", "ResourceClassParameters", "resourceclassparameters", _N,
     "v1alpha2:30-30"),
    ("resource.k8s.io", "ResourcePoolStatusRequest", "resourcepoolstatusrequests", _C,
     "v1alpha3:36-"),
    ("resource.k8s.io", "ResourceSlice", "resourceslices", _C,
     "v1:34- v1beta2:33- v1beta1:32- v1alpha3:31-33 v1alpha2:30-30"),
    ("scheduling.k8s.io", "CompositePodGroup", "compositepodgroups", _N, "v1alpha3:37-"),
    ("scheduling.k8s.io", "PodGroup", "podgroups", _N,
     "v1beta1:37- v1alpha3:37- v1alpha2:36-36"),
    ("scheduling.k8s.io", "PriorityClass", "priorityclasses", _C, "v1 v1beta1:-21"),
    ("scheduling.k8s.io", "Workload", "workloads", _N,
     "v1beta1:37- v1alpha3:37- v1alpha2:36-36 v1alpha1:35-35"),
    ("storage.k8s.io", "CSIDriver", "csidrivers", _C, "v1 v1beta1:-21"),
    ("storage.k8s.io", "CSINode", "csinodes", _C, "v1 v1beta1:-21"),
    ("storage.k8s.io", "CSIStorageCapacity", "csistoragecapacities", _N, "v1 v1beta1:-26"),
    ("storage.k8s.io", "StorageClass", "storageclasses", _C, "v1 v1beta1:-21"),
    ("storage.k8s.io", "VolumeAttachment", "volumeattachments", _C, "v1 v1beta1:-21"),
    ("storage.k8s.io", "VolumeAttributesClass", "volumeattributesclasses", _C,
     "v1:34- v1beta1:31-36 v1alpha1:29-34"),
    ("storagemigration.k8s.io", "StorageVersionMigration", "storageversionmigrations", _C,
     "v1:37- v1beta1:35- v1alpha1:30-34"),
)
# fmt: on

#: Kinds that are only ever a subresource of another resource, never created on their own:
#: (group, kind) -> the subresources they stand for.
SUBRESOURCE_KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("autoscaling", "Scale"): (
        "deployments/scale",
        "replicasets/scale",
        "statefulsets/scale",
        "replicationcontrollers/scale",
    ),
    ("policy", "Eviction"): ("pods/eviction",),
    ("authentication.k8s.io", "TokenRequest"): ("serviceaccounts/token",),
}

#: The same stored objects under resources of different API groups (the versions of one
#: group are always the same objects). A request through one reaches the objects of all.
CROSS_GROUP_EQUIVALENTS: tuple[frozenset[tuple[str, str]], ...] = (
    frozenset({("apps", "deployments"), ("extensions", "deployments")}),
    frozenset({("apps", "daemonsets"), ("extensions", "daemonsets")}),
    frozenset({("apps", "replicasets"), ("extensions", "replicasets")}),
    frozenset({("networking.k8s.io", "ingresses"), ("extensions", "ingresses")}),
    frozenset({("networking.k8s.io", "networkpolicies"), ("extensions", "networkpolicies")}),
    frozenset({("policy", "podsecuritypolicies"), ("extensions", "podsecuritypolicies")}),
    frozenset({("", "events"), ("events.k8s.io", "events")}),
)


def _served_range(text: str) -> tuple[int, int]:
    if not text:
        return 0, _NOW
    first, _, last = text.partition("-")
    return (int(first) if first else 0), (int(last) if last else _NOW)


@cache
def _builtin() -> dict[tuple[str, str, str], Resource]:
    """(group, version, kind) -> resource, for every version in the table."""
    out: dict[tuple[str, str, str], Resource] = {}
    for group, kind, plural, namespaced, versions in _TABLE:
        for spec in versions.split():
            version, _, served = spec.partition(":")
            first, last = _served_range(served)
            out[(group, version, kind)] = Resource(
                group, version, plural, namespaced, kind, first, last
            )
    return out


def split_api_version(api_version: str) -> tuple[str, str]:
    """``apps/v1`` -> (``apps``, ``v1``); ``v1`` -> (``""``, ``v1``)."""
    group, _, version = api_version.rpartition("/")
    return group, version


def resource_of(api_version: str, kind: str) -> Resource | None:
    """The built-in resource of ``api_version``/``kind``; None for a custom or unknown kind
    and for a kind that is only a subresource (``autoscaling/v1`` ``Scale``)."""
    group, version = split_api_version(api_version)
    return _builtin().get((group, version, kind))


def builtin_resources() -> tuple[Resource, ...]:
    """Every built-in resource version of the table."""
    return tuple(_builtin().values())


def is_builtin_group(group: str) -> bool:
    """Whether Kubernetes itself serves (or served) the API group."""
    return any(entry[0] == group for entry in _TABLE)


def equivalents(resource: Resource, minor: int, more: Iterable[Resource] = ()) -> list[Resource]:
    """The resources a cluster of Kubernetes 1.``minor`` serves for the same objects as
    ``resource`` (itself included when served): its group's other versions and, for the
    legacy groups, the same resource in the other group. ``more`` adds custom resources
    (every served version of a CustomResourceDefinition is the same objects)."""
    names = {(resource.group, resource.resource)}
    for family in CROSS_GROUP_EQUIVALENTS:
        if (resource.group, resource.resource) in family:
            names |= family
    candidates = [*_builtin().values(), *more]
    return [r for r in candidates if (r.group, r.resource) in names and r.served_in(minor)]


@dataclass(frozen=True)
class CustomResource:
    """A resource declared by a CustomResourceDefinition of the tree."""

    group: str
    kind: str
    resource: str
    namespaced: bool
    #: The versions the definition serves (``served: true``).
    versions: tuple[str, ...]

    def at(self, version: str) -> Resource | None:
        """The resource at ``version``, or None when the definition does not serve it."""
        if version not in self.versions:
            return None
        return Resource(self.group, version, self.resource, self.namespaced, self.kind)

    def all(self) -> list[Resource]:
        return [
            Resource(self.group, v, self.resource, self.namespaced, self.kind)
            for v in self.versions
        ]


def _text(mapping: Mapping[str, Any], key: str) -> str:
    value = mapping.get(key)
    return value if isinstance(value, str) else ""


def custom_resource(data: Mapping[str, Any]) -> CustomResource | None:
    """The resource one CustomResourceDefinition (its data) declares; None when it lacks
    the group, plural, kind or a valid scope (the API server would reject it)."""
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return None
    names = spec.get("names")
    names = names if isinstance(names, dict) else {}
    group, plural, kind = _text(spec, "group"), _text(names, "plural"), _text(names, "kind")
    scope = spec.get("scope")
    if not (group and plural and kind) or scope not in ("Namespaced", "Cluster"):
        return None
    listed = spec.get("versions")
    served = tuple(
        _text(v, "name")
        for v in (listed if isinstance(listed, list) else [])
        if isinstance(v, dict) and v.get("served") is True and _text(v, "name")
    )
    return CustomResource(group, kind, plural, scope == "Namespaced", served)


def crd_resources(objects: Iterable[Any]) -> dict[tuple[str, str], CustomResource]:
    """(group, kind) -> the custom resource, from the CustomResourceDefinitions among
    ``objects`` (anything with ``kind`` and ``data``, such as K8sObject). A later
    definition of the same group and kind wins, as a later apply would."""
    out: dict[tuple[str, str], CustomResource] = {}
    for obj in objects:
        if getattr(obj, "kind", None) != "CustomResourceDefinition":
            continue
        if not str(getattr(obj, "api_version", "")).startswith("apiextensions.k8s.io/"):
            continue
        found = custom_resource(obj.data)
        if found is not None:
            out[(found.group, found.kind)] = found
    return out
