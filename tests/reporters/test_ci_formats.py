"""SARIF, GitHub annotations and JUnit: valid, exact, and never leaking a secret."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.conftest import run_cli

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text())

BAD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  runtimeClassName: gvisor
  containers:
    - name: web
      image: nginx:1.27
      securityContext:
        privileged: true
      env:
        - name: DB_PASSWORD
          value: "hunter2, with: commas%and\\nnewlines"
"""
BROKEN = "kind: Pod\nmetadata: name: x\n"


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "web.yaml").write_text(BAD)
    (tmp_path / "deploy" / "broken.yaml").write_text(BROKEN)
    monkeypatch.chdir(tmp_path / "deploy")  # paths in reports are still repository-relative
    return tmp_path


SELECT = ["--select", "privileged-container,plaintext-secret", "--no-repo-context"]


def test_sarif_validates_and_points_at_lines(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["-f", "sarif", *SELECT, "web.yaml", "broken.yaml"], capsys)
    assert code == 2
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"privileged-container", "plaintext-secret"}
    assert rules["privileged-container"]["defaultConfiguration"]["level"] == "error"
    assert rules["privileged-container"]["helpUri"].endswith(
        "/docs/checks/pod-security/privileged-container.md"
    )
    assert "## Why it matters" in rules["plaintext-secret"]["help"]["markdown"]
    located = {
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        )
        for r in run["results"]
    }
    assert located == {
        ("privileged-container", "deploy/web.yaml", 11, 9),
        ("plaintext-secret", "deploy/web.yaml", 14, 11),
    }
    assert all(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        for r in run["results"]
    )
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "error" and "invalid YAML" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 2
    assert "hunter2" not in out


def test_bug_sarif_file_outside_the_repository_gets_its_own_file_uri(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # An absolute path is no reference below %SRCROOT%: a viewer resolving it against the
    # repository would point at a file that does not exist.
    outside = tmp_path_factory.mktemp("elsewhere") / "pod.yaml"
    outside.write_text(BAD)
    code, out, _ = run_cli(["-f", "sarif", *SELECT, "web.yaml", str(outside)], capsys)
    assert code == 1
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    artifacts = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["locations"][0][
            "physicalLocation"
        ]["artifactLocation"].get("uriBaseId")
        for r in sarif["runs"][0]["results"]
    }
    assert artifacts == {"deploy/web.yaml": "%SRCROOT%", outside.resolve().as_uri(): None}


@pytest.mark.parametrize(
    ("files", "successful"),
    [(["web.yaml"], True), (["web.yaml", "broken.yaml"], False), (["missing.yaml"], False)],
)
def test_bug_sarif_execution_successful_on_a_run_that_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str], files: list[str], successful: bool
) -> None:
    code, out, _ = run_cli(["-f", "sarif", *SELECT, *files], capsys)
    assert code == (1 if successful else 2)
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is successful


