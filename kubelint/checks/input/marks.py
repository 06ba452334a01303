"""What the input checks share: findings at the spots the loader marked in the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from kubelint.model import Finding, K8sObject, KeyPath

#: (message, hint) for the mark at a character offset of the source, on a key path.
Describe = Callable[[int, KeyPath], tuple[str, str | None]]


def at_marks(obj: K8sObject, offsets: Iterable[int], describe: Describe) -> Iterator[Finding]:
    """A finding at each marked offset, on the key path of the field that holds it."""
    for offset in offsets:
        path = obj.path_at(offset)
        message, hint = describe(offset, path)
        yield Finding(path, message, hint=hint, offset=offset)
