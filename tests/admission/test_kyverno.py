"""Kyverno's ValidatingPolicy semantics: which documents, autogen for pod controllers, and
the library calls that cannot be evaluated offline.

Expected values come from Kyverno's documentation and code (pkg/cel/autogen: CanAutoGen,
the controller table, the replacement rules) and from the Kubernetes API (where each
controller keeps its pod template), not from the module under test.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kubelint.checks.admission.kyverno import (
    autogen,
    can_autogen,
    is_kyverno_policy,
    kyverno_only_functions,
    rewrite_expression,
)
from kubelint.k8s.workloads import POD_TEMPLATE_PATHS
from tests.admission.conformance import cases, documents

PODS = {"apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]}


def policy(
    rule: dict[str, Any] | None = None, autogen_config: Any = None, **spec: Any
) -> dict[str, Any]:
    rule = rule or {**PODS, "operations": ["CREATE", "UPDATE"]}
    body: dict[str, Any] = {"matchConstraints": {"resourceRules": [rule]}, **spec}
    if autogen_config is not None:
        body["autogen"] = autogen_config
    return {
        "apiVersion": "policies.kyverno.io/v1",
        "kind": "ValidatingPolicy",
        "metadata": {"name": "p"},
        "spec": body,
    }


@pytest.mark.parametrize(
    ("api_version", "kind", "expected"),
    [
        ("policies.kyverno.io/v1alpha1", "ValidatingPolicy", True),
        ("policies.kyverno.io/v1beta1", "ValidatingPolicy", True),
        ("policies.kyverno.io/v1", "ValidatingPolicy", True),
        ("policies.kyverno.io/v1", "MutatingPolicy", False),
        ("policies.kyverno.io/v1", "ImageValidatingPolicy", False),
        ("kyverno.io/v1", "ClusterPolicy", False),
        ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy", False),
        ("example.com/v1", "ValidatingPolicy", False),
        (None, "ValidatingPolicy", False),
    ],
)
def test_is_kyverno_policy(api_version: Any, kind: str, expected: bool) -> None:
    assert is_kyverno_policy({"apiVersion": api_version, "kind": kind}) is expected


def test_is_kyverno_policy_on_other_values() -> None:
    assert not is_kyverno_policy(["ValidatingPolicy"])
    assert not is_kyverno_policy(None)


# CanAutoGen: Pods alone, in one rule, no names, no selector with terms, no exclusions.
@pytest.mark.parametrize(
    ("constraints", "expected"),
    [
        ({"resourceRules": [PODS]}, True),
        ({"resourceRules": [PODS], "namespaceSelector": {}}, True),
        ({"resourceRules": [PODS], "objectSelector": {"matchLabels": {}}}, True),
        ({"resourceRules": [PODS], "namespaceSelector": {"matchLabels": {"a": "b"}}}, False),
        ({"resourceRules": [PODS], "objectSelector": {"matchExpressions": [{}]}}, False),
        ({"resourceRules": [PODS], "excludeResourceRules": [PODS]}, False),
        ({"resourceRules": [{**PODS, "resourceNames": ["x"]}]}, False),
        ({"resourceRules": [{**PODS, "resources": ["pods", "deployments"]}]}, False),
        ({"resourceRules": [{**PODS, "resources": ["pods/ephemeralcontainers"]}]}, False),
        ({"resourceRules": [{**PODS, "apiGroups": ["*"]}]}, False),
        ({"resourceRules": [{**PODS, "apiVersions": ["*"]}]}, False),
        ({"resourceRules": [PODS, {**PODS, "apiGroups": ["apps"]}]}, False),
        ({"resourceRules": []}, False),
        ({}, False),
        (None, False),
        ("pods", False),
    ],
)
def test_can_autogen(constraints: Any, expected: bool) -> None:
    assert can_autogen(constraints) is expected


def _kinds(generated: list[dict[str, Any]]) -> dict[str, list[str]]:
    return {g["config"]: [t["kind"] for t in g["targets"]] for g in generated}


def test_default_controllers_and_their_match_constraints() -> None:
    generated = autogen(policy())
    assert _kinds(generated) == {
        "cronjobs": ["CronJob"],
        "defaults": ["DaemonSet", "Deployment", "Job", "ReplicaSet", "StatefulSet"],
    }
    operations = ["CREATE", "UPDATE"]
    cronjobs, defaults = generated
    assert cronjobs["spec"]["matchConstraints"] == {
        "resourceRules": [
            {
                "apiGroups": ["batch"],
                "apiVersions": ["v1"],
                "resources": ["cronjobs"],
                "operations": operations,
            }
        ]
    }
    assert defaults["spec"]["matchConstraints"]["resourceRules"] == [
        {
            "apiGroups": ["apps"],
            "apiVersions": ["v1"],
            "resources": ["daemonsets", "deployments", "replicasets", "statefulsets"],
            "operations": operations,
        },
        {
            "apiGroups": ["batch"],
            "apiVersions": ["v1"],
            "resources": ["jobs"],
            "operations": operations,
        },
    ]


@pytest.mark.parametrize(
    ("autogen_config", "expected"),
    [
        ({"podControllers": {"controllers": ["deployments"]}}, {"defaults": ["Deployment"]}),
        ({"podControllers": {"controllers": ["cronjobs"]}}, {"cronjobs": ["CronJob"]}),
        (
            {"podControllers": {"controllers": ["jobs", "cronjobs"]}},
            {"cronjobs": ["CronJob"], "defaults": ["Job"]},
        ),
        ({"podControllers": {"controllers": []}}, {}),  # how autogen is switched off
        ({"podControllers": {"controllers": ["replicationcontrollers", "Deployment"]}}, {}),
        ({"podControllers": {"controllers": None}}, None),  # null: the default list
        ({"podControllers": {}}, None),
        ({"validatingAdmissionPolicy": {"enabled": True}}, None),
        ({"podControllers": {"controllers": "deployments"}}, {}),  # malformed: nothing
        ({"podControllers": ["deployments"]}, {}),
    ],
)
def test_controllers_chosen_by_the_policy(autogen_config: Any, expected: Any) -> None:
    default = _kinds(autogen(policy()))
    assert _kinds(autogen(policy(autogen_config=autogen_config))) == (
        default if expected is None else expected
    )


def test_the_annotation_of_cluster_policies_does_not_switch_autogen_off() -> None:
    data = policy()
    data["metadata"]["annotations"] = {"pod-policies.kyverno.io/autogen-controllers": "none"}
    assert len(autogen(data)) == 2


@pytest.mark.parametrize(
    "data",
    [
        policy(rule={**PODS, "resources": ["pods", "deployments"]}),
        {**policy(), "apiVersion": "admissionregistration.k8s.io/v1"},
        {**policy(), "spec": None},
        {**policy(), "spec": {"matchConstraints": "pods"}},
        "ValidatingPolicy",
    ],
)
def test_no_rules_when_autogen_does_not_apply(data: Any) -> None:
    assert autogen(data) == []


# Kyverno's replacement rules; the template paths are those of the Kubernetes API:
# Deployment & co. at spec.template, CronJob at spec.jobTemplate.spec.template.
@pytest.mark.parametrize(
    ("expression", "config", "expected"),
    [
        ("object.spec.containers", "defaults", "object.spec.template.spec.containers"),
        ("oldObject.spec", "defaults", "oldObject.spec.template.spec"),
        (
            "object.spec.containers",
            "cronjobs",
            "object.spec.jobTemplate.spec.template.spec.containers",
        ),
        ("object.metadata.labels", "defaults", "object.spec.template.metadata.labels"),
        (
            "object.metadata.?annotations",
            "cronjobs",
            "object.spec.jobTemplate.spec.template.metadata.?annotations",
        ),
        (
            "'ownerReferences' in object.metadata",
            "defaults",
            "'ownerReferences' in object.spec.template.metadata",
        ),
        # the controller's own name and namespace (kyverno/kyverno#16038)
        ("object.metadata.name", "defaults", "object.metadata.name"),
        ("object.metadata.namespace != 'x'", "cronjobs", "object.metadata.namespace != 'x'"),
        (
            "object.metadata.?namespace.orValue('')",
            "defaults",
            "object.metadata.?namespace.orValue('')",
        ),
        ("object.metadata['namespace']", "defaults", "object.metadata['namespace']"),
        ('oldObject.metadata["name"]', "defaults", 'oldObject.metadata["name"]'),
        ("object.metadata.nameSuffix", "defaults", "object.spec.template.metadata.nameSuffix"),
        # other variables and other spellings are left alone
        ("namespaceObject.metadata.labels", "defaults", "namespaceObject.metadata.labels"),
        ("variables.object.spec", "defaults", "variables.object.spec"),
        ("myobject.spec", "defaults", "myobject.spec"),
        ("object.?spec.containers", "defaults", "object.?spec.containers"),
        ("object.status", "defaults", "object.status"),
        (
            "object.spec.hostNetwork && object.metadata.labels.app == oldObject.metadata.labels.app",
            "defaults",
            "object.spec.template.spec.hostNetwork && object.spec.template.metadata.labels.app"
            " == oldObject.spec.template.metadata.labels.app",
        ),
    ],
)
def test_rewrite_expression(expression: str, config: str, expected: str) -> None:
    assert rewrite_expression(expression, config) == expected


def test_rewritten_paths_are_where_each_controller_keeps_its_pod_template() -> None:
    for generated in autogen(policy()):
        for target in generated["targets"]:
            template = ".".join(str(p) for p in POD_TEMPLATE_PATHS[target["kind"]])
            config = generated["config"]
            assert rewrite_expression("object.spec", config) == f"object.{template}.spec"
            assert rewrite_expression("object.metadata", config) == f"object.{template}.metadata"


def test_every_text_of_the_spec_is_rewritten_and_the_policy_is_left_unchanged() -> None:
    data = policy(
        matchConditions=[{"name": "c", "expression": "has(object.spec.volumes)"}],
        variables=[{"name": "v", "expression": "object.spec.containers"}],
        validations=[
            {
                "expression": "object.metadata.labels.size() > 0",
                "message": "object.spec needs labels",
                "messageExpression": "'in ' + object.metadata.namespace",
            }
        ],
        auditAnnotations=[{"key": "k", "valueExpression": "string(object.spec.replicas)"}],
        validationActions=["Audit"],
    )
    before = copy.deepcopy(data)
    _, defaults = autogen(data)
    spec = defaults["spec"]
    assert data == before
    assert spec["matchConditions"] == [
        {"name": "c", "expression": "has(object.spec.template.spec.volumes)"}
    ]
    assert spec["variables"][0]["expression"] == "object.spec.template.spec.containers"
    assert spec["validations"] == [
        {
            "expression": "object.spec.template.metadata.labels.size() > 0",
            "message": "object.spec.template.spec needs labels",
            "messageExpression": "'in ' + object.metadata.namespace",
        }
    ]
    assert spec["auditAnnotations"][0]["valueExpression"] == (
        "string(object.spec.template.spec.replicas)"
    )
    assert spec["validationActions"] == ["Audit"]


def test_the_controller_kinds_kyverno_judges_in_its_own_tests() -> None:
    # Every controller a Kyverno test expects a verdict for is matched by the policy
    # itself or by one of its generated policies.
    resources = {"CronJob": "cronjobs", "DaemonSet": "daemonsets", "Deployment": "deployments"}
    resources |= {"Job": "jobs", "ReplicaSet": "replicasets", "StatefulSet": "statefulsets"}
    checked = 0
    for case in cases():
        policies = {d["metadata"]["name"]: d for p in case.policies for d in documents(p)}
        for expected in case.expected:
            if expected.kind not in resources or expected.result == "skip":
                continue
            data = policies[expected.policy]
            rules = data["spec"]["matchConstraints"]["resourceRules"]
            own = any(resources[expected.kind] in r.get("resources", []) for r in rules)
            generated = {t["kind"] for g in autogen(data) for t in g["targets"]}
            assert own or expected.kind in generated, (case.folder, expected)
            checked += 1
    assert checked > 300


def test_policies_with_autogen_switched_off_in_the_library() -> None:
    for case in cases():
        for path in case.policies:
            for data in documents(path):
                controllers = data["spec"].get("autogen", {}).get("podControllers", {})
                if controllers.get("controllers") == []:
                    assert autogen(data) == [], case.folder


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("resource.Get('v1', 'configmaps', 'default', 'x').data", {"resource.Get"}),
        ("resource.List('apps/v1', 'deployments', '').items", {"resource.List"}),
        ('resource.Post("authorization.k8s.io/v1", "subjectaccessreviews", {})', {"resource.Post"}),
        ("http.Get('https://example.com').status == 'ok'", {"http.Get"}),
        ("http.Client(variables.ca).Post('u', {})", {"http.Client"}),
        ("globalContext.Get('deployments', '')", {"globalContext.Get"}),
        ("image.GetMetadata(c.image).config.created", {"image.GetMetadata"}),
        ("imagedata.Get(c.image)", {"imagedata.Get"}),
        ("x509.decode(object.spec.request)", {"x509.decode"}),
        ("globalContext . Get('a', 'b') + resource.Get(1)", {"globalContext.Get", "resource.Get"}),
        # fields named like a library, text in strings, and pure functions do not count
        ("c.image.startsWith('registry/') && rule.http.paths.size() > 0", set()),
        ("object.resource.Get()", set()),
        ("x.? resource.Get()", set()),
        ("'resource.Get(' + \"http.Get(\" + r'''image.GetMetadata('''", set()),
        ("image(c.image).registry() == 'docker.io'", set()),
        ("math.round(1.25, 1) == 1.3 && json.unmarshal('{}') == {}", set()),
        ("object.spec.containers.all(c, c.image != '')", set()),
    ],
)
def test_kyverno_only_functions(expression: str, expected: set[str]) -> None:
    assert kyverno_only_functions(expression) == expected


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_the_library_tests_that_need_cluster_data_are_those_calling_such_functions() -> None:
    # Kyverno's tests give a `context` file (stand-ins for look-ups) exactly to the
    # policies that call resource.Get, image.GetMetadata and the like.
    for case in cases():
        texts = [t for p in case.policies for d in documents(p) for t in _texts(d["spec"])]
        calls = set().union(*(kyverno_only_functions(t) for t in texts))
        assert bool(calls) == (case.context is not None), (case.folder, calls)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(spec=_JSON, autogen_config=_JSON)
def test_autogen_never_raises(spec: Any, autogen_config: Any) -> None:
    data = policy(autogen_config=autogen_config)
    data["spec"]["validations"] = spec
    for generated in autogen(data):
        assert generated["config"] in ("cronjobs", "defaults")
    assert isinstance(autogen({**data, "spec": spec}), list)


_FIELD = st.from_regex(r"[a-z][A-Za-z]{0,8}", fullmatch=True)


@given(
    path=st.lists(_FIELD, min_size=1, max_size=4), config=st.sampled_from(["defaults", "cronjobs"])
)
def test_a_spec_field_moves_under_the_template_of_the_shape(path: list[str], config: str) -> None:
    template = "spec.jobTemplate.spec.template" if config == "cronjobs" else "spec.template"
    field = ".".join(path)
    assert rewrite_expression(f"object.spec.{field}", config) == f"object.{template}.spec.{field}"


@given(text=st.text(alphabet=st.characters(blacklist_characters="bO"), max_size=40))
def test_text_without_object_is_unchanged(text: str) -> None:
    # without the letters b and O neither "object" nor "oldObject" can appear
    assert rewrite_expression(text, "defaults") == text
