"""Inputs that are not plain manifests: Helm output, tool configuration, data files,
broken documents in a stream, empty standard input and custom workload kinds."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from kubelint.checks import registry
from kubelint.config import Config
from kubelint.loader import load_source
from kubelint.loader.positions import ReparseLocator
from kubelint.model import Report
from kubelint.reporters import json as json_report
from kubelint.reporters import sarif
from kubelint.runner import Inputs, lint, select_checks
from tests.conftest import lint_paths, run_cli, run_process

PRIVILEGED_POD = """apiVersion: v1
kind: Pod
metadata:
  name: {name}
spec:
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        privileged: true
"""
SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "reporters" / "sarif-schema-2.1.0.json").read_text()
)
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n  k: v\n"


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line of the n-th line containing ``needle`` (found by hand, not by kubelint)."""
    hits = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return hits[occurrence - 1]


def lint_stdin(text: str | bytes, select: Sequence[str] | None = None, **config: Any) -> Report:
    raw = text.encode() if isinstance(text, str) else text
    checks = select_checks(registry(), select, [])
    return lint(Inputs(["-"], stdin=lambda: raw, repo_context=False), Config(**config), checks)


def located(report: Report) -> list[tuple[str, str, int]]:
    return [(r.check, Path(r.location.file).name, r.location.line) for r in report.results]


# --- 1. Helm output: files on disk keep their own path and line ---------------------------

HELM_OUTPUT = (
    "---\n# Source: shop/templates/config.yaml\n"
    + CONFIG_MAP.format(name="config")
    + "---\n# Source: shop/templates/pod.yaml\n"
    + PRIVILEGED_POD.format(name="web")
)


