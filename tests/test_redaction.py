"""No plaintext secret value ever reaches any output: every report format, report files,
baselines, errors and stderr, for every source the plaintext-secret check reads."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest

from kubelint.model import format_path
from kubelint.redaction import redact
from tests.conftest import lint_text, run_cli, run_process

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


#: Inline keys of an EncryptionConfiguration (base64 of 32 bytes, as the API server wants).
ENCRYPTION_KEYS = {
    "aescbc": "cmVkYWN0aW9uLXRlc3QtYWVzY2JjLWtleS0zMmJ5dGU=",
    "aesgcm": "cmVkYWN0aW9uLXRlc3QtYWVzZ2NtLWtleS0zMmJ5dGU=",
    "secretbox": "cmVkYWN0aW9uLXRlc3Qtc2VjcmV0Ym94LWtleS0zMmI=",
}
ENCRYPTION_CONFIG = f"""\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys:
            - name: new
              secret: {ENCRYPTION_KEYS["secretbox"]}
      - aescbc:
          keys:
            - name: old
              secret: {ENCRYPTION_KEYS["aescbc"]}
  - resources: [configmaps]
    providers:
      - aesgcm:
          keys: [{{name: cm, secret: {ENCRYPTION_KEYS["aesgcm"]}}}]
"""


def test_no_encryption_key_in_any_output(tmp_path: Path) -> None:
    """Each inline key is a plaintext-secret finding, and no report, report file or
    baseline holds a key or its decoded bytes."""
    (tmp_path / "encryption.yaml").write_text(ENCRYPTION_CONFIG, encoding="utf-8")
    args = ["encryption.yaml", "--select", "plaintext-secret", "--no-repo-context"]
    files = [arg for fmt in ("concise", *FORMATS) for arg in ("-f", f"{fmt}:out.{fmt}")]
    result = run_process([*args, "-f", "text", *files], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    baseline = run_process([*args, "--write-baseline", "baseline.json"], cwd=tmp_path)
    assert baseline.returncode == 0, baseline.stderr
    found = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["findings"]
    assert sorted((f["path"], f["line"]) for f in found) == [
        ("resources[0].providers[0].secretbox.keys[0].secret", 9),
        ("resources[0].providers[1].aescbc.keys[0].secret", 13),
        ("resources[1].providers[0].aesgcm.keys[0].secret", 17),
    ]
    outputs = [result.stdout, result.stderr, baseline.stdout, baseline.stderr] + [
        path.read_text(encoding="utf-8")
        for path in sorted(tmp_path.glob("*.*"))
        if path.name != "encryption.yaml"
    ]
    assert len(outputs) == 4 + 6 + 1  # six report files and the baseline
    for output in outputs:
        for key in ENCRYPTION_KEYS.values():
            assert key not in output
            assert base64.b64decode(key).decode() not in output


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


#: Keys that hold a secret because of how they were written (issue #9), each with the
#: secret it must never print. Minimal inputs as users reported them.
GLUED = {
    "flow_env": (
        "Hunter2xyzFlow",
        """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      env: [{name: DB_PASSWORD, value:Hunter2xyzFlow}]
""",
    ),
    "complex_key": (
        "Zq9sEcretTokCplx",
        """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      ? {name: API_TOKEN, value: Zq9sEcretTokCplx}
      : x
""",
    ),
    "token_key": (
        "ghp_" + "K3yT0ken" * 5,
        """apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  annotations:
    ghp_K3yT0kenK3yT0kenK3yT0kenK3yT0kenK3yT0ken: "1"
""",
    ),
    "string_data": (
        "Hunter2xyzData",
        """apiVersion: v1
kind: Secret
metadata:
  name: db
