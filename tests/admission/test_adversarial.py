"""The admission-policy check attacked as a careless or hostile user would, and read against
the Kubernetes documentation of ValidatingAdmissionPolicy.

Each test asserts what kubelint should do, per the Kubernetes API reference or kubelint's
own promises (no crash, no leaked credential, never a silent pass).

References used for the expected values:
- https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
- https://kubernetes.io/docs/reference/kubernetes-api/policy-resources/validating-admission-policy-v1/
- https://kubernetes.io/docs/reference/kubernetes-api/definitions/param-ref-v1-admissionregistration/
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.model import Report
from tests.conftest import lint_text, run_process

CHECK = "admission-policy"

RULES = """\
  matchConstraints:
    resourceRules:
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
"""
DENY_ALL = "  validations: [{expression: 'false', message: denied by policy}]\n"
BIND = "  policyName: p\n  validationActions: [Deny]\n"
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 8
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""


def policy(spec: str, binding: str = BIND, objects: str = DEPLOYMENT, api: str = "v1") -> str:
    """A ValidatingAdmissionPolicy 'p' with ``spec``, a binding 'b' with ``binding``, and
    ``objects`` after them."""
    group = f"admissionregistration.k8s.io/{api}"
    return (
        f"apiVersion: {group}\nkind: ValidatingAdmissionPolicy\nmetadata: {{name: p}}\n"
        f"spec:\n{spec.rstrip()}\n---\n"
        f"apiVersion: {group}\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {{name: b}}\n"
        f"spec:\n{binding.rstrip()}\n---\n{objects}"
    )


def judge(tmp_path: Path, text: str, **config: object) -> Report:
    report = lint_text(tmp_path, text, select=[CHECK], **config)
    assert not report.internal_errors
    return report


def messages(report: Report) -> list[tuple[str, str]]:
    return [(r.severity, r.message) for r in report.results]


def notices(report: Report) -> list[str]:
    return [n.message for n in report.notices]


# ---------------------------------------------------------------------------------------
# Malformed policies and bindings: a notice or nothing, never a crash


@pytest.mark.parametrize(
    ("spec", "binding"),
    [
        (RULES + "    matchPolicy: [Exact]\n" + DENY_ALL, BIND),
        (RULES + "    matchPolicy: {a: b}\n" + DENY_ALL, BIND),
        (RULES.replace("deployments]}", "deployments], scope: [Namespaced]}") + DENY_ALL, BIND),
        (
            RULES + "    excludeResourceRules: [{apiGroups: [x], apiVersions: [v1], "
            "operations: [CREATE], resources: [y], scope: {}}]\n" + DENY_ALL,
            BIND,
        ),
        (RULES + DENY_ALL, BIND + "  matchResources: {matchPolicy: []}\n"),
    ],
)
def test_a_non_string_match_policy_or_scope_is_a_notice_not_a_crash(
    tmp_path: Path, spec: str, binding: str
) -> None:
    report = judge(tmp_path, policy(spec, binding))
    assert report.results == []
    assert any("rejects" in n for n in notices(report))


def test_a_malformed_policy_does_not_stop_the_other_checks(tmp_path: Path) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(policy(RULES + "    matchPolicy: [Exact]\n" + DENY_ALL), encoding="utf-8")
    done = run_process([str(path), "--format", "json"])
    assert done.returncode == 1, done.stderr
    checks = {f["check"] for f in json.loads(done.stdout)["findings"]}
    assert "missing-security-context" in checks


@pytest.mark.parametrize(
    ("spec", "binding", "notice"),
    [
        ("  {}", BIND, "spec.matchConstraints is required"),
        ("  matchConstraints: [1]\n" + DENY_ALL, BIND, "is not a mapping"),
        (
            "  matchConstraints: {resourceRules: null}\n" + DENY_ALL,
            BIND,
            "resourceRules is required",
        ),
        (
            "  matchConstraints: {resourceRules: [{apiGroups: apps, apiVersions: [v1], "
            "operations: [CREATE], resources: [deployments]}]}\n" + DENY_ALL,
            BIND,
            "apiGroups is not a list",
        ),
        (
            RULES
            + "    namespaceSelector: {matchExpressions: [{key: a, operator: Foo}]}\n"
            + DENY_ALL,
            BIND,
            "operator is not one of",
        ),
        (
            RULES
            + "    namespaceSelector: {matchExpressions: [{key: a, operator: In}]}\n"
            + DENY_ALL,
            BIND,
            "must not be empty for In",
        ),
        (
            RULES + DENY_ALL,
            "  policyName: p\n  validationActions: Deny\n",
            "validationActions must",
        ),
        (
            RULES + DENY_ALL,
            "  policyName: p\n  validationActions: []\n",
            "validationActions must",
        ),
        (RULES + DENY_ALL, "  policyName: p\n", "validationActions must"),
        (RULES + DENY_ALL, BIND + "  matchResources: [1]\n", "rejects the binding"),
        (
            "  paramKind: {apiVersion: v1, kind: ConfigMap}\n" + RULES + DENY_ALL,
            BIND + "  paramRef: {selector: {matchExpressions: [{key: a, operator: Bad}]}}\n",
            "paramRef.selector",
        ),
        (
            "  paramKind: {apiVersion: v1, kind: ConfigMap}\n" + RULES + DENY_ALL,
            BIND + "  paramRef: name-only\n",
            "no paramRef",
        ),
    ],
)
def test_what_the_api_server_refuses_is_named_in_a_notice(
    tmp_path: Path, spec: str, binding: str, notice: str
) -> None:
    report = judge(tmp_path, policy(spec, binding))
    assert report.results == []
    assert any(notice in n for n in notices(report)), notices(report)


@pytest.mark.parametrize(
    ("spec", "binding"),
    [
        # validations must be a list of objects with a string expression
        (RULES + "  validations: {expression: 'false'}\n", BIND),
        (RULES + "  validations: ['false']\n", BIND),
        # variables and matchConditions likewise
        (RULES + "  variables: {a: b}\n" + DENY_ALL, BIND),
        (RULES + "  matchConditions: 'false'\n" + DENY_ALL, BIND),
        # failurePolicy: Ignore or Fail only
        ("  failurePolicy: Sometimes\n" + RULES + DENY_ALL, BIND),
        # paramKind must be a mapping with apiVersion and kind
        ("  paramKind: ConfigMap\n" + RULES + DENY_ALL, BIND),
        # validationActions: a set of Deny, Warn, Audit; no duplicates; not Deny with Warn
        (RULES + DENY_ALL, "  policyName: p\n  validationActions: [Foo, Deny]\n"),
        (RULES + DENY_ALL, "  policyName: p\n  validationActions: [Deny, Deny]\n"),
        (RULES + DENY_ALL, "  policyName: p\n  validationActions: [Deny, Warn]\n"),
    ],
)
def test_a_malformed_field_is_never_a_silent_partial_evaluation(
    tmp_path: Path, spec: str, binding: str
) -> None:
    report = judge(tmp_path, policy(spec, binding))
    assert report.results == []
    assert any("rejects" in n or "refuses" in n for n in notices(report)), notices(report)


def test_a_non_string_expression_is_not_called_empty(tmp_path: Path) -> None:
    # The API server refuses a policy whose expression is a YAML bool: say that, precisely.
    report = judge(tmp_path, policy(RULES + "  validations: [{expression: false}]\n"))
    assert report.results == []
    assert any(
        "validations[0].expression must be a non-empty string (a bool" in n for n in notices(report)
    ), notices(report)


def _junk() -> st.SearchStrategy[object]:
    # Letters, digits, punctuation, symbols and spaces of any script: YAML takes them raw.
    text = st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=8)
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text)
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
        max_leaves=6,
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(
        ["validations", "variables", "matchConditions", "failurePolicy", "paramKind"]
    ),
    junk=_junk(),
)
def test_junk_in_the_expression_fields_never_crashes(
    tmp_path: Path, field: str, junk: object
) -> None:
    spec = f"{RULES}  {field}: {json.dumps(junk, ensure_ascii=False)}\n"
    if field != "validations":
        spec += DENY_ALL
    report = lint_text(tmp_path, policy(spec), select=[CHECK])
    assert not report.errors  # the junk was read as written
    assert not report.internal_errors


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=_junk())
def test_a_failing_validation_gives_a_finding_or_a_notice_whatever_the_actions(
    tmp_path: Path, actions: object
) -> None:
    # Invariant: a policy that denies everything never passes silently; a binding whose
    # actions are unusable is named in a notice.
    binding = f"  policyName: p\n  validationActions: {json.dumps(actions, ensure_ascii=False)}\n"
    report = lint_text(tmp_path, policy(RULES + DENY_ALL, binding), select=[CHECK])
    assert not report.errors and not report.internal_errors
    assert bool(report.results) != bool(report.notices)


# ---------------------------------------------------------------------------------------
# Semantics against the Kubernetes API reference


def test_missing_params_with_deny_follow_the_failure_policy_ignore(tmp_path: Path) -> None:
    spec = (
        "  failurePolicy: Ignore\n  paramKind: {apiVersion: v1, kind: ConfigMap}\n"
        + RULES
        + "  validations: [{expression: 'true'}]\n"
    )
    binding = BIND + "  paramRef: {name: limits, parameterNotFoundAction: Deny}\n"
    assert judge(tmp_path, policy(spec, binding)).results == []


def test_missing_params_with_deny_and_failure_policy_fail_deny(tmp_path: Path) -> None:
    spec = "  paramKind: {apiVersion: v1, kind: ConfigMap}\n" + RULES
    spec += "  validations: [{expression: 'true'}]\n"
    binding = BIND + "  paramRef: {name: limits, parameterNotFoundAction: Deny}\n"
    found = messages(judge(tmp_path, policy(spec, binding)))
    assert len(found) == 1 and found[0][0] == "error"


def test_a_false_match_condition_wins_over_an_erroring_one(tmp_path: Path) -> None:
    spec = RULES + (
        "  matchConditions:\n"
        "    - {name: errors, expression: 'object.spec.nosuchfield == 1'}\n"
        "    - {name: excludes, expression: 'false'}\n"
    )
    assert judge(tmp_path, policy(spec + DENY_ALL)).results == []


@pytest.mark.parametrize(
    ("failure_policy", "denied"),
    [("Fail", True), ("Ignore", False), (None, True)],  # Fail is the default
)
def test_a_match_condition_error_follows_the_failure_policy(
    tmp_path: Path, failure_policy: str | None, denied: bool
) -> None:
    head = f"  failurePolicy: {failure_policy}\n" if failure_policy else ""
    spec = head + RULES + "  matchConditions: [{name: m, expression: 'object.spec.nope'}]\n"
    found = judge(tmp_path, policy(spec + DENY_ALL)).results
    assert bool(found) is denied
    assert all("failurePolicy Fail denies" in r.message for r in found)


@pytest.mark.parametrize(
    ("validation", "message"),
    [
        # messageExpression wins when it gives a usable string
        (
            "{expression: 'false', messageExpression: \"'from expression'\", message: lit}",
            "from expression",
        ),
        # an error, a non-string, an empty string or one with a line break: message instead
        ("{expression: 'false', messageExpression: 'object.nope', message: lit}", "lit"),
        ("{expression: 'false', messageExpression: '42', message: lit}", "lit"),
        ("{expression: 'false', messageExpression: \"'  '\", message: lit}", "lit"),
        ("{expression: 'false', messageExpression: \"'a\\\\nb'\", message: lit}", "lit"),
        # neither: the expression is quoted
        ("{expression: 'object.spec.replicas < 3'}", "failed expression: object.spec.replicas < 3"),
    ],
)
def test_the_message_falls_back_as_the_api_server_does(
    tmp_path: Path, validation: str, message: str
) -> None:
    report = judge(tmp_path, policy(RULES + f"  validations: [{validation}]\n"))
    assert messages(report) == [
        ("error", f"denied by ValidatingAdmissionPolicy 'p' (binding 'b'): {message}")
    ]


def test_an_oversized_message_expression_falls_back_to_message(tmp_path: Path) -> None:
    grow = (
        "['"
        + "x" * 64
        + "']"
        + "".join(f".map({v}, [{','.join([v] * 4)}].join(''))" for v in "abcd")
    )  # 16 KiB: over the 5 KiB the API server keeps (4 KiB would be kept)
    validation = f'{{expression: "false", messageExpression: "{grow}[0]", message: short}}'
    report = judge(tmp_path, policy(RULES + f"  validations: [{validation}]\n"))
    assert [m for _, m in messages(report)] == [
        "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): short"
    ]


def test_an_object_without_namespace_is_judged_in_the_namespace_it_lands_in(
    tmp_path: Path,
) -> None:
    spec = (
        "  failurePolicy: Ignore\n"
        + RULES
        + (
            "  validations: [{expression: \"object.metadata.namespace != 'default'\", "
            "message: no workloads in default}]\n"
        )
    )
    objects = DEPLOYMENT.replace(", namespace: shop", "")
    report = judge(tmp_path, policy(spec, objects=objects))
    assert [m for _, m in messages(report)] == [
        "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): no workloads in default"
    ]


def test_request_namespace_and_namespace_object_use_the_default_namespace(tmp_path: Path) -> None:
    spec = RULES + (
        "  validations: [{expression: 'false', messageExpression: "
        "\"request.namespace + '/' + namespaceObject.metadata.name\"}]\n"
    )
    objects = DEPLOYMENT.replace(", namespace: shop", "")
    report = judge(tmp_path, policy(spec, objects=objects), namespace="team-a")
    assert [m for _, m in messages(report)] == [
        "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): team-a/team-a"
    ]


def test_variables_may_use_earlier_variables(tmp_path: Path) -> None:
    spec = RULES + (
        "  variables:\n"
        "    - {name: replicas, expression: 'object.spec.replicas'}\n"
        "    - {name: doubled, expression: 'variables.replicas * 2'}\n"
        "  validations: [{expression: 'variables.doubled < 10', "
        "messageExpression: \"'doubled is ' + string(variables.doubled)\"}]\n"
    )
    assert [m for _, m in messages(judge(tmp_path, policy(spec)))] == [
        "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): doubled is 16"
    ]


def test_a_failing_variable_that_no_validation_uses_changes_nothing(tmp_path: Path) -> None:
    spec = RULES + "  variables: [{name: v, expression: 'object.nope'}]\n"
    spec += "  validations: [{expression: 'true'}]\n"
    assert judge(tmp_path, policy(spec)).results == []


@pytest.mark.parametrize(
    ("actions", "severities"),
    [
        ("[Deny]", ["error"]),
        ("[Warn]", ["warning"]),
        ("[Audit]", ["info"]),
        ("[Warn, Audit]", ["warning"]),
        ("[Deny, Audit]", ["error"]),
    ],
)
def test_validation_actions_give_the_severity(
    tmp_path: Path, actions: str, severities: list[str]
) -> None:
    binding = f"  policyName: p\n  validationActions: {actions}\n"
    report = judge(tmp_path, policy(RULES + DENY_ALL, binding))
    assert [s for s, _ in messages(report)] == severities


def test_each_binding_of_one_policy_reports_with_its_own_action(tmp_path: Path) -> None:
    text = policy(RULES + DENY_ALL) + (
        "---\napiVersion: admissionregistration.k8s.io/v1\n"
        "kind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b2}\n"
        "spec: {policyName: p, validationActions: [Warn]}\n"
    )
    assert sorted(messages(judge(tmp_path, text))) == [
        ("error", "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): denied by policy"),
        ("warning", "denied by ValidatingAdmissionPolicy 'p' (binding 'b2'): denied by policy"),
    ]


@pytest.mark.parametrize(
    ("match", "denied"),
    [
        # A namespace the tree does not declare has only its name label.
        ("    namespaceSelector: {matchLabels: {env: prod}}\n", False),
        (
            "    namespaceSelector: {matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}\n",
            True,
        ),
        ("    namespaceSelector: {matchExpressions: [{key: env, operator: DoesNotExist}]}\n", True),
        ("    namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}\n", True),
        ("    objectSelector: {matchLabels: {app: web}}\n", True),
        ("    objectSelector: {matchLabels: {app: api}}\n", False),
        (
            "    excludeResourceRules: [{apiGroups: ['*'], apiVersions: ['*'], "
            "operations: ['*'], resources: ['*'], resourceNames: [web]}]\n",
            False,
        ),
    ],
)
def test_match_constraints_select_as_the_api_server_does(
    tmp_path: Path, match: str, denied: bool
) -> None:
    assert bool(judge(tmp_path, policy(RULES + match + DENY_ALL)).results) is denied


@pytest.mark.parametrize(
    ("rule", "denied"),
    [
        ("operations: [UPDATE], resources: [deployments]", False),  # a CREATE is judged
        ("operations: [DELETE], resources: [deployments]", False),
        ("operations: ['*'], resources: [deployments]", True),
        ("operations: [CREATE], resources: [deployments/scale]", False),  # subresource only
        ("operations: [CREATE], resources: ['deployments/*']", True),
        ("operations: [CREATE], resources: [deployments], resourceNames: [other]", False),
        ("operations: [CREATE], resources: [deployments], scope: Cluster", False),
    ],
)
def test_resource_rules_select_a_create_of_the_manifest(
    tmp_path: Path, rule: str, denied: bool
) -> None:
    spec = (
        "  matchConstraints:\n    resourceRules:\n"
        f"      - {{apiGroups: [apps], apiVersions: [v1], {rule}}}\n" + DENY_ALL
    )
    assert bool(judge(tmp_path, policy(spec)).results) is denied


def test_a_binding_narrows_but_never_widens_the_policy(tmp_path: Path) -> None:
    narrow = BIND + (
        "  matchResources: {namespaceSelector: "
        "{matchLabels: {kubernetes.io/metadata.name: other}}}\n"
    )
    widen = BIND + (
        "  matchResources: {resourceRules: [{apiGroups: [''], apiVersions: [v1], "
        "operations: [CREATE], resources: [configmaps]}]}\n"
    )
    configmap = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n"
    assert judge(tmp_path, policy(RULES + DENY_ALL, narrow)).results == []
    assert judge(tmp_path, policy(RULES + DENY_ALL, widen, DEPLOYMENT + configmap)).results == []


def test_admission_configuration_is_exempt_from_a_policy_on_everything(tmp_path: Path) -> None:
    spec = (
        "  matchConstraints:\n    resourceRules:\n"
        "      - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}\n"
        + DENY_ALL
    )
    report = judge(tmp_path, policy(spec))
    assert [r.obj.get("kind") for r in report.results] == ["Deployment"]


@pytest.mark.parametrize("api", ["v1", "v1beta1"])
def test_policies_of_each_served_version_are_evaluated(tmp_path: Path, api: str) -> None:
    assert len(judge(tmp_path, policy(RULES + DENY_ALL, api=api)).results) == 1


def test_a_duplicate_policy_name_is_not_silently_the_first(tmp_path: Path) -> None:
    text = policy(RULES + "  validations: [{expression: 'true'}]\n") + (
        "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\n"
        f"metadata: {{name: p}}\nspec:\n{RULES}{DENY_ALL}"
    )
    report = judge(tmp_path, text)
    assert report.results or any("'p'" in n for n in notices(report))


# ---------------------------------------------------------------------------------------
# Runaway expressions


def test_a_runaway_comprehension_ends_as_an_error_not_a_hang(tmp_path: Path) -> None:
    # 10^6 iterations: far past the API server's per-call cost limit too.
    ten = "[1,2,3,4,5,6,7,8,9,10]"
    body = "a+b+c+d+e+f > 0"
    for var in reversed("abcdef"):
        body = f"{ten}.all({var}, {body})"
    report = judge(tmp_path, policy(RULES + f"  validations: [{{expression: '{body}'}}]\n"))
    assert [s for s, _ in messages(report)] == ["error"]
    assert "failurePolicy Fail denies" in report.results[0].message


# ---------------------------------------------------------------------------------------
# Secrets in messages

SECRET_POLICY = """\
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: leak}
spec:
  matchConstraints:
    resourceRules:
      - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [secrets]}
      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  validations:
    - expression: "request.resource.resource != 'secrets'"
      messageExpression: "'stored ' + object.data.password + ' is ' + string(base64.decode(object.data.password))"
    - expression: "request.resource.resource != 'deployments'"
      messageExpression: "'env ' + object.spec.template.spec.containers[0].env[0].value"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: leak}
