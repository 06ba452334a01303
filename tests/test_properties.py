"""Property-based tests (hypothesis): planted secrets never reach any output, and no
input, however malformed, makes kubelint crash or write an unreadable report.

CI runs a small, fixed set of examples (derandomized: the same ones every run, so a
failure reproduces). For a longer, random run by hand::

    KUBELINT_FUZZ_EXAMPLES=2000 .venv/bin/python -m pytest -q tests/test_properties.py
"""

from __future__ import annotations

import base64
import itertools
import json
import os
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import lint_paths, run_cli

_BY_HAND = os.environ.get("KUBELINT_FUZZ_EXAMPLES")
settings.register_profile(
    "kubelint",
    max_examples=int(_BY_HAND) if _BY_HAND else 15,
    deadline=None,
    derandomize=not _BY_HAND,
    # capsys is read and emptied by every run_cli call: sharing it between examples is fine.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    print_blob=True,
    database=None,  # nothing written into the checkout; failures print their blob
)
settings.load_profile("kubelint")

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "reporters" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
FORMATS = ("text", "concise", "json", "sarif", "github", "junit")

# ---------------------------------------------------------------------------------------
# Secrets and where they are planted

_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
_UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _chars(alphabet: str, size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet, min_size=size, max_size=size)


#: Token shapes kubelint knows, each long and random enough never to occur by chance.
TOKENS = st.one_of(
    _chars(_ALNUM, 36).map(lambda s: "ghp_" + s),
    _chars(_UPPER_DIGITS, 16).map(lambda s: "AKIA" + s),
    _chars(_ALNUM, 24).map(lambda s: "glpat-" + s),
    _chars(_ALNUM, 20).map(lambda s: "xoxb-1234-" + s),
    _chars(_ALNUM, 36).map(lambda s: "npm_" + s),
)


@st.composite
def passwords(draw: st.DrawFn) -> str:
    """A literal password: mixed letters and digits, so no placeholder rule spares it."""
    body = draw(_chars(_ALNUM, 12))
    return "Pw7" + body + "q"


SECRET_NAMES = st.sampled_from(
    ["DB_PASSWORD", "API_TOKEN", "CLIENT_SECRET", "password", "apiKey", "PGPASSWORD"]
)
NAMES = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12).map(
    lambda s: "n" + s
)


