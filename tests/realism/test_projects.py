"""The default profile on project-shaped trees, as a new user runs it with no configuration.

Each folder under ``projects/`` is written in the shape of a kind of project users lint on
day one (a shop demo, a monitoring stack, a dashboard, mesh samples, an ingress controller,
a GitOps controller and its kustomize sources). Lines marked ``# expect: <check>`` must get
an error from that check; no other error may appear anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.model import SEVERITY_RANK
from tests.checks.test_fixtures import expected
from tests.conftest import lint_paths

PROJECTS = Path(__file__).parent / "projects"


@pytest.mark.parametrize("project", sorted(p.name for p in PROJECTS.iterdir()))
def test_default_run_reports_exactly_the_real_risks(project: str) -> None:
    folder = PROJECTS / project
    report = lint_paths([folder])
    assert not report.errors and not report.internal_errors
    marks = {
        (check, str(path.resolve()), line)
        for path in sorted(folder.rglob("*.yaml"))
        for check, line in expected(path)
    }
    errors = {
        (r.check, str(Path(r.location.file).resolve()), r.location.line)
        for r in report.results
        if r.severity == "error"
    }
    assert errors == marks
    # Advice about sandboxing never fails a project that does not use it.
    assert not [
        r
        for r in report.results
        if r.check == "missing-runtime-class" and SEVERITY_RANK[r.severity] >= 1
    ]


def test_tool_configuration_is_skipped_not_reported() -> None:
    report = lint_paths([PROJECTS / "gitops-kustomize"])
    assert not report.errors and not report.notices
    assert {r.check for r in report.results} <= {"missing-runtime-class", "pss-host-namespaces"}
    # two kustomization files, two builtin transformer configs and the skaffold config
    assert report.skipped >= 5


def test_secret_of_plain_settings_is_a_warning_not_an_error() -> None:
    report = lint_paths([PROJECTS / "monitoring-stack"], ["plaintext-secret"])
    assert [(r.severity, r.location.line) for r in report.results] == [
        ("warning", 42)
    ]  # at stringData


def test_kustomize_patches_are_judged_for_what_they_set_only() -> None:
    """A patch holds only the fields it changes: no 'missing' finding, but what it sets."""
    overlay = PROJECTS / "gitops-kustomize" / "overlays" / "staging"
    for paths in ([overlay], [overlay / "manager-patch.yaml", overlay / "debug-patch.yaml"]):
        report = lint_paths(paths)
        assert not report.errors
        assert [(Path(r.location.file).name, r.check) for r in report.results] == [
            ("debug-patch.yaml", "pss-host-namespaces")
        ]


def test_a_file_no_kustomization_names_is_a_whole_object(tmp_path: Path) -> None:
    patch = PROJECTS / "gitops-kustomize" / "overlays" / "staging" / "manager-patch.yaml"
    alone = tmp_path / "manager.yaml"
    alone.write_text(patch.read_text())
    checks = {r.check for r in lint_paths([alone]).results}
    assert {"schema-validation", "missing-security-context"} <= checks
