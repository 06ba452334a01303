"""The cluster family together: a kubeadm-style control plane, odd shapes, no leaks."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN
from kubelint.checks.cluster.apiserver_removed_flag import REMOVED
from tests.conftest import lint_paths, lint_text, run_process

HERE = Path(__file__).parent / "control-plane"
EXPECT = re.compile(r"#\s*expect:\s*([a-z0-9, -]+)")
CLUSTER = sorted(c.meta.id for c in BUILTIN if c.meta.family == "cluster")


def _expected(folder: Path) -> Counter[tuple[str, str, int]]:
    """(file, check, line) marks; a check named twice on a line expects two findings."""
    marks: Counter[tuple[str, str, int]] = Counter()
    for path in sorted(folder.rglob("*.yaml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = EXPECT.search(line)
            if match:
                for check_id in match.group(1).split(","):
                    marks[(str(path.resolve()), check_id.strip(), number)] += 1
    return marks


def test_every_cluster_check_is_in_the_default_profile_and_group() -> None:
    checks = [c for c in BUILTIN if c.meta.family == "cluster"]
    assert len(checks) == 21
    assert all(c.meta.enabled and "cluster" in c.meta.all_groups for c in checks)


def test_insecure_control_plane_gives_every_finding_at_its_line() -> None:
    report = lint_paths([HERE / "insecure"], ["cluster"])
    assert not report.errors and not report.internal_errors
    found = Counter(
        (str(Path(r.location.file).resolve()), r.check, r.location.line) for r in report.results
    )
    want = _expected(HERE / "insecure")
    assert found == want
    # Every check of the family shows up in the folder.
    assert {check for _, check, _ in found} == set(CLUSTER)


def test_hardened_control_plane_gives_none() -> None:
    report = lint_paths([HERE / "hardened"], ["cluster"])
    assert not report.errors and not report.internal_errors
    assert report.results == []
    assert _expected(HERE / "hardened") == Counter()


def test_a_deployment_running_the_api_server_image_elsewhere_is_not_the_api_server(
    tmp_path: Path,
) -> None:
    deployment = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: platform}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: kube-apiserver
          image: registry.k8s.io/kube-apiserver:v1.30.0
          command: [kube-apiserver, --anonymous-auth=true, --insecure-port=0]
"""
    assert lint_text(tmp_path, deployment, select=["cluster"]).results == []
    # The same in kube-system is the control plane's.
    in_system = deployment.replace("namespace: platform", "namespace: kube-system")
    found = {r.check for r in lint_text(tmp_path, in_system, select=["cluster"]).results}
    assert {"apiserver-anonymous-auth", "apiserver-removed-flag"} <= found


ODD_SHAPES = [
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: kube-system}\nspec:\n"
    "  containers:\n    - name: x\n      image: kube-apiserver\n      command: {a: b}\n"
    "      args: 3\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
    "    - {name: x, image: kube-apiserver, command: [kube-apiserver, 1, 2.5, null, [a], {b: c}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
    "    - {name: x, image: 7, args: [--a, {b: c}]}\n",
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: [containers]\n",
    "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n"
    "  extraArgs: [[a], 3, {name: [x]}, {name: profiling, value: [1]}]\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\napiServer: text\n"
    "kubernetesVersion: 1\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n"
    "  kubeletExtraArgs: {read-only-port: [1], feature-gates: 5, anonymous-auth: {a: b}}\n",
    "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\nnodeRegistration: [a]\n",
    "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
    "authentication: {anonymous: {enabled: 'true'}}\nauthorization: {mode: 3}\n"
    "readOnlyPort: '10255'\nfeatureGates: RotateKubeletServerCertificate=false\n",
    "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\n"
    "resources: [[secrets], {resources: {a: b}, providers: {identity: {}}}, "
    "{resources: [1, secrets], providers: [{}, {identity: {}}]}, {providers: [{3: x}]}]\n",
    "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: {level: None}\nomitStages: RequestReceived\n",
    "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - {level: [Metadata]}\n"
    "  - {level: Request, resources: {group: ''}, users: admin}\n"
    "  - {level: Request, resources: [{group: [x], resources: {a: b}}]}\n",
    "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: AuthenticationConfiguration\n"
    "anonymous: [enabled]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n"
    "  containers:\n    - {name: x, image: i, command: [kube-apiserver, --authentication-config=x]}\n",
]


@pytest.mark.parametrize("text", ODD_SHAPES)
def test_wrong_types_never_crash_a_check(tmp_path: Path, text: str) -> None:
    report = lint_text(tmp_path, text, select=["cluster"])
    assert not report.internal_errors


def test_numbers_in_args_are_skipped_not_read_as_flags(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
        "    - name: x\n      image: i\n      command: [kube-apiserver, --profiling, 0]\n"
    )
    (result,) = lint_text(tmp_path, text, select=["apiserver-profiling"]).results
    assert "--profiling is true" in result.message


