"""The fixes that checks declare: edits, the safety of each, refusals."""

from __future__ import annotations

from pathlib import Path

from kubelint.fixes import refusal
from kubelint.model import Edit, Result
from tests.conftest import lint_paths

FIXTURES = Path(__file__).parent / "checks" / "fixtures"
CONTEXT = FIXTURES / "workloads" / "missing-security-context" / "containers.yaml"
PRIVILEGED = FIXTURES / "pod-security" / "privileged-container" / "privileged.yaml"
SECCOMP = {"type": "RuntimeDefault"}


def _by_object(results: list[Result]) -> dict[tuple[str, int], Result]:
    return {(r.obj["name"], r.location.line): r for r in results}


def _lint_text(tmp_path: Path, text: str, check: str) -> list[Result]:
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    report = lint_paths([path], [check])
    assert not report.errors and not report.internal_errors
    return report.results


def test_missing_security_context_declares_its_edits_on_the_fixture() -> None:
    report = lint_paths([CONTEXT], ["missing-security-context"])
    found = _by_object(report.results)
    bare = found[("bare", 9)].fix
    init = ("spec", "initContainers", 0, "securityContext")
    assert bare is not None and not bare.safe  # dropping capabilities may break it
    assert bare.edits == (
        Edit("set", ("spec", "securityContext", "runAsNonRoot"), True),
        Edit("set", (*init, "allowPrivilegeEscalation"), False, safe=True),
        Edit("set", (*init, "capabilities", "drop"), ["ALL"]),
        Edit("set", (*init, "readOnlyRootFilesystem"), True),
        Edit("set", ("spec", "securityContext", "seccompProfile"), SECCOMP, safe=True),
    )
    # A plain fix still brings its safe part; --unsafe-fixes brings all of it.
    safe_part = bare.part(unsafe=False)
    assert safe_part is not None and safe_part.safe
    assert [e.path[-1] for e in safe_part.edits] == ["allowPrivilegeEscalation", "seccompProfile"]
    assert bare.part(unsafe=True) is bare
    # A drop list without ALL gets it appended; the container's own Unconfined profile is
    # a choice the fix does not overrule, and so is its runAsNonRoot: false (the pod's
    # true does not reach it).
    job = ("spec", "jobTemplate", "spec", "template", "spec", "containers", 0)
    nightly = found[("nightly", 59)].fix
    assert nightly is not None
    assert nightly.edits == (
        Edit("append", (*job, "securityContext", "capabilities", "drop"), "ALL"),
    )
    # The pod sets seccomp: only the container's settings are edited.
    partly = found[("partly", 113)].fix
    db = ("spec", "template", "spec", "containers", 0, "securityContext")
    assert partly is not None and partly.edits == (
        Edit("set", (*db, "allowPrivilegeEscalation"), False, safe=True),
        Edit("set", (*db, "capabilities", "drop"), ["ALL"]),
        Edit("set", (*db, "readOnlyRootFilesystem"), True),
    )
    # Only an unsafe edit: nothing for a plain fix.
    assert nightly.part(unsafe=False) is None
    # runAsNonRoot: true would contradict runAsUser: 0: no fix the check can know.
    assert found[("root-user", 130)].fix is None


def test_escalation_and_pod_seccomp_alone_make_a_safe_fix(tmp_path: Path) -> None:
    [result] = _lint_text(
        tmp_path,
        """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsNonRoot: true}
  containers:
    - name: web
      image: example/web:1
      securityContext:
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
""",
        "missing-security-context",
    )
    assert result.fix is not None and result.fix.safe
    assert result.fix.edits == (
        Edit(
            "set",
            ("spec", "containers", 0, "securityContext", "allowPrivilegeEscalation"),
            False,
            safe=True,
        ),
        Edit("set", ("spec", "securityContext", "seccompProfile"), SECCOMP, safe=True),
    )
    assert refusal(result) is None


def test_no_escalation_edit_the_api_server_would_refuse(tmp_path: Path) -> None:
    results = _lint_text(
        tmp_path,
        """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: privileged
      image: example/web:1
      securityContext:
        privileged: true
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
    - name: admin
      image: example/web:1
      securityContext:
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL], add: [CAP_SYS_ADMIN]}
    - name: asked
      image: example/web:1
      securityContext:
        allowPrivilegeEscalation: true
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
""",
        "missing-security-context",
    )
    privileged, admin, asked = sorted(results, key=Result.sort_key)
    assert privileged.fix is None and admin.fix is None
    # Turning off an escalation the manifest asks for is no safe edit.
    assert asked.fix is not None and not asked.fix.safe
    assert asked.fix.edits == (
        Edit(
            "set", ("spec", "containers", 2, "securityContext", "allowPrivilegeEscalation"), False
        ),
    )


def test_privileged_container_declares_an_unsafe_delete_on_the_fixture() -> None:
    report = lint_paths([PRIVILEGED], ["privileged-container"])
    assert report.results
    for result in report.results:
        assert result.fix is not None and not result.fix.safe
        assert result.fix.edits == (Edit("delete", result.key_path),)
        assert result.key_path[-2:] == ("securityContext", "privileged")
    paths = {r.key_path for r in report.results if r.obj["name"] == "priv"}
    assert ("spec", "ephemeralContainers", 0, "securityContext", "privileged") in paths


def test_a_fix_through_an_alias_or_a_merge_key_is_refused(tmp_path: Path) -> None:
    results = _lint_text(
        tmp_path,
        """\
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: shared
      image: example/web:1
      securityContext: &privileged {privileged: true}
    - name: again
      image: example/web:1
      securityContext: *privileged
    - name: merged
      image: example/web:1
      securityContext:
        <<: {privileged: true}
        readOnlyRootFilesystem: true
    - name: own
      image: example/web:1
      securityContext: {privileged: true}
""",
        "privileged-container",
    )
    shared, again, merged, own = sorted(results, key=Result.sort_key)
    for result in (shared, again, merged):
        assert result.fix is not None
        why = refusal(result)
        assert why is not None and "YAML anchor, alias or merge key" in why
    assert refusal(own) is None


def test_results_without_a_usable_fix_say_why() -> None:
    report = lint_paths([FIXTURES / "input" / "duplicate-key"], ["duplicate-key"])
    assert report.results
    assert {refusal(r) for r in report.results} == {"no fix is known"}
