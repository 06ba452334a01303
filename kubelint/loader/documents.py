"""One source (file or standard input) to Kubernetes objects, errors and notices."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from kubelint.loader import fastread
from kubelint.loader.fastread import ReadDocument
from kubelint.loader.source import DecodeError, SourceFile, decode
from kubelint.model import InputProblem, K8sObject, KeyPath, Locator
from kubelint.once import once

if TYPE_CHECKING:  # PyYAML loads only for texts the compiled reader leaves to it
    from kubelint.loader.yamlparse import ParseError

#: A Helm ``# Source:`` comment line (the name is stripped of trailing blanks afterwards: a
#: lazy name before ``\s*$`` backtracks quadratically on a long run of blanks).
_HELM_SOURCE_RE = re.compile(r"#[ \t]*Source:[ \t]*(\S[^\n]*)")

#: The most text one YAML document may hold (characters). libyaml keeps a document's whole
#: node graph, some 50 times the size of its text, so a larger one is an input error rather
#: than a MemoryError; the other documents of the file are still read.
MAX_DOCUMENT_CHARS = 64 * 1024 * 1024

_NOTHING_SHARED: frozenset[KeyPath] = frozenset()

UNRENDERED_TEMPLATE = "unrendered Helm template: pipe `helm template` output into kubelint"


#: apiVersions of files that look like objects but configure tools, not the cluster:
#: kustomize (kustomizations, components) and skaffold.
_TOOL_API_GROUPS = ("kustomize.config.k8s.io/", "skaffold/")
#: kustomize's built-in transformer and generator configurations.
_TOOL_API_VERSIONS = frozenset({"builtin"})

#: A line that starts a new YAML document (libyaml honours it in any context), after any of
#: libyaml's line breaks.
_DOCUMENT_MARKER_RE = re.compile(
    "(?:(?<=[\r\n\x85\u2028\u2029])|\\A)---(?=[ \t\r\n\x85\u2028\u2029]|\\Z)"
)
#: Text that suggests a manifest: a top-level YAML key, a JSON key at any depth, or a key
#: right after the brace of a YAML flow mapping.
_MANIFEST_SIGN_RE = re.compile(
    r"""^(?:---[ \t]+)?["']?(?:apiVersion|kind)["']?[ \t]*:"""
    r"""|["'](?:apiVersion|kind)["'][ \t]*:"""
    r"""|\{[ \t]*(?:apiVersion|kind)[ \t]*:""",
    re.MULTILINE,
)


@dataclass
class LoadedFile:
    """One file read: its objects, and the problems that kept parts of it from being read."""

    source: SourceFile
    objects: list[K8sObject] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    notices: list[InputProblem] = field(default_factory=list)
    #: Non-empty documents that are not Kubernetes objects (values files, CI configs, ...).
    skipped: int = 0


def _is_object(data: Any) -> bool:
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and isinstance(data.get("kind"), str)
        and bool(data["apiVersion"])
        and bool(data["kind"])
        and not data["apiVersion"].startswith(_TOOL_API_GROUPS)
        and data["apiVersion"] not in _TOOL_API_VERSIONS
    )


def _is_list(data: dict[str, Any]) -> bool:
    return data["kind"].endswith("List") and isinstance(data.get("items"), list)


def _is_helm_template(display: str) -> bool:
    return "templates" in PurePath(display).parts


def looks_like_manifest(text: str) -> bool:
    """Whether text that could not be read shows any sign of being a Kubernetes manifest."""
    return _MANIFEST_SIGN_RE.search(text) is not None


@dataclass(frozen=True)
class ReadOptions:
    """How the objects of one source are built."""

    default_namespace: str = "default"
    #: Keep no parse nodes: objects re-parse their document when a position is needed.
    low_memory: bool = False
    #: The source is a kustomize patch (its objects hold only the fields it changes).
    patch: bool = False
    #: Which objects keep their parse node (None: all, unless ``low_memory``); the others
    #: re-parse their document if a position is ever needed.
    keep_node: Callable[[K8sObject], bool] | None = None


