"""Suppressions by annotation (object or pod template) and by comment (same line or above)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lint_text

BASE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web{annotation}
spec:
  template:
    metadata:
      labels: {{app: web}}{template_annotation}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:{above}
            privileged: true{same}
"""


def lint_variant(tmp_path: Path, **parts: str) -> list[tuple[str, int]]:
    values = {"annotation": "", "template_annotation": "", "above": "", "same": "", **parts}
    report = lint_text(
        tmp_path, BASE.format(**values), select=["privileged-container", "unknown-suppression"]
    )
    return [(r.check, r.location.line) for r in report.results]


def test_unsuppressed(tmp_path: Path) -> None:
    assert lint_variant(tmp_path) == [("privileged-container", 14)]


def test_object_annotation(tmp_path: Path) -> None:
    ann = "\n  annotations:\n    kubelint.io/ignore: privileged-container"
    assert lint_variant(tmp_path, annotation=ann) == []


def test_template_annotation_and_groups(tmp_path: Path) -> None:
    ann = "\n      annotations:\n        kubelint.io/ignore: 'hardening'"
    assert lint_variant(tmp_path, template_annotation=ann) == []


def test_comment_on_the_line(tmp_path: Path) -> None:
    assert lint_variant(tmp_path, same="  # kubelint: ignore=privileged-container") == []


def test_comment_alone_on_the_line_above(tmp_path: Path) -> None:
    above = "\n            # kubelint: ignore=privileged-container"
    found = lint_variant(tmp_path, above=above)
    assert found == []


def test_trailing_comment_on_the_line_above_does_not_cover_the_next(tmp_path: Path) -> None:
    found = lint_variant(tmp_path, above="  # kubelint: ignore=privileged-container")
    assert found == [("privileged-container", 14)]


def test_other_id_does_not_suppress_and_unknown_id_warns(tmp_path: Path) -> None:
    found = lint_variant(tmp_path, same="  # kubelint: ignore=privileged")
    assert found == [("privileged-container", 14), ("unknown-suppression", 14)]
