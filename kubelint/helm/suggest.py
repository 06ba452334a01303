"""Helm values suggestions: the fixes of rendered objects, moved to the chart's values.

kubelint never edits Helm output, nor templates. When a finding's fix edits a field that
its template reads from ``.Values`` (:mod:`kubelint.helm.template`), the same edit made
to the chart's ``values.yaml`` would fix the source: kubelint shows that as a suggested
patch, and says where the template itself must change when the field is written there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint.edit.data import get_path, is_noop
from kubelint.edit.plain import edit_mapping_file, read_mapping
from kubelint.edit.render import flow
from kubelint.edit.splice import Refused
from kubelint.fixing import applicable, unified_diff
from kubelint.helm.chart import Template, chart_name, find_template, read_chart_file
from kubelint.helm.template import TemplateDocument, read_template
from kubelint.load import display_name
from kubelint.model import Edit, Fix, K8sObject, Report, format_path
from kubelint.plan import STDIN_NAME
from kubelint.redaction import hide, redact, secret_values


@dataclass
class Suggestion:
    """What a user could change in one chart: a values patch and notes."""

    chart: str
    values: str
    #: The suggested change to ``values`` as a unified diff ("" when there is none).
    patch: str = ""
    #: The patch shows a secret value of the values file as ``<redacted>``.
    hides: bool = False
    #: Where the templates must change instead, and values already set.
    notes: list[str] = field(default_factory=list)


@dataclass
class _Chart:
    template: Template
    edits: list[Edit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def suggest(report: Report, *, unsafe: bool, cwd: Path) -> list[Suggestion]:
    """The values suggestions for the Helm-rendered objects of ``report``."""
    charts: dict[Path, _Chart] = {}
    missing: dict[str, None] = {}
    templates: dict[Path, list[TemplateDocument]] = {}
    for obj, fix in _helm_fixes(report, unsafe):
        assert obj.helm_source is not None
        found = find_template(obj.helm_source, _near(obj, cwd), cwd)
        if found is None:
            missing[chart_name(obj.helm_source)] = None
            continue
        chart = charts.setdefault(found.values, _Chart(found))
        if found.template not in templates:
            templates[found.template] = read_template(
                read_chart_file(found.template, found.chart) or ""
            )
        documents = [d for d in templates[found.template] if d.kind in (None, obj.kind)]
        for edit in fix.edits:
            _move(chart, obj, edit, documents, cwd)
    out = [_suggestion(chart, cwd) for chart in charts.values()]
    return out + [_not_found(name, cwd) for name in missing]


def _helm_fixes(report: Report, unsafe: bool) -> Iterable[tuple[K8sObject, Fix]]:
    for result in report.results:
        obj = result.document
        if obj is None or obj.helm_source is None:
            continue
        fix = applicable(result, unsafe)
        if fix is not None and fix.edits:
            yield obj, fix


def _near(obj: K8sObject, cwd: Path) -> Path | None:
    if obj.source.display == STDIN_NAME:
        return None
    return (cwd / obj.source.display).parent


def _move(
    chart: _Chart, obj: K8sObject, edit: Edit, documents: list[TemplateDocument], cwd: Path
) -> None:
    """The edit as an edit of the values, or a note on where the template must change."""
    for document in documents:
        found = document.match(edit.path)
        if found is None:
            continue
        moved = _values_edit(edit, obj, found[0].values, found[0].whole, found[1])
        if moved is not None:
            prefixed = Edit(moved.operation, chart.template.prefix + moved.path, moved.value)
            _add(chart, prefixed)
            return
    for document in documents:
        written = document.written_at(edit.path)
        if written is not None:
            where = f"{_shown(chart.template.template, cwd)}:{written[1]}"
            what = _described(edit, len(written[0]))
            note = f"{where}: {what} in the template (it is not read from .Values)"
            chart.notes.append(note)
            return


def _values_edit(
    edit: Edit, obj: K8sObject, values: tuple[str, ...], whole: bool, rest: tuple[str | int, ...]
) -> Edit | None:
    if edit.operation == "delete" and get_path(obj.data, edit.path) is True and (whole or not rest):
        # A switch the values turn on: false is what leaving it out means, and a values
        # file that already says false was overridden at render time (--set, -f).
        return Edit("set", values + rest, False)
    if whole:
        return Edit(edit.operation, values + rest, edit.value)
    if rest or edit.operation != "set":
        return None  # a scalar of the template holds no keys, and is no list
    return Edit("set", values, edit.value)


def _add(chart: _Chart, edit: Edit) -> None:
    """Keep ``edit`` unless an edit of the same field is there (a different one: the
    first stands, as a merge of the two would be a guess)."""
    if not any(other.overlaps(edit) and other != edit for other in chart.edits):
        if edit not in chart.edits:
            chart.edits.append(edit)


def _described(edit: Edit, depth: int) -> str:
    below = format_path(edit.path[depth:])
    parent = format_path(edit.path[:depth])
    if edit.operation == "set":
        return f"set {below}: {redact(flow(edit.value))} under {parent}"
    if edit.operation == "append":
        return f"add {redact(flow(edit.value))} to {below} under {parent}"
    return f"remove {below} under {parent}" if below else f"remove {parent}"


def _suggestion(chart: _Chart, cwd: Path) -> Suggestion:
    values_path = chart.template.values
    shown = _shown(values_path, cwd)
    out = Suggestion(chart.template.chart.name, shown, notes=list(dict.fromkeys(chart.notes)))
    if not chart.edits:
        return out
    text = read_chart_file(values_path, chart.template.chart)
    if text is None and os.path.lexists(values_path):
        out.notes.append(f"{shown}: cannot be read as a values file: no patch")
        return out
    old = text or ""
    try:
        current = read_mapping(old) or {}
        needed = [e for e in chart.edits if not is_noop(current, e)]
        new = edit_mapping_file(old, needed) if needed else old
    except Refused as exc:
        fields = ", ".join(format_path(e.path) for e in chart.edits)
        out.notes.append(f"{shown}: no patch ({exc.reason}); set {fields} there yourself")
        return out
    for edit in chart.edits:
        if edit not in needed:
            out.notes.append(_already(shown, edit, current))
    if new != old:
        raw = unified_diff(old, new, shown, created=text is None)
        out.patch = hide(raw, secret_values([current]))
        out.hides = out.patch != raw
    return out


def _already(shown: str, edit: Edit, current: Any) -> str:
    field = format_path(edit.path)
    if edit.operation == "set":
        said = f"sets {field} to {redact(flow(get_path(current, edit.path)))}"
    elif edit.operation == "append":
        said = f"lists {redact(flow(edit.value))} in {field}"
    else:
        said = f"leaves {field} out"
    return (
        f"{shown} already {said}, yet the output differs: it was rendered with other values "
        "(--set, -f): change them there"
    )


def _not_found(name: str, cwd: Path) -> Suggestion:
    note = (
        f"the chart '{redact(name)}' was not found under {redact(str(cwd))}: run kubelint "
        "fix from the folder that holds it to get values suggestions"
    )
    return Suggestion(redact(name), "", notes=[note])


def _shown(path: Path, cwd: Path) -> str:
    return redact(display_name(path, str(cwd)))
