"""kubelint never fetches a schema: a CRD's ``$ref`` is a finding, never a request."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from kubelint.model import Report
from kubelint.schema.offline import RetrievalRefused, refuse, registry
from tests.conftest import ROOT, lint_text

SCHEMA_CHECKS = ["schema-validation", "unknown-field"]


def crd(ref: str) -> str:
    """A CRD whose ``spec.target`` property refers to ``ref`` (the $ref is on line 21)."""
    return f"""apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {{plural: widgets, kind: Widget}}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                target:
                  $ref: "{ref}"
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  target: {{anything: 1}}
"""


REF_LINE = 21


def _results(report: Report) -> list[tuple[int, str, str]]:
    return sorted((r.location.line, r.check, r.message) for r in report.results)


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = json.dumps({"type": "string"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A schema server on 127.0.0.1 that records every request it gets."""
    seen: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": seen})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/widget.json", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_the_recording_server_records(server: tuple[str, list[str]]) -> None:
    """The server the next test relies on does see a request made to it."""
    import urllib.request

    url, seen = server
    with urllib.request.urlopen(url, timeout=10) as response:
        assert json.load(response) == {"type": "string"}
    assert seen == ["/widget.json"]


def test_bug_crd_remote_ref_is_resolved(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    """A CRD's http $ref is reported on its line and never fetched."""
    url, seen = server
    report = lint_text(tmp_path, crd(url), select=SCHEMA_CHECKS)
    assert seen == []
    assert _results(report) == [
        (
            REF_LINE,
            "schema-validation",
            "'spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.target.$ref':"
            " a CustomResourceDefinition's schema cannot use $ref (the API server rejects it);"
            " kubelint does not follow it",
        )
    ]
    # The URL (which could hold credentials) is in no message.
    assert all(url not in r.message for r in report.results)
    # The Widget is not validated against a schema with a hole in it, and the note says why.
    assert report.not_validated == 1
    (note,) = report.notices
    assert "CustomResourceDefinition's schema uses $ref" in note.message
    assert url not in note.message


@pytest.mark.parametrize(
    "ref",
    [
        "file:///etc/passwd",
        "file://{tmp}/widget.json",
        "schemas.internal.example/widget.json",
        "widget.json#/definitions/target",
        "https://kubelint-test.invalid/widget.json",
    ],
)
def test_bug_crd_file_and_host_refs_are_never_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ref: str
) -> None:
    """No socket, no DNS query, no file outside the linted tree.

    jsonschema-rs fetches in Rust, out of reach of the socket patches: what proves that
    no file was read is the Widget, which the schema in widget.json (a string, next to the
    manifest) would reject, and which gets no finding.
    """
    (tmp_path / "widget.json").write_text(json.dumps({"type": "string"}))

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("kubelint used the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    report = lint_text(tmp_path, crd(ref.format(tmp=tmp_path)), select=SCHEMA_CHECKS)
    monkeypatch.undo()
    assert [(line, check) for line, check, _ in _results(report)] == [
        (REF_LINE, "schema-validation")
    ]
    assert not report.internal_errors
    assert report.not_validated == 1


def test_local_refs_of_crds_are_reported_with_their_definitions(tmp_path: Path) -> None:
    """``definitions`` and a local ``$ref`` are findings too: the API server rejects both."""
    text = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, kind: Widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          definitions:
            port: {type: integer}
          properties:
            spec:
              type: object
              properties:
                $ref: {type: string}
                port: {$ref: "#/definitions/port"}
"""
    report = lint_text(tmp_path, text, select=SCHEMA_CHECKS)
    # A property *named* $ref (line 22) is a field name, not a reference.
    assert [(line, check) for line, check, _ in _results(report)] == [
        (16, "schema-validation"),
        (23, "schema-validation"),
    ]


def test_a_crd_without_references_still_validates_its_resources(tmp_path: Path) -> None:
    text = crd("unused").replace('$ref: "unused"', "type: integer") + "\n"
    report = lint_text(tmp_path, text, select=SCHEMA_CHECKS)
    assert _results(report) == [
        (28, "schema-validation", "'spec.target' must be an integer, not a mapping")
    ]
    assert report.not_validated == 0


def test_refusals_refuse_every_uri() -> None:
    with pytest.raises(RetrievalRefused):
        refuse("http://127.0.0.1/schema.json")
    import jsonschema

    validator = jsonschema.Draft7Validator(
        {"properties": {"a": {"$ref": "file:///etc/passwd"}}}, registry=registry()
    )
    with pytest.raises(Exception, match="Unresolvable"):
        list(validator.iter_errors({"a": 1}))


def _blocked_env(tmp_path: Path) -> dict[str, str]:
    """An environment whose Python cannot open a socket (sitecustomize runs first)."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import socket\n"
        "class _NoSocket(socket.socket):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        raise OSError('network access attempted by kubelint')\n"
        "def _refuse(*args, **kwargs):\n"
        "    raise OSError('network access attempted by kubelint')\n"
        "socket.socket = _NoSocket\n"
        "socket.create_connection = _refuse\n"
        "socket.getaddrinfo = _refuse\n"
    )
    return {**os.environ, "PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}", "NO_COLOR": "1"}


