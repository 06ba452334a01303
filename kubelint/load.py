"""The load stage: the files a plan names (and their context) read into objects."""

from __future__ import annotations

import os
import posixpath
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from kubelint.checks import BUILTIN, BUILTIN_PROVIDERS
from kubelint.context_cache import (
    CRD,
    DEFAULT_SPACE,
    SOURCE_KINDS,
    ContextCache,
    CorruptEntry,
    Entry,
    Kept,
    Kinds,
    Prepared,
    blob_id,
    counted_only,
    defined,
    full_kinds,
    kustomizations_state,
    param_kinds,
    prepare,
    read_kinds,
    restore,
    space,
    summarize,
)
from kubelint.loader import LoadedFile, load_source
from kubelint.loader.discovery import (
    Unreadable,
    expand,
    git_dir,
    git_files,
    git_root,
    is_excluded,
    is_tool_config,
    read_regular,
    walk,
)
from kubelint.loader.kustomize import (
    KUSTOMIZATION_NAMES,
    beside,
    is_kustomization,
    named_patches,
    patch_files,
)
from kubelint.model import InputProblem, K8sObject, Report
from kubelint.plan import STDIN, STDIN_NAME, Plan
from kubelint.staged import Staged, read_blobs, staged_context


class _Pending(NamedTuple):
    """A file to read."""

    #: Its path; a string (the many files of the git index, see :func:`staged_context`)
    #: is absolute and normalized already.
    path: Path | str
    #: Findings in it are reported (else it is context only).
    reported: bool
    #: Judged like a file found by walking a folder (skipped when it is no manifest).
    walked: bool
    #: The folder its symbolic links may not leave (None: named by the user).
    boundary: Path | None
    #: Its git blob id, when read from the git index rather than the working tree.
    blob: str | None = None


def display_name(path: Path | str, cwd: str) -> str:
    """How a path is shown: relative to the working directory when below it."""
    return _shown(os.path.abspath(path), path, cwd)


def _shown(absolute: str, path: Path | str, cwd: str) -> str:
    """:func:`display_name` of a path whose absolute form is known."""
    if absolute.startswith(cwd + os.sep):
        absolute = absolute[len(cwd) + 1 :]
    elif not os.path.isabs(path):
        absolute = os.path.normpath(path)
    shown = absolute.replace(os.sep, "/")
    if shown.isascii():  # most names: nothing to escape
        return shown
    # A name with bytes that are not UTF-8 is shown with them escaped (``\\xff``): every
    # report format and the baseline must be able to write it.
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


#: Workloads a run leaves out of its objects but counts, by namespace (see
#: :attr:`kubelint.model.Context.left_out`).
LeftOut = dict[str, list[tuple[K8sObject, int]]]


def load(plan: Plan, report: Report) -> tuple[list[LoadedFile], LeftOut]:
    """Read standard input, the named files and the context files, in that order; with
    the workloads left out (see :class:`_Rebuild`).

    Problems with the inputs go to ``report``; every file is read once.
    """
    named = _named_files(plan, report)
    loaded: list[LoadedFile] = []
    stdin = _read_stdin(plan)
    if stdin is not None:
        loaded.append(stdin)
    queue = _queue(plan, named)
    index = _index(plan)
    cache = _open_cache(plan)
    reader = _Reader(plan, report)
    reader.patches = _patches(queue, index, named, cache[0] if cache else None, reader)
    if cache is None:
        queue += [_Pending(path, False, True, root, blob) for root, path, blob in index]
        reader.fetch(p.blob for p in queue if p.blob is not None and reader.readable(p))
        loaded += [item for item in map(reader.read, queue) if item is not None]
        return loaded, {}
    cached = _CachedRead(reader, *cache)
    loaded += cached.run(queue, index, loaded)
    cache[0].save()
    return loaded, cached.left_out


