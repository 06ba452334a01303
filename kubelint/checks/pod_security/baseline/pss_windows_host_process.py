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

from typing import Any

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.checks.pod_security.rules import every_security_context
from kubelint.compliance import cis
from kubelint.k8s.workloads import get
from kubelint.model import KeyPath

_FIELD = ("windowsOptions", "hostProcess")


def _host_process(sc_path: KeyPath, sc: dict[str, Any], who: str) -> Violation | None:
    if get(sc, _FIELD) is not True:
        return None
    return Violation((*sc_path, *_FIELD), f"{who} runs as a Windows HostProcess")


def _v1_0(pod: Pod) -> list[Violation]:
    return every_security_context(pod, _host_process)


META, CONTROL, check = define(
    id="pss-windows-host-process",
    summary="Windows HostProcess container",
    remediation="remove windowsOptions.hostProcess (or set it to false)",
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "hostProcess must be unset or false"),),
    compliance=(cis("5.2.11", "do not admit Windows HostProcess containers"),),
)
