"""The API server is given a flag its version no longer has.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports, at the flag, each one that the target version
removed. The version is the one the file names (the `kube-apiserver` image tag, or
kubeadm's `kubernetesVersion`), else `--kube-version`. The flags known:

| flag | removed in |
|---|---|
| `--tls-ca-file` | 1.11 |
| `--basic-auth-file` | 1.19 |
| `--kubelet-https` | 1.22 |
| `--insecure-port`, `--insecure-bind-address`, `--port`, `--address` | 1.24 |
| klog's `--logtostderr`, `--alsologtostderr`, `--log-dir`, `--log-file`, `--log-file-max-size`, `--log-backtrace-at`, `--add-dir-header`, `--one-output`, `--skip-headers`, `--skip-log-headers`, `--stderrthreshold` | 1.26 |

The list is not exhaustive: it holds removals that configurations copied from older guides
still carry.

Severity: `error`: an unknown flag stops the API server at start-up, so an upgrade that
keeps it takes the control plane down.

## Why it matters
Guides and hardening scripts written for old versions still tell people to set
`--insecure-port=0` or `--kubelet-https=true`. On a version without the flag the API
server exits with "unknown flag" and the control plane does not come back after the
upgrade.

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
      image: registry.k8s.io/kube-apiserver:v1.30.0
      command:
        - kube-apiserver
        - --insecure-port=0
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
      image: registry.k8s.io/kube-apiserver:v1.30.0
      command:
        - kube-apiserver
        - --secure-port=6443
```

## References
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
- https://github.com/kubernetes/enhancements/tree/master/keps/sig-instrumentation/2845-deprecate-klog-specific-flags-in-k8s-components
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="apiserver-removed-flag",
    summary="API server flag removed in the target Kubernetes version",
    severity="error",
    remediation="remove the flag (see the API server's flag reference for its replacement)",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)

#: klog's flags removed in 1.26, grouped by what replaces them: the API server logs only to
#: standard error from then on (each hint must make sense on its own, beside the message).
_KLOG_STDERR = ("logtostderr", "alsologtostderr")
_KLOG_FILES = ("log-dir", "log-file", "log-file-max-size")
_KLOG_FORMAT = (
    "log-backtrace-at",
    "add-dir-header",
    "one-output",
    "skip-headers",
    "skip-log-headers",
    "stderrthreshold",
)
_KLOG_HINTS = {
    _KLOG_STDERR: "remove the flag: the API server always logs to standard error",
    _KLOG_FILES: (
        "remove the flag: the API server logs only to standard error; to keep a log file, "
        "redirect the API server's standard error to that file or collect the container's logs"
    ),
    _KLOG_FORMAT: (
        "remove the flag: the API server logs everything to standard error, "
        "formatted by --logging-format, with verbosity set by -v"
    ),
}
#: Flag -> (minor version that removed it, what to do instead).
REMOVED: Mapping[str, tuple[int, str]] = {
    "tls-ca-file": (11, "pass the CA with the serving certificate (--tls-cert-file)"),
    "basic-auth-file": (19, "use client certificates, tokens or an OIDC provider"),
    "kubelet-https": (22, "remove the flag: the API server always calls kubelets over HTTPS"),
    "insecure-port": (24, "remove the flag: the insecure port is gone; use --secure-port"),
    "insecure-bind-address": (24, "remove the flag: use --bind-address for the secure port"),
    "port": (24, "remove the flag: use --secure-port"),
    "address": (24, "remove the flag: use --bind-address"),
    **{name: (26, hint) for names, hint in _KLOG_HINTS.items() for name in names},
}


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        version = server.version if server.version is not None else ctx.kube_version
        for occurrence in server.occurrences:
            removed = REMOVED.get(occurrence.name)
            if removed is None or version < removed[0]:
                continue
            yield server.at(
                obj,
                occurrence,
                f"--{occurrence.name} was removed in Kubernetes 1.{removed[0]}: the API "
                f"server 1.{version} will not start with it",
                hint=removed[1],
                flag=True,
            )