def _open_cache(plan: Plan) -> tuple[ContextCache, frozenset[str]] | None:
    """The repository context cache and the kinds read in full; None when not used."""
    if not plan.context or not plan.inputs.cache:
        return None
    needed = full_kinds(plan.checks)
    if needed is None or any(p not in BUILTIN_PROVIDERS for p in plan.selection.providers):
        return None  # a check or provider reads objects in ways kubelint does not know
    if plan.staged is not None:
        root: Path | None = plan.staged.root
    else:
        places = [Path(a) for a in _file_args(plan)] or [plan.config.base]
        root = git_root(places[0])
    folder = None
    if root is not None:
        # The usual layout spares a git process; a worktree's or submodule's .git is a file.
        folder = root / ".git" if (root / ".git").is_dir() else git_dir(root)
    if folder is None:
        return None
    return ContextCache.open(folder / "kubelint", plan.config, needed), needed


class _Deferred(NamedTuple):
    """A context file the cache knows: rebuilt from its entry, or parsed after all."""

    slot: int
    pending: _Pending
    #: Its absolute path.
    key: str
    blob: str
    entry: Entry
    raw: bytes | None


class _Copies:
    """The files of the git index that share one rebuildable cache entry (copies of a
    content share its blob): each with its slot in the queue."""

    __slots__ = ("entry", "files")

    def __init__(self, entry: Entry) -> None:
        self.entry = entry
        self.files: list[tuple[int, IndexFile]] = []