def test_sarif_execution_unsuccessful_when_a_check_crashes(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kubelint.checks import registry
    from kubelint.checks.base import ModuleCheck

    def crash(*_: object) -> None:
        raise RuntimeError("boom")

    checks = registry()
    original = checks["privileged-container"]
    monkeypatch.setitem(
        checks, "privileged-container", ModuleCheck(original.meta, crash, original.doc)
    )
    code, out, _ = run_cli(["-f", "sarif", *SELECT, "web.yaml"], capsys)
    assert code == 3
    assert json.loads(out)["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_fingerprints_survive_unrelated_line_moves(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def prints() -> dict[str, str]:
        _, out, _ = run_cli(["-f", "sarif", *SELECT, "web.yaml"], capsys)
        return {
            r["ruleId"]: r["partialFingerprints"]["kubelintFinding/v1"]
            for r in json.loads(out)["runs"][0]["results"]
        }

    before = prints()
    (repo / "deploy" / "web.yaml").write_text("# a new comment\n# and another\n" + BAD)
    assert prints() == before
    (repo / "deploy" / "web.yaml").write_text(BAD.replace("name: web\nspec", "name: api\nspec"))
    assert prints() != before  # another object is another finding


def test_bug_sarif_fingerprint_changed_with_a_count_in_the_message(tmp_path: Path) -> None:
    """Adding a workload changes "0 of 1 workload" in the namespace finding, not its identity."""
    from kubelint.reporters.sarif import fingerprint
    from tests.conftest import lint_text

    pod = "apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, namespace: shop}}\nspec: {{}}\n"
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n"

    def namespace_finding(text: str) -> tuple[str, str]:
        report = lint_text(tmp_path, text, select=["namespace-without-default-deny"])
        (result,) = report.results
        return result.message, fingerprint(result, tmp_path)

    one = namespace_finding(namespace + pod.format(name="a"))
    two = namespace_finding(namespace + pod.format(name="a") + "---\n" + pod.format(name="b"))
    assert one[0] != two[0]  # the message counts the workloads ...
    assert one[1] == two[1]  # ... the finding is the same one


def test_github_annotations_are_exact_and_escaped(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["-f", "github", *SELECT, "web.yaml", "broken.yaml"], capsys)
    assert code == 2
    lines = out.splitlines()
    assert lines[0] == (
        "::error file=deploy/broken.yaml,line=2,col=15,title=kubelint%3A unusable input::"
        "invalid YAML: mapping values are not allowed in this context"
    )
    assert lines[1] == (
        "::error file=deploy/web.yaml,line=11,col=9,title=kubelint privileged-container::"
        "container 'web' runs privileged, with full access to the node%0Ahint: remove "
        "securityContext.privileged (or set it to false) and add only the capabilities the "
        "container needs"
    )
    assert lines[2].startswith(
        "::error file=deploy/web.yaml,line=14,col=11,title=kubelint plaintext-secret::"
    )
    assert lines[-1] == (
        "2 files (1 with findings), 1 object: 2 errors, 0 warnings, 0 info; 1 input error"
    )
    assert "hunter2" not in out


def test_github_escaping() -> None:
    from kubelint.reporters.github import command

    assert command("warning", "50% done\nnext", file="a,b:c.yaml", line=3) == (
        "::warning file=a%2Cb%3Ac.yaml,line=3::50%25 done%0Anext"
    )


def test_junit_is_well_formed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "deploy" / "ok.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n"
    )
    code, out, _ = run_cli(["-f", "junit", *SELECT, "."], capsys)
    assert code == 2  # the broken file
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("3", "2", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.iter("testcase")}
    web = cases[("web.yaml", "default/Pod/web")]
    assert sorted(f.get("type") for f in web.iter("failure")) == [
        "plaintext-secret",
        "privileged-container",
    ]
    assert cases[("ok.yaml", "default/ConfigMap/ok")].find("failure") is None
    assert cases[("broken.yaml", "read manifest")].find("error") is not None
    assert "hunter2" not in out


def test_several_reports_from_one_run(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["-f", "text", "-f", "sarif:out.sarif", "-f", "junit:out.xml", *SELECT, "web.yaml"], capsys
    )
    assert code == 1
    assert "web.yaml:11:9: error privileged-container" in out
    assert json.loads((repo / "deploy" / "out.sarif").read_text())["runs"][0]["results"]
    ET.parse(repo / "deploy" / "out.xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "xml"], "unknown format 'xml'"),
        (["-f", "json", "-f", "text"], "only one report can go to standard output"),
        (["-f", "sarif:"], "the file name after ':' is empty"),
        (["-f", "sarif:a", "-o", "b"], "--output needs exactly one --format without :FILE"),
    ],
)
def test_bad_format_options(
    repo: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _, err = run_cli([*args, "web.yaml"], capsys)
    assert code == 2 and message in err


def test_the_repository_root_is_found_once_per_run(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run finds the root (Report.root); the baseline and the CI reports read it and
    ask git nothing more, however many findings there are."""
    import io

    from kubelint.baseline import key
    from kubelint.loader import discovery
    from kubelint.reporters import github, sarif
    from tests.conftest import lint_paths

    report = lint_paths(["web.yaml"], ["all"])
    assert report.root == repo and len(report.results) > 3
    asked: list[tuple[str, ...]] = []
    monkeypatch.setattr(discovery, "_git", lambda root, *args, **kw: asked.append(args))
    sarif.write(report, io.StringIO(), False)
    github.write(report, io.StringIO(), False)
    assert {key(r, report.root)[1] for r in report.results} == {"deploy/web.yaml"}
    assert asked == []


def test_sarif_rules_tag_the_compliance_controls_their_check_implements(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["-f", "sarif", *SELECT, "web.yaml"], capsys)
    assert code == 1
    sarif = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(sarif)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    tags = rules["privileged-container"]["properties"]["tags"]
    assert "CIS-1.10-5.2.2" in tags and "cis" in tags
    # plaintext-secret implements no control exactly: no framework tag, no framework group.
    assert not [
        t for t in rules["plaintext-secret"]["properties"]["tags"] if t.startswith(("CIS", "NSA"))
    ]
    assert "cis" not in rules["plaintext-secret"]["properties"]["tags"]
