"""The two converters of kubelint.loader.yamlparse read every text alike.

A text without ``&`` holds no anchor and so no alias; parse_documents reads it with the
alias-free converter, which counts nothing against the alias budgets. Everything else it
gives (data, duplicate-key and ambiguous-boolean offsets, unusual keys, merges, the depth
error) must be exactly what the budgeted converter gives, on every YAML and JSON file of
the test suite and on generated YAML.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import tests.test_properties  # noqa: F401  (loads the shared hypothesis profile)
from kubelint.loader import yamlparse
from kubelint.loader.yamlparse import (
    MAX_DEPTH,
    ParseError,
    _AliasFreeConverter,
    _Converter,
    _Loader,
    parse_documents,
)

HERE = Path(__file__).parent
FIXTURES = sorted(
    path
    for suffix in ("*.yaml", "*.yml", "*.json")
    for path in HERE.rglob(suffix)
    if path.is_file() and ".venv" not in path.parts
)


def _nodes(text: str) -> list[Any]:
    loader = _Loader(text)
    nodes = []
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is not None:
                nodes.append(node)
    except (yaml.YAMLError, RecursionError):
        pass  # the documents before a broken one are compared
    finally:
        loader.dispose()
    return nodes


def _outcome(converter_class: type[_Converter], node: Any) -> tuple[Any, ...]:
    converter = converter_class(node.end_mark.index - node.start_mark.index)
    try:
        data = converter.convert(node)
    except ParseError as exc:
        return ("error", exc.message, exc.line, exc.column)
    except RecursionError:
        return ("recursion",)
    # repr: the same values in the same key order, NaN equal to NaN.
    return (
        repr(data),
        converter.duplicates,
        converter.ambiguous,
        converter.unusual_keys,
        converter.merges,
    )


def _assert_alike(text: str) -> int:
    nodes = _nodes(text)
    for node in nodes:
        assert _outcome(_AliasFreeConverter, node) == _outcome(_Converter, node)
    return len(nodes)


def test_the_fixtures_are_found() -> None:
    assert len(FIXTURES) > 100


#: A text with '&' is always read by the budgeted converter: those are left out.
WITHOUT_ANCHORS = [path for path in FIXTURES if b"&" not in path.read_bytes()]


@pytest.mark.parametrize("path", WITHOUT_ANCHORS, ids=lambda p: str(p.relative_to(HERE)))
def test_both_converters_read_every_fixture_alike(path: Path) -> None:
    _assert_alike(path.read_bytes().decode("utf-8", "replace"))


def test_a_text_with_an_ampersand_is_read_with_the_budgets() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(6)
    )
    with pytest.raises(ParseError, match="billion laughs"):
        list(parse_documents(bomb, "bomb.yaml"))


def test_parse_documents_chooses_by_the_ampersand(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    for cls in (_Converter, _AliasFreeConverter):

        def spy(self: _Converter, written: int, cls: type[_Converter] = cls) -> None:
            used.append(cls.__name__)
            cls.__init__(self, written)

        monkeypatch.setattr(yamlparse, cls.__name__, type("Spy", (cls,), {"__init__": spy}))
    list(parse_documents("a: 1\n", "x.yaml"))
    list(parse_documents("a: x&y\n", "x.yaml"))
    assert used == ["_AliasFreeConverter", "_Converter"]


def test_the_depth_limit_holds_without_the_budgets() -> None:
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    (node,) = _nodes(deep)
    assert _outcome(_AliasFreeConverter, node)[:2] == ("error", _outcome(_Converter, node)[1])
    assert "nested more than" in _outcome(_AliasFreeConverter, node)[1]


_SCALARS = st.one_of(
    st.sampled_from(
        "y n Y N yes no on off true False null ~ 0x1F 0o17 017 1_000 1e3 .5 .inf -.Inf .nan "
        "1:30 2024-01-01 '' \"y\" 'n' "
        "9223372036854775808 -9223372036854775809 +1".split(" ")
        + ["!!str 1", "!!bool yes", "!!int 7", "! yes", "!!float 1", "!!bool y", "!!null ''"]
        + ["|\\nblock y", ">-\\nfolded\\nn", '"esc\\\\x41 \\\\u00e9"', "{a: 1, a: y}"]
    ),
    st.text("abcxyz019 .:/=@{}[]-_", min_size=1, max_size=8).map(
        lambda t: yaml.safe_dump(t)[:-1].removesuffix("\n...")
    ),
)
_KEYS = st.one_of(
    st.sampled_from("a b name kind y n 1 true null '<<' <<".split()),
    st.text("abc:=@ ", min_size=1, max_size=4).map(lambda t: '"' + t + '"'),
)


def _render(value: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(value, list):
        if not value:
            return " []\n"
        return "\n" + "".join(f"{pad}-{_render(item, indent + 2)}" for item in value)
    if isinstance(value, tuple):  # a mapping, possibly with duplicate keys
        if not value:
            return " {}\n"
        return "\n" + "".join(f"{pad}{key}:{_render(item, indent + 2)}" for key, item in value)
    return " " + value.replace("\\n", "\n" + pad + "  ") + "\n"


_TREES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.tuples(_KEYS, inner), max_size=5).map(tuple),
    ),
    max_leaves=25,
)


@settings(max_examples=int(os.environ.get("KUBELINT_FUZZ_EXAMPLES") or 200))
@given(st.lists(_TREES, min_size=1, max_size=3))
def test_both_converters_read_generated_yaml_alike(trees: list[Any]) -> None:
    text = "".join("---" + _render(tree, 0) for tree in trees)
    _assert_alike(text)
