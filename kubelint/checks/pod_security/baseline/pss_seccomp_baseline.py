"""The pod or a container turns seccomp off.

## What it does
Reports a seccomp profile other than the runtime default or a profile on the node. Before
policy 1.19 the alpha annotations are read (`seccomp.security.alpha.kubernetes.io/pod` and
`container.seccomp.security.alpha.kubernetes.io/<container>`: `runtime/default`,
`docker/default` and `localhost/*` are allowed); from 1.19 the `seccompProfile.type` field
of the pod's and every container's `securityContext` (`RuntimeDefault` and `Localhost` are
allowed, an unset profile too). Pod Security Standards, baseline level; at the restricted
level from 1.19 `pss-seccomp-restricted` takes its place.

## Why it matters
seccomp filters the system calls a container may make. `Unconfined` exposes the whole
kernel interface, including the rarely used calls that most kernel exploits go through.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: legacy
spec:
  securityContext:
    seccompProfile:
      type: Unconfined
  containers:
    - name: app
      image: example/app:1
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: legacy
spec:
  securityContext:
    seccompProfile:
      type: Localhost
      localhostProfile: profiles/app.json
  containers:
    - name: app
      image: example/app:1
```

## References
- https://kubernetes.io/docs/tutorials/security/seccomp/
"""

from __future__ import annotations

from typing import Any

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    container_sc,
    control_check,
    show,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label
from kubelint.model import KeyPath

POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"
VALID_TYPES = ("RuntimeDefault", "Localhost")


def _valid_annotation(value: Any) -> bool:
    text = str(value)
    return text in ("runtime/default", "docker/default") or text.startswith("localhost/")


def _v1_0(pod: Pod) -> list[Violation]:
    annotations = pod.annotations
    keys = [POD_ANNOTATION] + [
        CONTAINER_ANNOTATION + str(container.get("name", "")) for _, container in pod.containers()
    ]
    return [
        Violation(
            (*pod.metadata_path, "annotations", key),
            f"annotation {key} sets seccomp profile {show(annotations[key])}",
        )
        for key in dict.fromkeys(keys)
        if key in annotations and not _valid_annotation(annotations[key])
    ]


def bad_field(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    """A seccompProfile set to anything but RuntimeDefault or Localhost."""
    profile = sc.get("seccompProfile")
    if profile is None:
        return None
    kind = profile.get("type") if isinstance(profile, dict) else None
    if kind in VALID_TYPES:
        return None
    return Violation(
        (*sc_path, "seccompProfile", "type"), f"{who} sets seccomp profile type {show(kind)}"
    )


def _v1_19(pod: Pod) -> list[Violation]:
    found = [bad_field((*pod.spec_path, "securityContext"), pod.security_context(), "pod")]
    for path, container in pod.containers():
        found.append(
            bad_field(
                (*path, "securityContext"),
                container_sc(container),
                container_label(container, path),
            )
        )
    return [v for v in found if v is not None]


META = CheckMeta(
    id="pss-seccomp-baseline",
    summary="seccomp profile set to Unconfined",
    severity="error",
    remediation="use seccompProfile.type RuntimeDefault (or Localhost), or leave it unset",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control(
        "baseline",
        ((0, _v1_0), (19, _v1_19)),
        covers_weak="seccompProfile.type: RuntimeDefault",
        history=(
            (0, "seccomp alpha annotations: runtime/default, docker/default or localhost/*"),
            (19, "seccompProfile.type fields: RuntimeDefault, Localhost or unset"),
        ),
    ),
)
check = control_check(META)
