"""The RBAC knowledge the access checks share (kubelint.checks.access.rbac), case by case."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.checks.access import rbac
from kubelint.loader.documents import load_source
from kubelint.model import K8sObject
from kubelint.runner import RunContext

RBAC_V1 = "rbac.authorization.k8s.io/v1"


def objects(*docs: dict[str, Any]) -> list[K8sObject]:
    text = yaml.safe_dump_all(list(docs), sort_keys=False)
    return load_source("rbac.yaml", text.encode()).objects


def context(*docs: dict[str, Any]) -> RunContext:
    return RunContext(objects(*docs), frozenset())


def role(name: str, rules: Any, kind: str = "ClusterRole", **meta: Any) -> dict[str, Any]:
    return {"apiVersion": RBAC_V1, "kind": kind, "metadata": {"name": name, **meta}, "rules": rules}


def binding(
    name: str, ref: tuple[str, str], subjects: Any, kind: str = "ClusterRoleBinding", **meta: Any
) -> dict[str, Any]:
    return {
        "apiVersion": RBAC_V1,
        "kind": kind,
        "metadata": {"name": name, **meta},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": ref[0], "name": ref[1]},
        "subjects": subjects,
    }


def sa(name: str, namespace: str = "default") -> dict[str, Any]:
    return {"kind": "ServiceAccount", "name": name, "namespace": namespace}


def one_rule(**fields: Any) -> rbac.Rule:
    (rule,) = rbac.parse_rules({"rules": [fields]})
    return rule


@pytest.mark.parametrize(
    "data",
    [None, "x", {"rules": "*"}, {"rules": {"a": 1}}, {"rules": ["*", 3, None]}, {"rules": None}],
)
def test_odd_shapes_give_no_rules(data: Any) -> None:
    assert rbac.parse_rules(data) == ()


def test_fields_of_the_wrong_type_grant_nothing() -> None:
    rule = one_rule(verbs={"*": True}, resources="*", apiGroups=[1, None, ["*"]])
    assert not rule.has_wildcard
    assert not rule.allows("get", "", "secrets")
    # Entries that are not strings are dropped, the others keep their index.
    assert one_rule(verbs=[1, "get"]).verbs.items == ((1, "get"),)


def test_first_wildcard_follows_the_written_key_order() -> None:
    rule = one_rule(verbs=["get", "*"], apiGroups=["*"], resources=["pods"])
    assert rule.first_wildcard() == ("rules", 0, "verbs", 1)
    assert rule.wildcard_fields() == ("verbs", "apiGroups")
    assert one_rule(nonResourceURLs=["*"], verbs=["get"]).first_wildcard() is None


def test_first_grant_is_the_first_resource_then_verb_the_rule_allows() -> None:
    path = rbac.Path("p", "why", ("create", "get"), "", ("pods/exec", "pods/attach"))
    assert one_rule(
        apiGroups=[""], resources=["pods/attach", "pods/exec"], verbs=["get"]
    ).first_grant(path) == ("get", "pods/exec")
    assert one_rule(apiGroups=["*"], resources=["*/attach"], verbs=["*"]).first_grant(path) == (
        "create",
        "pods/attach",
    )
    # Another group, verbs of no use, or a resource not covered: nothing.
    assert one_rule(apiGroups=["apps"], resources=["*"], verbs=["*"]).first_grant(path) is None
    assert one_rule(apiGroups=[""], resources=["*"], verbs=["list"]).first_grant(path) is None
    assert one_rule(apiGroups=[""], resources=["pods"], verbs=["*"]).first_grant(path) is None


def test_grants_everything_needs_all_three_wildcards_and_no_resource_names() -> None:
    assert one_rule(apiGroups=["*"], resources=["*"], verbs=["*"]).grants_everything
    assert not one_rule(apiGroups=[""], resources=["*"], verbs=["*"]).grants_everything
    limited = one_rule(apiGroups=["*"], resources=["*"], verbs=["*"], resourceNames=["x"])
    assert not limited.grants_everything


@pytest.mark.parametrize(
    ("pattern", "resource", "matches"),
    [
        ("*", "pods/exec", True),
        ("pods", "pods", True),
        ("pods", "pods/exec", False),
        ("*/exec", "pods/exec", True),
        ("*/exec", "pods", False),
        ("*/scale", "pods/exec", False),
        ("pods/*", "pods/exec", False),
    ],
)
def test_resource_matching_is_the_authorizer_s(pattern: str, resource: str, matches: bool) -> None:
    assert rbac.resource_matches(pattern, resource) is matches


def test_allows_needs_verb_group_and_resource() -> None:
    rule = one_rule(apiGroups=[""], resources=["secrets"], verbs=["get", "list"])
    assert rule.allows("list", "", "secrets")
    assert not rule.allows("watch", "", "secrets")
    assert not rule.allows("list", "apps", "secrets")
    assert not one_rule(resources=["secrets"], verbs=["get"]).allows("get", "", "secrets")


def test_secret_reads_limited_by_resource_names_do_not_read_every_secret() -> None:
    assert rbac.reads_secrets(one_rule(apiGroups=[""], resources=["secrets"], verbs=["*"])) == [
        "get",
        "list",
        "watch",
    ]
    named = one_rule(apiGroups=[""], resources=["secrets"], verbs=["get"], resourceNames=["a"])
    assert rbac.reads_secrets(named) == []


def paths_of(rules: list[dict[str, Any]], index: int = 0) -> list[tuple[str, tuple[Any, ...]]]:
    parsed = rbac.parse_rules({"rules": rules})
    return [(p.name, at) for p, at in rbac.rule_paths(parsed[index], parsed)]


def test_escalation_paths_point_at_the_resource_or_the_verb() -> None:
    assert paths_of(
        [{"apiGroups": [""], "resources": ["pods", "pods/exec"], "verbs": ["get"]}]
    ) == [("pods/exec", ("rules", 0, "resources", 1))]
    assert paths_of(
        [{"apiGroups": [rbac.RBAC_GROUP], "resources": ["clusterroles"], "verbs": ["list", "bind"]}]
    ) == [("bind", ("rules", 0, "verbs", 1))]
    assert paths_of([{"apiGroups": ["apps"], "resources": ["deployments"], "verbs": ["get"]}]) == []


def test_csr_approval_is_a_path_only_with_approve_on_a_signer() -> None:
    approval = {
        "apiGroups": ["certificates.k8s.io"],
        "resources": ["certificatesigningrequests/approval"],
        "verbs": ["update"],
    }
    signer = {"apiGroups": ["certificates.k8s.io"], "resources": ["signers"], "verbs": ["approve"]}
    assert paths_of([approval]) == []
    assert paths_of([approval, signer]) == [
        ("approve certificatesigningrequests", ("rules", 0, "resources", 0))
    ]


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        ({"matchLabels": {"a": "x"}}, {"a": "x", "b": "y"}, True),
        ({"matchLabels": {"a": "x"}}, {"a": "y"}, False),
        ({}, {}, True),
        (None, {"a": "x"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "In", "values": ["x"]}]}, {"a": "x"}, True),
        ({"matchExpressions": [{"key": "a", "operator": "NotIn", "values": ["x"]}]}, {}, True),
        ({"matchExpressions": [{"key": "a", "operator": "Exists"}]}, {}, False),
        ({"matchExpressions": [{"key": "a", "operator": "DoesNotExist"}]}, {}, True),
        ({"matchExpressions": [{"key": "a", "operator": "Near"}]}, {"a": "x"}, False),
        ("a=x", {"a": "x"}, False),
        ({"matchLabels": ["a"]}, {"a": "x"}, False),
        ({"matchExpressions": ["a"]}, {"a": "x"}, False),
    ],
)
def test_selectors_of_aggregation_rules(
    selector: Any, labels: dict[str, str], matches: bool
) -> None:
    assert rbac.selector_matches(selector, labels) is matches


def aggregate(name: str, label: str, **meta: Any) -> dict[str, Any]:
    doc = role(name, [], **meta)
    doc["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {label: "true"}}]}
    return doc


EVERYTHING = [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}]
READ_PODS = [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]


def test_aggregated_roles_collect_matching_roles_also_through_other_aggregates() -> None:
    ctx = context(
        aggregate("top", "to-top"),
        aggregate("middle", "to-middle", labels={"to-top": "true"}),
        role("leaf", EVERYTHING, labels={"to-middle": "true"}),
        role("other", READ_PODS, labels={"to-top": "true"}),
        role("unrelated", READ_PODS),
        binding("b", ("ClusterRole", "top"), [sa("x")]),
    )
    idx = rbac.index(ctx)
    top = idx.roles[("ClusterRole", None, "top")]
    granted = {(r.name, rule.path) for r, rule in idx.effective_rules(top)}
    assert granted == {("leaf", ("rules", 0)), ("other", ("rules", 0))}
    (b,) = idx.bindings
    assert rbac.grants_everything(idx, b)
    leaf = idx.roles[("ClusterRole", None, "leaf")]
    assert [x.obj.name for x in idx.bindings_granting(leaf)] == ["b"]


def test_aggregation_cycles_end() -> None:
    ctx = context(
        aggregate("a", "to-a", labels={"to-b": "true"}),
        aggregate("b", "to-b", labels={"to-a": "true"}),
    )
    idx = rbac.index(ctx)
    assert list(idx.effective_rules(idx.roles[("ClusterRole", None, "a")])) == []


def test_index_is_computed_once_per_run() -> None:
    ctx = context(role("r", READ_PODS))
    assert rbac.index(ctx) is rbac.index(ctx)


def test_cluster_role_is_namespaced_only_when_every_binding_is_a_role_binding() -> None:
    docs = [
        role("reader", READ_PODS),
        binding("b1", ("ClusterRole", "reader"), [sa("x")], kind="RoleBinding", namespace="a"),
        binding("b2", ("ClusterRole", "reader"), [sa("x")], kind="RoleBinding", namespace="b"),
    ]
    idx = rbac.index(context(*docs))
    assert idx.namespaced_only(idx.roles[("ClusterRole", None, "reader")]) == ["a", "b"]
    idx = rbac.index(context(*docs, binding("b3", ("ClusterRole", "reader"), [sa("x")])))
    assert idx.namespaced_only(idx.roles[("ClusterRole", None, "reader")]) is None
    idx = rbac.index(context(role("reader", READ_PODS)))
    assert idx.namespaced_only(idx.roles[("ClusterRole", None, "reader")]) is None
    idx = rbac.index(context(role("r", READ_PODS, kind="Role", namespace="shop")))
    assert idx.namespaced_only(idx.roles[("Role", "shop", "r")]) == ["shop"]


def test_role_binding_resolves_a_role_in_its_own_namespace_only() -> None:
    ctx = context(
        role("r", READ_PODS, kind="Role", namespace="a"),
        binding("same", ("Role", "r"), [], kind="RoleBinding", namespace="a"),
        binding("other", ("Role", "r"), [], kind="RoleBinding", namespace="b"),
        binding("cluster", ("Role", "r"), []),
    )
    resolved = {b.obj.name: b.role is not None for b in rbac.index(ctx).bindings}
    assert resolved == {"same": True, "other": False, "cluster": False}


@pytest.mark.parametrize(
    ("ref", "subjects"),
    [(None, None), ("x", "x"), ({"kind": 1, "name": []}, [None, 1, {"name": 2}, {"kind": "User"}])],
)
def test_odd_bindings_have_no_ref_and_no_subjects(ref: Any, subjects: Any) -> None:
    doc = {"apiVersion": RBAC_V1, "kind": "RoleBinding", "metadata": {"name": "b"}}
    doc.update(roleRef=ref, subjects=subjects)
    (b,) = rbac.index(context(doc)).bindings
    assert b.ref is None and b.subjects == ()


def test_service_account_subject_defaults_to_the_binding_s_namespace() -> None:
    doc = binding("b", ("Role", "r"), [{"kind": "ServiceAccount", "name": "x"}], kind="RoleBinding")
    doc["metadata"]["namespace"] = "shop"
    (b,) = rbac.index(context(doc)).bindings
    assert rbac.service_account_of(b.subjects[0]) == ("shop", "x")


@pytest.mark.parametrize(
    ("kind", "name", "namespace", "builtin"),
    [
        ("ClusterRole", "cluster-admin", None, True),
        ("ClusterRole", "view", None, True),
        ("ClusterRole", "system:controller:job-controller", None, True),
        ("ClusterRole", "my-admin", None, False),
        ("Role", "extension-apiserver-authentication-reader", "kube-system", True),
        ("Role", "extension-apiserver-authentication-reader", "shop", False),
        ("Role", "system:controller:bootstrap-signer", "kube-public", True),
        ("Role", "view", "kube-system", False),
    ],
)
def test_builtin_roles(kind: str, name: str, namespace: str | None, builtin: bool) -> None:
    assert rbac.is_builtin_role(kind, name, namespace) is builtin


@pytest.mark.parametrize(
    ("kind", "name", "trusted"),
    [
        ("Group", "system:masters", True),
        ("User", "system:kube-controller-manager", True),
        ("User", "admin@example.com", False),
        ("Group", "system:authenticated", False),
        ("Group", "system:serviceaccounts:kube-system", False),
        ("User", "system:serviceaccount:kube-system:default", False),
        ("Group", "system:nodes", False),
        ("User", "system:node:worker-1", False),
        ("ServiceAccount", "system:masters", False),
    ],
)
def test_control_plane_identities(kind: str, name: str, trusted: bool) -> None:
    subject = rbac.Subject(("subjects", 0), kind, name, "default")
    assert rbac.is_control_plane_identity(subject) is trusted


def test_service_accounts_are_bound_by_name_user_name_or_group() -> None:
    ctx = context(
        binding("a", ("ClusterRole", "view"), [sa("one", "shop")]),
        binding(
            "b",
            ("ClusterRole", "view"),
            [{"kind": "User", "name": "system:serviceaccount:shop:two"}],
        ),
        binding(
            "c", ("ClusterRole", "view"), [{"kind": "Group", "name": "system:serviceaccounts:ops"}]
        ),
    )
    idx = rbac.accounts(ctx)
    assert idx.bound_service_account("shop", "one")
    assert idx.bound_service_account("shop", "two")
    assert idx.bound_service_account("ops", "anyone")
    assert not idx.bound_service_account("shop", "three")


_SUBJECT_KINDS = st.sampled_from(["ServiceAccount", "User", "Group"])
_NAMES = st.sampled_from(
    ["a", "b", "default", "system:serviceaccounts", "system:serviceaccounts:x"]
)
_SPACES = st.sampled_from(["x", "y", "default"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["RoleBinding", "ClusterRoleBinding"]),
            _SPACES,
            st.lists(st.tuples(_SUBJECT_KINDS, _NAMES, st.one_of(st.none(), _SPACES)), max_size=3),
        ),
        max_size=4,
    ),
    st.lists(st.tuples(_NAMES, _SPACES), max_size=3),
)
def test_the_accounts_of_a_token_agree_with_the_bindings_of_the_full_index(
    bindings: list[tuple[str, str, list[tuple[str, str, str | None]]]],
    accounts: list[tuple[str, str]],
) -> None:
    # service-account-token-automount reads the subjects alone (rbac.accounts): it must say
    # what the full index says of every account, placed or not.
    docs: list[dict[str, Any]] = [
        {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": n, "namespace": s}}
        for n, s in accounts
    ]
    for number, (kind, namespace, subjects) in enumerate(bindings):
        written = [
            {"kind": k, "name": n, **({"namespace": s} if s else {})} for k, n, s in subjects
        ]
        docs.append(
            binding(f"b{number}", ("ClusterRole", "view"), written, kind=kind, namespace=namespace)
        )
    ctx = context(*docs)
    full, light = rbac.index(ctx), rbac.accounts(ctx)
    assert light.service_accounts == full.service_accounts
    for namespace in ("x", "y", "default"):
        for name in ("a", "b", "default"):
            for unplaced in (False, True):
                assert light.bound_service_account(namespace, name, unplaced) == _bound(
                    full, namespace, name, unplaced
                )


def _bound(index: rbac.Index, namespace: str, name: str, unplaced: bool) -> bool:
    """The definition, over the full index's bindings: a subject is the account (any
    namespace when unplaced), or a group of every account (of the namespace)."""
    groups = (rbac.ALL_SERVICE_ACCOUNTS, f"{rbac.ALL_SERVICE_ACCOUNTS}:{namespace}")
    for binding in index.bindings:
        for subject in binding.subjects:
            account = rbac.service_account_of(subject)
            if account == (namespace, name) or (unplaced and account and account[1] == name):
                return True
            if subject.kind == "Group" and subject.name in groups:
                return True
    return False
