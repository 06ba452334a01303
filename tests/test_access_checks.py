"""The access checks together: one finding per problem, severities by scope, odd shapes."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lint_text

RBAC = ["rbac", "service-account-token-automount"]

BROAD = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: broad
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
  - apiGroups: [""]
    resources: [secrets, pods/exec]
    verbs: [get]
"""


def test_one_rule_gives_one_finding_per_distinct_problem(tmp_path: Path) -> None:
    report = lint_text(tmp_path, BROAD, select=RBAC)
    assert sorted((r.check, r.location.line) for r in report.results) == [
        ("rbac-privilege-escalation", 10),  # pods/exec of the second rule
        ("rbac-secrets-access", 10),  # secrets of the second rule
        ("rbac-wildcard", 6),  # the '*' rule, once, at its first '*'
    ]
    (wildcard,) = [r for r in report.results if r.check == "rbac-wildcard"]
    assert "cluster-admin in all but name" in wildcard.message


def test_role_bound_only_by_role_bindings_gives_warnings(tmp_path: Path) -> None:
    binding = """---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: broad}
subjects: [{kind: Group, name: shop-admins}]
"""
    report = lint_text(tmp_path, BROAD + binding, select=RBAC)
    assert {(r.check, r.severity) for r in report.results} == {
        ("rbac-wildcard", "warning"),
        ("rbac-secrets-access", "warning"),
        ("rbac-privilege-escalation", "warning"),
        ("rbac-cluster-admin-binding", "warning"),
    }
    assert all("in namespace 'shop'" in r.message for r in report.results)


def test_aggregated_rules_are_reported_where_written_and_bindings_on_the_aggregate(
    tmp_path: Path,
) -> None:
    manifest = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: aggregate}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {to-aggregate: "true"}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: member, labels: {to-aggregate: "true"}}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: aggregate}
subjects: [{kind: User, name: alice}]
"""
    (result,) = lint_text(tmp_path, manifest, select=RBAC).results
    assert (result.check, result.location.line, result.severity) == (
        "rbac-secrets-access",
        12,
        "warning",  # the aggregate that collects it is bound in one namespace only
    )
    assert result.obj["name"] == "member"


def test_default_service_account_is_reported_only_when_strict(tmp_path: Path) -> None:
    pod = """apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  containers: [{name: a, image: example/a:1}]
"""
    assert lint_text(tmp_path, pod, select=RBAC).results == []
    strict = {"service-account-token-automount": {"strict": True}}
    (result,) = lint_text(tmp_path, pod, select=RBAC, params=strict).results
    assert (result.check, result.location.line) == ("service-account-token-automount", 4)
    assert "ServiceAccount 'shop/default'" in result.message
    bound = (
        pod
        + """---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: "system:serviceaccounts:shop"}]
"""
    )
    assert lint_text(tmp_path, bound, select=RBAC, params=strict).results == []


ODD = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: a}
rules: "*"
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: b, labels: [x]}
aggregationRule: {clusterRoleSelectors: "*"}
rules:
  - verbs: {get: true}
    resources: 7
    apiGroups: [[""]]
    resourceNames: {a: 1}
  - 12
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: c}
aggregationRule: {clusterRoleSelectors: [{matchLabels: "x"}, 3, {matchExpressions: [1]}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: d}
roleRef: {kind: [ClusterRole], name: 3}
subjects: {kind: User, name: system:anonymous}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: e, namespace: [x]}
roleRef: "cluster-admin"
subjects: [[], 1, {kind: 2, name: 3, namespace: 4}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: [x]}
automountServiceAccountToken: "false"
---
apiVersion: v1
kind: Pod
metadata: {name: p, namespace: shop}
spec:
  serviceAccountName: [web]
  automountServiceAccountToken: "yes"
  containers: 3
"""


def test_odd_shapes_never_crash_and_grant_nothing(tmp_path: Path) -> None:
    report = lint_text(tmp_path, ODD, select=RBAC)
    assert report.internal_errors == []
    assert not report.errors
    assert report.results == []
