"""The fixes the Pod Security restricted controls declare, and what applying them gives."""

from __future__ import annotations

import shutil
from pathlib import Path

from kubelint.fixes import conflict
from kubelint.model import Edit, Result
from tests.conftest import ROOT, lint_text, run_process

CONTAINER = ("spec", "containers", 0, "securityContext")
SECOND = ("spec", "containers", 1, "securityContext")
POD = ("spec", "securityContext")
SECCOMP = {"type": "RuntimeDefault"}
CONFORMANCE = ROOT / "tests" / "pss" / "conformance" / "restricted" / "v1.37" / "fail"
FIXTURES = ROOT / "tests" / "checks" / "fixtures" / "pod-security"
#: The restricted controls that declare fixes, by fixture file name prefix.
CONTROLS = {
    "allowprivilegeescalation": "pss-privilege-escalation",
    "capabilities_restricted": "pss-capabilities-restricted",
    "seccompprofile_restricted": "pss-seccomp-restricted",
    "runasnonroot": "pss-run-as-non-root",
}


def _pod(containers: str, pod_context: str = "{}") -> str:
    return (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
        f"  securityContext: {pod_context}\n  containers:\n{containers}"
    )


def _container(name: str, context: str | None = None) -> str:
    text = f"    - name: {name}\n      image: example/{name}:1\n"
    return text + (f"      securityContext: {context}\n" if context is not None else "")


def _results(tmp_path: Path, text: str, check: str) -> list[Result]:
    report = lint_text(tmp_path, text, select=[check])
    assert not report.errors and not report.internal_errors
    return sorted(report.results, key=Result.sort_key)


def test_privilege_escalation_is_turned_off_safely_only_when_unset(tmp_path: Path) -> None:
    text = _pod(
        _container("unset")
        + _container("asked", "{allowPrivilegeEscalation: true}")
        + _container("privileged", "{privileged: true}")
        + _container("admin", "{capabilities: {add: [SYS_ADMIN]}}")
    )
    unset, asked, privileged, admin = _results(tmp_path, text, "pss-privilege-escalation")
    assert unset.fix is not None and unset.fix.safe
    assert unset.fix.edits == (
        Edit("set", (*CONTAINER, "allowPrivilegeEscalation"), False, safe=True),
    )
    assert asked.fix is not None and not asked.fix.safe
    assert asked.fix.edits == (Edit("set", (*SECOND, "allowPrivilegeEscalation"), False),)
    # The API server refuses allowPrivilegeEscalation: false with these.
    assert privileged.fix is None and admin.fix is None


def test_capabilities_drop_all_is_set_or_appended_and_adds_are_kept(tmp_path: Path) -> None:
    text = _pod(
        _container("bare")
        + _container("some", "{capabilities: {drop: [NET_RAW], add: [SYS_TIME]}}")
        + _container("odd", "{capabilities: all}")
    )
    bare, some_drop, some_add, odd = _results(tmp_path, text, "pss-capabilities-restricted")
    assert bare.fix is not None and not bare.fix.safe
    assert bare.fix.edits == (Edit("set", (*CONTAINER, "capabilities", "drop"), ["ALL"]),)
    assert some_drop.key_path[-1] == "drop" and some_drop.fix is not None
    assert some_drop.fix.edits == (Edit("append", (*SECOND, "capabilities", "drop"), "ALL"),)
    assert some_add.key_path[-1] == "add" and some_add.fix is None
    assert odd.fix is None  # capabilities that are no mapping are left alone


def test_seccomp_is_set_on_the_pod_only_when_nobody_named_a_profile(tmp_path: Path) -> None:
    [unset] = _results(tmp_path, _pod(_container("a") + _container("b")), "pss-seccomp-restricted")
    assert unset.fix is not None and unset.fix.safe
    assert unset.fix.edits == (Edit("set", (*POD, "seccompProfile"), SECCOMP, safe=True),)
    text = _pod(_container("a") + _container("b", "{seccompProfile: {type: Unconfined}}"))
    [unconfined] = _results(tmp_path, text, "pss-seccomp-restricted")
    assert unconfined.fix is None
    text = _pod(_container("a") + _container("b", "{seccompProfile: {type: RuntimeDefault}}"))
    [named] = _results(tmp_path, text, "pss-seccomp-restricted")
    assert named.fix is None


