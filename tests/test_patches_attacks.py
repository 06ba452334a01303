"""Attacks on which files count as kustomize patches: with ``--staged`` what git would
commit decides (the index's kustomizations, never an untracked or unstaged one), cold,
warm and uncached runs agree, and no kustomization or patch gives an internal error."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.test_context_cache import findings, three_ways
from tests.test_context_cache_attacks import SELECTS_WEB, selected, touch, unselected
from tests.test_staged import commit, git, repo, write

__all__ = ["repo"]

#: A Deployment patch: only the field it changes (no selector, no template).
PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
NAMES_P = "resources: []\npatches:\n  - path: p.yaml\n"
SCHEMA = ["--select", "schema-validation"]


def schema(found: list[object], name: str = "k/p.yaml") -> list[object]:
    """The schema findings of one file (a patch has none for the fields it leaves out)."""
    return [f for f in found if f["file"] == name]  # type: ignore[index]


def clean_run(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[object]:
    """Findings of a run that must end without an internal error."""
    code, out, err = run_cli(["--skip-non-manifests", "--format", "json", *args], capsys)
    assert code in (0, 1), err
    report = json.loads(out)
    assert report["internalErrors"] == []
    assert "Traceback" not in err
    found = report["findings"]
    assert isinstance(found, list)
    return found


@pytest.fixture
def patched(repo: Path) -> Path:
    """k/p.yaml is a patch of k/kustomization.yaml, both committed; p.yaml's change staged."""
    write(repo, k__p_yaml=PATCH, k__kustomization_yaml=NAMES_P)
    commit(repo)
    touch(repo, "k/p.yaml")
    return repo


# --- --staged follows what git would commit -------------------------------------------


def test_a_kustomization_removed_from_the_index_names_no_patch_of_the_commit(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(patched, "rm", "-q", "--cached", "k/kustomization.yaml")  # left on disk, untracked
    kept = three_ways(["--staged", "k/p.yaml", *SCHEMA], patched, capsys)
    (patched / "k" / "kustomization.yaml").unlink()  # what a clean checkout of the commit has
    gone = three_ways(["--staged", "k/p.yaml", *SCHEMA], patched, capsys)
    assert schema(gone), "without its kustomization p.yaml is a whole, invalid Deployment"
    assert kept == gone


def test_an_untracked_kustomization_names_no_patch_of_the_commit(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, k__p_yaml=PATCH)
    commit(repo)
    touch(repo, "k/p.yaml")
    expected = three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys)
    assert schema(expected)
    write(repo, k__kustomization_yaml=NAMES_P)  # never added
    assert three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys) == expected


def test_an_unstaged_edit_of_a_kustomization_without_suffix_changes_no_staged_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "k").mkdir()
    (repo / "k" / "Kustomization").write_text(NAMES_P)
    write(repo, k__p_yaml=PATCH)
    commit(repo)
    touch(repo, "k/p.yaml")
    expected = three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys)
    assert not schema(expected), "the committed Kustomization names p.yaml"
    (repo / "k" / "Kustomization").write_text("resources: []\n")  # not staged
    assert three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys) == expected


@pytest.mark.parametrize("name", ["kustomization.yaml", "kustomization.yml"])
def test_an_unstaged_edit_of_a_staged_kustomization_changes_no_staged_finding(
    repo: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "k").mkdir()
    (repo / "k" / name).write_text(NAMES_P)
    write(repo, k__p_yaml=PATCH)
    commit(repo)
    touch(repo, "k/p.yaml")
    expected = three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys)
    assert not schema(expected)
    (repo / "k" / name).write_text("resources: []\n")  # not staged
    assert three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys) == expected
    git(repo, "add", "-A")  # now staged: p.yaml is a whole Deployment of the commit
    assert schema(three_ways(["--staged", "k/p.yaml", *SCHEMA], repo, capsys))


@pytest.mark.parametrize(
    "name",
    [
        "kustomization.yaml",
        "kustomization.yml",
        "Kustomization",
    ],
)
@pytest.mark.parametrize("staged", [True, False])
def test_an_overlay_kustomization_of_any_name_makes_the_base_file_it_names_a_patch(
    repo: Path, name: str, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, k__p_yaml=PATCH)
    (repo / "o").mkdir()
    (repo / "o" / name).write_text("patches:\n  - path: ../k/p.yaml\n")
    commit(repo)
    touch(repo, "k/p.yaml")
    args = [*(["--staged"] if staged else []), "k/p.yaml", *SCHEMA]
    assert not schema(three_ways(args, repo, capsys))


