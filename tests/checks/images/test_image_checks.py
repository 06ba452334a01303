"""The image checks together: one finding per problem, messages, options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import lint_text, run_process

DIGEST = "sha256:" + "0123456789abcdef" * 4

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: bare
      image: nginx
    - name: latest
      image: nginx:latest
    - name: tagged
      image: nginx:1.27.3
    - name: pinned
      image: nginx:1.27.3@{digest}
""".replace("{digest}", DIGEST)


def findings(
    tmp_path: Path, text: str, select: list[str], **config: object
) -> list[tuple[str, int, str]]:
    report = lint_text(tmp_path, text, select=select, **config)
    assert not report.errors and not report.internal_errors
    return sorted((r.check, r.location.line, r.message) for r in report.results)


def test_latest_tag_says_whether_the_tag_is_missing_or_latest(tmp_path: Path) -> None:
    assert findings(tmp_path, POD, ["image-latest-tag"]) == [
        (
            "image-latest-tag",
            8,
            "container 'bare' names an image without a tag or digest: it runs 'latest'",
        ),
        ("image-latest-tag", 10, "container 'latest' uses the 'latest' image tag"),
    ]


def test_an_unpinned_latest_image_gets_one_finding_when_both_checks_run(tmp_path: Path) -> None:
    found = findings(tmp_path, POD, ["image-latest-tag", "image-not-pinned"])
    assert [(check, line) for check, line, _ in found] == [
        ("image-latest-tag", 8),
        ("image-latest-tag", 10),
        ("image-not-pinned", 12),
    ]


def test_not_pinned_reports_latest_images_when_it_runs_alone(tmp_path: Path) -> None:
    found = findings(tmp_path, POD, ["image-not-pinned"])
    assert [line for _, line, _ in found] == [8, 10, 12]


def test_not_pinned_says_whether_the_image_has_a_tag(tmp_path: Path) -> None:
    found = findings(tmp_path, POD, ["image-not-pinned"])
    assert [(line, message) for _, line, message in found] == [
        (8, "container 'bare' names its image with neither a tag nor a digest"),
        (10, "container 'latest' names its image by tag but not by digest"),
        (12, "container 'tagged' names its image by tag but not by digest"),
    ]


def test_not_pinned_is_off_and_latest_tag_on_by_default(tmp_path: Path) -> None:
    found = findings(tmp_path, POD, [])
    images = [(check, line) for check, line, _ in found if check.startswith("image-")]
    assert images == [("image-latest-tag", 8), ("image-latest-tag", 10)]


REGISTRIES = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  template:
    spec:
      initContainers:
        - name: init
          image: registry.example.com/tools/init:1.0
      containers:
        - name: hub
          image: nginx:1.27.3
        - name: fork
          image: ghcr.io/example-fork/app:2
        - name: ours
          image: ghcr.io/example/app:2
        - name: lookalike
          image: registry.example.com.attacker.io/app:1
        - name: upper
          image: REGISTRY.EXAMPLE.COM/app:1
      ephemeralContainers:
        - name: debug
          image: busybox:1.36
