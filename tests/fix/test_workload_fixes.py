"""The unsafe fixes of the workload checks (runAsNonRoot, readOnlyRootFilesystem, the
ServiceAccount token, the runtime class), and what `kubelint fix` makes of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kubelint.model import Edit, Result
from tests.conftest import lint_text, run_process

POD = ("spec", "securityContext")
CONTAINER = ("spec", "containers", 0, "securityContext")
SECOND = ("spec", "containers", 1, "securityContext")
NON_ROOT = Edit("set", (*POD, "runAsNonRoot"), True)
HEADER = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n"
GVISOR = (
    "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata: {name: gvisor}\nhandler: runsc\n"
)
ACCOUNT = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: web, namespace: shop}\n"


def _pod(containers: str, pod: str = "") -> str:
    return HEADER + pod + "  containers:\n" + containers


def _container(name: str, context: str | None = None) -> str:
    text = f"    - name: {name}\n      image: example/{name}:1\n"
    return text + (f"      securityContext: {context}\n" if context is not None else "")


def _results(tmp_path: Path, text: str, check: str, **config: Any) -> list[Result]:
    report = lint_text(tmp_path, text, select=[check], **config)
    assert not report.errors and not report.internal_errors
    return sorted(report.results, key=Result.sort_key)


def _edits(result: Result, setting: str) -> list[Edit]:
    assert result.fix is not None
    return [e for e in result.fix.edits if e.path[-1] == setting]


def test_run_as_non_root_goes_on_the_pod_unsafely(tmp_path: Path) -> None:
    text = _pod(_container("a") + _container("b"), "  securityContext: {runAsNonRoot: false}\n")
    a, b = _results(tmp_path, text, "missing-security-context")
    # Both containers inherit the pod's value: one edit there, the same for both findings.
    assert _edits(a, "runAsNonRoot") == _edits(b, "runAsNonRoot") == [NON_ROOT]
    assert not NON_ROOT.safe


def test_no_run_as_non_root_edit_against_a_false_or_a_root_user(tmp_path: Path) -> None:
    text = _pod(_container("a") + _container("b", "{runAsNonRoot: false}"))
    assert [
        _edits(r, "runAsNonRoot") for r in _results(tmp_path, text, "missing-security-context")
    ] == [[], []]
    for own, pod in (("{runAsUser: 0}", ""), (None, "  securityContext: {runAsUser: 0}\n")):
        text = _pod(_container("a") + _container("b", own), pod)
        results = _results(tmp_path, text, "missing-security-context")
        assert len(results) == 2
        assert all(_edits(r, "runAsNonRoot") == [] for r in results)


def test_read_only_root_filesystem_is_set_on_each_container_unsafely(tmp_path: Path) -> None:
    text = _pod(_container("a") + _container("b", "{readOnlyRootFilesystem: false}"))
    a, b = _results(tmp_path, text, "missing-security-context")
    assert _edits(a, "readOnlyRootFilesystem") == [
        Edit("set", (*CONTAINER, "readOnlyRootFilesystem"), True)
    ]
    assert _edits(b, "readOnlyRootFilesystem") == [
        Edit("set", (*SECOND, "readOnlyRootFilesystem"), True)
    ]
    assert a.fix is not None and not a.fix.safe
    # A plain fix brings only the safe part: neither of these edits.
    part = a.fix.part(unsafe=False)
    assert part is not None
    assert {e.path[-1] for e in part.edits} == {"allowPrivilegeEscalation", "seccompProfile"}


def test_the_token_is_turned_off_in_the_pod_spec(tmp_path: Path) -> None:
    unset = ACCOUNT + "---\n" + _pod(_container("a"), "  serviceAccountName: web\n")
    [result] = _results(tmp_path, unset, "service-account-token-automount")
    assert result.fix is not None and not result.fix.safe
    assert result.fix.edits == (Edit("set", ("spec", "automountServiceAccountToken"), False),)
    pod = "  serviceAccountName: web\n  automountServiceAccountToken: true\n"
    [asked] = _results(
        tmp_path, ACCOUNT + "---\n" + _pod(_container("a"), pod), "service-account-token-automount"
    )
    assert asked.fix is not None
    assert asked.fix.edits == (Edit("set", ("spec", "automountServiceAccountToken"), False),)


def _runtime(tmp_path: Path, text: str, allowed: list[str]) -> Result:
    params = {"missing-runtime-class": {"allowed": allowed}}
    results = _results(tmp_path, text, "missing-runtime-class", params=params)
    [result] = [r for r in results if r.obj["kind"] == "Pod"]
    return result


def test_the_runtime_class_is_the_first_allowed_one(tmp_path: Path) -> None:
    pod = _pod(_container("a"))
    first = _runtime(tmp_path, pod, ["kata", "gvisor"])
    assert first.fix is not None and not first.fix.safe
    assert first.fix.edits == (Edit("set", ("spec", "runtimeClassName"), "kata"),)
    # Where the manifests define classes, the first allowed one they define.
    defined = _runtime(tmp_path, GVISOR + "---\n" + pod, ["kata", "gvisor"])
    assert defined.fix is not None
    assert defined.fix.edits == (Edit("set", ("spec", "runtimeClassName"), "gvisor"),)
    # No allowed list, or none of it defined: kubelint does not guess a class.
    assert _runtime(tmp_path, GVISOR + "---\n" + pod, []).fix is None
    assert _runtime(tmp_path, GVISOR + "---\n" + pod, ["kata"]).fix is None
    # A pod on the host's namespaces cannot be sandboxed: no fix either.
    host = _runtime(tmp_path, _pod(_container("a"), "  hostNetwork: true\n"), ["kata"])
    assert host.fix is None


WORKLOAD = f"""\
{ACCOUNT}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      serviceAccountName: web
      containers:
        - name: web # the web server
          image: example/web:1.0
        - name: sidecar
          image: example/sidecar:1.0
          securityContext:
            readOnlyRootFilesystem: false
"""
CHECKS = ["missing-security-context", "service-account-token-automount", "missing-runtime-class"]
CONFIG = "checks:\n  missing-runtime-class:\n    allowed: [gvisor]\n"


def _left(cwd: Path) -> list[str]:
    """The check of each finding `kubelint` reports on the folder, in report order."""
    result = run_process(["--select", ",".join(CHECKS), "-q", "."], cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    return [line.split()[2] for line in result.stdout.splitlines() if ".yaml:" in line]


def test_fix_unsafe_leaves_none_of_these_findings_and_a_plain_fix_none_of_the_edits(
    tmp_path: Path,
) -> None:
    (tmp_path / ".kubelint.yaml").write_text(CONFIG)
    path = tmp_path / "web.yaml"
    path.write_text(WORKLOAD)
    assert sorted(set(_left(tmp_path))) == sorted(CHECKS)
    plain = run_process(["fix", "--select", ",".join(CHECKS), "."], cwd=tmp_path)
    assert plain.returncode == 1, plain.stderr
    text = path.read_text()
    assert "allowPrivilegeEscalation: false" in text  # the safe part is applied
    for unsafe in ("runAsNonRoot", "readOnlyRootFilesystem: true", "automount", "runtimeClass"):
        assert unsafe not in text
    unsafe = run_process(["fix", "--unsafe-fixes", "--select", ",".join(CHECKS), "."], cwd=tmp_path)
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert _left(tmp_path) == []
    text = path.read_text()
    assert "        - name: web # the web server\n" in text  # other lines kept
    assert "      runtimeClassName: gvisor\n" in text
    assert "      automountServiceAccountToken: false\n" in text
    assert "readOnlyRootFilesystem: false" not in text
