"""Where the kubelet's settings are written: its config file, and kubeadm's flags for it.

- A ``KubeletConfiguration`` (``kubelet.config.k8s.io``), alone or as one document of a
  kubeadm multi-document file. A key the file leaves out is not a finding: the config
  file's defaults are the secure ones (anonymous off, ``Webhook`` authorization, no
  read-only port).
- kubeadm's ``InitConfiguration`` and ``JoinConfiguration`` (``kubeadm.k8s.io``):
  ``nodeRegistration.kubeletExtraArgs``, flags that override the config file kubeadm
  writes, as a mapping (``v1beta3``) or a list of ``{name, value}`` (``v1beta4``). Only
  flags given count: kubeadm always starts the kubelet with its (secure) config file, so
  the flags' own, weaker defaults never apply there.

Each setting is found as (value, key path); a config value keeps its YAML type, a flag's
value is its text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kubelint.checks.cluster import KUBELET_KINDS
from kubelint.k8s.workloads import api_group, get
from kubelint.model import K8sObject, KeyPath

CONFIG_GROUP = "kubelet.config.k8s.io"
KUBEADM_GROUP = "kubeadm.k8s.io"
KINDS = KUBELET_KINDS


@dataclass(frozen=True)
class Setting:
    """One kubelet setting as written."""

    value: object
    path: KeyPath
    #: True for a kubeadm kubeletExtraArgs flag (the value is text), False for the config.
    flag: bool
    #: How the setting is named where it is written (``readOnlyPort``, ``read-only-port``).
    name: str


def is_config(obj: K8sObject) -> bool:
    return obj.kind == "KubeletConfiguration" and api_group(obj.api_version) == CONFIG_GROUP


def _extra_args(obj: K8sObject) -> Iterator[tuple[str, str, KeyPath]]:
    if obj.kind not in ("InitConfiguration", "JoinConfiguration"):
        return
    if api_group(obj.api_version) != KUBEADM_GROUP:
        return
    base: KeyPath = ("nodeRegistration", "kubeletExtraArgs")
    extra = get(obj.data, base)
    if isinstance(extra, dict):
        for key, value in extra.items():
            if isinstance(key, str) and isinstance(value, str | int | float | bool):
                yield key, _text(value), (*base, key)
    elif isinstance(extra, list):
        for index, entry in enumerate(extra):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                value = entry.get("value")
                if isinstance(value, str | int | float | bool):
                    yield entry["name"], _text(value), (*base, index, "value")


def _text(value: str | int | float | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def settings(obj: K8sObject, config_path: KeyPath, flag: str) -> Iterator[Setting]:
    """The setting at ``config_path`` of a KubeletConfiguration, or the last kubeadm
    ``flag`` (without dashes) given to the kubelet."""
    if is_config(obj):
        value = get(obj.data, config_path)
        if value is not None:
            yield Setting(value, config_path, False, ".".join(map(str, config_path)))
        return
    last = None
    for name, value, path in _extra_args(obj):
        if name == flag:
            last = Setting(value, path, True, flag)
    if last is not None:
        yield last


def feature_gate(obj: K8sObject, gate: str) -> Iterator[Setting]:
    """A feature gate set in the config (``featureGates``) or by kubeadm's
    ``feature-gates`` flag (``A=true,B=false``); the value is a bool or its text."""
    if is_config(obj):
        gates = obj.data.get("featureGates")
        if isinstance(gates, dict) and gate in gates:
            yield Setting(gates[gate], ("featureGates", gate), False, gate)
        return
    for found in settings(obj, (), "feature-gates"):
        for item in str(found.value).split(","):
            name, _, value = item.partition("=")
            if name.strip() == gate:
                yield Setting(value.strip().lower(), found.path, True, gate)


def is_true(setting: Setting) -> bool:
    if setting.flag:
        return str(setting.value).strip().lower() == "true"
    return setting.value is True


def is_false(setting: Setting) -> bool:
    if setting.flag:
        return str(setting.value).strip().lower() == "false"
    return setting.value is False
