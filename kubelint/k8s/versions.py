"""Kubernetes versions as kubelint takes them: ``1.N`` (or ``latest``) as the minor N."""

from __future__ import annotations

import re

#: The newest policy version kubelint knows (the reference fixtures cover 1.0 to 1.37);
#: ``latest`` and newer versions mean this one, as in the API server.
NEWEST_VERSION = 37
_VERSION_RE = re.compile(r"^v?1\.(0|[1-9][0-9]*)$")


class VersionError(ValueError):
    pass


def parse_version(text: str) -> int:
    """A policy version (``1.30``, ``v1.30`` or ``latest``) as its minor number.

    Versions newer than the newest known one are clamped to it, as the API server does.
    """
    value = str(text).strip()
    if value == "latest":
        return NEWEST_VERSION
    match = _VERSION_RE.match(value)
    if not match:
        raise VersionError(
            f"invalid Kubernetes version '{text}': use 1.N (for example 1.30) or 'latest'"
        )
    digits = match.group(1)
    # Past a few digits the minor is newer than any release: clamp it without converting
    # (Python refuses to convert integers of over 4,300 digits).
    return NEWEST_VERSION if len(digits) > 4 else min(int(digits), NEWEST_VERSION)


def format_version(minor: int) -> str:
    return f"v1.{minor}"
