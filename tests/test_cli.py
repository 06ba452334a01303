"""The command line as users run it: exit codes, formats, options, errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.checks import registry
from kubelint.k8s.versions import NEWEST_VERSION
from tests.conftest import ROOT, run_cli, run_process

GOOD = """apiVersion: v1
kind: Pod
metadata:
  name: good
spec:
  runtimeClassName: gvisor
  securityContext:
    runAsNonRoot: true
    seccompProfile: {type: RuntimeDefault}
  containers:
    - name: app
      image: example/app:1
      securityContext:
        allowPrivilegeEscalation: false
        readOnlyRootFilesystem: true
        capabilities: {drop: [ALL]}
"""
PRIVILEGED = GOOD.replace(
    "allowPrivilegeEscalation: false", "privileged: true\n        allowPrivilegeEscalation: false"
)
TWO_PRIVILEGED = PRIVILEGED + PRIVILEGED[PRIVILEGED.index("    - name: app") :].replace(
    "name: app", "name: sidecar"
)
# The good pod also needs a default-deny policy for its namespace.
POLICY = """---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec: {podSelector: {}}
"""


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.yaml").write_text(GOOD + POLICY)
    (tmp_path / "bad.yaml").write_text(PRIVILEGED + POLICY)
    (tmp_path / "broken.yaml").write_text("kind: Pod\nmetadata: name: x\n")
    return tmp_path


def test_clean_file_exits_0(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["good.yaml"], capsys)
    assert code == 0
    assert "1 file, 2 objects: no findings" in out


def test_findings_exit_1_with_file_line_and_hint(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "two.yaml").write_text(TWO_PRIVILEGED + POLICY)
    code, out, _ = run_cli(["two.yaml", "--color", "never"], capsys)
    assert code == 1
    remediation = registry()["privileged-container"].meta.remediation
    assert out.splitlines() == [
        "two.yaml:14:9: error privileged-container container 'app' runs privileged, with full "
        "access to the node",
        "two.yaml:21:9: error privileged-container container 'sidecar' runs privileged, with "
        "full access to the node",
        "",
        "hints:",
        f"  privileged-container: {remediation}",  # once, not under every finding
        "",
        "1 file (1 with findings), 2 objects: 2 errors, 0 warnings, 0 info",
    ]


def test_broken_file_exits_2_and_other_files_are_still_linted(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["bad.yaml", "broken.yaml"], capsys)
    assert code == 2  # errors win over findings
    assert "broken.yaml:2:" in out and "input-error invalid YAML" in out
    assert "privileged-container" in out
    assert "Traceback" not in out


def test_missing_path_exits_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["nope.yaml", "good.yaml"], capsys)
    assert code == 2
    assert "nope.yaml: error input-error no such file or directory" in out


def test_folder_without_manifests_exits_2(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "empty").mkdir()
    (tree / "empty" / "notes.txt").write_text("hi")
    code, out, _ = run_cli(["empty"], capsys)
    assert code == 2 and "no manifest files (*.yaml, *.yml, *.json) found" in out


def test_fail_on_error_ignores_warnings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "warn.yaml").write_text(
        GOOD.replace("        readOnlyRootFilesystem: true\n", "") + POLICY
    )
    assert run_cli(["warn.yaml"], capsys)[0] == 1
    assert run_cli(["warn.yaml", "--fail-on", "error"], capsys)[0] == 0


def test_select_and_ignore(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["bad.yaml", "--ignore", "privileged-container"], capsys)[0] == 0
    assert run_cli(["bad.yaml", "--select", "secrets"], capsys)[0] == 0
    assert (
        run_cli(["bad.yaml", "--select", "plaintext-secret,privileged-container"], capsys)[0] == 1
    )
    code, _, err = run_cli(["bad.yaml", "--select", "privileged-containers"], capsys)
    assert code == 2 and "unknown check or group 'privileged-containers'" in err


def test_json_report_shape(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["bad.yaml", "broken.yaml", "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 2
    assert data["version"] == 1
    (finding,) = data["findings"]
    assert finding == {
        "check": "privileged-container",
        "severity": "error",
        "file": "bad.yaml",
        "line": 14,
        "column": 9,
        "message": "container 'app' runs privileged, with full access to the node",
        "hint": finding["hint"],
        "object": {"apiVersion": "v1", "kind": "Pod", "name": "good", "namespace": "default"},
        "path": "spec.containers[0].securityContext.privileged",
        "source": None,
        "references": [
            {
                "framework": "cis-kubernetes",
                "version": "1.10",
                "id": "5.2.2",
                "title": "do not admit privileged containers",
                "tag": "CIS-1.10-5.2.2",
            }
        ],
        # Removing privileged: true is a fix, but one that may break the workload.
        "fixable": "unsafe",
    }
    assert data["errors"][0]["file"] == "broken.yaml" and data["errors"][0]["line"] == 2
    assert data["summary"] == {
        "files": 2,
        "objects": 2,
        "findings": 1,
        "errors": 1,
        "skipped": 0,
        "notices": 0,
        "baselined": 0,
        "notValidated": 0,
        "severities": {"error": 1, "warning": 0, "info": 0},
    }


def test_output_file_gets_the_report(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["bad.yaml", "-f", "json", "-o", "report.json"], capsys)
    assert code == 1 and out == ""
    assert json.loads((tree / "report.json").read_text())["summary"]["findings"] == 1
    assert "1 error" in err


def test_stdin_with_helm_sources(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = "---\n# Source: shop/templates/pod.yaml\n" + PRIVILEGED + POLICY
    result = run_process(["-", "--select", "privileged-container"], cwd=tree, stdin=stream.encode())
    assert result.returncode == 1
    assert "shop/templates/pod.yaml:16:9: error privileged-container" in result.stdout


def test_list_and_explain_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--list-checks"], capsys)
    assert code == 0 and "privileged-container" in out and "plaintext-secret" in out
    # Every group a check can be selected by is listed, its family first.
    (line,) = [row for row in out.splitlines() if row.startswith("privileged-container ")]
    assert "[pod-security, " in line and "pss-baseline" in line and "cis]" in line
    code, out, _ = run_cli(["--explain", "privileged-container"], capsys)
    assert code == 0 and out.startswith("# privileged-container") and "## Failing example" in out
    assert run_cli(["--explain", "nope"], capsys)[0] == 2
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and out.startswith("kubelint 0.")


def test_a_path_named_like_an_option_word_is_a_path(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "explain").mkdir()
    (tree / "explain" / "x.yaml").write_text(PRIVILEGED)
    code, out, _ = run_cli(["explain", "--select", "privileged-container"], capsys)
    assert code == 1 and "explain/x.yaml" in out


def test_colour_only_on_request_and_never_with_no_color(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, out, _ = run_cli(["bad.yaml", "--color", "always"], capsys)
    assert "\033[31m" in out
    _, out, _ = run_cli(["bad.yaml"], capsys)  # not a terminal
    assert "\033[" not in out
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = run_cli(["bad.yaml", "--color", "auto"], capsys)
    assert "\033[" not in out


@pytest.mark.parametrize(
    ("env", "option", "coloured"),
    [
        ({"FORCE_COLOR": "1"}, [], True),  # not a terminal, colour forced
        ({"FORCE_COLOR": "0"}, [], True),  # any non-empty value counts (force-color.org)
        ({"FORCE_COLOR": ""}, [], False),  # empty means unset
        ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, [], True),  # FORCE_COLOR wins, as documented
        ({"FORCE_COLOR": "1"}, ["--color", "never"], False),  # the option wins over both
        ({"NO_COLOR": "1"}, ["--color", "always"], True),
    ],
)
def test_bug_force_color_was_ignored(
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    option: list[str],
    coloured: bool,
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _, out, _ = run_cli(["bad.yaml", *option], capsys)
    assert ("\033[31m" in out) is coloured


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--fail-on", "fatal", "."], "--fail-on: unknown value 'fatal' (choose from error, "),
        (["--color", "sometimes", "."], "--color: unknown value 'sometimes'"),
        (["--format", "xml", "."], "unknown format 'xml'"),
        (["--bogus", "."], "no such option: --bogus"),
        (["--color"], "option '--color' requires an argument"),
        (["--kube-version", "1.3x", "."], "invalid Kubernetes version '1.3x'"),
    ],
)
def test_bug_usage_errors_printed_the_parsers_blurb(
    tree: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run_cli(args, capsys)
    assert code == 2 and out == ""
    (line,) = err.splitlines()  # one line, in kubelint's words
    assert line.startswith("kubelint: error: ") and message in line
    assert "Value error" not in err and "Usage:" not in err


def test_bug_help_showed_python_types() -> None:
    script = Path(sys.executable).parent / "kubelint"  # the installed console script
    assert script.exists()
    result = subprocess.run(
        [str(script), "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0
    text = result.stdout
    assert not re.search(r"<[a-z]+(\[[a-z, ]*\])?>", text), text  # <list[str]>, <text>, ...
    assert "PATH: files or folders to lint" in text
    for option in ("--extend-select IDS", "--fail-on error|warning|info", "--exit-zero"):
        assert option in text
    assert "--statistics" in text and "-q, --quiet" in text and "--output-format" in text


def test_bug_kube_version_newer_than_bundled_was_clamped(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    newest = f"1.{NEWEST_VERSION}"
    code, _, err = run_cli(["good.yaml", "--kube-version", f"1.{NEWEST_VERSION + 3}"], capsys)
    assert code == 2
    assert f"Kubernetes version '1.{NEWEST_VERSION + 3}' is newer than" in err
    assert f"({newest})" in err
    assert run_cli(["good.yaml", "--kube-version", newest], capsys)[0] == 0
    assert run_cli(["good.yaml", "--kube-version", "latest"], capsys)[0] == 0


def test_namespace_version_labels_newer_than_bundled_still_clamp(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The API server treats a too-new enforce-version as latest; so does kubelint.
    (tree / "ns.yaml").write_text(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
        "    pod-security.kubernetes.io/enforce: baseline\n"
        f"    pod-security.kubernetes.io/enforce-version: v1.{NEWEST_VERSION + 3}\n"
        "---\n" + PRIVILEGED.replace("name: good", "name: good\n  namespace: shop")
    )
    code, out, err = run_cli(["ns.yaml", "--select", "privileged-container", "-f", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["errors"] == [] and err == ""
    assert [f["check"] for f in data["findings"]] == ["privileged-container"]


def test_concise_output_quiet_and_output_format_are_one_format(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tree / "two.yaml").write_text(TWO_PRIVILEGED + POLICY)
    code, out, _ = run_cli(["two.yaml", "-f", "concise"], capsys)
    assert code == 1
    assert out.splitlines() == [
        "two.yaml:14:9: error privileged-container container 'app' runs privileged, with full "
        "access to the node",
        "two.yaml:21:9: error privileged-container container 'sidecar' runs privileged, with "
        "full access to the node",
        "1 file (1 with findings), 2 objects: 2 errors, 0 warnings, 0 info",
    ]
    assert run_cli(["two.yaml", "-q"], capsys)[1] == out
    assert run_cli(["two.yaml", "--output-format", "concise"], capsys)[1] == out
    # -q and a SARIF file from the same run
    code, again, _ = run_cli(["two.yaml", "-q", "-f", "sarif:k.sarif"], capsys)
    assert again == out and json.loads((tree / "k.sarif").read_text())["version"] == "2.1.0"
    code, _, err = run_cli(["two.yaml", "-q", "-f", "json"], capsys)
    assert code == 2 and "--quiet writes the concise report to standard output" in err


def test_statistics_instead_of_the_findings(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "two.yaml").write_text(TWO_PRIVILEGED + POLICY)
    summary_line = "2 files (2 with findings), 4 objects: 3 errors, 0 warnings, 0 info"
    code, out, err = run_cli(["two.yaml", "bad.yaml", "--statistics"], capsys)
    assert code == 1 and err == ""
    assert out.splitlines() == [
        "3  privileged-container  error  fixable: 3 unsafe  Container runs privileged",
        summary_line,
    ]
    # With a machine-readable report on standard output, the table goes to standard error.
    code, out, err = run_cli(["two.yaml", "bad.yaml", "--statistics", "-f", "json"], capsys)
    assert len(json.loads(out)["findings"]) == 3
    assert err.splitlines() == [
        "3  privileged-container  error  fixable: 3 unsafe  Container runs privileged",
        summary_line,
    ]


def test_exit_zero_with_findings_but_not_with_unusable_input(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["bad.yaml", "--exit-zero"], capsys)
    assert code == 0 and "error privileged-container" in out
    assert run_cli(["bad.yaml", "broken.yaml", "--exit-zero"], capsys)[0] == 2


RUN_AS_ROOT = PRIVILEGED.replace(
    "    runAsNonRoot: true\n", "    runAsNonRoot: true\n    runAsUser: 0\n"
)


def checks_found(capsys: pytest.CaptureFixture[str], *args: str) -> set[str]:
    _, out, _ = run_cli(["root.yaml", "-f", "json", "--no-repo-context", *args], capsys)
    return {f["check"] for f in json.loads(out)["findings"]}


def test_default_group_and_extend_select(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tree / "root.yaml").write_text(RUN_AS_ROOT + POLICY)
    assert not registry()["pss-run-as-user"].meta.enabled  # so extending it is visible
    defaults = checks_found(capsys)
    assert "privileged-container" in defaults and "pss-run-as-user" not in defaults
    assert checks_found(capsys, "--select", "default") == defaults
    assert checks_found(capsys, "--extend-select", "pss-run-as-user") == {
        *defaults,
        "pss-run-as-user",
    }
    assert checks_found(
        capsys, "--select", "plaintext-secret", "--extend-select", "privileged-container"
    ) == {"privileged-container"}
    # --ignore wins over --extend-select; 'default' works in --ignore too.
    assert checks_found(
        capsys, "--extend-select", "pss-run-as-user,privileged-container", "--ignore", "default"
    ) == {"pss-run-as-user"}
    assert (
        checks_found(capsys, "--extend-select", "pss-run-as-user", "--ignore", "pss-run-as-user")
        == defaults
    )
    code, _, err = run_cli(["root.yaml", "--extend-select", "pss-run-as-usr"], capsys)
    assert code == 2 and "did you mean 'pss-run-as-user'?" in err


def test_explain_a_group_lists_its_checks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["--explain", "core"], capsys)
    lines = out.splitlines()
    assert code == 0 and lines[0] == "group 'core': 5 checks"
    privileged = next(line for line in lines if line.startswith("privileged-container "))
    assert privileged.split()[1] == "error" and "Container runs privileged" in privileged
    code, out, _ = run_cli(["--explain", "default"], capsys)
    listed = {line.split()[0] for line in out.splitlines()[1:]}
    assert listed == {cid for cid, c in registry().items() if c.meta.enabled}
    code, _, err = run_cli(["--explain", "cor"], capsys)
    assert code == 2 and "unknown check or group 'cor' (did you mean 'core'?" in err


def test_real_process_on_examples_never_tracebacks() -> None:
    result = run_process(["examples/"], cwd=ROOT)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "error privileged-container" in result.stdout


def test_dash_on_a_terminal_is_a_clear_error(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    code, _, err = run_cli(["-"], capsys)
    assert code == 2 and "nothing is piped in" in err


def test_a_helm_stream_with_findings_in_two_templates_is_one_file_with_findings(
    tree: Path,
) -> None:
    stream = (
        "---\n# Source: shop/templates/a.yaml\n"
        + PRIVILEGED
        + "---\n# Source: shop/templates/b.yaml\n"
        + PRIVILEGED.replace("name: good", "name: other")
    )
    result = run_process(["-", "--select", "privileged-container"], cwd=tree, stdin=stream.encode())
    assert result.returncode == 1
    assert "shop/templates/a.yaml:16:9:" in result.stdout
    assert "shop/templates/b.yaml:" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "1 file (1 with findings), 2 objects: 2 errors, 0 warnings, 0 info"
    )


def test_main_leaves_the_interpreter_as_it_found_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Called from Python, ``main()`` keeps the collector on and keeps no report alive:
    only the console entry point (``run``) skips the teardown of a run's objects."""
    import gc
    import weakref

    from kubelint import runner
    from kubelint.cli import main

    manifest = tmp_path / "pod.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
        "  containers: [{name: web, image: nginx:1.27}]\n"
    )
    refs: list[weakref.ref[object]] = []
    real_lint = runner.lint

    def spying_lint(*args: object, **kwargs: object) -> object:
        report = real_lint(*args, **kwargs)  # type: ignore[arg-type]
        refs.extend(weakref.ref(o) for o in (report, report.retained[0].objects[0]))
        return report

    monkeypatch.setattr(runner, "lint", spying_lint)
    assert gc.isenabled()
    assert main([str(manifest), "--no-repo-context", "-f", "json:" + str(tmp_path / "r.json")]) == 1
    assert gc.isenabled()
    assert len(refs) == 2
    assert [ref() for ref in refs] == [None, None]
