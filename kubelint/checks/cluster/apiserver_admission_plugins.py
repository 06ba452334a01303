"""The API server lacks an admission plugin that protects the cluster, or admits everything.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports each of these problems once:

- `NodeRestriction` not among `--enable-admission-plugins` (it is not on by default), or
  listed in `--disable-admission-plugins`: at the flag that lacks or disables it, or at
  the container's `command:` when neither flag is given. kubeadm enables it itself, so a
  `ClusterConfiguration` that does not set `enable-admission-plugins` is fine;
- `PodSecurity` in `--disable-admission-plugins` (it is on by default since 1.23), at the
  flag;
- `AlwaysAdmit` in `--enable-admission-plugins`, at the flag.

Repeated flags add up, as the API server reads them. The deprecated `--admission-control`
counts as `--enable-admission-plugins`.

Severity: `warning`: each plugin is a layer of defence, not the only one.

## Why it matters
Without `NodeRestriction` a kubelet's credentials can modify every node and every pod in
the cluster, so one compromised node becomes the whole cluster. Without `PodSecurity` the
Pod Security labels on namespaces are ignored. `AlwaysAdmit` is a placeholder that accepts
every request.

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
        - --enable-admission-plugins=NamespaceLifecycle
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
        - --enable-admission-plugins=NamespaceLifecycle,NodeRestriction
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/
- https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#noderestriction
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.compliance import cis
from kubelint.model import Finding, K8sObject

if TYPE_CHECKING:
    from kubelint.checks.cluster.flags import ApiServer, Occurrence

META = CheckMeta(
    id="apiserver-admission-plugins",
    summary="API server admission plugins leave the cluster unprotected",
    severity="warning",
    remediation=("enable NodeRestriction, keep PodSecurity enabled and never enable AlwaysAdmit"),
    kinds=KINDS,
    groups=("cluster",),
    judges_absence=True,
    since="0.2.0",
    compliance=(
        cis("1.2.10", "API server: AlwaysAdmit admission plugin off"),
        cis("1.2.14", "API server: NodeRestriction admission plugin on"),
    ),
)


def _first(items: list[tuple[str, Occurrence | None]], name: str) -> Occurrence | None:
    for item, occurrence in items:
        if item == name and occurrence is not None:
            return occurrence
    return None


def _node_restriction(obj: K8sObject, server: ApiServer) -> Iterator[Finding]:
    enabled = server.items("enable-admission-plugins") + server.items("admission-control")
    disabled = server.items("disable-admission-plugins")
    off = _first(disabled, "NodeRestriction")
    if off is not None:
        yield server.at(
            obj,
            off,
            "NodeRestriction is disabled: kubelets can modify any node and pod",
            hint="remove NodeRestriction from --disable-admission-plugins",
        )
        return
    if any(item == "NodeRestriction" for item, _ in enabled):
        return
    given = [o for _, o in enabled if o is not None]
    if given:
        yield server.at(
            obj,
            given[-1],
            "NodeRestriction is not among the enabled admission plugins: kubelets can "
            "modify any node and pod",
            hint="add NodeRestriction to --enable-admission-plugins",
        )
    elif server.complete:
        yield server.missing(
            "no --enable-admission-plugins with NodeRestriction: kubelets can modify any "
            "node and pod",
            hint=server.how_to_set("enable-admission-plugins", "NodeRestriction"),
        )


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        yield from _node_restriction(obj, server)
        pod_security = _first(server.items("disable-admission-plugins"), "PodSecurity")
        if pod_security is not None:
            yield server.at(
                obj,
                pod_security,
                "PodSecurity is disabled: namespaces' Pod Security labels are not enforced",
                hint="remove PodSecurity from --disable-admission-plugins",
            )
        enabled = server.items("enable-admission-plugins") + server.items("admission-control")
        always = _first(enabled, "AlwaysAdmit")
        if always is not None:
            yield server.at(
                obj,
                always,
                "AlwaysAdmit is enabled: it admits every request",
                hint="remove AlwaysAdmit from the enabled admission plugins",
            )