def _run(tree: Path, env: dict[str, str], prefix: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "kubelint", "--select", ",".join(SCHEMA_CHECKS)]
        + ["-f", "json", "."],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "crd.yaml").write_text(crd("http://schemas.kubelint-test.invalid/w.json"))
    return tree


def _assert_one_ref_finding(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert [(f["line"], f["check"]) for f in findings] == [(REF_LINE, "schema-validation")]
    assert "network access attempted" not in result.stderr


def test_bug_crd_ref_with_sockets_refused(tmp_path: Path) -> None:
    """The command line, with every socket refused, still reports the $ref."""
    env = _blocked_env(tmp_path)
    probe = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "network access attempted" in probe.stderr  # the blocker does block
    _assert_one_ref_finding(_run(_tree(tmp_path), env, []))


def _unshare_works() -> bool:
    if shutil.which("unshare") is None:
        return False
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


if _unshare_works():

    def test_bug_crd_ref_without_a_network_namespace(tmp_path: Path) -> None:
        """In a network namespace with no interfaces up, the run is the same."""
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
        _assert_one_ref_finding(_run(_tree(tmp_path), env, ["unshare", "-n"]))


def test_bug_plugin_option_schema_ref_is_resolved(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """A plugin's option schema with a remote $ref: a clear configuration error, no request."""
    from types import SimpleNamespace

    from kubelint.checks.base import CheckMeta, Param
    from kubelint.config import load_config
    from kubelint.errors import ConfigError

    url, seen = server
    meta = CheckMeta(
        id="remote-option",
        summary="s",
        severity="error",
        remediation="r",
        params=(Param("target", {"$ref": url}, None, "where"),),
    )
    checks: Any = {"remote-option": SimpleNamespace(meta=meta, doc="")}
    config = tmp_path / ".kubelint.yaml"
    config.write_text("checks:\n  remote-option:\n    target: 1\n")
    with pytest.raises(ConfigError) as caught:
        load_config(config, checks)
    assert seen == []
    assert str(caught.value) == (
        f"{config}: the schema of a check option refers to '{url}', which kubelint never"
        " fetches (a plugin's check should hold its whole schema)"
    )


def test_bug_crd_remote_meta_schema_is_fetched(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """``$schema`` and ``$id`` are never looked up; the custom resource is still validated."""
    url, seen = server
    text = (
        crd("unused")
        .replace('$ref: "unused"', "type: integer")
        .replace(
            "          type: object\n          properties:\n            spec:",
            f'          $schema: "{url}"\n          id: "{url}"\n          type: object\n'
            "          properties:\n            spec:",
            1,
        )
    )
    assert text.count(url) == 2
    report = lint_text(tmp_path, text, select=SCHEMA_CHECKS)
    assert seen == []
    assert _results(report) == [
        (30, "schema-validation", "'spec.target' must be an integer, not a mapping")
    ]
    assert report.not_validated == 0


def test_every_validator_kubelint_builds_refuses_retrieval() -> None:
    """A validator built without the refusal would fetch whatever a schema names."""
    import ast

    builders = {"validator_for", "Draft7Validator", "Draft202012Validator", "validator_cls_for"}
    calls: list[tuple[str, int, set[str]]] = []
    for source in sorted((ROOT / "kubelint").rglob("*.py")):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in builders:
                    keywords = {k.arg for k in node.keywords if k.arg}
                    calls.append((source.name, node.lineno, keywords))
    assert len(calls) >= 3  # crds.py, validate.py, config.py
    unsafe = [(name, line) for name, line, kw in calls if not kw & {"retriever", "registry"}]
    assert unsafe == []


@pytest.mark.parametrize("keyword", ["not", "allOf", "additionalProperties", "items"])
@pytest.mark.parametrize("shape", ["mapping", "list"])
def test_converted_crd_schema_keeps_no_lookup_keyword_in_any_sub_schema(
    keyword: str, shape: str
) -> None:
    from kubelint.schema.crds import convert

    unsafe = {"$id": "http://127.0.0.1:9/x", "$schema": "http://127.0.0.1:9/s", "type": "string"}
    value: Any = unsafe if shape == "mapping" else [unsafe]
    converted = json.dumps(convert({"type": "object", keyword: value}, root=True))
    assert "127.0.0.1" not in converted
    assert '"type": "string"' in converted
