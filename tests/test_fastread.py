"""The compiled YAML reader (kubelint.loader.fastread) reads every text as the pure path does.

The compiled reader builds plain data and a position table straight from libyaml's
events; the pure-Python path composes PyYAML nodes and converts them. On every YAML and
JSON file of the test suite, on generated YAML and on generated junk, the two must give
the same data (types and key order included), duplicate-key and ambiguous-boolean
offsets, unusual-key flags, object ranges and the position of every field, or the
compiled reader must refuse the text (and then the pure path reads it, errors included).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tests.test_properties  # noqa: F401  (loads the shared hypothesis profile)
from kubelint.config import Config
from kubelint.loader import fastread
from kubelint.loader.documents import load_source
from kubelint.loader.positions import NodeLocator
from kubelint.loader.yamlparse import MAX_DEPTH, ParseError, parse_documents
from kubelint.model import KeyPath
from kubelint.reporters.json import as_dict
from kubelint.runner import Inputs, lint
from tests.test_yaml_converters import _TREES, FIXTURES, HERE, _render

ROOT = HERE.parent


def test_the_compiled_reader_is_built() -> None:
    # The suite runs where kubelint installs with a C compiler (README); a build that
    # silently fell back to the pure path would leave the tests below comparing nothing.
    assert fastread._fastread is not None, (
        "kubelint.loader._fastread is not built: reinstall with a C compiler "
        "(pip install -e '.[test]'); without it kubelint reads YAML the slower way"
    )
    assert fastread.available()


def _paths(data: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Every key path of ``data``, and one missing key or index under each collection."""
    found = [path]
    if isinstance(data, dict):
        found.append((*path, "kubelint-missing"))
        for key, value in data.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        found.append((*path, len(data)))
        for index, value in enumerate(data):
            found.extend(_paths(value, (*path, index)))
    return found


def _offsets(start: int, end: int) -> range:
    """Offsets to ask ``path_at`` about: all of a small document, a sample of a large one."""
    return range(max(0, start - 1), end + 2, max(1, (end - start) // 400))


def _located(locator: Any, data: Any, start: int, end: int) -> tuple[Any, ...]:
    return (
        [locator.locate(path) for path in _paths(data)],
        [locator.path_at(offset) for offset in _offsets(start, end)],
    )


def _pure(text: str) -> list[tuple[Any, ...]] | str:
    """What the pure path reads, or the error it stops at."""
    out = []
    try:
        for node, data, duplicates, ambiguous, unusual, _shared in parse_documents(text, "x"):
            start, end = node.start_mark.index, node.end_mark.index
            locator = NodeLocator(node)
            items = [
                (item.span(), _located(item, None, *item.span())) for item in locator.list_items()
            ]
            out.append(
                (repr(data), start, end, duplicates, ambiguous, unusual)
                + _located(locator, data, start, end)
                + (items,)
            )
    except (ParseError, RecursionError) as exc:
        return f"error: {exc}"
    return out


def _fast(text: str) -> list[tuple[Any, ...]] | None:
    documents = fastread.read(text)
    if documents is None:
        return None
    out = []
    for document in documents:
        locator = document.locator
        items = [(item.span(), _located(item, None, *item.span())) for item in locator.list_items()]  # type: ignore[attr-defined]
        out.append(
            (
                repr(document.data),
                document.start,
                document.end,
                document.duplicates,
                document.ambiguous,
                document.unusual_keys,
            )
            + _located(locator, document.data, document.start, document.end)
            + (items,)
        )
    return out


def _assert_alike(text: str) -> bool:
    """Both paths read ``text`` alike; True when the compiled reader read it."""
    fast = _fast(text)
    pure = _pure(text)
    if fast is None:
        return False
    assert not isinstance(pure, str), (
        f"the compiled reader read a text the pure path refuses: {pure}"
    )
    assert fast == pure
    return True


@pytest.fixture(autouse=True)
def _compiled_reader_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KUBELINT_PURE_PYTHON", raising=False)


def test_the_compiled_reader_reads_most_fixtures() -> None:
    # Refusing is always safe, so the comparison above means something only if most
    # texts are read by the compiled reader.
    texts = [path.read_bytes().decode("utf-8", "replace") for path in FIXTURES]
    read = [fastread.read(text) is not None for text in texts]
    assert sum(read) > 0.8 * len(texts)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: &x 1\n",  # an anchor alone
        "a: !!str 1\n",  # a tag
        "a: ! 1\n",  # the non-specific tag
        "<<: {a: 1}\nb: 2\n",  # a merge key
        "? [a]\n: 1\n",  # a key that is a collection
        "1: a\n",  # a key typed as a number
        "true: a\n",  # a key typed as a boolean
        ": a\n",  # an empty (null) key
        "a: [\n",  # a YAML error
        "a: 1\n---\nb: [\n",  # an error in a later document
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),  # too deep
    ],
)
def test_unusual_texts_are_left_to_the_pure_path(text: str) -> None:
    assert fastread.read(text) is None


