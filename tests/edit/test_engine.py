"""The editing engine on real shapes of manifests: each operation in each file style."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kubelint.edit import apply, apply_to_data, engine
from kubelint.model import Edit, Fix
from tests.edit.support import edit, edit_each, objects_of, reasons

C = ("spec", "containers", 0)
SC = (*C, "securityContext")
NO_ESCALATION = Edit("set", (*SC, "allowPrivilegeEscalation"), False)
SECCOMP = Edit("set", ("spec", "securityContext", "seccompProfile"), {"type": "RuntimeDefault"})

POD = """\
# a pod
apiVersion: v1
kind: Pod
metadata:
  name: web  # the name
spec:
  containers:
  - name: web
    image: nginx:1.27
    securityContext:
      privileged: true # needs the GPU
      runAsUser: 0
"""

BARE = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx:1.27
"""


def _changed(before: str, after: str) -> str:
    """``after`` must be ``before`` with lines inserted or replaced: the shared head and
    tail are cut, and what remains of ``after`` is returned."""
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    return after[head : len(after) - tail]


def test_set_adds_a_key_after_its_last_sibling() -> None:
    out = edit(POD, NO_ESCALATION)
    assert out.refused == []
    assert out.text == POD + "      allowPrivilegeEscalation: false\n"


def test_set_of_an_existing_scalar_keeps_the_comment_on_its_line() -> None:
    out = edit(POD, Edit("set", (*SC, "privileged"), False))
    assert out.text == POD.replace("privileged: true #", "privileged: false #")


def test_set_to_the_current_value_changes_nothing() -> None:
    out = edit(POD, Edit("set", (*SC, "privileged"), True))
    assert out.text == POD and len(out.applied) == 1


def test_delete_removes_the_line_with_its_comment_only() -> None:
    out = edit(POD, Edit("delete", (*SC, "privileged")))
    assert out.text == POD.replace("      privileged: true # needs the GPU\n", "")


def test_delete_removes_a_nested_block() -> None:
    out = edit(POD, Edit("delete", SC))
    assert out.text == POD.split("    securityContext:")[0]


def test_delete_of_the_last_key_leaves_an_empty_mapping() -> None:
    text = POD.replace("      runAsUser: 0\n", "")
    out = edit(text, Edit("delete", (*SC, "privileged")))
    assert out.text.endswith("    securityContext: {}\n")
    assert objects_of(out.text)[0].data["spec"]["containers"][0]["securityContext"] == {}


def test_delete_of_the_first_key_of_a_list_item_moves_the_next_one_up() -> None:
    out = edit(BARE, Edit("delete", (*C, "name")))
    assert out.text == BARE.replace("- name: web\n      image", "- image")


def test_a_missing_security_context_is_created_at_the_key_indentation() -> None:
    out = edit(BARE, NO_ESCALATION)
    assert out.text == BARE + "      securityContext:\n        allowPrivilegeEscalation: false\n"


def test_two_edits_under_one_missing_parent_share_it() -> None:
    read_only = Edit("set", (*SC, "readOnlyRootFilesystem"), True)
    out = edit(BARE, NO_ESCALATION, read_only)
    assert _changed(BARE, out.text) == (
        "      securityContext:\n"
        "        allowPrivilegeEscalation: false\n"
        "        readOnlyRootFilesystem: true\n"
    )


def test_a_pod_level_seccomp_profile_is_written_in_block_style() -> None:
    out = edit(BARE, SECCOMP)
    assert (
        out.text == BARE + "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
    )


@pytest.mark.parametrize(
    ("indent", "seq"),
    [(2, 0), (2, 2), (4, 0), (4, 4)],
    ids=["2-flush", "2-indented", "4-flush", "4-indented"],
)
def test_new_blocks_copy_the_file_indentation(indent: int, seq: int) -> None:
    i, d = " " * indent, " " * seq
    text = (
        f"apiVersion: v1\nkind: Pod\nmetadata:\n{i}name: web\nspec:\n{i}containers:\n"
        f"{i}{d}- name: web\n{i}{d}  image: nginx\n"
    )
    drop = Edit("set", (*SC, "capabilities", "drop"), ["ALL"])
    out = edit(text, drop)
    k = f"{i}{d}  "  # the container's keys
    assert out.text == text + (
        f"{k}securityContext:\n{k}{i}capabilities:\n{k}{i}{i}drop:\n{k}{i}{i}{d}- ALL\n"
    )


def test_append_adds_an_item_like_its_siblings() -> None:
    text = BARE + "      args:\n        - --a  # first\n        - --b\n"
    out = edit(text, Edit("append", (*C, "args"), "--c"))
    assert out.text == text + "        - --c\n"


