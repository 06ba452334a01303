"""The text, concise and statistics reports, read at hundreds of findings."""

from __future__ import annotations

import io
from pathlib import Path

from kubelint.model import InputProblem, Location, Report, Result, Rule
from kubelint.reporters import get_reporter
from kubelint.reporters.text import summary, write, write_statistics
from tests.conftest import lint_text

POD = {"apiVersion": "v1", "kind": "Pod", "name": "web", "namespace": "shop"}
RULES = [
    Rule("privileged-container", "Container runs privileged", "error", "drop privileged", ""),
    Rule("namespace-without-default-deny", "No default deny", "warning", "add a policy", ""),
    Rule("missing-runtime-class", "No runtime class", "warning", "set runtimeClassName", ""),
]


def result(check: str, line: int, severity: str, hint: str, file: str = "a.yaml") -> Result:
    return Result(check, severity, Location(file, line, 5), f"problem at {line}", hint, POD, "x")


def render(report: Report, writer: str = "text") -> str:
    out = io.StringIO()
    get_reporter(writer)(report, out, False)
    return out.getvalue()


def test_bug_every_finding_repeated_its_hint() -> None:
    report = Report(
        results=[
            result("privileged-container", 3, "error", "drop privileged"),
            result("privileged-container", 9, "error", "drop privileged"),
            result("privileged-container", 15, "error", "drop privileged"),
        ],
        files=1,
        objects=1,
        rules=RULES,
    )
    assert render(report).splitlines() == [
        "a.yaml:3:5: error privileged-container problem at 3",
        "a.yaml:9:5: error privileged-container problem at 9",
        "a.yaml:15:5: error privileged-container problem at 15",
        "",
        "hints:",
        "  privileged-container: drop privileged",
        "",
        "1 file (1 with findings), 1 object: 3 errors, 0 warnings, 0 info",
    ]


def test_a_findings_own_hint_is_kept_once_after_its_checks_default() -> None:
    report = Report(
        results=[
            result("namespace-without-default-deny", 1, "warning", "add a policy in 'shop'"),
            result("namespace-without-default-deny", 2, "warning", "add a policy"),
            result("namespace-without-default-deny", 3, "warning", "add a policy in 'web'"),
            result("namespace-without-default-deny", 4, "warning", "add a policy in 'shop'"),
            result("missing-runtime-class", 5, "warning", "set runtimeClassName"),
        ],
        files=1,
        objects=4,
        rules=RULES,
    )
    text = render(report)
    hints = text.split("hints:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert hints == [
        "  missing-runtime-class: set runtimeClassName",
        "  namespace-without-default-deny: add a policy",  # the check's own first
        "  namespace-without-default-deny: add a policy in 'shop'",  # then as found, once
        "  namespace-without-default-deny: add a policy in 'web'",
    ]


def test_no_findings_no_hints_section() -> None:
    report = Report(files=2, objects=3, rules=RULES)
    assert render(report) == "2 files, 3 objects: no findings\n"


def test_summary_counts_severities_and_files_with_findings() -> None:
    report = Report(
        results=[
            result("privileged-container", 1, "error", "h", "a.yaml"),
            result("missing-runtime-class", 2, "warning", "h", "a.yaml"),
            result("missing-runtime-class", 3, "info", "h", "b.yaml"),
            result("missing-runtime-class", 4, "info", "h", "b.yaml"),
        ],
        files=374,
        objects=624,
        skipped=2,
    )
    assert summary(report) == (
        "374 files (2 with findings), 624 objects (2 skipped: tool configuration or not Kubernetes objects): "
        "1 error, 1 warning, 2 info"
    )


def test_concise_is_one_line_per_finding_without_hints() -> None:
    report = Report(
        results=[
            result("privileged-container", 3, "error", "drop privileged"),
            result("missing-runtime-class", 4, "warning", "set runtimeClassName"),
        ],
        errors=[InputProblem("broken.yaml", 2, 1, "invalid YAML")],
        files=2,
        objects=1,
        rules=RULES,
    )
    assert render(report, "concise").splitlines() == [
        "broken.yaml:2:1: error input-error invalid YAML",
        "a.yaml:3:5: error privileged-container problem at 3",
        "a.yaml:4:5: warning missing-runtime-class problem at 4",
        "2 files (1 with findings), 1 object: 1 error, 1 warning, 0 info; 1 input error",
    ]


def test_statistics_table_sorted_by_count_with_mixed_severities() -> None:
    report = Report(
        results=[
            result("privileged-container", 1, "error", "h"),
            *(result("missing-runtime-class", n, "warning", "h") for n in range(2, 14)),
            result("namespace-without-default-deny", 20, "warning", "h"),
            result("namespace-without-default-deny", 21, "error", "h"),
        ],
        errors=[InputProblem("broken.yaml", 2, 1, "invalid YAML")],
        files=3,
        objects=9,
        rules=RULES,
    )
    out = io.StringIO()
    write_statistics(report, out, False)
    assert out.getvalue().splitlines() == [
        "broken.yaml:2:1: error input-error invalid YAML",
        "12  missing-runtime-class           warning        No runtime class",
        " 2  namespace-without-default-deny  error,warning  No default deny",
        " 1  privileged-container            error          Container runs privileged",
        "3 files (1 with findings), 9 objects: 2 errors, 13 warnings, 0 info; 1 input error",
    ]


def test_colour_marks_severities_only_when_asked() -> None:
    report = Report(results=[result("privileged-container", 3, "error", "h")], rules=RULES)
    out = io.StringIO()
    write(report, out, True)
    assert "\033[31merror\033[0m" in out.getvalue()
    assert "\033[" not in render(report)


FIXABLE = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
    - name: sidecar
      image: envoy:1.30
      securityContext:
        privileged: true
---
apiVersion: v1
kind: Pod
metadata:
  name: api
spec:
  containers:
    - name: api
      image: api:2
"""


def test_statistics_count_the_findings_a_fix_applies_to(tmp_path: Path) -> None:
    report = lint_text(
        tmp_path, FIXABLE, select=["privileged-container", "missing-security-context"]
    )
    out = io.StringIO()
    write_statistics(report, out, False)
    rows = {line.split()[1]: line for line in out.getvalue().splitlines()[:-1]}
    assert rows["privileged-container"].split()[0] == "2"
    assert "fixable: 2 unsafe " in rows["privileged-container"]
    # missing-security-context reports each container; each fix has a safe part.
    assert rows["missing-security-context"].split()[0] == "3"
    assert "fixable: 3 safe " in rows["missing-security-context"]
    # The column lines up whatever its width.
    starts = {line.index("fixable:") for line in rows.values()}
    assert len(starts) == 1


def test_statistics_have_no_fixable_column_when_nothing_is_fixable(tmp_path: Path) -> None:
    report = lint_text(tmp_path, FIXABLE, select=["missing-runtime-class"])
    out = io.StringIO()
    write_statistics(report, out, False)
    assert "fixable" not in out.getvalue()
    assert report.results
