"""Control-plane and kubelet configuration, encryption at rest, audit policy (no checks yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubelint.k8s.workloads import POD_TEMPLATE_PATHS
from kubelint.model import Context, K8sObject

if TYPE_CHECKING:
    from kubelint.checks.cluster.flags import ApiServer

# The checks' metadata and first questions live here, light, so that a run with no control
# plane configuration (most runs) never imports the flag parser, the encryption or the
# kubelet helpers.

#: Kinds that may configure an API server (see :mod:`kubelint.checks.cluster.flags`).
API_SERVER_KINDS = frozenset(POD_TEMPLATE_PATHS) | {"ClusterConfiguration"}
#: The kinds of :mod:`kubelint.checks.cluster.encryption`.
ENCRYPTION_KINDS = frozenset({"EncryptionConfiguration"})
#: The kinds of :mod:`kubelint.checks.cluster.kubelet`.
KUBELET_KINDS = frozenset({"KubeletConfiguration", "InitConfiguration", "JoinConfiguration"})
CONTROL_PLANE_NAMESPACE = "kube-system"


def api_servers(obj: K8sObject, ctx: Context) -> tuple[ApiServer, ...]:
    """Every API server the object configures (:func:`kubelint.checks.cluster.flags.api_servers`);
    the flag parser is imported only for an object that may configure one: a kubeadm
    ClusterConfiguration, a bare Pod (a static pod manifest), or a workload in kube-system."""
    if obj.kind != "ClusterConfiguration" and (
        obj.kind not in POD_TEMPLATE_PATHS
        or (obj.kind != "Pod" and obj.namespace != CONTROL_PLANE_NAMESPACE)
    ):
        return ()
    from kubelint.checks.cluster import flags

    return flags.api_servers(obj, ctx)
