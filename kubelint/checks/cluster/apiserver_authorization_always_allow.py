"""The API server authorizes every request.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports:

- `AlwaysAllow` among the `--authorization-mode` values, at the flag (authorizers are
  asked in order and RBAC never denies, so `AlwaysAllow` anywhere in the list allows
  whatever the others did not allow);
- neither `--authorization-mode` nor `--authorization-config` given, at the container's
  `command:`: the API server's default mode is `AlwaysAllow`. kubeadm sets `Node,RBAC`
  itself, so a `ClusterConfiguration` that does not set the flag is fine.

An `--authorization-config` file is not read.

Severity: `error`: every authenticated user (and, with anonymous authentication, everyone)
has full control of the cluster.

## Why it matters
With `AlwaysAllow` no RBAC rule matters: any service account token, any kubelet
credential and any user can read every Secret and create privileged pods.

## Failing example
```yaml
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
    - name: authorization-mode
      value: Node,RBAC,AlwaysAllow
```

## Fixed example
```yaml
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
apiServer:
  extraArgs:
    - name: authorization-mode
      value: Node,RBAC
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authorization/#authorization-modules
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="apiserver-authorization-always-allow",
    summary="API server authorizes every request (AlwaysAllow)",
    severity="error",
    remediation="set --authorization-mode=Node,RBAC (without AlwaysAllow)",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(cis("1.2.6", "API server: no AlwaysAllow authorization"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        modes = server.items("authorization-mode")
        allowing = [occurrence for mode, occurrence in modes if mode == "AlwaysAllow"]
        if allowing:
            occurrence = allowing[0]
            if occurrence is not None:
                yield server.at(
                    obj,
                    occurrence,
                    "--authorization-mode includes AlwaysAllow: every request is authorized",
                    hint="remove AlwaysAllow and keep Node,RBAC",
                )
            continue
        if not modes and not server.has("authorization-config") and server.complete:
            yield server.missing(
                "no --authorization-mode: the API server defaults to AlwaysAllow",
                hint=server.how_to_set("authorization-mode", "Node,RBAC"),
            )
