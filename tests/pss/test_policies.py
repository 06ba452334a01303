"""Pod Security beyond the fixtures: versions, namespace labels, overrides, custom kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.k8s.versions import NEWEST_VERSION, VersionError, parse_version
from tests.conftest import lint_paths, lint_text, run_cli

RESTRICTED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
"""


def checks_at(
    tmp_path: Path, text: str, minor: int, select: str = "pss-restricted"
) -> list[tuple[str, int]]:
    report = lint_text(tmp_path, text, select=[select], kube_version=minor)
    assert not report.errors
    return [(r.check, r.location.line) for r in report.results]


def test_parse_version() -> None:
    assert parse_version("1.30") == 30
    assert parse_version("v1.0") == 0
    assert parse_version("latest") == NEWEST_VERSION
    assert parse_version("1.99") == NEWEST_VERSION  # newer than known: the newest rules
    for bad in ("1.3x", "2.1", "1.030", "", "30"):
        with pytest.raises(VersionError):
            parse_version(bad)


def test_restricted_pod_passes_every_version(tmp_path: Path) -> None:
    for minor in range(NEWEST_VERSION + 1):
        assert checks_at(tmp_path, RESTRICTED_POD, minor) == []


def test_ephemeral_containers_count(tmp_path: Path) -> None:
    text = RESTRICTED_POD + (
        "  ephemeralContainers:\n"
        "    - name: debug\n"
        "      image: busybox:1.36\n"
        "      securityContext:\n"
        "        privileged: true\n"
    )
    found = checks_at(tmp_path, text, 30)
    assert ("privileged-container", 19) in found
    assert ("pss-privilege-escalation", 18) in found  # the debug container leaves it unset
    assert ("pss-capabilities-restricted", 18) in found


def test_apparmor_fields_and_annotations(tmp_path: Path) -> None:
    text = RESTRICTED_POD.replace(
        "  name: good\n",
        "  name: good\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\n",
    ).replace(
        "    runAsNonRoot: true\n",
        "    runAsNonRoot: true\n    appArmorProfile: {type: Unconfined}\n",
    )
    found = checks_at(tmp_path, text, NEWEST_VERSION, "pss-apparmor")
    assert found == [("pss-apparmor", 6), ("pss-apparmor", 10)]


