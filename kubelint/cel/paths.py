"""Where a CEL expression looks in the object it judges: the spot a finding points at.

Shared by the checks that evaluate CEL against a manifest (admission policies, custom
checks): a failed expression is reported at the field it reads first from ``object``, so a
user lands on the part of the manifest the rule is about.
"""

from __future__ import annotations

import re

from kubelint.model import KeyPath

#: ``object.a.b[0].?c``: the fields an expression reads from the object, up to the first
#: call (``.all(``, ``.exists(``) or anything else.
_STEP = re.compile(r"\.\??([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()|\[(\d+)\]")


def expression_path(source: str) -> KeyPath:
    """The key path of the field an expression reads first from ``object`` (its nearest
    existing parent is reported), else the object's ``kind:`` line."""
    start = source.find("object")
    while start != -1:
        if start == 0 or not (source[start - 1].isalnum() or source[start - 1] in "_."):
            path = _steps(source, start + len("object"))
            if path:
                return path
        start = source.find("object", start + 1)
    return ("kind",)


def _steps(source: str, at: int) -> KeyPath:
    path: list[str | int] = []
    while True:
        match = _STEP.match(source, at)
        if match is None:
            return tuple(path)
        path.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        at = match.end()
