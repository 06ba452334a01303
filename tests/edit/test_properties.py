"""Properties of the editing engine over generated manifests in many file styles.

(1) lines outside the edited spans are kept byte for byte and in order, (2) the new text
reads back as the data the applied edits describe, (3) applying the fixes again changes
nothing.
"""

from __future__ import annotations

import difflib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kubelint.edit import apply, apply_to_data
from kubelint.model import Edit, Fix, KeyPath
from tests.edit.support import objects_of


def _sc_lines(draw: Any, column: int, step: str, dash: str) -> list[str]:
    """A container's securityContext: absent, in flow style or in block style."""
    pad = " " * column
    shape = draw(st.sampled_from(["none", "flow", "block", "null"]))
    fields = draw(st.lists(st.sampled_from(["privileged", "runAsUser", "drop"]), unique=True))
    if shape == "none":
        return []
    if shape == "null":
        return [f"{pad}securityContext:"]
    if shape == "flow":
        parts = {"privileged": "privileged: true", "runAsUser": "runAsUser: 0"}
        parts["drop"] = "capabilities: {drop: [NET_RAW]}"
        return [f"{pad}securityContext: {{{', '.join(parts[f] for f in fields)}}}"]
    lines = [f"{pad}securityContext:"]
    inner = pad + step
    for name in fields or ["runAsUser"]:
        if name == "drop":
            lines += [
                f"{inner}capabilities:",
                f"{inner}{step}drop:",
                f"{inner}{step}{dash}- NET_RAW",
            ]
        else:
            lines.append(f"{inner}{name}: {'true' if name == 'privileged' else '0'}")
    return lines


@st.composite
def _document(draw: Any, number: int, step: str, dash: str) -> tuple[list[str], int]:
    """One pod's lines and how many containers it has."""
    lines = ["apiVersion: v1", "kind: Pod", "metadata:", f"{step}name: pod-{number}", "spec:"]
    lines.append(f"{step}containers:")
    containers = draw(st.integers(1, 2))
    column = len(step) + len(dash) + 2
    for index in range(containers):
        lines.append(f"{step}{dash}- name: c{index}")
        lines.append(f"{' ' * column}image: nginx:1.27")
        lines += _sc_lines(draw, column, step, dash)
    return lines, containers


@st.composite
def manifests(draw: Any) -> tuple[str, list[int]]:
    """A stream of pods (or a ``kind: List`` of them) in one of many styles, with comments
    and markers, and the number of containers of each pod."""
    step = " " * draw(st.sampled_from([2, 4]))
    dash = draw(st.sampled_from(["", step]))
    as_list = draw(st.integers(0, 3)) == 0
    lines: list[str] = ["apiVersion: v1", "kind: List", "items:"] if as_list else []
    counts = []
    for number in range(draw(st.integers(1, 3))):
        body, containers = draw(_document(number, step, dash))
        counts.append(containers)
        if as_list:
            pad = step if dash else ""
            body = [f"{pad}- {body[0]}"] + [f"{pad}  {line}" for line in body[1:]]
        elif number or draw(st.booleans()):
            lines.append("---")
        for line in body:
            if draw(st.integers(0, 5)) == 0:
                lines.append(f"{' ' * draw(st.integers(0, 6))}#\tcomment {len(lines)}")
            if draw(st.integers(0, 6)) == 0:
                lines.append("")
            trailing = draw(st.integers(0, 4)) == 0 and ":" in line and not line.endswith(":")
            lines.append(line + (f"  # note {len(lines)}" if trailing else ""))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.integers(0, 4)) else "")
    return ("\ufeff" if draw(st.integers(0, 5)) == 0 else "") + text, counts


def _edits(draw: Any, containers: int) -> list[Edit]:
    sc: KeyPath = ("spec", "containers", draw(st.integers(0, containers - 1)), "securityContext")
    pool = [
        Edit("set", (*sc, "allowPrivilegeEscalation"), draw(st.booleans())),
        Edit("set", (*sc, "runAsUser"), draw(st.integers(0, 70000))),
        Edit("delete", (*sc, "privileged")),
        Edit("delete", (*sc, "runAsUser")),
        Edit("append", (*sc, "capabilities", "drop"), "ALL"),
        Edit("set", ("spec", "securityContext", "seccompProfile"), {"type": "RuntimeDefault"}),
        Edit("set", ("metadata", "labels", "app"), draw(st.sampled_from(["web", "yes", "1.0"]))),
    ]
    return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique_by=repr))


@st.composite
def cases(draw: Any) -> tuple[str, list[tuple[int, list[Edit]]]]:
    text, counts = draw(manifests())
    fixes = []
    for _ in range(draw(st.integers(1, 4))):
        document = draw(st.integers(0, len(counts) - 1))
        fixes.append((document, _edits(draw, counts[document])))
    return text, fixes


def _run(text: str, fixes: list[tuple[int, list[Edit]]]) -> tuple[Any, list[Any], list[Any]]:
    objects = objects_of(text)
    pairs = [(objects[i], Fix(f"fix {n}", tuple(e))) for n, (i, e) in enumerate(fixes)]
    return apply(text, objects, pairs), pairs, objects


@settings(max_examples=250, deadline=None)
@given(cases())
def test_edits_keep_other_lines_read_back_and_are_idempotent(
    case: tuple[str, list[tuple[int, list[Edit]]]],
) -> None:
    text, fixes = case
    out, pairs, objects = _run(text, fixes)
    # Only two fixes that edit one field differently are refused in these shapes.
    assert all("edited by another fix" in reason for _, reason in out.refused), out.refused
    applied = {id(fix) for fix in out.applied}

    # (2) reads back as the applied edits describe; refused fixes left no trace
    for obj, new in zip(objects, objects_of(out.text), strict=True):
        edits = [e for (o, f) in pairs if id(f) in applied and o is obj for e in f.edits]
        assert new.data == apply_to_data(obj.data, edits)
        assert (new.doc_index, new.item_index) == (obj.doc_index, obj.item_index)

    # (1) untouched lines are kept verbatim and in order: each edit changes at most the
    # two lines of its entry (an emptied mapping's key and the deleted key)
    # (compared without their line breaks: deleting the last line of a text that ends
    # without one takes the break before it, which is checked below)
    before, after = text.splitlines(), out.text.splitlines()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    lost = [
        line for tag, i, j, _, _ in matcher.get_opcodes() if tag != "equal" for line in before[i:j]
    ]
    edits_made = sum(len(f.edits) for f in out.applied)
    assert len([line for line in lost if line.strip()]) <= 2 * edits_made
    assert not [line for line in lost if line.lstrip().startswith("#") or line.strip() == "---"]
    assert out.text.startswith("\ufeff") == text.startswith("\ufeff")
    if "\r\n" in text:
        assert out.text.count("\n") == out.text.count("\r\n")
    if before[-1] == after[-1]:
        assert out.text.endswith("\n") == text.endswith("\n")

    # (3) idempotent
    again, _, _ = _run(out.text, fixes)
    assert again.text == out.text
