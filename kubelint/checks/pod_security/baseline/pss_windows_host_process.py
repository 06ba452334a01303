"""The pod or a container runs as a Windows HostProcess.

## What it does
Reports `securityContext.windowsOptions.hostProcess: true` on the pod or any container.
Pod Security Standards, baseline level.

## Why it matters
A Windows HostProcess container runs directly on the node, as a node administrator
account, with access to the host's file system and network: it is the Windows equivalent
of a privileged container.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: installer
spec:
  securityContext:
    windowsOptions:
      hostProcess: true
      runAsUserName: 'NT AUTHORITY\\SYSTEM'
  hostNetwork: true
  containers:
    - name: installer
      image: example/installer:1
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: installer
spec:
  securityContext:
    windowsOptions:
      runAsUserName: ContainerUser
  containers:
    - name: installer
      image: example/installer:1
```

## References
- https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/
"""

from __future__ import annotations

from kubelint.checks.base import CheckMeta
from kubelint.checks.pod_security.engine import (
    BASELINE_GROUPS,
    Control,
    Pod,
    Violation,
    control_check,
)
from kubelint.k8s.workloads import WORKLOAD_KINDS, container_label, get

_FIELD = ("windowsOptions", "hostProcess")


def _v1_0(pod: Pod) -> list[Violation]:
    found = []
    if get(pod.security_context(), _FIELD) is True:
        found.append(
            Violation(
                (*pod.spec_path, "securityContext", *_FIELD), "pod runs as a Windows HostProcess"
            )
        )
    for path, container in pod.containers():
        if get(container, ("securityContext", *_FIELD)) is True:
            found.append(
                Violation(
                    (*path, "securityContext", *_FIELD),
                    f"{container_label(container, path)} runs as a Windows HostProcess",
                )
            )
    return found


META = CheckMeta(
    id="pss-windows-host-process",
    summary="Windows HostProcess container",
    severity="error",
    remediation="remove windowsOptions.hostProcess (or set it to false)",
    kinds=WORKLOAD_KINDS,
    groups=BASELINE_GROUPS,
    pss=Control("baseline", ((0, _v1_0),), history=((0, "hostProcess must be unset or false"),)),
)
check = control_check(META)
