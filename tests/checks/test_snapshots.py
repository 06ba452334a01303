"""Every family's checks over that family's fixtures, compared with a reviewed snapshot.

The fixture marks pin line, column and a fragment of each message; a snapshot pins the
whole finding (severity, message, hint, key path) and every finding a family's other
checks add on the same fixtures. After an intended change, regenerate and review the diff::

    KUBELINT_UPDATE_SNAPSHOTS=1 pytest tests/checks/test_snapshots.py
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from kubelint.checks import BUILTIN
from kubelint.redaction import find_tokens
from tests.checks.test_fixtures import FIXTURES, kube_version
from tests.conftest import ROOT, lint_paths

SNAPSHOTS = Path(__file__).parent / "snapshots"
UPDATE = "KUBELINT_UPDATE_SNAPSHOTS=1 pytest tests/checks/test_snapshots.py"
FAMILIES = sorted({check.meta.family for check in BUILTIN})

#: Credentials written in the secrets fixtures, read from them by hand: none may reach a
#: finding (kubelint.redaction guards every output; the snapshot proves it for these).
SECRET_VALUES = (
    "changeme",
    "c3VwZXJzZWNyZXR0b2tlbg==",
    "hunter2",
    "MHcCAQEEIBkg",
    "Hunter2xyzFix",
    "odd-args-pw-1",
    "odd-args-key-2",
    "a8f5f167f44f4964e6c998dee827110c",
    "pg-pw-1",
    "my-pw-1",
    "app:pw@db",
    "c2VjcmV0a2V5",
    "eyJhbGciOiJIUzI1NiJ9",
    "s3cr3t",
    "tok-12345678",
    "rootpw",
    "Spr1ngPw",
    "tok-abcdef",
    "ini-pw-1",
    "json-pw-1",
    "aHVudGVyMg==",
    "tok-0123456789",
    "old-pw-1",
    "tok-abc-123",
    "ghp_A1b2C3d4",
    "glpat-A1b2C3d4",
    "AKIAIOSFODNN7EXAMPLE",
    "MIIEow",
    "ghp_0123456789",
    "hooks.slack.com/services/T000",
    "Zml4dHVyZS1hZXNjYmMta2V5LW9mLTMyLWJ5dGVzISE=",
    # kubeconfig.yaml: a user's token, password, client key, OIDC and exec credentials
    "a2NGaXh0dXJlU2lnbmF0dXJlT25l",
    "kc-static-token-5f2a9",
    "kc-basic-pw-1",
    "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0t",
    "kc-oidc-client-secret-7b1",
    "kc-refresh-3c9d",
    "a2NGaXh0dXJlU2lnbmF0dXJlVHdv",
    "kc-exec-token-88d1",
)


#: Inline keys of the EncryptionConfiguration files among the cluster fixtures, read from
#: them by hand: the encryption checks name providers and resources, never a key.
ENCRYPTION_KEYS = ("dGhpcyBpcyBhIHRlc3Qga2V5IG9mIDMyIGJ5dGVzISE=",)


def findings(family: str) -> list[dict[str, Any]]:
    """The findings of a family's checks on each of its fixture files, in report order."""
    ids = [check.meta.id for check in BUILTIN if check.meta.family == family]
    rows: list[dict[str, Any]] = []
    for path in sorted((FIXTURES / family).glob("*/*.yaml")):
        report = lint_paths(
            [path.relative_to(ROOT)], ids, **kube_version(path.read_text(encoding="utf-8"))
        )
        assert not report.errors and not report.internal_errors
        for r in sorted(report.results, key=lambda r: r.sort_key()):
            rows.append(
                {
                    "check": r.check,
                    "file": Path(r.location.file).as_posix(),
                    "line": r.location.line,
                    "column": r.location.column,
                    "severity": r.severity,
                    "message": r.message,
                    "hint": r.hint,
                    "path": r.path,
                }
            )
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("family", FAMILIES)
def test_findings_match_the_snapshot(family: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # messages and hints name files relative to the working folder
    snapshot = SNAPSHOTS / f"{family}.json"
    text = render(findings(family))
    if os.environ.get("KUBELINT_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {family}; create it with: {UPDATE}"
    committed = snapshot.read_text(encoding="utf-8")
    assert text == committed, f"{snapshot.name} is out of date; review, then run: {UPDATE}"


def test_every_snapshot_is_of_a_family() -> None:
    assert sorted(p.stem for p in SNAPSHOTS.glob("*.json")) == FAMILIES


def test_secrets_snapshot_holds_no_secret_value() -> None:
    fixtures = "".join(
        p.read_text(encoding="utf-8") for p in sorted((FIXTURES / "secrets").glob("*/*.yaml"))
    )
    snapshot = (SNAPSHOTS / "secrets.json").read_text(encoding="utf-8")
    for value in SECRET_VALUES:
        assert value in fixtures, f"{value!r} is not in the fixtures any more"
        assert value not in snapshot, f"{value!r} leaked into a finding"
    assert find_tokens(snapshot) == []
    assert "<redacted>" in snapshot  # keys that hold a value are shown masked


def encryption_keys(node: Any) -> Iterator[str]:
    """Every ``secret`` of a ``keys`` entry under an EncryptionConfiguration's providers."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "keys" and isinstance(value, list):
                yield from (k["secret"] for k in value if isinstance(k, dict) and "secret" in k)
            else:
                yield from encryption_keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from encryption_keys(item)


def test_cluster_snapshot_holds_no_encryption_key() -> None:
    documents = [
        doc
        for path in sorted((FIXTURES / "cluster").glob("*/*.yaml"))
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8"))
        if isinstance(doc, dict) and doc.get("kind") == "EncryptionConfiguration"
    ]
    written = {key for doc in documents for key in encryption_keys(doc)}
    assert written == set(ENCRYPTION_KEYS), "list every fixture key in ENCRYPTION_KEYS"
    snapshot = (SNAPSHOTS / "cluster.json").read_text(encoding="utf-8")
    for key in ENCRYPTION_KEYS:
        assert key not in snapshot, f"{key!r} leaked into a finding"
        assert base64.b64decode(key).decode() not in snapshot
    assert find_tokens(snapshot) == []
