"""Values written as YAML text: scalars that read back as themselves, block and flow shapes.

Every scalar is checked by reading it back the way the cluster does (kubelint's loader,
go-yaml's YAML 1.1 rules) and the way PyYAML's YAML 1.1 resolver does: a string either
would read as something else (``yes``, ``1.0``, ``~``, a timestamp) is double-quoted.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from kubelint.loader.yamlparse import ParseError, parse_documents

#: Strings that may be written plain in block and flow context alike: no indicator
#: character first (a ``-`` only before a non-blank), no ``: `` or `` #`` inside, no flow
#: indicators, no trailing blank.
_PLAIN_RE = re.compile(r"(?:[A-Za-z0-9_/.]|-(?! ))[A-Za-z0-9_/.@+=:-]*(?: [A-Za-z0-9_/.@+=:-]+)*")
#: Characters a double-quoted scalar may hold as they are (YAML's printable set minus the
#: line breaks libyaml honours and the byte order mark).
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


@dataclass(frozen=True)
class Style:
    """How a file indents: spaces per nesting level, how far a block sequence sits right
    of its key (0 when the dashes line up with the key), and its line break."""

    step: int = 2
    seq_offset: int = 2
    newline: str = "\n"
    #: The document is JSON (a flow mapping with double-quoted keys): new flow text is too.
    json: bool = False


def render_scalar(value: Any, flow: bool = False) -> str:
    """``value`` (None, bool, int, float or str) as a YAML scalar that reads back as it.

    Booleans are written lower-case, integers as integers, and a string is left plain
    only when it reads back as the same string (``flow``: inside ``{}`` or ``[]``, where a
    ``:`` may not stand plain either).
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if isinstance(value, str):
        if _plain_ok(value) and not (flow and ":" in value):
            return value
        return _quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} as a YAML scalar")


@lru_cache(maxsize=4096)
def _plain_ok(text: str) -> bool:
    if not _PLAIN_RE.fullmatch(text) or ": " in text or text.endswith(":"):
        return False
    try:
        ours = [data for _, data, *_ in parse_documents(f"k: {text}\n", "")]
        theirs = yaml.safe_load(text)
    except (ParseError, yaml.YAMLError):
        return False
    return ours == [{"k": text}] and theirs == text


def _quoted(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif char.isprintable() and char not in "\x85\u2028\u2029\ufeff":
            out.append(char)
        elif ord(char) < 0x100:
            out.append(f"\\x{ord(char):02x}")
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(f"\\U{ord(char):08x}")
    return '"' + "".join(out) + '"'


def is_collection(value: Any) -> bool:
    """A non-empty mapping or list (written in block style; empty ones are ``{}``/``[]``)."""
    return isinstance(value, (dict, list)) and bool(value)


def flow(value: Any, as_json: bool = False) -> str:
    """``value`` in flow style: ``{a: 1, b: [x, y]}`` (``as_json``: ``{"a": 1}``)."""
    if as_json:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        inner = ", ".join(f"{render_scalar(k, True)}: {flow(v)}" for k, v in value.items())
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(item) for item in value) + "]"
    return render_scalar(value, True)


def inline(value: Any) -> str:
    """A scalar, or an empty mapping or list, as it stands after ``key: ``."""
    if isinstance(value, dict) and not value:
        return "{}"
    if isinstance(value, list) and not value:
        return "[]"
    return render_scalar(value)


def block_lines(value: Any, column: int, style: Style) -> list[str]:
    """A non-empty mapping or list in block style, each line indented to ``column`` (or
    deeper), without line breaks."""
    indent = " " * column
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = f"{indent}{render_scalar(key)}:"
            if isinstance(item, dict) and item:
                lines.append(head)
                lines.extend(block_lines(item, column + style.step, style))
            elif isinstance(item, list) and item:
                lines.append(head)
                lines.extend(block_lines(item, column + style.seq_offset, style))
            else:
                lines.append(f"{head} {inline(item)}")
        return lines
    for item in value:
        if is_collection(item):
            nested = block_lines(item, column + 2, style)
            nested[0] = f"{indent}- {nested[0][column + 2 :]}"
            lines.extend(nested)
        else:
            lines.append(f"{indent}- {inline(item)}")
    return lines
