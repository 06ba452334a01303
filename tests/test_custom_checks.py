"""Custom checks written in CEL under ``checks.custom`` of ``.kubelint.yaml``.

The expected verdicts come from CEL's definition (github.com/google/cel-spec, langdef:
selecting a missing map key is an error, ``has()`` tests presence without one, ``&&`` and
``||`` absorb an error when the other side decides, ``orValue`` gives a default) applied
to the manifest as written, as a ValidatingAdmissionPolicy judges a CREATE of it.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.cel.engine import EngineMissing
from kubelint.cel.errors import CAUSES as _CAUSES
from kubelint.checks import registry
from kubelint.checks.custom.check import build
from kubelint.checks.custom.spec import Spec, compile_spec
from kubelint.config import load_config
from kubelint.errors import ConfigError
from tests.conftest import run_cli, run_process

TEAM = """\
checks:
  custom:
    - id: team-label
      severity: warning
      kinds: [Deployment, StatefulSet]
      expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
      message: "every workload needs a 'team' label"
      description: Ownership labels route alerts to the team that runs the workload.
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
{labels}spec:
  replicas: 2
  selector: {{matchLabels: {{app: web}}}}
  template:
    metadata: {{labels: {{app: web}}}}
    spec:
      containers: [{{name: web, image: nginx}}]
"""
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n"


def deployment(name: str = "web", labels: str = "") -> str:
    return DEPLOYMENT.format(name=name, labels=labels)


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    config: str,
    manifests: str,
    *args: str,
) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI on m.yaml with the configuration: (exit code, JSON findings, stderr)."""
    (repo / ".kubelint.yaml").write_text(config)
    (repo / "m.yaml").write_text(manifests)
    code, out, err = run_cli(["-f", "json", "--no-repo-context", *args, "m.yaml"], capsys)
    findings = json.loads(out)["findings"] if out.strip() else []
    return code, findings, err


CUSTOM_IDS = {"rule", "team-label", "never", "host-pattern"}


def custom(findings: list[dict[str, Any]]) -> list[tuple[str, int, str]]:
    """(check, line, message) of the findings of the custom checks of these tests."""
    return [(f["check"], f["line"], f["message"]) for f in findings if f["check"] in CUSTOM_IDS]


# --- verdicts -----------------------------------------------------------------------------

MISSING = " (the expression could not be evaluated: the manifest has no field 'replicas')"


@pytest.mark.parametrize(
    ("expression", "manifest", "expected"),
    [
        # has() tests presence; && is false as soon as one side is false: no error.
        (
            "has(object.metadata.labels) && 'team' in object.metadata.labels",
            deployment(labels="  labels: {team: a}\n"),
            None,
        ),
        (
            "has(object.metadata.labels) && 'team' in object.metadata.labels",
            deployment(labels="  labels: {app: web}\n"),
            "",
        ),
        ("has(object.metadata.labels) && 'team' in object.metadata.labels", deployment(), ""),
        # Selecting a key the map does not have is an error: a finding that says so.
        ("object.spec.replicas >= 2", deployment(), None),
        ("object.spec.replicas >= 3", deployment(), ""),
        ("object.spec.replicas >= 2", deployment().replace("  replicas: 2\n", ""), MISSING),
        # An error is absorbed when the other side of || decides.
        ("object.spec.replicas >= 2 || true", deployment().replace("  replicas: 2\n", ""), None),
        # orValue gives a default instead of an error.
        ("object.spec.?replicas.orValue(1) >= 2", deployment().replace("  replicas: 2\n", ""), ""),
        (
            "object.spec.template.spec.containers.all(c, c.image.contains('@sha256:'))",
            deployment(),
            "",
        ),
        # A result that is no bool judges nothing: a finding explains it.
        (
            "object.metadata.name",
            deployment(),
            " (the expression gives a string, not true or false)",
        ),
        (
            "size(object.spec.template.spec.containers)",
            deployment(),
            " (the expression gives a number, not true or false)",
        ),
        # A value of another type than the expression expects (replicas is a number).
        (
            "object.spec.replicas.startsWith('1')",
            deployment(),
            " (the expression could not be evaluated: "
            "a value has another type than the expression expects)",
        ),
    ],
)
def test_the_expression_is_the_condition_that_must_hold(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    expression: str,
    manifest: str,
    expected: str | None,
) -> None:
    config = (
        "checks:\n  custom:\n    - id: rule\n      message: the rule is broken\n"
        f"      expression: {json.dumps(expression)}\n"
    )
    code, findings, _ = lint(repo, capsys, config, manifest, "--select", "rule")
    messages = [message for _, _, message in custom(findings)]
    if expected is None:
        assert (code, messages) == (0, [])
    else:
        assert (code, messages) == (1, ["the rule is broken" + expected])


