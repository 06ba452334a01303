"""Image references read the way container runtimes read them.

A reference is ``[registry/]path[:tag][@digest]``. The runtime decides what the first
path component is before anything else: it names a registry host when it holds a ``.``
or a ``:`` (a port), is ``localhost``, or has a capital letter (repository paths are
lower case); otherwise the image comes from Docker Hub (``docker.io``), and a one-part
Docker Hub name sits under ``library/``. The tag follows the last ``:`` of what remains
after the host, so ``localhost:5000/app`` has a port and no tag. A reference without a tag
or digest is pulled as ``latest``; with a digest the tag is ignored for the pull.

A reference that holds a template placeholder (``${IMAGE}``, ``{{ .Values.image }}``) is
filled in by some tool before it reaches a cluster, and one that breaks the grammar never
pulls: neither is judged by the image checks (:func:`parse` returns None).

See https://kubernetes.io/docs/concepts/containers/images/#image-names
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kubelint.k8s.workloads import workload_containers
from kubelint.model import K8sObject, KeyPath

#: Where an image without a registry host comes from, and the folder of its one-part names.
DEFAULT_REGISTRY = "docker.io"
OFFICIAL_NAMESPACE = "library"
#: Host names that mean Docker Hub too (the runtimes rewrite them to docker.io).
_DOCKER_HUB_ALIASES = frozenset({"index.docker.io"})
#: The grammar caps a name (host and path) at this many characters.
MAX_NAME_LENGTH = 255

_HOST_PART = r"(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])"
_HOST = re.compile(rf"(?:{_HOST_PART}(?:\.{_HOST_PART})*|\[[0-9A-Fa-f:]+\])(?::[0-9]+)?")
_PATH_PART = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
#: Digest algorithms the runtimes verify, with the length of their lower-case hex.
_DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
_HEX = re.compile(r"[0-9a-f]+")
#: What a templating tool leaves in a value it has yet to fill in.
_PLACEHOLDER = re.compile(r"\$|\{\{|\}\}")


@dataclass(frozen=True)
class ImageRef:
    """One parsed image reference, normalised as the runtime pulls it."""

    #: Registry host, lower case, with its port (``docker.io`` when none was written).
    registry: str
    #: Repository path inside the registry (``library/nginx`` for ``nginx``).
    repository: str
    tag: str | None
    #: ``algorithm:hex`` when the reference names a digest.
    digest: str | None
    #: Whether the reference wrote its registry host rather than relying on the default.
    explicit_registry: bool

    @property
    def name(self) -> str:
        """Registry host and repository: what ``allowed-registries`` prefixes are matched on."""
        return f"{self.registry}/{self.repository}"

    @property
    def pinned(self) -> bool:
        """The reference names the content itself (a digest), so it cannot change."""
        return self.digest is not None

    @property
    def pulled_tag(self) -> str | None:
        """The tag the runtime resolves: the written one, ``latest`` when none; None if pinned."""
        if self.digest is not None:
            return None
        return self.tag if self.tag is not None else "latest"


def templated(value: str) -> bool:
    """Whether a reference still holds a placeholder for some tool to fill in."""
    return _PLACEHOLDER.search(value) is not None


def _split_host(remainder: str) -> tuple[str | None, str]:
    """The registry host the reference writes (None for the default) and the path after it."""
    first, slash, rest = remainder.partition("/")
    if not slash:
        return None, remainder
    if "." in first or ":" in first or first == "localhost" or first != first.lower():
        return first, rest
    return None, remainder


def _valid_digest(digest: str) -> bool:
    algorithm, colon, encoded = digest.partition(":")
    length = _DIGEST_LENGTHS.get(algorithm)
    return bool(colon) and length == len(encoded) and _HEX.fullmatch(encoded) is not None


def parse(value: Any) -> ImageRef | None:
    """The reference an ``image`` field names, or None when it cannot be judged.

    None for anything but a non-empty string, for a templated value and for a value that
    breaks the reference grammar (the pull would fail; no image check can say more).
    """
    if not isinstance(value, str) or not value or templated(value):
        return None
    remainder, at, digest = value.partition("@")
    if at and not _valid_digest(digest):
        return None
    host, path = _split_host(remainder)
    tag: str | None = None
    if ":" in path:
        path, _, tag = path.rpartition(":")
        if not _TAG.fullmatch(tag):
            return None
    if host is not None and not _HOST.fullmatch(host):
        return None
    parts = path.split("/")
    if not all(_PATH_PART.fullmatch(part) for part in parts):
        return None
    if len(remainder) - (len(tag) + 1 if tag is not None else 0) > MAX_NAME_LENGTH:
        return None
    registry = DEFAULT_REGISTRY if host is None else host.lower()
    if registry in _DOCKER_HUB_ALIASES:
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and len(parts) == 1:
        path = f"{OFFICIAL_NAMESPACE}/{path}"
    return ImageRef(registry, path, tag, digest if at else None, host is not None)


def matches_prefix(ref: ImageRef, prefix: str) -> bool:
    """Whether ``prefix`` (a registry host, optionally with a path) covers the image.

    Prefixes end at a path boundary: ``registry.example.com`` covers
    ``registry.example.com/app`` but not ``registry.example.com.evil.io/app``, and
    ``ghcr.io/team`` does not cover ``ghcr.io/teammate/app``. The host is compared without
    regard to case, as DNS does.
    """
    prefix = prefix.strip().rstrip("/")
    if not prefix:
        return False
    host, slash, path = prefix.partition("/")
    host = host.lower()
    if host in _DOCKER_HUB_ALIASES:
        host = DEFAULT_REGISTRY
    wanted = f"{host}/{path}" if slash else host
    return ref.name == wanted or ref.name.startswith(wanted + "/")


def container_images(obj: K8sObject) -> Iterator[tuple[KeyPath, dict[str, Any], ImageRef]]:
    """Every container of a workload (init, regular, ephemeral) whose image can be judged.

    Yields the container's key path, the container and its parsed reference; containers
    without an image, or with one that is templated or malformed, are left out.
    """
    for path, container in workload_containers(obj):
        ref = parse(container.get("image"))
        if ref is not None:
            yield path, container, ref