def test_removed_log_flags_get_hints_that_stand_alone(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n"
        "    - name: x\n      image: registry.k8s.io/kube-apiserver:v1.30.0\n"
        "      command: [kube-apiserver, --log-dir=/var/log, --logtostderr, --skip-headers]\n"
    )
    results = lint_text(tmp_path, text, select=["apiserver-removed-flag"]).results
    hints = {r.message.split(" was ")[0].split()[-1]: r.hint for r in results}
    assert hints == {
        "--log-dir": "remove the flag: the API server logs only to standard error; to keep a "
        "log file, redirect the API server's standard error to that file or collect the "
        "container's logs",
        "--logtostderr": "remove the flag: the API server always logs to standard error",
        "--skip-headers": "remove the flag: the API server logs everything to standard error, "
        "formatted by --logging-format, with verbosity set by -v",
    }


def test_no_removed_flag_hint_points_at_something_it_does_not_name() -> None:
    for flag, (_, hint) in REMOVED.items():
        words = re.findall(r"[a-z]+", hint.lower())
        assert "there" not in words and "it" not in words, (flag, hint)


KEY_A = "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1mb3ItdGVzdHM="
KEY_B = "Wm9yRzVkQ0xmT3B5N2hKdFNvN3E2c2RFZ0RYSDN4Wmk="
ENCRYPTION = f"""\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps]
    providers:
      - identity: {{}}
      - aescbc:
          keys:
            - name: key1
              secret: {KEY_A}
  - resources: [events]
    providers:
      - aesgcm:
          keys:
            - name: key2
              secret: {KEY_B}
      - secretbox:
          keys:
            - name: key3
              secret: {KEY_A}
"""


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "sarif", "github", "junit"])
def test_encryption_keys_never_reach_any_output(tmp_path: Path, fmt: str) -> None:
    (tmp_path / "encryption.yaml").write_text(ENCRYPTION, encoding="utf-8")
    result = run_process(
        ["encryption.yaml", "--select", "all", "--format", fmt, "--no-repo-context"],
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    # The checks did report on the file (else the test would pass vacuously)...
    assert "encryption-identity-first" in output and "encryption-secrets-not-covered" in output
    # ...and no key, nor its decoded bytes, reached the report.
    for key in (KEY_A, KEY_B):
        assert key not in output
        assert __import__("base64").b64decode(key).decode() not in output


def test_kubelet_messages_name_the_setting_by_its_full_key(tmp_path: Path) -> None:
    text = (
        "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n"
        "authentication: {anonymous: {enabled: true}}\nauthorization: {mode: AlwaysAllow}\n"
    )
    messages = sorted(r.message for r in lint_text(tmp_path, text, select=["cluster"]).results)
    assert messages[0].startswith("kubelet authentication.anonymous.enabled is true")
    assert messages[1].startswith("kubelet authorization.mode is AlwaysAllow")


def test_default_profile_leaves_static_control_plane_pods_to_the_cluster_checks() -> None:
    # A kube-apiserver needs the host network and host paths: the workload checks would
    # report what it cannot do without. One notice says so.
    hardened = lint_paths([HERE / "hardened"])
    assert hardened.results == [] and not hardened.errors
    assert [n.message.split(":")[0] for n in hardened.notices] == [
        "1 static control-plane pod(s) (kube-apiserver)"
    ]
    insecure = {r.check for r in lint_paths([HERE / "insecure"]).results}
    assert insecure == set(CLUSTER) | {"plaintext-secret"}


STATIC_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
  labels: {component: kube-scheduler, tier: control-plane}
spec:
  hostNetwork: true
  containers:
    - name: kube-scheduler
      image: registry.k8s.io/kube-scheduler:v1.33.1
      command: [kube-scheduler, --profiling=false]
"""


@pytest.mark.parametrize(
    ("change", "judged"),
    [
        ({}, False),
        ({"command: [kube-scheduler,": "command: [/usr/local/bin/kube-scheduler,"}, False),
        # Labels alone do not take a pod out of the workload checks: its program must be
        # the component's, in kube-system, with both labels.
        ({"command: [kube-scheduler,": "command: [sh, -c,"}, True),
        ({"namespace: kube-system": "namespace: tools"}, True),
        ({"tier: control-plane": "tier: node"}, True),
        ({"component: kube-scheduler": "component: scheduler"}, True),
    ],
)
def test_what_makes_a_static_control_plane_pod(
    tmp_path: Path, change: dict[str, str], judged: bool
) -> None:
    text = STATIC_POD
    for old, new in change.items():
        text = text.replace(old, new)
    found = {r.check for r in lint_text(tmp_path, text).results}
    assert ("pss-host-namespaces" in found) is judged


def test_a_privileged_control_plane_pod_is_still_reported(tmp_path: Path) -> None:
    text = STATIC_POD + "      securityContext: {privileged: true}\n"
    found = {r.check for r in lint_text(tmp_path, text).results}
    assert "privileged-container" in found and "pss-host-namespaces" not in found