class _CachedRead:
    """Reads the queue, rebuilding context files from the cache where that is exact.

    Files whose entry holds no object of a kind some check reads in full are rebuilt;
    which kinds those are is known once every other file is read (admission policies
    name the kinds of their params), so those files are decided last, then put back in
    queue order.
    """

    def __init__(self, reader: _Reader, cache: ContextCache, needed: frozenset[str]) -> None:
        self.reader = reader
        self.cache = cache
        self.needed = needed
        #: Kinds whose files are parsed: those checks locate, and admission params.
        self.parsed = set(SOURCE_KINDS - {CRD})
        #: (API group, kind) of the objects linted: the CRDs defining them are parsed.
        self.custom: set[tuple[str, str]] = set()
        #: The namespaces of the objects linted, as :func:`space` gives them (and the names
        #: of Namespaces linted): workloads elsewhere are read by no check.
        self.spaces: set[str | None] = set()
        #: The kinds of the objects linted: checks of other kinds do not run.
        self.linted: set[str] = set()
        #: Objects no check reads may be left out (see :func:`rebuild`): kubelint's own
        #: checks read only workloads of the kinds they do not declare; a plugin's check
        #: may read the name and namespace of any object (``CheckMeta.context_kinds``).
        self.lean = all(
            c in BUILTIN for c in reader.plan.checks if c.meta.context_kinds is not None
        )
        #: The greatest name of a file linted (objects sort by file name first).
        self.last: str | None = None
        self.left_out: LeftOut = {}

    def run(
        self, queue: Sequence[_Pending], index: Sequence[IndexFile], before: Sequence[LoadedFile]
    ) -> list[LoadedFile]:
        """The files of the queue, then those of the git index (``before``: those read
        already, standard input)."""
        reader, cache = self.reader, self.cache
        for item in before:
            self._note(item)
        slots: list[LoadedFile | None] = []
        deferred: list[_Deferred] = []
        # Files of the git index to parse: fetched in one batch, then parsed in queue order
        # (they come after the files of the working tree).
        unread: list[tuple[int, _Pending, str | None]] = []
        for pending in queue:
            key = reader.admit(pending)
            if key is None:
                continue
            raw = None if pending.reported else reader.raw(pending)
            blob = blob_id(raw) if raw is not None else None
            entry = self._rebuildable(key, blob)
            if entry is not None and not pending.reported:
                deferred.append(_Deferred(len(slots), pending, key, blob or "", entry, raw))
                slots.append(None)
                continue
            put = None if blob is None or cache.get(blob) is not None else blob
            slots.append(self._parse(pending, raw, put))
        later = self._index(index, slots, unread)
        reader.fetch(pending.blob for _, pending, _ in unread if pending.blob is not None)
        for slot, pending, put in unread:
            slots[slot] = self._parse(pending, None, put)
        self._decide(deferred, later, slots)
        return [item for item in slots if item is not None]

    def _rebuildable(self, key: str, blob: str | None) -> Entry | None:
        """The cache entry a context file may be rebuilt from (see :meth:`_decide`), if
        any; the admission param kinds it names are parsed."""
        entry = self.cache.get(blob) if blob is not None else None
        # A kustomize patch is read for what it sets: never rebuilt as a whole object.
        if entry is None or not entry.rebuildable or key in self.reader.patches:
            return None
        if entry.params:
            self.parsed.update(entry.params)
        return entry

    def _index(
        self,
        index: Sequence[IndexFile],
        slots: list[LoadedFile | None],
        unread: list[tuple[int, _Pending, str | None]],
    ) -> dict[int, _Copies]:
        """Give the files of the git index their slots: those the cache may rebuild are
        returned, by entry (decided last, see :meth:`_decide`), the others are to be read.

        Thousands of files on every commit, most of them copies of few contents and read
        by no check: each entry is looked at once, and whether a file is tool
        configuration is asked only of those read.
        """
        reader, get = self.reader, self.cache.get
        skipped = reader.seen | reader.own_files  # named (read already), or kubelint's own
        patches = reader.patches
        later: dict[int, _Copies] = {}
        #: Per blob: the copies of a rebuildable entry, else None (parse the file).
        by_blob: dict[str, _Copies | None] = {}
        for item in index:
            root, key, blob = item
            if key in skipped:
                continue
            copies = by_blob.get(blob, _UNKNOWN)
            if copies is _UNKNOWN:
                entry = get(blob)
                copies = None
                if entry is not None and entry.rebuildable:
                    copies = later.setdefault(id(entry), _Copies(entry))
                by_blob[blob] = copies
            if copies is not None and key not in patches:
                copies.files.append((len(slots), item))
            elif not is_tool_config(key):
                pending = _Pending(key, False, True, root, blob)
                unread.append((len(slots), pending, None if get(blob) is not None else blob))
            else:
                continue
            slots.append(None)
        for copies in later.values():
            params = copies.entry.params
            if params and not all(is_tool_config(item[1]) for _, item in copies.files):
                self.parsed.update(params)
        return later

    def _parse(self, pending: _Pending, raw: bytes | None, blob: str | None) -> LoadedFile | None:
        """Parse a file; a context file the cache lacks (``blob``) is summarized into it."""
        item = self.reader.parse(pending, raw)
        if item is not None:
            self._note(item)
            if blob is not None:
                self.cache.put(blob, summarize(item, self.reader.plan.config, self.needed))
        return item

    def _note(self, item: LoadedFile) -> None:
        self.parsed.update(param_kinds(item.objects))
        if item.source.reported:
            display = item.source.display
            self.last = display if self.last is None else max(self.last, display)
            self.custom.update(defined(o.api_version, o.kind) for o in item.objects)
            for obj in item.objects:
                self.linted.add(obj.kind)
                self.spaces.add(space(obj.data))
                if obj.kind == "Namespace":
                    self.spaces.add(obj.name)

    def _decide(
        self,
        deferred: Sequence[_Deferred],
        later: Mapping[int, _Copies],
        slots: list[LoadedFile | None],
    ) -> None:
        """Rebuild the deferred files that may be, parse the others, in their slots."""
        plan, parsed = self.reader.plan, frozenset(self.parsed)
        staged = plan.staged
        # Every context object may be judged again by the admission policies: all CRDs.
        custom = None if staged is not None and staged.admission_changed else frozenset(self.custom)
        # Whether the commit makes kubelint judge any context object again (most do not).
        recheck = staged is not None and bool(
            staged.admission_changed or staged.affected or staged.runtime_classes
        )
        lean = self._lean(plan.config.namespace) if self.lean and not recheck else None
        # A lean run reads in full only the kinds that the checks of the kinds linted read.
        needed = self.needed if lean is None else read_kinds(plan.checks, self.linted)
        after = self.last if lean is not None else None
        rebuild = _Rebuild(self.cache, (needed, parsed, custom), lean, after, plan, recheck)
        again: list[tuple[int, _Pending, str, bytes | None, bool]] = []
        for item in deferred:
            done = rebuild(item.key, item.pending.path, item.blob, item.entry)
            if isinstance(done, str):
                again.append((item.slot, item.pending, item.blob, item.raw, done == CORRUPT))
            else:
                slots[item.slot] = done
        for copies in later.values():
            for slot, (root, path, blob) in rebuild.copies(copies):
                if is_tool_config(path):
                    continue  # no manifest
                done = rebuild(path, path, blob, copies.entry)
                if isinstance(done, str):
                    pending = _Pending(path, False, True, root, blob)
                    again.append((slot, pending, blob, None, done == CORRUPT))
                elif done is not None:
                    slots[slot] = done
        self.reader.fetch(pending.blob for _, pending, _, _, _ in again if pending.blob is not None)
        for slot, pending, blob, raw, corrupt in again:
            if corrupt:  # never trusted: parsed, and summarized again
                slots[slot] = self._parse(pending, raw, blob)
            else:
                slots[slot] = self.reader.parse(pending, raw)
        self.left_out = rebuild.left_out()

    def _lean(self, default: str) -> frozenset[str]:
        """The namespaces whose workloads a lean run keeps (see :func:`rebuild`)."""
        spaces = {s for s in self.spaces if s is not None}
        if DEFAULT_SPACE in spaces:
            spaces.add(default)
        if default in spaces:
            spaces.add(DEFAULT_SPACE)
        return frozenset(spaces)


