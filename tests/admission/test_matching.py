"""Which manifests a ValidatingAdmissionPolicy and its binding select, case by case.

Expected values follow the ValidatingAdmissionPolicy documentation and the MatchResources
API reference (resourceRules, excludeResourceRules, namespaceSelector, objectSelector,
matchPolicy), and the AdmissionRequest reference for ``request``.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.checks.admission.matching import (
    NAME_LABEL,
    Matched,
    Unmatched,
    applies,
    matches,
    namespace_object,
    request_for,
)
from kubelint.k8s.resources import builtin_resources
from kubelint.loader.documents import load_source
from kubelint.model import K8sObject
from kubelint.runner import RunContext

PROD_NS = {"apiVersion": "v1", "kind": "Namespace",
           "metadata": {"name": "prod", "labels": {"env": "prod"}}}  # fmt: skip


def objects(*docs: dict[str, Any]) -> list[K8sObject]:
    return load_source("m.yaml", yaml.safe_dump_all(list(docs)).encode()).objects


def setup(
    manifest: dict[str, Any], *others: dict[str, Any], minor: int = 30
) -> tuple[K8sObject, RunContext]:
    loaded = objects(manifest, *others)
    return loaded[0], RunContext(loaded, frozenset(), kube_version=minor)


def rule(
    groups: list[str],
    versions: list[str],
    resources: list[str],
    ops: Any = ("CREATE",),
    **more: Any,
) -> dict[str, Any]:
    return {
        "apiGroups": groups,
        "apiVersions": versions,
        "resources": resources,
        "operations": list(ops),
        **more,
    }


def rules(*items: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {"resourceRules": list(items), **more}


def obj(api_version: str, kind: str, name: str | None = "web", **meta: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, **meta} if name is not None else dict(meta)
    return {"apiVersion": api_version, "kind": kind, "metadata": metadata}


DEPLOY = obj("apps/v1", "Deployment", namespace="prod", labels={"app": "web"})
CLUSTER_ROLE = obj("rbac.authorization.k8s.io/v1", "ClusterRole")
NAMESPACE = obj("v1", "Namespace", labels={"env": "prod"})
APPS = (["apps"], ["v1"])

CASES: list[tuple[str, dict[str, Any], dict[str, Any], bool]] = [
    # resources: a CREATE is a request for the main resource, no subresource.
    ("plural", rules(rule(*APPS, ["deployments"])), DEPLOY, True),
    ("other plural", rules(rule(*APPS, ["statefulsets"])), DEPLOY, False),
    ("star", rules(rule(*APPS, ["*"])), DEPLOY, True),
    ("star/star", rules(rule(*APPS, ["*/*"])), DEPLOY, True),
    ("subresource only", rules(rule(*APPS, ["deployments/status"])), DEPLOY, False),
    ("any resource's scale", rules(rule(*APPS, ["*/scale"])), DEPLOY, False),
    ("resource and any subresource", rules(rule(*APPS, ["deployments/*"])), DEPLOY, True),
    ("kind name is not a resource", rules(rule(*APPS, ["Deployment"])), DEPLOY, False),
    ("second rule", rules(rule(["batch"], ["v1"], ["jobs"]), rule(*APPS, ["*"])), DEPLOY, True),
    # groups and versions
    ("core group", rules(rule([""], ["v1"], ["*"])), DEPLOY, False),
    ("any group", rules(rule(["*"], ["*"], ["deployments"])), DEPLOY, True),
    ("other version, exact", rules(rule(["apps"], ["v1beta1"], ["deployments"]),
                                   matchPolicy="Exact"), DEPLOY, False),
    # operations
    ("update only", rules(rule(*APPS, ["*"], ["UPDATE"])), DEPLOY, False),
    ("any operation", rules(rule(*APPS, ["*"], ["*"])), DEPLOY, True),
    ("delete and create", rules(rule(*APPS, ["*"], ["DELETE", "CREATE"])), DEPLOY, True),
    # resourceNames
    ("named", rules(rule(*APPS, ["*"], resourceNames=["web"])), DEPLOY, True),
    ("other name", rules(rule(*APPS, ["*"], resourceNames=["api"])), DEPLOY, False),
    ("generateName has no name", rules(rule(*APPS, ["*"], resourceNames=["web-"])),
     obj("apps/v1", "Deployment", None, generateName="web-"), False),
    # scope
    ("namespaced scope", rules(rule(*APPS, ["*"], scope="Namespaced")), DEPLOY, True),
    ("cluster scope", rules(rule(*APPS, ["*"], scope="Cluster")), DEPLOY, False),
    ("cluster scope, cluster role", rules(rule(["*"], ["*"], ["*"], scope="Cluster")),
     CLUSTER_ROLE, True),
    ("namespaced scope, cluster role", rules(rule(["*"], ["*"], ["*"], scope="Namespaced")),
     CLUSTER_ROLE, False),
    # A Namespace is cluster-scoped though its request names it as the namespace.
    ("cluster scope, namespace", rules(rule([""], ["v1"], ["namespaces"], scope="Cluster")),
     NAMESPACE, True),
    ("namespaced scope, namespace", rules(rule([""], ["v1"], ["*"], scope="Namespaced")),
     NAMESPACE, False),
    # namespaceSelector: labels of the object's namespace.
    ("declared namespace labels", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchLabels": {"env": "prod"}}), DEPLOY, True),
    ("declared namespace, other labels", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchLabels": {"env": "dev"}}), DEPLOY, False),
    ("every namespace has its name label", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchLabels": {NAME_LABEL: "prod"}}), DEPLOY, True),
    ("undeclared namespace has only its name label", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchLabels": {NAME_LABEL: "team-a"}}),
     obj("apps/v1", "Deployment", namespace="team-a"), True),
    ("undeclared namespace, other label", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchExpressions": [{"key": "env", "operator": "Exists"}]}),
     obj("apps/v1", "Deployment", namespace="team-a"), False),
    ("no namespace is the default one", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchLabels": {NAME_LABEL: "default"}}),
     obj("apps/v1", "Deployment"), True),
    ("NotIn selects a namespace without the label", rules(rule(*APPS, ["*"]),
     namespaceSelector={"matchExpressions": [{"key": "tier", "operator": "NotIn",
                                              "values": ["system"]}]}), DEPLOY, True),
    # Cluster-scoped objects are never exempted by a namespaceSelector...
    ("cluster-scoped ignores namespaceSelector", rules(rule(["*"], ["*"], ["*"]),
     namespaceSelector={"matchLabels": {"env": "nowhere"}}), CLUSTER_ROLE, True),
    # ... but a Namespace is matched by its own labels.
    ("namespace by its own labels", rules(rule([""], ["v1"], ["namespaces"]),
     namespaceSelector={"matchLabels": {"env": "prod"}}), NAMESPACE, True),
    ("namespace by its own name label", rules(rule([""], ["v1"], ["namespaces"]),
     namespaceSelector={"matchLabels": {NAME_LABEL: "web"}}), NAMESPACE, True),
    ("namespace, other labels", rules(rule([""], ["v1"], ["namespaces"]),
     namespaceSelector={"matchLabels": {"env": "dev"}}), NAMESPACE, False),
    # objectSelector: the object's own labels.
    ("object labels", rules(rule(*APPS, ["*"]), objectSelector={"matchLabels": {"app": "web"}}),
     DEPLOY, True),
    ("object, other labels", rules(rule(*APPS, ["*"]),
     objectSelector={"matchLabels": {"app": "api"}}), DEPLOY, False),
    ("object without the label", rules(rule(*APPS, ["*"]),
     objectSelector={"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}),
     DEPLOY, False),
    ("empty selectors select all", rules(rule(*APPS, ["*"]), objectSelector={},
     namespaceSelector={}), DEPLOY, True),
    # excludeResourceRules win over resourceRules.
    ("excluded", rules(rule(*APPS, ["*"]),
     excludeResourceRules=[rule(*APPS, ["deployments"])]), DEPLOY, False),
    ("excluded by name", rules(rule(*APPS, ["*"]),
     excludeResourceRules=[rule(*APPS, ["*"], resourceNames=["web"])]), DEPLOY, False),
    ("exclusion of other names", rules(rule(*APPS, ["*"]),
     excludeResourceRules=[rule(*APPS, ["*"], resourceNames=["api"])]), DEPLOY, True),
    ("exclusion of updates", rules(rule(*APPS, ["*"]),
     excludeResourceRules=[rule(*APPS, ["*"], ["UPDATE"])]), DEPLOY, True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("constraints", "manifest", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_policy_match_constraints(
    constraints: dict[str, Any], manifest: dict[str, Any], expected: bool
) -> None:
    target, ctx = setup(manifest, PROD_NS)
    result = matches(constraints, target, ctx)
    assert bool(result) is expected
    assert isinstance(result, Matched if expected else Unmatched)
    if isinstance(result, Unmatched):
        assert result.evaluated and result.reason


HPA_V2 = obj("autoscaling/v2", "HorizontalPodAutoscaler", namespace="prod")
HPA_V1_RULE = rule(["autoscaling"], ["v1"], ["horizontalpodautoscalers"])


@pytest.mark.parametrize(
    ("constraints", "manifest", "minor", "expected"),
    [
        # Equivalent is the default: the rule names another version of the same objects.
        (rules(HPA_V1_RULE), HPA_V2, 30, "autoscaling/v1"),
        (rules(HPA_V1_RULE, matchPolicy="Equivalent"), HPA_V2, 30, "autoscaling/v1"),
        (rules(HPA_V1_RULE, matchPolicy="Exact"), HPA_V2, 30, None),
        # The object's own version wins when a rule names it too.
        (rules(HPA_V1_RULE, rule(["autoscaling"], ["*"], ["*"])), HPA_V2, 30, "autoscaling/v2"),
        # events.k8s.io serves the core group's events.
        (rules(rule([""], ["v1"], ["events"])), obj("events.k8s.io/v1", "Event"), 30, "v1"),
        (rules(rule([""], ["v1"], ["events"]), matchPolicy="Exact"),
         obj("events.k8s.io/v1", "Event"), 30, None),
        # Only versions the cluster serves are equivalents: extensions/v1beta1 deployments
        # went in 1.16.
        (rules(rule(["extensions"], ["v1beta1"], ["deployments"])), DEPLOY, 15,
         "extensions/v1beta1"),
        (rules(rule(["extensions"], ["v1beta1"], ["deployments"])), DEPLOY, 30, None),
        (rules(rule(["apps"], ["v1beta2"], ["deployments"])), DEPLOY, 15, "apps/v1beta2"),
        (rules(rule(["batch"], ["v1beta1"], ["cronjobs"])), obj("batch/v1", "CronJob"), 24,
         "batch/v1beta1"),
        (rules(rule(["policy"], ["v1beta1"], ["poddisruptionbudgets"])),
         obj("policy/v1", "PodDisruptionBudget"), 24, "policy/v1beta1"),
        (rules(rule(["extensions"], ["*"], ["ingresses"])),
         obj("networking.k8s.io/v1", "Ingress"), 21, "extensions/v1beta1"),
        (rules(rule(["extensions"], ["*"], ["networkpolicies"])),
         obj("networking.k8s.io/v1", "NetworkPolicy"), 15, "extensions/v1beta1"),
        # The equivalent resource is still matched against the rule's other fields.
        (rules(rule(["extensions"], ["v1beta1"], ["deployments"], ["UPDATE"])), DEPLOY, 15, None),
        (rules(rule(["extensions"], ["v1beta1"], ["deployments"]),
               excludeResourceRules=[rule(["extensions"], ["*"], ["*"])]), DEPLOY, 15, None),
    ],
)  # fmt: skip
def test_match_policy(
    constraints: dict[str, Any], manifest: dict[str, Any], minor: int, expected: str | None
) -> None:
    target, ctx = setup(manifest, PROD_NS, minor=minor)
    result = matches(constraints, target, ctx)
    if expected is None:
        assert isinstance(result, Unmatched) and result.evaluated
    else:
        assert isinstance(result, Matched)
        assert result.resource.api_version == expected


def widget_crd(scope: str = "Namespaced") -> dict[str, Any]:
    return {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "scope": scope,
            "names": {"plural": "widgets", "kind": "Widget"},
            "versions": [
                {"name": "v1", "served": True, "storage": True},
                {"name": "v1beta1", "served": True, "storage": False},
                {"name": "v1alpha1", "served": False, "storage": False},
            ],
        },
    }


WIDGET = obj("example.com/v1", "Widget", namespace="prod")
WIDGETS = rule(["example.com"], ["v1"], ["widgets"])


@pytest.mark.parametrize(
    ("constraints", "manifest", "crd", "expected"),
    [
        (rules(WIDGETS), WIDGET, widget_crd(), True),
        (rules(rule(["example.com"], ["v1"], ["widget"])), WIDGET, widget_crd(), False),
        (rules(rule(["example.com"], ["v1beta1"], ["widgets"])), WIDGET, widget_crd(), True),
        (rules(rule(["example.com"], ["v1beta1"], ["widgets"]), matchPolicy="Exact"), WIDGET,
         widget_crd(), False),
        # Not served versions are no equivalents.
        (rules(rule(["example.com"], ["v1alpha1"], ["widgets"])), WIDGET, widget_crd(), False),
        (rules(rule(["*"], ["*"], ["*"], scope="Namespaced")), WIDGET, widget_crd(), True),
        # A cluster-scoped custom resource has no namespace, whatever its metadata says.
        (rules(rule(["*"], ["*"], ["*"], scope="Namespaced")), WIDGET, widget_crd("Cluster"),
         False),
        (rules(rule(["*"], ["*"], ["*"], scope="Cluster"),
               namespaceSelector={"matchLabels": {"env": "dev"}}),
         WIDGET, widget_crd("Cluster"), True),
    ],
)  # fmt: skip
def test_custom_resources(
    constraints: dict[str, Any], manifest: dict[str, Any], crd: dict[str, Any], expected: bool
) -> None:
    target, ctx = setup(manifest, crd, PROD_NS)
    assert bool(matches(constraints, target, ctx)) is expected


@pytest.mark.parametrize(
    ("manifest", "others", "minor"),
    [
        (WIDGET, [], 30),  # no definition in the tree
        (obj("example.com/v1alpha1", "Widget"), [widget_crd()], 30),  # version not served
        (obj("autoscaling/v1", "Scale"), [], 30),  # a subresource, never created
    ],
)
def test_unknown_or_unserved_resources_are_not_evaluated(
    manifest: dict[str, Any], others: list[dict[str, Any]], minor: int
) -> None:
    target, ctx = setup(manifest, *others, minor=minor)
    result = matches(rules(rule(["*"], ["*"], ["*/*"], ["*"])), target, ctx)
    assert isinstance(result, Unmatched) and not result.evaluated
    assert result.reason


@pytest.mark.parametrize(
    "kind",
    [
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
    ],
)
def test_admission_configuration_is_exempt(kind: str) -> None:
    target, ctx = setup(obj("admissionregistration.k8s.io/v1", kind))
    result = matches(rules(rule(["*"], ["*"], ["*/*"], ["*"])), target, ctx)
    assert isinstance(result, Unmatched) and result.evaluated


@pytest.mark.parametrize(
    "constraints",
    [
        None,  # a policy must have matchConstraints
        {},  # ... with resourceRules
        rules(),
        rules(rule(*APPS, ["*"], ["create"])),
        rules(rule(*APPS, ["*"], ["*", "CREATE"])),
        rules(rule(*APPS, ["*"], [])),
        rules(rule([], ["v1"], ["*"])),
        rules(rule(["apps"], [], ["*"])),
        rules(rule(["apps"], ["v1"], [])),
        rules(rule(*APPS, ["*"], scope="Regional")),
        rules(rule(*APPS, ["*"]), matchPolicy="Fuzzy"),
        rules(rule(*APPS, ["*"]), namespaceSelector={"matchLabels": {"env": 1}}),
        rules(rule(*APPS, ["*"]), objectSelector={"matchExpressions": [{"key": "a"}]}),
        rules(rule(*APPS, ["*"]), excludeResourceRules="deployments"),
        {"resourceRules": "deployments"},
        {"resourceRules": [["apps"]]},
        ["apps"],
    ],
)
def test_blocks_the_api_server_rejects_are_not_evaluated(constraints: Any) -> None:
    target, ctx = setup(DEPLOY, PROD_NS)
    result = matches(constraints, target, ctx)
    assert isinstance(result, Unmatched) and not result.evaluated
    assert "rejects" in result.reason


def test_rules_for_updates_select_the_manifest_when_operations_are_not_the_policys() -> None:
    target, ctx = setup(DEPLOY, PROD_NS)
    updates = rules(rule(*APPS, ["*"], ["UPDATE"]))
    deletes = rules(rule(*APPS, ["*"], ["DELETE", "CONNECT"]))
    assert not matches(updates, target, ctx)
    assert matches(updates, target, ctx, policy_operations=False)
    assert not matches(deletes, target, ctx, policy_operations=False)


POLICY = {"spec": {"matchConstraints": rules(rule(*APPS, ["*"]))}}


@pytest.mark.parametrize(
    ("binding", "expected"),
    [
        (None, True),
        ({"spec": {}}, True),  # no matchResources: everything the policy selects
        ({"spec": {"matchResources": {}}}, True),  # no resourceRules: no narrowing
        ({"spec": {"matchResources": {"namespaceSelector": {"matchLabels": {"env": "prod"}}}}},
         True),
        ({"spec": {"matchResources": {"namespaceSelector": {"matchLabels": {"env": "dev"}}}}},
         False),
        ({"spec": {"matchResources": rules(rule(["batch"], ["v1"], ["jobs"]))}}, False),
        ({"spec": {"matchResources": {"excludeResourceRules": [rule(*APPS, ["*"])]}}}, False),
        ({"spec": {"matchResources": {"objectSelector": {"matchLabels": {"app": "web"}}}}},
         True),
    ],
)  # fmt: skip
def test_a_binding_narrows_its_policy(binding: dict[str, Any] | None, expected: bool) -> None:
    target, ctx = setup(DEPLOY, PROD_NS)
    result = applies(POLICY, binding, target, ctx)
    assert bool(result) is expected
    if expected:
        assert isinstance(result, Matched) and result.resource.resource == "deployments"


def test_a_binding_cannot_widen_its_policy() -> None:
    target, ctx = setup(DEPLOY, PROD_NS)
    policy = {"spec": {"matchConstraints": rules(rule(["batch"], ["v1"], ["jobs"]))}}
    binding = {"spec": {"matchResources": rules(rule(*APPS, ["*"]))}}
    assert not applies(policy, binding, target, ctx)


def test_a_malformed_binding_is_not_evaluated() -> None:
    target, ctx = setup(DEPLOY, PROD_NS)
    result = applies(POLICY, {"spec": {"matchResources": {"matchPolicy": 3}}}, target, ctx)
    assert isinstance(result, Unmatched) and not result.evaluated
    assert "binding" in result.reason


def test_namespace_object_of_a_declared_namespace_is_its_data_with_the_name_label() -> None:
    _, ctx = setup(DEPLOY, PROD_NS)
    found = namespace_object("prod", ctx)
    assert found is not None
    assert found["metadata"]["labels"] == {"env": "prod", NAME_LABEL: "prod"}
    assert PROD_NS["metadata"]["labels"] == {"env": "prod"}  # the tree's data is left alone


def test_namespace_object_of_an_undeclared_namespace_has_only_the_name_label() -> None:
    _, ctx = setup(DEPLOY)
    assert namespace_object("team-a", ctx) == {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "team-a", "labels": {NAME_LABEL: "team-a"}},
    }
    assert namespace_object(None, ctx) is None
    assert namespace_object("", ctx) is None


def test_request_of_a_namespaced_object() -> None:
    target, ctx = setup(DEPLOY)
    assert request_for(target, ctx) == {
        "uid": "",
        "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "subResource": "",
        "requestKind": {"group": "apps", "version": "v1", "kind": "Deployment"},
        "requestResource": {"group": "apps", "version": "v1", "resource": "deployments"},
        "requestSubResource": "",
        "name": "web",
        "namespace": "prod",
        "operation": "CREATE",
        "userInfo": {"username": "", "groups": []},
        "oldObject": None,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }


@pytest.mark.parametrize(
    ("manifest", "name", "namespace", "resource"),
    [
        (CLUSTER_ROLE, "web", "", "clusterroles"),
        # The API server names a Namespace being created as the request's namespace.
        (NAMESPACE, "web", "web", "namespaces"),
        (obj("v1", "ConfigMap", None, generateName="cm-"), "", "default", "configmaps"),
        (obj("v1", "Secret", namespace="team-a"), "web", "team-a", "secrets"),
        (obj("example.com/v1", "Widget"), "web", "default", ""),  # no definition
    ],
)
def test_request_name_namespace_and_resource(
    manifest: dict[str, Any], name: str, namespace: str, resource: str
) -> None:
    target, ctx = setup(manifest)
    request = request_for(target, ctx, {"username": "alice", "groups": ["dev"]})
    assert (request["name"], request["namespace"], request["resource"]["resource"]) == (
        name,
        namespace,
        resource,
    )
    assert request["userInfo"] == {"username": "alice", "groups": ["dev"]}


def test_request_of_a_custom_resource() -> None:
    target, ctx = setup(obj("example.com/v1", "Widget"), widget_crd("Cluster"))
    request = request_for(target, ctx)
    assert request["resource"] == {"group": "example.com", "version": "v1", "resource": "widgets"}
    assert request["namespace"] == ""


SERVED_37 = [r for r in builtin_resources() if r.served_in(37)]
WORDS = st.sampled_from(["*", "apps", "", "v1", "v2", "deployments", "pods", "*/*", "events"])


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(SERVED_37),
    st.lists(WORDS, min_size=1, max_size=2),
    st.lists(WORDS, min_size=1, max_size=2),
    st.lists(WORDS, min_size=1, max_size=2),
)
def test_equivalent_selects_all_that_exact_selects_and_exclusion_undoes_inclusion(
    resource: Any, groups: list[str], versions: list[str], names: list[str]
) -> None:
    target, ctx = setup(obj(resource.api_version, resource.kind), minor=37)
    block = rules(rule(groups, versions, names))
    exact = matches({**block, "matchPolicy": "Exact"}, target, ctx)
    equivalent = matches(block, target, ctx)
    assert not exact or equivalent
    if exact and isinstance(exact, Matched):
        assert exact.resource.api_version == resource.api_version
    excluded = matches({**block, "excludeResourceRules": block["resourceRules"]}, target, ctx)
    assert not excluded


@pytest.mark.parametrize(
    ("manifest", "rule_group", "rule_version", "resource"),
    [
        (obj("extensions/v1beta1", "Deployment"), "extensions", "v1beta1", "deployments"),
        (obj("batch/v1beta1", "CronJob"), "batch", "v1beta1", "cronjobs"),
        (obj("resource.k8s.io/v1", "ResourceClaim"), "resource.k8s.io", "v1", "resourceclaims"),
    ],
)
def test_an_api_the_target_version_does_not_serve_is_judged_by_rules_naming_it(
    manifest: dict[str, Any], rule_group: str, rule_version: str, resource: str
) -> None:
    # A policy that catches deprecated APIs is written for exactly those manifests (the
    # API checks report that the version does not serve them).
    target, ctx = setup(manifest, minor=30)
    assert matches(rules(rule([rule_group], [rule_version], [resource], ["*"])), target, ctx)
    other = "v2" if rule_version != "v2" else "v3"
    exact = rules(rule([rule_group], [other], [resource], ["*"]), matchPolicy="Exact")
    assert not matches(exact, target, ctx)
