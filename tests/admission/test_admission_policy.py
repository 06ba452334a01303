"""The repository's ValidatingAdmissionPolicies evaluated offline (check admission-policy)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import lint_paths, run_process

REPO = Path(__file__).parent / "repo"


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO, target)
    return target


def _found(folder: Path) -> list[tuple[str, str, int, str]]:
    report = lint_paths([folder], ["admission-policy"])
    assert not report.errors and not report.internal_errors
    return [
        (Path(r.location.file).name, r.severity, r.location.line, r.message) for r in report.results
    ]


def test_a_denied_deployment_gets_one_error_at_its_line_naming_policy_and_message() -> None:
    # web in shop (production) has 8 replicas: denied. api in shop has 3: admitted. web in
    # staging has 12, but the namespaceSelector leaves staging out.
    assert _found(REPO) == [
        (
            "deployments.yaml",
            "error",
            7,
            "denied by ValidatingAdmissionPolicy 'replica-limit' (binding "
            "'replica-limit-production'): at most 5 replicas in production",
        )
    ]


def test_a_warn_binding_gives_a_warning(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    policy = repo / "policy.yaml"
    policy.write_text(
        policy.read_text().replace("validationActions: [Deny]", "validationActions: [Warn]")
    )
    assert [(name, severity) for name, severity, _, _ in _found(repo)] == [
        ("deployments.yaml", "warning")
    ]


def test_a_policy_without_binding_does_nothing(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    policy = repo / "policy.yaml"
    documents = policy.read_text().split("\n---\n")
    policy.write_text(
        "\n---\n".join(d for d in documents if "kind: ValidatingAdmissionPolicyBinding" not in d)
    )
    assert _found(repo) == []


def test_missing_params_with_deny_deny_every_matched_object(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    policy = repo / "policy.yaml"
    policy.write_text(
        policy.read_text().replace(
            "name: replica-limit\n  namespace: platform\ndata",
            "name: other\n  namespace: platform\ndata",
        )
    )
    found = _found(repo)
    assert [(n, line) for n, _, line, _ in found] == [
        ("deployments.yaml", 2),  # at the kind: line (the expression reads no field)
        ("deployments.yaml", 19),
    ]
    assert all("parameterNotFoundAction is Deny" in message for *_, message in found)


@pytest.mark.parametrize(("failure_policy", "denied"), [("Fail", True), ("Ignore", False)])
def test_an_evaluation_error_follows_the_failure_policy(
    tmp_path: Path, failure_policy: str, denied: bool
) -> None:
    repo = _copy(tmp_path)
    policy = repo / "policy.yaml"
    text = policy.read_text().replace("failurePolicy: Fail", f"failurePolicy: {failure_policy}")
    policy.write_text(text.replace('maxReplicas: "5"', 'maxReplicas: "five"'))
    found = _found(repo)
    assert bool(found) is denied
    if denied:
        assert all("failurePolicy Fail denies the request" in m for *_, m in found)
        assert len(found) == 2  # both Deployments in production


def test_an_authorizer_check_is_a_notice_never_a_silent_pass(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    policy = repo / "policy.yaml"
    policy.write_text(
        policy.read_text().replace(
            "    - expression: object.spec.replicas <= variables.limit",
            "    - expression: authorizer.group('apps').resource('deployments').check('scale').allowed()",
        )
    )
    report = lint_paths([repo], ["admission-policy"])
    assert report.results == []
    assert any("cannot be evaluated offline" in n.message for n in report.notices)


def test_the_cli_reports_the_denial_and_fails(tmp_path: Path) -> None:
    repo = _copy(tmp_path)
    result = run_process([".", "--select", "admission-policy"], cwd=repo)
    assert result.returncode == 1
    assert (
        "deployments.yaml:7:" in result.stdout
        and "at most 5 replicas in production" in result.stdout
    )


@pytest.mark.parametrize(
    ("expression", "path"),
    [
        ("object.spec.replicas <= 5", ("spec", "replicas")),
        (
            "object.spec.template.spec.containers.all(c, has(c.image))",
            ("spec", "template", "spec", "containers"),
        ),
        ("'team' in object.metadata.?labels.orValue({})", ("metadata", "labels")),
        ("object.spec.containers[0].image != ''", ("spec", "containers", 0, "image")),
        ("size(object.spec.rules) > 0", ("spec", "rules")),
        ("namespaceObject.metadata.name == 'x'", ("kind",)),
        ("params.data.x == object.data.y", ("data", "y")),
        ("object.all(k, k != 'x')", ("kind",)),
    ],
)
def test_a_finding_points_at_the_field_the_expression_reads(
    expression: str, path: tuple[object, ...]
) -> None:
    from kubelint.checks.admission.evaluate import expression_path

    assert expression_path(expression) == path


CRD_PARAMS = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: limits.example.com
spec:
  group: example.com
  scope: {scope}
  names: {{plural: limits, singular: limit, kind: Limit}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          x-kubernetes-preserve-unknown-fields: true
---
apiVersion: example.com/v1
kind: Limit
metadata:
  name: replicas
{namespace_line}spec:
  max: 2
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: max-replicas
spec:
  paramKind: {{apiVersion: example.com/v1, kind: Limit}}
  matchConstraints:
    resourceRules:
      - {{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}}
  validations:
    - expression: object.spec.replicas <= params.spec.max
      message: too many replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: max-replicas
spec:
  policyName: max-replicas
  validationActions: [Deny]
  paramRef: {{name: replicas, parameterNotFoundAction: Deny}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: "nginx:1.27"}}]
"""


@pytest.mark.parametrize(
    ("scope", "namespace_line", "message"),
    [
        # A cluster-scoped param kind (its CRD says so): found wherever the object is.
        ("Cluster", "", "too many replicas"),
        # A namespaced one is looked up in the object's namespace...
        ("Namespaced", "  namespace: shop\n", "too many replicas"),
        # ... and not found in another.
        ("Namespaced", "  namespace: other\n", "parameterNotFoundAction is Deny"),
    ],
)
def test_params_of_a_custom_kind_follow_its_crd_scope(
    tmp_path: Path, scope: str, namespace_line: str, message: str
) -> None:
    from tests.conftest import lint_text

    text = CRD_PARAMS.format(scope=scope, namespace_line=namespace_line)
    report = lint_text(tmp_path, text, select=["admission-policy"])
    assert len(report.results) == 1 and message in report.results[0].message


def test_without_the_cel_engine_the_policies_are_named_not_passed(tmp_path: Path) -> None:
    # Where no wheel exists (Python 3.10), kubelint installs without the engine: the first
    # policy says so instead of every manifest passing.
    fake = tmp_path / "site" / "cel_expr_python"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no wheel for this platform')\n")
    repo = _copy(tmp_path)
    result = run_process(
        [".", "--select", "admission-policy"], cwd=repo, env={"PYTHONPATH": str(fake.parent)}
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "admission policies not evaluated: the CEL engine (cel-expr-python) is not installed"
        in (result.stdout + result.stderr)
    )
    assert "Traceback" not in result.stdout + result.stderr
