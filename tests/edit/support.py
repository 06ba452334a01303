"""Helpers of the editing engine's tests: load a text, apply edits to its objects."""

from __future__ import annotations

from collections.abc import Sequence

from kubelint.edit import Applied, apply
from kubelint.loader.documents import load_source
from kubelint.model import Edit, Fix, K8sObject


def objects_of(text: str) -> list[K8sObject]:
    """The objects kubelint loads from ``text`` (which must load without errors)."""
    body = text[1:] if text.startswith("\ufeff") else text
    loaded = load_source("m.yaml", body.encode("utf-8"))
    assert not loaded.errors, loaded.errors
    return loaded.objects


def edit(text: str, *edits: Edit, index: int = 0) -> Applied:
    """``edits`` as one fix of the ``index``-th object of ``text``."""
    objects = objects_of(text)
    return apply(text, objects, [(objects[index], Fix("fix", edits))])


def edit_each(text: str, fixes: Sequence[tuple[int, Sequence[Edit]]]) -> Applied:
    """One fix per ``(object index, edits)``."""
    objects = objects_of(text)
    return apply(
        text, objects, [(objects[i], Fix(f"fix {n}", tuple(e))) for n, (i, e) in enumerate(fixes)]
    )


def reasons(applied: Applied) -> list[str]:
    return [reason for _, reason in applied.refused]
