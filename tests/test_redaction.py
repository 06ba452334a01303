"""No plaintext secret value ever reaches any output: every report format, report files,
baselines, errors and stderr, for every source the plaintext-secret check reads."""

from __future__ import annotations

import json
import subprocess
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


#: Every other source the check reads, each with a value that must never be printed.
MORE = {
    "args": "argpw0Zq81",
    "two_items": "twoitemtok5512",
    "mysql": "mysqlpw77Kx",
    "url": "urlpw4Hq2",
    "account_key": "QWNjb3VudEtleVZhbHVlMTIzNDU2Nzg5MA",
    "properties": "propspw9Lm",
    "dotenv": "dotenvpw3Tz",
    "jwt": ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLXRlc3QifQ.UmVkYWN0aW9uVGVzdFNpZ25hdHVyZQ"),
    "applied_b64": "YXBwbGllZHB3MjI=",  # appliedpw22
    "applied_env": "appliedenv88Wq",
}
MORE_MANIFEST = f"""apiVersion: v1
kind: Pod
metadata:
  name: job
spec:
  containers:
    - name: job
      image: example/job:1
      command: [mysql, -uroot, -p{MORE["mysql"]}]
      args:
        - --password={MORE["args"]}
        - --token
        - {MORE["two_items"]}
      env:
        - name: DATABASE_URL
          value: postgres://app:{MORE["url"]}@db/app
        - name: STORAGE
          value: "DefaultEndpointsProtocol=https;AccountName=a;AccountKey={MORE["account_key"]}"
        - name: SESSION_CONFIG
          value: {MORE["jwt"]}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: files
data:
  application.properties: |
    server.port=8080
    spring.datasource.password={MORE["properties"]}
  .env: |
    DB_PASSWORD={MORE["dotenv"]}
---
apiVersion: v1
kind: Secret
metadata:
  name: applied
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{{"apiVersion":"v1","kind":"Secret","metadata":{{"name":"applied"}},"data":{{"password":"{MORE["applied_b64"]}"}}}}'
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: moved
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{{"apiVersion":"apps/v1","kind":"Deployment","metadata":{{"name":"moved"}},"spec":{{"template":{{"spec":{{"containers":[{{"name":"app","image":"a:1","env":[{{"name":"API_TOKEN","value":"{MORE["applied_env"]}"}}]}}]}}}}}}}}'
spec:
  template:
    spec:
      containers:
        - name: app
          image: a:1
"""
#: Every value, and the decoded forms of the base64 ones.
ALL_VALUES = [
    *SECRETS.values(),
    *MORE.values(),
    "supersecret",
    "appliedpw22",
    "AccountKeyValue",
]
FORMATS = ["text", "json", "sarif", "github", "junit"]


@pytest.fixture()
def leaky_repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "m.yaml").write_text(MANIFEST)
    (tmp_path / "more.yaml").write_text(MORE_MANIFEST)
    return tmp_path


def _assert_clean(output: str) -> None:
    for value in ALL_VALUES:
        assert value not in output, value


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_value_in_any_format(leaky_repo: Path, fmt: str) -> None:
    result = run_process(
        ["m.yaml", "more.yaml", "--format", fmt, "--color", "always", "--no-repo-context"],
        cwd=leaky_repo,
    )
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    # Every source was reported (the test would pass vacuously otherwise)...
    assert (
        output.count("plaintext-secret") >= 15 if fmt != "sarif" else "plaintext-secret" in output
    )
    # ...and no value, raw or decoded, reached the report.
    _assert_clean(output)


def test_every_new_source_is_reported_by_name(leaky_repo: Path) -> None:
    result = run_process(["more.yaml", "--format", "json", "--no-repo-context"], cwd=leaky_repo)
    found = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "plaintext-secret"]
    paths = {f["path"] for f in found if f["check"] == "plaintext-secret"}
    assert paths == {
        "spec.containers[0].command[2]",
        "spec.containers[0].args[0]",
        "spec.containers[0].args[2]",
        "spec.containers[0].env[0].value",
        "spec.containers[0].env[1].value",
        "spec.containers[0].env[2].value",
        "data.application.properties",
        "data..env",
        "metadata.annotations.kubectl.kubernetes.io/last-applied-configuration",
    }
    # Both annotations are reported, each once.
    assert len(found) == 10
    _assert_clean(result.stdout)


