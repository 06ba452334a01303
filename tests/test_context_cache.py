"""The repository context cache: the same findings as parsing every file, never trusted blindly."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from kubelint import context_cache
from kubelint.checks.base import CheckMeta, ModuleCheck
from kubelint.context_cache import (
    FORMAT,
    ContextCache,
    CorruptEntry,
    Entry,
    decoded,
    full_kinds,
    rebuild,
    restore,
)
from kubelint.model import K8sObject
from tests.conftest import ROOT, run_cli, run_process
from tests.test_network_policy import NS, PORT_443, WEB, deployment, dump, policy
from tests.test_staged import BAD_POD, CHECK, DEPLOY, POLICY, commit, git, repo, write

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
    return sorted((repo / ".git" / "kubelint").glob("context-*"))


def entry_lines(path: Path) -> dict[str, list[str]]:
    """The entries of a cache file as kubelint writes them: blob id -> head and records."""
    header, _, _, *lines = path.read_text().split("\n")
    assert header == f"kubelint-context {FORMAT} {len(lines) - 1}" and lines[-1] == ""
    return {line.split("\t")[0]: line.split("\t")[1:] for line in lines[:-1]}


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


#: The start of a cache file of one entry (stamp, then blob id and the entry to fill in). Its
#: heads say what kubelint would: a Deployment in shop, the namespace of the file linted (so
#: its record is read), then the record behind its prefix. A head or prefix that lies in a
#: well-formed way is no more detected than a well-formed record that lies.
ONE = b"kubelint-context 2 1\n%s\nnull\n%s\tDeployment\tshop\t\t\t"
PREFIX = b"Deployment\x1fshop\x1f\x1f"
RECORD = b'[0, null, null, null, {"kind": "Deployment", "metadata": {"namespace": "shop"}}, false]'


@pytest.mark.parametrize(
    "content",
    [
        b"\x00not a cache",
        b"kubelint-context 2 0\n%s\nnull",
        b"kubelint-context 2 0\n[1, 2]\nnull\n",
        b"kubelint-context 2 1\n%s\nnull\nno tab\n",
        b"[1, 2, 3]",
        ONE + PREFIX + b'["x"]\n',
        # cut short: the last line break, or a whole line, is missing
        ONE + PREFIX + RECORD,
        b"kubelint-context 2 2\n%s\nnull\n%s\tDeployment\tshop\t\t\t" + PREFIX + RECORD + b"\n",
        # heads, prefixes and records of the right shape that kubelint does not write
        ONE.replace(b"shop\t\t", b"shop\tyes\t") + PREFIX + RECORD + b"\n",
        ONE[:-1] + b"\n",
        ONE + PREFIX + RECORD.replace(b'{"namespace": "shop"}', b"5") + b"\n",
        ONE + PREFIX + RECORD.replace(b"null, {", b"[1], {") + b"\n",
        ONE + b"7\x1fshop\x1f\x1f" + RECORD.replace(b'"Deployment"', b"7") + b"\n",
        ONE + PREFIX + RECORD + b" [1]\n",
        ONE + PREFIX + RECORD[:-3] + b"\n",
        ONE + PREFIX[:-1] + RECORD + b"\n",
        ONE + PREFIX + b"h\x1f" + RECORD + b"\n",
        # a head or a prefix that does not say what the record holds
        ONE.replace(b"Deployment", b"ConfigMap") + PREFIX + RECORD + b"\n",
        ONE + b"Deployment\x1fblog\x1f\x1f" + RECORD + b"\n",
        ONE + b"ConfigMap\x1fshop\x1f\x1f" + RECORD + b"\n",
        # a planted entry that hides the file's workload
        ONE + PREFIX + b"5\n",
    ],
)
def test_a_corrupt_cache_is_ignored_and_rebuilt(
    project: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = findings(["web.yaml", "--no-cache"], capsys)
    findings(["web.yaml"], capsys)
    [path] = cache_files(project)
    stamp = path.read_bytes().split(b"\n")[1]
    blob = git(project, "rev-parse", ":a/other.yaml").strip().encode()
    path.write_bytes(content.replace(b"%s", stamp, 1).replace(b"%s", blob, 1))
    assert findings(["web.yaml"], capsys) == expected
    assert findings(["--staged", "web.yaml"], capsys) == expected
    [*_, records] = entry_lines(path)[blob.decode()]  # rebuilt: what kubelint writes
    [record] = [json.loads(r.split("\x1f")[3]) for r in records.split("\x1e")]
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
    assert entry_lines(path)
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


@pytest.mark.parametrize("staged", [True, False])
def test_a_file_a_kustomization_starts_naming_as_a_patch_is_no_object_of_its_own(
    repo: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    # a/patch.yaml is cached as a whole Deployment first, then becomes a patch: its entry
    # must not stand in for it (a patch is part of an object, no workload of its own).
    write(repo, web_yaml=DEPLOY, a__patch_yaml=OTHER)
    commit(repo)
    args = ["--staged", "web.yaml"] if staged else ["web.yaml"]

    def anchored(found: list[object]) -> list[object]:
        return [f for f in found if f["check"] == "namespace-without-default-deny"]  # type: ignore[index]

    assert not anchored(three_ways(args, repo, capsys))  # reported at a/patch.yaml
    write(repo, a__kustomization_yaml="resources: [../web.yaml]\npatches:\n  - path: patch.yaml\n")
    git(repo, "add", "-A")
    warm = findings(args, capsys)
    assert warm == findings([*args, "--no-cache"], capsys)
    (finding,) = anchored(warm)
    assert "(0 of 1 workload selected" in finding["message"]  # type: ignore[index]


def cache_patches(path: Path, state: list[list[object]]) -> frozenset[str] | None:
    _, stamped, patches, *_ = path.read_text().split("\n")
    return ContextCache(path, {}, stamped, json.loads(patches)).patches(state)


def test_kustomizations_are_read_again_when_their_state_changes_or_is_too_recent(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The patch files named by kustomizations are kept with the kustomizations' state
    (size, times, inode): a kustomization changed since, even to the same size and with
    its modification time put back, is read again, and so is one changed too recently."""
    # Any change before the state was taken is old enough here (the test cannot wait).
    monkeypatch.setattr(context_cache, "RACY_NS", 0)
    kustomization = repo / "a" / "kustomization.yaml"
    write(repo, web_yaml=DEPLOY, a__patch_yaml=OTHER)
    write(repo, a__kustomization_yaml="resources: [../web.yaml]\npatches:\n  - path: patch.yaml\n")
    commit(repo)
    long_ago = 1_000_000_000
    os.utime(kustomization, ns=(long_ago, long_ago))
    args = ["web.yaml"]  # the working tree's kustomizations (--staged reads the index's)
    cold = three_ways(args, repo, capsys)
    [path] = cache_files(repo)
    state = json.loads(path.read_text().split("\n")[2])
    assert state[0] and cache_patches(path, state[0]) == {str(repo / "a" / "patch.yaml")}
    # the same size, the modification time put back: the change time still tells
    kustomization.write_text("resources: [../web.yaml]\npatches:\n  - path: patch.yml\n")
    os.utime(kustomization, ns=(long_ago, long_ago))
    changed = findings(args, capsys)
    assert changed == findings([*args, "--no-cache"], capsys) != cold
    monkeypatch.undo()
    now = time.time_ns()
    old = [["/k", 7, 2, 3, 0, 0], ["/gone"]]
    cache = ContextCache(repo / "c.txt", {}, "v")
    cache.keep_patches(old, now, frozenset({"/p.yaml"}))
    assert cache.patches(old) == {"/p.yaml"}
    assert cache.patches([["/k", 8, 2, 3, 0, 0], ["/gone"]]) is None  # another size
    assert cache.patches([["/k", 7, 2, 3, 0, 0]]) is None  # a kustomization less
    recent = [["/k", 7, 2, 3, now - 10**9, 0]]
    cache.keep_patches(recent, now, frozenset({"/p.yaml"}))
    assert cache.patches(recent) is None


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


ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: shop
rules:
  - {apiGroups: [""], resources: [secrets], verbs: [get]}