def test_plain_scalars_are_typed_as_the_cluster_types_them() -> None:
    (document,) = fastread.read(  # type: ignore[misc]
        "a: [y, n, yes, Off, ~, null, '', 0x1F, 017, 1_000, 1e3, .5, -.Inf, 1:30, "
        "9223372036854775808, '1', \"y\", <<, +, -x, 2024-01-01]\n"
    )
    values = document.data["a"]
    assert values[:6] == [True, False, True, False, None, None]
    assert values[6:13] == ["", 31, 15, 1000, 1000.0, 0.5, float("-inf")]
    assert [type(v) for v in values[7:13]] == [int, int, int, float, float, float]
    assert values[13:] == ["1:30", 9223372036854775808, "1", "y", "<<", "+", "-x", "2024-01-01"]
    # Only the plain one-letter booleans are ambiguous.
    assert document.ambiguous == [4, 7]


@pytest.mark.parametrize(
    "key", ["1e999", "-", "+", ".", "0_1", "-x", "1.2.3", "0x", "9" * 30, "0o8", "1_", "._"]
)
def test_keys_that_start_like_numbers_are_read_alike(key: str) -> None:
    # `1e999` is typed as a float whose value falls back to the text: the pure path then
    # writes the key as a non-string key would be (and flags unusual keys).
    _assert_alike(f"{key}: v\n{key}x: w\n")


def test_duplicate_keys_and_unusual_keys_are_recorded() -> None:
    (document,) = fastread.read("a: 1\nb: 2\na: 3\n")  # type: ignore[misc]
    assert document.data == {"a": 3, "b": 2}
    assert document.duplicates == [10]
    assert document.unusual_keys is False
    (document,) = fastread.read("'user@host': 1\n")  # type: ignore[misc]
    assert document.unusual_keys is True


def test_positions_point_at_the_key_and_at_the_nearest_parent() -> None:
    text = "kind: Pod\nspec:\n  containers:\n  - name: web\n    image: nginx\n"
    (document,) = fastread.read(text)  # type: ignore[misc]
    locate = document.locator.locate
    assert locate(("spec", "containers", 0, "image")) == (5, 5, ("spec", "containers", 0, "image"))
    assert locate(("spec", "containers", 0, "securityContext")) == (4, 5, ("spec", "containers", 0))
    assert locate(("spec", "containers", 3)) == (3, 3, ("spec", "containers"))
    assert document.locator.path_at(text.index("nginx")) == ("spec", "containers", 0, "image")


@settings(max_examples=int(os.environ.get("KUBELINT_FUZZ_EXAMPLES") or 200))
@given(st.lists(_TREES, min_size=1, max_size=3), st.sampled_from(["\n", "\r\n"]))
def test_both_paths_read_generated_yaml_alike(trees: list[Any], newline: str) -> None:
    text = "".join("---" + _render(tree, 0) for tree in trees).replace("\n", newline)
    _assert_alike(text)