def test_no_secret_value_in_report_files_or_baselines(leaky_repo: Path) -> None:
    args = ["m.yaml", "more.yaml", "--no-repo-context"]
    outputs = [arg for fmt in FORMATS for arg in ("-f", f"{fmt}:out.{fmt}")]
    result = run_process([*args, *outputs, "--write-baseline", "baseline.json"], cwd=leaky_repo)
    assert result.returncode == 0, result.stderr  # writing a baseline succeeds
    written = [leaky_repo / f"out.{fmt}" for fmt in FORMATS] + [leaky_repo / "baseline.json"]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "plaintext-secret" in text, path
        _assert_clean(text)
    _assert_clean(result.stdout + result.stderr)
    # Reading the baseline back prints nothing secret either.
    again = run_process([*args, "--baseline", "baseline.json", "-f", "json"], cwd=leaky_repo)
    assert again.returncode == 0
    _assert_clean(again.stdout + again.stderr)


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


#: Credentials written where kubelint prints names: object, namespace, container, env var
#: and ConfigMap key names, a label, a suppression comment, a Helm template name.
NAMED = {
    "object": "ghp_" + "N4m3dObj" * 5,
    "namespace": "xoxb-1234567890-namespacetok",
    "container": "glpat-" + "c0ntainerNameT0ken12",
    "env_name": "ghp_" + "EnvNam3x" * 5,
    "key": "AKIAKEYNAMEQQQQQQQQQ",
    "label": "npm_" + "L" * 36,
    "suppressed": "xoxp-1234567890-suppressedid",
    "helm": "helmurlpw77",
}
NAMED_MANIFEST = f"""# Source: https://ci:{NAMED["helm"]}@charts.example.com/shop/templates/app.yaml
apiVersion: v1
kind: Pod
metadata:
  name: {NAMED["object"]}
  namespace: {NAMED["namespace"]}
  labels:
    {NAMED["label"]}: x
spec:
  hostNetwork: true
  containers:
    - name: {NAMED["container"]}
      image: example/app:1
      securityContext:
        privileged: true # kubelint: ignore={NAMED["suppressed"]}
      env:
        - name: {NAMED["env_name"]}
          value: "1"
        - name: DB_PASSWORD
          value: hunter2-named
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: {NAMED["namespace"]}
data:
  {NAMED["key"]}: "1"
"""


@pytest.mark.parametrize("fmt", [*FORMATS, "concise"])
def test_bug_credentials_used_as_names_never_reach_any_output(tmp_path: Path, fmt: str) -> None:
    # Regression: plaintext-secret reported these tokens without printing them, but other
    # findings, notices and report fields named the object, namespace, container, key or
    # template and so printed them in full.
    args = ["-", "--no-repo-context", "--select", "all", "--format", fmt, "--statistics"]
    args += ["--write-baseline", str(tmp_path / "baseline.json")]
    result = run_process(args, cwd=tmp_path, stdin=NAMED_MANIFEST.encode())
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr + (tmp_path / "baseline.json").read_text()
    for value in [*NAMED.values(), "hunter2-named"]:
        assert value not in output, value
    # The findings are still there, each object's and the template's name stood in for.
    again = run_process(
        ["-", "--no-repo-context", "--select", "all", "-f", "json"], stdin=NAMED_MANIFEST.encode()
    )
    found = json.loads(again.stdout)["findings"]
    checks = {f["check"] for f in found}
    assert {"plaintext-secret", "privileged-container", "unknown-suppression"} <= checks
    assert {f["object"]["name"] for f in found} == {"<redacted>", "cfg"}
    assert {f["file"] for f in found if f["object"]["kind"] == "Pod"} == {
        "https://ci:<redacted>@charts.example.com/shop/templates/app.yaml"
    }