"""
BINDING = """apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
  namespace: shop
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
  - {kind: ServiceAccount, name: web, namespace: shop}
"""


@pytest.mark.parametrize(
    "change",
    [
        {"web_yaml": DEPLOY.replace("name: web", "name: web2")},
        {"blog_yaml": OTHER.replace("namespace: shop", "namespace: blog").replace("aaa", "b")},
        {"role_yaml": ROLE.replace("get]", "get, list]")},
        {"binding_yaml": BINDING.replace("name: web,", "name: other,")},
        {"unplaced_yaml": OTHER.replace("  namespace: shop\n", "").replace("aaa", "u")},
    ],
)
def test_a_lean_run_reads_the_namespaces_and_kinds_its_checks_need_with_the_same_findings(
    project: Path, change: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A warm run keeps the workloads of the namespaces linted only, and the kinds the
    checks of the kinds linted read (a workload's token needs bindings, not roles): cold,
    warm and uncached runs agree whatever the commit stages."""
    write(
        project,
        blog_yaml=OTHER.replace("namespace: shop", "namespace: blog"),
        unplaced_yaml=OTHER.replace("  namespace: shop\n", ""),
        role_yaml=ROLE,
        binding_yaml=BINDING,
    )
    commit(project)
    write(project, **change)
    git(project, "add", "-A")
    name = next(iter(change)).replace("_yaml", ".yaml")
    found = three_ways(["--staged", name], project, capsys)
    assert found == three_ways([name], project, capsys)


