"""The API server accepts old TLS versions or weak cipher suites.

## What it does
Reads the API server's flags (static pod manifest or kubeadm `ClusterConfiguration`, see
`apiserver-anonymous-auth`) and reports, at the flag:

- `--tls-min-version` of `VersionTLS10` or `VersionTLS11`;
- `--tls-cipher-suites` naming a suite that Go (the API server's TLS library) lists as
  insecure: RC4, 3DES, and CBC mode with SHA-256. One finding for the flag, naming them.

A missing flag is not reported: the API server's defaults (TLS 1.2 and Go's secure suites)
are sound.

Severity: `warning`.

## Why it matters
TLS 1.0 and 1.1 and these suites have practical attacks (BEAST, Sweet32, Lucky13, RC4
biases). Every client of the API server, kubelets and controllers included, would
negotiate down to them when an attacker on the path asks.

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
        - --tls-min-version=VersionTLS10
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
        - --tls-min-version=VersionTLS12
```

## References
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
- https://pkg.go.dev/crypto/tls#InsecureCipherSuites
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="apiserver-weak-tls",
    summary="API server allows TLS below 1.2 or weak cipher suites",
    severity="warning",
    remediation="set --tls-min-version=VersionTLS12 (or 13) and list only AEAD cipher suites",
    kinds=KINDS,
    groups=("cluster",),
    since="0.2.0",
)

_WEAK_VERSIONS = frozenset({"VersionTLS10", "VersionTLS11"})


def weak_suite(name: str) -> bool:
    """Whether a cipher suite is one Go's crypto/tls lists as insecure."""
    upper = name.upper()
    return "_RC4_" in upper or "_3DES_" in upper or upper.endswith("_CBC_SHA256")


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        version = server.last("tls-min-version")
        if version is not None and version.text.strip() in _WEAK_VERSIONS:
            yield server.at(
                obj,
                version,
                f"--tls-min-version is {version.text.strip()}: clients may negotiate TLS below 1.2",
                hint="set --tls-min-version=VersionTLS12",
            )
        weak = [(suite, o) for suite, o in server.items("tls-cipher-suites") if weak_suite(suite)]
        where = next((o for _, o in weak if o is not None), None)
        if where is not None:
            names = ", ".join(dict.fromkeys(suite for suite, _ in weak))
            yield server.at(
                obj,
                where,
                f"--tls-cipher-suites allows weak suites: {names}",
                hint="keep only ECDHE suites with AES-GCM or ChaCha20-Poly1305",
            )
