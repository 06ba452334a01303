"""The fixes kubelint's checks declare, applied by the engine and linted again."""

from __future__ import annotations

from pathlib import Path

from kubelint.edit import apply
from tests.conftest import lint_text

CHECKS = ["missing-security-context", "privileged-container"]

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true   # legacy
            readOnlyRootFilesystem: true
        - name: side  # no securityContext
          image: busybox:1.36
"""


def _fixed(tmp_path: Path, text: str, safe_only: bool = False) -> str:
    report = lint_text(tmp_path, text, select=CHECKS)
    [loaded] = report.retained
    fixes = [
        (result.document, result.fix)
        for result in report.results
        if result.fix is not None
        and result.document is not None
        and (result.fix.safe or not safe_only)
    ]
    out = apply(loaded.source.text, loaded.objects, fixes)
    assert out.refused == []
    return out.text


def test_the_fixes_of_both_checks_apply_together(tmp_path: Path) -> None:
    text = _fixed(tmp_path, DEPLOYMENT)
    assert text == DEPLOYMENT.replace("            privileged: true   # legacy\n", "").replace(
        "            readOnlyRootFilesystem: true\n",
        "            readOnlyRootFilesystem: true\n"
        "            capabilities:\n              drop:\n                - ALL\n",
    ) + (
        "          securityContext:\n"
        "            allowPrivilegeEscalation: false\n"
        "            capabilities:\n              drop:\n                - ALL\n"
        "            readOnlyRootFilesystem: true\n"
        # Unsafe too: the images may run as root (no container says runAsUser: 0).
        "      securityContext:\n        runAsNonRoot: true\n"
        "        seccompProfile:\n          type: RuntimeDefault\n"
    )
    after = lint_text(tmp_path, text, select=CHECKS)
    assert not [r for r in after.results if r.check == "privileged-container"]
    messages = [r.message for r in after.results]
    assert not any("capabilities" in m or "seccomp" in m for m in messages), messages


def test_a_second_round_fixes_what_the_first_one_unblocked(tmp_path: Path) -> None:
    # With privileged: true gone, allowPrivilegeEscalation: false may be set (a safe fix).
    once = _fixed(tmp_path, DEPLOYMENT)
    twice = _fixed(tmp_path, once, safe_only=True)
    assert twice == once.replace(
        "            capabilities:\n              drop:\n                - ALL\n        - name",
        "            capabilities:\n              drop:\n                - ALL\n"
        "            allowPrivilegeEscalation: false\n        - name",
        1,
    )
    after = lint_text(tmp_path, twice, select=CHECKS)
    assert not any("allowPrivilegeEscalation" in r.message for r in after.results)