def test_a_lean_rebuild_keeps_workloads_helm_output_and_the_kinds_read_in_full() -> None:
    records = [
        [0, None, None, None, {"kind": "Service", "metadata": {"name": "s"}}, False],
        [1, None, "chart/templates/cm.yaml", None, {"kind": "ConfigMap", "metadata": {}}, False],
        [2, None, None, None, {"kind": "Pod", "metadata": {"name": "p"}}, False],
        [3, None, None, ["spec", "template"], {"kind": "Rollout", "metadata": {}}, False],
        [4, None, None, None, {"kind": "RuntimeClass", "metadata": {}}, True],
        [5, None, None, None, {"kind": "Pod", "metadata": {"namespace": "other"}}, False],
    ]
    entry = Entry.of(records, [])
    kinds = (frozenset({"RuntimeClass"}), frozenset(), frozenset())
    full = rebuild(entry, "f.yaml", "default", kinds)
    lean = rebuild(entry, "f.yaml", "default", kinds, lean=frozenset({"~", "default"}))
    assert full is not None and lean is not None
    assert [o.kind for o in full.objects] == [
        "Service",
        "ConfigMap",
        "Pod",
        "Rollout",
        "RuntimeClass",
        "Pod",
    ]
    # workloads of other namespaces than those linted are left out too
    assert [o.kind for o in lean.objects] == ["ConfigMap", "Pod", "Rollout", "RuntimeClass"]


def test_an_entry_no_lean_run_reads_is_left_out_without_decoding_its_records() -> None:
    kinds = (frozenset({"RuntimeClass"}), frozenset(), frozenset())
    heads: dict[str, object] = {}
    unread = Entry.read("Service,Deployment\tother\t\t\tnot json", heads)  # type: ignore[arg-type]
    assert unread is not None
    assert rebuild(unread, "f.yaml", "default", kinds, lean=frozenset({"~"})) is not None
    read = Entry.read("Service,Deployment\t~\t\t\tnot json", heads)  # type: ignore[arg-type]
    assert read is not None
    with pytest.raises(CorruptEntry):
        rebuild(read, "f.yaml", "default", kinds, lean=frozenset({"~"}))


def test_an_entry_reads_back_as_written() -> None:
    records = [
        [0, None, "c/t.yaml", ["spec", "jobTemplate"], {"kind": "CronTab", "metadata": {}}, False],
        [1, 2, None, None, {"kind": "Pod", "metadata": {"namespace": "shop"}}, False],
    ]
    entry = Entry.of(records, ["Params"])
    read = Entry.read(entry.line(), {})
    assert read is not None and [decoded(p[3]) for p in read.parts()] == records
    assert [p[:3] for p in read.parts()] == [("CronTab", "~", True), ("Pod", "shop", False)]
    assert (read.kinds, read.spaces, read.helm, read.params) == (
        {"CronTab", "Pod"},
        {"~", "shop"},
        True,
        {"Params"},
    )
    # kinds and namespaces that do not fit in a head: the file is parsed on every run
    for namespace in ("a,b", "~"):  # "~" stands for the default namespace in a head
        odd = [[0, None, None, None, {"kind": "Pod", "metadata": {"namespace": namespace}}, False]]
        assert not Entry.of(odd, []).rebuildable


