"""The pod uses a volume type outside the restricted set.

## What it does
Reports every volume whose source is not one of `configMap`, `csi`, `downwardAPI`,
`emptyDir`, `ephemeral`, `image`, `persistentVolumeClaim`, `projected` or `secret`. A
volume with no source counts as `emptyDir`, as the API server defaults it. Pod Security
Standards, restricted level, every policy version; it replaces `pss-host-path-volumes`.

## Why it matters
Other volume types (hostPath, nfs, iscsi, rbd, cephfs, flexVolume, gitRepo, ...) mount
storage directly from the node or the network with the node's credentials, outside the
control of PersistentVolumes and their access rules.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: reports
spec:
  containers:
    - name: app
      image: example/reports:1
  volumes:
    - name: share
      nfs:
        server: nfs.example.internal
        path: /exports/reports
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: reports
spec:
  containers:
    - name: app
      image: example/reports:1
  volumes:
    - name: share
      persistentVolumeClaim:
        claimName: reports
```

## References
- https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
"""

from __future__ import annotations

from kubelint.checks.pod_security.engine import Pod, Violation, define

ALLOWED = frozenset(
    {
        "configMap",
        "csi",
        "downwardAPI",
        "emptyDir",
        "ephemeral",
        "image",
        "persistentVolumeClaim",
        "projected",
        "secret",
    }
)
#: Every volume source of core/v1 that the restricted level forbids.
FORBIDDEN = frozenset(
    {
        "hostPath",
        "gcePersistentDisk",
        "awsElasticBlockStore",
        "gitRepo",
        "nfs",
        "iscsi",
        "glusterfs",
        "rbd",
        "flexVolume",
        "cinder",
        "cephfs",
        "flocker",
        "fc",
        "azureFile",
        "vsphereVolume",
        "quobyte",
        "azureDisk",
        "photonPersistentDisk",
        "portworxVolume",
        "scaleIO",
        "storageos",
    }
)


def _v1_0(pod: Pod) -> list[Violation]:
    volumes = pod.spec.get("volumes")
    if not isinstance(volumes, list):
        return []
    found = []
    for index, volume in enumerate(volumes):
        if not isinstance(volume, dict):
            continue
        for source in sorted(FORBIDDEN):
            if volume.get(source) is not None:
                found.append(
                    Violation(
                        (*pod.spec_path, "volumes", index, source),
                        f"volume '{volume.get('name', index)}' uses the restricted volume type {source}",
                    )
                )
    return found


META, CONTROL, check = define(
    id="pss-restricted-volumes",
    summary="Volume type outside the restricted set",
    remediation="use configMap, secret, projected, downwardAPI, emptyDir, ephemeral, csi, image "
    "or persistentVolumeClaim volumes",
    level="restricted",
    revisions=((0, _v1_0),),
    overrides="pss-host-path-volumes",
    history=((0, "nine volume types allowed (image volumes allowed at every policy version)"),),
)
