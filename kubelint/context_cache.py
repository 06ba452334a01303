"""The repository context cache: what cross-object checks read of files that did not change.

A pre-commit run names one file, but cross-object checks (default-deny policies, RBAC,
runtime classes, admission policies) read the whole repository. Most of its files only
add workloads and objects those checks look up by kind, name and namespace; parsing their
YAML again on every commit is most of the hook's time. This cache keeps, per file content
(its git blob id), a slim summary of each object: apiVersion, kind, name, namespace, its
pod template's labels and where the template is. A file holding an object of a kind some
check of the run reads in full (``CheckMeta.context_kinds``) is always parsed again.

The cache lives in the repository's git directory (``.git/kubelint/``), never in the work
tree; it is text and JSON (never code), checked entry by entry, and a file that is not
exactly what kubelint writes is ignored and rebuilt. Writes are atomic (temporary file and
rename).

Each entry is one line: the blob id, then a head (the kinds of the file's objects, the
namespaces of its workloads, whether Helm rendered it, the admission param kinds it names),
then its records as JSON. A warm run decides from the head alone to leave out a file no
check reads, without decoding its records (most of a repository's files): the head is
checked for its shape, and against the records whenever they are read; like a record, a
head that lies in a well-formed way can only change what the cache says of that file.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kubelint import __version__
from kubelint.checks.base import Check
from kubelint.config import Config
from kubelint.k8s.kinds import namespace_of
from kubelint.k8s.workloads import POD_TEMPLATE_PATHS, WORKLOAD_KINDS, custom_pod_template, get
from kubelint.loader import LoadedFile
from kubelint.loader.positions import ReparseLocator
from kubelint.loader.source import SourceFile
from kubelint.model import K8sObject, KeyPath

#: Bumped whenever what an entry holds changes.
FORMAT = 2
#: Kinds always read in full when present: Namespaces (their labels decide Pod Security
#: and policy verdicts) and CRDs (the schema of custom resources).
ALWAYS_FULL = frozenset({"Namespace", "CustomResourceDefinition"})
#: Kinds whose context objects checks locate or read the text of (admission policies are
#: reported at their own lines, a CRD's schema is read from its text): their files are
#: parsed (a CRD's only when it defines the kind of an object linted, see :func:`rebuild`).
#: Objects of the other kinds checks read in full are rebuilt from their data; positions
#: are never needed for them, but with ``--staged`` when judged again.
CRD = "CustomResourceDefinition"
SOURCE_KINDS = frozenset(
    {
        CRD,
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingPolicy",
    }
)
#: Entries kept at most (about 300 bytes each); those used by the run are kept first.
MAX_ENTRIES = 100_000
#: Cache files kept per repository (one per kubelint version and configuration).
MAX_FILES = 4


def blob_id(raw: bytes) -> str:
    """The id git gives a blob of this content (so index entries and files share keys)."""
    import hashlib  # here: OpenSSL's start-up is paid only by runs in a repository

    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


#: A kustomization changed this recently (ns) is read again, whatever its state says: a
#: file system keeps coarse modification times, so a change in the same tick as the state
#: was taken, keeping the size, would not show (git's "racily clean" entries).
RACY_NS = 10 * 1_000_000_000


def kustomizations_state(paths: Iterable[tuple[str, Path | str]]) -> list[list[Any]]:
    """What the patch files of these kustomizations depend on, as cheaply as git tells
    that a file changed: each one's path, and its size, inode, device and modification
    and change times (its content is read only when this changed, see :func:`racy`)."""
    state: list[list[Any]] = []
    for absolute, path in paths:
        try:
            found = os.stat(path)
        except OSError:
            state.append([absolute])
            continue
        times = [found.st_mtime_ns, found.st_ctime_ns]
        state.append([absolute, found.st_size, found.st_ino, found.st_dev, *times])
    return state


def racy(state: list[list[Any]], taken: int) -> bool:
    """Whether some kustomization of a state taken at ``taken`` (ns) may have changed
    since without its state showing it."""
    return any(len(one) == 6 and max(one[4], one[5]) >= taken - RACY_NS for one in state)


def full_kinds(checks: Sequence[Check]) -> frozenset[str] | None:
    """The kinds the run's checks read in full from context; None when some check does not
    say (a plugin's): then every file is parsed, as without a cache."""
    kinds = set(ALWAYS_FULL)
    for check in checks:
        declared = check.meta.context_kinds
        if declared is None:
            if check.meta.needs_context or not check.meta.family:
                return None
            continue
        kinds.update(declared)
    return frozenset(kinds)


def read_kinds(checks: Sequence[Check], linted: Iterable[str]) -> frozenset[str]:
    """The kinds read in full by the checks that may judge an object of the ``linted``
    kinds (a workload check: any, as a custom kind may run pods); a subset of
    :func:`full_kinds` (a check that does not say turns the cache off)."""
    kinds = set(ALWAYS_FULL)
    present = frozenset(linted)
    for check in checks:
        meta = check.meta
        if not meta.kinds or not meta.kinds.isdisjoint(present) or meta.kinds >= WORKLOAD_KINDS:
            kinds.update(meta.context_kinds or ())
    return frozenset(kinds)


def stamp(config: Config, kept: frozenset[str]) -> str:
    """What the summaries depend on besides the content: kubelint, the pod templates and the
    kinds whose data is kept (those the selected checks read in full)."""
    return json.dumps([FORMAT, __version__, config.pod_templates, sorted(kept)], sort_keys=True)


def _file_id(version: str) -> str:
    """The cache file's name for a stamp (which its second line holds in full)."""
    raw = version.encode()
    return f"{zlib.crc32(raw):08x}{zlib.adler32(raw):08x}"


def _plain(value: Any) -> bool:
    """Whether JSON gives the value back unchanged."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    return value is None or isinstance(value, (str, int))


def _template_path(obj: K8sObject, config: Config) -> KeyPath | None:
    """Where the object's pod template is, as the runner will assign it."""
    path = POD_TEMPLATE_PATHS.get(obj.kind)
    if path is not None or obj.kind in WORKLOAD_KINDS:
        return path
    custom = config.pod_templates.get(obj.kind)
    if custom is not None:
        return tuple(custom)
    found = custom_pod_template(obj.api_version, obj.kind, obj.data)
    return found[0] if found is not None else None


def _slim(obj: K8sObject, template: KeyPath | None) -> dict[str, Any]:
    """The object's data as context checks of other kinds read it."""
    metadata = obj.metadata
    data: dict[str, Any] = {key: obj.data[key] for key in ("apiVersion", "kind") if key in obj.data}
    data["metadata"] = {
        k: metadata[k] for k in ("name", "generateName", "namespace") if k in metadata
    }
    if obj.kind == CRD:  # what it defines: whether it must be parsed
        data["spec"] = {
            "group": get(obj.data, ("spec", "group")),
            "names": {"kind": get(obj.data, ("spec", "names", "kind"))},
        }
    if template:
        labels = get(obj.data, (*template, "metadata", "labels"))
        if labels is not None:
            target = data
            for part in template:
                target = target.setdefault(str(part), {})
            target["metadata"] = {"labels": labels}
    return data


def summarize(item: LoadedFile, config: Config, kept: frozenset[str]) -> Entry:
    """The cache entry of a parsed context file: the data of objects of the ``kept`` kinds
    (when JSON keeps it exactly), a slim summary of the others."""
    records: list[Any] = []
    params: set[str] = set()
    for obj in item.objects:
        params.update(param_kinds([obj]))
        template = _template_path(obj, config)
        if obj.patch or not all(isinstance(p, str) for p in template or ()):
            return Entry.of(None, params)
        full = obj.kind in kept and obj.kind not in SOURCE_KINDS and _plain(obj.data)
        data = obj.data if full else _slim(obj, template)
        if not full and not _plain(data):
            return Entry.of(None, params)
        where = list(template) if template else None
        records.append([obj.doc_index, obj.item_index, obj.helm_source, where, data, full])
    return Entry.of(records, params)


def param_kinds(objects: Iterable[K8sObject]) -> set[str]:
    """Kinds named as ``spec.paramKind.kind`` (admission policies read those objects)."""
    found = set()
    for obj in objects:
        kind = get(obj.data, ("spec", "paramKind", "kind"))
        if isinstance(kind, str):
            found.add(kind)
    return found


#: The namespace of a workload that names none (it is the run's default namespace).
DEFAULT_SPACE = "~"
#: What a kind, namespace or param kind in an entry's head may be (else the file is parsed).
_TOKEN = re.compile(r"[A-Za-z0-9._:/-]+")
#: The records of an entry whose file is always parsed.
_PARSE = "!"
#: Decodes one JSON value at an offset: json.loads without its per-call work in Python
#: (a warm run decodes thousands of entries).
_scan = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _workload(kind: str, template: Any) -> bool:
    """Whether a record's object runs pods (the one thing kubelint reads of other kinds)."""
    return template is not None or kind in POD_TEMPLATE_PATHS


def space(data: dict[str, Any]) -> str | None:
    """The namespace of a (summarized) object as :attr:`K8sObject.namespace` reads it,
    :data:`DEFAULT_SPACE` when it names none; None when it lives in no namespace."""
    kind, api_version = str(data.get("kind", "")), str(data.get("apiVersion", ""))
    return namespace_of(api_version, kind, data.get("metadata"), DEFAULT_SPACE)


#: An entry's head: kinds, namespaces of workloads, Helm output, param kinds.
Head = tuple[frozenset[str], frozenset[str], bool, frozenset[str]]


#: One record of an entry: its kind, its namespace when it is a workload (else ""),
#: whether Helm rendered it, and the record (as JSON text until it is decoded).
Part = tuple[str, str, bool, Any]
#: Between the records of an entry, and between a record's prefix and its JSON (characters
#: JSON text never holds raw).
_RECORD, _FIELD = "\x1e", "\x1f"


class Entry:
    """One file's cache entry: the head a run decides on, and its records, each behind a
    prefix that says what it is (so a run decodes only those it keeps). ``parts`` None:
    the file is always parsed."""

    __slots__ = ("_parts", "_text", "helm", "kinds", "params", "spaces")

    def __init__(
        self,
        kinds: frozenset[str],
        spaces: frozenset[str],
        helm: bool,
        params: frozenset[str],
        parts: list[Part] | None = None,
        text: str | None = _PARSE,
    ) -> None:
        #: The kinds of the file's objects.
        self.kinds = kinds
        #: The namespaces of its workloads (:func:`space`).
        self.spaces = spaces
        #: Whether some object is rendered by Helm (``# Source:``).
        self.helm = helm
        #: The kinds its admission policies take params of.
        self.params = params
        self._parts = parts
        self._text = text

    @classmethod
    def of(cls, records: list[Any] | None, params: Iterable[str]) -> Entry:
        """The entry of these records (None: the file is parsed on every run), its head
        worked out; a file whose kinds or namespaces do not fit in a head is parsed."""
        named = frozenset(params)
        if records is None or not all(_TOKEN.fullmatch(p) for p in named):
            return cls(frozenset(), frozenset(), False, frozenset())
        parts: list[Part] = []
        for record in records:
            kind, template, data = record[4].get("kind"), record[3], record[4]
            if not isinstance(kind, str) or not _TOKEN.fullmatch(kind) or _literal(data):
                return cls(frozenset(), frozenset(), False, frozenset())
            found = (space(data) if _workload(kind, template) else None) or ""
            if found not in ("", DEFAULT_SPACE) and not _TOKEN.fullmatch(found):
                return cls(frozenset(), frozenset(), False, frozenset())
            parts.append((kind, found, record[2] is not None, record))
        kinds = frozenset(part[0] for part in parts)
        spaces = frozenset(part[1] for part in parts if part[1])
        helm = any(part[2] for part in parts)
        return cls(kinds, spaces, helm, named, parts, None)

    @classmethod
    def read(cls, line: str, heads: dict[str, Head]) -> Entry | None:
        """The entry of a line of the cache file (after the blob id); None when kubelint
        could not have written it. Its records are checked when decoded. ``heads``: the
        heads read so far (most files share theirs with others)."""
        head, tab, text = line.rpartition("\t")
        found = heads.get(head)
        if found is None:
            fields = head.split("\t")
            if len(fields) != 4 or fields[2] not in ("", "h"):
                return None
            kinds, spaces, helm, params = fields
            found = heads[head] = (_split(kinds), _split(spaces), bool(helm), _split(params))
        if not tab:
            return None
        return cls(*found, None, text)

    @property
    def rebuildable(self) -> bool:
        """Whether the file's objects may be rebuilt from the records (else: parsed)."""
        return self._text != _PARSE

    def parts(self) -> list[Part]:
        """The records with their prefixes; raises :class:`CorruptEntry` when a prefix is
        not what kubelint writes under this head."""
        if self._parts is None:
            parts: list[Part] = []
            for part in self._text.split(_RECORD) if self._text else ():
                fields = part.split(_FIELD)
                if len(fields) != 4:
                    raise CorruptEntry
                kind, where, helm, text = fields
                if kind not in self.kinds or (where and where not in self.spaces):
                    raise CorruptEntry
                if helm not in ("", "h") or (helm and not self.helm):
                    raise CorruptEntry
                parts.append((kind, where, bool(helm), text))
            self._parts = parts
        return self._parts

    def line(self) -> str:
        """The entry as :meth:`read` reads it back."""
        if self._text is None:
            self._text = _RECORD.join(
                _FIELD.join([kind, where, "h" if helm else "", json.dumps(record)])
                for kind, where, helm, record in self._parts or ()
            )
        parts = [",".join(sorted(s)) for s in (self.kinds, self.spaces)]
        return "\t".join(
            [*parts, "h" if self.helm else "", ",".join(sorted(self.params)), self._text]
        )


def decoded(record: Any) -> Any:
    """A record of :meth:`Entry.parts`, decoded from its JSON when it is text (raises
    :class:`CorruptEntry` when that is not one JSON value)."""
    if type(record) is not str:
        return record
    try:
        value, end = _scan(record, 0)
    except (StopIteration, ValueError, RecursionError):
        raise CorruptEntry from None
    if end != len(record):
        raise CorruptEntry
    return value


def _literal(data: dict[str, Any]) -> bool:
    """Whether the object names :data:`DEFAULT_SPACE` as its namespace (which a rebuilt
    object would read as the default one): its file is parsed instead."""
    metadata = data.get("metadata")
    return isinstance(metadata, dict) and metadata.get("namespace") == DEFAULT_SPACE


def _split(part: str) -> frozenset[str]:
    return frozenset(part.split(",")) if part else frozenset()


class CorruptEntry(Exception):
    """A record of a cache entry that kubelint could not have written."""


class CachedSource(SourceFile):
    """A context file rebuilt from the cache: no text, and its objects already know where
    their pod template is (as the runner would have found it in the full data)."""


#: What :func:`rebuild` makes of an entry's records, one tuple per object kept: doc
#: index, item index, Helm source, custom pod template, data, kind and namespace (see
#: :func:`space`); None: parse the file.
Kept = tuple[int, int | None, str | None, KeyPath | None, dict[str, Any], str, str | None]
Prepared = list[Kept] | None
Kinds = tuple[frozenset[str], frozenset[str], frozenset[tuple[str, str]] | None]


def rebuild(
    entry: Entry,
    display: str,
    default_namespace: str,
    kinds: Kinds,
    lean: frozenset[str] | None = None,
    memo: dict[int, Prepared] | None = None,
) -> LoadedFile | None:
    """The context file an entry summarizes, with its slim objects (positions: none).

    None when the file must be parsed: an object of a kind checks read in full lacks its
    data (``kinds``: those kinds, the kinds that must be parsed, and the (group, kind)
    pairs linted, None: all, whose CRDs must be parsed). Raises :class:`CorruptEntry` for
    a record kubelint could not have written: each is checked before it is used.

    ``lean`` (no context object is judged again, and only kubelint's own checks read
    context): the namespaces of the objects linted (:func:`space`; :data:`DEFAULT_SPACE`
    for the default one, when linted). Objects no check can read are left out: those of
    kinds not read in full but workloads in these namespaces. kubelint's checks read only
    workloads of the kinds they do not declare (``CheckMeta.context_kinds``), and only
    those in the namespace of an object linted (namespace-without-default-deny). Objects
    rendered by Helm are kept (a run asks whether it read Helm output). A file left out
    whole is known from its entry's head: its records are not even decoded.

    ``memo`` (one per run, same ``kinds`` and ``lean``): copies of a file share their
    entry, checked once (a pre-commit run rebuilds thousands of files).
    """
    prepared = prepare(entry, kinds, lean, memo)
    return None if prepared is None else restore(prepared, display, default_namespace)


def prepare(
    entry: Entry,
    kinds: Kinds,
    lean: frozenset[str] | None = None,
    memo: dict[int, Prepared] | None = None,
) -> Prepared:
    """What :func:`rebuild` makes objects of (see there): the checked records kept."""
    if memo is None:
        return _prepare(entry, kinds, lean)
    if id(entry) not in memo:
        memo[id(entry)] = _prepare(entry, kinds, lean)
    return memo[id(entry)]


def restore(
    prepared: list[Kept],
    display: str,
    default_namespace: str,
) -> LoadedFile:
    """The context file of these prepared records (see :func:`rebuild`).

    The objects' fields are set at once, not through K8sObject's constructor (a warm run
    makes thousands, and the constructor is most of their cost); the fields not set keep
    their class defaults (tests/test_context_cache.py holds them to the constructor's).
    """
    source = CachedSource(display, "", reported=False)
    objects = []
    new = object.__new__
    for doc, item, helm, template, data, kind, namespace in prepared:
        obj = new(K8sObject)
        obj.__dict__.update(
            data=data,
            source=source,
            doc_index=doc,
            item_index=item,
            helm_source=helm,
            default_namespace=default_namespace,
            locator=ReparseLocator(source, (0, 0), item),
            text_start=0,
            text_end=0,
            # Read once (kubelint.once) and known already: kept as that first read keeps them.
            kind=kind,
            api_version=data.get("apiVersion", ""),
            namespace=default_namespace if namespace == DEFAULT_SPACE else namespace,
            pod_template_path=template,
        )
        objects.append(obj)
    return LoadedFile(source, objects)


def _prepare(entry: Entry, kinds: Kinds, lean: frozenset[str] | None) -> Prepared:
    """The objects :func:`rebuild` makes of an entry's records, each checked."""
    needed, parsed, custom = kinds
    if lean is not None and _unread(entry, kinds, lean):
        return []
    kept: list[Kept] = []
    for kind, where, helm, record in entry.parts():
        # What no check reads, known from its prefix: not even decoded.
        if lean is not None and not helm and kind not in needed and kind not in parsed:
            if not where or where not in lean:
                continue
        doc, item, source, template, data, full, namespace = _checked(
            decoded(record), (kind, where, helm)
        )
        if kind in parsed or (kind in needed and (not full or kind == CRD)):
            if kind != CRD or _crd_parsed(data, custom):
                return None
        custom_template = tuple(template) if template is not None else None
        if kind in POD_TEMPLATE_PATHS:
            custom_template = None
        kept.append((doc, item, source, custom_template, data, kind, namespace))
    return kept


def counted_only(kept: Kept, kinds: Kinds) -> bool:
    """Whether a lean run keeps a prepared record only as a workload of a namespace linted
    (see :func:`rebuild`): a check counts it, and may report at it, but reads nothing else
    of it (no Helm output, no kind read in full or parsed)."""
    return kept[2] is None and kept[5] not in kinds[0] and kept[5] not in kinds[1]


def _unread(entry: Entry, kinds: Kinds, lean: frozenset[str]) -> bool:
    """Whether a lean run reads nothing of the file, known from the entry's head."""
    return (
        not entry.helm
        and entry.kinds.isdisjoint(kinds[0])
        and entry.kinds.isdisjoint(kinds[1])
        and entry.spaces.isdisjoint(lean)
    )


def _checked(record: Any, prefix: tuple[str, str, bool]) -> tuple[Any, ...]:
    """A record's fields and namespace (:func:`space`), when kubelint could have written
    it behind this prefix (kind, namespace of a workload, Helm)."""
    if type(record) is not list or len(record) != 6:
        raise CorruptEntry
    doc, item, helm, template, data, full = record
    if (
        type(data) is not dict
        or type(full) is not bool
        or type(doc) is not int
        or (item is not None and type(item) is not int)
        or (helm is not None and type(helm) is not str)
        or (helm is not None) != prefix[2]
        or data.get("kind", "") != prefix[0]
        or type(data.get("apiVersion", "")) is not str
        or type(data.get("metadata")) is not dict
        or (template is not None and not _key_path(template))
    ):
        raise CorruptEntry
    namespace = space(data)
    where = namespace if _workload(prefix[0], template) else None
    if (where or "") != prefix[1]:
        raise CorruptEntry
    return (doc, item, helm, template, data, full, namespace)


def _key_path(template: Any) -> bool:
    return type(template) is list and all(type(p) is str for p in template)


def _crd_parsed(data: dict[str, Any], custom: frozenset[tuple[str, str]] | None) -> bool:
    """Whether a CRD must be parsed: it may define a kind linted (``custom``)."""
    spec = data.get("spec")
    if custom is None or not isinstance(spec, dict) or not isinstance(spec.get("names"), dict):
        return True
    return (spec.get("group"), spec["names"].get("kind")) in custom


class ContextCache:
    """The entries of one cache file: content key -> summary.

    The file: a first line ``kubelint-context <FORMAT> <count>``, the :func:`stamp`, the
    patch files of the last kustomizations seen (JSON), then ``<count>`` entry lines (blob
    id, a tab, :meth:`Entry.line`). Lines are read as entries only when looked up.
    """

    def __init__(
        self, path: Path, entries: dict[str, str | Entry], version: str, patches: Any = None
    ) -> None:
        self.path = path
        self.version = version
        #: The patch files of the last kustomizations seen: [their state, when it was
        #: taken (ns), [absolute paths]] (see :func:`kustomizations_state`).
        self._patches = patches
        #: Entries by blob id: lines of the file not looked up yet, or read.
        self.entries = entries
        self.used: set[str] = set()
        self.dirty = False
        self._heads: dict[str, Head] = {}

    @classmethod
    def open(cls, folder: Path, config: Config, kept: frozenset[str]) -> ContextCache:
        """The cache for this kubelint and configuration; empty when missing or corrupt."""
        version = stamp(config, kept)
        path = folder / f"context-{_file_id(version)}.txt"
        try:
            text = path.read_text(encoding="utf-8")
            header, stamped, patches, *lines = text.split("\n")
            stored = json.loads(patches)
        except (OSError, ValueError, RecursionError):
            return cls(path, {}, version)
        entries: dict[str, str | Entry] = {}
        for line in lines[:-1]:
            blob, tab, rest = line.partition("\t")
            if not tab:
                return cls(path, {}, version)
            entries[blob] = rest
        # The count and the last line break: a file cut short is not what kubelint wrote
        # (nor one that names a blob twice).
        count = len(lines) - 1
        if header != f"kubelint-context {FORMAT} {count}" or lines[-1:] != [""]:
            return cls(path, {}, version)
        if stamped != version or len(entries) != count:
            return cls(path, {}, version)
        return cls(path, entries, version, stored)

    def get(self, key: str) -> Entry | None:
        """The entry of a blob; None when there is none, or it is not what kubelint writes
        (then it is dropped: the file is parsed and summarized again)."""
        entry = self.entries.get(key)
        if entry is None or isinstance(entry, Entry):
            return entry
        read = Entry.read(entry, self._heads)
        if read is None:
            self.forget(key)
            return None
        self.entries[key] = read
        self.used.add(key)
        return read

    def forget(self, key: str) -> None:
        """Drop an entry found corrupt (the file is parsed and summarized again)."""
        self.entries.pop(key, None)
        self.used.discard(key)
        self.dirty = True

    def patches(self, state: list[list[Any]]) -> frozenset[str] | None:
        """The patch files kept for kustomizations in this state, if any (and no file of
        theirs changed too recently to tell, see :func:`racy`)."""
        kept = self._patches
        if not (isinstance(kept, list) and len(kept) == 3 and kept[0] == state):
            return None
        taken, names = kept[1], kept[2]
        if type(taken) is not int or racy(state, taken):
            return None
        if not (isinstance(names, list) and all(type(n) is str for n in names)):
            return None
        return frozenset(names)

    def keep_patches(self, state: list[list[Any]], taken: int, found: frozenset[str]) -> None:
        """Keep the patch files read of kustomizations whose state was taken at ``taken``."""
        self._patches = [state, taken, sorted(found)]
        self.dirty = True

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.used.add(key)
        self.dirty = True

    def save(self) -> None:
        """Write the cache when it changed; a cache that cannot be written is no error."""
        if not self.dirty:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            kept = [k for k in entries if k in self.used]
            kept += [k for k in entries if k not in self.used][: max(0, MAX_ENTRIES - len(kept))]
            entries = {k: entries[k] for k in kept}
        lines = [
            f"kubelint-context {FORMAT} {len(entries)}",
            self.version,
            json.dumps(self._patches),
            *(f"{k}\t{v if isinstance(v, str) else v.line()}" for k, v in entries.items()),
            "",
        ]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            temporary.write_text("\n".join(lines), encoding="utf-8")
            os.replace(temporary, self.path)
            _prune(self.path.parent)
        except OSError:
            return


def _prune(folder: Path) -> None:
    """Keep the newest cache files only (other versions and configurations)."""
    files = sorted(folder.glob("context-*"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[MAX_FILES:]:
        old.unlink(missing_ok=True)


def defined(api_version: str, kind: str) -> tuple[str, str]:
    """What a CRD must define for an object of this apiVersion and kind: (group, kind)."""
    return api_version.rpartition("/")[0], kind


__all__ = [
    "CachedSource",
    "ContextCache",
    "CorruptEntry",
    "Entry",
    "Prepared",
    "blob_id",
    "counted_only",
    "decoded",
    "full_kinds",
    "param_kinds",
    "prepare",
    "read_kinds",
    "rebuild",
    "restore",
    "space",
    "summarize",
]
