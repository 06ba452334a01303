"""A field has the wrong type, a required field is missing, or a value is not allowed.

## What it does
Validates every object against the schema of its kind at the target Kubernetes version
(`--kube-version`, default the newest bundled, 1.37): the built-in kinds against schemas
bundled with kubelint (1.25 to 1.37, derived from the official OpenAPI definitions),
custom resources against the `openAPIV3Schema` of a CustomResourceDefinition found in the
linted repository (or in the folders listed under `crd-paths`). It reports wrong types,
missing required fields and values outside an enumeration, at the line of the offending
key. Keys the schema does not know are reported by `unknown-field`; objects whose kind has
no known schema are counted as "not validated" in the summary, never passed as valid.
Component configuration files (a `KubeletConfiguration`, kubeadm's configurations, an
`EncryptionConfiguration`, an audit `Policy`, kind's `Cluster`, ...) and kubeconfig files
(`apiVersion: v1`, `kind: Config`) are read from disk by a component or a client, never
sent to the API server: they are neither validated nor counted (the `cluster` family lints
the component configurations, `plaintext-secret` the credentials of a kubeconfig).

The CEL validation rules of those CustomResourceDefinitions (`x-kubernetes-validations`,
at any level of the schema) are evaluated too, as the API server does on a create: `self`
is the value at the rule's level, `message`, `messageExpression`, `fieldPath` and `reason`
are honoured, and the finding is at the field's line. A rule that does not compile is
reported on the CRD; a transition rule (`oldSelf`) cannot be judged on a create and is named
in a notice. See [schema validation](../../schemas.md).

Everything runs offline: a `$ref` or `definitions` in a CustomResourceDefinition's schema
is reported at its line (the API server rejects such a CRD) and is never followed, not
to a URL, a host name or a local file; the custom resources of that schema are counted as
not validated.

## Why it matters
The API server rejects such a manifest, usually at deploy time and far from the change
that broke it. Worse, a value of the wrong type in a security setting (`privileged: "false"`
written as a string, `runAsUser: "1000"`) is an error the reviewer does not see.

## Failing example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
```

## Fixed example
```yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
```

## References
- https://kubernetes.io/docs/reference/kubernetes-api/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from kubelint.checks.api.coverage import report_unvalidated
from kubelint.checks.base import CheckMeta, Context
from kubelint.model import Finding, K8sObject, Report
from kubelint.schema.crds import crd_sources, is_crd
from kubelint.schema.validate import problems


def _on_run(objects: Sequence[K8sObject], ctx: Context, report: Report) -> None:
    """The api family's count of unvalidated objects, and what CRD rules leave unjudged."""
    report_unvalidated(objects, ctx, report)
    try:
        if not crd_sources(ctx):
            return  # no CRD in the run: the CRD rule engine is not even imported
        from kubelint.schema.crd_rules import rule_notices  # here: most runs hold no CRD

        report.notices.extend(rule_notices(objects, ctx))
    except Exception as exc:  # fail closed, by name, like a crashing check
        report.internal_errors.append(f"CRD validation rules failed: {type(exc).__name__}")


META = CheckMeta(
    id="schema-validation",
    summary="Object does not match the schema of its kind",
    severity="error",
    remediation="fix the field's type or value, or add the missing field (see the API reference)",
    groups=("schema",),
    needs_context=True,  # CRDs elsewhere in the repository
    context_kinds=frozenset({"CustomResourceDefinition"}),
    on_run=_on_run,
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    # A plain y/n where a string belongs is reported once, by yaml-ambiguous-boolean.
    ambiguous = {obj.path_at(offset) for offset in obj.ambiguous_bool_offsets}
    for problem in problems(obj, ctx) or ():
        # A kustomize patch holds only what it changes: its missing fields are no problem.
        if problem.unknown_field or (obj.patch and problem.missing_field):
            continue
        if problem.path in ambiguous:
            continue
        yield Finding(problem.path, problem.message)
    if (obj.api_version, obj.kind) not in crd_sources(ctx) and not is_crd(obj):
        return  # neither a CRD nor a resource of one: the CRD rule engine stays unimported
    from kubelint.schema.crd_rules import definition_problems, resource_problems

    if is_crd(obj):
        for path, message in definition_problems(obj, ctx):
            yield Finding(path, message)
    for verdict in resource_problems(obj, ctx):
        yield Finding(verdict.path, verdict.message, severity=verdict.severity)
