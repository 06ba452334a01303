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

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import bad_seccomp_profile, every_security_context, show
from kubelint.k8s.hardening import Hardening

POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod"
CONTAINER_ANNOTATION = "container.seccomp.security.alpha.kubernetes.io/"


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


def _v1_19(pod: Pod) -> list[Violation]:
    return every_security_context(pod, bad_seccomp_profile)


META, CONTROL, check = define(
    id="pss-seccomp-baseline",
    summary="seccomp profile set to Unconfined",
    remediation="use seccompProfile.type RuntimeDefault (or Localhost), or leave it unset",
    level="baseline",
    revisions=((0, _v1_0), (19, _v1_19)),
    covers_weak=Hardening.SECCOMP_PROFILE,
    history=(
        (0, "seccomp alpha annotations: runtime/default, docker/default or localhost/*"),
        (19, "seccompProfile.type fields: RuntimeDefault, Localhost or unset"),
    ),
)
