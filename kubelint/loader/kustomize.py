"""Which files are kustomize patches: partial objects, not whole ones.

A kustomize overlay lists files under ``patches`` (``- path: replicas.yaml``) or
``patchesStrategicMerge`` that hold only the fields they change: a Deployment patch with
just ``spec.replicas`` is no Deployment without a selector. kubelint still lints such a
file (a patch that adds ``privileged: true`` is reported), but not for what it leaves out.

Kustomizations are tool configuration and never linted themselves; here they are only
read, within a size budget, for the paths they name.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kubelint.loader.source import DecodeError, decode

#: The only file names kustomize reads as a kustomization.
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
#: A kustomization larger than this is not read for patches (they are small files).
MAX_KUSTOMIZATION_BYTES = 1024 * 1024


def is_kustomization(path: str) -> bool:
    # endswith first: asked of every file of a repository on every commit
    return path.endswith(KUSTOMIZATION_NAMES) and os.path.basename(path) in KUSTOMIZATION_NAMES


def beside(files: Iterable[Path]) -> Iterator[Path]:
    """The kustomizations in the folders of ``files`` (a patch usually sits beside its own)."""
    for folder in sorted({os.path.dirname(os.path.abspath(f)) for f in files}):
        for name in KUSTOMIZATION_NAMES:
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate):  # three looks per folder: no Path until found
                yield Path(candidate)


def _named_paths(data: Any) -> Iterator[str]:
    """Patch file paths a kustomization names (inline patches have none)."""
    if not isinstance(data, dict):
        return
    patches = data.get("patches")
    if isinstance(patches, list):
        for entry in patches:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                yield entry["path"]
    merges = data.get("patchesStrategicMerge")
    if isinstance(merges, list):
        # An entry is a path, or an inline patch (a YAML text with a newline in it).
        yield from (m for m in merges if isinstance(m, str) and "\n" not in m)


def patch_files(kustomizations: Iterable[Path]) -> frozenset[str]:
    """Absolute paths of the patch files that these kustomizations name."""
    found: set[str] = set()
    for path in kustomizations:
        try:
            if path.stat().st_size > MAX_KUSTOMIZATION_BYTES:
                continue
            raw = path.read_bytes()
        except OSError:
            continue  # a kustomization that cannot be read names no patch
        found.update(named_patches(os.path.abspath(path), raw))
    return frozenset(found)


def named_patches(path: str, raw: bytes) -> set[str]:
    """Absolute paths of the patch files that the kustomization at ``path`` (absolute),
    holding ``raw``, names."""
    # Imported at the first kustomization: a run without one loads no PyYAML.
    from kubelint.loader.yamlparse import ParseError, parse_documents

    if len(raw) > MAX_KUSTOMIZATION_BYTES:
        return set()
    try:
        documents = [document[1] for document in parse_documents(decode(raw), path)]
    except (DecodeError, ParseError):
        return set()  # a broken kustomization names no patch; kustomize itself will say why
    folder = os.path.dirname(path)
    return {
        os.path.normpath(os.path.join(folder, name))
        for data in documents
        for name in _named_paths(data)
    }
