"""The image checks together: one finding per problem, messages, options."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import lint_text

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


def test_not_pinned_is_off_and_latest_tag_on_by_default(tmp_path: Path) -> None:
    found = findings(tmp_path, POD, [])
    images = [(check, line) for check, line, _ in found if check.startswith("image-")]
    assert images == [("image-latest-tag", 8), ("image-latest-tag", 10)]
