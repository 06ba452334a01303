"""Offline schema validation: messages, versions, CRDs, no network, nothing silently valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.loader.documents import load_source
from kubelint.schema.apis import ApiState, status
from kubelint.schema.bundle import load_bundle, nearest, schemas_dir, versions
from tests.conftest import ROOT, lint_paths, lint_text, run_process

TYPO_TREE = {
    "typo.yaml": """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        runAsNonroot: true
""",
    "type.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: many
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx:1.27}]
""",
    "removed.yaml": """apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
""",
    "crd.yaml": """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: caches.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: caches, kind: Cache}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                sizeMiB: {type: integer}
""",
    "cache.yaml": """apiVersion: example.com/v1
kind: Cache
metadata:
  name: hot
spec:
  sizeMiB: lots
""",
}
SCHEMA_CHECKS = ["schema-validation", "unknown-field", "removed-api", "deprecated-api"]


def make_tree(root: Path) -> Path:
    for name, text in TYPO_TREE.items():
        (root / name).write_text(text)
    return root


def test_done_when_each_problem_gets_one_finding_at_its_line(tmp_path: Path) -> None:
    report = lint_paths([make_tree(tmp_path)], SCHEMA_CHECKS)
    found = sorted(
        (Path(r.location.file).name, r.location.line, r.check, r.message) for r in report.results
    )
    assert found == [
        ("cache.yaml", 6, "schema-validation", "'spec.sizeMiB' must be an integer, not a string"),
        (
            "removed.yaml",
            1,
            "removed-api",
            "policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (target 1.37); use policy/v1",
        ),
        ("type.yaml", 6, "schema-validation", "'spec.replicas' must be an integer, not a string"),
        (
            "typo.yaml",
            10,
            "unknown-field",
            "unknown field 'runAsNonroot' in 'spec.containers[0].securityContext'; did you mean 'runAsNonRoot'?",
        ),
    ]
    assert report.not_validated == 0