stringData: {password:Hunter2xyzData}
""",
    ),
}


def _all_outputs(tmp_path: Path, manifest: str, capsys: pytest.CaptureFixture[str]) -> str:
    """Every report format, with statistics, and a baseline, written in-process."""
    path = tmp_path / "manifest.yaml"
    path.write_text(manifest, encoding="utf-8")
    texts = []
    for fmt in [*FORMATS, "concise"]:
        for extra in ([], ["--statistics"]):
            args = [str(path), "--no-repo-context", "--select", "all", "-f", fmt, *extra]
            code, out, err = run_cli(args, capsys)
            assert code in (0, 1), err
            texts += [out, err]
    baseline = tmp_path / "baseline.json"
    code, out, err = run_cli(
        [str(path), "--no-repo-context", "--write-baseline", str(baseline)], capsys
    )
    assert code == 0, err
    return "\n".join([*texts, out, err, baseline.read_text(encoding="utf-8")])


@pytest.mark.parametrize("case", sorted(GLUED))
def test_bug_secrets_in_keys_never_reach_any_output(
    tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Regression: a missing space (`value:Hunter2`), a mapping used as a key (printed as a
    # Python repr) and a token used as a key were printed by unknown-field and stored in
    # the `path` of JSON and SARIF results and of baseline entries.
    secret, manifest = GLUED[case]
    output = _all_outputs(tmp_path, manifest, capsys)
    assert secret not in output
    assert secret[2:-2] not in output  # not even most of it
    assert base64.b64encode(secret.encode()).decode() not in output


def _findings(tmp_path: Path, manifest: str) -> list[tuple[str, int, str, str]]:
    report = lint_text(tmp_path, manifest, select=["plaintext-secret", "unknown-field"])
    return sorted((r.check, r.location.line, r.path, r.message) for r in report.results)


def test_bug_flow_mapping_without_space_is_a_plaintext_secret(tmp_path: Path) -> None:
    found = _findings(tmp_path, GLUED["flow_env"][1])
    assert [(c, line, p) for c, line, p, _ in found] == [
        ("plaintext-secret", 9, "spec.containers[0].env[0].value:<redacted>"),
        ("unknown-field", 9, "spec.containers[0].env[0].value:<redacted>"),
    ]
    assert "env var 'DB_PASSWORD'" in found[0][3]
    assert found[1][3] == "unknown field 'value:<redacted>' in 'spec.containers[0].env[0]'"


def test_bug_complex_key_is_written_as_json_and_redacted(tmp_path: Path) -> None:
    found = _findings(tmp_path, GLUED["complex_key"][1])
    key = '{"name": "API_TOKEN", "value": "<redacted>"}'
    assert [(c, p) for c, _, p, _ in found] == [
        ("plaintext-secret", f"spec.containers[0].{key}"),
        ("unknown-field", f"spec.containers[0].{key}"),
    ]
    assert found[1][3] == f"unknown field '{key}' in 'spec.containers[0]'"
    assert "{'name'" not in repr(found)  # no Python repr


def test_bug_token_as_annotation_key_is_one_finding(tmp_path: Path) -> None:
    found = _findings(tmp_path, GLUED["token_key"][1])
    assert [(c, line, p) for c, line, p, _ in found] == [
        ("plaintext-secret", 6, "metadata.annotations.<redacted>")
    ]


def test_bug_string_data_without_space_is_reported(tmp_path: Path) -> None:
    found = _findings(tmp_path, GLUED["string_data"][1])
    assert [(c, line, p) for c, line, p, _ in found] == [("plaintext-secret", 5, "stringData")]
    assert "credentials: password:<redacted>" in found[0][3]


@pytest.mark.parametrize(
    ("key", "line"),
    [
        ("password:Hunter2xyzCm", 6),
        ("db.password=Hunter2xyzCm", 6),
        ("url:postgres://app:Hunter2xyzCm@db/app", 6),
    ],
)
def test_a_key_holding_a_credential_is_reported_at_the_key(
    tmp_path: Path, key: str, line: int
) -> None:
    manifest = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  {key}: x\n"
    found = _findings(tmp_path, manifest)
    assert [(c, n) for c, n, _, _ in found] == [("plaintext-secret", line)]
    assert "Hunter2xyzCm" not in repr(found)


@pytest.mark.parametrize(
    "key",
    ["image:nginx", "port:8080", "password:REPLACE_ME", "token:${TOKEN}", "value:", "a=b"],
)
def test_keys_that_hold_no_credential_are_not_reported_or_redacted(
    tmp_path: Path, key: str
) -> None:
    manifest = f'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  {key}: "true"\n'
    assert _findings(tmp_path, manifest) == []
    assert redact(f"unknown field '{key}'") == f"unknown field '{key}'"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (("data", "password:Hunter2xyzPath"), "data.password:<redacted>"),
        (("spec", "env", 0, "value:Hunter2xyzPath"), "spec.env[0].value:<redacted>"),
        (("metadata", "annotations", "ghp_" + "P" * 36), "metadata.annotations.<redacted>"),
        (
            ("spec", '{"name": "X_TOKEN", "value": "Hunter2xyzPath"}'),
            'spec.{"name": "X_TOKEN", "value": "<redacted>"}',
        ),
        (("spec", "containers", 0, "image"), "spec.containers[0].image"),
        (("data", "port:8080"), "data.port:8080"),
    ],
)
def test_key_paths_are_rendered_redacted(path: tuple[str | int, ...], shown: str) -> None:
    assert format_path(path) == shown


#: The credentials of a committed kubeconfig, one per kind plaintext-secret reports.
KUBECONFIG_CREDENTIALS = {
    "jwt": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFrLXRlc3QifQ.bGVha1Rlc3RTaWduYXR1cmVPbmU",
    "token": "leak-static-token-91c2",
    "password": "leak-basic-pw-77",
    "client_key_pem": "-----BEGIN RSA PRIVATE KEY-----\nbGVha1Rlc3RLZXlCb2R5\n"
    "-----END RSA PRIVATE KEY-----\n",
    "client_secret": "leak-oidc-secret-4e1",
    "refresh": "leak-refresh-token-5d0",
    "id_token": "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJsZWFrLXRlc3QifQ.bGVha1Rlc3RTaWduYXR1cmVUd28",
}
KUBECONFIG_KEY_DATA = base64.b64encode(KUBECONFIG_CREDENTIALS["client_key_pem"].encode()).decode()
KUBECONFIG = f"""apiVersion: v1
kind: Config
clusters:
  - name: prod
    cluster: {{server: 'https://prod.example.com:6443'}}
