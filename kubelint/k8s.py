"""Where pod specs and containers live in workload objects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kubelint.model import K8sObject, KeyPath

#: Kind -> key path of the pod spec it creates pods from.
POD_SPEC_PATHS: dict[str, KeyPath] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
    "PodTemplate": ("template", "spec"),
}
WORKLOAD_KINDS = frozenset(POD_SPEC_PATHS)
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


def pod_spec(obj: K8sObject) -> tuple[KeyPath, dict[str, Any]] | None:
    """The pod spec of a workload and its key path, or None."""
    path = POD_SPEC_PATHS.get(obj.kind)
    if path is None:
        return None
    spec = get(obj.data, path)
    if not isinstance(spec, dict):
        spec = {}
    return path, spec


def pod_template_metadata_path(obj: K8sObject) -> KeyPath | None:
    path = POD_SPEC_PATHS.get(obj.kind)
    if path is None or obj.kind == "Pod":
        return None
    return path[:-1] + ("metadata",)


def containers(spec_path: KeyPath, spec: dict[str, Any]) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
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
