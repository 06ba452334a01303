"""Which fields of a Helm template come from ``.Values``, read from the template's text.

kubelint renders nothing: it follows the template's YAML structure line by line (keys by
their indentation, list items by their dash) and notes where a value is an action that
reads ``.Values`` — a scalar (``privileged: {{ .Values.privileged }}``) or a whole block
(``securityContext:`` over ``{{- toYaml .Values.securityContext | nindent 12 }}``, also
through ``{{- with .Values.x }}`` and ``toYaml .``). Anything it cannot follow (keys
written by actions, ranges over values, included helpers) simply yields no reference: a
suggestion is left out, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

#: A template path: keys, and list items numbered as they appear in the template.
TemplatePath = tuple[str | int, ...]

_ACTION = re.compile(r"\{\{-?(.*?)-?\}\}")
_KEY_LINE = re.compile(
    r"(?P<indent> *)(?P<dash>-[ ]+)?(?P<key>[A-Za-z0-9_.\-/]+|\"[^\"{}]*\"|'[^'{}]*'):"
    r"(?:[ \t]+(?P<rest>.*?))?[ \t]*$"
)
_DASH_ONLY = re.compile(r"(?P<indent> *)-(?:[ \t]+(?P<rest>.*?))?[ \t]*$")
_BLOCK_SCALAR = re.compile(r"[|>][-+0-9]*[ \t]*(?:#.*)?$")
_DOT_PATH = re.compile(r"(?<![\w)\]])(\$?)(\.[A-Za-z_][A-Za-z0-9_]*)*(?:\.(?![A-Za-z_]))?")
_INDENT = re.compile(r"\bn?indent\s+(\d+)")
_OPENERS = ("with", "range", "if", "define", "block")
#: Actions whose output is not the value they name (a helper, a template string).
_NOT_A_VALUE = re.compile(r"\b(?:include|template|tpl|printf|lookup|required)\b")


@dataclass(frozen=True)
class ValueRef:
    """A field of the template whose value is read from ``.Values``."""

    path: TemplatePath
    values: tuple[str, ...]
    #: A whole block (``toYaml``): the keys under ``path`` are those under ``values``.
    whole: bool
    line: int


@dataclass
class TemplateDocument:
    """One document of a template: its kind (when written literally) and what it reads."""

    kind: str | None = None
    refs: list[ValueRef] = field(default_factory=list)
    #: The line of each key written in the template.
    lines: dict[TemplatePath, int] = field(default_factory=dict)
    #: How many items each list has in the template.
    items: dict[TemplatePath, int] = field(default_factory=dict)

    def match(self, path: tuple[str | int, ...]) -> tuple[ValueRef, tuple[str | int, ...]] | None:
        """The reference whose field holds ``path`` of a rendered object (the deepest),
        with the rest of ``path`` below it."""
        best: tuple[ValueRef, tuple[str | int, ...]] | None = None
        for ref in self.refs:
            if len(ref.path) <= len(path) and self._same(ref.path, path):
                if best is None or len(ref.path) > len(best[0].path):
                    best = (ref, path[len(ref.path) :])
        return best

    def written_at(self, path: tuple[str | int, ...]) -> tuple[TemplatePath, int] | None:
        """The deepest key of ``path`` written in the template, and its line."""
        for end in range(len(path), 0, -1):
            for written, line in self.lines.items():
                if len(written) == end and self._same(written, path):
                    return written, line
        return None

    def _same(self, template: TemplatePath, rendered: tuple[str | int, ...]) -> bool:
        for depth, part in enumerate(template):
            other = rendered[depth]
            if isinstance(part, int):
                # A list with one item in the template (often a range) renders every item
                # from it; with several, the n-th item renders the n-th.
                if not isinstance(other, int):
                    return False
                if self.items.get(template[:depth], 0) > 1 and other != part:
                    return False
            elif part != other:
                return False
        return True


@dataclass
class _Frame:
    column: int
    part: str | int


@dataclass
class _Reader:
    """The state of one pass over a template's lines."""

    documents: list[TemplateDocument] = field(default_factory=lambda: [TemplateDocument()])
    stack: list[_Frame] = field(default_factory=list)
    #: The ``.`` of each open action block: a values path, () for the root, None unknown.
    scopes: list[tuple[str, ...] | None] = field(default_factory=lambda: [()])
    #: Lines deeper than this belong to a block scalar.
    block_scalar: int | None = None

    @property
    def document(self) -> TemplateDocument:
        return self.documents[-1]

    def path(self) -> TemplatePath:
        return tuple(frame.part for frame in self.stack)


def read_template(text: str) -> list[TemplateDocument]:
    """The documents of a template with the fields each reads from ``.Values``."""
    reader = _Reader()
    for number, line in enumerate(text.splitlines(), start=1):
        _line(reader, line.rstrip("\r"), number)
    return [doc for doc in reader.documents if doc.lines or doc.refs]