def test_bug_committed_helm_output_keeps_file_path_and_line(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(HELM_OUTPUT)
    report = lint_paths([rendered], ["privileged-container"])
    (result,) = report.results
    assert result.location.file == str(rendered)  # a file that exists, not the template
    assert result.location.line == line_of(HELM_OUTPUT, "privileged: true") == 20
    assert result.source == "shop/templates/pod.yaml"

    (finding,) = json_report.as_dict(report)["findings"]
    assert (finding["file"], finding["line"], finding["source"]) == (
        str(rendered),
        20,
        "shop/templates/pod.yaml",
    )
    sarif_log = sarif.as_dict(report, root=tmp_path)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(sarif_log)
    (sarif_result,) = sarif_log["runs"][0]["results"]
    physical = sarif_result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "rendered.yaml"
    assert physical["region"]["startLine"] == 20
    (related,) = sarif_result["relatedLocations"]
    assert related["physicalLocation"]["artifactLocation"]["uri"] == "shop/templates/pod.yaml"
    assert "shop/templates/pod.yaml" in related["message"]["text"]


def test_helm_output_on_stdin_still_names_the_template() -> None:
    report = lint_stdin(HELM_OUTPUT, ["privileged-container"])
    (result,) = report.results
    assert (result.location.file, result.location.line) == ("shop/templates/pod.yaml", 20)
    assert json_report.as_dict(report)["findings"][0]["source"] == "shop/templates/pod.yaml"
    # the location already is the template: no related location repeats it
    (sarif_result,) = sarif.as_dict(report)["runs"][0]["results"]
    assert "relatedLocations" not in sarif_result


def test_plain_manifest_findings_have_no_source(tmp_path: Path) -> None:
    path = tmp_path / "pod.yaml"
    path.write_text(PRIVILEGED_POD.format(name="web"))
    report = lint_paths([path], ["privileged-container"])
    assert json_report.as_dict(report)["findings"][0]["source"] is None
    assert "relatedLocations" not in sarif.as_dict(report, root=tmp_path)["runs"][0]["results"][0]


def test_committed_helm_output_per_path_ignores_match_file_or_template(tmp_path: Path) -> None:
    rendered = tmp_path / "rendered.yaml"
    rendered.write_text(HELM_OUTPUT)
    for glob in ("shop/templates/*", "*/rendered.yaml"):
        ignores = {glob: ["privileged-container"]}
        report = lint_paths([rendered], ["privileged-container"], per_path_ignores=ignores)
        assert report.results == [], glob
    report = lint_paths([rendered], ["privileged-container"], per_path_ignores={"other/*": ["all"]})
    assert len(report.results) == 1


# --- 2. Tool configuration is skipped, never a finding ------------------------------------

TOOL_FILES = {
    # by name, unread: broken YAML with an apiVersion line proves they are never parsed
    "chart/Chart.yaml": "apiVersion: v2\nname: shop\nversion: {{ bad\n",
    "chart/Chart.lock": "dependencies: []\n",
    "chart/values.yaml": "image: {{ .Values.x }}\n  bad: [\n",
    "chart/values-prod.yaml": "replicas: 3\n",
    ".github/workflows/ci.yml": "on: push\njobs: {build: {runs-on: x, steps: [{run: '${{ x }}'}]}}\n",
    "action.yml": "name: kubelint\nruns: {using: composite, steps: []}\n",
    "docker-compose.yml": "services:\n  web:\n    image: nginx\n    privileged: true\n",
    "docker-compose.dev.yaml": "services: {}\n",
    "compose.yaml": "services: {}\n",
    "compose.override.yml": "services: {}\n",
    ".pre-commit-config.yaml": "repos: []\n",
    ".pre-commit-hooks.yaml": "- id: kubelint\n  entry: kubelint\n",
    ".kubelint.yaml": "select: [all]\n",
    "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\n",
    "overlays/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
    "kind: Kustomization\nresources: [../base]\n",
    # by content: they look like objects but configure kustomize and skaffold
    "overlays/labels.yaml": "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n"
    "  name: labels\nlabels: {team: shop}\nfieldSpecs: [{path: metadata/labels, create: true}]\n",
    "overlays/patch.yaml": "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n"
    "  name: patch\npatch: '[]'\ntarget: {kind: Deployment}\n",
    "components/debug.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
    "build/skaffold-dev.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata:\n"
    "  name: dev\nbuild: {artifacts: []}\n",
}


def test_bug_tool_configuration_files_are_skipped_not_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, text in TOOL_FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(PRIVILEGED_POD.format(name="web"))
    report = lint_paths([tmp_path], ["all"])
    assert not report.errors and not report.internal_errors
    assert {Path(r.location.file).name for r in report.results} == {"pod.yaml"}
    assert report.not_validated == 0 and not report.notices
    # every tool file counts as one skipped document (Chart.lock is no *.yaml: not walked)
    assert report.skipped == len(TOOL_FILES) - 1
    assert (report.files, report.objects) == (5, 1)

    # the pre-commit hook names the files one by one: a named tool file is skipped too
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(["--select", "all", "--no-repo-context", *TOOL_FILES], capsys)
    assert code == 0, out
    assert f"({len(TOOL_FILES)} skipped: tool configuration or not Kubernetes objects)" in out


def test_folder_with_only_tool_configuration_is_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (tmp_path / "values.yaml").write_text("replicas: 1\n")
    report = lint_paths([tmp_path], ["all"])
    (error,) = report.errors
    assert error.message.startswith("no manifest files")


def test_names_that_only_resemble_tool_files_are_linted(tmp_path: Path) -> None:
    for name in (
        "my-values.yaml",
        "compose-web.yaml",
        ".github/deploy.yaml",
        "workflows/pod.yaml",
        "chart.yaml",
    ):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PRIVILEGED_POD.format(name=path.stem))
    report = lint_paths([tmp_path], ["privileged-container"])
    assert len(report.results) == 5 and report.skipped == 0


# --- 3. Data files found in a folder are not manifests ------------------------------------

JSON_LINES = '{"id": 1, "text": "hello"}\n{"id": 2, "text": "world"}\n'


def test_bug_data_file_in_walked_folder_is_a_notice_not_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "events.json").write_text(JSON_LINES)
    (tmp_path / "samples" / "notes.yaml").write_text("title: notes\n  bad: indent\n")
    (tmp_path / "samples" / "latin1.yaml").write_bytes(b"caf\xe9: yes\n")
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD.format(name="web"))
    report = lint_paths([tmp_path], ["privileged-container"])
    assert not report.errors
    assert len(report.results) == 1
    notes = sorted((Path(n.file).name, n.line, n.message) for n in report.notices)
    assert [(name, line) for name, line, _ in notes] == [
        ("events.json", 2),
        ("latin1.yaml", 1),
        ("notes.yaml", 2),
    ]
    assert all(message.startswith("not a manifest: ") for _, _, message in notes)
    assert report.skipped == 3

    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli([".", "--select", "privileged-container", "--no-repo-context"], capsys)
    assert code == 1, out  # the finding, not an input error
    assert "samples/events.json:2:1: note not a manifest: " in out


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Pod\nmetadata: {name: x\n",  # a top-level apiVersion line
        '{"kind": "Pod", "apiVersion": "v1"}\n{"kind": "Pod"}\n',  # JSON keys
        "items:\n- {apiVersion: v1, kind: Pod\n",  # a flow mapping
        "---\nkind: Pod\nmetadata: name: x\n",
    ],
)
def test_walked_file_that_looks_like_a_manifest_stays_an_error(tmp_path: Path, text: str) -> None:
    (tmp_path / "broken.yaml").write_text(text)
    report = lint_paths([tmp_path], ["privileged-container"])
    (error,) = report.errors
    assert error.message.startswith("invalid YAML")
    assert not report.notices