def test_a_finding_points_at_the_field_the_expression_reads(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = deployment(labels="  labels: {app: web}\n") + "---\n" + deployment("bare")
    _, findings, _ = lint(repo, capsys, TEAM, manifests, "--select", "team-label")
    # metadata.labels (line 5) where it exists, its parent metadata (line 16) elsewhere.
    assert [(c, line) for c, line, _ in custom(findings)] == [
        ("team-label", 5),
        ("team-label", 16),
    ]
    assert {f["path"] for f in findings} == {"metadata.labels"}


def test_an_expression_that_reads_no_field_points_at_the_kind(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "checks:\n  custom:\n    - {id: never, expression: 'false', message: nope}\n"
    _, findings, _ = lint(repo, capsys, config, CONFIG_MAP)
    assert custom(findings) == [("never", 2, "nope")]


def test_kinds_choose_the_objects_judged(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifests = deployment() + "---\n" + CONFIG_MAP
    _, findings, _ = lint(repo, capsys, TEAM, manifests)
    assert [f["object"]["kind"] for f in findings if f["check"] == "team-label"] == ["Deployment"]
    every_kind = TEAM.replace("      kinds: [Deployment, StatefulSet]\n", "")
    _, findings, _ = lint(repo, capsys, every_kind, manifests)
    kinds = sorted(f["object"]["kind"] for f in findings if f["check"] == "team-label")
    assert kinds == ["ConfigMap", "Deployment"]


# --- configuration errors -----------------------------------------------------------------


def config_error(repo: Path, config: str) -> str:
    (repo / ".kubelint.yaml").write_text(config)
    (repo / "m.yaml").write_text(CONFIG_MAP)
    done = run_process(["m.yaml"], cwd=repo)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    return done.stderr


def test_a_syntax_error_names_the_file_line_and_column(repo: Path) -> None:
    config = TEAM.replace(
        "\"has(object.metadata.labels) && 'team' in object.metadata.labels\"",
        '"object.metadata.labels &&"',
    )
    err = config_error(repo, config)
    # The expression is on line 6 of the file; it ends after 25 characters, where CEL
    # wants an operand: column 26 of the expression.
    assert (
        ".kubelint.yaml:6:7: checks.custom.0.expression: the expression does not compile "
        "at line 1, column 26 of the expression: Syntax error" in err
    )


def test_a_multi_line_expression_names_its_own_line(repo: Path) -> None:
    config = (
        "checks:\n  custom:\n    - id: two-lines\n      message: m\n      expression: |\n"
        "        has(object.spec) &&\n          object.spec.(replicas\n"
    )
    err = config_error(repo, config)
    assert ".kubelint.yaml:5:7: checks.custom.0.expression:" in err
    assert "at line 2, column " in err


@pytest.mark.parametrize(
    "expression",
    ["request.userInfo.username == 'admin'", "has(obj.metadata)", "object.lookup('x')"],
)
def test_only_object_can_be_named(repo: Path, expression: str) -> None:
    config = TEAM.replace(
        "\"has(object.metadata.labels) && 'team' in object.metadata.labels\"",
        json.dumps(expression),
    )
    err = config_error(repo, config)
    assert (
        "checks.custom.0.expression: the expression names something custom checks do "
        "not have at line 1" in err
    )
    assert "only `object`" in err


@pytest.mark.parametrize(
    ("check_id", "problem"),
    [
        ("privileged-container", "'privileged-container' is the id of a built-in check"),
        ("pss-baseline", "'pss-baseline' names a group of checks"),
        ("custom", "'custom' names a group of checks"),
        ("all", "'all' names a group of checks"),
    ],
)
def test_an_id_another_check_or_group_has_is_refused(
    repo: Path, check_id: str, problem: str
) -> None:
    err = config_error(repo, TEAM.replace("id: team-label", f"id: {check_id}"))
    assert f".kubelint.yaml:3:7: checks.custom.0.id: {problem}" in err


def test_two_custom_checks_with_one_id_are_refused(repo: Path) -> None:
    second = "    - {id: team-label, expression: 'true', message: again}\n"
    err = config_error(repo, TEAM + second)
    assert ".kubelint.yaml:9:8: checks.custom.1.id: two custom checks have the id" in err


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("{id: Team_Label, expression: 'true', message: m}", "checks.custom.0.id: 'Team_Label'"),
        ("{id: x, expression: 'true'}", "'message' is a required property"),
        ("{id: x, expression: 'true', message: m, severity: loud}", "checks.custom.0.severity"),
        ("{id: x, expression: 'true', message: m, kinds: Pod}", "checks.custom.0.kinds"),
        ("{id: x, expression: 'true', message: m, extra: 1}", "unknown key 'extra'"),
    ],
)
def test_an_entry_is_validated_against_the_schema(repo: Path, entry: str, problem: str) -> None:
    assert problem in config_error(repo, f"checks:\n  custom:\n    - {entry}\n")


def test_a_missing_cel_engine_is_a_clear_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing(*_: object) -> None:
        raise EngineMissing("the CEL engine (cel-expr-python) is not installed")

    monkeypatch.setattr("kubelint.checks.custom.spec.compile_expression", missing)
    (tmp_path / ".kubelint.yaml").write_text(TEAM)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / ".kubelint.yaml", registry())
    assert ":2:3: checks.custom: custom checks need the CEL engine" in str(caught.value)
    assert "cel-expr-python" in str(caught.value)


