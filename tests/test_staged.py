"""``--staged``: the pre-commit hook judges what would be committed, as a full run would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.loader import load_source
from kubelint.staged import DECIDING_KINDS, may_hold_deciding_kinds
from tests.conftest import run_cli

DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: example/web:1
"""
POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
"""
ALLOW_ALL = POLICY.replace("  policyTypes: [Ingress]\n", "  ingress:\n    - {}\n")
BLOG = DEPLOY.replace("name: web\n  namespace: shop", "name: blog\n  namespace: blog")
BAD_POD = """apiVersion: v1
kind: Pod
metadata:
  name: bad
  namespace: shop
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        privileged: true
"""
HOOK = ["--skip-non-manifests", "--staged", "--format", "json"]
CHECK = "namespace-without-default-deny"
#: The finding for an unprotected namespace lands on the workload's `namespace: shop`.
NS_LINE = 5


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "protocol.file.allow=always", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, value in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(tmp_path / "no-gitconfig"),
    }.items():
        monkeypatch.setenv(name, value)
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    monkeypatch.chdir(project)
    return project


def write(repo: Path, **files: str) -> None:
    """Write files named like ``tools__policy_yaml`` (tools/policy.yaml)."""
    for key, text in files.items():
        stem, _, suffix = key.replace("__", "/").rpartition("_")
        path = repo / f"{stem}.{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def lint(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object]]:
    code, out, err = run_cli(args, capsys)
    assert code in (0, 1), err
    return code, json.loads(out)


def found(report: dict[str, object]) -> set[tuple[str, str, int]]:
    results = report["findings"]
    assert isinstance(results, list)
    return {(r["check"], r["file"], r["line"]) for r in results}


def test_bug_commit_deleting_the_policy_passes_the_hook(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The commit only deletes a file: pre-commit names no file (always_run still runs the
    # hook), and the namespace it un-protects must be reported where a full run reports it.
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    git(repo, "rm", "-q", "policy.yaml")
    code, report = lint(HOOK, capsys)
    assert code == 1
    assert found(report) == {(CHECK, "deploy.yaml", NS_LINE)}
    commit(repo, "drop the policy")
    code, full = lint(["--format", "json", "."], capsys)
    assert (CHECK, "deploy.yaml", NS_LINE) in found(full)


def test_bug_hook_summary_said_zero_files_over_a_finding(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    git(repo, "rm", "-q", "policy.yaml")
    code, out, _ = run_cli(["--skip-non-manifests", "--staged", "--color", "never"], capsys)
    assert code == 1
    assert out.splitlines()[-1] == "1 file (1 with findings), 1 object: 0 errors, 1 warning, 0 info"


def test_bug_untracked_policy_satisfies_the_hook(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # policy.yaml is never added: a clean clone of the commit would not have it.
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    git(repo, "add", "deploy.yaml")
    code, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert code == 1
    assert (CHECK, "deploy.yaml", NS_LINE) in found(report)
    # A run without --staged still lints the working tree, untracked files included.
    _, tree = lint(["--format", "json", "deploy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(tree))


def test_bug_submodule_policy_counts_in_one_mode_only(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    upstream = tmp_path / "policies"
    upstream.mkdir()
    git(upstream, "init", "-q")
    write(upstream, policy_yaml=POLICY)
    commit(upstream)
    write(repo, deploy_yaml=DEPLOY)
    git(repo, "submodule", "add", "-q", str(upstream), "policies")
    commit(repo)
    assert (repo / "policies" / "policy.yaml").is_file()
    # A submodule is another project: never read, whether walked, named around or staged.
    for args in (["."], ["deploy.yaml"], ["--staged", "deploy.yaml"]):
        _, report = lint(["--format", "json", *args], capsys)
        assert (CHECK, "deploy.yaml", NS_LINE) in found(report), args
        assert not any(file.startswith("policies/") for _, file, _ in found(report)), args
    _, walked = lint(["--format", "json", "."], capsys)
    assert walked["summary"]["files"] == 1  # type: ignore[index]


def test_a_nested_repository_below_a_walked_folder_is_not_entered(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, tools__policy_yaml=POLICY, tools__bad_yaml=BAD_POD)
    git(repo / "tools", "init", "-q")
    _, report = lint(["--format", "json", "."], capsys)
    assert found(report) >= {(CHECK, "deploy.yaml", NS_LINE)}
    assert not any(file.startswith("tools/") for _, file, _ in found(report))
    # Named as the folder to lint, the nested repository is linted as its own project.
    _, inside = lint(["--format", "json", "tools"], capsys)
    assert ("privileged-container", "tools/bad.yaml", 11) in found(inside)


def test_a_commit_touching_no_manifest_lints_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, pod_yaml=BAD_POD, deploy_yaml=DEPLOY)
    commit(repo)
    write(repo, README_md="docs\n")
    git(repo, "add", "README.md")
    code, report = lint(HOOK, capsys)
    assert code == 0
    assert report["findings"] == []
    assert report["summary"]["files"] == 0  # type: ignore[index]
    # With nothing staged at all, the same.
    commit(repo)
    code, report = lint(HOOK, capsys)
    assert (code, report["findings"]) == (0, [])


def test_the_index_is_listed_only_for_a_run_that_lints(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hook runs on every commit: one that changes no manifest lists no index."""
    from kubelint import staged

    listed: list[Path] = []
    real = staged.index_files
    monkeypatch.setattr(staged, "index_files", lambda root: listed.append(root) or real(root))
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    write(repo, README_md="docs\n")
    git(repo, "add", "README.md")
    assert lint(HOOK, capsys)[0] == 0 and listed == []
    # A file named without a staged manifest change is judged against the index all the
    # same: the policy deleted from the working tree only still protects its namespace.
    (repo / "policy.yaml").unlink()
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert report["summary"]["files"] == 1  # type: ignore[index]
    assert not any(check == CHECK for check, _, _ in found(report)) and len(listed) == 1
    _, report = lint(["--format", "json", "deploy.yaml"], capsys)
    assert any(check == CHECK for check, _, _ in found(report))  # the working tree's verdict