#: What :class:`_Rebuild` says of a file to parse: its entry is corrupt (it is summarized
#: again), or the entry cannot stand in for it.
CORRUPT, PARSE = "corrupt", "parse"


class _Rebuild:
    """Rebuilds context files from their cache entries (one run's kinds and namespaces).

    A lean run (see :func:`kubelint.context_cache.rebuild`) keeps the workloads of the
    namespaces linted only for namespace-without-default-deny, which reports a namespace
    at its first workload (by file name and position) that no policy selects and counts
    its workloads. Those of files sorted after every file linted can never be where it
    reports (a file linted comes first), so they are counted, not rebuilt: each record
    once however many files share it (a pre-commit run may have thousands).
    """

    def __init__(
        self,
        cache: ContextCache,
        kinds: Kinds,
        lean: frozenset[str] | None,
        after: str | None,
        plan: Plan,
        recheck: bool,
    ) -> None:
        self.cache = cache
        self.kinds = kinds
        self.lean = lean
        self.cwd = plan.cwd
        self.default = plan.config.namespace
        #: With ``--staged``, when the commit makes kubelint judge context objects again.
        self.staged = plan.staged if recheck else None
        #: Workloads of files named after this are counted, not rebuilt (lean runs).
        self.after = after
        self.below = plan.cwd + os.sep  # as _shown has it (from / no name is below it)
        self.cut = len(self.below)
        self.native = os.sep == "/"
        #: What each entry gives (copies of a file share theirs): checked once.
        self.memo: dict[int, Prepared] = {}
        #: Per entry: its records rebuilt, its workloads counted (made once), and how many
        #: files with it they are counted for.
        self.split: dict[int, tuple[list[Kept], list[K8sObject], list[int]]] = {}

    def __call__(
        self, key: str, path: Path | str, blob: str, entry: Entry
    ) -> LoadedFile | str | None:
        """The file rebuilt; None when no check reads it; :data:`CORRUPT` or :data:`PARSE`
        when it is to be parsed (``key``: its absolute path, ``path`` as queued)."""
        try:
            prepared = prepare(entry, self.kinds, self.lean, self.memo)
        except CorruptEntry:
            self.cache.forget(blob)
            return CORRUPT
        if prepared is None:
            return PARSE
        if not prepared:
            return None  # nothing a check reads: the file is left out
        # As _shown has it: most files are below the working folder, with ASCII names.
        display = key[self.cut :] if key.startswith(self.below) else ""
        if not (display and self.native and display.isascii()):
            display = _shown(key, path, self.cwd)
        if self.after is not None and display > self.after:
            prepared = self._count(entry, prepared, display)
            if not prepared:
                return None
        restored = restore(prepared, display, self.default)
        if self.staged is not None and any(map(self.staged.may_recheck, restored.objects)):
            return PARSE  # judged again: its positions are needed
        return restored

    def copies(self, copies: _Copies) -> Sequence[tuple[int, IndexFile]]:
        """The files of these copies that a check may read (none when their entry keeps
        nothing: they are not even named).

        When the entry keeps only workloads to count, the copies named after every file
        linted are counted here at once, without a name worked out for each (the others
        are returned): as :meth:`__call__` would, for names below the working folder in
        ASCII, which show as they are.
        """
        try:
            prepared = prepare(copies.entry, self.kinds, self.lean, self.memo)
        except CorruptEntry:
            return copies.files  # each is parsed, see __call__
        if prepared is None or self.after is None or not self.native:
            return () if prepared == [] else copies.files
        if not prepared or any(not counted_only(k, self.kinds) for k in prepared):
            return () if not prepared else copies.files
        bound, below = self.below + self.after, self.below
        rest, counted = [], []
        for file in copies.files:
            path = file[1][1]
            if path > bound and path.startswith(below) and path.isascii():
                if not is_tool_config(path):
                    counted.append(path)
            else:
                rest.append(file)
        if counted:
            self._count(copies.entry, prepared, counted[0][self.cut :], len(counted))
        return rest

    def _count(
        self, entry: Entry, prepared: list[Kept], display: str, files: int = 1
    ) -> list[Kept]:
        """Count the entry's workloads kept only to be counted, in ``files`` files (the
        first named ``display``); the records to rebuild."""
        split = self.split.get(id(entry))
        if split is None:
            counted = [k for k in prepared if counted_only(k, self.kinds)]
            objects = restore(counted, display, self.default).objects if counted else []
            rest = [k for k in prepared if not counted_only(k, self.kinds)]
            split = self.split[id(entry)] = (rest, objects, [0])
        split[2][0] += files
        return split[0]

    def left_out(self) -> LeftOut:
        """The workloads counted, by namespace."""
        found: LeftOut = {}
        for _, objects, (files,) in self.split.values():
            for obj in objects:
                found.setdefault(str(obj.namespace), []).append((obj, files))
        return found