def test_named_data_file_and_stdin_fail_closed(tmp_path: Path) -> None:
    data = tmp_path / "events.json"
    data.write_text(JSON_LINES)
    report = lint_paths([data], ["privileged-container"])
    (error,) = report.errors
    assert (error.line, error.message.startswith("invalid YAML")) == (2, True)
    assert not report.notices
    report = lint_stdin(JSON_LINES)
    assert [e.line for e in report.errors] == [2]


# --- 4. One broken document does not hide the rest of the stream --------------------------

BROKEN_STREAM = (
    CONFIG_MAP.format(name="first")
    + "---\n# an unclosed flow sequence\napiVersion: v1\nkind: Pod\nmetadata: [a, b\n"
    + "---\n"
    + PRIVILEGED_POD.format(name="after").replace("  name: after\n", "  name: after\n" * 2)
    + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: creds\ndata:\n"
    "  db_password: hunter2-not-a-real-one  # kubelint: ignore=plaintext-secret\n"
    "  # kubelint: ignore=plaintext-secret\n"
    "  smtp_password: correct-horse-battery\n"
    "  api_token: s3cr3t-t0ken-value\n"
)


def check_broken_stream(report: Report, file: str) -> None:
    (error,) = report.errors
    # the parser stops at the next document marker, which ends the broken document
    assert error.file == file
    assert error.line == line_of(BROKEN_STREAM, "---", 2) == 12
    assert error.message.startswith("invalid YAML")
    assert report.objects == 3  # first, after, creds
    assert sorted((c, line) for c, _, line in located(report)) == [
        ("duplicate-key", line_of(BROKEN_STREAM, "name: after", 2)),
        ("plaintext-secret", line_of(BROKEN_STREAM, "api_token:")),  # the others are suppressed
        ("privileged-container", line_of(BROKEN_STREAM, "privileged: true")),
    ]


SELECT = ["privileged-container", "duplicate-key", "plaintext-secret"]


def test_bug_broken_document_does_not_hide_later_documents(tmp_path: Path) -> None:
    path = tmp_path / "stream.yaml"
    path.write_text(BROKEN_STREAM)
    check_broken_stream(lint_paths([path], SELECT), str(path))


def test_broken_document_on_stdin_does_not_hide_later_documents() -> None:
    check_broken_stream(lint_stdin(BROKEN_STREAM, SELECT), "<stdin>")


def test_broken_document_recovery_in_low_memory_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubelint import runner

    monkeypatch.setattr(runner, "LOW_MEMORY_AFTER_BYTES", -1)
    path = tmp_path / "stream.yaml"
    path.write_text(BROKEN_STREAM)
    check_broken_stream(lint_paths([path], SELECT), str(path))