@pytest.mark.parametrize(
    ("template", "kind", "namespace", "expected"),
    [
        (None, "CronTab", "~", "ns"),
        (("spec", "jobTemplate"), "CronTab", "shop", "shop"),
        (None, "ClusterRole", None, None),
    ],
)
def test_a_rebuilt_object_is_what_its_constructor_makes(
    template: tuple[str, ...] | None, kind: str, namespace: str | None, expected: str | None
) -> None:
    """Objects are rebuilt without K8sObject's constructor: every field it sets, with the
    defaults of those it is not given, is the same (a field added later is caught), and
    the namespace worked out from the record is the one the object would read."""
    metadata = {"name": "c"} if namespace in ("~", None) else {"namespace": namespace}
    data = {"apiVersion": "x/v1", "kind": kind, "metadata": metadata}
    assert context_cache.space(data) == namespace
    prepared = [(1, 2, "c/t.yaml", template, data, kind, namespace)]
    [obj] = restore(prepared, "f.yaml", "ns").objects
    made = K8sObject(
        data=data,
        source=obj.source,
        doc_index=1,
        item_index=2,
        helm_source="c/t.yaml",
        default_namespace="ns",
        locator=obj.locator,
        text_start=0,
        text_end=0,
    )
    if template is not None:
        made.use_pod_template(template)
    for field in dataclasses.fields(K8sObject):
        assert getattr(obj, field.name) == getattr(made, field.name), field.name
    assert (obj.kind, obj.api_version, obj.namespace) == (kind, "x/v1", expected)
    assert made.namespace == expected


def workload_docs(rng: random.Random, index: int) -> list[dict[str, Any]]:
    """Workloads and policies, mostly of namespace shop, some selecting some pods."""
    labels = [{"app": "web"}, {"app": "api"}, {"app": "web", "tier": "data"}, None]
    selectors = [WEB, {}, {"matchLabels": {"tier": "data"}}, {"matchLabels": {"app": "api"}}]
    docs = []
    for item in range(rng.randint(1, 3)):
        namespace = rng.choice([NS, NS, NS, "other", None])
        if rng.random() < 0.25:
            spec = {"podSelector": rng.choice(selectors), "ingress": [{"ports": PORT_443}]}
            docs.append(policy(spec, name=f"p{index}-{item}", namespace=namespace))
        else:
            docs.append(deployment(f"w{index}-{item}", rng.choice(labels), namespace=namespace))
    return docs


@pytest.mark.parametrize("seed", range(8))
def test_workloads_a_warm_run_counts_but_does_not_rebuild_give_the_same_findings(
    repo: Path, seed: int, capsys: pytest.CaptureFixture[str]
) -> None:
    """A warm pre-commit run counts the workloads of files sorted after every file linted
    (copies of a file each count): where a namespace is reported, and its counts, are
    those of a cold and of an uncached run, whichever file the commit changes."""
    rng = random.Random(seed)
    names = [f"f{index}.yaml" for index in range(6)]
    for index, name in enumerate(names):
        (repo / name).write_text(dump(workload_docs(rng, index)), encoding="utf-8")
    (repo / "z").mkdir()
    for name in rng.sample(names, 3):  # copies share their git blob, and their entry
        shutil.copy(repo / name, repo / "z" / name)
    commit(repo)
    reported = 0
    for name in rng.sample(names, 3):
        with (repo / name).open("a", encoding="utf-8") as out:
            out.write("# changed\n")
        git(repo, "add", name)
        found = three_ways(["--staged", name], repo, capsys)
        reported += sum(f["check"] == "namespace-without-default-deny" for f in found)  # type: ignore[index]
        commit(repo)
    assert reported or seed not in (0, 1)  # the seeds shown to report some namespace


def test_a_namespace_reported_at_a_workload_counted_is_not_reported_at_the_file_linted(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every workload rebuilt is selected; one counted (sorted after the file linted) is
    not: the namespace is reported there, not here. Once all are selected, the first is
    where it is reported, and the counts include those counted."""
    selects_web = policy({"podSelector": WEB, "ingress": [{"ports": PORT_443}]}, name="p")
    write(
        repo,
        a_yaml=dump([deployment("a", {"app": "web"})]),
        policy_yaml=dump([selects_web]),
        b_yaml=dump([deployment("b", {"app": "web"})]),
        c_yaml=dump([deployment("c", {"app": "api"})]),
        z__c_yaml=dump([deployment("c", {"app": "api"})]),
    )
    commit(repo)
    for name in ("a.yaml", "b.yaml"):
        write(repo, **{name.replace(".", "_"): (repo / name).read_text() + "# changed\n"})
        git(repo, "add", name)
        assert not three_ways(["--staged", name, "--select", CHECK], repo, capsys)
    write(repo, c_yaml=dump([deployment("c", {"app": "web"})]))
    write(repo, z__c_yaml=dump([deployment("c", {"app": "web"})]))
    commit(repo)
    write(repo, a_yaml=(repo / "a.yaml").read_text() + "# again\n")
    git(repo, "add", "a.yaml")
    (finding,) = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    assert "(4 of 4 workloads selected by a policy)" in finding["message"]  # type: ignore[index]
