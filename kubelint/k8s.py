"""Where pod specs and containers live in workload objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.model import K8sObject, KeyPath

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


def get(data: Any, path: KeyPath) -> Any:
    """The value at ``path``, or None when any step is missing or of the wrong type."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or not 0 <= part < len(data):
                return None
        elif not isinstance(data, dict):
            return None
        data = data[part] if isinstance(part, int) else data.get(part)
    return data


def pod_template_path(obj: K8sObject) -> KeyPath | None:
    """Where the object's pod template is: built-in workloads, or a configured custom kind."""
    path = POD_TEMPLATE_PATHS.get(obj.kind)
    return path if path is not None else obj.pod_template_path


def has_pod_template(obj: K8sObject) -> bool:
    return obj.kind in POD_TEMPLATE_PATHS or obj.pod_template_path is not None


def pod_spec(obj: K8sObject) -> tuple[KeyPath, dict[str, Any]] | None:
    """The pod spec of a workload and its key path, or None."""
    template = pod_template_path(obj)
    if template is None:
        return None
    path = (*template, "spec")
    spec = get(obj.data, path)
    if not isinstance(spec, dict):
        spec = {}
    return path, spec


def pod_metadata(obj: K8sObject) -> tuple[KeyPath, dict[str, Any]] | None:
    """The metadata its pods get (the template's, or a Pod's own) and its key path."""
    template = pod_template_path(obj)
    if template is None:
        return None
    path = (*template, "metadata")
    meta = get(obj.data, path)
    return path, meta if isinstance(meta, dict) else {}


def pod_template_metadata_path(obj: K8sObject) -> KeyPath | None:
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


def workload_containers(obj: K8sObject) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    """Every container of a workload's pod spec with its key path (nothing for other kinds)."""
    found = pod_spec(obj)
    if found is not None:
        yield from containers(*found)


def container_label(container: dict[str, Any], path: KeyPath) -> str:
    kind = {"initContainers": "init container", "ephemeralContainers": "ephemeral container"}
    label = kind.get(str(path[-2]), "container")
    name = container.get("name")
    return f"{label} '{name}'" if name else f"{label} #{path[-1]}"
