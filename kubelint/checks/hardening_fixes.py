"""The edits that set the hardening settings of :mod:`kubelint.k8s.hardening`.

Every check that reports one of these settings (``missing-security-context`` and the Pod
Security controls) declares its fix with these builders, so that two findings about one
setting carry the very same edit: their fixes merge instead of conflicting. (It is no
family: both families use it; it cannot live in :mod:`kubelint.k8s`, which
:mod:`kubelint.model` imports.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kubelint.k8s.workloads import get, security_contexts
from kubelint.model import Edit, KeyPath

#: Capabilities with which the API server refuses ``allowPrivilegeEscalation: false``.
NEEDS_ESCALATION = frozenset({"SYS_ADMIN", "CAP_SYS_ADMIN"})
#: The pod-level seccomp profile the fixes set: the runtime's default.
RUNTIME_DEFAULT = {"type": "RuntimeDefault"}


def no_escalation_edit(sc_path: KeyPath, sc: Mapping[str, Any]) -> Edit | None:
    """``allowPrivilegeEscalation: false`` in the container's securityContext at
    ``sc_path``: safe when it is unset, unsafe when the manifest asked for escalation.

    None where the API server would refuse it: a privileged container, or one adding
    SYS_ADMIN, must keep escalation.
    """
    if sc.get("privileged") is True:
        return None
    added = get(sc, ("capabilities", "add"))
    if isinstance(added, list) and NEEDS_ESCALATION.intersection(map(str, added)):
        return None
    safe = sc.get("allowPrivilegeEscalation") is None
    return Edit("set", (*sc_path, "allowPrivilegeEscalation"), False, safe)


def drop_all_edit(sc_path: KeyPath, sc: Mapping[str, Any]) -> Edit | None:
    """``capabilities.drop: [ALL]`` in the securityContext at ``sc_path`` (ALL appended to
    a drop list there); unsafe: the container may need a default capability. The
    capabilities it adds are kept. None when ``capabilities`` is no mapping."""
    capabilities = sc.get("capabilities")
    if not isinstance(capabilities, (dict, type(None))):
        return None
    drop_path = (*sc_path, "capabilities", "drop")
    if isinstance((capabilities or {}).get("drop"), list):
        return Edit("append", drop_path, "ALL")
    return Edit("set", drop_path, ["ALL"])


def pod_seccomp_edit(spec_path: KeyPath, spec: dict[str, Any]) -> Edit | None:
    """``seccompProfile: {type: RuntimeDefault}`` at pod level (safe: what containerd and
    CRI-O ship), only when neither the pod nor any container names a profile: a profile
    someone named (Unconfined, Localhost) is a choice the fix does not overrule."""
    pod_ctx = spec.get("securityContext")
    if pod_ctx is not None and (
        not isinstance(pod_ctx, dict) or pod_ctx.get("seccompProfile") is not None
    ):
        return None
    for _, sc, _ in security_contexts(spec_path, spec):
        if sc.get("seccompProfile") is not None:
            return None
    path = (*spec_path, "securityContext", "seccompProfile")
    return Edit("set", path, dict(RUNTIME_DEFAULT), safe=True)


def pod_non_root_edit(spec_path: KeyPath, spec: dict[str, Any]) -> Edit | None:
    """``runAsNonRoot: true`` at pod level, as ``pss-run-as-non-root`` declares it there;
    unsafe: the image may run as root, and the kubelet then refuses to start it.

    None when a container sets it false (the pod's value would not reach it), when a
    container it would reach runs, or inherits, ``runAsUser: 0`` (the two contradict each
    other), and when the pod's securityContext is no mapping.
    """
    pod_ctx = spec.get("securityContext")
    if pod_ctx is not None and not isinstance(pod_ctx, dict):
        return None
    walk = security_contexts(spec_path, spec)
    pod_path, pod_sc, _ = next(walk)  # the pod level comes first
    if pod_sc.get("runAsNonRoot") is True:
        return None
    for _, sc, _ in walk:
        non_root = sc.get("runAsNonRoot")
        if non_root is False:
            return None
        user = pod_sc.get("runAsUser") if sc.get("runAsUser") is None else sc["runAsUser"]
        if non_root is None and _root(user):
            return None
    return Edit("set", (*pod_path, "runAsNonRoot"), True)


def _root(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value == 0
