"""SARIF fixes: exactly the engine's edit of each finding, valid SARIF, and no secret."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kubelint.checks.base import Check, CheckMeta, Context, ModuleCheck
from kubelint.config import Config
from kubelint.edit import apply
from kubelint.fixes import fixable
from kubelint.model import Edit, Finding, Fix, K8sObject, Report, Result
from kubelint.reporters.sarif import as_dict
from kubelint.reporters.sarif_fixes import Replacement, region, replacements
from kubelint.runner import Inputs, lint
from tests.conftest import lint_paths

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())
CHECKS = ["privileged-container", "missing-security-context", "plaintext-secret"]

PODS = """\
# the shop's web tier
apiVersion: v1
kind: Pod
metadata:
  name: web  # keep
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true   # needed?
    - name: api
      image: api:2
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: flow}
spec:
  template:
    spec:
      containers: [{name: flow, image: flow:1, securityContext: {privileged: true}}]
"""

SECRETS = """\
apiVersion: v1
kind: Secret
metadata:
  name: db
stringData:
  password: Hunter2-Secret
---
apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - {name: app, image: "app:1", env: [{name: DB_PASSWORD, value: "Sw0rdfish!"}], securityContext: {privileged: true}}
    - name: worker
      image: worker:1
      env:
        - name: API_TOKEN
          value: "Xyzzy-Plugh-42"
"""


def apply_regions(text: str, changes: list[dict[str, Any]]) -> str:
    """``text`` with SARIF replacements applied, read from their line/column regions the
    way a SARIF viewer does (independently of how kubelint computed them)."""
    lines = text.splitlines(keepends=True)
    lines.append("")  # the line after a final line break

    def offset(line: int, column: int) -> int:
        assert 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1
        return sum(len(before) for before in lines[: line - 1]) + column - 1

    spans = []
    for change in changes:
        where = change["deletedRegion"]
        start = offset(where["startLine"], where["startColumn"])
        end = offset(where["endLine"], where["endColumn"])
        spans.append((start, end, change["insertedContent"]["text"]))
    for start, end, inserted in sorted(spans, reverse=True):
        assert start <= end
        text = text[:start] + inserted + text[end:]
    return text


def _regions(old: str, new: str) -> list[dict[str, Any]]:
    return [
        {"deletedRegion": region(old, r), "insertedContent": {"text": r.text}}
        for r in replacements(old, new)
    ]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a: 1\nb: 2\n", "a: 1\nb: 3\n"),
        ("a: 1\nb: 2\n", "a: 1\nb: 2\nc:\n  d: 4\n"),  # appended after the last line break
        ("a: 1\nb: 2", "a: 1\nb: 2\nc: 3"),  # no final line break
        ("a: 1\nb: 2\nc: 3\n", "c: 3\n"),
        ("x:\r\n  y: 1\r\n  z: 2\r\n", "x:\r\n  y: 1\r\n  w: 5\r\n  z: 2\r\n"),
        ("x:\r\n  y: 1\r\n", "x:\r\n  y: 10\r\n"),
        ("s: é✓\nt: 1\n", "s: é✓\nt: 2\nu: ✓\n"),
        ("a: 1\n", "a: 1\n"),
        ("", "a: 1\n"),
        ("k: [1, 2]\nm: n\n", "k:\n  - 1\n  - 2\nm: n\n"),
    ],
)
def test_replacements_turn_the_old_text_into_the_new(old: str, new: str) -> None:
    assert apply_regions(old, _regions(old, new)) == new


def test_replacements_change_only_what_differs() -> None:
    old = "spec:\n  a: 1\n  b: true\n  c: 3\n"
    new = "spec:\n  a: 1\n  b: false\n  c: 3\n"
    assert replacements(old, new) == [Replacement(18, 21, "fals")]  # "tru" of "true"
    assert replacements(old, old) == []
    # A CRLF line break is never cut in two: a region's ends fall between characters.
    [crlf] = replacements("a: 1\r\n", "a: 1\r\nb: 2\r\n")
    assert (crlf.start, crlf.end, crlf.text) == (6, 6, "b: 2\r\n")


def _lint(tmp_path: Path, files: dict[str, str | bytes]) -> Report:
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        paths.append(path)
    return lint_paths(paths, CHECKS)


def _engine_text(result: Result, report: Report) -> str:
    """What the editing engine makes of the finding's file with the fix SARIF shows."""
    obj, fix = result.document, result.fix
    assert obj is not None and fix is not None
    part = fix if fixable(result) == "unsafe" else fix.part(unsafe=False)
    assert part is not None
    [objects] = [item.objects for item in report.retained if item.source is obj.source]
    done = apply(obj.source.text, objects, [(obj, part)])
    assert done.applied == [part]
    return done.text.removeprefix("\ufeff")