#: Not worked out yet (a memo's missing value).
_UNKNOWN: Any = object()


def _file_args(plan: Plan) -> list[str]:
    return [p for p in plan.inputs.paths if p != STDIN]


def _named_files(plan: Plan, report: Report) -> list[tuple[Path, Path | None]]:
    """The files the named paths give; a path that gives none is an input error."""
    config = plan.config
    named, missing = expand(_file_args(plan), config.exclude, config.base)
    for name in missing:
        message = (
            "no manifest files (*.yaml, *.yml, *.json) found"
            if Path(name).is_dir()
            else "no such file or directory"
        )
        report.errors.append(InputProblem(name, None, None, message))
    return named


def _read_stdin(plan: Plan) -> LoadedFile | None:
    inputs = plan.inputs
    if STDIN not in inputs.paths or inputs.stdin is None:
        return None
    raw = inputs.stdin()
    item = load_source(
        STDIN_NAME,
        raw,
        default_namespace=plan.config.namespace,
        low_memory=len(raw) > plan.low_memory_after,
        stdin=True,
    )
    if not item.objects and not item.errors:
        # Nothing piped in is what a failed `helm template` prints: never a pass.
        item.errors.append(
            InputProblem(STDIN_NAME, None, None, "no Kubernetes objects on standard input")
        )
    return item


def _queue(plan: Plan, named: Sequence[tuple[Path, Path | None]]) -> list[_Pending]:
    """Named files first, then CRDs and admission policies, then the repository context."""
    config = plan.config
    skip_non_manifests = plan.inputs.skip_non_manifests
    queue = [
        _Pending(p, True, boundary is not None or skip_non_manifests, boundary)
        for p, boundary in named
    ]
    # With --staged, those folders are read from the index like the rest of the context
    # (what a clean clone would have), not from the working tree.
    from_index = plan.context and plan.staged is not None
    if (config.crd_paths or config.policy_paths) and not from_index:
        config_tree = git_root(config.base) or config.base
        for folder in [*config.crd_paths, *config.policy_paths]:
            queue += [_Pending(p, False, True, config_tree) for p in walk(config.base / folder)]
    if plan.context and plan.staged is None and _file_args(plan):
        queue += [
            _Pending(p, False, True, boundary)
            for p, boundary in _context_files([Path(a) for a in _file_args(plan)], plan)
            if not is_excluded(p, config.exclude, config.base)
        ]
    return queue


