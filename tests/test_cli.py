"""The command line as users run it: exit codes, formats, options, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli, run_process

GOOD = """apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  runtimeClassName: gvisor
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
"""
PRIVILEGED = GOOD.replace(
    "allowPrivilegeEscalation: false", "privileged: true\n        allowPrivilegeEscalation: false"
)
# The good pod also needs a default-deny policy for its namespace.
POLICY = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
"""


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD + POLICY)
    (tmp_path / "bad.yaml").write_text(PRIVILEGED + POLICY)
    (tmp_path / "broken.yaml").write_text("kind: Pod\nmetadata: name: x\n")
    return tmp_path


def test_clean_file_exits_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["good.yaml"], capsys)
    assert code == 0
    assert "1 file, 2 objects: no findings" in out


def test_findings_exit_1_with_file_line_and_hint(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["bad.yaml", "--color", "never"], capsys)
    assert code == 1
    assert "bad.yaml:14:9: error privileged-container container 'app' runs privileged" in out
    assert "    hint: remove securityContext.privileged" in out


def test_broken_file_exits_2_and_other_files_are_still_linted(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["bad.yaml", "broken.yaml"], capsys)
    assert code == 2  # errors win over findings
    assert "broken.yaml:2:" in out and "input-error invalid YAML" in out
    assert "privileged-container" in out
    assert "Traceback" not in out


def test_missing_path_exits_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["nope.yaml", "good.yaml"], capsys)
    assert code == 2
    assert "nope.yaml: error input-error no such file or directory" in out


def test_folder_without_manifests_exits_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "empty").mkdir()
    (tree / "empty" / "notes.txt").write_text("hi")
    code, out, _ = run_cli(["empty"], capsys)
    assert code == 2 and "no manifest files (*.yaml, *.yml, *.json) found" in out


def test_fail_on_error_ignores_warnings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "warn.yaml").write_text(GOOD.replace("  runtimeClassName: gvisor\n", "") + POLICY)
    assert run_cli(["warn.yaml"], capsys)[0] == 1
    assert run_cli(["warn.yaml", "--fail-on", "error"], capsys)[0] == 0


def test_select_and_ignore(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["bad.yaml", "--ignore", "privileged-container"], capsys)[0] == 0
    assert run_cli(["bad.yaml", "--select", "secrets"], capsys)[0] == 0
    assert (
        run_cli(["bad.yaml", "--select", "plaintext-secret,privileged-container"], capsys)[0] == 1
    )
    code, _, err = run_cli(["bad.yaml", "--select", "privileged-containers"], capsys)
    assert code == 2 and "unknown check or group 'privileged-containers'" in err


def test_json_report_shape(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["bad.yaml", "broken.yaml", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 2
    assert data["version"] == 1
    (finding,) = data["findings"]
    assert finding == {
        "check": "privileged-container",
        "severity": "error",
        "file": "bad.yaml",
        "line": 14,
        "column": 9,
        "message": "container 'app' runs privileged, with full access to the node",
        "hint": finding["hint"],
        "object": {"apiVersion": "v1", "kind": "Pod", "name": "good", "namespace": "default"},
        "path": "spec.containers[0].securityContext.privileged",
        "source": None,
    }
    assert data["errors"][0]["file"] == "broken.yaml" and data["errors"][0]["line"] == 2
    assert data["summary"] == {
        "files": 2,
        "objects": 2,
        "findings": 1,
        "errors": 1,
        "skipped": 0,
        "notices": 0,
        "baselined": 0,
        "notValidated": 0,
        "severities": {"error": 1, "warning": 0, "info": 0},
    }


def test_output_file_gets_the_report(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["bad.yaml", "-f", "json", "-o", "report.json"], capsys)
    assert code == 1 and out == ""
    assert json.loads((tree / "report.json").read_text())["summary"]["findings"] == 1
    assert "1 error" in err


def test_stdin_with_helm_sources(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = "---\n# Source: shop/templates/pod.yaml\n" + PRIVILEGED + POLICY
    result = run_process(["-", "--select", "privileged-container"], cwd=tree, stdin=stream.encode())
    assert result.returncode == 1
    assert "shop/templates/pod.yaml:16:9: error privileged-container" in result.stdout


def test_list_and_explain_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--list-checks"], capsys)
    assert code == 0 and "privileged-container" in out and "plaintext-secret" in out
    code, out, _ = run_cli(["--explain", "privileged-container"], capsys)
    assert code == 0 and out.startswith("# privileged-container") and "## Failing example" in out
    assert run_cli(["--explain", "nope"], capsys)[0] == 2
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and out.startswith("kubelint 0.")


def test_a_path_named_like_an_option_word_is_a_path(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "explain").mkdir()
    (tree / "explain" / "x.yaml").write_text(PRIVILEGED)
    code, out, _ = run_cli(["explain", "--select", "privileged-container"], capsys)
    assert code == 1 and "explain/x.yaml" in out


def test_colour_only_on_request_and_never_with_no_color(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_cli(["bad.yaml", "--color", "always"], capsys)
    assert "\033[31m" in out
    _, out, _ = run_cli(["bad.yaml"], capsys)  # not a terminal
    assert "\033[" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run_cli(["bad.yaml", "--color", "auto"], capsys)
    assert "\033[" not in out


def test_bad_option_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["--fail-on", "fatal", "."], capsys)[0] == 2
    assert run_cli(["--format", "xml", "."], capsys)[0] == 2


def test_real_process_on_examples_never_tracebacks() -> None:
    result = run_process(["examples/"], cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "error privileged-container" in result.stdout


def test_dash_on_a_terminal_is_a_clear_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    code, _, err = run_cli(["-"], capsys)
    assert code == 2 and "nothing is piped in" in err
