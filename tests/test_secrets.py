"""Secret-like names and token shapes: what counts, and what must not."""

from __future__ import annotations

import pytest

from kubelint.secrets import find_tokens, holds_secret, holds_secret_b64, is_secret_name

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
    ],
)
def test_secret_like_names(name: str) -> None:
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
    ],
)
def test_names_that_only_talk_about_secrets(name: str) -> None:
    assert not is_secret_name(name)


def test_values() -> None:
    assert holds_secret("changeme") and holds_secret(1234)
    for placeholder in (
        "",
        "  ",
        "${DB_PASS}",
        "$(TOKEN)",
        "<password>",
        "{{ .Values.pw }}",
        "ENC[AES256_GCM,data:abc,type:str]",
        None,
        True,
    ):
        assert not holds_secret(placeholder)
    assert holds_secret_b64("c2VjcmV0") and holds_secret_b64("not base64!")
    assert not holds_secret_b64("JHtQQVNTfQ==")  # ${PASS}
    assert not holds_secret_b64("")