def load_source(
    display: str,
    raw: bytes,
    *,
    default_namespace: str = "default",
    reported: bool = True,
    low_memory: bool = False,
    stdin: bool = False,
    walked: bool = False,
    patch: bool = False,
    keep_node: Callable[[K8sObject], bool] | None = None,
) -> LoadedFile:
    """Read one source; never raises for bad input (problems are returned).

    With ``low_memory`` no parse nodes are kept: an object re-parses its document when a
    finding needs a position (for very large inputs, where nodes would take 50 times the
    size of the text). ``keep_node`` chooses the objects that keep theirs.

    A file found by walking a folder (``walked``) that cannot be read and shows no sign of
    being a manifest (a data file, a JSON-lines sample) is skipped with a notice rather
    than failing the run; a file named by the user fails closed.
    """
    try:
        text = decode(raw)
    except DecodeError as exc:
        return _undecodable(SourceFile(display, "", reported, stdin), raw, exc, walked)
    result = LoadedFile(SourceFile(display, text, reported, stdin))
    if "{{" in text and _is_helm_template(display):
        result.notices.append(InputProblem(display, None, None, UNRENDERED_TEMPLATE))
        return result
    _read_documents(result, ReadOptions(default_namespace, low_memory, patch, keep_node))
    if walked and result.errors and not result.objects:
        _skip_if_not_a_manifest(result, text)
    if result.objects and result.objects[-1].item_index is None:
        # Text after the last document (trailing comments) belongs to the last object.
        result.objects[-1].text_end = len(text)
    return result


def _undecodable(source: SourceFile, raw: bytes, exc: DecodeError, walked: bool) -> LoadedFile:
    """A source that is not text: an error at the first bad byte (or skipped, see above)."""
    result = LoadedFile(source)
    result.errors.append(InputProblem(source.display, exc.line, exc.column, str(exc)))
    if walked:
        _skip_if_not_a_manifest(result, raw.decode("utf-8", "replace"))
    return result


def _skip_if_not_a_manifest(result: LoadedFile, text: str) -> None:
    """Turn the errors of an unreadable file into a notice when it is no manifest at all."""
    if looks_like_manifest(text):
        return
    first = result.errors[0]
    result.errors.clear()
    result.skipped = 1  # the file, whatever documents it held before the error
    result.notices.append(
        InputProblem(
            first.file,
            first.line,
            first.column,
            f"not a manifest: no apiVersion or kind, and {first.message}; skipped",
        )
    )


def _read_documents(result: LoadedFile, options: ReadOptions) -> None:
    """Parse every document of the source into objects.

    A document that cannot be read is an error at its line, and reading goes on at the
    next document marker, so one broken document never hides the rest of a stream. After
    a broken document the rest is read marker by marker (each part once: no quadratic
    re-reading however many documents are broken); those documents' nodes count lines
    from where their part starts, so they keep none and re-parse their own range when a
    position is needed (loader.positions.ReparseLocator).
    """
    reader = _DocumentReader(result, options)
    text = result.source.text
    if len(text) > MAX_DOCUMENT_CHARS:
        _read_large(reader, text)
        return
    stopped = reader.read(0, len(text))
    if stopped is None:
        return
    resume = _next_document(text, stopped, result.errors[-1].line, result.source.line_starts)
    if resume is None:
        return
    starts = [match.start() for match in _DOCUMENT_MARKER_RE.finditer(text, resume)]
    for index, part_start in enumerate(starts):
        part_end = starts[index + 1] if index + 1 < len(starts) else len(text)
        reader.read(part_start, part_end)