def test_no_network_is_used(tmp_path: Path) -> None:
    """Run the command line with every socket refused: it still validates everything."""
    make_tree(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(
        "import socket\n"
        "def _refuse(*args, **kwargs):\n"
        "    raise OSError('network access attempted by kubelint')\n"
        "socket.socket.connect = _refuse\n"
        "socket.create_connection = _refuse\n"
        "socket.getaddrinfo = _refuse\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "kubelint", "--select", ",".join(SCHEMA_CHECKS), "-f", "json", "."],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert len(json.loads(result.stdout)["findings"]) == 4
    assert "network access attempted" not in result.stderr


def test_type_errors_never_echo_the_value(tmp_path: Path) -> None:
    text = """apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: a
      image: b
      env:
        - name: DB_PASSWORD
          value: 918273645
"""
    report = lint_text(tmp_path, text, select=["schema-validation"])
    (result,) = report.results
    assert result.message == "'spec.containers[0].env[0].value' must be a string, not an integer"
    assert "918273645" not in result.message


def test_custom_resources_without_schema_are_counted_not_passed(tmp_path: Path) -> None:
    text = "apiVersion: monitoring.example.io/v1\nkind: Probe\nmetadata: {name: p}\nspec: {x: 1}\n"
    report = lint_text(tmp_path, text, select=["schema-validation", "unknown-field"])
    assert report.results == []
    assert report.not_validated == 1
    (notice,) = report.notices
    assert "1 Probe object(s) (monitoring.example.io/v1) not validated: no schema" in notice.message


def test_crds_from_configured_folders(tmp_path: Path) -> None:
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds" / "crd.yaml").write_text(TYPO_TREE["crd.yaml"])
    (tmp_path / "cache.yaml").write_text(TYPO_TREE["cache.yaml"])
    alone = lint_paths([tmp_path / "cache.yaml"], ["schema-validation"])
    assert alone.results == [] and alone.not_validated == 1
    with_crds = lint_paths(
        [tmp_path / "cache.yaml"], ["schema-validation"], crd_paths=["crds"], base=tmp_path
    )
    assert [r.location.line for r in with_crds.results] == [6]
    assert with_crds.not_validated == 0


def test_api_lifecycle() -> None:
    assert status("apps/v1", "Deployment", 37).state == "served"
    removed = status("batch/v1beta1", "CronJob", 30)
    assert (removed.state, removed.version, removed.replacement) == ("removed", 25, "batch/v1")
    early = status("batch/v1beta1", "CronJob", 21)
    assert (early.state, early.version) == ("deprecated", 25)
    deprecated = status("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 30)
    assert (deprecated.state, deprecated.version, deprecated.replacement) == (
        "deprecated",
        32,
        "flowcontrol.apiserver.k8s.io/v1",
    )
    assert status("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 32).state == "removed"
    assert status("flowcontrol.apiserver.k8s.io/v1", "FlowSchema", 28).state == "not-yet"
    assert status("apps/v1", "Deploymnet", 37).state == "not-served"
    assert status("example.com/v1", "Thing", 37).state == "unknown"


def test_api_states_are_an_enum_that_says_what_is_served() -> None:
    assert status("apps/v1", "Deployment", 37).state is ApiState.SERVED
    assert status("batch/v1beta1", "CronJob", 21).state is ApiState.DEPRECATED
    assert {s.value for s in ApiState if s.served} == {"served", "deprecated"}


def test_versions_shipped_and_nearest() -> None:
    shipped = versions()
    assert len(shipped) >= 10 and shipped[-1] == 37 and shipped == tuple(range(shipped[0], 38))
    assert nearest(20) == shipped[0] and nearest(99) == 37 and nearest(30) == 30
    assert load_bundle(30).definition("apps/v1", "Deployment") == "io.k8s.api.apps.v1.Deployment"


def test_bundle_is_small_and_has_its_license() -> None:
    folder = schemas_dir()
    total = sum(p.stat().st_size for p in folder.iterdir())
    assert total < 512 * 1024
    assert "Apache" in (folder / "LICENSE").read_text()


@pytest.mark.parametrize("minor", [25, 30, 37])
def test_every_bundled_kind_resolves(minor: int) -> None:
    bundle = load_bundle(minor)
    for kinds in bundle.kinds.values():
        for name in kinds.values():
            assert set(bundle.reachable(name)) <= set(bundle.defs)


def test_valid_corpus_like_objects_pass(tmp_path: Path) -> None:
    """The examples and every fixture of the other checks are schema-valid."""
    report = lint_paths([ROOT / "examples" / "hardened"], SCHEMA_CHECKS)
    assert report.results == []


@pytest.mark.parametrize("minor", [25, 29, 33, 37])
def test_reference_pods_are_schema_valid(minor: int) -> None:
    """The Pod Security reference fixtures are real, API-valid pods: no false positives."""
    folders = [
        ROOT / "tests" / "pss" / "conformance" / level / f"v1.{minor}"
        for level in ("baseline", "restricted")
    ]
    report = lint_paths(folders, SCHEMA_CHECKS, kube_version=minor)
    assert report.objects > 100
    assert report.results == [] and report.not_validated == 0


# Component configuration files: read from disk by a component, never API resources.
COMPONENT_CONFIGS = {
    # A kubeconfig: core-group v1, but a client's file (kubelint.k8s.kinds.CLIENT_CONFIG_KINDS).
    "Config": "apiVersion: v1\nkind: Config\npreferences: {}\ncurrent-context: dev\n"
    "clusters: [{name: dev, cluster: {server: 'https://dev.example.com:6443'}}]\n"
    "contexts: [{name: dev, context: {cluster: dev, user: dev}}]\n"
    "users: [{name: dev, user: {exec: {apiVersion: client.authentication.k8s.io/v1, "
    "command: kubelogin}}}]\n",
    "KubeletConfiguration": "apiVersion: kubelet.config.k8s.io/v1beta1\n"
    "kind: KubeletConfiguration\nreadOnlyPort: 0\nnotAKubeletField: 1\n",
    "ClusterConfiguration": "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\n"
    "kubernetesVersion: v1.30.0\n",
    "InitConfiguration": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\n",
    "JoinConfiguration": "apiVersion: kubeadm.k8s.io/v1beta4\nkind: JoinConfiguration\n",
    "EncryptionConfiguration": "apiVersion: apiserver.config.k8s.io/v1\n"
    "kind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n"
    "    providers:\n      - identity: {}\n",
    "AuthenticationConfiguration": "apiVersion: apiserver.config.k8s.io/v1beta1\n"
    "kind: AuthenticationConfiguration\nanonymous: {enabled: false}\n",
    "AuthorizationConfiguration": "apiVersion: apiserver.config.k8s.io/v1\n"
    "kind: AuthorizationConfiguration\nauthorizers: [{type: Node, name: node}]\n",
    "AdmissionConfiguration": "apiVersion: apiserver.config.k8s.io/v1\n"
    "kind: AdmissionConfiguration\nplugins: []\n",
    "Policy": "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
    "KubeProxyConfiguration": "apiVersion: kubeproxy.config.k8s.io/v1alpha1\n"
    "kind: KubeProxyConfiguration\nmode: ipvs\n",
    "KubeSchedulerConfiguration": "apiVersion: kubescheduler.config.k8s.io/v1\n"
    "kind: KubeSchedulerConfiguration\nprofiles: []\n",
    "Cluster": "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes: [{role: control-plane}]\n",
}


@pytest.mark.parametrize("kind", sorted(COMPONENT_CONFIGS))
def test_component_configuration_is_neither_validated_nor_counted_as_not_validated(
    tmp_path: Path, kind: str
) -> None:
    report = lint_text(
        tmp_path,
        COMPONENT_CONFIGS[kind],
        select=["schema-validation", "unknown-field", "removed-api", "deprecated-api"],
    )
    assert not report.errors and not report.internal_errors
    assert report.results == []
    assert report.not_validated == 0 and report.notices == []


@pytest.mark.parametrize("kind", sorted(COMPONENT_CONFIGS))
def test_component_configuration_has_no_namespace(kind: str) -> None:
    (obj,) = load_source("c.yaml", COMPONENT_CONFIGS[kind].encode()).objects
    assert obj.kind == kind
    assert obj.namespace is None and obj.identity()["namespace"] is None


def test_cluster_api_cluster_is_an_api_resource_and_keeps_its_namespace() -> None:
    # Cluster API's Cluster is an API resource (cluster.x-k8s.io), unlike kind's.
    text = "apiVersion: cluster.x-k8s.io/v1beta1\nkind: Cluster\nmetadata: {name: c}\n"
    (obj,) = load_source("c.yaml", text.encode()).objects
    assert obj.namespace == "default"


def test_not_validated_names_the_custom_resource_not_the_kubelet_configuration(
    tmp_path: Path,
) -> None:
    (tmp_path / "kubelet.yaml").write_text(COMPONENT_CONFIGS["KubeletConfiguration"])
    (tmp_path / "probe.yaml").write_text(
        "apiVersion: monitoring.example.io/v1\nkind: Probe\nmetadata: {name: p}\n"
    )
    report = lint_paths([tmp_path])
    assert report.not_validated == 1
    assert [n.message for n in report.notices] == [
        "1 Probe object(s) (monitoring.example.io/v1) not validated: no schema (add the "
        "CustomResourceDefinition to the repository or to crd-paths)"
    ]
    done = run_process(["--format", "json", "."], cwd=tmp_path)
    data = json.loads(done.stdout)
    assert data["summary"]["notValidated"] == 1
    assert [n["file"] for n in data["notices"]] == ["probe.yaml"]


def test_the_json_report_gives_an_encryption_configuration_no_namespace(tmp_path: Path) -> None:
    (tmp_path / "enc.yaml").write_text(COMPONENT_CONFIGS["EncryptionConfiguration"])
    done = run_process(["--format", "json", "--select", "cluster", "enc.yaml"], cwd=tmp_path)
    findings = json.loads(done.stdout)["findings"]
    assert findings, done.stderr
    assert {f["object"]["namespace"] for f in findings} == {None}


def test_a_kustomize_patch_linted_alone_is_checked_for_what_it_sets(tmp_path: Path) -> None:
    """A patch is left out of the run's objects, so no whole object gives its kind a
    schema: it gets its own. It is judged for the fields it sets (a misspelt one is
    reported) and not for those it leaves out (a Deployment patch has no selector)."""
    (tmp_path / "kustomization.yaml").write_text("patches:\n  - path: patch.yaml\n")
    patch = tmp_path / "patch.yaml"
    patch.write_text(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 3\n"
    )
    report = lint_paths([patch], ["schema-validation", "unknown-field"])
    assert report.internal_errors == []
    assert [(r.check, r.location.line) for r in report.results] == [("unknown-field", 6)]
