"""The API server serves profiling data.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports `--profiling` not set to `false`: at the flag when
it is `true`, at the container's `command:` (or at `extraArgs`) when it is missing (the
default is `true`).

Severity: `warning`.

## Why it matters
The `/debug/pprof` endpoints show the server's internals and let a caller with access make
it spend CPU and memory on profiles. They are for debugging a live problem, not for
production.

## Failing example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.33.0
      command:
        - kube-apiserver
        - --secure-port=6443
```

## Fixed example
```yaml
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.33.0
      command:
        - kube-apiserver
        - --secure-port=6443
        - --profiling=false
```

## References
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
    id="apiserver-profiling",
    summary="API server profiling is on",
    severity="warning",
    remediation="set --profiling=false",
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(cis("1.2.15", "API server: profiling off"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        flag = server.last("profiling")
        if flag is not None:
            if flag.text.strip().lower() != "false":
                yield server.at(obj, flag, "--profiling is true", hint="set --profiling=false")
        elif server.complete:
            yield server.missing(
                "no --profiling=false: profiling is on by default",
                hint=server.how_to_set("profiling", "false"),
            )
