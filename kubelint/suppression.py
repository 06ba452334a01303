"""Suppressions: the ``kubelint.io/ignore`` annotation and ``# kubelint: ignore=`` comments."""

from __future__ import annotations

from typing import Any

from kubelint.k8s.workloads import get
from kubelint.model import KeyPath

ANNOTATION = "kubelint.io/ignore"


def annotation_ids(data: Any, metadata_path: KeyPath) -> tuple[str, ...]:
    """Ids listed in the ignore annotation of the metadata at ``metadata_path``."""
    value = get(data, metadata_path + ("annotations", ANNOTATION))
    if not isinstance(value, str):
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())
