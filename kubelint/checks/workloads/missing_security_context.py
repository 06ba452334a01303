"""A container runs without a hardened security context.

## What it does
For every container (regular, init and ephemeral) it works out the settings that take
effect, the pod's `securityContext` plus the container's own (the container's win), and
reports the container once, listing every hardening setting that is left unset or weak:

- a non-root user: `runAsNonRoot: true`, or a `runAsUser` other than 0 (pod or container
  level; a container's `runAsUser: 0` overrides the pod's user);
- `allowPrivilegeEscalation: false`;
- `capabilities.drop` containing `ALL`, in capitals: `drop: [all]` drops nothing, and the
  API server's Pod Security check does not accept it either;
- `readOnlyRootFilesystem: true`;
- a `seccompProfile` of type `RuntimeDefault` or `Localhost` (pod or container level).

The finding sits at the first setting in that list that is wrong: at its value when it is
set to a weak one, else at the container's `securityContext`, else at the container.

On Windows pods (`spec.os.name: windows`) only the non-root user applies; the others are
Linux kernel features.

When a Pod Security control that covers one of these settings also judges the pod (for
example `pss-run-as-non-root` under `--select pss-restricted`, or in a namespace that
enforces `restricted`), that setting is left to the control, so one problem gives one
finding. The restricted control asks for `runAsNonRoot: true` even when `runAsUser` is
set, as the API server does.

## Why it matters
Without these settings a container runs as root, can gain more privileges through setuid
binaries, keeps the default Linux capabilities, can rewrite its own image at run time and
can call every system call. Each one alone is a small gap; together they make a container
escape or a lateral move much easier.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile:
      type: RuntimeDefault
  containers:
    - name: web
      image: nginxinc/nginx-unprivileged:1.27
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities:
          drop: ["ALL"]
```

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.hardening_fixes import (
    drop_all_edit,
    no_escalation_edit,
    pod_non_root_edit,
    pod_seccomp_edit,
)
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.workloads import (
    WORKLOAD_KINDS,
    get,
    pod_spec,
    security_context_owner,
    security_contexts,
)
from kubelint.model import Edit, Finding, Fix, K8sObject, KeyPath

META = CheckMeta(
    id="missing-security-context",
    judges_absence=True,
    summary="Container runs without a hardened securityContext",
    severity="warning",
    remediation=(
        "set runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], "
        "readOnlyRootFilesystem: true and seccompProfile.type: RuntimeDefault"
    ),
    kinds=WORKLOAD_KINDS,
    groups=("core", "hardening"),
    judges_control_plane=False,
)

_HARDENED_SECCOMP = ("RuntimeDefault", "Localhost")


def _user(sc: Mapping[str, Any]) -> int | None:
    value = sc.get("runAsUser")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _missing(
    pod: Mapping[str, Any],
    sc: Mapping[str, Any],
    sc_path: KeyPath,
    pod_path: KeyPath,
    windows: bool,
) -> list[tuple[Hardening, KeyPath, bool]]:
    """Each weak setting of one container, with the key path that is wrong or missing.

    The effective value counts: the container's setting, else the pod's. A path points at an
    explicit bad value where there is one, else at where the container would set it.
    """
    #: (setting, key path, whether it is set to a weak value rather than left unset)
    missing: list[tuple[Hardening, KeyPath, bool]] = []

    def where(key: str) -> KeyPath:
        if sc.get(key) is not None:
            return (*sc_path, key)
        if pod.get(key) is not None:
            return (*pod_path, key)
        return (*sc_path, key)

    user = _user(sc)
    if user is None:
        user = _user(pod)
    non_root = sc.get("runAsNonRoot", pod.get("runAsNonRoot"))
    # A fixed non-zero user is as good as runAsNonRoot for hardening (the restricted
    # pss-run-as-non-root control still asks for runAsNonRoot: true when selected).
    if not (user is not None and user > 0) and not (non_root is True and user is None):
        path = where("runAsUser" if user == 0 else "runAsNonRoot")
        missing.append((Hardening.NON_ROOT, path, True))
    if windows:
        return missing
    if sc.get("allowPrivilegeEscalation") is not False:
        path = (*sc_path, "allowPrivilegeEscalation")
        missing.append((Hardening.NO_PRIVILEGE_ESCALATION, path, True))
    drop = get(sc, ("capabilities", "drop"))
    # Case-sensitive, as the API server's Pod Security check: "all" does not drop ALL.
    if not isinstance(drop, list) or "ALL" not in drop:
        path = (*sc_path, "capabilities", "drop")
        missing.append((Hardening.DROP_ALL_CAPABILITIES, path, True))
    if sc.get("readOnlyRootFilesystem") is not True:
        path = (*sc_path, "readOnlyRootFilesystem")
        missing.append((Hardening.READ_ONLY_ROOT_FILESYSTEM, path, True))
    seccomp = get(sc, ("seccompProfile", "type"))
    if seccomp is None:
        seccomp = get(pod, ("seccompProfile", "type"))
    if seccomp not in _HARDENED_SECCOMP:
        path = (*where("seccompProfile"), "type")
        missing.append((Hardening.SECCOMP_PROFILE, path, seccomp is not None))
    return missing


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    found = pod_spec(obj)
    if found is None:
        return
    spec_path, spec = found
    windows = get(spec, ("os", "name")) == "windows"
    covered: Mapping[Hardening, bool] | None = None
    walk = security_contexts(spec_path, spec)
    pod_path, pod_ctx, _ = next(walk)  # the pod level comes first
    for sc_path, container_ctx, container in walk:
        missing = _missing(pod_ctx, container_ctx, sc_path, pod_path, windows)
        if missing:
            # One problem, one finding: a Pod Security control that judges this object
            # reports its own setting.
            if covered is None:
                covered = ctx.covered(obj)
            # A control that covers a setting only when it is weak (seccomp Unconfined at
            # the baseline) leaves an unset one to this check.
            missing = [m for m in missing if m[0] not in covered or not (covered[m[0]] or m[2])]
        if missing:
            yield Finding(
                missing[0][1],
                f"{security_context_owner(sc_path, container)} is missing "
                f"{', '.join(setting.value for setting, _, _ in missing)}",
                hint="set them in the container's securityContext (runAsNonRoot and "
                "seccompProfile may also go in the pod's securityContext)",
                fix=_fix({m[0] for m in missing}, sc_path, container, spec_path, spec),
            )


def _fix(
    missing: set[Hardening],
    sc_path: KeyPath,
    container: Mapping[str, Any] | None,
    spec_path: KeyPath,
    spec: dict[str, Any],
) -> Fix | None:
    """The edits for the settings this check knows how to fix, each safe or not; the fix
    is safe when all of them are.

    The edits are those the Pod Security controls declare for the same settings (see
    :mod:`kubelint.k8s.hardening`): none where the API server would refuse it or where it
    would guess (``runAsNonRoot`` against a ``runAsUser: 0``). A securityContext that is
    no mapping is left alone.
    """
    sc = (container or {}).get("securityContext")
    if sc is not None and not isinstance(sc, dict):
        return None
    sc = sc or {}
    found: list[Edit | None] = []
    if Hardening.NON_ROOT in missing:
        found.append(pod_non_root_edit(spec_path, spec))
    if Hardening.NO_PRIVILEGE_ESCALATION in missing:
        found.append(no_escalation_edit(sc_path, sc))
    if Hardening.DROP_ALL_CAPABILITIES in missing:
        found.append(drop_all_edit(sc_path, sc))
    if Hardening.READ_ONLY_ROOT_FILESYSTEM in missing:
        # Unsafe: the container may write to its image (a cache, a pid file).
        found.append(Edit("set", (*sc_path, "readOnlyRootFilesystem"), True))
    if Hardening.SECCOMP_PROFILE in missing:
        found.append(pod_seccomp_edit(spec_path, spec))
    edits = tuple(e for e in found if e is not None)
    if not edits:
        return None
    return Fix("harden the securityContext", edits, all(e.safe for e in edits))