def test_append_of_a_value_already_there_changes_nothing() -> None:
    text = BARE + "      args: [--a]\n"
    assert edit(text, Edit("append", (*C, "args"), "--a")).text == text


def test_append_creates_a_missing_list() -> None:
    out = edit(BARE, Edit("append", (*C, "args"), "--a"))
    assert out.text == BARE + "      args:\n        - --a\n"


def test_crlf_line_endings_are_kept() -> None:
    text = POD.replace("\n", "\r\n")
    out = edit(text, NO_ESCALATION, Edit("delete", (*SC, "runAsUser")))
    want = POD.replace("      runAsUser: 0\n", "      allowPrivilegeEscalation: false\n")
    assert out.text == want.replace("\n", "\r\n")


def test_a_byte_order_mark_is_kept() -> None:
    out = edit("\ufeff" + POD, NO_ESCALATION)
    assert out.text == "\ufeff" + POD + "      allowPrivilegeEscalation: false\n"


def test_a_last_line_without_a_line_break_stays_without_one() -> None:
    text = POD.rstrip("\n")
    assert edit(text, Edit("set", (*SC, "runAsUser"), 1000)).text == text[:-1] + "1000"
    out = edit(text, NO_ESCALATION)
    assert out.text == text + "\n      allowPrivilegeEscalation: false"


def test_tabs_in_comments_and_blank_lines_are_kept() -> None:
    text = POD.replace("# needs the GPU", "#\tneeds\tthe GPU") + "\n\n# end\t\n"
    out = edit(text, NO_ESCALATION)
    assert out.text == text.replace(
        "runAsUser: 0\n", "runAsUser: 0\n      allowPrivilegeEscalation: false\n"
    )


@pytest.mark.parametrize(
    ("before", "edits", "after"),
    [
        (
            "{runAsNonRoot: true}",
            [NO_ESCALATION],
            "{runAsNonRoot: true, allowPrivilegeEscalation: false}",
        ),
        (
            "{privileged: true, runAsUser: 0}",
            [Edit("delete", (*SC, "privileged"))],
            "{runAsUser: 0}",
        ),
        ("{a: 1, privileged: true}", [Edit("delete", (*SC, "privileged"))], "{a: 1}"),
        ("{privileged: true}", [Edit("delete", (*SC, "privileged"))], "{}"),
        (
            "{capabilities: {drop: [NET_RAW]}}",
            [Edit("append", (*SC, "capabilities", "drop"), "ALL")],
            "{capabilities: {drop: [NET_RAW, ALL]}}",
        ),
        (
            "{runAsUser: 0}",
            [Edit("set", (*SC, "seccompProfile"), {"type": "RuntimeDefault"})],
            "{runAsUser: 0, seccompProfile: {type: RuntimeDefault}}",
        ),
    ],
)
def test_flow_mappings_are_edited_inside_their_braces(
    before: str, edits: list[Edit], after: str
) -> None:
    text = BARE + f"      securityContext: {before}  # flow\n"
    out = edit(text, *edits)
    assert out.refused == []
    assert out.text == BARE + f"      securityContext: {after}  # flow\n"


def test_an_empty_flow_mapping_in_a_block_is_filled_as_a_block() -> None:
    # `securityContext: {}` is a placeholder (what a delete of its last key leaves, and
    # what charts' values files hold): people fill it in block style, comment kept.
    text = BARE + "      securityContext: {}  # to fill\n"
    out = edit(text, NO_ESCALATION, Edit("append", (*SC, "capabilities", "drop"), "ALL"))
    assert out.refused == []
    assert out.text == BARE + (
        "      securityContext:  # to fill\n"
        "        allowPrivilegeEscalation: false\n"
        "        capabilities:\n"
        "          drop:\n"
        "            - ALL\n"
    )


def test_an_empty_flow_mapping_inside_flow_stays_flow() -> None:
    text = BARE + "      securityContext: {seLinuxOptions: {}}\n"
    out = edit(text, Edit("set", (*SC, "seLinuxOptions", "level"), "s0"))
    assert out.refused == []
    assert out.text == BARE + "      securityContext: {seLinuxOptions: {level: s0}}\n"


def test_a_null_parent_becomes_a_mapping() -> None:
    text = BARE + "      securityContext:  # to do\n      ports: []\n"
    out = edit(text, NO_ESCALATION)
    assert out.text == BARE + (
        "      securityContext:  # to do\n        allowPrivilegeEscalation: false\n      ports: []\n"
    )


