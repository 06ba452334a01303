"""Attacks on the warm pre-commit path: a warm ``--staged`` run, a cold one and one without
the cache report the same findings, and so does a plain run where the semantics say so."""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_context_cache import cache_files, findings, three_ways
from tests.test_network_policy import PORT_443, WEB, deployment, dump, policy
from tests.test_staged import CHECK, DEPLOY, POLICY, commit, git, repo, write

__all__ = ["repo"]

#: Selects the pods labelled app: web in shop, and denies nothing by default.
SELECTS_WEB = dump([policy({"podSelector": WEB, "ingress": [{"ports": PORT_443}]}, name="p")])


def unselected(name: str, namespace: str | None = "shop") -> str:
    return dump([deployment(name, {"app": "api"}, namespace=namespace)])


def selected(name: str, namespace: str | None = "shop") -> str:
    return dump([deployment(name, {"app": "web"}, namespace=namespace)])


def touch(repo: Path, name: str) -> None:
    """Stage a change to a file (a comment added)."""
    path = repo / name
    path.write_text(path.read_text() + "# changed\n")
    git(repo, "add", name)


def anchored(found: list[object]) -> list[object]:
    return [f for f in found if f["check"] == CHECK]  # type: ignore[index]


def test_a_working_folder_below_the_repository_names_files_the_same_warm_and_cold(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a subfolder, files outside it show as absolute paths: they still sort where a
    cold run sorts them, so the namespace is reported at the same workload."""
    write(
        repo,
        policy_yaml=SELECTS_WEB,
        sub__m_yaml=selected("m"),
        sub__z_yaml=unselected("z"),
        top_yaml=unselected("top"),
    )
    commit(repo)
    monkeypatch.chdir(repo / "sub")
    touch(repo / "sub", "m.yaml")
    staged = three_ways(["--staged", "m.yaml", "--select", CHECK], repo, capsys)
    assert staged == three_ways(["m.yaml", "--select", CHECK], repo, capsys)
    # the absolute /.../top.yaml sorts before m.yaml: the namespace is reported there
    assert not anchored(staged)
    (repo / "top.yaml").unlink()
    git(repo, "add", "-A")
    staged = three_ways(["--staged", "m.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(staged)  # sub/z.yaml, counted, is the first unselected one


def test_files_linted_in_several_namespaces_are_each_reported_where_a_cold_run_does(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo,
        a_yaml=selected("a"),
        b_yaml=unselected("b", "blog"),
        c_yaml=unselected("c"),
        d_yaml=selected("d", "blog"),
        e_yaml=unselected("e", "blog"),
        policy_yaml=SELECTS_WEB + "---\n" + SELECTS_WEB.replace("shop", "blog"),
    )
    commit(repo)
    touch(repo, "a.yaml")
    touch(repo, "d.yaml")
    found = three_ways(["--staged", "a.yaml", "d.yaml", "--select", CHECK], repo, capsys)
    assert found == three_ways(["a.yaml", "d.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(found)  # c.yaml and b.yaml come first in their namespaces


def test_standard_input_with_staged_is_sorted_as_a_cold_run_sorts_it(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``<stdin>`` sorts after names starting with a digit or a dot and before letters."""
    write(repo, policy_yaml=SELECTS_WEB, x0_yaml=unselected("zero"), b_yaml=unselected("b"))
    write(repo, **{"0_yaml": unselected("zero")})
    commit(repo)
    touch(repo, "b.yaml")

    def run(args: list[str]) -> list[object]:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(selected("s").encode())))
        return findings(args, capsys)

    shutil.rmtree(repo / ".git" / "kubelint", ignore_errors=True)
    args = ["--staged", "-", "b.yaml", "--select", CHECK]
    cold, warm, uncached = run(args), run(args), run([*args, "--no-cache"])
    assert cold == warm == uncached
    assert not anchored(warm)  # 0.yaml's unselected workload sorts before <stdin>