#: A context file of the git index (``--staged``): the folder its links may not leave, its
#: absolute path and its blob id. Thousands on every commit: a tuple, not a :class:`_Pending`.
IndexFile = tuple[Path, str, str]


def _index(plan: Plan) -> list[IndexFile]:
    """The context files of the git index, read after the queue (``--staged``).

    What would be committed, not what lies in the working tree: an untracked policy must
    not satisfy the hook when a clean clone would not have it.
    """
    if not plan.context or plan.staged is None:
        return []
    root = plan.staged.root
    return [(root, path, blob) for path, blob in staged_context(plan.staged, plan.config)]


def _context_files(named: Sequence[Path], plan: Plan) -> list[tuple[Path, Path]]:
    """Every manifest of the repository (or configured roots) around the named files.

    Each comes with the folder its symbolic links may not leave.
    """
    config = plan.config
    if config.roots:
        found: list[tuple[Path, Path]] = []
        boundary = git_root(config.base) or config.base
        for root in config.roots:
            found.extend((p, boundary) for p in walk(config.base / root))
        return found
    repositories = {git_root(p) for p in named}
    files: list[tuple[Path, Path]] = []
    for repository in sorted(r for r in repositories if r is not None):
        files.extend((p, repository) for p in git_files(repository))
    return files


def _patches(
    queue: Sequence[_Pending],
    index: Sequence[IndexFile],
    named: Sequence[tuple[Path, Path | None]],
    cache: ContextCache | None,
    reader: _Reader,
) -> frozenset[str]:
    """Absolute paths of the kustomize patches of the kustomizations in sight (kept in the
    cache for kustomizations of the same paths and content): those of the context and
    those beside the files named.

    With ``--staged`` they are those of the git index, read from it as the rest of the
    context: what would be committed decides which files are patches, not an unstaged
    edit nor a kustomization git does not track.
    """
    on_disk: dict[str, Path | str] = {}
    staged: dict[str, str] = {}
    if reader.plan.staged is None:
        for pending in queue:
            if is_kustomization(str(pending.path)):
                on_disk[os.path.abspath(pending.path)] = pending.path
        for path in beside(p for p, _ in named):
            on_disk[os.path.abspath(path)] = path
    else:
        # Those of the index are absolute and normalized already.
        staged = {p: blob for _, p, blob in index if is_kustomization(p)}
        staged.update(_staged_beside(reader.plan.staged, [p for p, _ in named]))

    def read() -> frozenset[str]:
        found = set(patch_files(map(Path, on_disk.values())))
        reader.fetch(staged.values())
        for path, blob in staged.items():
            found.update(named_patches(path, reader.blobs.get(blob, b"")))
        return frozenset(found)

    if cache is None:
        return read()
    taken = time.time_ns()  # before the state: a change while it is read shows as racy
    # A kustomization of the index is known by its blob: its content, exactly.
    state = [*kustomizations_state(on_disk.items()), *([p, b] for p, b in staged.items())]
    found = cache.patches(state)
    if found is None:
        found = read()
        cache.keep_patches(state, taken, found)
    return found


def _staged_beside(staged: Staged, named: Sequence[Path]) -> dict[str, str]:
    """The kustomizations of the git index in the folders of the ``named`` files (by their
    real path, as the index's names are), as absolute path -> blob id."""
    root = os.path.realpath(staged.root)
    found: dict[str, str] = {}
    for folder in sorted({os.path.dirname(os.path.realpath(p)) for p in named}):
        relative = os.path.relpath(folder, root)
        if relative == os.pardir or relative.startswith(os.pardir + os.sep):
            continue  # outside the repository
        for name in KUSTOMIZATION_NAMES:
            entry = posixpath.normpath(posixpath.join(relative.replace(os.sep, "/"), name))
            blob = staged.index.get(entry)
            if blob is not None:
                found[os.path.join(os.path.abspath(staged.root), os.path.normpath(entry))] = blob
    return found


def _no_node(obj: K8sObject) -> bool:
    return False


