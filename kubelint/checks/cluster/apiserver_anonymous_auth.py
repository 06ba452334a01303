"""The API server accepts requests without credentials.

## What it does
Reads the API server's flags from a static pod manifest (a Pod whose container runs
`kube-apiserver`) or from a kubeadm `ClusterConfiguration` (`apiServer.extraArgs`) and
reports anonymous authentication left on:

- `--anonymous-auth=true`, at the flag;
- no `--anonymous-auth` at all (the API server's default is `true`), at the container's
  `command:` (or at `extraArgs`), unless an `--authentication-config` file turns it off.

When `--authentication-config` is given and the repository holds that
`AuthenticationConfiguration` (`apiserver.config.k8s.io`; matched by file name, or the only
one), its `anonymous` section decides: `enabled: false`, or anonymous requests limited by
`conditions` to the health paths `/livez`, `/readyz` and `/healthz`, are fine; anonymous
requests on any other path are reported at the `--authentication-config` flag. A config
without an `anonymous` section leaves the `--anonymous-auth` flag (and its default) in
charge. When the file is not in the repository kubelint cannot read it and says nothing.

Severity: `error`: an API server that anyone on the network can call without credentials
is the first door an attacker tries.

## Why it matters
Every request without a client certificate or token is served as `system:anonymous` in
group `system:unauthenticated`. One careless RoleBinding to either subject (or to
`system:authenticated` on older clusters) then opens the API to the whole network, and
even with tight RBAC the server answers discovery and version requests to strangers.
kubeadm clusters need anonymous access only for health probes: limit it to those paths.

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
        - --anonymous-auth=true
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
        - --anonymous-auth=false
```

## References
- https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests
- https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from kubelint.checks.base import CheckMeta, Context
from kubelint.checks.cluster import API_SERVER_KINDS as KINDS
from kubelint.checks.cluster import api_servers
from kubelint.compliance import cis, nsa
from kubelint.k8s.workloads import api_group
from kubelint.model import Finding, K8sObject

META = CheckMeta(
    id="apiserver-anonymous-auth",
    summary="API server accepts anonymous requests",
    severity="error",
    remediation=(
        "set --anonymous-auth=false, or limit anonymous requests to /livez, /readyz and "
        "/healthz in an AuthenticationConfiguration (--authentication-config)"
    ),
    kinds=KINDS,
    groups=("cluster",),
    needs_context=True,  # the AuthenticationConfiguration may be another file
    context_kinds=frozenset({"AuthenticationConfiguration"}),
    judges_absence=True,
    since="0.2.0",
    compliance=(
        cis("1.2.1", "API server: turn anonymous requests off"),
        nsa("Authentication", "turn anonymous requests to the API server off"),
    ),
)

_HEALTH_PATHS = frozenset({"/livez", "/readyz", "/healthz"})
_CONFIG_GROUP = "apiserver.config.k8s.io"


def _config(ctx: Context, flag_value: str) -> K8sObject | None:
    """The AuthenticationConfiguration the flag names: same file name, else the only one."""
    configs = [
        o
        for o in ctx.of_kind("AuthenticationConfiguration")
        if api_group(o.api_version) == _CONFIG_GROUP
    ]
    wanted = flag_value.rpartition("/")[2]
    named = [o for o in configs if o.source.display.replace("\\", "/").rpartition("/")[2] == wanted]
    if named:
        return named[0]
    return configs[0] if len(configs) == 1 else None


def _open_paths(anonymous: Mapping[str, Any]) -> list[str] | None:
    """Paths other than health checks that anonymous requests may reach ([] for none);
    None means every path."""
    if anonymous.get("enabled") is not True:
        return []
    conditions = anonymous.get("conditions")
    if not isinstance(conditions, list) or not conditions:
        return None
    paths = [c.get("path") for c in conditions if isinstance(c, dict)]
    return sorted({str(p) for p in paths if p not in _HEALTH_PATHS})


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    for server in api_servers(obj, ctx):
        flag = server.last("anonymous-auth")
        if flag is not None:
            if flag.text.strip().lower() != "false":
                yield server.at(
                    obj,
                    flag,
                    "--anonymous-auth is true: requests without credentials are served as "
                    "system:anonymous",
                    hint="set it to false, or limit anonymous requests to health paths with "
                    "--authentication-config",
                )
            continue
        auth = server.last("authentication-config")
        if auth is not None:
            config = _config(ctx, auth.text)
            if config is None:
                continue  # the file is elsewhere: kubelint cannot judge it
            anonymous = config.data.get("anonymous")
            if isinstance(anonymous, dict):
                opened = _open_paths(anonymous)
                if opened is None or opened:
                    where = "every path" if opened is None else "paths " + ", ".join(opened[:5])
                    yield server.at(
                        obj,
                        auth,
                        f"the AuthenticationConfiguration in {config.file} lets anonymous "
                        f"requests reach {where}",
                        hint="set anonymous.enabled: false, or list only /livez, /readyz "
                        "and /healthz under anonymous.conditions",
                        flag=True,
                    )
                continue
        if server.complete:
            yield server.missing(
                "no --anonymous-auth=false: anonymous requests are on by default",
                hint=server.how_to_set("anonymous-auth", "false"),
            )
