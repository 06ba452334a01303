"""kubelint gives the API server's verdict on every reference fixture, at every version.

For each level and policy version: every `fail` pod gets at least one finding, from the
control its file name names (or the restricted control that replaces it at that level and
version); every `pass` pod gets none. 100% is the bar: there are no exceptions.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from kubelint.checks import registry
from kubelint.checks.pod_security.engine import controls
from kubelint.config import Config
from kubelint.k8s.versions import NEWEST_VERSION
from kubelint.runner import Inputs, lint, select_checks

ROOT = Path(__file__).parent / "conformance"

#: Control named in a fixture's file name -> kubelint check id.
CONTROLS = {
    "hostnamespaces": "pss-host-namespaces",
    "privileged": "privileged-container",
    "capabilities_baseline": "pss-capabilities-baseline",
    "hostpathvolumes": "pss-host-path-volumes",
    "hostports": "pss-host-ports",
    "apparmorprofile": "pss-apparmor",
    "selinuxoptions": "pss-selinux",
    "procmount": "pss-proc-mount",
    "seccompprofile_baseline": "pss-seccomp-baseline",
    "sysctls": "pss-sysctls",
    "windowshostprocess": "pss-windows-host-process",
    "hostprobesandhostlifecycle": "pss-host-probes",
    "restrictedvolumes": "pss-restricted-volumes",
    "allowprivilegeescalation": "pss-privilege-escalation",
    "runasnonroot": "pss-run-as-non-root",
    "runasuser": "pss-run-as-user",
    "seccompprofile_restricted": "pss-seccomp-restricted",
    "capabilities_restricted": "pss-capabilities-restricted",
    "procmount_restricted": "pss-proc-mount-restricted",
}

CASES = [
    (level, int(version.name.split(".")[1]))
    for level in ("baseline", "restricted")
    for version in sorted((ROOT / level).iterdir())
]


def test_fixtures_are_all_there() -> None:
    assert len(list(ROOT.glob("*/v1.*/*/*.yaml"))) == 4537
    assert max(minor for _, minor in CASES) == NEWEST_VERSION
    assert len(CASES) == 2 * (NEWEST_VERSION + 1)


def acceptable(control_id: str, level: str, minor: int) -> set[str]:
    """The named control, or the restricted control that replaces it there."""
    ok = {control_id}
    if level == "restricted":
        for cid, control in controls().items():
            if control.overrides == control_id and control.since <= minor:
                ok.add(cid)
    return ok


def findings_by_file(folder: Path, level: str, minor: int) -> dict[str, set[str]]:
    checks = select_checks(registry(), [f"pss-{level}"], [])
    report = lint(Inputs([str(folder)], repo_context=False), Config(kube_version=minor), checks)
    assert not report.errors and not report.internal_errors
    found: dict[str, set[str]] = defaultdict(set)
    for result in report.results:
        found[Path(result.location.file).name].add(result.check)
    return found


@pytest.mark.parametrize(("level", "minor"), CASES, ids=[f"{lv}-v1.{m}" for lv, m in CASES])
def test_api_server_verdicts(level: str, minor: int) -> None:
    folder = ROOT / level / f"v1.{minor}"
    failing = findings_by_file(folder / "fail", level, minor)
    wrong = []
    for path in sorted((folder / "fail").glob("*.yaml")):
        control = CONTROLS[re.sub(r"\d+$", "", path.stem)]
        if not failing.get(path.name, set()) & acceptable(control, level, minor):
            wrong.append(
                f"fail/{path.name}: expected {control}, got {sorted(failing.get(path.name, []))}"
            )
    passing = findings_by_file(folder / "pass", level, minor)
    wrong += [f"pass/{name}: unexpected {sorted(ids)}" for name, ids in sorted(passing.items())]
    assert not wrong, "\n".join(wrong)
