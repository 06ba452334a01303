"""The pod mounts a directory of the node (hostPath volume).

## What it does
Reports every volume with a `hostPath` source. Pod Security Standards, baseline level;
at the restricted level `pss-restricted-volumes` takes its place.

## Why it matters
A hostPath volume exposes the node's file system to the container: the container runtime
socket, kubelet credentials, other pods' data, or `/etc` for a persistent foothold. It is
one of the most common steps in a container escape.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: logs
spec:
  containers:
    - name: shipper
      image: example/shipper:1
      volumeMounts:
        - {name: varlog, mountPath: /var/log}
  volumes:
    - name: varlog
      hostPath:
        path: /var/log
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: logs
spec:
  containers:
    - name: shipper
      image: example/shipper:1
      volumeMounts:
        - {name: buffer, mountPath: /buffer}
  volumes:
    - name: buffer
      emptyDir: {}
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline
"""

from __future__ import annotations

from kubelint.checks.pod_security.engine import Pod, Violation, define
from kubelint.compliance import cis


def _v1_0(pod: Pod) -> list[Violation]:
    volumes = pod.spec.get("volumes")
    if not isinstance(volumes, list):
        return []
    return [
        Violation(
            (*pod.spec_path, "volumes", index, "hostPath"),
            f"volume '{volume.get('name', index)}' mounts a path of the node (hostPath)",
        )
        for index, volume in enumerate(volumes)
        if isinstance(volume, dict) and volume.get("hostPath") is not None
    ]


META, CONTROL, check = define(
    id="pss-host-path-volumes",
    summary="Pod mounts a hostPath volume",
    remediation="use an emptyDir, configMap, secret or persistentVolumeClaim volume instead of hostPath",
    level="baseline",
    revisions=((0, _v1_0),),
    history=((0, "hostPath volumes forbidden"),),
    compliance=(cis("5.2.12", "do not admit hostPath volumes"),),
)
