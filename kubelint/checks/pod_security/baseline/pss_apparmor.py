"""The pod or a container runs without AppArmor confinement.

## What it does
Reports an AppArmor profile other than the runtime default or a profile loaded on the
node, in both places Kubernetes reads it:

- the `appArmorProfile.type` field of the pod's or a container's `securityContext`:
  allowed are `RuntimeDefault` and `Localhost` (so `Unconfined` is reported);
- the `container.apparmor.security.beta.kubernetes.io/<container>` annotations: allowed
  are `runtime/default`, `localhost/<profile>` and an empty value.

Pod Security Standards, baseline level; both channels are checked at every policy version,
as the API server does.

## Why it matters
AppArmor confines what a process may do on the node's kernel even after it escapes its
container's file system view. `Unconfined` turns that last line of defence off.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  containers:
    - name: buildkit
      image: moby/buildkit:v0.16.0
      securityContext:
        appArmorProfile:
          type: Unconfined
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: builder
spec:
  securityContext:
    appArmorProfile:
      type: RuntimeDefault
  containers:
    - name: buildkit
      image: moby/buildkit:v0.16.0
```

## References
- https://kubernetes.io/docs/tutorials/security/apparmor/
"""

from __future__ import annotations

from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import every_security_context, show
from kubelint.k8s.workloads import get
from kubelint.model import KeyPath

ANNOTATION_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
_ALLOWED_TYPES = ("RuntimeDefault", "Localhost")


def _allowed_annotation(value: Any) -> bool:
    text = "" if value is None else str(value)
    return text in ("", "runtime/default") or text.startswith("localhost/")


def _field(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    profile = get(sc, ("appArmorProfile",))
    if not isinstance(profile, dict) or profile.get("type") in _ALLOWED_TYPES:
        return None
    return Violation(
        (*sc_path, "appArmorProfile", "type"),
        f"{who} sets AppArmor profile type {show(profile.get('type'))}",
    )


def _v1_0(pod: Pod) -> list[Violation]:
    found = [
        Violation(
            (*pod.metadata_path, "annotations", key),
            f"annotation {key} sets AppArmor profile {show(value)}",
        )
        for key, value in sorted(pod.annotations.items())
        if str(key).startswith(ANNOTATION_PREFIX) and not _allowed_annotation(value)
    ]
    return found + every_security_context(pod, _field)


META, CONTROL, check = define(
    id="pss-apparmor",
    summary="AppArmor profile other than RuntimeDefault or Localhost",
    remediation="remove the AppArmor override, or use type RuntimeDefault or Localhost",
    level="baseline",
    revisions=((0, _v1_0),),
    history=(
        (
            0,
            "annotations: runtime/default, localhost/* or empty; since Kubernetes 1.30 also "
            "the appArmorProfile fields (applied at every policy version)",
        ),
    ),
)