@st.composite
def planted(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A manifest of a few objects with secrets planted in random places, and the secrets
    (the plaintext of each; kubelint must print neither it nor its base64 form)."""
    secrets: list[str] = []
    docs: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["Pod", "Deployment", "ConfigMap", "Secret"]))
        obj: dict[str, Any] = {"apiVersion": "apps/v1" if kind == "Deployment" else "v1"}
        obj["kind"] = kind
        obj["metadata"] = {"name": draw(NAMES), "annotations": {}}
        container: dict[str, Any] = {"name": draw(NAMES), "image": "example/app:1", "env": []}
        pod_spec: dict[str, Any] = {"containers": [container]}
        if kind == "Pod":
            obj["spec"] = pod_spec
        elif kind == "Deployment":
            obj["spec"] = {
                "selector": {"matchLabels": {"app": "a"}},
                "template": {"metadata": {"labels": {"app": "a"}}, "spec": pod_spec},
            }
        elif kind == "ConfigMap":
            obj["data"] = {}
        else:
            obj["stringData"], obj["data"] = {}, {}
        comments: list[str] = []
        for _ in range(draw(st.integers(1, 4))):
            token = draw(TOKENS)
            password = draw(passwords())
            name = draw(SECRET_NAMES)
            place = draw(
                st.sampled_from(
                    [
                        "object name",
                        "container name",
                        "annotation value",
                        "annotation key",
                        "glued annotation key",
                        "env value",
                        "glued env key",
                        "env name",
                        "args",
                        "comment",
                        "data value",
                        "glued data key",
                        "data key",
                        "encoded data",
                    ]
                )
            )
            # Places a password can hide only behind a credential name; tokens go anywhere.
            if place == "object name":
                obj["metadata"]["name"] = token
            elif place == "container name":
                container["name"] = token
            elif place == "annotation value":
                obj["metadata"]["annotations"][f"example.com/{draw(NAMES)}"] = token
            elif place == "annotation key":
                obj["metadata"]["annotations"][token] = "x"
            elif place == "glued annotation key":
                obj["metadata"]["annotations"][f"{name}:{password}"] = "x"
            elif place == "env value":
                container["env"].append({"name": name, "value": password})
            elif place == "glued env key":
                container["env"].append({"name": name, f"value:{password}": None})
            elif place == "env name":
                container["env"].append({"name": token, "value": "1"})
            elif place == "args":
                container.setdefault("args", []).append(f"--{name}={password}")
            elif place == "comment":
                comments.append(f"# {draw(NAMES)} {token}")
            elif place == "data value":
                target = "stringData" if kind == "Secret" else "data"
                obj.setdefault(target, {})[name] = password
            elif place == "glued data key":
                target = "stringData" if kind == "Secret" else "data"
                obj.setdefault(target, {})[f"{name}:{password}"] = None
            elif place == "data key":
                obj.setdefault("data", {})[token] = "eA=="
            else:  # base64 in a Secret's data (or a ConfigMap's, where it is plain text)
                encoded = base64.b64encode(password.encode()).decode()
                obj.setdefault("data", {})[name] = encoded
            secrets.append(token if place in _TOKEN_PLACES else password)
        text = yaml.safe_dump(obj, sort_keys=False, default_flow_style=draw(st.booleans()))
        lines = text.splitlines()
        for comment in comments:
            lines.insert(draw(st.integers(0, len(lines))), comment)
        docs.append("\n".join(lines) + "\n")
    return "---\n".join(docs), secrets


_TOKEN_PLACES = frozenset(
    {"object name", "container name", "annotation value", "annotation key", "env name"}
    | {"comment", "data key"}
)


def _forms(secret: str) -> list[str]:
    """The secret as it could leak: raw, base64 (padded or not), and most of it."""
    encoded = base64.b64encode(secret.encode()).decode()
    return [secret, encoded, encoded.rstrip("="), secret[2:-2]]


def _every_output(
    path: Path, workdir: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    """Every report format and a baseline from one run, then --statistics and the diff of
    every fix, in-process."""
    args = [str(path), "--no-repo-context", "--select", "all", *extra]
    outputs = [arg for fmt in FORMATS for arg in ("-f", f"{fmt}:{workdir / ('out.' + fmt)}")]
    code, out, err = run_cli([*args, *outputs], capsys)
    texts = [out, err] + [(workdir / f"out.{fmt}").read_text(encoding="utf-8") for fmt in FORMATS]
    for fmt in ("text", "concise"):
        stats_code, out, err = run_cli([*args, "--statistics", "-f", fmt], capsys)
        assert stats_code == code
        texts += [out, err]
    baseline = workdir / "baseline.json"
    written, out, err = run_cli([*args, "--write-baseline", str(baseline)], capsys)
    assert written in (0, 2), err
    texts += [out, err, baseline.read_text(encoding="utf-8") if baseline.exists() else ""]
    # A diff quotes the file around each fix: the lines around the edits are output too.
    diff_code, out, err = run_cli([*args, "--diff", "--unsafe-fixes"], capsys)
    assert diff_code in (0, 1, 2), err
    texts += [out, err]
    return code, "\n".join(texts)


@given(planted())
def test_planted_secrets_never_reach_any_output(
    capsys: pytest.CaptureFixture[str], case: tuple[str, list[str]]
) -> None:
    manifest, secrets = case
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "manifest.yaml"
        path.write_text(manifest, encoding="utf-8")
        code, output = _every_output(path, workdir, capsys)
        assert code in (0, 1, 2)
        for secret in secrets:
            for form in _forms(secret):
                assert form not in output, (secret, form)
        assert path.read_text(encoding="utf-8") == manifest  # never modified


def test_the_planting_generator_plants_what_kubelint_must_find(tmp_path: Path) -> None:
    # The property above is only as good as its inputs: each place it plants a secret in
    # is one kubelint reads (a planted token or password is reported, not just hidden).
    manifest = yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "c", "annotations": {"DB_PASSWORD:Pw7abcdefghijkq": "x"}},
            "data": {"password:Pw7abcdefghijkq": None},
        }
    )
    path = tmp_path / "m.yaml"
    path.write_text(manifest, encoding="utf-8")
    found = lint_paths([path], ["plaintext-secret"]).results
    assert sorted(r.path for r in found) == [
        "data.password:<redacted>",
        "metadata.annotations.DB_PASSWORD:<redacted>",
    ]


# ---------------------------------------------------------------------------------------
# Malformed input: no crash, valid reports

#: Pieces of YAML text; random sequences of them make mostly-broken documents. Control
#: characters are left out on purpose: JUnit reports do not escape them yet (another part
#: of issue #9).
_PIECES = [
    "apiVersion: v1\n",
    "apiVersion: apps/v1\n",
    "kind: Pod\n",
    "kind: Deployment\n",
    "kind: Secret\n",
    "kind: ConfigMap\n",
    "metadata:\n",
    "  name: a\n",
    "spec:\n",
    "  containers:\n",
    "  - name: c\n",
    "    image: x\n",
    "    securityContext: {privileged: true}\n",
    "data:\n",
    "stringData: {password:Pw7abcdefghijkq}\n",
    "---\n",
    "...\n",
    "- ",
    "? ",
    ": ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "!custom ",
    "|\n",
    ">-\n",
    "# kubelint: ignore=privileged-container\n",
    "'",
    '"',
    "\\",
    "null",
    "~",
    "true",
    "0x1F",
    "1e3",
    "-.inf",
    "2024-01-01",
    "  ",
    "\n",
    "\t",
    "é",
    "\u2028",
    "value:x",
    "%YAML 1.1\n",
    "@",
    "`",
    "9" * 5000,  # more digits than Python turns into an int by default
    "[" * 200,
]
YAMLISH = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)

#: Any text a UTF-8 file can hold, control characters included (no lone surrogates).
_TEXT = st.characters(blacklist_categories=("Cs",))
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(_TEXT, max_size=20),
)


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    keys = st.one_of(st.text(_TEXT, max_size=8), st.integers(0, 9))
    return st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4))


VALUES = st.recursive(
    _SCALARS,
    _containers,
    max_leaves=12,
)
#: Fields the checks read, each to be given a value of a random (mostly wrong) type.
_FIELDS = [
    ("metadata",),
    ("metadata", "name"),
    ("metadata", "namespace"),
    ("metadata", "annotations"),
    ("metadata", "labels"),
    ("spec",),
    ("spec", "containers"),
    ("spec", "containers", 0, "securityContext"),
    ("spec", "containers", 0, "env"),
    ("spec", "containers", 0, "args"),
    ("spec", "containers", 0, "ports"),
    ("spec", "securityContext"),
    ("spec", "volumes"),
    ("spec", "hostNetwork"),
    ("spec", "template"),
    ("spec", "template", "spec"),
    ("spec", "podSelector"),
    ("spec", "policyTypes"),
    ("data",),
    ("stringData",),
]
_KINDS = ["Pod", "Deployment", "Secret", "ConfigMap", "Namespace", "NetworkPolicy", "Foo"]


def _put(obj: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    node: Any = obj
    for part, following in itertools.pairwise(path):
        child = node[part] if isinstance(node, dict) and part in node else None
        if isinstance(node, list):
            child = node[0] if node else None
        if not isinstance(child, dict | list):
            child = [] if isinstance(following, int) else {}
            if isinstance(node, list):
                node[:] = [child]
            else:
                node[part] = child
        if isinstance(child, list) and not child and isinstance(following, int):
            child.append({})
        node = child
    if isinstance(node, list):
        node[:] = [value]
    else:
        node[path[-1]] = value


@st.composite
def structured(draw: st.DrawFn) -> str:
    docs = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(_KINDS))
        obj: dict[str, Any] = {"apiVersion": "apps/v1" if kind == "Deployment" else "v1"}
        obj.update({"kind": kind, "metadata": {"name": "a"}})
        for field in draw(st.lists(st.sampled_from(_FIELDS), max_size=5)):
            _put(obj, field, draw(VALUES))
        docs.append(yaml.safe_dump(obj, sort_keys=False, allow_unicode=True))
    return "---\n".join(docs)


def _check_reports(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        path = workdir / "manifest.yaml"
        path.write_text(text, encoding="utf-8")
        report = lint_paths([path], ["all"])  # no exception escapes
        assert report.internal_errors == []
        code, _ = _every_output(path, workdir, capsys)
        assert code in (0, 1, 2)
        parsed = json.loads((workdir / "out.json").read_text(encoding="utf-8"))
        assert parsed["internalErrors"] == []
        sarif = json.loads((workdir / "out.sarif").read_text(encoding="utf-8"))
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif)
        ET.fromstring((workdir / "out.junit").read_text(encoding="utf-8"))
        assert path.read_text(encoding="utf-8") == text


@given(YAMLISH)
def test_yamlish_text_never_crashes(capsys: pytest.CaptureFixture[str], text: str) -> None:
    _check_reports(text, capsys)


@given(structured())
def test_wrong_types_everywhere_never_crash(capsys: pytest.CaptureFixture[str], text: str) -> None:
    _check_reports(text, capsys)
