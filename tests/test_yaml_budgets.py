"""Budgets on hostile YAML, and YAML read as the cluster reads it (go-yaml v2).

Each ``test_bug_*`` test is the minimal input of a problem users found.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from kubelint import runner
from kubelint.loader import documents, load_source
from kubelint.loader.yamlparse import MAX_DEPTH, parse_documents
from tests.conftest import lint_text, run_cli

POD = (
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
    "  containers:\n    - name: web\n      image: nginx:1.27\n"
)


def value_of(text: str) -> Any:
    """The value of key ``a`` in a one-line document ``a: <text>``."""
    [(_, data, _, _, _, _)] = list(parse_documents(f"a: {text}\n", "x.yaml"))
    return data["a"]


def results(report: Any, check: str) -> list[int]:
    return sorted(r.location.line for r in report.results if r.check == check)


# 1. Aliases


def test_bug_aliases_of_a_large_scalar_bypass_the_budget() -> None:
    text = 'a: &a "' + "x" * 100_000 + '"\nb: [' + "*a, " * 20_000 + "]\n"
    loaded = load_source("m.yaml", text.encode())
    assert len(loaded.errors) == 1
    error = loaded.errors[0]
    assert "aliases expand to too much text" in error.message
    assert (error.line, error.column) == (1, 4)  # the value the aliases repeat


def test_aliases_of_a_large_scalar_used_as_keys_are_budgeted_too() -> None:
    text = 'a: &a "' + "x" * 100_000 + '"\nb: [' + "{*a : 1}, " * 20_000 + "]\n"
    [error] = load_source("m.yaml", text.encode()).errors
    assert "aliases expand to too much text" in error.message


def test_a_scalar_reused_a_few_times_is_read() -> None:
    text = 'a: &a "' + "x" * 100_000 + '"\nb: [*a, *a, *a]\n'
    [(_, data, _, _, _, _)] = list(parse_documents(text, "m.yaml"))
    assert data["b"] == [data["a"]] * 3


# 2. and 3. Numbers as go-yaml v2 reads them


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1:30", "1:30"),  # no base 60
        ("190:20:30.15", "190:20:30.15"),
        ("0x1F", 31),
        ("-0x1f", -31),
        ("0o17", 15),
        ("017", 15),  # a leading zero is octal
        ("08", 8.0),  # not octal, but a float
        ("0b101", 5),
        ("1_000", 1000),
        ("-9223372036854775808", -(2**63)),
        ("18446744073709551615", 2**64 - 1),  # uint64
        ("18446744073709551616", 1.8446744073709552e19),  # past uint64: a float
        ("+18446744073709551615", 1.8446744073709552e19),  # a sign stops uint64
        ("1e400", "1e400"),  # past float64: the text
        (".5", 0.5),
        ("1.5e3", 1500.0),
        ("1.", 1.0),
        ("12abc", "12abc"),
        ("+", "+"),
        ("2001-12-14", "2001-12-14"),
    ],
)
def test_numbers_resolve_as_in_go_yaml_v2(written: str, read: Any) -> None:
    value = value_of(written)
    assert value == read
    assert type(value) is type(read)


def test_infinity_and_nan_literals_are_floats() -> None:
    assert value_of(".inf") == math.inf
    assert value_of("-.Inf") == -math.inf
    assert math.isnan(value_of(".NaN"))


def test_bug_a_sexagesimal_looking_scalar_is_slow_and_read_as_a_number() -> None:
    written = "1" + ":59" * 1_000_000  # 3 MB; base-60 arithmetic was quadratic on it
    assert value_of(written) == written


@pytest.mark.parametrize("digits", ["9" * 5000, "1" + "0" * 4400, "0x" + "f" * 5000])
def test_bug_an_integer_over_4300_digits_crashes(tmp_path: Path, digits: str) -> None:
    text = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n"
        f"  name: {digits}\ndata:\n  size: {digits}\n  ? {digits}\n  : key\n"
    )
    report = lint_text(tmp_path, text)
    assert report.internal_errors == []
    assert report.errors == []
    assert report.objects == 1
    # Too large for int64, uint64 and float64: the text, as go-yaml keeps it.
    [loaded] = load_source("m.yaml", text.encode()).objects
    assert loaded.name == digits
    assert loaded.data["data"] == {"size": digits, digits: "key"}


def test_bug_an_integer_over_4300_digits_crashes_the_kube_version_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(POD)
    code, _out, err = run_cli(["--kube-version", "1." + "9" * 5000, str(manifest)], capsys)
    assert code == 2
    assert "newer than the newest kubelint supports" in err
    assert "Traceback" not in err


def test_bug_an_integer_over_4300_digits_crashes_the_config_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manifest = tmp_path / "m.yaml"
    manifest.write_text(POD)
    config = tmp_path / ".kubelint.yaml"
    config.write_text("kube-version: 1." + "9" * 5000 + "\n")
    code, _out, err = run_cli(["--config", str(config), str(manifest)], capsys)
    assert code == 2
    assert f"{config}:1:" in err
    assert "newer than the newest kubelint supports" in err


# 4. Depth


def nested(depth: int) -> str:
    return (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n"
        f"  annotations: {{a: {'[' * depth}{']' * depth}}}\n"
    )


def test_bug_yaml_nested_256_levels_deep_crashes_the_validator(tmp_path: Path) -> None:
    report = lint_text(tmp_path, nested(256) + "---\n" + POD)
    assert report.internal_errors == []
    assert [(e.line, e.message) for e in report.errors] == [
        (5, f"invalid YAML: nested more than {MAX_DEPTH} levels deep; kubelint refuses such input")
    ]
    assert report.objects == 1  # the pod after it is still linted


def test_nesting_a_little_below_the_limit_is_read(tmp_path: Path) -> None:
    report = lint_text(tmp_path, nested(MAX_DEPTH - 10))
    assert report.internal_errors == []
    assert report.errors == []
    assert report.objects == 1


# 5. Size of a document


def test_bug_a_document_too_large_for_memory_is_an_input_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(documents, "MAX_DOCUMENT_CHARS", 1000)
    big = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: " + "x" * 2000
    text = POD + "---\n" + big + "\n---\n" + POD.replace("web", "after")
    loaded = load_source("m.yaml", text.encode())
    assert [(e.line, e.column) for e in loaded.errors] == [(9, 1)]
    assert "document larger than" in loaded.errors[0].message
    assert [o.name for o in loaded.objects] == ["web", "after"]
    assert [o.doc_index for o in loaded.objects] == [0, 2]
    # Positions still point at the lines of the whole file.
    assert loaded.objects[1].locate(("metadata", "name"))[:2] == (20, 3)


# 6. kind: List


def test_bug_a_list_with_items_written_twice_crashes(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: first}\n"
        "items:\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: one}\n"
        "  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: two}\n"
    )
    loaded = load_source("m.yaml", text.encode())
    assert [(o.name, o.locate(("metadata", "name"))[0]) for o in loaded.objects] == [
        ("one", 10),
        ("two", 13),
    ]
    report = lint_text(tmp_path, text, select=["duplicate-key"])
    assert report.internal_errors == []
    assert [(r.location.line, r.message) for r in report.results] == [
        (7, "key 'items' appears more than once in this mapping; only the last value is used")
    ]


def test_bug_a_list_whose_items_come_through_a_merge_key_is_skipped() -> None:
    text = (
        "apiVersion: v1\nkind: List\n<<: &base\n  items:\n"
        "    - apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: merged}\n"
    )
    loaded = load_source("m.yaml", text.encode())
    assert loaded.errors == []
    [obj] = loaded.objects
    assert obj.name == "merged"
    assert obj.locate(("metadata", "name"))[:2] == (7, 18)


# 7. Directives in large files


TAGGED = (
    "%TAG !e! tag:example.com,2026:\n---\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: !e!name web\nspec:\n"
    "  containers:\n    - name: web\n      image: nginx:1.27\n"
    "      securityContext:\n        privileged: true\n"
)


def test_bug_a_large_file_with_a_tag_directive_crashes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = POD + "---\n" + TAGGED
    small = lint_text(tmp_path, text, select=["privileged-container"])
    monkeypatch.setattr(runner, "LOW_MEMORY_AFTER_BYTES", 0)
    large = lint_text(tmp_path, text, select=["privileged-container"])
    assert large.internal_errors == []
    assert results(large, "privileged-container") == results(small, "privileged-container")
    assert results(large, "privileged-container") == [21]


def test_directive_on_the_marker_line_document_keeps_columns() -> None:
    text = "%YAML 1.1\n%TAG !e! tag:example.com,2026:\n--- !e!pod\n" + POD[:-1] + "\n"
    [obj] = load_source("m.yaml", text.encode(), low_memory=True).objects
    assert obj.locate(("metadata", "name"))[:2] == (7, 3)
    assert obj.path_at(text.index("nginx")) == ("spec", "containers", 0, "image")


# 8. y and n


def test_bug_plain_y_runs_the_pod_privileged_while_kubelint_passes_it(tmp_path: Path) -> None:
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n"
        "  hostNetwork: Y\n  hostPID: y\n"
        "  containers:\n    - name: web\n      image: nginx:1.27\n"
        "      securityContext:\n        privileged: y\n"
    )
    report = lint_text(tmp_path, text)
    assert report.internal_errors == []
    assert results(report, "privileged-container") == [12]
    assert results(report, "pss-host-namespaces") == [6, 7]
    assert results(report, "yaml-ambiguous-boolean") == [6, 7, 12]
    assert results(report, "schema-validation") == []
    [message] = {r.message for r in report.results if r.location.line == 6 and "ambig" in r.check}
    assert message == "unquoted 'Y' is read as the boolean true by the cluster"


def test_quoted_y_stays_a_string() -> None:
    assert value_of('"y"') == "y"
    assert value_of("'N'") == "N"
    assert value_of("n") is False
    assert value_of("Y") is True
    assert value_of("yes") is True


# 9. Line breaks


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_bug_lone_cr_line_breaks_put_findings_on_line_1(tmp_path: Path, newline: str) -> None:
    lines = [
        "apiVersion: v1",
        "kind: Pod",
        "metadata:",
        "  name: web",
        "spec:",
        "  containers:",
        "    - name: web",
        "      image: nginx:1.27",
        "      securityContext:",
        "        privileged: true",
        "    - name: side",
        "      image: nginx:1.27",
        "      securityContext:",
        "        # kubelint: ignore=privileged-container",
        "        privileged: true",
    ]
    text = newline.join(lines) + newline
    report = lint_text(tmp_path, text.encode("utf-8"), select=["privileged-container"])
    assert report.errors == []
    assert [(r.location.line, r.location.column) for r in report.results] == [(10, 9)]


def test_a_plain_letter_where_a_string_belongs_is_one_finding(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\ndata:\n  a: y\n  b: 1\n"
    report = lint_text(tmp_path, text)
    assert [(r.location.line, r.check) for r in report.results] == [
        (4, "yaml-ambiguous-boolean"),
        (6, "yaml-ambiguous-boolean"),
        (7, "schema-validation"),  # other type errors are still reported
    ]


@pytest.mark.parametrize("newline", ["\r", "\u2028"])
def test_a_broken_document_in_a_file_of_lone_cr_breaks_hides_none_after_it(
    newline: str,
) -> None:
    broken = "apiVersion: v1\nkind: Pod\nmetadata: {name: [\n"
    text = (broken + "---\n" + POD).replace("\n", newline)
    loaded = load_source("m.yaml", text.encode())
    assert [e.line for e in loaded.errors] == [4]
    assert [o.name for o in loaded.objects] == ["web"]
    assert loaded.objects[0].locate(("metadata", "name"))[:2] == (8, 3)


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\u2028"])
def test_a_byte_that_is_not_utf8_is_reported_on_its_line(newline: str) -> None:
    raw = f"a: 1{newline}b: 2{newline}c: ".encode() + b"\xff\n"
    [error] = load_source("m.yaml", raw).errors
    assert (error.line, error.column) == (3, 4)
