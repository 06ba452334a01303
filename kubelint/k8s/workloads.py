"""Where pod specs and containers live in workload objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.k8s.objects import KeyPath, KubeObject

#: Kind -> key path of the pod template (metadata + spec) it creates pods from.
#: A Pod is its own template: its metadata and spec sit at the top.
POD_TEMPLATE_PATHS: dict[str, KeyPath] = {
    "Pod": (),
    "Deployment": ("spec", "template"),
    "StatefulSet": ("spec", "template"),
    "DaemonSet": ("spec", "template"),
    "ReplicaSet": ("spec", "template"),
    "ReplicationController": ("spec", "template"),
    "Job": ("spec", "template"),
    "CronJob": ("spec", "jobTemplate", "spec", "template"),
    "PodTemplate": ("template",),
}
WORKLOAD_KINDS = frozenset(POD_TEMPLATE_PATHS)
CONTAINER_FIELDS = ("initContainers", "containers", "ephemeralContainers")

#: Well-known custom resources that create pods from a template: (API group, kind) -> key
#: path of the template. The group matters: a core v1 Service is no workload, a Knative one is.
KNOWN_CUSTOM_WORKLOADS: dict[tuple[str, str], KeyPath] = {
    ("apps.openshift.io", "DeploymentConfig"): ("spec", "template"),
    ("", "DeploymentConfig"): ("spec", "template"),  # OpenShift 3's legacy `apiVersion: v1`
    ("argoproj.io", "Rollout"): ("spec", "template"),
    ("serving.knative.dev", "Service"): ("spec", "template"),
    ("keda.sh", "ScaledJob"): ("spec", "jobTargetRef", "template"),
}
_KNOWN_CUSTOM_KINDS = frozenset(kind for _, kind in KNOWN_CUSTOM_WORKLOADS)
#: Where other custom kinds are taken to keep a pod template, when a containers list is
#: there: the shapes of Deployment and of CronJob, which most workload operators copy.
GUESSED_TEMPLATE_PATHS: tuple[KeyPath, ...] = (
    ("spec", "template"),
    ("spec", "jobTemplate", "spec", "template"),
)


def get(data: Any, path: KeyPath) -> Any:
    """The value at ``path``, or None when any step is missing or of the wrong type."""
    for part in path:
        if isinstance(data, dict):  # the usual step: a key of a mapping
            if isinstance(part, int):
                return None
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


#: The control-plane components kubeadm runs as static pods, by their ``component`` label.
CONTROL_PLANE_COMPONENTS = frozenset(
    {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd"}
)


def is_control_plane_pod(obj: KubeObject) -> bool:
    """Whether ``obj`` is a static pod of the control plane as kubeadm writes it: a Pod in
    ``kube-system`` labelled ``tier: control-plane`` and ``component: <name>``, one of whose
    containers runs that very program (``command[0]``). All three must hold: a label alone
    does not take a pod out of the workload checks."""
    if obj.kind != "Pod" or obj.namespace != "kube-system":
        return False
    labels = obj.metadata.get("labels")
    if not isinstance(labels, dict) or labels.get("tier") != "control-plane":
        return False
    component = labels.get("component")
    if component not in CONTROL_PLANE_COMPONENTS:
        return False
    for _, container in workload_containers(obj):
        command = container.get("command")
        if isinstance(command, list) and command and isinstance(command[0], str):
            if command[0].rsplit("/", 1)[-1] == component:
                return True
    return False


def api_group(api_version: str) -> str:
    """The API group of an apiVersion (``""`` for the core group's ``v1``)."""
    return api_version.rpartition("/")[0]


def custom_pod_template(api_version: str, kind: str, data: Any) -> tuple[KeyPath, bool] | None:
    """Where a custom resource keeps its pod template, and whether that was guessed.

    Well-known kinds are matched by API group and kind; any other kind counts when it has
    a containers list where a Deployment or a CronJob has one (guessed). An Argo Rollout
    that points at a Deployment (``spec.workloadRef``) instead of holding a template has
    none: see :func:`rollout_workload_ref`.
    """
    if not isinstance(data, dict) or not isinstance(data.get("spec"), dict):
        return None  # most objects (ConfigMaps, RBAC, ...) stop here
    if kind in _KNOWN_CUSTOM_KINDS:
        known = KNOWN_CUSTOM_WORKLOADS.get((api_group(api_version), kind))
        if known is not None:
            if rollout_workload_ref(api_version, kind, data) is not None:
                return None
            return known, False
    for path in GUESSED_TEMPLATE_PATHS:
        if isinstance(get(data, (*path, "spec", "containers")), list):
            return path, True
    return None


def rollout_workload_ref(api_version: str, kind: str, data: Any) -> dict[str, Any] | None:
    """The ``spec.workloadRef`` of an Argo Rollout that has no pod template of its own."""
    if kind != "Rollout" or api_group(api_version) != "argoproj.io":
        return None
    ref = get(data, ("spec", "workloadRef"))
    if not isinstance(ref, dict) or get(data, ("spec", "template")) is not None:
        return None
    return ref


def pod_template_path(obj: KubeObject) -> KeyPath | None:
    """Where the object's pod template is: built-in workloads, or a custom kind (see runner)."""
    path = POD_TEMPLATE_PATHS.get(obj.kind)
    return path if path is not None else obj.pod_template_path


def has_pod_template(obj: KubeObject) -> bool:
    return obj.kind in POD_TEMPLATE_PATHS or obj.pod_template_path is not None


def pod_spec(obj: KubeObject) -> tuple[KeyPath, dict[str, Any]] | None:
    """The pod spec of a workload and its key path, or None."""
    return _template_part(obj, "spec")


def pod_metadata(obj: KubeObject) -> tuple[KeyPath, dict[str, Any]] | None:
    """The metadata its pods get (the template's, or a Pod's own) and its key path."""
    return _template_part(obj, "metadata")


def _template_part(obj: KubeObject, key: str) -> tuple[KeyPath, dict[str, Any]] | None:
    """A mapping under the pod template (empty when absent) and its key path, or None."""
    template = pod_template_path(obj)
    if template is None:
        return None
    path = (*template, key)
    value = get(obj.data, path)
    return path, value if isinstance(value, dict) else {}


def pod_template_metadata_path(obj: KubeObject) -> KeyPath | None:
    """The metadata path of a workload's pod template (None for a Pod and other kinds)."""
    template = pod_template_path(obj)
    if not template:
        return None
    return (*template, "metadata")


def containers(
    spec_path: KeyPath, spec: dict[str, Any]
) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    """Every container of a pod spec (init, regular, ephemeral) with its key path."""
    for field_name in CONTAINER_FIELDS:
        items = spec.get(field_name)
        if not isinstance(items, list):
            continue
        for index, container in enumerate(items):
            if isinstance(container, dict):
                yield spec_path + (field_name, index), container


def workload_containers(obj: KubeObject) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    """Every container of a workload's pod spec with its key path (nothing for other kinds)."""
    found = pod_spec(obj)
    if found is not None:
        yield from containers(*found)


def security_contexts(
    spec_path: KeyPath, spec: dict[str, Any]
) -> Iterator[tuple[KeyPath, dict[str, Any], dict[str, Any] | None]]:
    """The pod's ``securityContext``, then each container's: (key path, value, container).

    A missing or malformed context reads as ``{}``; the container is None at the pod level.
    Name who set a value with :func:`security_context_owner`.
    """
    yield (*spec_path, "securityContext"), mapping(spec.get("securityContext")), None
    for path, container in containers(spec_path, spec):
        yield (*path, "securityContext"), mapping(container.get("securityContext")), container


def security_context_owner(sc_path: KeyPath, container: dict[str, Any] | None) -> str:
    """``pod``, or the label of the container whose ``securityContext`` is at ``sc_path``."""
    return "pod" if container is None else container_label(container, sc_path[:-1])


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one (malformed input reads as unset)."""
    return value if isinstance(value, dict) else {}


def container_label(container: dict[str, Any], path: KeyPath) -> str:
    kind = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
    label = kind.get(str(path[-2]), "container")
    name = container.get("name")
    return f"{label} '{name}'" if name else f"{label} #{path[-1]}"
