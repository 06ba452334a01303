"""A manifest that the repository's own ValidatingAdmissionPolicies would deny.

## What it does
Evaluates every `ValidatingAdmissionPolicy` of the linted tree (and of the folders listed
under `policy-paths` in `.kubelint.yaml`) that a `ValidatingAdmissionPolicyBinding` puts
into effect against every manifest, as the API server would on a CREATE of it:

- `matchConstraints` of the policy and `matchResources` of the binding: resource rules
  (groups, versions, resources, names, scope), `excludeResourceRules`,
  `namespaceSelector` against the Namespaces of the tree (a namespace the tree does not
  declare has only its `kubernetes.io/metadata.name` label), `objectSelector`,
  `matchPolicy`;
- `paramKind` and the binding's `paramRef` (by name or selector, in a namespace), with the
  params taken from the tree; `parameterNotFoundAction: Deny` denies when none is found;
- `matchConditions`, `variables` (in order; one that fails only fails the expressions that
  use it) and `validations` (`message`, `messageExpression`);
- `failurePolicy`: an expression that ends in an error denies with `Fail` (the default)
  and admits with `Ignore`; the finding says so;
- the binding's `validationActions`: `Deny` gives an error, `Warn` a warning, `Audit` an
  info.

`request` is a CREATE by an unnamed user, `oldObject` is null. The object is judged as
written: no defaulting or mutating admission runs first. A policy without a binding
does nothing, as in a cluster.

What cannot be answered offline is never a silent pass: an expression that calls the
`authorizer`, or a function kubelint does not provide, is named in a notice and the
policy is not judged on that object.

The finding is reported at the field the failing expression reads first from `object`
(or its nearest parent), else at the object's `kind:` line, and names the policy, the
binding and the policy's message.

## Why it matters
Teams keep their admission policies beside their manifests and learn that a Deployment
breaks one only when the apply fails in the cluster. Run offline, the same rules fail the
commit instead, and a policy author can test a policy against sample manifests without a
cluster: `kubelint --select admission-policy policies/ samples/`.

## Failing example
```yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: replica-limit
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
      - apiGroups: [apps]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [deployments]
  validations:
    - expression: object.spec.replicas <= 5
      message: at most 5 replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: replica-limit
spec:
  policyName: replica-limit
  validationActions: [Deny]
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 8
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
- https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kubelint.checks.admission import CONTEXT_KINDS, may_have_policies
from kubelint.checks.base import CheckMeta, Context, Param
from kubelint.model import Finding, InputProblem, K8sObject, Report

if TYPE_CHECKING:
    from kubelint.checks.admission.evaluate import User

META = CheckMeta(
    id="admission-policy",
    summary="A ValidatingAdmissionPolicy of the repository denies the manifest",
    severity="error",
    remediation="change the manifest so that the policy admits it (its message says how)",
    needs_context=True,  # policies, bindings, params and namespaces elsewhere in the tree
    context_kinds=CONTEXT_KINDS,
    since="0.2.0",
    params=(
        Param(
            "user",
            {"type": "string"},
            "",
            "the username requests are made as (request.userInfo.username; default: none)",
        ),
        Param(
            "groups",
            {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True},
            [],
            "the groups of that user (request.userInfo.groups)",
        ),
    ),
    on_run=lambda objects, ctx, report: _notice_unevaluable(objects, ctx, report),
)


def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
    if not may_have_policies(ctx):
        return  # no policy object in the run: not even the policy index is imported
    from kubelint.checks.admission.policies import admission

    if not admission(ctx).bindings:
        return  # no policy in effect: the CEL engine is not even imported
    from kubelint.checks.admission.evaluate import judge

    for outcome in judge(obj, ctx, _user(params)):
        if outcome.denied:
            yield Finding(
                outcome.path,
                f"denied by {outcome.source}: {outcome.message}",
                severity=outcome.severity,
                contextual=True,
            )


def _user(params: Mapping[str, Any]) -> User:
    user, groups = params.get("user"), params.get("groups")
    return (
        user if isinstance(user, str) else "",
        tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else (),
    )


def _notice_unevaluable(objects: Sequence[K8sObject], ctx: Context, report: Report) -> None:
    """Name, once each, what the run's policies cannot evaluate offline."""
    if not may_have_policies(ctx):
        return
    from kubelint.checks.admission.policies import admission

    run = admission(ctx)
    if not run.bindings:
        return
    from kubelint.checks.admission.evaluate import engine_problem, judge

    problem = engine_problem()
    if problem is not None:
        first = next(iter(run.policies.values()), None) or run.bindings[0]
        report.notices.append(
            InputProblem(
                first.obj.file,
                first.obj.locate(())[0],
                1,
                f"admission policies not evaluated: {problem}",
            )
        )
        return
    seen: set[tuple[str, str]] = set()
    for obj in objects:
        for outcome in judge(obj, ctx):
            key = (outcome.source, outcome.message)
            if outcome.denied or key in seen:
                continue
            seen.add(key)
            line = obj.locate(())[0]
            report.notices.append(
                InputProblem(
                    obj.file,
                    line,
                    1,
                    f"{outcome.source}: {outcome.message}",
                )
            )