def test_user_namespace_relaxation_from_1_35(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: Pod
metadata:
  name: userns
spec:
  hostUsers: false
  securityContext:
    runAsUser: 0
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: {drop: [ALL]}
        procMount: Unmasked
"""
    before = {check for check, _ in checks_at(tmp_path, text, 34)}
    assert {"pss-run-as-non-root", "pss-run-as-user", "pss-proc-mount"} <= before
    after = {check for check, _ in checks_at(tmp_path, text, 35)}
    # runAsNonRoot/runAsUser relaxed; restricted still forbids unmasking /proc, once
    assert after == {"pss-proc-mount-restricted"}
    assert checks_at(tmp_path, text, 35, "pss-baseline") == []


def test_selinux_container_engine_t_from_1_31(tmp_path: Path) -> None:
    text = RESTRICTED_POD.replace(
        "    runAsNonRoot: true\n",
        "    runAsNonRoot: true\n    seLinuxOptions: {type: container_engine_t}\n",
    )
    assert checks_at(tmp_path, text, 30, "pss-baseline") == [("pss-selinux", 8)]
    assert checks_at(tmp_path, text, 31, "pss-baseline") == []


def test_version_boundaries(tmp_path: Path) -> None:
    bare = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: b, securityContext: {runAsNonRoot: true, runAsUser: 0}}]\n"
    ids = lambda minor: {c for c, _ in checks_at(tmp_path, bare, minor)}  # noqa: E731
    assert ids(7) == set()  # only runAsNonRoot and volumes exist before 1.8, and both pass
    assert "pss-privilege-escalation" in ids(8)
    assert "pss-seccomp-restricted" not in ids(18) and "pss-seccomp-restricted" in ids(19)
    assert "pss-capabilities-restricted" not in ids(21) and "pss-capabilities-restricted" in ids(22)
    assert "pss-run-as-user" not in ids(22) and "pss-run-as-user" in ids(23)


def test_windows_exemptions_from_1_25(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: w}\nspec:\n  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: a, image: b}]\n"
    assert {c for c, _ in checks_at(tmp_path, text, 24)} == {
        "pss-privilege-escalation",
        "pss-seccomp-restricted",
        "pss-capabilities-restricted",
    }
    assert checks_at(tmp_path, text, 25) == []


def test_restricted_control_replaces_baseline_one(tmp_path: Path) -> None:
    text = RESTRICTED_POD.replace(
        "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}"
    )
    assert checks_at(tmp_path, text, 30) == [("pss-seccomp-restricted", 8)]
    assert checks_at(tmp_path, text, 30, "pss-baseline") == [("pss-seccomp-baseline", 8)]


NAMESPACED = """apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/{mode}: {level}
    pod-security.kubernetes.io/{mode}-version: {version}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27
"""


def test_enforce_label_makes_the_level_an_error(tmp_path: Path) -> None:
    text = NAMESPACED.format(mode="enforce", level="restricted", version="v1.30")
    report = lint_text(tmp_path, text, select=["privileged-container"])
    found = {r.check: r for r in report.results}
    assert set(found) == {
        "pss-run-as-non-root",
        "pss-seccomp-restricted",
        "pss-privilege-escalation",
        "pss-capabilities-restricted",
    }
    result = found["pss-privilege-escalation"]
    assert result.severity == "error"
    assert (
        "the API server would reject its pods: namespace 'shop' enforces pod security restricted:v1.30"
        in result.message
    )
    assert result.location.line == 18


def test_warn_label_gives_warnings_and_baseline_level_only_baseline(tmp_path: Path) -> None:
    text = NAMESPACED.format(mode="warn", level="restricted", version="latest")
    report = lint_text(tmp_path, text, select=["privileged-container"])
    assert report.results and {r.severity for r in report.results} == {"warning"}
    assert "warns at pod security restricted:v1.37" in report.results[0].message
    text = NAMESPACED.format(mode="enforce", level="baseline", version="latest")
    assert lint_text(tmp_path, text, select=["privileged-container"]).results == []


def test_ignored_controls_stay_off_under_labels(tmp_path: Path) -> None:
    text = NAMESPACED.format(mode="enforce", level="restricted", version="latest")
    report = lint_text(tmp_path, text, select=["privileged-container"], ignore=["pss-restricted"])
    assert report.results == []


def test_label_and_selection_report_once_with_the_gravest(tmp_path: Path) -> None:
    text = NAMESPACED.format(mode="warn", level="restricted", version="latest")
    report = lint_text(tmp_path, text, select=["pss-run-as-non-root"])
    (result,) = [r for r in report.results if r.check == "pss-run-as-non-root"]
    assert result.severity == "error"  # the explicit selection outranks the warn label
    assert "warns at" not in result.message
    others = {r.severity for r in report.results if r.check != "pss-run-as-non-root"}
    assert others == {"warning"}


def test_missing_security_context_defers_to_active_controls(tmp_path: Path) -> None:
    pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - {name: a, image: b}\n"
    alone = lint_text(tmp_path, pod, select=["missing-security-context"]).results
    assert "runAsNonRoot" in alone[0].message and "seccompProfile" in alone[0].message
    both = lint_text(tmp_path, pod, select=["missing-security-context", "pss-restricted"]).results
    msc = [r for r in both if r.check == "missing-security-context"]
    assert len(msc) == 1
    assert msc[0].message.endswith("is missing readOnlyRootFilesystem: true")


def test_custom_kind_with_pod_template(tmp_path: Path) -> None:
    # A shape kubelint cannot know (well-known kinds like Argo's Rollout need no
    # configuration, see tests/test_inputs.py): only the pod-templates setting finds it.
    text = """apiVersion: example.com/v1
kind: Workload
metadata:
  name: web
spec:
  podTemplate:
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.27
          securityContext:
            privileged: true
"""
    path = tmp_path / "rollout.yaml"
    path.write_text(text)
    plain = lint_paths([path], ["pss-baseline"])
    assert plain.results == []
    mapped = lint_paths(
        [path], ["pss-baseline"], pod_templates={"Workload": ("spec", "podTemplate")}
    )
    assert [(r.check, r.location.line) for r in mapped.results] == [
        ("pss-host-namespaces", 8),
        ("privileged-container", 13),
    ]


def test_cli_kube_version_and_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "pod.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  securityContext: {runAsNonRoot: true,"
        " seccompProfile: {type: RuntimeDefault}}\n  containers: [{name: a, image: b,"
        " securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 0}}]\n"
    )
    code, out, _ = run_cli(
        ["--select", "pss-restricted", "--kube-version", "1.22", "pod.yaml"], capsys
    )
    assert code == 0, out
    code, out, _ = run_cli(
        ["--select", "pss-restricted", "--kube-version", "v1.23", "pod.yaml"], capsys
    )
    assert code == 1 and "pod.yaml:6:" in out and "pss-run-as-user" in out
    code, _, err = run_cli(["--kube-version", "1.x", "pod.yaml"], capsys)
    assert code == 2 and "invalid Kubernetes version '1.x'" in err
    (tmp_path / ".kubelint.yaml").write_text("select: [pss-restricted]\nkube-version: '1.22'\n")
    assert run_cli(["pod.yaml"], capsys)[0] == 0
    (tmp_path / ".kubelint.yaml").write_text("kube-version: '1.x'\n")
    code, _, err = run_cli(["pod.yaml"], capsys)
    assert code == 2 and ".kubelint.yaml:1:1: kube-version" in err


PROBE_HOST = """apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/enforce: baseline{version_label}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
spec:
  containers:
    - name: web
      image: nginx:1.27
      livenessProbe:
        httpGet:
          host: 10.0.0.1
          port: 8080
"""


@pytest.mark.parametrize(
    "version_label",
    [
        "",
        "\n    pod-security.kubernetes.io/enforce-version: latest",
        "\n    pod-security.kubernetes.io/enforce-version: v1.36",
    ],
    ids=["no-version-label", "latest", "newer-than-target"],
)
def test_bug_namespace_label_latest_means_the_target_version(
    tmp_path: Path, version_label: str
) -> None:
    # A 1.30 API server judges `enforce: baseline` (latest, or a newer version label) by
    # its own 1.30 policy, which has no host-probe control yet (it came in 1.34).
    text = PROBE_HOST.format(version_label=version_label)
    at_1_30 = lint_text(tmp_path, text, select=["privileged-container"], kube_version=30)
    assert at_1_30.results == [] and not at_1_30.errors
    (found,) = lint_text(tmp_path, text, select=["privileged-container"], kube_version=34).results
    host_line = text.splitlines().index("          host: 10.0.0.1") + 1
    assert (found.check, found.location.line, found.severity) == (
        "pss-host-probes",
        host_line,
        "error",
    )
    assert found.message.endswith("namespace 'shop' enforces pod security baseline:v1.34")


def test_bug_namespace_label_message_names_the_target_version(tmp_path: Path) -> None:
    text = NAMESPACED.format(mode="enforce", level="restricted", version="latest")
    report = lint_text(tmp_path, text, select=["privileged-container"], kube_version=30)
    assert report.results
    for result in report.results:
        assert result.message.endswith("enforces pod security restricted:v1.30"), result.message