def test_sarif_fixes_are_exactly_the_engines_edits_and_valid(tmp_path: Path) -> None:
    crlf = PODS.replace("\n", "\r\n")
    report = _lint(
        tmp_path,
        {"pods.yaml": PODS, "crlf.yaml": crlf, "bom.yaml": "\ufeff" + PODS},
    )
    sarif = as_dict(report, tmp_path)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    results = sarif["runs"][0]["results"]
    assert len(results) == len(report.results)
    with_fixes = 0
    for result, written in zip(report.results, results, strict=True):
        kind = fixable(result)
        assert written["properties"]["fixable"] == kind
        if "fixes" not in written:
            continue
        with_fixes += 1
        [fix] = written["fixes"]
        text = fix["description"]["text"]
        assert text.endswith("(safe)" if kind == "safe" else "(unsafe: may change behaviour)")
        [change] = fix["artifactChanges"]
        assert (
            change["artifactLocation"]
            == written["locations"][0]["physicalLocation"]["artifactLocation"]
        )
        original = result.document.source.text.removeprefix("\ufeff")  # type: ignore[union-attr]
        assert apply_regions(original, change["replacements"]) == _engine_text(result, report)
    # privileged-container (unsafe) and missing-security-context (safe) in three files;
    # the flow-style Deployment's edits apply too.
    assert with_fixes == sum(fixable(r) != "no" for r in report.results) >= 12


def test_no_sarif_fix_carries_a_value_redaction_hides(tmp_path: Path) -> None:
    report = _lint(tmp_path, {"app.yaml": SECRETS})
    sarif = json.dumps(as_dict(report, tmp_path))
    assert '"fixes"' in sarif  # the worker's securityContext is still fixed
    for hidden in ("Hunter2-Secret", "Sw0rdfish!", "Xyzzy-Plugh-42"):
        assert hidden not in sarif
    plaintext = [r for r in report.results if r.check == "plaintext-secret"]
    assert plaintext and all(fixable(r) == "no" for r in plaintext)


def test_a_report_without_its_sources_has_no_fixes(tmp_path: Path) -> None:
    report = _lint(tmp_path, {"pods.yaml": PODS})
    report.retained = []
    sarif = as_dict(report, tmp_path)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    assert all("fixes" not in r for r in sarif["runs"][0]["results"])


def _copying_check(value: str) -> Check:
    """A check whose fix writes ``value`` into the Pod: as if an edit copied a secret."""
    meta = CheckMeta(id="copies", summary="copies", severity="warning", remediation="r")

    def check(obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterator[Finding]:
        if obj.kind == "Pod":
            edit = Edit("set", ("metadata", "annotations", "note"), value, safe=True)
            yield Finding(("metadata",), "copies", fix=Fix("copy", (edit,), safe=True))

    return ModuleCheck(meta, check)


@pytest.mark.parametrize(("value", "shown"), [("Hunter2-Secret", False), ("plain words", True)])
def test_a_fix_that_would_copy_a_hidden_value_is_left_out(
    tmp_path: Path, value: str, shown: bool
) -> None:
    path = tmp_path / "app.yaml"
    path.write_text(SECRETS, encoding="utf-8")
    report = lint(Inputs([str(path)], repo_context=False), Config(), [_copying_check(value)])
    [result] = report.results
    assert fixable(result) == "safe"  # the engine applies it ...
    [written] = as_dict(report, tmp_path)["runs"][0]["results"]
    assert ("fixes" in written) is shown  # ... but SARIF shows it only without the secret