"""


def registry_findings(tmp_path: Path, allowed: object) -> list[tuple[int, str]]:
    found = findings(
        tmp_path,
        REGISTRIES,
        ["image-registry-not-allowed"],
        params={"image-registry-not-allowed": {"allowed-registries": allowed}},
    )
    return [(line, message) for _, line, message in found]


def test_registries_are_matched_by_prefix_at_a_path_boundary(tmp_path: Path) -> None:
    found = registry_findings(tmp_path, ["registry.example.com", "ghcr.io/example/"])
    assert found == [
        (
            13,
            "container 'hub' pulls 'docker.io/library/nginx' (no registry written: Docker Hub), "
            "which no allowed-registries prefix covers",
        ),
        (
            15,
            "container 'fork' pulls 'ghcr.io/example-fork/app', which no allowed-registries "
            "prefix covers",
        ),
        (
            19,
            "container 'lookalike' pulls 'registry.example.com.attacker.io/app', which no "
            "allowed-registries prefix covers",
        ),
        (
            24,
            "ephemeral container 'debug' pulls 'docker.io/library/busybox' (no registry "
            "written: Docker Hub), which no allowed-registries prefix covers",
        ),
    ]


def test_docker_hub_official_images_can_be_allowed_by_their_full_name(tmp_path: Path) -> None:
    found = registry_findings(tmp_path, ["docker.io/library", "registry.example.com", "ghcr.io"])
    assert [line for line, _ in found] == [19]


def test_an_empty_list_allows_nothing_and_says_so(tmp_path: Path) -> None:
    report = lint_text(tmp_path, REGISTRIES, select=["image-registry-not-allowed"])
    assert [r.location.line for r in report.results] == [10, 13, 15, 17, 19, 21, 24]
    assert {r.hint for r in report.results} == {
        "allowed-registries is empty, so no registry is allowed: list the ones you trust"
    }


@pytest.mark.parametrize(
    ("settings", "args", "reported"),
    [
        ("", [], False),  # off by default: only the project knows its registries
        ("checks:\n  image-registry-not-allowed:\n    allowed-registries: [quay.io]\n", [], True),
        # An empty list configures nothing: still off unless selected.
        ("checks:\n  image-registry-not-allowed:\n    allowed-registries: []\n", [], False),
        # ignore wins, and an explicit select that leaves it out too.
        (
            "ignore: [image-registry-not-allowed]\n"
            "checks:\n  image-registry-not-allowed:\n    allowed-registries: [quay.io]\n",
            [],
            False,
        ),
        (
            "checks:\n  image-registry-not-allowed:\n    allowed-registries: [quay.io]\n",
            ["--select", "image-latest-tag"],
            False,
        ),
    ],
)
def test_listing_the_allowed_registries_turns_the_check_on(
    tmp_path: Path, settings: str, args: list[str], reported: bool
) -> None:
    (tmp_path / "pods.yaml").write_text(REGISTRIES)
    if settings:
        (tmp_path / ".kubelint.yaml").write_text(settings)
    result = run_process(["pods.yaml", "--format", "json", *args], cwd=tmp_path)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    checks = {f["check"] for f in json.loads(result.stdout)["findings"]}
    assert ("image-registry-not-allowed" in checks) is reported


def test_entries_of_the_wrong_type_are_ignored_not_a_crash(tmp_path: Path) -> None:
    # The configuration schema refuses these; an API caller that skips it must not crash.
    assert [line for line, _ in registry_findings(tmp_path, [7, None, "ghcr.io"])] == [
        10,
        13,
        19,
        21,
        24,
    ]
    assert len(registry_findings(tmp_path, "ghcr.io")) == 7


def test_configuration_refuses_a_prefix_that_is_not_a_list(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text(
        "checks:\n  image-registry-not-allowed:\n    allowed-registries: registry.example.com\n"
    )
    (tmp_path / "pod.yaml").write_text(POD)
    result = run_process(["pod.yaml"], cwd=tmp_path)
    assert result.returncode == 2
    assert ".kubelint.yaml:3:" in result.stderr and "allowed-registries" in result.stderr


def test_configured_list_applies_through_the_cli(tmp_path: Path) -> None:
    (tmp_path / ".kubelint.yaml").write_text(
        "select: [image-registry-not-allowed]\n"
        "checks:\n  image-registry-not-allowed:\n    allowed-registries: [docker.io/library]\n"
    )
    (tmp_path / "pod.yaml").write_text(REGISTRIES)
    result = run_process(["pod.yaml"], cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [
        line.split(":")[1] for line in result.stdout.splitlines() if line.startswith("pod.yaml:")
    ]
    assert lines == ["10", "15", "17", "19", "21"]


def test_pull_policy_names_the_default_or_the_written_policy(tmp_path: Path) -> None:
    text = POD.replace(
        "      image: nginx:1.27.3\n",
        "      image: nginx:1.27.3\n      imagePullPolicy: Never\n",
        1,
    )
    assert findings(tmp_path, text, ["image-pull-policy"]) == [
        (
            "image-pull-policy",
            13,
            "container 'tagged' names a mutable tag with imagePullPolicy: Never, so a node may run an old copy",
        ),
    ]
    assert findings(tmp_path, POD, ["image-pull-policy"]) == [
        (
            "image-pull-policy",
            12,
            "container 'tagged' names a mutable tag without imagePullPolicy: it defaults to IfNotPresent, so a node may run an old copy",
        ),
    ]