spec: {policyName: leak, validationActions: [Deny]}
---
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: shop}
data:
  password: Q29ycmVjdEhvcnNlQmF0dGVyeVN0YXBsZTk5
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env: [{name: DB_PASSWORD, value: "S3cr3t-Hunter2-Pass"}]
"""
#: The Secret's value as stored, decoded (base64 of the first), and an env var's value.
LEAKS = (
    "Q29ycmVjdEhvcnNlQmF0dGVyeVN0YXBsZTk5",
    "CorrectHorseBatteryStaple99",
    "S3cr3t-Hunter2-Pass",
)


@pytest.mark.parametrize("report_format", ["text", "json", "sarif"])
def test_secret_values_never_reach_a_report_through_a_message(
    tmp_path: Path, report_format: str
) -> None:
    path = tmp_path / "all.yaml"
    path.write_text(SECRET_POLICY, encoding="utf-8")
    done = run_process([str(path), "--select", CHECK, "--format", report_format])
    assert done.returncode == 1  # both objects are still denied
    assert not [leak for leak in LEAKS if leak in done.stdout]


@pytest.mark.parametrize(
    "expression",
    [
        "ip(object.stringData.password).family() == 4",
        "cidr(object.stringData.password).prefixLength() > 1",
        "{'a': 1}[object.stringData.password] == 1",
    ],
)
def test_secret_values_never_reach_a_report_through_an_error(
    tmp_path: Path, expression: str
) -> None:
    spec = (
        "  matchConstraints:\n    resourceRules:\n"
        "      - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [secrets]}\n"
        f'  validations: [{{expression: "{expression}"}}]\n'
    )
    secret = (
        "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: shop}\n"
        "stringData: {password: CorrectHorseBatteryStaple99}\n"
    )
    report = judge(tmp_path, policy(spec, objects=secret))
    assert report.results  # denied (failurePolicy Fail)
    assert all("CorrectHorseBatteryStaple99" not in r.message for r in report.results)


def test_well_known_token_shapes_in_a_message_are_redacted(tmp_path: Path) -> None:
    spec = RULES + (
        "  validations: [{expression: 'false', "
        "messageExpression: \"'token ' + object.metadata.annotations.t\"}]\n"
    )
    token = "ghp_0123456789abcdefghijABCDEFGHIJ012345"
    objects = DEPLOYMENT.replace(
        "labels: {app: web}}", f"labels: {{app: web}}, annotations: {{t: {token}}}}}", 1
    )
    report = judge(tmp_path, policy(spec, objects=objects))
    assert len(report.results) == 1
    assert token not in report.results[0].message and "<redacted>" in report.results[0].message


@pytest.mark.parametrize("report_format", ["text", "github"])
def test_control_characters_of_a_message_are_escaped(tmp_path: Path, report_format: str) -> None:
    spec = RULES + '  validations: [{expression: "false", message: "a \\e[2J\\e]0;x\\a \\r b"}]\n'
    path = tmp_path / "all.yaml"
    path.write_text(policy(spec), encoding="utf-8")
    done = run_process([str(path), "--select", CHECK, "--format", report_format])
    assert done.returncode == 1
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "\r" not in done.stdout


# ---------------------------------------------------------------------------------------
# How it is run: Helm on standard input, folders of samples, the pre-commit hook


def test_helm_output_on_stdin_is_judged_with_its_policies(tmp_path: Path) -> None:
    stream = (
        "---\n# Source: chart/templates/policy.yaml\n"
        + policy(RULES + DENY_ALL, objects="").rstrip("-\n")
        + "\n---\n# Source: chart/templates/deployment.yaml\n"
        + DEPLOYMENT
    )
    done = run_process(["-", "--select", CHECK, "--format", "json"], stdin=stream.encode())
    assert done.returncode == 1
    found = json.loads(done.stdout)["findings"]
    assert [(f["file"], f["message"]) for f in found] == [
        (
            "chart/templates/deployment.yaml",
            "denied by ValidatingAdmissionPolicy 'p' (binding 'b'): denied by policy",
        )
    ]


def test_a_policy_author_lints_a_folder_of_policies_and_samples(tmp_path: Path) -> None:
    (tmp_path / "policies").mkdir()
    (tmp_path / "samples").mkdir()
    (tmp_path / "policies" / "p.yaml").write_text(policy(RULES + DENY_ALL, objects=""))
    (tmp_path / "samples" / "web.yaml").write_text(DEPLOYMENT)
    done = run_process(["--select", CHECK, "policies", "samples"], cwd=tmp_path)
    assert done.returncode == 1
    assert "samples/web.yaml:2:" in done.stdout and "denied by policy" in done.stdout


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _repository(tmp_path: Path, files: dict[str, str]) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "dev@example.com")
    _git(repo, "config", "user.name", "dev")
    _git(repo, "config", "commit.gpgsign", "false")
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "init")
    return repo


LIMIT = (
    "  matchConstraints:\n    resourceRules:\n"
    "      - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}\n"
    "  validations: [{expression: 'object.spec.replicas <= 2', message: at most 2 replicas}]\n"
)
HOOK = ["--skip-non-manifests", "--staged", "--select", CHECK]


def test_the_hook_judges_with_the_committed_policy_paths(tmp_path: Path) -> None:
    repo = _repository(
        tmp_path,
        {
            ".kubelint.yaml": "policy-paths:\n  - platform\n",
            "platform/policy.yaml": policy(LIMIT, objects=""),
        },
    )
    policy_file = repo / "platform" / "policy.yaml"
    policy_file.write_text(policy_file.read_text().replace("<= 2", "<= 20"))  # not staged
    (repo / "apps").mkdir()
    (repo / "apps" / "web.yaml").write_text(DEPLOYMENT)
    _git(repo, "add", "apps/web.yaml")
    done = run_process([*HOOK, "apps/web.yaml"], cwd=repo)
    assert done.returncode == 1 and "at most 2 replicas" in done.stdout


def test_the_hook_judges_with_the_staged_policy_of_the_tree(tmp_path: Path) -> None:
    # Without policy-paths the index is the context: the unstaged edit does not count.
    repo = _repository(tmp_path, {"platform/policy.yaml": policy(LIMIT, objects="")})
    policy_file = repo / "platform" / "policy.yaml"
    policy_file.write_text(policy_file.read_text().replace("<= 2", "<= 20"))
    (repo / "apps").mkdir()
    (repo / "apps" / "web.yaml").write_text(DEPLOYMENT)
    _git(repo, "add", "apps/web.yaml")
    done = run_process([*HOOK, "apps/web.yaml"], cwd=repo)
    assert done.returncode == 1 and "at most 2 replicas" in done.stdout


def test_the_hook_rejudges_manifests_when_only_the_policy_changes(tmp_path: Path) -> None:
    loose = policy(LIMIT.replace("<= 2", "<= 20"), objects="")
    repo = _repository(tmp_path, {"platform/policy.yaml": loose, "apps/web.yaml": DEPLOYMENT})
    (repo / "platform" / "policy.yaml").write_text(loose.replace("<= 20", "<= 2"))
    _git(repo, "add", "platform/policy.yaml")
    done = run_process([*HOOK, "platform/policy.yaml"], cwd=repo)
    assert done.returncode == 1 and "at most 2 replicas" in done.stdout


# ---------------------------------------------------------------------------------------
# Kyverno ValidatingPolicy

KYVERNO = "apiVersion: policies.kyverno.io/v1\nkind: ValidatingPolicy\nmetadata: {{name: kp}}\nspec:\n{spec}---\n"


def test_a_kyverno_policy_with_admission_disabled_denies_nothing(tmp_path: Path) -> None:
    spec = "  evaluation: {admission: {enabled: false}}\n" + RULES + DENY_ALL
    report = judge(tmp_path, KYVERNO.format(spec=spec) + DEPLOYMENT)
    assert [s for s, _ in messages(report)] in ([], ["info"])


def test_a_kyverno_policy_for_envoy_is_not_reported_as_rejected(tmp_path: Path) -> None:
    spec = "  evaluation: {mode: Envoy}\n" + DENY_ALL
    report = judge(tmp_path, KYVERNO.format(spec=spec) + DEPLOYMENT)
    assert report.results == [] and notices(report) == []
