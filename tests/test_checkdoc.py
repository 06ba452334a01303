"""A check's documentation as fields: parsed once from a docstring, or built as data."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

import kubelint.checks
from kubelint.checks import Registry, registry
from kubelint.checks.base import CheckDoc, CheckMeta, Context, ModuleCheck
from kubelint.docs import examples, render_check_page
from kubelint.errors import PluginError
from kubelint.model import Finding, K8sObject

FULL = """A thing is wrong.

## What it does
Reports the thing,
over two lines.

## Why it matters
It hurts.

## Failing example
```yaml
kind: Pod
## not a heading: a YAML comment inside the block
```

## Fixed example
```yaml
kind: Pod
spec: {}
```

Linted at 1.25.

## Options
`strict` (boolean): more.

## References
- https://example.com/a
- https://example.com/b (the second one)

## Background
Some history."""


def test_a_docstring_is_read_into_fields() -> None:
    doc = CheckDoc.parse(FULL)
    assert doc.title == "A thing is wrong."
    assert doc.what == "Reports the thing,\nover two lines."
    assert doc.why == "It hurts."
    assert doc.failing == "kind: Pod\n## not a heading: a YAML comment inside the block\n"
    assert doc.failing_note == ""
    assert doc.fixed == "kind: Pod\nspec: {}\n"
    assert doc.fixed_note == "Linted at 1.25."
    assert doc.options == "`strict` (boolean): more."
    assert doc.references == ("https://example.com/a", "https://example.com/b (the second one)")
    assert doc.sections == (("Background", "Some history."),)


def test_the_fields_give_back_the_docstring() -> None:
    assert CheckDoc.parse(FULL).markdown() == FULL
    assert CheckDoc.parse(FULL).body() == FULL.partition("\n\n")[2]


def test_a_docstring_missing_sections_leaves_their_fields_empty() -> None:
    doc = CheckDoc.parse(
        "Title only\n\n## What it does\nReports it.\n\n## Failing example\nno block"
    )
    assert doc.title == "Title only"
    assert doc.what == "Reports it."
    assert doc.why == doc.fixed == doc.fixed_note == doc.options == ""
    assert doc.failing == "" and doc.failing_note == "no block"
    assert doc.references == () and doc.sections == ()
    assert CheckDoc.parse("") == CheckDoc()
    assert CheckDoc.parse("Just a title") == CheckDoc(title="Just a title")


def test_text_before_the_first_section_is_what_the_check_does() -> None:
    assert CheckDoc.parse("Title\n\nIt reports things.").what == "It reports things."


def test_examples_gives_the_examples_a_check_has() -> None:
    doc = CheckDoc(title="t", failing="kind: Pod\n")
    check = ModuleCheck(CheckMeta("x", "s", "error", "r"), lambda o, c, p: [], doc)
    assert examples(check) == {"failing": "kind: Pod\n"}


def _check_modules() -> Iterable[Any]:
    for info in pkgutil.walk_packages(kubelint.checks.__path__, "kubelint.checks."):
        module = importlib.import_module(info.name)
        if hasattr(module, "META"):
            yield module


@pytest.mark.parametrize("module", list(_check_modules()), ids=lambda m: m.__name__)
def test_every_builtin_docstring_is_parsed_without_losing_text(module: Any) -> None:
    # The pages and SARIF rules are rendered from the fields: they must hold every word.
    docstring = module.__doc__.strip()
    assert CheckDoc.parse(docstring).markdown() == docstring
    assert registry()[module.META.id].doc == CheckDoc.parse(docstring)


@dataclass(frozen=True)
class TextDocCheck:
    """What a plugin may register: an object whose documentation is text."""

    meta: CheckMeta
    doc: Any

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterable[Finding]:
        return [Finding((), "seen")]


def test_a_plugin_check_documented_as_text_is_parsed_like_a_docstring() -> None:
    run = Registry({})
    added = run.add(TextDocCheck(CheckMeta("text-doc", "s", "warning", "r"), FULL), "plugin 'p'")
    assert added.doc == CheckDoc.parse(FULL)
    assert list(added.check(None, None, {})) == [Finding((), "seen")]  # type: ignore[arg-type]
    page = render_check_page(added)
    assert "**A thing is wrong.**" in page and "## Why it matters\nIt hurts." in page


def test_a_plugin_check_with_other_documentation_is_refused() -> None:
    with pytest.raises(PluginError, match=r"plugin 'p': check 'odd-doc' has a \.doc that is not"):
        Registry({}).add(TextDocCheck(CheckMeta("odd-doc", "s", "warning", "r"), 42), "plugin 'p'")