def test_per_check_settings_apply_to_a_custom_check(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = TEAM + "  team-label:\n    severity: error\n"
    _, findings, _ = lint(repo, capsys, config, deployment())
    assert [f["severity"] for f in findings if f["check"] == "team-label"] == ["error"]
    err = config_error(repo, TEAM + "  team-label:\n    frequency: daily\n")
    assert "checks.team-label" in err and "frequency" in err


# --- first-class: selection, suppression, baseline, SARIF, --explain, --list-checks ---------


def test_select_and_ignore_name_a_custom_check_or_its_group(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checks = {f["check"] for f in lint(repo, capsys, TEAM, deployment())[1]}
    assert "team-label" in checks and len(checks) > 1  # on by default, beside the defaults
    for selection in ("team-label", "custom"):
        selected = lint(repo, capsys, TEAM, deployment(), "--select", selection)[1]
        assert {f["check"] for f in selected} == {"team-label"}
    ignored = lint(repo, capsys, TEAM, deployment(), "--ignore", "team-label")[1]
    assert "team-label" not in {f["check"] for f in ignored}
    in_file = lint(repo, capsys, TEAM + "ignore: [custom]\n", deployment())[1]
    assert "team-label" not in {f["check"] for f in in_file}


def test_a_custom_check_is_suppressed_by_annotation_and_comment(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    annotated = deployment("a", "  annotations: {kubelint.io/ignore: team-label}\n")
    # The finding is on the metadata line (the object has no labels).
    commented = deployment("b").replace(
        "metadata:\n", "metadata:  # kubelint: ignore=team-label\n", 1
    )
    plain = deployment("c")
    manifests = "---\n".join((annotated, commented, plain))
    _, findings, _ = lint(repo, capsys, TEAM, manifests, "--select", "team-label")
    assert [f["object"]["name"] for f in findings] == ["c"]


def test_a_baseline_holds_custom_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = lint(repo, capsys, TEAM, deployment("a"), "--write-baseline", "b.json")
    assert code == 0
    assert '"team-label"' in (repo / "b.json").read_text()
    code, findings, _ = lint(repo, capsys, TEAM, deployment("a"), "--baseline", "b.json")
    assert "team-label" not in {f["check"] for f in findings}
    manifests = deployment("a") + "---\n" + deployment("new")
    _, findings, _ = lint(repo, capsys, TEAM, manifests, "--baseline", "b.json")
    assert [f["object"]["name"] for f in findings if f["check"] == "team-label"] == ["new"]


def test_a_custom_check_is_a_sarif_rule(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".kubelint.yaml").write_text(TEAM)
    (repo / "m.yaml").write_text(deployment())
    _, out, _ = run_cli(["-f", "sarif", "--select", "team-label", "m.yaml"], capsys)
    run = json.loads(out)["runs"][0]
    rule = {r["id"]: r for r in run["tool"]["driver"]["rules"]}["team-label"]
    assert rule["shortDescription"] == {"text": "every workload needs a 'team' label"}
    assert rule["fullDescription"]["text"].startswith(
        "Ownership labels route alerts to the team that runs the workload."
    )
    assert rule["defaultConfiguration"] == {"level": "warning"}
    assert "helpUri" not in rule  # no published page for a check of the repository
    assert [r["ruleId"] for r in run["results"]] == ["team-label"]


def test_explain_shows_a_custom_check(repo: Path) -> None:
    (repo / ".kubelint.yaml").write_text(TEAM)
    done = run_process(["--explain", "team-label"], cwd=repo)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# team-label\n\n**every workload needs a 'team' label**")
    assert "| Kinds | Deployment, StatefulSet |" in done.stdout
    assert "Ownership labels route alerts" in done.stdout
    assert "has(object.metadata.labels) && 'team' in object.metadata.labels" in done.stdout
    group = run_process(["--explain", "custom"], cwd=repo)
    assert group.stdout.startswith("group 'custom': 1 check\nteam-label ")


def test_list_checks_shows_custom_checks_in_their_group(repo: Path) -> None:
    (repo / ".kubelint.yaml").write_text(TEAM)
    done = run_process(["--list-checks"], cwd=repo)
    line = next(x for x in done.stdout.splitlines() if x.startswith("team-label "))
    assert line.split()[:3] == ["team-label", "warning", "on"]
    assert line.endswith("every workload needs a 'team' label  [custom]")
    assert "privileged-container" in done.stdout
    # Without the configuration, no such check.
    (repo / ".kubelint.yaml").unlink()
    assert "team-label" not in run_process(["--list-checks"], cwd=repo).stdout


def test_list_checks_refuses_a_broken_configuration(repo: Path) -> None:
    (repo / ".kubelint.yaml").write_text(TEAM.replace("has(", "has(("))
    done = run_process(["--list-checks"], cwd=repo)
    assert done.returncode == 2 and "checks.custom.0.expression" in done.stderr


# --- what a finding prints ----------------------------------------------------------------

TOKEN = "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2


def test_a_message_with_a_credential_shape_is_redacted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = TEAM.replace("every workload needs a 'team' label", f"ask for {TOKEN}")
    (repo / ".kubelint.yaml").write_text(config)
    (repo / "m.yaml").write_text(deployment())
    for args in (["m.yaml"], ["-f", "sarif", "m.yaml"], ["--explain", "team-label"]):
        _, out, err = run_cli(args, capsys)
        assert TOKEN not in out + err
    _, out, _ = run_cli(["--select", "team-label", "m.yaml"], capsys)
    assert "ask for <redacted>" in out


def test_an_evaluation_error_never_prints_a_value_of_the_manifest(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = (
        "checks:\n  custom:\n    - id: host-pattern\n      message: bad host pattern\n"
        '      expression: "object.metadata.name.matches(object.data.pattern)"\n'
    )
    # An invalid regular expression: the engine's error quotes it.
    manifest = CONFIG_MAP + "data:\n  pattern: 'internal-db-(primary'\n"
    _, findings, _ = lint(repo, capsys, config, manifest, "--select", "host-pattern")
    assert custom(findings) == [
        (
            "host-pattern",
            4,
            "bad host pattern (the expression could not be evaluated: "
            "a regular expression is invalid)",
        )
    ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)
EXPRESSIONS = [
    "object.spec.replicas >= 2",
    "has(object.metadata) && object.metadata.name.startsWith('web')",
    "object.spec.containers.all(c, c.image.matches(object.spec.pattern))",
    "object.spec",
    "int(object.spec.count) > 0",
]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(spec=JSON, expression=st.sampled_from(EXPRESSIONS))
def test_a_verdict_is_at_most_one_finding_with_the_configured_message(
    spec: Any, expression: str
) -> None:
    """Whatever the manifest holds, judging it never raises, and a finding carries the
    configured message followed by nothing but a fixed explanation."""
    check = build(s := Spec("prop", expression, "MESSAGE"), compile_spec(s))
    findings = list(check.check(SimpleNamespace(data={"spec": spec}), None, {}))  # type: ignore[arg-type]
    assert len(findings) <= 1
    phrases = {phrase for _, phrase in _CAUSES} | {
        "a field it reads is missing",
        "the engine reports an error",
        *(f"the manifest has no field '{key}'" for key in re.findall(r"\w+", expression)),
    }
    for finding in findings:
        rest = finding.message.removeprefix("MESSAGE")
        gives = re.fullmatch(r" \(the expression gives [a-z ]+, not true or false\)", rest)
        failed = re.fullmatch(r" \(the expression could not be evaluated: (.*)\)", rest)
        assert rest == "" or gives or (failed and failed.group(1) in phrases), rest