contexts:
  - name: prod
    context: {{cluster: prod, user: admin}}
current-context: prod
users:
  - name: admin
    user:
      token: {KUBECONFIG_CREDENTIALS["jwt"]}
  - name: deploy
    user:
      token: {KUBECONFIG_CREDENTIALS["token"]}
      password: {KUBECONFIG_CREDENTIALS["password"]}
      client-key-data: {KUBECONFIG_KEY_DATA}
  - name: oidc
    user:
      auth-provider:
        name: oidc
        config:
          client-secret: {KUBECONFIG_CREDENTIALS["client_secret"]}
          refresh-token: {KUBECONFIG_CREDENTIALS["refresh"]}
          id-token: {KUBECONFIG_CREDENTIALS["id_token"]}
"""


def test_no_kubeconfig_credential_in_any_output(tmp_path: Path) -> None:
    """Each credential of a kubeconfig user is one plaintext-secret finding (the only
    finding of any check: a kubeconfig is no API object), and no report, report file or
    baseline holds a value, the encoded client key or the key it encodes."""
    (tmp_path / "kubeconfig.yaml").write_text(KUBECONFIG, encoding="utf-8")
    args = ["kubeconfig.yaml", "--select", "all", "--no-repo-context"]
    files = [arg for fmt in ("concise", *FORMATS) for arg in ("-f", f"{fmt}:out.{fmt}")]
    result = run_process([*args, "-f", "text", *files], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    baseline = run_process([*args, "--write-baseline", "baseline.json"], cwd=tmp_path)
    assert baseline.returncode == 0, baseline.stderr
    report = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    found = report["findings"]
    assert {f["check"] for f in found} == {"plaintext-secret"}
    assert {f["object"]["namespace"] for f in found} == {None}
    assert report["notices"] == [] and report["summary"]["notValidated"] == 0
    assert sorted((f["path"], f["line"]) for f in found) == [
        ("users[0].user.token", 13),
        ("users[1].user.client-key-data", 18),
        ("users[1].user.password", 17),
        ("users[1].user.token", 16),
        ("users[2].user.auth-provider.config.client-secret", 24),
        ("users[2].user.auth-provider.config.id-token", 26),
        ("users[2].user.auth-provider.config.refresh-token", 25),
    ]
    outputs = [result.stdout, result.stderr, baseline.stdout, baseline.stderr] + [
        path.read_text(encoding="utf-8")
        for path in sorted(tmp_path.glob("*.*"))
        if path.name != "kubeconfig.yaml"
    ]
    assert len(outputs) == 4 + 6 + 1  # six report files and the baseline
    for output in outputs:
        for value in (*KUBECONFIG_CREDENTIALS.values(), KUBECONFIG_KEY_DATA, "bGVha1Rlc3RLZXlC"):
            assert value not in output