def test_policy_deleted_in_the_working_tree_but_staged_still_counts(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    (repo / "policy.yaml").unlink()  # not staged: the commit still holds the policy
    write(repo, deploy_yaml=DEPLOY + "# touched\n")
    git(repo, "add", "deploy.yaml")
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(report))


def test_policy_staged_for_deletion_but_still_on_disk_does_not_count(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    git(repo, "rm", "-q", "--cached", "policy.yaml")  # the file stays, untracked
    assert (repo / "policy.yaml").is_file()
    code, report = lint(HOOK, capsys)
    assert code == 1
    assert found(report) == {(CHECK, "deploy.yaml", NS_LINE)}


def test_a_policy_staged_as_allow_all_reports_the_untouched_workload(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The commit names only the policy; the namespace it opens is reported at the
    # workload in a file the commit does not touch. Other findings there, and namespaces
    # the commit does not change, stay unreported as before.
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY, blog_yaml=BLOG, pod_yaml=BAD_POD)
    commit(repo)
    write(repo, policy_yaml=ALLOW_ALL)
    git(repo, "add", "policy.yaml")
    code, report = lint([*HOOK, "policy.yaml"], capsys)
    assert code == 1
    assert found(report) == {(CHECK, "deploy.yaml", NS_LINE)}
    # Without --staged the hook's old view: nothing reported outside the named file.
    code, report = lint(["--skip-non-manifests", "--format", "json", "policy.yaml"], capsys)
    assert (code, found(report)) == (0, set())


def test_a_namespace_deleted_with_its_policy_is_reported_at_its_workload(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    write(repo, deploy_yaml=DEPLOY, shop_yaml=namespace + "---\n" + POLICY)
    commit(repo)
    git(repo, "rm", "-q", "shop.yaml")
    code, report = lint(HOOK, capsys)
    assert (code, found(report)) == (1, {(CHECK, "deploy.yaml", NS_LINE)})


def test_first_commit_without_head(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, deploy_yaml=DEPLOY, README_md="docs\n")
    git(repo, "add", "README.md")
    code, report = lint(HOOK, capsys)
    assert (code, report["findings"]) == (0, [])  # only a README staged: fast path
    git(repo, "add", "deploy.yaml")
    code, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert (code, found(report) >= {(CHECK, "deploy.yaml", NS_LINE)}) == (1, True)
    write(repo, policy_yaml=POLICY)
    git(repo, "add", "policy.yaml")
    code, report = lint([*HOOK, "deploy.yaml", "policy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(report))


def test_staged_outside_a_git_repository_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "deploy.yaml").write_text(DEPLOY)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, out, err = run_cli(["--staged", "deploy.yaml"], capsys)
    assert code == 2
    assert "--staged: not inside a git repository" in err
    assert "Traceback" not in out + err


def test_a_linked_policy_counts_in_the_index_as_in_the_working_tree(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The policy is only reachable through links (its own name is no manifest's).
    write(repo, deploy_yaml=DEPLOY, shared__netpol_txt=POLICY)
    (repo / "shop").mkdir()
    (repo / "shop" / "policy.yaml").symlink_to("../shared/netpol.txt")
    (repo / "shop" / "again.yaml").symlink_to("policy.yaml")  # a link to a link
    git(repo, "add", "-A")
    _, tree = lint(["--format", "json", "deploy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(tree))
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(report))
    git(repo, "rm", "-q", "--cached", "shop/policy.yaml")  # again.yaml now leads nowhere
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert (CHECK, "deploy.yaml", NS_LINE) in found(report)
    git(repo, "add", "shop/policy.yaml")
    git(repo, "rm", "-q", "--cached", "shared/netpol.txt")  # the target is not committed
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert (CHECK, "deploy.yaml", NS_LINE) in found(report)


def test_a_link_leaving_the_repository_is_not_followed_in_the_index(
    repo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "outside.yaml").write_text(POLICY)
    write(repo, deploy_yaml=DEPLOY)
    (repo / "policy.yaml").symlink_to(tmp_path / "outside.yaml")
    (repo / "relative.yaml").symlink_to("../outside.yaml")
    git(repo, "add", "-A")
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert (CHECK, "deploy.yaml", NS_LINE) in found(report)


def test_configured_roots_limit_the_staged_context(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # roots: [deploy] makes only that folder the context, in the index as in the tree.
    write(repo, deploy__web_yaml=DEPLOY, other__policy_yaml=POLICY)
    write(repo, _kubelint_yaml="roots: [deploy]\n")
    (repo / "_kubelint.yaml").rename(repo / ".kubelint.yaml")
    git(repo, "add", "-A")
    _, tree = lint(["--format", "json", "deploy/web.yaml"], capsys)
    _, staged = lint([*HOOK, "deploy/web.yaml"], capsys)
    assert (CHECK, "deploy/web.yaml", NS_LINE) in found(tree)
    assert found(staged) == found(tree)
    (repo / ".kubelint.yaml").write_text("roots: [deploy, other]\n")
    _, staged = lint([*HOOK, "deploy/web.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(staged))


def test_the_first_commit_is_judged_against_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # No HEAD yet: every staged manifest is added, and the staged policy protects.
    write(repo, deploy_yaml=DEPLOY)
    git(repo, "add", "-A")
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert found(report) >= {(CHECK, "deploy.yaml", NS_LINE)}
    write(repo, policy_yaml=POLICY)
    git(repo, "add", "-A")
    _, report = lint([*HOOK, "deploy.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(report))


def test_a_file_named_head_does_not_confuse_the_staged_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    (repo / "HEAD").write_text("not a revision\n")
    commit(repo)
    git(repo, "rm", "-q", "policy.yaml")
    code, report = lint(HOOK, capsys)
    assert code == 1
    assert found(report) == {(CHECK, "deploy.yaml", NS_LINE)}


def test_excluded_files_of_the_index_are_no_context(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The index's files are paths below the repository, matched against the exclude globs
    # like files of the working tree: an excluded policy protects nothing.
    write(repo, deploy__web_yaml=DEPLOY, other__policy_yaml=POLICY)
    git(repo, "add", "-A")
    _, staged = lint([*HOOK, "deploy/web.yaml"], capsys)
    assert not any(check == CHECK for check, _, _ in found(staged))
    (repo / ".kubelint.yaml").write_text("exclude: [other]\n")
    _, staged = lint([*HOOK, "deploy/web.yaml"], capsys)
    assert (CHECK, "deploy/web.yaml", NS_LINE) in found(staged)


RUNTIME_CLASS = """apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
"""


def test_a_commit_deleting_a_runtime_class_reports_the_workloads_that_name_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sandboxed = DEPLOY.replace("    spec:\n", "    spec:\n      runtimeClassName: gvisor\n", 1)
    kata = RUNTIME_CLASS.replace("gvisor", "kata").replace("runsc", "kata-runtime")
    write(repo, deploy_yaml=sandboxed, policy_yaml=POLICY, rc_yaml=RUNTIME_CLASS, kata_yaml=kata)
    commit(repo)
    git(repo, "rm", "-q", "rc.yaml")
    code, report = lint(HOOK, capsys)
    # Its pods would not start: reported in the file the commit did not touch.
    assert code == 1
    assert {(c, f) for c, f, _ in found(report)} == {("missing-runtime-class", "deploy.yaml")}
    # Deleting a class nobody names re-judges nothing.
    git(repo, "reset", "-q", "--hard")
    git(repo, "rm", "-q", "kata.yaml")
    code, report = lint(HOOK, capsys)
    assert (code, found(report)) == (0, set())


def test_the_first_runtime_class_re_judges_every_workload(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(repo, deploy_yaml=DEPLOY, policy_yaml=POLICY)
    commit(repo)
    write(repo, rc_yaml=RUNTIME_CLASS)
    git(repo, "add", "rc.yaml")
    code, report = lint([*HOOK, "rc.yaml"], capsys)
    # Sandboxing is now in use: the workload without a class becomes a warning, as a full
    # run after the commit says.
    assert code == 1
    assert {(c, f) for c, f, _ in found(report)} == {("missing-runtime-class", "deploy.yaml")}


def test_a_commit_changing_pod_security_labels_reports_what_the_labels_bring(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n"
    host_pid = DEPLOY.replace("    spec:\n", "    spec:\n      hostPID: true\n", 1)
    write(repo, ns_yaml=namespace, deploy_yaml=host_pid, policy_yaml=POLICY)
    commit(repo)
    labelled = namespace + "  labels:\n    pod-security.kubernetes.io/warn: restricted\n"
    write(repo, ns_yaml=labelled)
    git(repo, "add", "ns.yaml")
    code, report = lint([*HOOK, "ns.yaml"], capsys)
    assert code == 1
    checks = {c for c, f, _ in found(report) if f == "deploy.yaml"}
    # What the new label brings is reported in the untouched file ...
    assert "pss-run-as-non-root" in checks
    # ... but not the default profile's own verdict there, which the commit did not change.
    assert "pss-host-namespaces" not in checks
    # A change to a Namespace that leaves its labels alone re-judges no control.
    git(repo, "reset", "-q", "--hard")
    write(repo, ns_yaml=namespace.replace("name: shop\n", "name: shop\n  annotations: {a: b}\n"))
    git(repo, "add", "ns.yaml")
    code, report = lint([*HOOK, "ns.yaml"], capsys)
    assert not {c for c, f, _ in found(report) if f == "deploy.yaml" and c.startswith("pss-")}


def _escaped(text: str, draw: st.DrawFn) -> str:
    """A double-quoted YAML scalar of ``text`` with some characters escaped."""
    parts = []
    for char in text:
        how = draw(st.sampled_from(["as is", "as is", r"\x", r"\u", "break"]))
        if how == r"\x":
            parts.append(f"\\x{ord(char):02x}")
        elif how == r"\u":
            parts.append(f"\\u{ord(char):04x}")
        elif how == "break":  # an escaped line break joins the lines without a space
            parts.append(f"\\\n  {char}")
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


@st.composite
def kind_texts(draw: st.DrawFn) -> bytes:
    """A manifest whose kind is written in one of the ways YAML and JSON allow."""
    kind = draw(st.sampled_from(sorted(DECIDING_KINDS | {"Deployment", "Namespaces"})))
    style = draw(st.sampled_from(["plain", "single", "double", "escaped", "literal", "json"]))
    written = {
        "plain": kind,
        "single": f"'{kind}'",
        "double": f'"{kind}"',
        "escaped": _escaped(kind, draw),
        "literal": f"|-\n  {kind}",
    }.get(style)
    if written is None:
        text = json.dumps({"apiVersion": "v1", "kind": kind, "metadata": {"name": "x"}})
        if draw(st.booleans()):
            text = text.replace(kind[0], f"\\u{ord(kind[0]):04x}", 1)
    else:
        text = f"apiVersion: v1\nkind: {written}\nmetadata:\n  name: x\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return text.encode(encoding)


@settings(max_examples=300, deadline=None)
@given(kind_texts())
def test_a_changed_file_is_parsed_for_its_kinds_whenever_it_may_hold_a_deciding_one(
    raw: bytes,
) -> None:
    """The byte test that spares parsing a changed workload twice more never misses an
    object of a kind that decides what a commit makes kubelint judge again."""
    item = load_source("x.yaml", raw, reported=False)
    deciding = [obj for obj in item.objects if obj.kind in DECIDING_KINDS]
    if not may_hold_deciding_kinds(raw):
        assert not deciding
    assert item.objects, "every generated text is an object"
