"""The default profile: what a run with no configuration reports, and how loudly.

Regression tests for the adoption problems users met with the first default profile are
named ``test_bug_*``.
"""

from __future__ import annotations

from pathlib import Path

from kubelint.checks import registry
from kubelint.checks.pod_security.engine import controls
from kubelint.cli import exit_code
from kubelint.model import Report
from tests.conftest import lint_text

NODE_EXPORTER = """apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels: {app: node-exporter}
  template:
    metadata:
      labels: {app: node-exporter}
    spec:
      hostNetwork: true
      hostPID: true
      containers:
        - name: node-exporter
          image: quay.io/prometheus/node-exporter:v1.8.2
          args: [--path.rootfs=/host/root]
          ports:
            - containerPort: 9100
              hostPort: 9100
          securityContext:
            capabilities:
              add: [SYS_TIME]
          volumeMounts:
            - name: root
              mountPath: /host/root
              readOnly: true
      volumes:
        - name: root
          hostPath:
            path: /
"""

# Every pod-level and container-level hardening setting, partly through the pod (a fixed
# user instead of runAsNonRoot), with the namespace's default-deny policy.
HARDENED = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    matchLabels: {app: checkout}
  template:
    metadata:
      labels: {app: checkout}
    spec:
      securityContext:
        runAsUser: 1000
        runAsGroup: 1000
        fsGroup: 1000
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: server
          image: example/checkout:1.4.0
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            privileged: false
            capabilities:
              drop: [ALL]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""

PLAIN_POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: web
      image: example/web:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
"""

RUNTIME_CLASS = """---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
"""


def found(report: Report) -> set[tuple[str, str, int]]:
    return {(r.check, r.severity, r.location.line) for r in report.results}


def test_default_profile_is_baseline_plus_hardening_advice() -> None:
    on = {cid for cid, c in registry().items() if c.meta.enabled}
    baseline = {
        cid
        for cid, c in registry().items()
        if cid in controls() and controls()[cid].level == "baseline"
    }
    restricted = {
        cid
        for cid, c in registry().items()
        if cid in controls() and controls()[cid].level == "restricted"
    }
    assert baseline <= on, "every Pod Security baseline control is on by default"
    assert not restricted & on, "the restricted controls stay opt-in"
    assert all(registry()[cid].meta.severity == "error" for cid in baseline)


def test_bug_node_exporter_host_access_passes_the_default_run(tmp_path: Path) -> None:
    report = lint_text(tmp_path, NODE_EXPORTER)
    errors = {(check, line) for check, severity, line in found(report) if severity == "error"}
    assert ("pss-host-namespaces", 13) in errors  # hostNetwork
    assert ("pss-host-namespaces", 14) in errors  # hostPID
    assert ("pss-host-ports", 21) in errors
    assert ("pss-capabilities-baseline", 24) in errors  # SYS_TIME
    assert ("pss-host-path-volumes", 31) in errors
    assert exit_code(report, "warning") == 1


def test_bug_privileged_namespace_label_does_not_silence_the_baseline(tmp_path: Path) -> None:
    namespace = """apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    pod-security.kubernetes.io/enforce: privileged
---
"""
    report = lint_text(tmp_path, namespace + NODE_EXPORTER)
    assert ("pss-host-namespaces", "error", 20) in found(report)  # hostNetwork


def test_host_access_is_suppressed_visibly_by_annotation(tmp_path: Path) -> None:
    annotated = NODE_EXPORTER.replace(
        "  namespace: monitoring\n",
        "  namespace: monitoring\n  annotations:\n"
        "    kubelint.io/ignore: pss-host-namespaces,pss-host-path-volumes\n",
    )
    checks = {r.check for r in lint_text(tmp_path, annotated).results}
    assert "pss-host-namespaces" not in checks and "pss-host-path-volumes" not in checks
    assert "pss-host-ports" in checks  # only what the annotation names


def test_bug_missing_runtime_class_fails_every_project(tmp_path: Path) -> None:
    report = lint_text(tmp_path, PLAIN_POD)
    assert found(report) == {("missing-runtime-class", "info", 5)}
    assert exit_code(report, "warning") == 0
    assert exit_code(report, "info") == 1


def test_missing_runtime_class_warns_where_sandboxing_is_in_use(tmp_path: Path) -> None:
    declared = lint_text(tmp_path, PLAIN_POD + RUNTIME_CLASS)
    assert found(declared) == {("missing-runtime-class", "warning", 5)}
    configured = lint_text(
        tmp_path, PLAIN_POD, params={"missing-runtime-class": {"allowed": ["kata"]}}
    )
    assert found(configured) == {("missing-runtime-class", "warning", 5)}
    assert "(one of: kata)" in configured.results[0].message


def test_missing_runtime_class_never_suggests_a_sandbox_for_host_access(tmp_path: Path) -> None:
    report = lint_text(tmp_path, NODE_EXPORTER + RUNTIME_CLASS)
    (result,) = [r for r in report.results if r.check == "missing-runtime-class"]
    assert result.severity == "info"
    assert "hostNetwork and hostPID and hostPath volumes" in result.message
    assert "cannot run in a sandboxed runtime" in result.message
    assert "runtimeClassName to" not in result.hint


def test_bug_hardened_project_fails_the_default_run(tmp_path: Path) -> None:
    report = lint_text(tmp_path, HARDENED)
    assert {r.check for r in report.results} == {"missing-runtime-class"}
    assert exit_code(report, "warning") == 0


def test_fixed_user_does_not_satisfy_the_restricted_control(tmp_path: Path) -> None:
    """runAsUser > 0 is enough for hardening advice, not for Pod Security restricted."""
    report = lint_text(tmp_path, HARDENED, select=["pss-restricted", "missing-security-context"])
    assert [r.check for r in report.results] == ["pss-run-as-non-root"]


def test_bug_lower_case_drop_all_is_not_dropping_all(tmp_path: Path) -> None:
    lower = HARDENED.replace("drop: [ALL]", "drop: [all]")
    alone = lint_text(tmp_path, lower, select=["missing-security-context"]).results
    assert [(r.location.line, r.message) for r in alone] == [
        (26, "container 'server' is missing capabilities.drop: [ALL]")
    ]
    # The restricted control agrees, and then reports it alone: one problem, one finding.
    both = lint_text(tmp_path, lower, select=["pss-restricted", "missing-security-context"])
    assert {(r.check, r.location.line) for r in both.results if "drop" in r.message} == {
        ("pss-capabilities-restricted", 26)
    }


def test_one_finding_per_container_at_the_first_wrong_setting(tmp_path: Path) -> None:
    pod = """apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  securityContext:
    runAsNonRoot: false
  containers:
    - name: a
      image: example/a:1
    - name: b
      image: example/b:1
      securityContext:
        readOnlyRootFilesystem: false
