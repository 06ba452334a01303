"""`.kubelint.yaml`: discovery, validation errors at the right line, every setting applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN
from kubelint.config import config_schema
from tests.conftest import ROOT, run_cli

POD = """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        privileged: true
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # the search for a config stops at the repository root
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path / "deploy")
    return tmp_path


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code, out, _err = run_cli(["--format", "json", "--no-repo-context", *args], capsys)
    return code, (json.loads(out)["findings"] if out else [])


def test_config_found_upwards_and_applied(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container, missing-runtime-class]\n"
        "fail-on: error\n"
        "checks:\n"
        "  privileged-container:\n    severity: warning\n"
        "  missing-runtime-class:\n    allowed: [gvisor]\n"
    )
    code, found = findings(capsys, "pod.yaml")
    assert {(f["check"], f["severity"]) for f in found} == {
        ("privileged-container", "warning"),
        ("missing-runtime-class", "warning"),
    }
    assert (
        "(one of: gvisor)"
        in next(f for f in found if f["check"] == "missing-runtime-class")["message"]
    )
    assert code == 0  # fail-on: error and no error left


def test_exclude_and_per_path_ignores(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "deploy" / "skip").mkdir()
    (repo / "deploy" / "skip" / "x.yaml").write_text(POD)
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container]\nexclude: ['deploy/skip/**']\n"
        "per-path-ignores:\n  'pod.yaml': [hardening]\n"
    )
    code, found = findings(capsys, ".")
    assert found == [] and code == 0


def test_cli_select_overrides_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".kubelint.yaml").write_text("select: [plaintext-secret]\n")
    assert findings(capsys, "pod.yaml")[1] == []
    assert [
        f["check"] for f in findings(capsys, "pod.yaml", "--select", "privileged-container")[1]
    ] == ["privileged-container"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fail-on: fatal\n", ".kubelint.yaml:1:1: fail-on: 'fatal' is not one of"),
        ("select: [core]\nignor: [x]\n", ".kubelint.yaml:2:1: ignor: unknown key 'ignor'"),
        (
            "checks:\n  privileged-containers: {}\n",
            ".kubelint.yaml:2:3: checks.privileged-containers: unknown check id",
        ),
        (
            "checks:\n  missing-runtime-class:\n    allowed: gvisor\n",
            ".kubelint.yaml:3:5: checks.missing-runtime-class.allowed: 'gvisor' is not of type 'array'",
        ),
        (
            "select:\n  - core\n  - nope\n",
            ".kubelint.yaml:3:5: select: unknown check or group 'nope'",
        ),
        ("select: [a\n", ".kubelint.yaml:2:1: invalid YAML"),
        ("- just\n- a list\n", "(top level): ["),
    ],
)
def test_bad_config_names_key_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (repo / ".kubelint.yaml").write_text(text)
    code, _out, err = run_cli(["pod.yaml"], capsys)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_explicit_config_that_does_not_exist(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["--config", "missing.yaml", "pod.yaml"], capsys)
    assert code == 2 and "missing.yaml: configuration file not found" in err


def test_namespace_option_sets_default_namespace(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, found = findings(capsys, "pod.yaml", "--select", "privileged-container", "-n", "shop")
    assert found[0]["object"]["namespace"] == "shop"


def test_committed_config_schema_matches_the_checks() -> None:
    committed = json.loads((ROOT / "schemas" / "kubelint-config.schema.json").read_text())
    assert committed == config_schema(BUILTIN), (
        "schemas/kubelint-config.schema.json is stale: run `python -m kubelint.docs` to regenerate"
    )
