"""``kubelint fix``: apply the fixes of a run's findings to the files they were found in.

The findings come from an ordinary run (so suppressed and baselined findings, which are
not in it, are never fixed). Per file, the editing engine (:mod:`kubelint.edit`) turns the
fixes into text changes that touch only the lines they edit. A file is written only when
it still holds exactly the text that was linted (read again just before), through a
temporary file beside it that is renamed over it: never truncated, never half-written.
Standard input and Helm-rendered output are never edited in place.

A fix may instead create a new file beside the manifest of its finding (``Fix.new_file``):
it is created only when no file of that name exists (never overwritten, never appended
to), and never beside standard input or a Helm template.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import posixpath
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kubelint.atomic import new_file_mode, temporary_beside
from kubelint.fixes import refusal
from kubelint.loader.discovery import Unreadable, read_regular
from kubelint.model import Fix, K8sObject, Report, Result
from kubelint.plan import STDIN_NAME
from kubelint.redaction import hide, secret_values

_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class FileFix:
    """What fixing one file gives: its new text (None: unchanged) and the refusals."""

    display: str
    old: str
    new: str | None
    bom: bool = False
    applied: int = 0
    refused: list[str] = field(default_factory=list)
    #: Why the file cannot be written (not writable, changed since it was read...).
    problem: str | None = None
    #: A new file (``old`` is empty): the diff is from /dev/null and it is never overwritten.
    created: bool = False
    #: The file's values that output never shows (see :func:`kubelint.redaction.secret_values`).
    hidden: frozenset[str] = frozenset()

    @property
    def changed(self) -> bool:
        return self.new is not None and self.new != self.old

    def diff(self) -> tuple[str, bool]:
        """The change as a unified diff ("" when there is none), with the file's secret
        values and credential shapes shown as ``<redacted>``, and whether it hides any (it
        no longer applies as a patch then)."""
        if not self.changed:
            return "", False
        assert self.new is not None
        raw = unified_diff(self.old, self.new, self.display, created=self.created)
        shown = hide(raw, self.hidden)
        return shown, shown != raw


def unified_diff(old: str, new: str, display: str, *, created: bool = False) -> str:
    """``old`` -> ``new`` as a unified diff of ``a/display`` and ``b/display`` (from
    ``/dev/null`` for a file ``created``), each line ending in a line break."""
    lines = difflib.unified_diff(
        old.splitlines(keepends=True),
        new.splitlines(keepends=True),
        "/dev/null" if created else f"a/{display}",
        f"b/{display}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def plan_fixes(report: Report, *, unsafe: bool) -> list[FileFix]:
    """The new text of every file whose findings have fixes that apply (the safe edits,
    and the unsafe ones too with ``unsafe``)."""
    from kubelint.edit import apply

    by_source: dict[int, list[tuple[K8sObject, Fix]]] = {}
    for result in report.results:
        fix = applicable(result, unsafe)
        obj = result.document
        # Helm output is fixed in its chart: see kubelint.helm.suggest.
        if fix is not None and fix.edits and obj is not None and obj.helm_source is None:
            by_source.setdefault(id(obj.source), []).append((obj, fix))
    planned = []
    for objects, fixes in _files(report, by_source):
        source = objects[0].source
        applied = apply(source.text, objects, fixes)
        planned.append(
            FileFix(
                source.display,
                source.text,
                applied.text,
                applied=len(applied.applied),
                refused=[why for _, why in applied.refused],
                hidden=secret_values(o.data for o in objects),
            )
        )
    return planned + _new_files(report, unsafe)


def _new_files(report: Report, unsafe: bool) -> list[FileFix]:
    """The files fixes create (one per name), or why each cannot be created."""
    planned: dict[str, FileFix] = {}
    for result in report.results:
        fix = applicable(result, unsafe)
        obj = result.document
        if fix is None or fix.new_file is None or obj is None:
            continue
        name, text = fix.new_file
        display = posixpath.join(posixpath.dirname(obj.source.display), name)
        if display in planned:
            continue
        why = _cannot_create(obj, display, name)
        if why is not None:
            planned[display] = FileFix(obj.source.display, "", None, refused=[why])
        else:
            planned[display] = FileFix(display, "", text, applied=1, created=True)
    return list(planned.values())


def _cannot_create(obj: K8sObject, display: str, name: str) -> str | None:
    if obj.source.display == STDIN_NAME:
        return f"{name} is never created beside standard input"
    if obj.helm_source is not None:
        return f"{name} is never created beside Helm-rendered output"
    if os.path.lexists(display):
        return f"{display} already exists: it is never overwritten"
    return None


def applicable(result: Result, unsafe: bool) -> Fix | None:
    """The part of ``result``'s fix a run applies (all with ``unsafe``, else the safe
    part); None when there is none or :func:`refusal` refuses it."""
    if result.fix is None or refusal(result) is not None:
        return None
    return result.fix.part(unsafe)


def _files(
    report: Report, by_source: dict[int, list[tuple[K8sObject, Fix]]]
) -> Iterator[tuple[list[K8sObject], list[tuple[K8sObject, Fix]]]]:
    """Every loaded file with fixes: all its objects (the engine needs them in order)."""
    for loaded in report.retained:
        objects = list(getattr(loaded, "objects", ()))
        if objects and id(objects[0].source) in by_source:
            yield objects, by_source[id(objects[0].source)]


def write(planned: Sequence[FileFix], cwd: str) -> None:
    """Write each changed file, or say in ``problem`` why it was left as it is."""
    for item in planned:
        if item.changed:
            item.problem = _write_one(item, Path(cwd, item.display))


def _write_one(item: FileFix, path: Path) -> str | None:
    if item.created:
        return _create(path, (item.new or "").encode("utf-8"))
    if item.display == STDIN_NAME:
        return "standard input is never fixed in place (use --diff)"
    if path.is_symlink():
        # Written through, the fix would reach a file elsewhere; written over, the link
        # would become a copy. Its target is fixed where it is linted.
        return "is a symbolic link: kubelint rewrites only regular files"
    try:
        raw = read_regular(path, None)
    except Unreadable as exc:
        return exc.reason
    except OSError as exc:
        return f"cannot be read again: {exc.strerror or exc}"
    bom = raw.startswith(_UTF8_BOM)
    try:
        current = raw[len(_UTF8_BOM) if bom else 0 :].decode("utf-8")
    except UnicodeDecodeError:
        return "is not UTF-8 text: kubelint does not rewrite it"
    if current != item.old:
        return "changed on disk since it was read: run kubelint fix again"
    assert item.new is not None
    return _replace(path, (_UTF8_BOM if bom else b"") + item.new.encode("utf-8"))


def _create(path: Path, data: bytes) -> str | None:
    """Write ``data`` to a temporary file beside ``path`` and link it there: the new file
    appears whole or not at all, and a file that exists by then is left as it is."""
    try:
        temporary = temporary_beside(path, data, new_file_mode())
    except OSError as exc:
        return f"cannot be created: {exc.strerror or exc}"
    try:
        os.link(temporary, path)
    except FileExistsError:
        return "already exists: it is never overwritten"
    except OSError as exc:
        return f"cannot be created: {exc.strerror or exc}"
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    return None


def _replace(path: Path, data: bytes) -> str | None:
    """Write ``data`` to a temporary file beside ``path`` and rename it over ``path``,
    keeping its permissions; the original is untouched when anything fails."""
    if not os.access(path, os.W_OK):
        return "is not writable"
    try:
        temporary = temporary_beside(path, data, stat.S_IMODE(path.stat().st_mode))
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    try:
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return f"cannot be written: {exc.strerror or exc}"
    return None
