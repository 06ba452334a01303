"""The repository context cache: the same findings as parsing every file, never trusted blindly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kubelint.checks.base import CheckMeta, ModuleCheck
from kubelint.context_cache import full_kinds, rebuild
from tests.conftest import ROOT, run_cli, run_process
from tests.test_staged import BAD_POD, DEPLOY, POLICY, commit, git, repo, write

__all__ = ["repo"]  # the fixture, shared with the --staged tests

SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: shop
stringData:
  password: hunter2-very-secret-value
"""
RBAC = """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
  - {kind: ServiceAccount, name: default, namespace: shop}
"""
#: Sorted before web.yaml: in the same namespace, it is where a missing policy is reported.
OTHER = DEPLOY.replace("name: web", "name: aaa")
HOOK = ["--skip-non-manifests", "--format", "json"]


def cache_files(repo: Path) -> list[Path]:
    return sorted((repo / ".git" / "kubelint").glob("context-*.json"))


def findings(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[object]:
    code, out, err = run_cli([*HOOK, *args], capsys)
    assert code in (0, 1), err
    report = json.loads(out)
    assert isinstance(report["findings"], list)
    return report["findings"]


def three_ways(args: list[str], repo: Path, capsys: pytest.CaptureFixture[str]) -> list[object]:
    """Findings of a cold, a warm and an uncached run, which must agree."""
    shutil.rmtree(repo / ".git" / "kubelint", ignore_errors=True)
    cold = findings(args, capsys)
    assert cache_files(repo), "the cold run writes the cache"
    warm = findings(args, capsys)
    uncached = findings([*args, "--no-cache"], capsys)
    assert cold == warm == uncached
    return warm


@pytest.fixture
def project(repo: Path) -> Path:
    write(
        repo,
        a__other_yaml=OTHER,
        policy_yaml=POLICY.replace("namespace: shop", "namespace: blog"),
        secret_yaml=SECRET,
        rbac_yaml=RBAC,
        web_yaml=DEPLOY,
        pod_yaml=BAD_POD,
    )
    commit(repo)
    return repo


@pytest.mark.parametrize("staged", [True, False])
def test_findings_are_the_same_cold_warm_and_without_cache(
    project: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--staged"] if staged else []
    for name in ("web.yaml", "pod.yaml", "rbac.yaml"):
        three_ways([*args, name], project, capsys)
    checks = {f["check"] for f in three_ways([*args, "pod.yaml"], project, capsys)}  # type: ignore[index]
    assert "privileged-container" in checks


def test_the_cache_lives_in_the_git_directory_and_holds_no_secret_value(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = set(git(project, "status", "--porcelain", "--ignored").splitlines())
    findings(["web.yaml"], capsys)
    assert len(cache_files(project)) == 1
    assert set(git(project, "status", "--porcelain", "--ignored").splitlines()) == before
    text = cache_files(project)[0].read_text()
    assert "hunter2" not in text
    assert '"Secret"' in text  # the Secret is known by kind and name only


@pytest.mark.parametrize("staged", [True, False])
def test_a_changed_file_is_read_again(
    project: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["--staged"] if staged else []
    # a/other.yaml's workload anchors the shop namespace's finding: pod.yaml has none.
    assert not [
        f
        for f in findings([*args, "pod.yaml"], capsys)
        if f["check"] == "namespace-without-default-deny"
    ]  # type: ignore[index]
    write(project, a__other_yaml=OTHER.replace("namespace: shop", "namespace: blog"))
    git(project, "add", "-A")
    after = findings([*args, "pod.yaml"], capsys)
    assert [f for f in after if f["check"] == "namespace-without-default-deny"]  # type: ignore[index]
    assert after == findings([*args, "pod.yaml", "--no-cache"], capsys)


@pytest.mark.parametrize(
    "content",
    [
        b"\x00not json",
        b'{"format": 1}',
        b"[1, 2, 3]",
        b'{"format": 1, "stamp": "%s", "entries": {"%s": {"o": [["x"]], "p": []}}}',
        # records of the right length whose fields are not what kubelint writes
        b'{"format": 1, "stamp": "%s", "entries": {"%s": {"o": [[0, null, null, null, '
        b'{"kind": "Deployment", "metadata": 5}, false]], "p": []}}}',
        b'{"format": 1, "stamp": "%s", "entries": {"%s": {"o": [[0, null, null, [1], '
        b'{"kind": "Deployment", "metadata": {}}, false]], "p": []}}}',
        b'{"format": 1, "stamp": "%s", "entries": {"%s": {"o": [[0, null, null, null, '
        b'{"kind": 7, "metadata": {}}, false]], "p": []}}}',
        # a planted entry that hides the NetworkPolicy file's policy kind
        b'{"format": 1, "stamp": "%s", "entries": {"%s": {"o": 5, "p": []}}}',
    ],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    project: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = findings(["web.yaml", "--no-cache"], capsys)
    findings(["web.yaml"], capsys)
    [path] = cache_files(project)
    stamp = path.stem.removeprefix("context-").encode()
    blob = git(project, "rev-parse", ":a/other.yaml").strip().encode()
    path.write_bytes(content.replace(b"%s", stamp, 1).replace(b"%s", blob, 1))
    assert findings(["web.yaml"], capsys) == expected
    assert findings(["--staged", "web.yaml"], capsys) == expected
    rebuilt = json.loads(path.read_text())  # rebuilt: what kubelint writes
    [record] = rebuilt["entries"][blob.decode()]["o"]
    assert record[4]["kind"] == "Deployment" and record[4]["metadata"]["name"] == "aaa"


def test_a_new_configuration_gets_its_own_cache(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    findings(["web.yaml"], capsys)
    (project / ".kubelint.yaml").write_text("pod-templates:\n  Widget: spec.template\n")
    findings(["web.yaml"], capsys)
    assert len(cache_files(project)) == 2


def test_concurrent_runs_leave_a_whole_cache(project: Path) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kubelint", *HOOK, "web.yaml"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    for run in runs:
        assert run.wait(timeout=120) in (0, 1), run.stderr.read() if run.stderr else ""
    [path] = cache_files(project)
    assert json.loads(path.read_text())["entries"]
    assert not list(path.parent.glob(".*.tmp")), "temporary files are renamed, never left"
    assert run_process([*HOOK, "web.yaml"], cwd=project).returncode in (0, 1)


def test_admission_params_in_another_file_are_read_in_full(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixture = ROOT / "tests" / "admission" / "repo"
    for name in ("deployments.yaml", "namespaces.yaml"):
        shutil.copy(fixture / name, repo / name)
    policy, _, params = (fixture / "policy.yaml").read_text().rpartition("\n---\n")
    (repo / "policy.yaml").write_text(policy + "\n")
    (repo / "params.yaml").write_text(params)
    commit(repo)
    found = three_ways(["deployments.yaml"], repo, capsys)
    assert any(f["check"] == "admission-policy" for f in found)  # type: ignore[index]


def test_a_check_that_does_not_declare_its_context_kinds_turns_the_cache_off() -> None:
    def check(*_: object) -> list[object]:
        return []

    declared = ModuleCheck(CheckMeta("a", "s", "error", "r", context_kinds=frozenset({"X"})), check)
    plugin = ModuleCheck(CheckMeta("b", "s", "error", "r", needs_context=True), check)
    kinds = full_kinds([declared])
    assert kinds is not None and {"X", "Namespace"} <= kinds
    assert full_kinds([declared, plugin]) is None


@pytest.mark.parametrize("staged", [True, False])
def test_a_kustomization_that_stops_naming_a_patch_is_read_again(
    repo: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # a/patch.yaml, a patch, is no workload of its own: web.yaml anchors the finding.
    kustomization = "resources: [../web.yaml]\npatches:\n  - path: patch.yaml\n"
    write(repo, web_yaml=DEPLOY, a__patch_yaml=OTHER, a__kustomization_yaml=kustomization)
    commit(repo)
    args = ["--staged", "web.yaml"] if staged else ["web.yaml"]

    def anchored() -> bool:
        found = three_ways(args, repo, capsys)
        return any(f["check"] == "namespace-without-default-deny" for f in found)  # type: ignore[index]

    assert anchored()
    findings(args, capsys)  # warm
    write(repo, a__kustomization_yaml="resources: [../web.yaml]\n")
    git(repo, "add", "-A")
    warm = findings(args, capsys)
    assert warm == findings([*args, "--no-cache"], capsys)
    assert not any(f["check"] == "namespace-without-default-deny" for f in warm)  # type: ignore[index]


SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
CONFIG_MAP = """# Source: chart/templates/config.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data: {mode: fast}
"""
NAMESPACE = """apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {pod-security.kubernetes.io/enforce: restricted}
"""


@pytest.mark.parametrize(
    "change",
    [
        {"web_yaml": DEPLOY.replace("name: web", "name: web2")},
        {"policy_yaml": POLICY},  # the namespace's policies: its workloads judged again
        {"ns_yaml": NAMESPACE.replace("restricted", "baseline")},
        {"service_yaml": SERVICE.replace("port: 80", "port: 81")},
        {"cm_yaml": CONFIG_MAP.replace("fast", "slow")},
    ],
)
def test_objects_no_check_reads_are_left_out_with_the_same_findings(
    project: Path, change: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Services and ConfigMaps are left out of a warm run's context (no check reads them):
    whatever the commit stages, cold, warm and uncached runs agree."""
    write(project, service_yaml=SERVICE, cm_yaml=CONFIG_MAP, ns_yaml=NAMESPACE)
    commit(project)
    write(project, **change)
    git(project, "add", "-A")
    name = next(iter(change)).replace("_yaml", ".yaml")
    three_ways(["--staged", name], project, capsys)
    three_ways(["--staged", "pod.yaml"], project, capsys)


def test_a_lean_rebuild_keeps_workloads_helm_output_and_the_kinds_read_in_full() -> None:
    records = [
        [0, None, None, None, {"kind": "Service", "metadata": {"name": "s"}}, False],
        [1, None, "chart/templates/cm.yaml", None, {"kind": "ConfigMap", "metadata": {}}, False],
        [2, None, None, None, {"kind": "Pod", "metadata": {"name": "p"}}, False],
        [3, None, None, ["spec", "template"], {"kind": "Rollout", "metadata": {}}, False],
        [4, None, None, None, {"kind": "RuntimeClass", "metadata": {}}, True],
    ]
    entry = {"o": records, "p": []}
    kinds = (frozenset({"RuntimeClass"}), frozenset(), frozenset())
    full = rebuild(entry, "f.yaml", "default", kinds)
    lean = rebuild(entry, "f.yaml", "default", kinds, lean=True)
    assert full is not None and lean is not None
    assert [o.kind for o in full.objects] == [
        "Service",
        "ConfigMap",
        "Pod",
        "Rollout",
        "RuntimeClass",
    ]
    assert [o.kind for o in lean.objects] == ["ConfigMap", "Pod", "Rollout", "RuntimeClass"]


def test_a_plugin_check_declaring_its_context_kinds_still_sees_every_object(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kubelint's checks read only workloads of the kinds they do not declare; a plugin's
    check may read the name of any object: for it, a warm run leaves nothing out."""
    from kubelint.config import Config
    from kubelint.model import Finding
    from kubelint.plan import Inputs
    from kubelint.runner import lint

    write(project, service_yaml=SERVICE)
    commit(project)
    monkeypatch.chdir(project)

    def services(obj: object, ctx: Any, params: object) -> list[Finding]:
        names = sorted(o.name for o in ctx.of_kind("Service"))
        return [Finding((), f"services: {names}")]

    plugin = ModuleCheck(
        CheckMeta(
            "services",
            "s",
            "info",
            "r",
            kinds=frozenset({"Pod"}),
            needs_context=True,
            context_kinds=frozenset(),
        ),
        services,
    )
    for _ in ("cold", "warm"):
        report = lint(Inputs(["pod.yaml"], staged=True), Config(), [plugin])
        assert [r.message for r in report.results] == ["services: ['web']"]
    assert cache_files(project)