@pytest.mark.parametrize(
    ("broken", "error_at"),
    [
        # first document, no marker; the error is inside it
        ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a: b\n", "  name: a: b"),
        # an unterminated quote runs into the next marker
        ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: "oops\n', "---"),
        # bad indentation in the middle of a document
        ("apiVersion: v1\nkind: Pod\n metadata: {}\nspec: {}\n", " metadata: {}"),
        # an unclosed bracket on the document's own marker line runs into the next marker
        ("--- [a, b: c\n", "---"),
    ],
)
def test_every_broken_document_is_one_error_and_the_rest_is_read(
    broken: str, error_at: str
) -> None:
    after = PRIVILEGED_POD.format(name="after")
    separator = "" if broken.startswith("---") else "---\n"  # no empty document between
    text = broken + "---\n" + after + separator + broken + "---\n" + after
    loaded = load_source("m.yaml", text.encode())
    assert [o.name for o in loaded.objects] == ["after", "after"]
    assert [o.doc_index for o in loaded.objects] == [1, 3]
    lines = text.splitlines()
    first_error = lines.index(error_at) + 1  # the first line that is exactly error_at
    second_start = len((broken + "---\n" + after + separator).splitlines())
    second_error = lines.index(error_at, second_start) + 1
    assert [e.line for e in loaded.errors] == [first_error, second_error]
    for obj, occurrence in zip(loaded.objects, (1, 2), strict=True):
        assert obj.locate(("spec", "containers", 0, "securityContext", "privileged"))[0] == (
            line_of(text, "privileged: true", occurrence)
        )


def test_recovered_documents_keep_helm_sources() -> None:
    text = (
        "# Source: shop/templates/a.yaml\nmetadata: {a\n---\n# Source: shop/templates/b.yaml\n"
        + PRIVILEGED_POD.format(name="b")
    )
    report = lint_stdin(text, ["privileged-container"])
    assert [e.line for e in report.errors] == [3]
    assert [(r.location.file, r.location.line) for r in report.results] == [
        ("shop/templates/b.yaml", line_of(text, "privileged: true"))
    ]