def test_a_kustomization_deleted_only_in_the_working_tree_still_names_its_patch(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (patched / "k" / "kustomization.yaml").unlink()  # not staged: the commit keeps it
    assert not schema(three_ways(["--staged", "k/p.yaml", *SCHEMA], patched, capsys))
    assert schema(three_ways(["k/p.yaml", *SCHEMA], patched, capsys))


def test_a_kustomization_staged_for_deletion_names_no_patch(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(patched, "rm", "-q", "k/kustomization.yaml")
    assert schema(three_ways(["--staged", "k/p.yaml", *SCHEMA], patched, capsys))


def test_a_kustomization_renamed_in_the_index_names_its_patches_from_its_new_folder(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(patched, j__p_yaml=PATCH)
    commit(patched)
    git(patched, "mv", "k/kustomization.yaml", "j/kustomization.yaml")
    args = ["--staged", "k/p.yaml", "j/p.yaml", *SCHEMA]
    found = three_ways(args, patched, capsys)
    assert schema(found, "k/p.yaml") and not schema(found, "j/p.yaml")


def test_a_staged_kustomization_that_gains_a_patch_is_seen_by_a_warm_run(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The cache's patch set is kept by the kustomization's blob: a new blob, a new set."""
    write(repo, k__p_yaml=PATCH, k__kustomization_yaml="resources: []\n", a_yaml=selected("a"))
    commit(repo)
    touch(repo, "a.yaml")
    args = ["--staged", "a.yaml", "k/p.yaml", *SCHEMA]
    assert schema(findings(args, capsys))  # cold: p.yaml is whole
    write(repo, k__kustomization_yaml=NAMES_P)
    git(repo, "add", "-A")
    warm = findings(args, capsys)
    assert not schema(warm)
    assert warm == findings([*args, "--no-cache"], capsys)


def test_a_file_named_through_a_link_to_the_repository_is_judged_by_the_index(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = patched.parent / "link"
    link.symlink_to(patched)
    (patched / "k" / "kustomization.yaml").write_text("resources: []\n")  # not staged
    args = ["--staged", "--select", "schema-validation"]
    assert not schema(findings([*args, "k/p.yaml"], capsys))
    assert not schema(
        findings([*args, str(link / "k" / "p.yaml")], capsys), str(link / "k" / "p.yaml")
    )


# --- broken or unusual kustomizations -------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"patches: [\n  - path: p.yaml\n",  # broken YAML
        b"\xff\xfe\x00garbage\xc3",  # not UTF-8
        b"patches:\n  - path: p.yaml\n" + b"# pad\n" * (1024 * 1024 // 6 + 1),  # > 1 MiB
        b"- just\n- a list\n",
        b"patches: {path: p.yaml}\npatchesStrategicMerge: p.yaml\n",
        b"patches:\n  - path: [p.yaml]\n  - 7\n  - {path: null}\n",
    ],
    ids=["broken", "not-utf8", "large", "list", "wrong-shapes", "wrong-entries"],
)
@pytest.mark.parametrize("staged", [True, False])
def test_a_broken_kustomization_names_no_patch_and_breaks_nothing(
    repo: Path, content: bytes, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, k__p_yaml=PATCH, a_yaml=selected("a"))
    (repo / "k" / "kustomization.yaml").write_bytes(content)
    commit(repo)
    touch(repo, "k/p.yaml")
    args = [*(["--staged"] if staged else []), "k/p.yaml", *SCHEMA]
    clean_run(args, capsys)
    assert schema(three_ways(args, repo, capsys))


@pytest.mark.parametrize("staged", [True, False])
def test_a_patch_named_from_another_folder_with_dot_dot_is_a_patch(
    repo: Path, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, base__p_yaml=PATCH, a_yaml=selected("a"), policy_yaml=SELECTS_WEB)
    write(repo, o__v__kustomization_yaml="patches:\n  - path: ../../base/p.yaml\n")
    commit(repo)
    touch(repo, "base/p.yaml")
    args = [*(["--staged"] if staged else []), "base/p.yaml", "a.yaml", *SCHEMA]
    assert not schema(three_ways(args, repo, capsys), "base/p.yaml")


def test_several_kustomizations_naming_one_patch_keep_it_a_patch_while_one_does(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, k__p_yaml=PATCH, a_yaml=selected("a"))
    write(repo, k__kustomization_yaml=NAMES_P)
    write(repo, o__kustomization_yaml="patchesStrategicMerge:\n  - ../k/p.yaml\n")
    commit(repo)
    touch(repo, "a.yaml")
    args = ["--staged", "a.yaml", "k/p.yaml", *SCHEMA]
    assert not schema(three_ways(args, repo, capsys))
    git(repo, "rm", "-q", "o/kustomization.yaml")
    assert not schema(three_ways(args, repo, capsys))
    write(repo, k__kustomization_yaml="resources: []\n")
    git(repo, "add", "-A")
    assert schema(three_ways(args, repo, capsys))


# --- a cache shared by staged and plain runs ------------------------------------------


def test_staged_and_plain_runs_taking_turns_on_one_cache_agree_with_uncached_runs(
    patched: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The two kinds of run keep the patch set under states of different shapes."""
    staged = ["--staged", "k/p.yaml", *SCHEMA]
    plain = ["k/p.yaml", *SCHEMA]
    for _ in range(2):
        for args in (staged, plain, staged, plain):
            assert findings(args, capsys) == findings([*args, "--no-cache"], capsys)
        write(patched, k__kustomization_yaml="resources: []\n")  # plain: whole; staged: patch
        assert schema(findings(plain, capsys)) and not schema(findings(staged, capsys))
        git(patched, "add", "-A")
        assert schema(findings(staged, capsys))
        write(patched, k__kustomization_yaml=NAMES_P)
        git(patched, "add", "-A")


# --- a patch linted alone or with others: its own validator --------------------------

CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
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
              required: [size]
              properties:
                size: {type: integer}
                colour: {type: string}
"""
WIDGET_PATCH = (
    "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  colour: red\n"
)
LIST_PATCH = (
    "apiVersion: v1\nkind: List\nitems:\n"
    "  - apiVersion: apps/v1\n    kind: Deployment\n    metadata: {name: web}\n"
    "    spec: {replicas: 2}\n"
)
SERVICE_PATCH = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  type: NodePort\n"
BAD_TYPE_PATCH = PATCH.replace("replicas: 3", "replicas: three")


@pytest.mark.parametrize("staged", [True, False])
@pytest.mark.parametrize(
    "patch",
    [WIDGET_PATCH, LIST_PATCH, SERVICE_PATCH, PATCH + "---\n" + SERVICE_PATCH],
    ids=["custom-kind", "list", "service", "two-kinds"],
)
def test_a_patch_of_any_kind_linted_alone_has_no_internal_error(
    repo: Path, patch: str, staged: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, crd_yaml=CRD, k__p_yaml=patch, k__kustomization_yaml=NAMES_P)
    commit(repo)
    touch(repo, "k/p.yaml")
    args = [*(["--staged"] if staged else []), "k/p.yaml"]
    assert not schema(clean_run([*args, *SCHEMA], capsys))
    assert not schema(three_ways([*args, *SCHEMA], repo, capsys))


@pytest.mark.parametrize("kube", ["1.16", "1.22", "1.30"])
def test_patches_of_several_kinds_linted_together_still_have_their_fields_checked(
    repo: Path, kube: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A patch is spared only what it leaves out: a wrong type is still reported, whichever
    kinds the run's whole objects have."""
    write(repo, k__p_yaml=BAD_TYPE_PATCH, k__q_yaml=SERVICE_PATCH, a_yaml=unselected("a"))
    write(repo, k__kustomization_yaml="patches:\n  - path: p.yaml\n  - path: q.yaml\n")
    commit(repo)
    for linted in (["k/p.yaml"], ["k/p.yaml", "k/q.yaml"], ["k/q.yaml", "k/p.yaml", "a.yaml"]):
        found = clean_run([*linted, "--kube-version", kube, *SCHEMA], capsys)
        assert [f for f in schema(found) if "replicas" in f["message"]], found  # type: ignore[index]
        assert not schema(found, "k/q.yaml")


# --- display names of files rebuilt from the cache --------------------------------------


@pytest.mark.parametrize("where", ["", "sub", "caf\u00e9"])
@pytest.mark.parametrize("folder", ["", "caf\u00e9/", "sub/caf\u00e9 z/"])
def test_files_with_non_ascii_names_rebuilt_warm_are_named_as_cold(
    repo: Path,
    where: str,
    folder: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write(repo, policy_yaml=SELECTS_WEB)
    for name, text in ((f"{folder}a\u00e9.yaml", unselected("u")), ("sub/m.yaml", selected("m"))):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    (repo / where).mkdir(exist_ok=True)
    commit(repo)
    monkeypatch.chdir(repo / where)
    touch(repo, "sub/m.yaml")
    linted = str(Path("..", "sub", "m.yaml") if where else Path("sub", "m.yaml"))
    if where == "sub":
        linted = "m.yaml"
    for staged in (["--staged"], []):
        three_ways([*staged, linted, "--select", "namespace-without-default-deny"], repo, capsys)


@pytest.mark.skipif(sys.platform == "darwin", reason="file names must be bytes")
@pytest.mark.parametrize("where", ["", "sub"])
def test_files_in_a_folder_whose_name_is_not_utf8_are_named_warm_as_cold(
    repo: Path, where: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo, policy_yaml=SELECTS_WEB, sub__m_yaml=selected("m"))
    for folder in (b"\xff", b"sub/\xfe z"):
        os.makedirs(os.path.join(os.fsencode(repo), folder))
        with open(os.path.join(os.fsencode(repo), folder, b"a.yaml"), "w") as out:
            out.write(unselected("u"))
    commit(repo)
    monkeypatch.chdir(repo / where)
    touch(repo, "sub/m.yaml")
    linted = "m.yaml" if where else "sub/m.yaml"
    for staged in (["--staged"], []):
        found = three_ways(
            [*staged, linted, "--select", "namespace-without-default-deny"], repo, capsys
        )
        assert not [f for f in found if f["file"] == linted]  # type: ignore[index]