@pytest.mark.parametrize("staged", [True, False])
def test_a_namespace_linted_counts_every_workload_of_the_repository(
    repo: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    write(repo, a__ns_yaml=namespace, b_yaml=selected("b"), c_yaml=unselected("c"))
    write(repo, d__c_yaml=unselected("c"), e_yaml=SELECTS_WEB)
    commit(repo)
    touch(repo, "a/ns.yaml")
    args = ["--staged"] if staged else []
    (finding,) = anchored(three_ways([*args, "a/ns.yaml", "--select", CHECK], repo, capsys))
    assert "(1 of 3 workloads selected" in finding["message"]  # type: ignore[index]


@pytest.mark.parametrize("option", [[], ["--namespace", "shop"]])
def test_workloads_without_a_namespace_are_counted_in_the_default_one(
    repo: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    default = option[1] if option else "default"
    write(
        repo,
        a_yaml=selected("a", None),
        b_yaml=unselected("b", default),
        c_yaml=unselected("c", None),
        c2_yaml=selected("c2", None),
        policy_yaml=SELECTS_WEB.replace("namespace: shop", f"namespace: {default}"),
    )
    commit(repo)
    touch(repo, "a.yaml")
    args = [*option, "--select", CHECK]
    found = three_ways(["--staged", "a.yaml", *args], repo, capsys)
    assert found == three_ways(["a.yaml", *args], repo, capsys)
    assert not anchored(found)  # b.yaml's workload is the first unselected one
    (repo / "b.yaml").unlink()
    (repo / "c.yaml").unlink()
    git(repo, "add", "-A")
    (finding,) = anchored(three_ways(["--staged", "a.yaml", *args], repo, capsys))
    assert "(2 of 2 workloads selected" in finding["message"]  # type: ignore[index]


def test_helm_rendered_workloads_after_the_file_linted_count_once_each(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rendered = "# Source: chart/templates/deploy.yaml\n" + selected("h")
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, z__out_yaml=rendered)
    write(repo, z2__out_yaml=rendered, z3__u_yaml=unselected("u"))
    commit(repo)
    touch(repo, "a.yaml")
    found = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(found)  # z3/u.yaml, unselected, is where it is reported
    (repo / "z3" / "u.yaml").unlink()
    git(repo, "add", "-A")
    (finding,) = anchored(three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys))
    assert "(3 of 3 workloads selected" in finding["message"]  # type: ignore[index]


WIDGET = """apiVersion: example.com/v1
kind: Widget
metadata:
  name: {name}
  namespace: shop
spec:
  template:
    metadata:
      labels: {{app: {app}}}
    spec:
      containers: [{{name: w, image: "x:1"}}]
"""


def test_custom_kinds_with_pod_templates_are_counted_like_workloads(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".kubelint.yaml").write_text("pod-templates:\n  Widget: spec.template\n")
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB)
    write(repo, w1_yaml=WIDGET.format(name="w1", app="web"))
    write(
        repo,
        w2_yaml=WIDGET.format(name="w2", app="api"),
        w3_yaml=WIDGET.format(name="w3", app="web"),
    )
    commit(repo)
    touch(repo, "a.yaml")
    found = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(found)  # w2.yaml's widget is the first pod template no policy selects
    (repo / "w2.yaml").unlink()
    git(repo, "add", "-A")
    (finding,) = anchored(three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys))
    assert "(3 of 3 workloads selected" in finding["message"]  # type: ignore[index]


