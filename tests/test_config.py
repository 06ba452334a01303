"""`.kubelint.yaml`: discovery, validation errors at the right line, every setting applied."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint.checks import BUILTIN, BUILTIN_PROVIDERS, registry
from kubelint.config import config_schema, load_config
from kubelint.k8s.versions import NEWEST_VERSION
from tests.conftest import ROOT, run_cli, run_process

POD = """apiVersion: v1
kind: Pod
metadata:
  name: app
spec:
  containers:
    - name: app
      image: example/app:1
      securityContext:
        privileged: true
"""


@pytest.fixture()
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()  # the search for a config stops at the repository root
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "pod.yaml").write_text(POD)
    monkeypatch.chdir(tmp_path / "deploy")
    return tmp_path


def findings(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict]]:
    code, out, _err = run_cli(["--format", "json", "--no-repo-context", *args], capsys)
    return code, (json.loads(out)["findings"] if out else [])


def test_config_found_upwards_and_applied(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container, missing-runtime-class]\n"
        "fail-on: error\n"
        "checks:\n"
        "  privileged-container:\n    severity: warning\n"
        "  missing-runtime-class:\n    allowed: [gvisor]\n"
    )
    code, found = findings(capsys, "pod.yaml")
    assert {(f["check"], f["severity"]) for f in found} == {
        ("privileged-container", "warning"),
        ("missing-runtime-class", "warning"),
    }
    assert (
        "(one of: gvisor)"
        in next(f for f in found if f["check"] == "missing-runtime-class")["message"]
    )
    assert code == 0  # fail-on: error and no error left


def test_exclude_and_per_path_ignores(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "deploy" / "skip").mkdir()
    (repo / "deploy" / "skip" / "x.yaml").write_text(POD)
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container]\nexclude: ['deploy/skip/**']\n"
        "per-path-ignores:\n  'deploy/pod.yaml': [hardening]\n"
    )
    code, found = findings(capsys, ".")
    assert found == [] and code == 0


def test_cli_select_overrides_config(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / ".kubelint.yaml").write_text("select: [plaintext-secret]\n")
    assert findings(capsys, "pod.yaml")[1] == []
    assert [
        f["check"] for f in findings(capsys, "pod.yaml", "--select", "privileged-container")[1]
    ] == ["privileged-container"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fail-on: fatal\n", ".kubelint.yaml:1:1: fail-on: 'fatal' is not one of"),
        ("select: [core]\nignor: [x]\n", ".kubelint.yaml:2:1: ignor: unknown key 'ignor'"),
        (
            "checks:\n  privileged-containers: {}\n",
            ".kubelint.yaml:2:3: checks.privileged-containers: unknown check id",
        ),
        (
            "checks:\n  missing-runtime-class:\n    allowed: gvisor\n",
            ".kubelint.yaml:3:5: checks.missing-runtime-class.allowed: 'gvisor' is not of type 'array'",
        ),
        (
            "select:\n  - core\n  - nope\n",
            ".kubelint.yaml:3:5: select: unknown check or group 'nope'",
        ),
        ("select: [a\n", ".kubelint.yaml:2:1: invalid YAML"),
        ("- just\n- a list\n", "(top level): ["),
    ],
)
def test_bad_config_names_key_and_line(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (repo / ".kubelint.yaml").write_text(text)
    code, _out, err = run_cli(["pod.yaml"], capsys)
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_explicit_config_that_does_not_exist(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_cli(["--config", "missing.yaml", "pod.yaml"], capsys)
    assert code == 2 and "missing.yaml: configuration file not found" in err


def test_namespace_option_sets_default_namespace(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, found = findings(capsys, "pod.yaml", "--select", "privileged-container", "-n", "shop")
    assert found[0]["object"]["namespace"] == "shop"


def test_committed_config_schema_matches_the_checks() -> None:
    committed = json.loads((ROOT / "schemas" / "kubelint-config.schema.json").read_text())
    assert committed == config_schema(BUILTIN, BUILTIN_PROVIDERS), (
        "schemas/kubelint-config.schema.json is stale: run `python -m kubelint.docs` to regenerate"
    )


def test_bug_per_path_ignores_were_relative_to_the_working_directory(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "other").mkdir()
    (repo / "other" / "pod.yaml").write_text(POD)
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container]\nper-path-ignores:\n  'deploy/**': [privileged-container]\n"
    )

    def reported(*args: str) -> list[str]:
        return [f["file"] for f in findings(capsys, *args)[1]]

    # From the folder of the configuration, from a subfolder, and from outside the repository:
    # deploy/ is ignored, other/ is not.
    monkeypatch.chdir(repo)
    assert reported("deploy", "other") == ["other/pod.yaml"]
    monkeypatch.chdir(repo / "deploy")
    assert reported(".", "../other") == ["../other/pod.yaml"]
    assert reported("pod.yaml") == []
    monkeypatch.chdir(repo.parent)
    config = str(repo / ".kubelint.yaml")
    assert reported("-c", config, f"{repo.name}/deploy", f"{repo.name}/other") == [
        f"{repo.name}/other/pod.yaml"
    ]


def test_per_path_ignores_relative_to_a_config_given_with_config_option(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A glob that would match from the working directory but not from the config's folder.
    (repo / "conf").mkdir()
    (repo / "conf" / "kubelint.yaml").write_text(
        "select: [privileged-container]\nper-path-ignores:\n  'pod.yaml': [privileged-container]\n"
    )
    assert len(findings(capsys, "-c", "../conf/kubelint.yaml", "pod.yaml")[1]) == 1
    (repo / "conf" / "kubelint.yaml").write_text(
        "select: [privileged-container]\n"
        "per-path-ignores:\n  '../deploy/pod.yaml': [privileged-container]\n"
    )
    assert findings(capsys, "-c", "../conf/kubelint.yaml", "pod.yaml")[1] == []


def read_config(repo: Path, text: str) -> int:
    (repo / ".kubelint.yaml").write_text(text)
    checks = registry()
    return load_config(repo / ".kubelint.yaml", checks).kube_version


@pytest.mark.parametrize(
    ("text", "minor"),
    [
        ("kube-version: 1.30\n", 30),  # YAML reads the number 1.3; the text says 1.30
        ("kube-version: 1.3\n", 3),
        ("kube-version: '1.30'\n", 30),
        ("kube-version: v1.29\n", 29),
        ("kube-version: latest\n", NEWEST_VERSION),
        (f"kube-version: 1.{NEWEST_VERSION}\n", NEWEST_VERSION),
        ("select: [core]\n", NEWEST_VERSION),
    ],
)
def test_bug_kube_version_written_as_a_number_was_read_as_another(
    repo: Path, text: str, minor: int
) -> None:
    assert read_config(repo, text) == minor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kube-version: 1.30.2\n", ":1:1: kube-version: invalid Kubernetes version '1.30.2'"),
        ("kube-version: 130\n", ":1:1: kube-version: invalid Kubernetes version '130'"),
        ("kube-version: 1.3e1\n", "invalid Kubernetes version '1.3e1'"),
        ("kube-version: [1.30]\n", "kube-version: expected a version such as 1.30 or 'latest'"),
        (
            f"fail-on: error\nkube-version: 1.{NEWEST_VERSION + 3}\n",
            f":2:1: kube-version: Kubernetes version '1.{NEWEST_VERSION + 3}' is newer than the "
            f"newest kubelint supports (1.{NEWEST_VERSION})",
        ),
    ],
)
def test_bug_bad_kube_version_named_what_yaml_made_of_it(
    repo: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    (repo / ".kubelint.yaml").write_text(text)
    code, _out, err = run_cli(["pod.yaml"], capsys)
    assert code == 2 and expected in err


def test_bug_two_config_files_one_silently_won(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".kubelint.yaml").write_text("select: [privileged-container]\n")
    (repo / ".kubelint.yml").write_text("select: [plaintext-secret]\n")
    code, out, err = run_cli(["pod.yaml"], capsys)
    assert code == 2 and out == ""
    assert ".kubelint.yaml and " in err and ".kubelint.yml are both present" in err
    # --config names the one to read: no ambiguity left.
    code, _, _ = run_cli(["-c", "../.kubelint.yml", "pod.yaml"], capsys)
    assert code == 0


def test_extend_select_and_default_group_in_config(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "deploy" / "pod.yaml").write_text(
        POD.replace("  containers:", "  hostPID: true\n  containers:")
    )

    def checks(*args: str) -> set[str]:
        return {f["check"] for f in findings(capsys, "pod.yaml", *args)[1]}

    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container]\nextend-select: [pss-host-namespaces]\n"
    )
    assert checks() == {"privileged-container", "pss-host-namespaces"}
    # --select replaces the configured selection, extend-select included ...
    assert checks("--select", "privileged-container") == {"privileged-container"}
    # ... and --extend-select adds to it.
    assert checks("--extend-select", "pss-host-namespaces,pss-run-as-non-root") == {
        "privileged-container",
        "pss-host-namespaces",
        "pss-run-as-non-root",
    }
    (repo / ".kubelint.yaml").write_text(
        "ignore: [default]\nextend-select: [privileged-container]\n"
    )
    assert checks() == set()  # ignore wins
    (repo / ".kubelint.yaml").write_text("extend-select: [privileged-containers]\n")
    code, _, err = run_cli(["pod.yaml"], capsys)
    assert code == 2
    assert (
        ".kubelint.yaml:1:17: extend-select: unknown check or group 'privileged-containers' (did you mean 'privileged-container'?"
        in err
    )


def test_per_path_ignores_match_helm_template_names(repo: Path) -> None:
    (repo / ".kubelint.yaml").write_text(
        "select: [privileged-container]\n"
        "per-path-ignores:\n  'shop/templates/debug*.yaml': [privileged-container]\n"
    )
    stream = "".join(
        f"---\n# Source: shop/templates/{name}.yaml\n{POD.replace('name: app', f'name: {name}', 1)}"
        for name in ("debug-pod", "web")
    )
    result = run_process(["-", "-f", "json"], cwd=repo / "deploy", stdin=stream.encode())
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["findings"]
    assert [f["file"] for f in found] == ["shop/templates/web.yaml"]


def test_command_line_options_merge_into_a_new_configuration() -> None:
    """``Config.merged`` is pure: the file's settings stay as they were read."""
    from kubelint.config import Config, Overrides

    read = Config(
        select=["workloads"], extend_select=["api"], ignore=["pss-host-ports"], namespace="shop"
    )
    merged = read.merged(
        Overrides(kube_version=30, fail_on="error", extend_select=["secrets"], ignore=["api"])
    )
    assert (merged.select, merged.extend_select) == (["workloads"], ["api", "secrets"])
    assert merged.ignore == ["pss-host-ports", "api"]
    assert (merged.namespace, merged.kube_version, merged.fail_on) == ("shop", 30, "error")
    # --select replaces the configured selection, its extend-select included
    selected = read.merged(Overrides(select=["network"], namespace="web"))
    assert (selected.select, selected.extend_select, selected.namespace) == (
        ["network"],
        [],
        "web",
    )
    assert (read.select, read.extend_select, read.ignore, read.namespace) == (
        ["workloads"],
        ["api"],
        ["pss-host-ports"],
        "shop",
    )
    assert read.kube_version == NEWEST_VERSION and read.fail_on == "warning"