"""
    results = lint_text(tmp_path, pod, select=["missing-security-context"]).results
    assert [(r.location.line, r.message) for r in results] == [
        # the pod's runAsNonRoot: false is the first wrong setting of both containers
        (
            7,
            "container 'a' is missing runAsNonRoot: true, allowPrivilegeEscalation: false, "
            "capabilities.drop: [ALL], readOnlyRootFilesystem: true, "
            "seccompProfile.type: RuntimeDefault",
        ),
        (
            7,
            "container 'b' is missing runAsNonRoot: true, allowPrivilegeEscalation: false, "
            "capabilities.drop: [ALL], readOnlyRootFilesystem: true, "
            "seccompProfile.type: RuntimeDefault",
        ),
    ]


def _labelled_pod(label: str, capabilities: str) -> str:
    """A pod in namespace 'shop' whose Namespace carries one Pod Security label."""
    return f"""apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    pod-security.kubernetes.io/{label}
---
apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: shop
spec:
  containers:
    - name: c
      image: example/c:1
      securityContext:
        capabilities:
          add: [SYS_ADMIN]
{capabilities}"""


def test_baseline_and_restricted_twins_report_a_field_once(tmp_path: Path) -> None:
    """Default-on baseline controls meet a namespace that enforces restricted."""
    manifest = _labelled_pod(
        "enforce: restricted", "        seccompProfile:\n          type: Unconfined\n"
    )
    results = lint_text(tmp_path, manifest).results
    lines = [(r.check, r.location.line) for r in results if r.location.line in (19, 21)]
    assert sorted(lines) == [("pss-capabilities-restricted", 19), ("pss-seccomp-restricted", 21)]
    assert all(
        "the API server would reject this pod" in r.message
        for r in results
        if r.location.line in (19, 21)
    )


def test_baseline_default_wins_over_a_namespace_that_only_warns(tmp_path: Path) -> None:
    manifest = _labelled_pod("warn: restricted", "          drop: [ALL]\n")
    results = lint_text(tmp_path, manifest).results
    at_add = [(r.check, r.severity) for r in results if r.location.line == 19]
    assert at_add == [("pss-capabilities-baseline", "error")]


def test_bug_missing_runtime_class_speaks_of_a_pod_as_one_pod(tmp_path: Path) -> None:
    (pod,) = lint_text(tmp_path, PLAIN_POD).results
    assert pod.message == "Pod 'web' sets no runtimeClassName; it shares the node's kernel"
    deployment = lint_text(tmp_path, HARDENED).results[0]
    assert deployment.message.endswith("; its pods share the node's kernel"), deployment.message
    unknown = PLAIN_POD.replace("spec:\n", "spec:\n  runtimeClassName: gvisr\n", 1)
    (typo,) = lint_text(tmp_path, unknown + RUNTIME_CLASS).results
    assert typo.message.endswith("; it would not start"), typo.message


def test_unconfined_seccomp_is_one_finding_in_the_default_profile(tmp_path: Path) -> None:
    unconfined = HARDENED.replace(
        "seccompProfile: {type: RuntimeDefault}", "seccompProfile: {type: Unconfined}"
    )
    results = lint_text(tmp_path, unconfined).results
    assert [(r.check, r.location.line) for r in results if "seccomp" in r.message.lower()] == [
        ("pss-seccomp-baseline", 17)
    ]
    # Left unset, the baseline control has nothing to say: the hardening advice remains.
    unset = HARDENED.replace("        seccompProfile: {type: RuntimeDefault}\n", "")
    advice = [
        r for r in lint_text(tmp_path, unset).results if r.check == "missing-security-context"
    ]
    assert [r.message for r in advice] == [
        "container 'server' is missing seccompProfile.type: RuntimeDefault"
    ]
    # With the baseline control ignored, the weak value is the advice's again.
    ignored = lint_text(tmp_path, unconfined, select=["missing-security-context"]).results
    assert [r.message for r in ignored] == [
        "container 'server' is missing seccompProfile.type: RuntimeDefault"
    ]