def test_copies_of_a_file_in_several_folders_count_once_each_one_of_them_a_patch(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Copies share a blob and a cache entry: each copy counts, but a copy a kustomization
    names as a patch is part of another object, no workload of its own."""
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB)
    for folder in ("m", "n", "o"):
        write(repo, **{f"{folder}__c_yaml": selected("c")})
    write(repo, o__kustomization_yaml="resources: [../a.yaml]\npatches:\n  - path: c.yaml\n")
    commit(repo)
    touch(repo, "a.yaml")
    found = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    assert found == three_ways(["a.yaml", "--select", CHECK], repo, capsys)
    (finding,) = anchored(found)
    assert "(3 of 3 workloads selected" in finding["message"]  # type: ignore[index]


@pytest.mark.parametrize("name", ["values.yaml", ".github/workflows/ci.yaml", "chart/values.yaml"])
def test_tool_configuration_holding_a_manifest_is_never_context(
    repo: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tool's configuration file that holds the same bytes as a manifest (one blob, one
    cache entry) is left out, whichever of the two comes first."""
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, b_yaml=unselected("b"))
    (repo / name).parent.mkdir(parents=True, exist_ok=True)
    (repo / name).write_text(unselected("b"))
    commit(repo)
    touch(repo, "a.yaml")
    found = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(found)
    (repo / "b.yaml").unlink()
    git(repo, "add", "-A")
    (finding,) = anchored(three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys))
    assert "(1 of 1 workload selected" in finding["message"]  # type: ignore[index]


