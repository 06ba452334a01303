"""Secret-like names and token shapes: what counts, and what must not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.checks.secrets.args import scan_command
from kubelint.checks.secrets.content import scan_content
from kubelint.checks.secrets.detect import looks_random
from kubelint.redaction import (
    TOKEN_PATTERNS,
    classify,
    decode_base64,
    find_tokens,
    is_placeholder,
    is_secret_name,
    not_a_secret,
)
from tests.conftest import lint_text

TOKENS = {
    "AWS access key ID": "AKIAIOSFODNN7EXAMPLE",
    "GitHub token": "ghp_" + "a1" * 18,
    "GitHub fine-grained token": "github_pat_" + "A" * 22 + "_" + "b" * 59,
    "GitLab token": "glpat-" + "x" * 20,
    "Slack token": "xoxb-123456789012-abcdef",
    "Slack webhook URL": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "Google API key": "AIza" + "S" * 35,
    "Stripe live key": "sk_live_" + "4" * 24,
    "npm token": "npm_" + "n" * 36,
    "private key": "-----BEGIN OPENSSH PRIVATE KEY-----",
    "JSON Web Token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU",
}


@pytest.mark.parametrize(("kind", "token"), TOKENS.items())
def test_token_shapes_are_found_at_their_offset(kind: str, token: str) -> None:
    text = f"key: 'prefix {token} suffix'\n"
    assert find_tokens(text) == [
        (text.index(token) + (8 if kind == "Slack webhook URL" else 0), kind)
    ]


@pytest.mark.parametrize(
    "text",
    [
        "AKIA",
        "XAKIAIOSFODNN7EXAMPLE",
        "ghp_short",
        "high_value",
        "-----BEGIN CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----",
        "task_live_" + "4" * 24,
        "xoxo is not a token",
        "eyJhbGciOiJIUzI1NiJ9",  # a JWT header alone
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.",  # unsigned
    ],
)
def test_near_misses_are_not_tokens(text: str) -> None:
    assert find_tokens(text) == []


@pytest.mark.parametrize(
    "name",
    [
        "DB_PASSWORD",
        "password",
        "apiKey",
        "API_KEY",
        "client-secret",
        "GITHUB_TOKEN",
        "aws_secret_access_key",
        "PRIVATE_KEY",
        "db.pass",
        "credentials",
        "ACCESS_KEY",
        "PGPASSWORD",
        "MYSQL_PWD",
        "SSH_KEY_CONTENT",
        "SECRET_KEY_BASE",
        "azurestorageaccountkey",
        "spring.datasource.password",
        "SSL_KEY_FILE_PASSWORD",
        "requirepass",
        "db_password2",
    ],
)
def test_credential_names(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "PASSWORD_FILE",
        "TOKEN_TTL",
        "secret-name",
        "API_KEY_ID",
        "LOG_LEVEL",
        "KEY",
        "PWD",
        "BYPASS_CACHE",
        "TOKEN_URL",
        "tokenizer",
        "secretsDir",
        "MAX_TOKENS",
        "PASSWORD_POLICY",
        "PASSWORD_MIN_LENGTH",
        "existingSecret",
        "USE_TOKEN_AUTH",
        "ALLOW_EMPTY_PASSWORD_LOGIN",
        "AZURE_CONNECTION_STRING",
        "secretKeyRef",
        "PARTITION_KEY",
        "STRIPE_PUBLISHABLE_KEY",
    ],
)
def test_names_that_only_talk_about_secrets(name: str) -> None:
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "  ",
        "${DB_PASS}",
        "$(TOKEN)",
        "$TOKEN",
        "<password>",
        "{{ .Values.pw }}",
        "ENC[AES256_GCM,data:abc,type:str]",
        "REPLACE_ME",
        "replace-with-your-key",
        "INSERT_TOKEN",
        "your-api-key",
        "yourpassword",
        "api-key-here",
        "xxxxxxxx",
        "********",
        "...base64 encoded data...",
        "%DB_PASSWORD%",
        "__TOKEN__",
        "SECRET",
        "DB_PASSWORD",
        "TODO",
        "@@DB_PASSWORD@@",
        "$dex.github.clientSecret",
        "ENC(G6N718UuyPE5bHyWKyuLQSm02auQPUtm)",
        "{cipher}AQA3c2VjcmV0",
        "#{DB_PASSWORD}#",
    ],
)
def test_placeholders(value: str) -> None:
    assert is_placeholder(value)


@pytest.mark.parametrize(
    "value", ["changeme", "CHANGEME", "hunter2", "password", "s3cr3t", "Token"]
)
def test_weak_literals_are_not_placeholders(value: str) -> None:
    assert not is_placeholder(value)


@pytest.mark.parametrize(
    "value",
    [
        "true",
        "No",
        "off",
        "0",
        "enabled",
        "vault:secret/data/db#password",
        "ref+awssecrets://prod/db#pw",
        "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
        "/run/secrets/db",
        "https://auth.example.com/token",
        "sha256:" + "a1" * 32,
        "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG user@host",
    ],
)
def test_values_that_are_never_secrets(value: str) -> None:
    assert not_a_secret(value)
    assert classify("DB_PASSWORD", value) is None


def test_numbers_are_settings_except_under_a_password_name() -> None:
    assert classify("TOKEN_TTL", 3600) is None
    assert classify("MAX_TOKENS", "4096") is None
    assert classify("SESSION_SECRET_ROTATION", "30") is None
    assert classify("API_TOKEN", 12) is None
    # A numeric password is a (weak) password.
    assert classify("MYSQL_ROOT_PASSWORD", "123456") == "literal secret value"
    assert classify("MYSQL_ROOT_PASSWORD", True) is None


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("postgres://app:pw@db/app", "password in a connection URL"),
        ("mongodb+srv://u:p4ss@cluster0.example.net/db", "password in a connection URL"),
        ("app:pw@tcp(db:3306)/app", "password in a connection URL"),
        (
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9v;EndpointSuffix=x",
            "connection string with 'AccountKey'",
        ),
        (
            "Endpoint=sb://x/;SharedAccessKeyName=R;SharedAccessKey=Zm9v",
            "connection string with 'SharedAccessKey'",
        ),
        ("Server=db;Database=app;User Id=sa;Pwd=abc123;", "connection string with 'Pwd'"),
        ("jdbc:mysql://db/app?user=app&password=pw1", "connection string with 'password'"),
        ("host=db user=app password=pw1 dbname=app", "connection string with 'password'"),
        (
            "https://acct.blob.core.windows.net/c?sv=2022&sig=abcDEF%3D",
            "connection string with 'sig'",
        ),
    ],
)
def test_credentials_found_by_shape_under_any_name(value: str, kind: str) -> None:
    assert classify("NEUTRAL", value) == kind


@pytest.mark.parametrize(
    "value",
    [
        "postgres://db:5432/app",
        "postgres://app@db/app",
        "postgres://app:${DB_PASSWORD}@db/app",
        "postgres://app:$(DB_PASSWORD)@db/app",
        "Server=db;Database=app;Integrated Security=true;",
        "jdbc:mysql://db/app?user=app&password=",
        "--token-auth-file=/etc/tokens.csv",
        "git@github.com:org/repo.git",
    ],
)
def test_connection_strings_without_credentials(value: str) -> None:
    assert classify("NEUTRAL", value) is None


def test_registry_auth_is_user_and_password() -> None:
    assert classify("auth", "dXNlcjpwYXNz") == "user:password credentials"  # user:pass
    assert classify("BASIC_AUTH", "admin:s3cret") == "user:password credentials"
    assert classify("AUTH", "basic") is None


def test_looks_random() -> None:
    assert looks_random("6KdpAnUzbPHcSckcGz0EKWzcHYv6IjHJXZOtcrs30hI=")
    assert looks_random("9f86d081884c7d659a2feaa0c55ad015")
    for value in (
        "postgres.default.svc.cluster.local",
        "my-application-config-v2",
        "123e4567-e89b-12d3-a456-426614174000",
        "short1A",
        "https://example.com/Path1",
    ):
        assert not looks_random(value), value


def test_decode_base64() -> None:
    assert decode_base64("aHVudGVyMg==") == "hunter2"
    assert decode_base64("not base64!") is None
    assert decode_base64("//79") is None  # not UTF-8 text


def test_scan_content_formats() -> None:
    properties = "a=1\nspring.datasource.password=pw1\n# password=<yours>\n"
    (hit,) = scan_content(properties)
    assert (hit.name, hit.start) == ("spring.datasource.password", 4)
    dotenv = 'export DB_PASSWORD="pw 2" # comment\nDB_PASSWORD_FILE=/x\n'
    assert [h.name for h in scan_content(dotenv)] == ["DB_PASSWORD"]
    ini = "[db]\npassword = pw3\npassword_min_length = 8\n"
    assert [h.name for h in scan_content(ini)] == ["password"]
    nested = "db:\n  password: pw4\n  passwordPolicy: strong\n"
    assert [h.name for h in scan_content(nested)] == ["password"]
    data = '{"auths": {"r.io": {"auth": "dXNlcjpwYXNz", "email": "a@b.c"}}, "token": ""}'
    assert [h.name for h in scan_content(data)] == ["auth"]
    xml = "<server>\n  <password>pw5</password>\n</server>\n"
    assert [h.name for h in scan_content(xml)] == ["password"]
    script = "set -e\nmysql -uroot -ppw6 -e 'select 1'\n"
    assert [h.kind for h in scan_content(script)] == ["mysql password"]
    commented = "# DATABASE_URL=postgres://u:pw7@db/app\n# see the password=<x> docs\n"
    assert [h.kind for h in scan_content(commented)] == ["password in a connection URL"]


def test_scan_command_shapes() -> None:
    def found(items: list[object]) -> list[tuple[int, str]]:
        return [(h.index, h.name) for h in scan_command(items)]

    assert found(["--password=pw"]) == [(0, "--password")]
    assert found(["--password", "pw"]) == [(1, "--password")]
    assert found(["--token", "t0k"]) == [(1, "--token")]
    assert found(["--password", "--verbose"]) == []
    assert found(["--password-stdin"]) == []
    assert found(["mysql", "-uroot", "-ppw"]) == [(2, "-p")]
    assert found(["mysql", "-uroot", "-p"]) == []  # prompts
    assert found(["-p8080", "serve"]) == []  # not mysql: a port
    assert found(["sh", "-c", "mysqldump -uroot -p$MYSQL_ROOT_PASSWORD db"]) == []
    assert found(["sh", "-c", "PGPASSWORD=pw psql"]) == [(2, "PGPASSWORD")]
    assert found(["-Ddb.password=pw"]) == [(0, "-Ddb.password")]
    assert found([8080, None, "--port=1"]) == []
    assert found(["curl", "-u", "admin:pw", "https://x"]) == [(2, "-u")]
    assert found(["curl", "-u", "admin", "https://x"]) == []
    assert found(["sh", "-c", "curl -H 'Authorization: Bearer t0ken1234' x"]) == [
        (2, "Authorization")
    ]
    assert found(["sh", "-c", "curl -H 'Authorization: Bearer $TOKEN' x"]) == []


# --- Bugs users reported (issue #8) ----------------------------------------------------


def _lint(tmp_path: Path, text: str) -> list[tuple[str, int, str]]:
    report = lint_text(tmp_path, text, select=["plaintext-secret"])
    assert not report.errors and not report.internal_errors
    return [(r.severity, r.location.line, r.message) for r in report.results]


def _env(name: str, value: str) -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n"
        "    - name: app\n      image: a:1\n      env:\n"
        f"        - name: {name}\n          value: {value}\n"
    )


def test_bug_settings_only_secret_is_a_warning_not_an_error(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: cfg\nstringData:\n"
        '  username: app\n  host: db\n  ALLOW_EMPTY_PASSWORD: "no"\n'
    )
    ((severity, line, message),) = _lint(tmp_path, text)
    assert (severity, line) == ("warning", 5)
    assert "3 keys stored in plaintext in the repository" in message


def test_bug_secret_with_a_password_is_one_error_at_string_data(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  user: YXBw\n"
        "stringData:\n  password: hunter2\n  token: tok-123\n"
    )
    ((severity, line, message),) = _lint(tmp_path, text)
    assert (severity, line) == ("error", 7)
    assert "3 keys" in message and "credentials: password, token" in message


def test_bug_flag_value_allow_empty_password_no_is_not_a_secret(tmp_path: Path) -> None:
    assert _lint(tmp_path, _env("ALLOW_EMPTY_PASSWORD", '"no"')) == []


def test_bug_flag_value_use_token_auth_true_is_not_a_secret(tmp_path: Path) -> None:
    assert _lint(tmp_path, _env("USE_TOKEN_AUTH", '"true"')) == []


@pytest.mark.parametrize("name", ["PGPASSWORD", "MYSQL_PWD"])
def test_bug_client_password_variables_are_reported(tmp_path: Path, name: str) -> None:
    ((severity, line, message),) = _lint(tmp_path, _env(name, "pw-4711"))
    assert (severity, line) == ("error", 11)
    assert f"env var '{name}'" in message


def test_bug_database_url_with_password_is_reported(tmp_path: Path) -> None:
    ((_, line, message),) = _lint(tmp_path, _env("DATABASE_URL", "postgres://app:pw@db/app"))
    assert line == 11 and "password in a connection URL" in message


def test_bug_password_flag_in_args_is_reported(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n"
        "    - name: app\n      image: a:1\n      args:\n        - --verbose\n"
        "        - --password=pw-1\n        - --token\n        - tok-1\n"
    )
    found = _lint(tmp_path, text)
    assert [
        (line, "'--password'" in message, "'--token'" in message) for _, line, message in found
    ] == [
        (11, True, False),
        (13, False, True),
    ]


def test_bug_account_key_connection_string_is_reported(tmp_path: Path) -> None:
    value = '"DefaultEndpointsProtocol=https;AccountName=a;AccountKey=Zm9vYmFy;EndpointSuffix=x"'
    ((_, _, message),) = _lint(tmp_path, _env("STORAGE", value))
    assert "connection string with 'AccountKey'" in message


def test_bug_jwt_under_a_neutral_name_is_reported(tmp_path: Path) -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmU"
    ((_, line, message),) = _lint(tmp_path, _env("SESSION_CONFIG", jwt))
    assert line == 11 and "JSON Web Token" in message


@pytest.mark.parametrize(
    ("key", "body", "line"),
    [
        ("application.properties", "server.port=8080\n    spring.datasource.password=pw1", 8),
        (".env", "APP_ENV=prod\n    DB_PASSWORD=pw2", 8),
        ("app.ini", "[database]\n    host = db\n    password = pw3", 9),
        ("config.json", '{\n      "db": {"password": "pw4"}\n    }', 8),
    ],
)
def test_bug_credentials_in_config_files_held_in_configmaps(
    tmp_path: Path, key: str, body: str, line: int
) -> None:
    text = (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  {key}: |\n    {body}\n"
    )
    ((severity, found_line, message),) = _lint(tmp_path, text)
    assert (severity, found_line) == ("error", line)
    assert f"key '{key}'" in message and "password" in message.lower()


def test_bug_last_applied_annotation_embedding_a_secret(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: '"
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},'
        '"data":{"password":"aHVudGVyMg=="}}\'\n'
    )
    ((severity, line, message),) = _lint(tmp_path, text)
    assert (severity, line) == ("error", 6)
    assert "last-applied-configuration" in message and "password" in message


def test_bug_last_applied_secret_and_live_data_are_one_finding(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: '"
        '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},'
        '"data":{"password":"aHVudGVyMg==","old":"b2xkLXRva2Vu"}}\'\n'
        "data:\n  password: aHVudGVyMg==\n"
    )
    ((severity, line, message),) = _lint(tmp_path, text)
    assert (severity, line) == ("error", 7)
    assert "2 keys" in message and "also copied" in message


def test_unreadable_last_applied_annotation_is_no_crash(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: '{not json'\n"
    )
    assert _lint(tmp_path, text) == []


def test_json_entry_points_at_its_line(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  config.json: |\n"
        '    {\n      "host": "db",\n      "password": "pw5"\n    }\n'
    )
    ((_, line, message),) = _lint(tmp_path, text)
    assert line == 9 and "entry 'password'" in message


def test_same_line_twice_in_a_file_points_at_each(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  app.ini: |\n"
        "    [primary]\n    password = pw6\n    [replica]\n    password = pw6\n"
    )
    assert [line for _, line, _ in _lint(tmp_path, text)] == [8, 10]


def test_token_findings_say_where_they_are(tmp_path: Path) -> None:
    token = "ghp_" + "a1" * 18
    text = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n"
        f"    example.com/key: '{token}'\nspec:\n  ports: [{{port: 80}}]\n"
        f"# old: {token}\n"
        f"  # 'quoted # not a comment start' {token}\n"
    )
    messages = [(line, message) for _, line, message in _lint(tmp_path, text)]
    assert messages == [
        (6, "a GitHub token in plain text at 'metadata.annotations.example.com/key'"),
        (9, "a GitHub token in plain text in a comment"),
        (10, "a GitHub token in plain text in a comment"),
    ]


#: Text crafted against the value scans, and what it is under a password name: each took
#: hours with a regex that backtracks (quadratic in the length) and takes milliseconds with
#: a linear scan.
ADVERSARIAL = {
    "scheme characters before ://": ("a" * 1_000_000 + "://@", None),  # a URL, no password
    "assignments before a Go DSN": ("=a:" * 330_000 + "@(", "literal secret value"),
    "an all-caps name with a credential word": ("KEY" * 330_000 + "!", "literal secret value"),
    "nested Slack token prefixes": ("xoxb-" * 200_000, "Slack token"),
    "nested GitLab token prefixes": ("glpat-" * 160_000, "GitLab token"),
}


@pytest.mark.parametrize(("text", "kind"), ADVERSARIAL.values(), ids=list(ADVERSARIAL))
def test_bug_value_scans_are_linear_on_crafted_text(text: str, kind: str | None) -> None:
    # Regression: these ran for hours (a regex backtracking over every start position).
    assert classify("DB_PASSWORD", text) == kind
    assert len(find_tokens(text)) == (1 if kind and "token" in kind else 0)
    tokens = [kind] if kind and "token" in kind else []
    assert [hit.kind for hit in scan_command(["run", text])] == tokens
    assert all(hit.kind != "password in a connection URL" for hit in scan_content(text))


def test_nested_token_prefixes_still_find_the_token() -> None:
    # Tokens whose characters include their own prefix are found once, where they start.
    assert find_tokens("x xoxb-xoxb-xoxb-123456 y") == [(2, "Slack token")]
    assert find_tokens("glpat-glpat-" + "x" * 20) == [(0, "GitLab token")]


@pytest.mark.parametrize(
    ("value", "found"),
    [
        ("app:pw@tcp(db:3306)/app", True),
        ("DSN=app:p=w:x@tcp(db)/app", True),
        ("run --dsn app:pw@unix(/tmp/s)/app", True),
        ("dir/app:pw@tcp(db)/app", False),  # not the start of a DSN
        ("app:${DB_PASSWORD}@tcp(db)/app", False),
        ("app@tcp(db)/app", False),
    ],
)
def test_go_dsn_passwords(value: str, found: bool) -> None:
    assert (classify("DSN", value) == "password in a connection URL") is found


GITHUB = "ghp_" + "a1" * 18


def test_bug_a_flag_and_the_token_it_takes_are_one_finding() -> None:
    # Regression: `--token ghp_...` was reported twice at the same spot, once for the flag
    # and once for the token's shape; so was `Authorization: Bearer <token>`.
    hits = scan_command(["--token", GITHUB])
    assert [(h.index, h.name, h.kind) for h in hits] == [(1, "--token", "GitHub token")]
    first, second, third = GITHUB, GITHUB.replace("a", "b"), GITHUB.replace("a", "c")
    script = f'curl -H "Authorization: Bearer {first}" x\nrun --token {second}\necho {third}'
    hits = scan_command(["sh", "-c", script])
    assert [(h.name, h.line) for h in hits] == [
        ("Authorization", f'curl -H "Authorization: Bearer {first}" x'),
        ("--token", f"run --token {second}"),
        ("", f"echo {third}"),
    ]


def test_bug_items_that_are_not_strings_keep_the_index_of_a_finding() -> None:
    # Regression: null items were dropped before scanning, so a finding after one pointed
    # at the item before it.
    hits = scan_command([None, None, "--password=pw-after-nulls"])
    assert [(h.index, h.name) for h in hits] == [(2, "--password")]
    # A flag followed by a null takes no value from the item after the null.
    assert scan_command(["--token", None, "plain-word-99"]) == []


@pytest.mark.parametrize(
    ("text", "unusual"),
    [
        ("metadata: {name: web, labels: {app.kubernetes.io/name: web}}\n", False),
        ("data: {password:Hunter2xyz: 1}\n", True),
        ("data: {? {name: TOKEN, value: x} : 1}\n", True),
        ("base: &b {password=Hunter2xyz: 1}\ndata: {<<: *b}\n", True),
    ],
)
def test_the_loader_flags_documents_whose_keys_could_hold_a_credential(
    text: str, unusual: bool
) -> None:
    """Only flagged documents are searched key by key: the flag must never miss a key."""
    from kubelint.loader.yamlparse import parse_documents

    [(*_, flagged, _)] = list(parse_documents(text, "m.yaml"))
    assert flagged is unusual


def test_a_credential_key_brought_in_by_a_merge_key_is_reported(tmp_path: Path) -> None:
    manifest = """apiVersion: v1