def test_positions_stay_exact_in_recovered_documents() -> None:
    """Every position in documents read after a broken one equals the position kubelint
    gives when the broken document is blanked out (same lines, same characters)."""
    head = "# lead\n" + PRIVILEGED_POD.format(name="a")
    broken = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: [x\n"
    tail = (
        "--- # comment\n" + PRIVILEGED_POD.format(name="b") + "---\n"
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
        "    metadata: {name: c}\n    data:\n      k: &x v\n      j: *x\n      k: again\n"
    )
    blanked = re.sub(r"[^\n]", "#", broken)
    recovered = load_source("m.yaml", (head + broken + tail).encode())
    reference = load_source("m.yaml", (head + blanked + tail).encode())
    assert len(recovered.errors) == 1 and not reference.errors
    assert [o.name for o in recovered.objects] == [o.name for o in reference.objects]
    assert [o.name for o in recovered.objects] == ["a", "b", "c"]
    assert isinstance(recovered.objects[1].locator, ReparseLocator)  # read after the broken one
    paths = [
        (),
        ("metadata", "name"),
        ("spec", "containers", 0, "securityContext", "privileged"),
        ("data", "j"),
        ("data", "missing"),
    ]
    # the object before the broken document ends where that document begins
    assert recovered.objects[0].text_end == len(head)
    for got, want in zip(recovered.objects, reference.objects, strict=True):
        if got is not recovered.objects[0]:
            assert (got.text_start, got.text_end) == (want.text_start, want.text_end)
        assert got.duplicate_key_offsets == want.duplicate_key_offsets
        for path in paths:
            assert got.locate(path) == want.locate(path)
        for offset in range(got.text_start, got.text_end):
            assert got.path_at(offset) == want.path_at(offset)
    assert recovered.objects[2].duplicate_key_offsets  # the List item's duplicate `k`


def test_many_broken_documents_are_each_reported() -> None:
    text = "".join(
        f"---\napiVersion: v1\nkind: Pod\nmetadata: {{name: [p{i}\n"
        if i % 2
        else "---\n" + CONFIG_MAP.format(name=f"c{i}")
        for i in range(400)
    )
    loaded = load_source("m.yaml", text.encode())
    assert len(loaded.errors) == 200 and len(loaded.objects) == 200
    assert loaded.objects[-1].locate(("metadata", "name"))[0] == line_of(text, "name: c398")


# --- 5. Standard input without objects is not a pass --------------------------------------


@pytest.mark.parametrize("stdin", ["", "\n", "---\n", "# helm printed only comments\n", "a: 1\n"])
def test_bug_empty_stdin_exits_2(stdin: str) -> None:
    result = run_process(["-", "--no-repo-context"], stdin=stdin.encode())
    assert result.returncode == 2, result.stdout
    assert "no Kubernetes objects on standard input" in result.stdout
    assert "Traceback" not in result.stderr


def test_stdin_with_objects_passes_and_broken_stdin_is_one_error() -> None:
    result = run_process(["-", "--no-repo-context"], stdin=CONFIG_MAP.format(name="x").encode())
    assert result.returncode == 0, result.stdout
    report = lint_stdin("a: [\n")
    assert [e.message.startswith("invalid YAML") for e in report.errors] == [True]


# --- 6. Custom workload kinds ------------------------------------------------------------

CUSTOM_WORKLOADS = {
    "DeploymentConfig": ("apps.openshift.io/v1", "spec:\n  template:\n"),
    "Rollout": ("argoproj.io/v1alpha1", "spec:\n  template:\n"),
    "Service": ("serving.knative.dev/v1", "spec:\n  template:\n"),
    "ScaledJob": ("keda.sh/v1alpha1", "spec:\n  jobTargetRef:\n    template:\n"),
}


def custom_workload(kind: str, pod_spec: str) -> str:
    api_version, head = CUSTOM_WORKLOADS[kind]
    indent = " " * (len(head.splitlines()[-1]) - len(head.splitlines()[-1].lstrip()) + 2)
    body = "".join(indent + line + "\n" for line in ["spec:", *pod_spec.splitlines()])
    return f"apiVersion: {api_version}\nkind: {kind}\nmetadata:\n  name: app\n{head}{body}"


POD_SPEC = """  hostNetwork: true
  containers:
    - name: app
      image: registry.example.com/app:1.0
      securityContext:
        privileged: true
"""


@pytest.mark.parametrize("kind", sorted(CUSTOM_WORKLOADS))
def test_bug_custom_workload_kinds_get_security_findings(tmp_path: Path, kind: str) -> None:
    text = custom_workload(kind, POD_SPEC)
    path = tmp_path / "app.yaml"
    path.write_text(text)
    report = lint_paths(
        [path], ["privileged-container", "missing-security-context", "pss-baseline"]
    )
    assert not report.errors and not report.notices  # well known: no "guessed" notice
    assert sorted((c, line) for c, _, line in located(report)) == [
        ("missing-security-context", line_of(text, "securityContext:")),
        ("privileged-container", line_of(text, "privileged: true")),
        ("pss-host-namespaces", line_of(text, "hostNetwork: true")),
    ]


def test_custom_kinds_are_matched_by_group_and_kind(tmp_path: Path) -> None:
    core_service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: []\n"
    other_rollout = (
        "apiVersion: example.com/v1\nkind: Rollout\nmetadata:\n  name: r\n"
        "spec:\n  template: {containers: []}\n"
    )
    knative = custom_workload("Service", POD_SPEC)
    # the core Service comes first: the Knative one must not inherit its (no) checks
    text = core_service + "---\n" + other_rollout + "---\n" + knative
    path = tmp_path / "services.yaml"
    path.write_text(text)
    report = lint_paths([path], ["privileged-container", "missing-security-context"])
    assert sorted((c, line) for c, _, line in located(report)) == [
        ("missing-security-context", line_of(text, "securityContext:")),
        ("privileged-container", line_of(text, "privileged: true")),
    ]
    assert not report.notices


def test_other_kinds_shaped_like_workloads_are_checked_with_one_notice_per_kind(
    tmp_path: Path,
) -> None:
    clone = (
        "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: {name}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: app\n"
        "          image: x:1\n          securityContext: {{privileged: true}}\n"
    )
    cron = (
        "apiVersion: batch.example.com/v1\nkind: Nightly\nmetadata:\n  name: n\nspec:\n"
        "  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
        "            - name: task\n              image: x:1\n"
        "              securityContext: {privileged: true}\n"
    )
    text = clone.format(name="a") + "---\n" + clone.format(name="b") + "---\n" + cron
    path = tmp_path / "custom.yaml"
    path.write_text(text)
    report = lint_paths([path], ["privileged-container"])
    assert [line for _, _, line in located(report)] == [
        line_of(text, "privileged: true", n) for n in (1, 2, 3)
    ]
    assert sorted((n.line, n.message) for n in report.notices) == [
        (
            1,
            "checking custom kind CloneSet (apps.kruise.io/v1alpha1) as a workload: its pod "
            "template is at spec.template",
        ),
        (
            line_of(text, "kind: Nightly") - 1,
            "checking custom kind Nightly (batch.example.com/v1) as a workload: its pod "
            "template is at spec.jobTemplate.spec.template",
        ),
    ]


def test_rollout_with_workload_ref_is_checked_through_its_deployment(tmp_path: Path) -> None:
    text = (
        "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: web\nspec:\n"
        "  workloadRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web-pods\n"
    )
    path = tmp_path / "rollout.yaml"
    path.write_text(text)
    report = lint_paths(
        [path], ["privileged-container", "missing-security-context", "pss-baseline"]
    )
    assert report.results == []
    (notice,) = report.notices
    assert notice.line == line_of(text, "workloadRef:")
    assert "Deployment 'web-pods'" in notice.message and "Rollout 'web'" in notice.message


def test_pod_templates_configuration_wins_over_the_built_in_kinds(tmp_path: Path) -> None:
    text = (
        "apiVersion: apps.kruise.io/v1alpha1\nkind: CloneSet\nmetadata:\n  name: c\nspec:\n"
        "  template:\n    spec:\n      containers: [{name: a, image: x, "
        "securityContext: {privileged: true}}]\n"
        "  canary:\n    spec:\n      containers:\n        - name: b\n          image: x\n"
        "          securityContext:\n            privileged: true\n"
    )
    path = tmp_path / "clone.yaml"
    path.write_text(text)
    report = lint_paths(
        [path], ["privileged-container"], pod_templates={"CloneSet": ("spec", "canary")}
    )
    assert [line for _, _, line in located(report)] == [line_of(text, "privileged: true", 2)]
    assert not report.notices


TSCONFIG_WITH_COMMENTS = """{
  // the compiler's options
  "compilerOptions": {"target": "es2020", "strict": true,},
}
"""


def test_bug_hook_refused_commits_of_staged_data_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--skip-non-manifests (what the hook passes) judges named files as in a folder."""
    (tmp_path / "events.json").write_text(JSON_LINES)
    (tmp_path / "tsconfig.json").write_text(TSCONFIG_WITH_COMMENTS)
    (tmp_path / "pod.yaml").write_text(PRIVILEGED_POD.format(name="web"))
    (tmp_path / "broken.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: x\n")
    monkeypatch.chdir(tmp_path)
    args = ["--select", "privileged-container", "--no-repo-context"]
    code, out, _ = run_cli([*args, "--skip-non-manifests", "events.json", "tsconfig.json"], capsys)
    assert code == 0, out
    assert "events.json:2:1: note not a manifest: " in out
    assert "tsconfig.json:3:" in out and "input-error" not in out
    code, out, _ = run_cli([*args, "--skip-non-manifests", "events.json", "pod.yaml"], capsys)
    assert code == 1 and "pod.yaml:" in out and "input-error" not in out, out
    # a broken file that looks like a manifest still fails, flag or not
    code, out, _ = run_cli([*args, "--skip-non-manifests", "broken.yaml"], capsys)
    assert code == 2 and "broken.yaml:4:1: error input-error invalid YAML" in out, out
    # without the flag, a named data file fails closed
    code, out, _ = run_cli([*args, "events.json"], capsys)
    assert code == 2 and "events.json:2:" in out and "input-error" in out


def test_bug_helm_source_comment_with_a_long_run_of_blanks() -> None:
    # Regression: the `# Source:` pattern backtracked over the blanks for every character
    # of the name (hours for a line of 1 MB); trailing blanks and a CR are still no part of it.
    name = "shop/templates/a" + " " * 1_000_000 + "b.yaml"
    text = f"# Source: {name} \t\r\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\n"
    (obj,) = load_source("<stdin>", text.encode(), stdin=True).objects
    assert obj.helm_source == name
    # Many "Source:" on one line are looked at once, as one line.
    text = "# Source: a.yaml " + "Source:" * 200_000 + "\n" + text
    (obj,) = load_source("<stdin>", text.encode(), stdin=True).objects
    assert obj.helm_source == name


def test_each_document_takes_the_source_comment_before_it() -> None:
    # Documents without a `# Source:` comment of their own take none from their neighbours.
    parts = []
    for index in range(300):
        source = f"# Source: shop/templates/t{index}.yaml\n" if index % 3 else ""
        parts.append(f"{source}apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: c{index}}}\n")
    loaded = load_source("<stdin>", ("---\n" + "---\n".join(parts)).encode(), stdin=True)
    assert [obj.helm_source for obj in loaded.objects] == [
        f"shop/templates/t{i}.yaml" if i % 3 else None for i in range(300)
    ]