@pytest.mark.parametrize(
    "names",
    [
        ("with space.yaml", "zz space.yaml"),
        ("caf\u00e9.yaml", "z\u00e9.yaml"),
        ("a\tb.yaml", 'z"q.yaml'),
    ],
)
def test_unusual_file_names_sort_the_same_warm_and_cold(
    repo: Path, names: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    first, last = names
    write(repo, policy_yaml=SELECTS_WEB, b_yaml=selected("b"))
    (repo / first).write_text(unselected("u"))
    (repo / last).write_text(unselected("v"))
    commit(repo)
    touch(repo, "b.yaml")
    found = three_ways(["--staged", "b.yaml", "--select", CHECK], repo, capsys)
    assert found == three_ways(["b.yaml", "--select", CHECK], repo, capsys)


@pytest.mark.skipif(sys.platform == "darwin", reason="file names must be bytes")
def test_a_file_name_that_is_not_utf8_sorts_the_same_warm_and_cold(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, policy_yaml=SELECTS_WEB, b_yaml=selected("b"))
    with open(os.path.join(os.fsencode(repo), b"z\xff.yaml"), "w") as out:
        out.write(unselected("u"))
    commit(repo)
    touch(repo, "b.yaml")
    found = three_ways(["--staged", "b.yaml", "--select", CHECK], repo, capsys)
    assert found == three_ways(["b.yaml", "--select", CHECK], repo, capsys)
    assert not anchored(found)


@pytest.mark.parametrize(
    "selection",
    [
        ["--select", CHECK],
        ["--ignore", CHECK],
        ["--select", "privileged-container"],
        ["--select", f"{CHECK},service-account-token-automount"],
        [],
    ],
)
def test_the_selection_changes_no_finding_between_warm_and_cold(
    repo: Path, selection: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, b_yaml=unselected("b"))
    commit(repo)
    touch(repo, "a.yaml")
    # a warm cache written under another selection first
    findings(["--staged", "a.yaml"], capsys)
    warm = findings(["--staged", "a.yaml", *selection], capsys)
    assert warm == findings(["--staged", "a.yaml", *selection, "--no-cache"], capsys)


def test_a_corrupt_entry_of_a_counted_file_is_parsed_again(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, z_yaml=unselected("z"))
    write(repo, z2__z_yaml=unselected("z"))
    commit(repo)
    touch(repo, "a.yaml")
    args = ["--staged", "a.yaml", "--select", CHECK]
    expected = three_ways(args, repo, capsys)
    [path] = cache_files(repo)
    blob = git(repo, "rev-parse", ":z.yaml").strip()
    lines = path.read_text().split("\n")
    for number, line in enumerate(lines):
        if line.startswith(blob + "\t"):
            lines[number] = line[:-5]  # cut short: no longer what kubelint writes
    path.write_text("\n".join(lines))
    assert findings(args, capsys) == expected


@pytest.mark.parametrize("unsafe", [["--diff", "--unsafe-fixes"], ["--fix", "--unsafe-fixes"]])
def test_the_default_deny_fix_of_a_warm_staged_run_is_that_of_a_cold_one(
    repo: Path, unsafe: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, b_yaml=selected("b"))
    write(repo, c__d_yaml=selected("d"))
    commit(repo)
    touch(repo, "a.yaml")
    args = ["--staged", "a.yaml", "--select", CHECK, *unsafe]
    shutil.rmtree(repo / ".git" / "kubelint", ignore_errors=True)
    outputs = []
    for extra in ([], [], ["--no-cache"]):  # cold, warm, uncached
        code, out, _ = run_cli([*args, *extra], capsys)
        made = repo / "shop-default-deny.yaml"
        outputs.append((code, out, made.read_text() if made.exists() else None))
        made.unlink(missing_ok=True)
    assert outputs[0] == outputs[1] == outputs[2]
    assert "default-deny" in outputs[0][1] + str(outputs[0][2])


def test_a_staged_run_reads_the_patches_the_staged_kustomization_names(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What git would commit decides, not the working tree: a kustomization whose staged
    version names a patch makes that file no workload, whatever the working tree holds."""
    write(repo, a_yaml=selected("a"), policy_yaml=SELECTS_WEB, k__p_yaml=unselected("p"))
    write(repo, k__kustomization_yaml="resources: [../a.yaml]\npatches:\n  - path: p.yaml\n")
    commit(repo)
    touch(repo, "a.yaml")
    expected = three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys)
    (repo / "k" / "kustomization.yaml").write_text("resources: [../a.yaml]\n")  # not staged
    assert three_ways(["--staged", "a.yaml", "--select", CHECK], repo, capsys) == expected


def test_a_run_from_the_root_folder_names_context_files_as_a_cold_run_does(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``/`` (a container's usual working folder) every file shows as its absolute
    path: a warm run must sort and name the files it rebuilds the same way."""
    write(repo, a0_yaml=unselected("zero"), b_yaml=unselected("b"), policy_yaml=SELECTS_WEB)
    commit(repo)
    monkeypatch.chdir("/")
    args = [str(repo / "b.yaml"), "--select", CHECK]
    found = three_ways(args, repo, capsys)
    assert not anchored(found)  # a0.yaml's workload comes first


def test_a_run_from_the_root_folder_names_the_policies_of_its_hints_as_a_cold_run_does(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    unserved = SELECTS_WEB.replace("networking.k8s.io/v1", "extensions/v1beta1")
    write(repo, b_yaml=unselected("b"), policy_yaml=unserved)
    commit(repo)
    monkeypatch.chdir("/")
    (finding,) = anchored(three_ways([str(repo / "b.yaml"), "--select", CHECK], repo, capsys))
    assert f"({repo / 'policy.yaml'})" in finding["hint"]  # type: ignore[index]


def random_file(rng: random.Random, index: int) -> str:
    """Workloads (some rendered by Helm, some of a custom kind), policies, Namespaces and
    runtime classes."""
    docs = []
    for item in range(rng.randint(1, 3)):
        namespace = rng.choice(["shop", "shop", "blog", None])
        labels = rng.choice([{"app": "web"}, {"app": "api"}, None])
        roll = rng.random()
        if roll < 0.2:
            spec = {"podSelector": rng.choice([WEB, {}]), "ingress": [{"ports": PORT_443}]}
            docs.append(dump([policy(spec, name=f"p{index}-{item}", namespace=namespace)]))
        elif roll < 0.3:
            docs.append(f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace or 'x'}\n")
        elif roll < 0.35:
            docs.append(
                "apiVersion: node.k8s.io/v1\nkind: RuntimeClass\nmetadata:\n  name: gv\nhandler: runsc\n"
            )
        elif roll < 0.45:
            docs.append(WIDGET.format(name=f"w{index}-{item}", app=(labels or {"app": "x"})["app"]))
        else:
            text = dump([deployment(f"d{index}-{item}", labels, namespace=namespace)])
            if rng.random() < 0.2:
                text = f"# Source: chart/templates/d{index}.yaml\n" + text
            docs.append(text)
    return "---\n".join(docs)


@pytest.mark.parametrize("seed", range(16))
def test_random_repositories_give_the_same_findings_warm_cold_uncached_and_plain(
    repo: Path, seed: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    (repo / ".kubelint.yaml").write_text("pod-templates:\n  Widget: spec.template\n")
    folders = ["", "sub/", "sub/deep/", "other/", "caf\u00e9 x/", ".hidden/"]
    names = [f"{rng.choice(folders)}{rng.choice(['f', 'Z', '0'])}{i}.yaml" for i in range(8)]
    for index, name in enumerate(names):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(random_file(rng, index))
    for name in rng.sample(names, 3):
        copy = repo / "copies" / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(repo / name, copy)
    (repo / "chart").mkdir()
    for name, config in zip(
        rng.sample(names, 2), ["values.yaml", "chart/values.yaml"], strict=True
    ):
        shutil.copy(repo / name, repo / config)  # tool configuration with a manifest's bytes
    patch = rng.choice(names)
    folder = (repo / patch).parent
    (folder / "kustomization.yaml").write_text(f"patches:\n  - path: {Path(patch).name}\n")
    commit(repo)
    where = rng.choice(["", "sub"])
    (repo / "sub").mkdir(exist_ok=True)
    monkeypatch.chdir(repo / where)
    # (a patch linted alone crashes schema validation: see the test after this one)
    linted = rng.sample([n for n in names if n != patch], rng.randint(1, 2))
    for name in linted:
        with (repo / name).open("a") as out:
            out.write("# changed\n")
        git(repo, "add", name)
    shown = [os.path.relpath(repo / name) for name in linted]
    option = rng.choice([[], ["--namespace", "shop"]])
    selection = rng.choice([["--select", f"{CHECK},missing-runtime-class"], []])
    args = [*shown, *selection, *option]
    staged = three_ways(["--staged", *args], repo, capsys)
    plain = three_ways(args, repo, capsys)
    # a staged run also judges again files the commit decides for: the files linted agree
    assert [f for f in staged if f["file"] in shown] == plain  # type: ignore[index]


def test_a_commit_that_changes_only_a_kustomize_patch_is_linted_without_an_internal_error(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, a_yaml=selected("a"), k__p_yaml=SELECTS_WEB)
    write(repo, k__kustomization_yaml="resources: [../a.yaml]\npatches:\n  - path: p.yaml\n")
    commit(repo)
    touch(repo, "k/p.yaml")
    code, out, _ = run_cli(["--staged", "--format", "json", "k/p.yaml"], capsys)
    assert code in (0, 1)
    assert json.loads(out)["internalErrors"] == []


@pytest.mark.parametrize(
    "written",
    [
        POLICY.encode("utf-16"),
        POLICY.replace("kind: NetworkPolicy", 'kind: "Network\\x50olicy"').encode(),
        b'{"apiVersion": "networking.k8s.io/v1", "kind": "Net\\u0077orkPolicy", '
        b'"metadata": {"name": "d", "namespace": "shop"}, "spec": {"podSelector": {}}}',
        (
            "apiVersion: v1\nkind: List\nitems:\n"
            + "".join(
                f"  {line}\n" for line in POLICY.replace("apiVersion", "- apiVersion").splitlines()
            ).replace("  - ", "- ")
        ).encode(),
    ],
    ids=["utf-16", "yaml-escape", "json-escape", "list"],
)
def test_a_commit_deleting_a_policy_however_written_judges_its_namespace_again(
    repo: Path, written: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """The byte test that spares parsing changed files never hides the policy a commit
    deletes: the workloads of its namespace, in files the commit does not touch, are
    reported (warm, cold and uncached alike)."""
    write(repo, deploy_yaml=DEPLOY, other_yaml=selected("other"))
    (repo / "policy.yaml").write_bytes(written)
    commit(repo)
    touch(repo, "other.yaml")
    assert not anchored(three_ways(["--staged", "other.yaml"], repo, capsys))
    commit(repo)
    git(repo, "rm", "-q", "policy.yaml")
    (finding,) = anchored(three_ways(["--staged"], repo, capsys))
    assert finding["file"] == "deploy.yaml"  # type: ignore[index]
