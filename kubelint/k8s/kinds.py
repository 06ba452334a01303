"""Facts about Kubernetes kinds."""

from __future__ import annotations

# Built-in kinds that live outside any namespace (kubectl api-resources --namespaced=false).
# By kind name alone, so one name is left out: IPAddress (networking.k8s.io) is cluster-scoped,
# but Cluster API's IPAddress (ipam.cluster.x-k8s.io) lives in a namespace and is far more
# common in manifests. kubelint.k8s.resources knows the scope of every built-in resource.
CLUSTER_SCOPED_KINDS = frozenset(
    {
        "APIService",
        "CertificateSigningRequest",
        "ClusterCIDR",
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterTrustBundle",
        "ComponentStatus",
        "CSIDriver",
        "CSINode",
        "CustomResourceDefinition",
        "DeviceClass",
        "DeviceTaintRule",
        "FlowSchema",
        "IngressClass",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PodSecurityPolicy",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "ResourceClass",
        "ResourcePoolStatusRequest",
        "ResourceSlice",
        "RuntimeClass",
        "SelfSubjectAccessReview",
        "SelfSubjectReview",
        "SelfSubjectRulesReview",
        "ServiceCIDR",
        "StorageClass",
        "StorageVersion",
        "StorageVersionMigration",
        "SubjectAccessReview",
        "TokenReview",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
        "VolumeAttributesClass",
    }
)

#: API groups of component configuration files. A kubelet, kubeadm, the API server,
#: kube-proxy, the scheduler or kind reads these from disk (--config, --encryption-
#: provider-config, --audit-policy-file, ...); they are never sent to the API server. So
#: they are not API resources: no CustomResourceDefinition or OpenAPI schema describes
#: them (the "not validated" notice must not ask for one) and they have no namespace (no
#: default one either). The cluster family still lints them.
COMPONENT_CONFIG_GROUPS = frozenset(
    {
        # EncryptionConfiguration, Authentication-, Authorization-, AdmissionConfiguration
        "apiserver.config.k8s.io",
        "audit.k8s.io",  # the audit Policy
        "kind.x-k8s.io",  # kind's Cluster
        "kubeadm.k8s.io",  # ClusterConfiguration, InitConfiguration, JoinConfiguration
        "kubelet.config.k8s.io",  # KubeletConfiguration
        "kubeproxy.config.k8s.io",  # KubeProxyConfiguration
        "kubescheduler.config.k8s.io",  # KubeSchedulerConfiguration
    }
)


#: (apiVersion, kind) of client configuration files in a group of API resources: a
#: kubeconfig is core-group ``v1`` (like a Pod) but ``kind: Config``, read by kubectl and
#: client libraries and never sent to the API server. Like the component configuration
#: files above: no schema, no namespace, never an API that Kubernetes removed.
CLIENT_CONFIG_KINDS = frozenset({("v1", "Config")})


def is_component_config(api_version: str, kind: str) -> bool:
    """Whether ``api_version``/``kind`` is a configuration file read from disk (a component's
    or a client's, such as a kubeconfig), not an API resource."""
    return (
        api_version.rpartition("/")[0] in COMPONENT_CONFIG_GROUPS
        or (api_version, kind) in CLIENT_CONFIG_KINDS
    )


def namespace_of(api_version: str, kind: str, metadata: object, default: str) -> str | None:
    """The namespace of an object, ``default`` when its metadata names none (as kubectl
    defaults it); None when it lives in no namespace: a cluster-scoped kind, or a
    component or client configuration file (no API object at all)."""
    if kind in CLUSTER_SCOPED_KINDS or is_component_config(api_version, kind):
        return None
    namespace = metadata.get("namespace") if isinstance(metadata, dict) else None
    return str(namespace) if namespace else default
