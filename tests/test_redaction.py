"""No plaintext secret value ever reaches any output: text, JSON, errors, stderr."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_process

SECRETS = {
    "stringdata": "Tr0ub4dor-stringdata",
    "data_b64": "c3VwZXJzZWNyZXQtZGF0YQ==",
    "env": "hunter2-env-literal",
    "configmap": "cm-password-value-42",
    "aws": "AKIAZZZZZZZZZZZZZZZZ",
    "github": "ghp_" + "Q" * 36,
}

MANIFEST = f"""apiVersion: v1
kind: Secret
metadata:
  name: db
  annotations:
    example.com/key: {SECRETS["aws"]}
stringData:
  password: {SECRETS["stringdata"]}
data:
  token: {SECRETS["data_b64"]}
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      env:
        - name: DB_PASSWORD
          value: {SECRETS["env"]}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  annotations:
    note: "{SECRETS["github"]}"
data:
  db_password: {SECRETS["configmap"]}
"""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_no_secret_value_in_any_format(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "m.yaml").write_text(MANIFEST)
    result = run_process(["m.yaml", "--format", fmt, "--color", "always"], cwd=tmp_path)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert output.count("plaintext-secret") >= 5
    for value in SECRETS.values():
        assert value not in output
    assert "supersecret" not in output  # the decoded base64 value either


def test_no_secret_value_in_parse_errors(tmp_path: Path) -> None:
    # The error is on the line holding the secret; the message must not quote it.
    bad = f"apiVersion: v1\nkind: Secret\nstringData:\n  password: {SECRETS['env']}: oops\n"
    (tmp_path / "bad.yaml").write_text(bad)
    result = run_process(["bad.yaml", "--format", "json"], cwd=tmp_path)
    assert result.returncode == 2
    assert SECRETS["env"] not in result.stdout + result.stderr


def test_no_secret_value_when_a_check_crashes(tmp_path: Path) -> None:
    # A crash message names the check, the object and the exception type only.
    from kubelint.checks.base import CheckMeta, ModuleCheck
    from kubelint.config import Config
    from kubelint.runner import Inputs, lint

    def explode(obj, ctx, params):  # type: ignore[no-untyped-def]
        raise ValueError(obj.data["stringData"]["password"])

    crashing = ModuleCheck(CheckMeta("explodes", "x", "error", "x"), explode, "doc")
    (tmp_path / "m.yaml").write_text(MANIFEST)
    report = lint(Inputs([str(tmp_path / "m.yaml")]), Config(), [crashing])
    (message,) = [m for m in report.internal_errors if "Secret 'db'" in m]
    assert "explodes" in message and "ValueError" in message
    assert SECRETS["stringdata"] not in " ".join(report.internal_errors)