def _read_large(reader: _DocumentReader, text: str) -> None:
    """Read a text larger than one document may be, marker by marker.

    A part between two document markers larger than MAX_DOCUMENT_CHARS is an error at its
    first line and is not parsed.
    """
    result = reader.result
    starts = [match.start() for match in _DOCUMENT_MARKER_RE.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    for index, part_start in enumerate(starts):
        part_end = starts[index + 1] if index + 1 < len(starts) else len(text)
        if part_end - part_start <= MAX_DOCUMENT_CHARS:
            reader.read(part_start, part_end)
            continue
        reader.doc_index += 1
        line, _ = result.source.position(part_start)
        result.errors.append(
            InputProblem(
                result.source.display,
                line,
                1,
                f"document larger than {MAX_DOCUMENT_CHARS // (1024 * 1024)} MiB of text; "
                "kubelint does not read it (split it into smaller documents)",
            )
        )


class _DocumentReader:
    """Reads documents from ranges of one source into its LoadedFile."""

    def __init__(self, result: LoadedFile, options: ReadOptions) -> None:
        self.result = result
        self.options = options
        self.helm_sources = _helm_sources(result.source.text)
        #: Their offsets, in order, to find a document's comment by bisection (a scan of
        #: every comment for every document is quadratic in a large rendered chart).
        self.helm_offsets = [offset for offset, _ in self.helm_sources]
        self.doc_index = -1

    @once
    def templated(self) -> bool:
        """Whether the text holds template markup (asked once, however many errors)."""
        return "{{" in self.result.source.text

    def read(self, base: int, stop: int) -> int | None:
        """Read the documents of ``text[base:stop]``.

        Returns None, or after an error (recorded) where the broken document's text begins.
        The whole text is read by the compiled reader when it can (see loader.fastread);
        parts, and texts it refuses, the pure-Python way.
        """
        text = self.result.source.text
        whole = base == 0 and stop == len(text)
        documents = fastread.read(text) if whole else None
        if documents is not None:
            previous_end = 0
            for document in documents:
                self.doc_index += 1
                self._document(document, 0, previous_end, _NOTHING_SHARED)
                previous_end = document.end
            return None
        return self._read_pure(text if whole else text[base:stop], base)

    def _read_pure(self, text: str, base: int) -> int | None:
        """:meth:`read` through PyYAML's node graph."""
        from kubelint.loader.positions import NodeLocator
        from kubelint.loader.yamlparse import ParseError, parse_documents

        previous_end = base  # where the current document's text (comments included) begins
        try:
            for node, data, duplicates, ambiguous, unusual, shared in parse_documents(
                text, self.result.source.display
            ):
                self.doc_index += 1
                start = previous_end
                previous_end = base + node.end_mark.index
                document = ReadDocument(
                    data,
                    node.start_mark.index,
                    node.end_mark.index,
                    NodeLocator(node),
                    duplicates,
                    ambiguous,
                    unusual,
                )
                self._document(document, base, start, shared)
        except ParseError as exc:
            self._broken(exc, base)
            return previous_end
        return None

    def _broken(self, exc: ParseError, base: int) -> None:
        """Record a document that cannot be read, at its line in the file."""
        self.doc_index += 1  # the broken document keeps its place in the stream
        source = self.result.source
        line_offset = source.position(base)[0] - 1 if base else 0
        line = exc.line + line_offset if exc.line is not None else None
        message = f"invalid YAML: {exc.message}"
        if self.templated:
            message += " (is this an unrendered template? pipe `helm template` output instead)"
        self.result.errors.append(InputProblem(source.display, line, exc.column, message))

    def _document(
        self, document: ReadDocument, base: int, start: int, shared: frozenset[KeyPath]
    ) -> None:
        """The objects of one parsed document whose text begins at ``start``."""
        data = document.data
        result = self.result
        if data is None or data == "" or data == {} or data == []:
            return
        if not _is_object(data):
            result.skipped += 1
            return
        node_start = base + document.start
        end = base + document.end
        duplicates, ambiguous = document.duplicates, document.ambiguous
        if base:
            duplicates = [off + base for off in duplicates]
            ambiguous = [off + base for off in ambiguous]
        added = len(result.objects)
        helm = self._helm_source(start, node_start)
        unusual_keys = document.unusual_keys
        if _is_list(data):
            self._add_items(
                data, document.locator, base, (duplicates, ambiguous), helm, unusual_keys
            )
        else:
            result.objects.append(
                self._object(
                    data,
                    None,
                    helm,
                    document.locator,
                    (start, end),
                    (tuple(duplicates), tuple(ambiguous)),
                    unusual_keys,
                )
            )
        if shared:
            _share(result.objects[added:], shared)
        self._keep_nodes(result.objects[added:], (node_start, end), reparsed=bool(base))

    def _helm_source(self, start: int, node_start: int) -> str | None:
        """The template a ``# Source:`` comment between ``start`` and the node names."""
        last = bisect.bisect_left(self.helm_offsets, node_start) - 1
        if last >= 0 and self.helm_offsets[last] >= start:
            return self.helm_sources[last][1]
        return None

    def _object(
        self,
        data: dict[str, Any],
        item_index: int | None,
        helm: str | None,
        locator: Locator,
        text_range: tuple[int, int],
        offsets: tuple[tuple[int, ...], tuple[int, ...]],
        unusual_keys: bool,
    ) -> K8sObject:
        return K8sObject(
            data=data,
            source=self.result.source,
            doc_index=self.doc_index,
            item_index=item_index,
            helm_source=helm,
            default_namespace=self.options.default_namespace,
            locator=locator,
            text_start=text_range[0],
            text_end=text_range[1],
            duplicate_key_offsets=offsets[0],
            ambiguous_bool_offsets=offsets[1],
            patch=self.options.patch,
            unusual_keys=unusual_keys,
        )

    def _add_items(
        self,
        data: dict[str, Any],
        locator: Any,
        base: int,
        offsets: tuple[list[int], list[int]],
        helm: str | None,
        unusual_keys: bool,
    ) -> None:
        """The items of a ``kind: List`` document, each an object of its own.

        Duplicate keys and ambiguous booleans outside every item (``items:`` written twice)
        go with the first item linted, so they are still reported.
        """
        result = self.result
        item_locators = locator.list_items()
        duplicates, ambiguous = (sorted(set(found)) for found in offsets)
        claimed: set[int] = set()
        first: K8sObject | None = None
        for index, item in enumerate(data["items"]):
            if not _is_object(item) or index >= len(item_locators):
                result.skipped += 1
                continue
            item_locator = item_locators[index]
            item_start, item_end = (base + offset for offset in item_locator.span())
            obj = self._object(
                item,
                index,
                helm,
                item_locator,
                (item_start, item_end),
                (
                    _within(duplicates, item_start, item_end),
                    _within(ambiguous, item_start, item_end),
                ),
                unusual_keys,
            )
            result.objects.append(obj)
            claimed.update(obj.duplicate_key_offsets, obj.ambiguous_bool_offsets)
            first = first or obj
        if first is not None:
            first.duplicate_key_offsets += tuple(o for o in duplicates if o not in claimed)
            first.ambiguous_bool_offsets += tuple(o for o in ambiguous if o not in claimed)

    def _keep_nodes(
        self, objects: list[K8sObject], document: tuple[int, int], reparsed: bool
    ) -> None:
        """Let objects that need not keep their node go of it (see ReadOptions).

        A document read from the middle of the text (``reparsed``) has marks that count
        from its part: it keeps no node either.
        """
        keep = self.options.keep_node
        if not (self.options.low_memory or reparsed or keep is not None):
            return
        from kubelint.loader.positions import ReparseLocator

        for obj in objects:
            if self.options.low_memory or reparsed or (keep is not None and not keep(obj)):
                obj.locator = ReparseLocator(obj.source, document, obj.item_index)


def _within(offsets: list[int], start: int, end: int) -> tuple[int, ...]:
    """The sorted ``offsets`` in ``[start, end)``."""
    return tuple(offsets[bisect.bisect_left(offsets, start) : bisect.bisect_left(offsets, end)])


def _next_document(
    text: str, broken_start: int, error_line: int | None, line_starts: list[int]
) -> int | None:
    """Where the document after a broken one starts (a ``---`` line), or None.

    The broken document's text begins at ``broken_start``. The next document is the first
    marker at or after the error's line that has some of the broken document before it: a
    marker on the error's line ends the broken document when the parser stopped there (an
    unclosed bracket or quote runs into the next marker), but not when it is the broken
    document's own marker.
    """
    floor = broken_start
    if error_line is not None and 0 < error_line <= len(line_starts):
        floor = max(floor, line_starts[error_line - 1])
    for match in _DOCUMENT_MARKER_RE.finditer(text, floor):
        if _has_content(text, broken_start, match.start()):
            return match.start()
    return None


def _has_content(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` holds more than blank lines, comments and markers."""
    for line in text[start:end].splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or stripped == "...":
            continue
        if stripped.startswith("---") and stripped[3:].lstrip()[:1] in ("", "#"):
            continue
        return True
    return False


def _share(objects: list[K8sObject], shared: frozenset[KeyPath]) -> None:
    """Give the objects of one document the paths an edit must not touch (see model)."""
    from kubelint.loader.yamlparse import item_shared_paths

    for obj in objects:
        index = obj.item_index
        obj.shared_paths = shared if index is None else item_shared_paths(shared, index)


def _helm_sources(text: str) -> list[tuple[int, str]]:
    """Offsets and template names of ``# Source: chart/templates/x.yaml`` comment lines."""
    found = []
    pos = text.find("Source:")
    while pos != -1:
        line_start = text.rfind("\n", 0, pos) + 1
        match = _HELM_SOURCE_RE.match(text, line_start)
        if match:
            found.append((line_start, match.group(1).rstrip()))
        # One comment per line: go on at the next line (not at every "Source:" of this one,
        # each of which would look back to the line's start again).
        line_end = text.find("\n", pos)
        pos = -1 if line_end == -1 else text.find("Source:", line_end)
    return found
