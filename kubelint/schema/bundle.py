"""The bundled schemas of the built-in kinds (schemas/kubernetes/, shipped in the package)."""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

_FILE_RE = re.compile(r"^v1\.(\d+)\.json\.gz$")


@lru_cache(maxsize=1)
def schemas_dir() -> Path:
    """Where the bundle is: inside the installed package, or in a source checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (
        here.parent / "_schemas" / "kubernetes",
        here.parent.parent / "schemas" / "kubernetes",
    ):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("kubelint's Kubernetes schemas are missing from this installation")


@lru_cache(maxsize=1)
def versions() -> tuple[int, ...]:
    """Minor versions with a bundled schema, oldest first."""
    found = [int(m.group(1)) for p in schemas_dir().iterdir() if (m := _FILE_RE.match(p.name))]
    return tuple(sorted(found))


def nearest(minor: int) -> int:
    """The bundled version used for ``minor`` (the closest one; newer ones clamp down)."""
    available = versions()
    if minor in available:
        return minor
    older = [v for v in available if v <= minor]
    return older[-1] if older else available[0]


@lru_cache(maxsize=1)
def api_index() -> dict[str, dict[str, list[list[int]]]]:
    """apiVersion -> kind -> ranges of bundled minor versions that serve it."""
    index: dict[str, dict[str, list[list[int]]]] = json.loads(
        (schemas_dir() / "apis.json").read_text(encoding="utf-8")
    )
    return index


@dataclass
class Bundle:
    """The bundled schemas: definitions by kind and version, and what each refers to."""

    version: int
    kinds: dict[str, dict[str, str]]
    closure: dict[str, list[str]]
    defs: dict[str, Any]

    def definition(self, api_version: str, kind: str) -> str | None:
        return self.kinds.get(api_version, {}).get(kind)

    def reachable(self, name: str) -> list[str]:
        """The definitions a kind refers to, directly or not (itself included).

        Computed when the bundle is built (scripts/build_schemas.py) for every kind.
        """
        return self.closure[name]


@cache
def load_bundle(minor: int) -> Bundle:
    version = nearest(minor)
    raw = gzip.decompress((schemas_dir() / f"v1.{version}.json.gz").read_bytes())
    data = json.loads(raw)
    return Bundle(version, data["kinds"], data["closure"], data["defs"])