def _line(reader: _Reader, line: str, number: int) -> None:
    indent = len(line) - len(line.lstrip(" "))
    if reader.block_scalar is not None:
        if not line.strip() or indent > reader.block_scalar:
            return
        reader.block_scalar = None
    if line.startswith("---"):
        reader.documents.append(TemplateDocument())
        reader.stack.clear()
        return
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return
    if stripped.startswith("{{") and not _ACTION.sub("", stripped).strip():
        _action_line(reader, line, indent, number)
        return
    key = _KEY_LINE.fullmatch(line)
    if key is not None:
        _key_line(reader, key, number)
    elif (dash := _DASH_ONLY.fullmatch(line)) is not None:
        _item(reader, len(dash.group("indent")))
        if _BLOCK_SCALAR.match(dash.group("rest") or ""):
            reader.block_scalar = len(dash.group("indent"))
    for body in _bodies(line):
        _open_or_close(reader, body)


def _action_line(reader: _Reader, line: str, indent: int, number: int) -> None:
    """A line of actions only: block openings and ends, and ``toYaml`` into the key above."""
    for body in _bodies(line):
        if _open_or_close(reader, body):
            continue
        values = _values_read(reader, body)
        if values is None or "toYaml" not in body:
            continue
        found = _INDENT.search(body)
        column = int(found.group(1)) if found else indent
        owners = [i for i, frame in enumerate(reader.stack) if frame.column < column]
        if owners and isinstance(reader.stack[owners[-1]].part, str):
            path = reader.path()[: owners[-1] + 1]
            reader.document.refs.append(ValueRef(path, values, True, number))


def _key_line(reader: _Reader, key: re.Match[str], number: int) -> None:
    column = len(key.group("indent"))
    if key.group("dash"):
        _item(reader, column)
        column += len(key.group("dash"))
    while reader.stack and reader.stack[-1].column >= column:
        reader.stack.pop()
    name = key.group("key").strip("\"'")
    reader.stack.append(_Frame(column, name))
    path = reader.path()
    reader.document.lines.setdefault(path, number)
    rest = key.group("rest") or ""
    if len(path) == 1 and name == "kind" and "{{" not in rest:
        reader.document.kind = rest.strip("\"' ") or None
    if _BLOCK_SCALAR.match(rest):
        reader.block_scalar = column
    bodies = list(_bodies(rest))
    if len(bodies) == 1 and rest.strip().strip("\"'").startswith("{{"):
        values = _values_read(reader, bodies[0])
        if values is not None:
            whole = "toYaml" in bodies[0]
            reader.document.refs.append(ValueRef(path, values, whole, number))


def _item(reader: _Reader, column: int) -> None:
    """A dash at ``column``: the next item of the list there."""
    index = 0
    while reader.stack and (
        reader.stack[-1].column > column
        or (reader.stack[-1].column == column and isinstance(reader.stack[-1].part, int))
    ):
        frame = reader.stack.pop()
        if frame.column == column and isinstance(frame.part, int):
            index = frame.part + 1
    reader.stack.append(_Frame(column, index))
    parent = reader.path()[:-1]
    reader.document.items[parent] = max(reader.document.items.get(parent, 0), index + 1)


def _bodies(text: str) -> Iterator[str]:
    for found in _ACTION.finditer(text):
        body = found.group(1).strip()
        if not body.startswith("/*"):
            yield body


def _open_or_close(reader: _Reader, body: str) -> bool:
    """Follow ``with``/``range``/``if``... and ``end``; True when ``body`` is one."""
    word = body.split(None, 1)[0] if body else ""
    if word == "end":
        if len(reader.scopes) > 1:
            reader.scopes.pop()
        return True
    if word == "else":
        return True
    if word not in _OPENERS:
        return False
    if word == "with":
        reader.scopes.append(_values_read(reader, body[4:]))
    elif word == "range" or word == "define":
        reader.scopes.append(None)
    else:
        reader.scopes.append(reader.scopes[-1])
    return True


def _values_read(reader: _Reader, body: str) -> tuple[str, ...] | None:
    """The ``.Values`` path the one value of an action reads, or None."""
    if _NOT_A_VALUE.search(body):
        return None
    found = [m for m in _DOT_PATH.finditer(body) if m.group(0) not in ("", "$")]
    if len(found) != 1:
        return None
    text = found[0].group(0)
    absolute = text.startswith("$")
    parts = tuple(part for part in text.lstrip("$").split(".") if part)
    scope = () if absolute else reader.scopes[-1]
    if scope is None:
        return None
    if scope == ():
        return parts[1:] if len(parts) > 1 and parts[0] == "Values" else None
    return scope + parts
