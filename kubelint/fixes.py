"""Fixes of findings that the runner reports as one result, and the de-duplication itself.

Two findings of one check with the same message at the same spot are one problem to a
user, so they give one result. Each may carry a fix: the result keeps edits from both
when they touch different fields, and no fix at all (saying why) when they disagree about
a field, since applying either would be a guess.
"""

from __future__ import annotations

from dataclasses import replace

from kubelint.model import Edit, Fix, Result, crosses_shared, format_path

#: What makes two results one: check, file, line, column and message.
SpotKey = tuple[str, str, int, int, str]


def conflict(first: Fix, second: Fix) -> str | None:
    """Why two fixes cannot be applied together (None when they can).

    Identical edits are no conflict; any other two edits of one field, or of a field and
    a field inside it, are; so are two different new files.
    """
    if first.new_file and second.new_file and first.new_file != second.new_file:
        return "two fixes create different files"
    for edit in second.edits:
        for other in first.edits:
            if edit != other and edit.overlaps(other):
                return f"two fixes edit {_shown(edit)} differently"
    return None


def _shown(edit: Edit) -> str:
    # The key path comes from the input; format_path redacts it.
    return format_path(edit.path) or "the object"


def merge(first: Fix, second: Fix) -> Fix:
    """The edits of both fixes (duplicates once); check :func:`conflict` first.

    Safe only when both are.
    """
    edits = first.edits + tuple(e for e in second.edits if e not in first.edits)
    if second.description in (first.description, ""):
        description = first.description
    else:
        description = f"{first.description}; {second.description}"
    new_file = first.new_file or second.new_file
    return Fix(description, edits, first.safe and second.safe, new_file)


def merged(kept: Result, again: Result) -> Result:
    """``kept`` with the fix of ``again`` (a second finding at its spot) folded in."""
    if kept.fix_dropped is not None or again.fix is None or kept.fix == again.fix:
        return kept
    if kept.fix is None:
        return replace(kept, fix=again.fix)
    why = conflict(kept.fix, again.fix)
    if why is not None:
        return replace(kept, fix=None, fix_dropped=why)
    return replace(kept, fix=merge(kept.fix, again.fix))


class SeenResults:
    """The results reported so far, indexed by spot; a repeated one merges into the first."""

    __slots__ = ("_at", "_results")

    def __init__(self, results: list[Result]) -> None:
        self._results = results
        self._at: dict[SpotKey, int] = {}

    @staticmethod
    def _key(result: Result) -> SpotKey:
        where = result.location
        return (result.check, where.file, where.line, where.column, result.message)

    def merge(self, result: Result) -> bool:
        """Fold ``result`` into an earlier one at its spot; False when there is none."""
        index = self._at.get(self._key(result))
        if index is None:
            return False
        if result.fix is not None:
            self._results[index] = merged(self._results[index], result)
        return True

    def add(self, result: Result) -> None:
        """Report ``result`` (one :meth:`merge` found no earlier result for)."""
        self._at[self._key(result)] = len(self._results)
        self._results.append(result)


def refusal(result: Result) -> str | None:
    """Why an editing engine must not apply ``result``'s fix; None when it may.

    A result located by a character offset, or whose edits reach text that a YAML anchor,
    alias or merge key shares with other fields, cannot be edited at its key path alone.
    """
    if result.fix is None:
        return result.fix_dropped or "no fix is known"
    if result.by_offset:
        return "the finding is at a spot inside a value, not at a key path"
    if result.document is None:
        return "the object the finding is about is not known"
    for edit in result.fix.edits:
        if crosses_shared(result.document, edit.path):
            return (
                f"{_shown(edit)} is shared with other fields through a YAML anchor, alias or "
                "merge key"
            )
    return None


#: What :func:`fixable` says of a result.
FIXABLE = ("safe", "unsafe", "no")


def fixable(result: Result) -> str:
    """Whether ``result``'s fix can be applied, as reports show it.

    ``"safe"`` when a plain fix applies part of it (see :meth:`Fix.part`), ``"unsafe"``
    when all of its edits wait for ``--unsafe-fixes``, ``"no"`` when there is no fix, the
    fixes of two findings conflicted, the fix has neither edits nor a new file or
    :func:`refusal` refuses it, or the object was rendered by Helm or holds template markup
    (the editing engine edits neither: the template is what needs the fix). A fix that
    only creates a file is ``"unsafe"`` unless declared safe.
    """
    fix = result.fix
    if fix is None or not (fix.edits or fix.new_file) or refusal(result) is not None:
        return "no"
    obj = result.document
    if obj is not None and (
        obj.helm_source is not None or "{{" in obj.source.text[obj.text_start : obj.text_end]
    ):
        return "no"
    safe_part = fix.part(unsafe=False)
    if safe_part is not None and (safe_part.edits or safe_part.new_file):
        return "safe"
    return "unsafe"