class _Reader:
    """Reads queued files once each, counting bytes to decide when to keep no nodes."""

    def __init__(self, plan: Plan, report: Report) -> None:
        self.plan = plan
        self.report = report
        #: Absolute paths of the kustomize patches in sight (see :func:`_patches`).
        self.patches: frozenset[str] = frozenset()
        self.seen: set[str] = set()
        #: kubelint's own baseline and reports (``Inputs.own_files``).
        self.own_files = plan.inputs.own_files
        self.loaded_bytes = 0
        #: Index blobs read so far (``--staged``), by id.
        self.blobs: dict[str, bytes] = {}

    def fetch(self, blobs: Iterable[str]) -> None:
        """Read these index blobs in one batch (``--staged``)."""
        wanted = [b for b in blobs if b not in self.blobs]
        if wanted and self.plan.staged is not None:
            self.blobs.update(read_blobs(self.plan.staged, wanted))

    def read(self, pending: _Pending) -> LoadedFile | None:
        """The file's objects and problems, or None when it is not read."""
        if self.admit(pending) is None:
            return None
        return self.parse(pending)

    def admit(self, pending: _Pending) -> str | None:
        """The file's absolute path when it is to be read (once, and no tool's config)."""
        path = pending.path
        key = path if isinstance(path, str) else os.path.abspath(path)
        seen = self.seen
        if key in seen:
            return None
        seen.add(key)
        if key in self.own_files:
            return None  # kubelint's own baseline and reports: not inputs, not counted
        if is_tool_config(key):
            # Helm, CI, compose, ... configuration: counted as skipped, never read.
            if pending.reported:
                self.report.skipped += 1
            return None
        return key

    def readable(self, pending: _Pending) -> bool:
        """Whether :meth:`admit` can let the file be read (it is no tool's configuration
        and none of kubelint's own files): those of the index are fetched in a batch."""
        path = pending.path
        key = path if isinstance(path, str) else os.path.abspath(path)
        return key not in self.plan.inputs.own_files and not is_tool_config(key)

    def raw(self, pending: _Pending) -> bytes | None:
        return self._raw(pending, display_name(pending.path, self.plan.cwd))

    def parse(self, pending: _Pending, raw: bytes | None = None) -> LoadedFile | None:
        """Parse an admitted file (read now unless ``raw`` is given)."""
        key = os.path.abspath(pending.path)
        display = display_name(pending.path, self.plan.cwd)
        if raw is None:
            raw = self._raw(pending, display)
        if raw is None:
            return None
        self.loaded_bytes += len(raw)
        staged = self.plan.staged
        item = load_source(
            display,
            raw,
            default_namespace=self.plan.config.namespace,
            reported=pending.reported,
            low_memory=self.loaded_bytes > self.plan.low_memory_after,
            walked=pending.walked,
            # A file named through a link to the repository: the index's names are real.
            patch=key in self.patches
            or (pending.reported and os.path.realpath(key) in self.patches),
            # Context objects are only read by other objects' checks and never located
            # (but for the namespaces a staged change re-checks): their parsed nodes, most
            # of their memory, are not kept.
            keep_node=None
            if pending.reported
            else (_no_node if staged is None else staged.may_recheck),
        )
        return item

    def _raw(self, pending: _Pending, display: str) -> bytes | None:
        """The file's bytes; None (with the problem recorded) when it cannot be read."""
        if pending.blob is not None:
            return self.blobs.get(pending.blob)  # a blob too large to be context: left out
        try:
            return read_regular(Path(pending.path), pending.boundary)
        except Unreadable as exc:
            self._unreadable(pending, display, exc.reason)
        except OSError as exc:
            if pending.reported:
                self.report.errors.append(
                    InputProblem(display, None, None, f"cannot read: {exc.strerror}")
                )
        return None

    def _unreadable(self, pending: _Pending, display: str, reason: str) -> None:
        if not pending.reported:
            return
        if pending.boundary is None:
            # Named by the user: linting nothing is not a pass. A pipe, as from
            # `kubelint <(helm template ...)`, has a way in that is bounded: stdin.
            if "FIFO" in reason:
                reason += " (pipe it into `kubelint -` instead)"
            self.report.errors.append(InputProblem(display, None, None, reason))
        else:
            self.report.notices.append(InputProblem(display, None, None, reason))
