"""The API server keeps no audit log.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports one of:

- no `--audit-policy-file`, at the container's `command:` (or at `extraArgs`): without a
  policy the API server audits nothing;
- a policy but neither `--audit-log-path` nor `--audit-webhook-config-file`, at the
  `--audit-policy-file` flag: events are produced and thrown away.

What the policy holds is judged by the `audit-*` checks when it is in the repository.

Severity: `warning`: missing hardening, and missing evidence after an incident.

## Why it matters
The audit log is the only record of who read which Secret, who created a privileged pod or
who bound themselves to `cluster-admin`. Without it an intrusion cannot be traced or even
noticed.

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
        - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
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
        - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
```

## References
- https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/
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
    id="apiserver-no-audit",
    summary="API server has no audit policy or no audit backend",
    severity="warning",
    remediation=(
        "pass an audit policy with --audit-policy-file and a backend with --audit-log-path "
        "(or --audit-webhook-config-file)"
    ),
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(cis("3.2.1", "the API server has an audit policy"),),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        if not server.complete:
            continue
        policy = server.last("audit-policy-file")
        if policy is None:
            yield server.missing(
                "no --audit-policy-file: the API server audits nothing",
                hint=server.how_to_set("audit-policy-file", "/etc/kubernetes/audit/policy.yaml"),
            )
        elif not server.has("audit-log-path") and not server.has("audit-webhook-config-file"):
            yield server.at(
                obj,
                policy,
                "an audit policy but no --audit-log-path or --audit-webhook-config-file: "
                "audit events are thrown away",
                hint=server.how_to_set("audit-log-path", "/var/log/kubernetes/audit/audit.log"),
                flag=True,
            )