_JUNK = st.text(
    st.sampled_from(list("ab:-?[]{},'\"#&*!|> \t\n\r01yn.~\\%@`\x85\u2028\ufeff\x00é")), max_size=60
)


@settings(max_examples=int(os.environ.get("KUBELINT_FUZZ_EXAMPLES") or 300))
@given(_JUNK)
def test_both_paths_read_junk_alike(text: str) -> None:
    _assert_alike(text)


def _loaded(display: str, raw: bytes) -> tuple[Any, ...]:
    loaded = load_source(display, raw, walked=True)
    objects = [
        (
            repr(obj.data),
            obj.doc_index,
            obj.item_index,
            obj.helm_source,
            obj.text_start,
            obj.text_end,
            obj.duplicate_key_offsets,
            obj.ambiguous_bool_offsets,
            obj.unusual_keys,
            obj.shared_paths,
            [obj.locate(path) for path in _paths(obj.data)],
        )
        for obj in loaded.objects
    ]
    return objects, loaded.errors, loaded.notices, loaded.skipped


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(HERE)))
def test_both_paths_read_every_fixture_alike(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reader's documents and positions, then the loader's objects, errors, notices."""
    raw = path.read_bytes()
    _assert_alike(raw.decode("utf-8", "replace"))
    fast = _loaded(path.name, raw)
    monkeypatch.setenv("KUBELINT_PURE_PYTHON", "1")
    assert _loaded(path.name, raw) == fast


def test_reports_are_identical_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = [
        str(ROOT / "examples"),
        str(HERE / "realism" / "projects"),
        str(HERE / "pss" / "conformance" / "restricted" / "v1.37"),
    ]
    fast = as_dict(lint(Inputs(inputs), Config()))
    monkeypatch.setenv("KUBELINT_PURE_PYTHON", "1")
    pure = as_dict(lint(Inputs(inputs), Config()))
    assert fast == pure
    assert len(fast["findings"]) > 50  # findings with positions were compared


#: Lines of real-looking manifests and the stream syntax around them, each of which once
#: looked like a place where the two readers could part: document markers and ends,
#: directives, comments between documents, BOMs, tabs, characters outside the BMP, keys
#: that look like numbers, booleans or null, quoted keys, flow mappings with duplicate
#: keys, and `kind: List` documents with `items` written twice.
_LINES = st.sampled_from(
    [
        "---",
        "--- # c",
        "--- |",
        "...",
        "%YAML 1.1",
        "%YAML 1.2",
        "%TAG !e! tag:e.com,2000:",
        "# comment",
        "\ufeff",
        "\ufeffa: 1",
        "apiVersion: v1",
        "kind: List",
        "kind: Pod",
        "items:",
        "items: []",
        "- kind: Pod",
        "- {apiVersion: v1, kind: Pod, x: y, x: z}",
        "  apiVersion: v1",
        "  name: \U0001f600",
        "\U0001f600: \U0001f600x",
        "k:\tv",
        "k: v\t# c",
        "'1': one",
        '"true": t',
        "1x: y",
        "0o17: z",
        "-k: v",
        ".k: v",
        "~x: v",
        "k: [y, n, Y, N, ~, '', 0x1F, 1e3, .inf, -.Inf, <<]",
        "{a: 1, a: 2, 'a': 3}",
        "[{a: 1}, {a: 1, b: [], b: {}}]",
        "dup: 1",
        "dup: 2",
        "  nested:",
        "    - deeper: x",
        "k: >-",
        "  folded",
        "k: 'multi",
        "  line'",
        "k:",
        "-",
        "- ",
        "? q",
        ": a",
        "",
    ]
)


@settings(max_examples=int(os.environ.get("KUBELINT_FUZZ_EXAMPLES") or 300))
@given(
    st.lists(_LINES, max_size=14),
    st.sampled_from(["\n", "\r\n", "\r", "\x85", "\u2028"]),
    st.booleans(),
)
def test_both_paths_read_generated_streams_alike(lines: list[str], newline: str, end: bool) -> None:
    _assert_alike(newline.join(lines) + (newline if end else ""))
