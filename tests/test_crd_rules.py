"""CRD validation rules (x-kubernetes-validations), judged on custom resources.

Expectations come from the Kubernetes documentation of validation rules
(https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules)
and of the ValidationRule type (apiextensions.k8s.io/v1): the escaping table, fieldPath,
message / messageExpression / reason, transition rules and optionalOldSelf, null values
judged as absent, unknown fields not visible, ``number`` as a CEL double.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.schema import crd_rules
from kubelint.schema.crd_rules import escape_name, evaluate, parse_field_path, rule_tree
from tests.conftest import lint_text


def crd(schema: dict[str, Any], *, served: bool = True, kind: str = "Widget") -> str:
    """A CustomResourceDefinition (JSON is YAML) with one version, v1, of that schema."""
    return json.dumps(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": f"{kind.lower()}s.example.com"},
            "spec": {
                "group": "example.com",
                "scope": "Namespaced",
                "names": {"plural": f"{kind.lower()}s", "kind": kind},
                "versions": [
                    {
                        "name": "v1",
                        "served": served,
                        "storage": True,
                        "schema": {"openAPIV3Schema": schema},
                    }
                ],
            },
        },
        indent=1,
    )


def resource(spec: Any, name: str = "w", kind: str = "Widget") -> str:
    return json.dumps(
        {"apiVersion": "example.com/v1", "kind": kind, "metadata": {"name": name}, "spec": spec},
        indent=1,
    )


def spec_schema(spec: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": {"spec": spec}}


def lint(tmp_path: Path, *documents: str) -> Any:
    return lint_text(tmp_path, "\n---\n".join(documents), select=["schema-validation"])


def messages(report: Any) -> list[str]:
    return sorted(r.message for r in report.results)


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first line of ``text`` holding ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# -- property names as rules spell them (the table of the ValidationRule docs) ----------


@pytest.mark.parametrize(
    ("name", "escaped"),
    [
        ("namespace", "__namespace__"),  # a CEL reserved word, matched exactly
        ("x-prop", "x__dash__prop"),
        ("redact__d", "redact__underscores__d"),
        ("a.b", "a__dot__b"),
        ("a/b", "a__slash__b"),
        ("sprint", "sprint"),  # 'int' inside a word is no keyword
        ("true", "__true__"),
        ("1abc", None),  # must start with a letter, '_', '.', '-' or '/'
        ("a b", None),
        ("ümlaut", None),
    ],
)
def test_property_names_are_escaped_as_the_docs_show(name: str, escaped: str | None) -> None:
    assert escape_name(name) == escaped


@given(st.from_regex(r"[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]{0,12}", fullmatch=True))
def test_an_escaped_name_is_a_cel_identifier(name: str) -> None:
    escaped = escape_name(name)
    assert escaped is not None and re.fullmatch(r"[a-zA-Z_][a-zA-Z0-9_]*", escaped)


@given(st.lists(st.from_regex(r"[a-z_.\-/]{1,6}", fullmatch=True), min_size=2, unique=True))
def test_distinct_names_escape_to_distinct_identifiers(names: list[str]) -> None:
    escaped = [escape_name(n) for n in names]
    assert len(set(escaped)) == len(names)


# -- fieldPath ------------------------------------------------------------------------

_LEVEL = {
    "type": "object",
    "properties": {
        "spec": {"type": "object", "properties": {"replicas": {"type": "integer"}}},
        "testMap": {"type": "object", "additionalProperties": {"type": "string"}},
        "ports": {"type": "array", "items": {"type": "object", "properties": {}}},
    },
}


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (".spec.replicas", ("spec", "replicas")),
        (".spec", ("spec",)),
        (".testMap.foo", ("testMap", "foo")),  # a map key, as in the docs' example
        (".testMap['app.kubernetes.io/name']", ("testMap", "app.kubernetes.io/name")),
        ("['spec'].replicas", ("spec", "replicas")),
        (".spec.nope", None),  # must refer to an existing field
        (".ports[0]", None),  # numeric indexes are not supported
        ("spec.replicas", None),  # a relative JSON path starts with '.' or '['
        (".", None),
    ],
)
def test_field_paths_name_fields_of_the_rules_level(
    text: str, path: tuple[str, ...] | None
) -> None:
    assert parse_field_path(text, _LEVEL) == path


# -- rules on custom resources ----------------------------------------------------------


def test_each_failing_rule_is_one_finding_at_its_field(tmp_path: Path) -> None:
    item_rule = {"rule": "self.port > 1024", "message": "unprivileged ports only"}
    definition = crd(
        spec_schema(
            {
                "type": "object",
                "properties": {
                    "ports": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "x-kubernetes-validations": [item_rule],
                            "properties": {"port": {"type": "integer"}},
                        },
                    }
                },
            }
        )
    )
    cr = (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  ports:\n"
        "    - {port: 22}\n    - {port: 8080}\n    - {port: 80}\n"
    )
    report = lint(tmp_path, definition, cr)
    text = (tmp_path / "manifest.yaml").read_text()
    assert sorted((r.location.line, r.message) for r in report.results) == [
        (line_of(text, "{port: 22}"), "'spec.ports[0]' is invalid: unprivileged ports only"),
        (line_of(text, "{port: 80}"), "'spec.ports[2]' is invalid: unprivileged ports only"),
    ]


def test_rules_under_additional_properties_judge_each_value(tmp_path: Path) -> None:
    rule = {"rule": "self.startsWith('team-')"}
    definition = crd(
        spec_schema(
            {
                "type": "object",
                "additionalProperties": {"type": "string", "x-kubernetes-validations": [rule]},
            }
        )
    )
    report = lint(tmp_path, definition, resource({"a": "team-x", "b": "ops", "c": "dev"}))
    # No message: the API server says "failed rule: <rule>".
    assert messages(report) == [
        "'spec.b' is invalid: failed rule: self.startsWith('team-')",
        "'spec.c' is invalid: failed rule: self.startsWith('team-')",
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # messageExpression wins over message when it gives a line
        (
            {"message": "static", "messageExpression": "'got ' + string(self.n)"},
            "'spec' is invalid: got 5",
        ),
        # a runtime error, an empty or blank string, or a line break: as if it were unset
        (
            {"message": "static", "messageExpression": "self.missing + 'x'"},
            "'spec' is invalid: static",
        ),
        ({"message": "static", "messageExpression": "'  '"}, "'spec' is invalid: static"),
        ({"message": "static", "messageExpression": "'a\\nb'"}, "'spec' is invalid: static"),
        ({"messageExpression": "''"}, "'spec' is invalid: failed rule: self.n < 3"),
        # the reason changes how the API server words the error
        ({"message": "m", "reason": "FieldValueForbidden"}, "'spec' is forbidden: m"),
        ({"message": "m", "reason": "FieldValueRequired"}, "'spec' is required: m"),
        ({"message": "m", "reason": "FieldValueDuplicate"}, "'spec' has a duplicate value: m"),
        ({"message": "m", "reason": "SomethingNew"}, "'spec' is invalid: m"),
        ({"message": "  padded  "}, "'spec' is invalid: padded"),
    ],
)
def test_the_message_of_a_failing_rule(tmp_path: Path, rule: dict[str, str], expected: str) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [{"rule": "self.n < 3", **rule}],
        "properties": {"n": {"type": "integer"}},
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"n": 5}))
    assert messages(report) == [expected]


def test_field_path_moves_the_finding_to_that_field(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.min <= self.max", "message": "min above max", "fieldPath": ".max"}
        ],
        "properties": {"min": {"type": "integer"}, "max": {"type": "integer"}},
    }
    cr = (
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  min: 4\n  max: 2\n"
    )
    report = lint(tmp_path, crd(spec_schema(schema)), cr)
    text = (tmp_path / "manifest.yaml").read_text()
    ((line, message),) = [(r.location.line, r.message) for r in report.results]
    assert line == line_of(text, "max: 2") and message == "'spec.max' is invalid: min above max"


def test_an_evaluation_error_rejects_the_object(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [{"rule": "10 / self.d > 1", "message": "small divisor"}],
        "properties": {"d": {"type": "integer"}},
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"d": 0}))
    ((message),) = messages(report)
    assert message.startswith("'spec': validation rule could not be evaluated (")
    assert "divide by zero" in message and message.endswith("): small divisor")


@pytest.mark.parametrize(
    ("schema", "value", "holds"),
    [
        # null values are not judged, and a null field is absent for the rule above it
        ({"type": "integer", "nullable": True, "x-kubernetes-validations": [{"rule": "self > 0"}]}, None, True),
        # 'number' is a CEL double, even when written as an integer
        ({"type": "number", "x-kubernetes-validations": [{"rule": "type(self) == double"}]}, 1, True),
        ({"type": "integer", "x-kubernetes-validations": [{"rule": "type(self) == int"}]}, 1, True),
        # int-or-string reaches the rule as it is written
        ({"x-kubernetes-int-or-string": True, "x-kubernetes-validations": [{"rule": "type(self) == string ? self == '100%' : self == 1000"}]}, "50%", False),
        ({"x-kubernetes-int-or-string": True, "x-kubernetes-validations": [{"rule": "type(self) == string ? self == '100%' : self == 1000"}]}, 1000, True),
    ],
)  # fmt: skip
def test_what_a_rule_sees_of_a_value(tmp_path: Path, schema: Any, value: Any, holds: bool) -> None:
    definition = crd(spec_schema({"type": "object", "properties": {"v": schema}}))
    report = lint(tmp_path, definition, resource({"v": value}))
    assert (messages(report) == []) is holds


def test_a_null_field_is_absent_and_unknown_fields_are_not_visible(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-preserve-unknown-fields": True,
        "x-kubernetes-validations": [
            {"rule": "!has(self.a)", "message": "a is set"},
            {"rule": "!has(self.extra)", "message": "extra is visible"},
            {"rule": "self.x__dash__mode == 'on'", "message": "x-mode is off"},
        ],
        "properties": {"a": {"type": "string", "nullable": True}, "x-mode": {"type": "string"}},
    }
    report = lint(
        tmp_path, crd(spec_schema(schema)), resource({"a": None, "extra": 1, "x-mode": "off"})
    )
    assert messages(report) == ["'spec' is invalid: x-mode is off"]


def test_the_root_rule_sees_the_name_but_no_other_metadata(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.metadata.name.startsWith('w-') && self.kind == 'Widget'"},
            {"rule": "!has(self.metadata.labels)", "message": "labels are visible"},
        ],
        "properties": {"spec": {"type": "object"}},
    }
    cr = json.dumps(
        {
            "apiVersion": "example.com/v1",
            "kind": "Widget",
            "metadata": {"name": "x", "labels": {"a": "b"}},
            "spec": {},
        }
    )
    report = lint(tmp_path, crd(schema), cr)
    assert messages(report) == [
        "the object is invalid: failed rule: "
        "self.metadata.name.startsWith('w-') && self.kind == 'Widget'"
    ]


def test_rules_in_all_of_judge_the_same_value(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer"}},
        "allOf": [{"x-kubernetes-validations": [{"rule": "self.n % 2 == 0", "message": "even"}]}],
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"n": 3}))
    assert messages(report) == ["'spec' is invalid: even"]


# -- transition rules, compile errors, unserved versions ----------------------------------


def test_a_transition_rule_is_skipped_with_one_notice_at_its_line(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [
            {"rule": "self.n >= oldSelf.n", "message": "never shrinks"},
            {"rule": "self.note != 'oldSelf'", "message": "a string is no transition"},
        ],
        "properties": {"n": {"type": "integer"}, "note": {"type": "string"}},
    }
    definition = crd(spec_schema(schema))
    report = lint(
        tmp_path,
        definition,
        resource({"n": 1, "note": "oldSelf"}),
        resource({"n": 2, "note": "fine"}, "v"),
    )
    text = (tmp_path / "manifest.yaml").read_text()
    assert messages(report) == ["'spec' is invalid: a string is no transition"]
    transitions = [n for n in report.notices if "transition rule skipped" in n.message]
    assert [n.line for n in transitions] == [line_of(text, "self.n >= oldSelf.n")]
    assert "kubelint judges objects as created" in transitions[0].message


def test_optional_old_self_is_an_empty_optional_on_a_create(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [
            {
                "rule": "oldSelf.hasValue() || self.n == 0",
                "optionalOldSelf": True,
                "message": "starts at 0",
            },
            {"rule": "oldSelf.orValue(self).n <= self.n", "optionalOldSelf": True, "message": "x"},
        ],
        "properties": {"n": {"type": "integer"}},
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"n": 1}))
    assert messages(report) == ["'spec' is invalid: starts at 0"]
    assert not [n for n in report.notices if "transition" in n.message]


@pytest.mark.parametrize(
    ("rule", "key", "fragment"),
    [
        ({"rule": "self.n >"}, "rule", "validation rule does not compile: 1:"),
        ({"rule": "noSuchFunction(self)"}, "rule", "undeclared reference"),
        ({"rule": "self.n > 0", "messageExpression": "'a' +"}, "messageExpression", "messageExpression does not compile"),
        ({"rule": "self.n > 0", "fieldPath": ".nope"}, "fieldPath", "fieldPath '.nope' does not name a field"),
        ({"rule": "self.n > 0 &&\n self.n < 9"}, "rule", "is required when the rule spans several lines"),
    ],
)  # fmt: skip
def test_a_rule_the_api_server_refuses_is_reported_on_the_crd(
    tmp_path: Path, rule: dict[str, str], key: str, fragment: str
) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [rule],
        "properties": {"n": {"type": "integer"}},
    }
    definition = crd(spec_schema(schema))
    report = lint(tmp_path, definition, resource({"n": 1}))
    text = (tmp_path / "manifest.yaml").read_text()
    ((result),) = report.results
    assert fragment in result.message
    assert result.location.line == line_of(text, f'"{key}":')


def test_a_resource_of_an_unserved_version_meets_no_rule(tmp_path: Path) -> None:
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "false"}]}
    report = lint(tmp_path, crd(schema, served=False), resource({}))
    assert report.results == [] and report.not_validated == 1


def test_an_object_that_breaks_its_schema_meets_no_rule(tmp_path: Path) -> None:
    schema = {
        "type": "object",
        "x-kubernetes-validations": [{"rule": "false", "message": "never"}],
        "properties": {"n": {"type": "integer"}},
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"n": "three"}))
    assert messages(report) == ["'spec.n' must be an integer, not a string"]
    assert any("does not match its schema" in n.message for n in report.notices)


def test_without_the_cel_engine_the_rules_are_named_in_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(crd_rules, "_engine_ready", lambda: False)
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "false"}]}
    report = lint(tmp_path, crd(spec_schema(schema)), resource({}))
    assert report.results == []
    assert any("CEL engine (cel-expr-python) is not installed" in n.message for n in report.notices)


@pytest.mark.parametrize(
    "validations",
    [
        "not a list",
        [None, 3, "rule"],
        [{"rule": 5}, {"message": "no rule"}],
        [{"rule": "self > 0", "fieldPath": 7, "reason": [], "messageExpression": {}}],
    ],
)
def test_malformed_rules_never_raise(tmp_path: Path, validations: Any) -> None:
    schema = {
        "type": "object",
        "properties": {"n": {"type": "integer", "x-kubernetes-validations": validations}},
    }
    report = lint(tmp_path, crd(spec_schema(schema)), resource({"n": 2**80}))
    assert report.internal_errors == []


# -- cost --------------------------------------------------------------------------------


def _items_tree() -> Any:
    schema = {
        "type": "array",
        "items": {"type": "integer", "x-kubernetes-validations": [{"rule": "self >= 0"}]},
    }
    tree = rule_tree(schema, ())
    assert tree is not None
    return tree


def test_one_evaluation_per_item_and_rule_then_the_budget_stops() -> None:
    data = list(range(1000))
    assert evaluate(_items_tree(), data, limit=1000) == []  # 1000 items: 1000 evaluations
    (stop,) = evaluate(_items_tree(), data, limit=999)
    assert stop.path == () and "more than 999 rule evaluations" in stop.message
    assert stop.severity == "warning"


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=-5, max_value=5), max_size=30))
def test_an_items_rule_fails_exactly_on_the_items_that_break_it(values: list[int]) -> None:
    verdicts = evaluate(_items_tree(), values)
    assert sorted(v.path for v in verdicts) == [(i,) for i, v in enumerate(values) if v < 0]


def test_the_unvalidated_count_is_made_once_when_both_schema_checks_run(tmp_path: Path) -> None:
    schema = {"type": "object", "x-kubernetes-validations": [{"rule": "self.n >= oldSelf.n"}]}
    text = "\n---\n".join([crd(schema, served=False), resource({})])
    report = lint_text(tmp_path, text, select=["schema-validation", "unknown-field"])
    assert report.not_validated == 1
    assert len([n for n in report.notices if "not validated" in n.message]) == 1


def test_the_engines_iteration_budget_gives_a_warning_not_a_verdict() -> None:
    schema = {"type": "array", "x-kubernetes-validations": [{"rule": "self.all(i, i >= 0)"}]}
    tree = rule_tree(schema, ())
    assert tree is not None
    assert evaluate(tree, list(range(100))) == []
    (verdict,) = evaluate(tree, list(range(100_000)))
    assert verdict.severity == "warning" and "needs more iterations" in verdict.message


@pytest.mark.parametrize(
    "key",
    [
        "x-kubernetes-validations",  # as written by everyone
        '"x\\x2dkubernetes-validations"',  # a YAML escape: the key is the same
        '"x-kubernetes\\u002dvalidations"',  # a JSON-style escape in a YAML double-quoted key
    ],
)
def test_rules_are_found_however_their_key_is_spelled(tmp_path: Path, key: str) -> None:
    # Most CRDs have no rules; kubelint looks for the key in the text before walking the
    # schema, so an escaped spelling of the key must not hide the rules.
    definition = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n"
        "metadata: {name: widgets.example.com}\nspec:\n  group: example.com\n"
        "  scope: Namespaced\n  names: {plural: widgets, kind: Widget}\n  versions:\n"
        "    - name: v1\n      served: true\n      storage: true\n      schema:\n"
        "        openAPIV3Schema:\n          type: object\n"
        f"          {key}: [{{rule: \"self.metadata.name != 'bad'\", message: no bad names}}]\n"
    )
    cr = "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad}\n"
    report = lint(tmp_path, definition, cr)
    assert [r.message for r in report.results if r.check == "schema-validation"] == [
        "the object is invalid: no bad names"
    ]
