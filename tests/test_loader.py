"""The loader: documents, positions, Helm origins, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kubelint.loader import load_source
from kubelint.loader.documents import UNRENDERED_TEMPLATE
from kubelint.loader.positions import ReparseLocator
from kubelint.loader.yamlparse import parse_documents

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers: []\n"


def load(text: str | bytes, name: str = "m.yaml"):
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return load_source(name, raw)


def test_multi_document_stream_keeps_positions_per_document() -> None:
    text = POD.format(name="a") + "---\n# comment\n" + POD.format(name="b")
    loaded = load(text)
    assert [o.name for o in loaded.objects] == ["a", "b"]
    assert [o.doc_index for o in loaded.objects] == [0, 1]
    assert loaded.objects[1].locate(("metadata", "name"))[:2] == (12, 3)
    assert loaded.objects[0].locate(("spec", "containers"))[:2] == (6, 3)


def test_missing_field_locates_at_nearest_parent() -> None:
    obj = load(POD.format(name="a")).objects[0]
    line, column, found = obj.locate(("spec", "securityContext", "runAsNonRoot"))
    assert (line, column, found) == (5, 1, ("spec",))


def test_kind_list_is_expanded_into_items() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: one}\n"
        "  - apiVersion: v1\n    kind: Secret\n    metadata: {name: two}\n"
    )
    loaded = load(text)
    assert [(o.kind, o.name, o.item_index) for o in loaded.objects] == [
        ("ConfigMap", "one", 0),
        ("Secret", "two", 1),
    ]
    assert loaded.objects[1].locate(("metadata", "name"))[:2] == (9, 16)


def test_json_manifest_is_read_with_positions() -> None:
    text = '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {"name": "j"}\n}\n'
    obj = load(text, "pod.json").objects[0]
    assert obj.name == "j"
    assert obj.locate(("metadata",))[0] == 4


def test_non_kubernetes_documents_are_skipped_and_counted() -> None:
    text = "replicaCount: 2\n---\nname: ci\non: push\n---\n---\n" + POD.format(name="x")
    loaded = load(text)
    assert loaded.skipped == 2  # the empty document is not counted
    assert [o.name for o in loaded.objects] == ["x"]
    assert not loaded.errors


def test_helm_source_comment_names_the_template_on_stdin_only() -> None:
    text = (
        "---\n# Source: shop/templates/web.yaml\n"
        + POD.format(name="web")
        + "---\n# Source: shop/templates/db.yaml\n"
        + POD.format(name="db")
    )
    piped = load_source("<stdin>", text.encode(), stdin=True).objects
    assert [o.file for o in piped] == ["shop/templates/web.yaml", "shop/templates/db.yaml"]
    # the line is the line in the stream
    assert piped[1].locate(("metadata", "name"))[0] == 14
    # the same text committed to a file keeps the file's own name; the template is kept aside
    on_disk = load(text, "rendered.yaml").objects
    assert [o.file for o in on_disk] == ["rendered.yaml", "rendered.yaml"]
    assert [o.helm_source for o in on_disk] == ["shop/templates/web.yaml", "shop/templates/db.yaml"]
    assert on_disk[1].locate(("metadata", "name"))[0] == 14


def test_unrendered_template_is_a_notice_not_an_error() -> None:
    text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\n  {{- include "x" . }}\n'
    loaded = load(text, "charts/shop/templates/pod.yaml")
    assert not loaded.errors
    assert [n.message for n in loaded.notices] == [UNRENDERED_TEMPLATE]


def test_malformed_yaml_reports_line_and_column() -> None:
    loaded = load(POD.format(name="ok") + "---\nkind: Pod\nmetadata: [a, b\nspec: {}\n")
    assert [o.name for o in loaded.objects] == ["ok"]  # documents before the error are kept
    (error,) = loaded.errors
    assert error.line == 10 and error.column is not None
    assert error.message.startswith("invalid YAML:")


def test_undecodable_bytes_report_position() -> None:
    loaded = load(b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: \xff\xfe oops\n")
    (error,) = loaded.errors
    assert (error.line, error.column) == (4, 9)
    assert "UTF-8" in error.message


def test_utf8_bom_and_utf16_bom_are_read() -> None:
    text = POD.format(name="bom")
    assert load(b"\xef\xbb\xbf" + text.encode()).objects[0].name == "bom"
    assert load(text.encode("utf-16")).objects[0].name == "bom"  # with BOM
    assert load(text.encode("utf-16-be").join([b"\xfe\xff", b""])).objects[0].name == "bom"


def test_duplicate_keys_are_recorded_and_last_value_wins() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\n  name: second\n"
    obj = load(text).objects[0]
    assert obj.name == "second"
    assert len(obj.duplicate_key_offsets) == 1
    assert obj.source.position(obj.duplicate_key_offsets[0]) == (5, 3)


def test_a_duplicate_key_locates_at_the_last_one_and_a_mapping_key_at_no_name() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: first\n  labels: {}\n  name: second\n"
        'spec:\n  ? [a, b]\n  : x\n  "": empty\n  containers: [{name: c}]\n'
    )
    obj = load(text).objects[0]
    assert obj.locate(("metadata", "name")) == (6, 3, ("metadata", "name"))
    # A key written as a sequence has no text: a path naming "" finds the key that is "".
    assert obj.locate(("spec", "")) == (10, 3, ("spec", ""))
    assert obj.locate(("spec", "containers", 0, "name"))[:2] == (11, 17)
    assert obj.locate(("spec", "containers", 1)) == (11, 3, ("spec", "containers"))


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=False):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    loaded = load(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  "
        + "\n  ".join(lines)
        + "\n"
    )
    (error,) = loaded.errors
    assert "billion laughs" in error.message
    assert not loaded.objects


def test_reasonable_aliases_and_merge_keys_expand() -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: m\n  labels: &l {app: web}\n"
        "  annotations:\n    <<: *l\n    team: a\nspec: {}\n"
    )
    obj = load(text).objects[0]
    assert obj.metadata["annotations"] == {"app": "web", "team": "a"}


def test_tags_never_construct_python_objects() -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\n"
        "data:\n  a: !!python/object/apply:os.system ['echo pwned']\n  b: !custom 3\n"
        "  c: 2024-01-01\n  d: 0x1F\n  e: yes\n"
    )
    data = load(text).objects[0].data["data"]
    assert data["a"] == ["echo pwned"]
    assert data["b"] == "3"
    assert data["c"] == "2024-01-01"
    assert data["d"] == 31 and data["e"] is True


def test_empty_file_and_comment_only_file_are_fine() -> None:
    for text in ("", "# nothing here\n", "---\n...\n"):
        loaded = load(text)
        assert not loaded.objects and not loaded.errors and loaded.skipped == 0


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    loaded = load("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert loaded.errors and not loaded.objects


def test_parse_documents_reports_first_problem_position() -> None:
    try:
        list(parse_documents("a: b: c\n", "x"))
    except Exception as exc:  # ParseError
        assert exc.line == 1
    else:  # pragma: no cover
        raise AssertionError("no error")


def test_large_file_streams_documents(tmp_path: Path) -> None:
    text = "".join("---\n" + POD.format(name=f"p{i}") for i in range(3000))
    loaded = load(text)
    assert len(loaded.objects) == 3000
    assert loaded.objects[-1].locate(("metadata", "name"))[0] == 7 * 2999 + 5


def test_compact_positions_answer_like_the_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Very large inputs keep no nodes and re-parse on demand; every fixture must lint the same."""
    from kubelint import runner
    from tests.conftest import lint_paths

    fixtures = Path(__file__).parent / "checks" / "fixtures"

    def results() -> list[tuple[str, str, int, int, str, str]]:
        report = lint_paths([fixtures], ["all"], kube_version=37)
        return [
            (r.check, r.location.file, r.location.line, r.location.column, r.path, r.message)
            for r in report.results
        ]

    normal = results()
    monkeypatch.setattr(runner, "LOW_MEMORY_AFTER_BYTES", -1)
    low_memory = results()
    assert len(normal) > 100
    assert low_memory == normal


def test_reparsed_nodes_locate_and_map_offsets_like_the_originals() -> None:
    text = (
        "# lead comment\n--- # start\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n"
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n"
        "    metadata: {name: b}\n    data:\n      k: &x v\n      j: *x\n"
    )
    kept = load(text).objects
    dropped = load_source("m.yaml", text.encode(), low_memory=True).objects
    assert all(isinstance(o.locator, ReparseLocator) for o in dropped)
    paths = [(), ("metadata", "name"), ("data", "j"), ("data", "missing"), ("kind",)]
    for a, b in zip(kept, dropped, strict=True):
        for path in paths:
            assert b.locate(path) == a.locate(path)
        for offset in range(a.text_start, a.text_end):
            assert b.path_at(offset) == a.path_at(offset)