def test_multi_document_streams_edit_each_object_in_its_own_document() -> None:
    second = POD.replace("name: web ", "name: db ")
    text = "---\n" + BARE + "...\n# between\n\n---\n" + second + "---\n# trailing\n"
    out = edit_each(text, [(1, [NO_ESCALATION]), (0, [SECCOMP])])
    assert out.refused == []
    want = (
        "---\n" + BARE + "  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n"
        "...\n# between\n\n---\n" + second + "      allowPrivilegeEscalation: false\n"
        "---\n# trailing\n"
    )
    assert out.text == want


def test_list_items_are_edited_inside_their_item() -> None:
    item = "".join("  " + line + "\n" for line in BARE.splitlines())
    text = "apiVersion: v1\nkind: List\nitems:\n- " + item[2:] + "- " + item[2:] + "# end\n"
    out = edit(text, NO_ESCALATION, index=1)
    assert out.refused == []
    assert out.text == text.replace(
        "# end\n", "        securityContext:\n          allowPrivilegeEscalation: false\n# end\n"
    )
    assert "securityContext" not in str(objects_of(out.text)[0].data)


@pytest.mark.parametrize(
    ("text", "edits", "reason"),
    [
        (
            BARE + "      securityContext: &sc {runAsUser: 1}\n"
            "    - name: b\n      image: x\n      securityContext: *sc\n",
            [NO_ESCALATION],
            "anchor",
        ),
        (
            "x: &c {runAsUser: 1}\n" + BARE + "      securityContext:\n        <<: *c\n",
            [Edit("set", (*SC, "runAsUser"), 2)],
            "merge key",
        ),
        (BARE + "      securityContext: true\n", [NO_ESCALATION], "not a mapping"),
        (BARE + '      command: ["{{ .Values.cmd }}"]\n', [NO_ESCALATION], "template"),
        (BARE, [NO_ESCALATION, Edit("delete", SC)], "edited by another fix"),
        (BARE + "      args: x\n", [Edit("append", (*C, "args"), "y")], "not a list"),
        (BARE, [Edit("set", ("spec", "containers", 3, "name"), "x")], "list item is missing"),
    ],
    ids=["alias", "merge", "scalar", "templated", "overlap", "append-scalar", "no-item"],
)
def test_fixes_that_cannot_be_applied_exactly_are_refused(
    text: str, edits: list[Edit], reason: str
) -> None:
    objects = objects_of(text)
    out = apply(text, objects, [(objects[0], Fix("fix", tuple(edits)))])
    assert out.text == text and out.applied == []
    assert len(out.refused) == 1 and reason in out.refused[0][1], out.refused


def test_a_refused_fix_leaves_the_others_applied() -> None:
    objects = objects_of(POD)
    fixes = [
        (objects[0], Fix("one", (NO_ESCALATION,))),
        (objects[0], Fix("two", (Edit("delete", (*SC, "allowPrivilegeEscalation")),))),
        (objects[0], Fix("three", (Edit("delete", (*SC, "privileged")),))),
    ]
    out = apply(POD, objects, fixes)
    assert [fix.description for fix in out.applied] == ["one", "three"]
    assert reasons(out) == [
        "spec.containers[0].securityContext.allowPrivilegeEscalation is edited by another fix too"
    ]
    data = objects_of(out.text)[0].data["spec"]["containers"][0]["securityContext"]
    assert data == {"runAsUser": 0, "allowPrivilegeEscalation": False}


def test_helm_rendered_objects_are_refused() -> None:
    text = "---\n# Source: chart/templates/pod.yaml\n" + BARE
    out = edit(text, NO_ESCALATION)
    assert out.text == text and "Helm" in reasons(out)[0]


def test_applying_the_fixes_again_changes_nothing() -> None:
    edits = (NO_ESCALATION, SECCOMP, Edit("append", (*SC, "capabilities", "drop"), "ALL"))
    once = edit(BARE, *edits)
    assert once.refused == []
    twice = edit(once.text, *edits)
    assert twice.text == once.text and twice.refused == []


def test_a_new_list_copies_its_siblings_before_the_rest_of_the_object() -> None:
    # The object's first list (containers) is flush with its key; the sibling list under
    # capabilities is indented: the new one follows the sibling.
    text = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n"
        "  - name: web\n    securityContext:\n      capabilities:\n        add:\n"
        "          - IPC_LOCK\n"
    )
    out = edit(text, Edit("set", (*SC, "capabilities", "drop"), ["ALL"]))
    assert out.text == text + "        drop:\n          - ALL\n"
    # With no list under the parent, the object's own style (flush) is used.
    out = edit(text, Edit("set", ("metadata", "finalizers"), ["a"]))
    assert out.text == text.replace("  name: web\n", "  name: web\n  finalizers:\n  - a\n")


JSON_POD = """\
{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "web"},
  "spec": {
    "containers": [
      {
        "name": "web",
        "image": "nginx:1.27"
      }
    ]
  }
}
"""


