"""Image references are read as the container runtimes read them."""

from __future__ import annotations

from typing import Any

import pytest

from kubelint.checks.images.references import matches_prefix, parse, templated

DIGEST = "sha256:" + "0123456789abcdef" * 4


@pytest.mark.parametrize(
    ("text", "registry", "repository", "tag", "digest"),
    [
        ("nginx", "docker.io", "library/nginx", None, None),
        ("nginx:1.27", "docker.io", "library/nginx", "1.27", None),
        ("bitnami/redis:7.2", "docker.io", "bitnami/redis", "7.2", None),
        ("docker.io/nginx", "docker.io", "library/nginx", None, None),
        ("index.docker.io/library/nginx:1", "docker.io", "library/nginx", "1", None),
        # A port makes the first component a registry host, and is no tag.
        ("localhost:5000/app", "localhost:5000", "app", None, None),
        ("localhost/app:2", "localhost", "app", "2", None),
        # Without a slash there is no host: the runtime reads 5000 as the tag.
        ("localhost:5000", "docker.io", "library/localhost", "5000", None),
        ("registry:5000/a/b:1.2@" + DIGEST, "registry:5000", "a/b", "1.2", DIGEST),
        (
            "registry.example.com/team/app@" + DIGEST,
            "registry.example.com",
            "team/app",
            None,
            DIGEST,
        ),
        ("Registry.Example.COM/app", "registry.example.com", "app", None, None),
        # A capital letter makes it a host: repository paths are lower case.
        ("MyHost/app", "myhost", "app", None, None),
        ("[::1]:5000/app:v1", "[::1]:5000", "app", "v1", None),
        ("quay.io/a/b/c/d:v1_2-3.4", "quay.io", "a/b/c/d", "v1_2-3.4", None),
        ("ghcr.io/o/my__image-x.y", "ghcr.io", "o/my__image-x.y", None, None),
    ],
)
def test_references_are_split_as_the_runtime_does(
    text: str, registry: str, repository: str, tag: str | None, digest: str | None
) -> None:
    ref = parse(text)
    assert ref is not None
    assert (ref.registry, ref.repository, ref.tag, ref.digest) == (
        registry,
        repository,
        tag,
        digest,
    )


@pytest.mark.parametrize(
    ("text", "explicit"),
    [("nginx", False), ("team/app", False), ("docker.io/nginx", True), ("localhost/app", True)],
)
def test_an_explicit_registry_is_told_from_the_default(text: str, explicit: bool) -> None:
    ref = parse(text)
    assert ref is not None
    assert ref.explicit_registry is explicit


@pytest.mark.parametrize(
    "value",
    [
        # Not a string, or empty.
        None,
        "",
        5000,
        1.5,
        True,
        ["nginx"],
        {"repository": "nginx"},
        # Templated: filled in by some tool later.
        "${IMAGE}",
        "$IMAGE",
        "$(params.image)",
        "{{ .Values.image }}",
        "registry.example.com/{{ .Values.name }}:1.0",
        "nginx:{{ .Chart.AppVersion }}",
        # Breaks the grammar: the pull would fail.
        ":latest",
        "nginx:",
        "@" + DIGEST,
        "nginx@sha256:abc",
        "nginx@md5:" + "0" * 32,
        "nginx@sha256:" + "A" * 64,
        "Nginx",
        "team/Nginx",
        " nginx",
        "nginx ",
        "nginx/",
        "/nginx",
        "a//b",
        "nginx:" + "x" * 129,
        "nginx:-dash",
        "ko://github.com/example/cmd/app",
        "host:port/app",
        "registry.example.com/" + "a" * 256,
    ],
)
def test_unjudgeable_references_give_none(value: Any) -> None:
    assert parse(value) is None


def test_placeholders_are_recognised() -> None:
    assert templated("${IMAGE}") and templated("{{ x }}") and templated("$(x)")
    assert not templated("nginx:1.27")


@pytest.mark.parametrize(
    ("text", "pinned", "pulled"),
    [
        ("nginx", False, "latest"),
        ("nginx:latest", False, "latest"),
        ("nginx:1.27", False, "1.27"),
        ("nginx@" + DIGEST, True, None),
        ("nginx:latest@" + DIGEST, True, None),
        ("nginx:1.27@" + DIGEST, True, None),
    ],
)
def test_pinning_and_the_tag_that_is_pulled(text: str, pinned: bool, pulled: str | None) -> None:
    ref = parse(text)
    assert ref is not None
    assert (ref.pinned, ref.pulled_tag) == (pinned, pulled)


@pytest.mark.parametrize(
    ("image", "prefix", "covered"),
    [
        ("registry.example.com/app:1", "registry.example.com", True),
        ("registry.example.com/app:1", "registry.example.com/", True),
        ("registry.example.com/app:1", "REGISTRY.example.com", True),
        ("registry.example.com/app:1", "registry.example.com/app", True),
        ("registry.example.com.evil.io/app:1", "registry.example.com", False),
        ("ghcr.io/teammate/app:1", "ghcr.io/team", False),
        ("ghcr.io/team/app:1", "ghcr.io/team", True),
        ("nginx:1.27", "docker.io", True),
        ("nginx:1.27", "docker.io/library", True),
        ("nginx:1.27", "index.docker.io/library/", True),
        ("bitnami/redis:7", "docker.io/library", False),
        ("localhost:5000/app", "localhost", False),
        ("localhost:5000/app", "localhost:5000", True),
        ("nginx:1.27", "", False),
        ("nginx:1.27", "  /", False),
    ],
)
def test_prefixes_end_at_a_path_boundary(image: str, prefix: str, covered: bool) -> None:
    ref = parse(image)
    assert ref is not None
    assert matches_prefix(ref, prefix) is covered