kind: ConfigMap
metadata:
  name: app
shared: &shared
  password:Hunter2xyz: enabled
data:
  <<: *shared
"""
    report = lint_text(tmp_path, manifest, select=["plaintext-secret"])
    # Reported where it is written (the merged copy under data: is reported too, at data:).
    assert report.results[0].location.line == 6
    assert all("Hunter2xyz" not in r.message for r in report.results)


def _tokens_one_anchor_at_a_time(text: str) -> list[tuple[int, str]]:
    """The plain definition of find_tokens: every anchor searched for on its own, a match
    skipping the text it covers."""
    found = set()
    for kind, anchors, pattern in TOKEN_PATTERNS:
        for anchor, back in anchors:
            pos = text.find(anchor, back)
            while pos != -1:
                match = re.compile(pattern).match(text, pos - back)
                if match:
                    found.add((pos - back, kind))
                resume = max(match.end(), pos + 1) if match else pos + 1
                pos = text.find(anchor, resume)
    return sorted(found)


#: Pieces that make near-tokens, tokens, their anchors and lots of probe characters
#: (enough of them to pass the point where the scan falls back to plain searches).
_PIECES = [
    *TOKENS.values(),
    *(anchor for _, anchors, _ in TOKEN_PATTERNS for anchor, _ in anchors),
    "A",
    "_",
    "x",
    "J",
    "z",
    "B",
    "I",
    "C",
    "AK",
    "IA",
    "ey",
    "CC",
    " ",
    "\n",
    "a1b2c3d4e5",
    "A" * 300,
    "_" * 300,
    "I" * 300,
    "C" * 300,
    "B" * 300,
    "xox" * 40,
    "0123456789ABCDEFGHIJ",
    "." * 20,
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=60), st.integers(0, 4200))
def test_token_scan_finds_what_one_search_per_anchor_finds(pieces: list[str], pad: int) -> None:
    # Long texts take the whole-file path, short ones the quick check first: both agree.
    for text in ("".join(pieces), " " * pad + "".join(pieces)):
        assert find_tokens(text) == _tokens_one_anchor_at_a_time(text)


@pytest.mark.parametrize("probe", ["A", "_", "x", "J", "z", "B", "I", "C"])
def test_token_right_where_the_scan_changes_method_is_found(probe: str) -> None:
    # After enough hits of a rare character the scan searches for anchors directly, from
    # the hit it stopped at: a token at any distance from that point is still found.
    for token in TOKENS.values():
        for count in range(140):
            text = probe * count + " " + token + probe * 5
            assert find_tokens(text) == _tokens_one_anchor_at_a_time(text), (count, token)
