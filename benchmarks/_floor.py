"""The fair parse floor, shared by run.py and instructions.py.

The least a line-aware linter must do with its input: libyaml composing every document
through PyYAML's C composer (a line/column mark on every node), plain Python data built
from the nodes, and a line map of each file (offsets where lines start). Everything is
kept, as kubelint keeps it until it exits; the caller disables the cyclic GC and times no
teardown.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode

from kubelint.loader.discovery import walk


def plain(node: Any) -> Any:
    """Plain data of a node: scalars as text, mappings as dicts, sequences as lists."""
    if type(node) is ScalarNode:
        return node.value
    if type(node) is MappingNode:
        return {plain(key): plain(value) for key, value in node.value}
    return [plain(item) for item in node.value]


def line_map(text: str) -> list[int]:
    starts = [0]
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(pos + 1)
        pos = find("\n", pos + 1)
    return starts


def floor(files: list[Path]) -> list[object]:
    """Read, compose, convert and line-map every file; all of it is returned (kept)."""
    kept: list[object] = []
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8-sig")
            nodes = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        kept.append((nodes, [plain(node) for node in nodes if node is not None], line_map(text)))
    return kept


def copies(corpus: Path, count: int, into: Path) -> Path:
    """A folder holding ``count`` copies of ``corpus`` (the corpus itself for one)."""
    if count == 1:
        return corpus
    for index in range(count):
        shutil.copytree(corpus, into / f"copy{index}")
    return into


def files_of(folder: Path) -> list[Path]:
    return list(walk(folder))