def test_json_manifests_stay_json() -> None:
    out = edit(JSON_POD, NO_ESCALATION, SECCOMP)
    assert out.refused == []
    assert json.loads(out.text) == apply_to_data(json.loads(JSON_POD), [NO_ESCALATION, SECCOMP])
    assert out.text == JSON_POD.replace(
        '"image": "nginx:1.27"\n',
        '"image": "nginx:1.27",\n        "securityContext": {"allowPrivilegeEscalation": false}\n',
    ).replace(
        "    ]\n  }\n",
        '    ],\n    "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}}\n  }\n',
    )


@pytest.mark.parametrize(
    ("before", "edits", "after"),
    [
        ("args: []", [Edit("append", (*C, "args"), "--a")], "args: [--a]"),
        ("args: [--a]", [Edit("append", (*C, "args"), "x y")], "args: [--a, x y]"),
        (
            "ports:\n      - containerPort: 80\n        name: http",
            [Edit("append", (*C, "ports"), {"containerPort": 443, "name": "https"})],
            "ports:\n      - containerPort: 80\n        name: http\n"
            "      - containerPort: 443\n        name: https",
        ),
        ("command: |\n        sleep 1\n", [Edit("set", (*C, "command"), "x")], "command: x\n"),
        (
            "resources: {limits: {cpu: 1}}",
            [Edit("set", (*C, "resources"), {"limits": {"cpu": "1.5"}})],
            'resources: {limits: {cpu: "1.5"}}',
        ),
        (
            "env:\n      - name: A\n        value: 'on'",
            [Edit("set", (*C, "env", 0, "value"), "off")],
            'env:\n      - name: A\n        value: "off"',
        ),
        (
            "ports:\n      - containerPort: 80\n      - containerPort: 81",
            [Edit("delete", (*C, "ports", 0))],
            "ports:\n      - containerPort: 81",
        ),
        (
            "ports:\n      - containerPort: 80",
            [Edit("delete", (*C, "ports", 0))],
            "ports: []",
        ),
    ],
    ids=[
        "empty-flow",
        "flow",
        "block-mapping-item",
        "block-scalar",
        "flow-value",
        "quoted",
        "item",
        "last-item",
    ],
)
def test_more_shapes(before: str, edits: list[Edit], after: str) -> None:
    text = BARE + f"      {before}\n"
    out = edit(text, *edits)
    assert out.refused == []
    assert out.text == BARE + f"      {after}\n"


def test_a_fix_whose_text_does_not_read_back_is_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: a wrong splice is caught by reading the document again."""
    real = engine.splice

    def wrong(doc: Any, edit: Edit) -> tuple[int, int, str]:
        start, end, text = real(doc, edit)
        return start, end, text.replace("false", "true")

    objects = objects_of(POD)
    fixes = [
        (objects[0], Fix("wrong", (NO_ESCALATION,))),
        (objects[0], Fix("right", (Edit("delete", (*SC, "privileged")),))),
    ]
    monkeypatch.setattr(engine, "splice", wrong)
    out = apply(POD, objects, fixes)
    assert reasons(out) == ["the edited text did not read back as the edits describe"]
    assert out.text == POD.replace("      privileged: true # needs the GPU\n", "")


def test_nothing_is_applied_when_the_whole_file_does_not_read_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = engine.load_source

    def other_data(display: str, raw: bytes) -> Any:
        loaded = real(display, raw)
        loaded.objects[0].data["kind"] = "Other"
        return loaded

    monkeypatch.setattr(engine, "load_source", other_data)
    out = edit(POD, NO_ESCALATION)
    assert out.text == POD and out.applied == []
    assert reasons(out) == ["the file did not read back as expected"]


def test_objects_of_another_text_are_refused() -> None:
    objects = objects_of(POD)
    out = apply(BARE + "---\n" + BARE, objects, [(objects[0], Fix("f", (NO_ESCALATION,)))])
    assert out.applied == [] and reasons(out) == ["the objects are not those of the text"]


def test_deleting_the_only_key_of_a_list_item_leaves_an_empty_mapping() -> None:
    text = BARE + "      ports:\n      - containerPort: 80  # http\n      - containerPort: 81\n"
    out = edit(text, Edit("delete", (*C, "ports", 0, "containerPort")))
    assert out.refused == []
    assert out.text == BARE + "      ports:\n      - {}  # http\n      - containerPort: 81\n"


def test_an_edit_that_would_leave_no_kubernetes_object_is_refused() -> None:
    out = edit(BARE, Edit("delete", ("kind",)))
    assert out.text == BARE and reasons(out) == ["the object would lose its apiVersion or kind"]