def test_run_as_non_root_goes_on_the_pod_unless_a_container_says_false(tmp_path: Path) -> None:
    [unset] = _results(tmp_path, _pod(_container("a") + _container("b")), "pss-run-as-non-root")
    assert unset.fix is not None and not unset.fix.safe  # the image may run as root
    assert unset.fix.edits == (Edit("set", (*POD, "runAsNonRoot"), True),)
    # A container that says false: set it there, and on the pod for the one inheriting.
    text = _pod(_container("a", "{runAsNonRoot: false}") + _container("b"))
    [false] = _results(tmp_path, text, "pss-run-as-non-root")
    assert false.fix is not None and false.fix.edits == (
        Edit("set", (*POD, "runAsNonRoot"), True),
        Edit("set", (*CONTAINER, "runAsNonRoot"), True),
    )
    # The pod already says true: only the container is edited.
    text = _pod(_container("a", "{runAsNonRoot: false}"), "{runAsNonRoot: true}")
    [only] = _results(tmp_path, text, "pss-run-as-non-root")
    assert only.fix is not None
    assert only.fix.edits == (Edit("set", (*CONTAINER, "runAsNonRoot"), True),)


def test_run_as_non_root_has_no_fix_that_contradicts_run_as_user_0(tmp_path: Path) -> None:
    text = _pod(_container("a", "{runAsUser: 0}") + _container("b"))
    [own] = _results(tmp_path, text, "pss-run-as-non-root")
    assert own.fix is None
    [inherited] = _results(tmp_path, _pod(_container("a"), "{runAsUser: 0}"), "pss-run-as-non-root")
    assert inherited.fix is None
    # A container that runs as another user is not reached by the pod-level edit.
    text = _pod(_container("a", "{runAsUser: 1000, runAsNonRoot: true}"), "{runAsUser: 0}")
    assert _results(tmp_path, text, "pss-run-as-non-root") == []


def test_the_controls_declare_the_edits_missing_security_context_declares(
    tmp_path: Path,
) -> None:
    text = _pod(
        _container("a") + _container("b", "{allowPrivilegeEscalation: true, capabilities: {}}")
    )
    pss = [r.fix for c in CONTROLS.values() for r in _results(tmp_path, text, c) if r.fix]
    msc = [r.fix for r in _results(tmp_path, text, "missing-security-context") if r.fix]
    assert len(msc) == 2
    pss_edits = [e for fix in pss for e in fix.edits]
    for fix in msc:
        # Every edit the hardening check declares for a setting a control reports is one
        # the control declares too, so that the fixes of the two merge instead of
        # conflicting (no Pod Security control asks for readOnlyRootFilesystem).
        shared = [e for e in fix.edits if e.path[-1] != "readOnlyRootFilesystem"]
        assert len(shared) < len(fix.edits)
        assert all(edit in pss_edits for edit in shared)
        assert ("spec", "securityContext", "runAsNonRoot") in [e.path for e in shared]
        assert all(conflict(fix, other) is None for other in pss)


def _restricted_failures(cwd: Path) -> dict[str, int]:
    result = run_process(["--select", "pss-restricted", "-q", "."], cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    found: dict[str, int] = {}
    for line in result.stdout.splitlines():
        name = line.split(":", 1)[0]
        if name.endswith(".yaml"):
            found[name] = found.get(name, 0) + 1
    return found


def test_fix_unsafe_makes_every_fixable_failing_pod_pass_restricted(tmp_path: Path) -> None:
    files = [p for prefix in CONTROLS for p in sorted(CONFORMANCE.glob(f"{prefix}*.yaml"))]
    files += [next((FIXTURES / check).glob("*.yaml")) for check in CONTROLS.values()]
    for path in files:
        shutil.copy(path, tmp_path / f"{path.parent.name}-{path.name}")
    before = _restricted_failures(tmp_path)
    assert set(before) == {p.name for p in tmp_path.iterdir()}  # every pod fails at first
    fixed = run_process(["fix", "--unsafe-fixes", "--select", "pss-restricted", "."], cwd=tmp_path)
    assert fixed.returncode in (0, 1), fixed.stderr
    # What is left is what no fix may change: capabilities a container adds, a profile
    # someone named (Unconfined; or one container's own, which leaves the pod level open).
    assert set(_restricted_failures(tmp_path)) == {
        "fail-capabilities_restricted3.yaml",  # adds capabilities
        "fail-seccompprofile_restricted1.yaml",  # the pod says Unconfined
        "fail-seccompprofile_restricted2.yaml",  # a container names RuntimeDefault
        "fail-seccompprofile_restricted3.yaml",
        "fail-seccompprofile_restricted4.yaml",  # a container says Unconfined
        "pss-capabilities-restricted-capabilities.yaml",  # adds NET_RAW
        "pss-seccomp-restricted-seccomp.yaml",  # Unconfined, and a named profile
    }
    # Fixing again changes nothing.
    assert (
        run_process(
            ["--diff", "--unsafe-fixes", "--select", "pss-restricted", "."], cwd=tmp_path
        ).returncode
        == 0
    )
