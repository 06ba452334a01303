"""Plain data passed between the stages: objects, findings and located results."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from kubelint.k8s.hardening import Hardening
from kubelint.k8s.kinds import namespace_of
from kubelint.k8s.objects import KeyPath as KeyPath
from kubelint.once import once

if TYPE_CHECKING:
    from kubelint.checkdoc import CheckDoc
    from kubelint.compliance import Control


class Severity(str, Enum):
    """How grave a finding is, gravest first.

    A ``str`` so that configuration, plugins and every report keep the plain words, and a
    member equals its word. ``__str__`` and ``__format__`` are defined because Python 3.12
    changed what ``format()`` and f-strings give for a str-mixin enum (``Severity.ERROR``
    rather than ``error``): reports must not depend on the Python version.
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)

    @property
    def rank(self) -> int:
        """Higher is graver: info 0, warning 1, error 2."""
        return SEVERITY_RANK[self]


#: The severity words, gravest first (as members, which equal the words).
SEVERITIES: tuple[Severity, ...] = tuple(Severity)
#: Severity (or its word) -> rank, higher is graver.
SEVERITY_RANK: dict[str, int] = {
    severity: len(SEVERITIES) - 1 - index for index, severity in enumerate(SEVERITIES)
}


def format_path(path: KeyPath) -> str:
    """Render a key path the way users write it: ``spec.containers[0].image``.

    Keys come from the input and may hold a credential (a token used as a key,
    ``value:Hunter2`` from a missing space): the rendering is redacted, so that no caller
    can print or store one.
    """
    from kubelint.redaction import redact  # secrets imports this module's types

    out: list[str] = []
    for part in path:
        if isinstance(part, int):
            out.append(f"[{part}]")
        else:
            out.append(("." if out else "") + part)
    return redact("".join(out))


@dataclass(frozen=True)
class LineSuppression:
    """A ``# kubelint: ignore`` comment: the check ids it names, and where it stands."""

    line: int  #: 1-based line of the comment
    offset: int  #: character offset of the comment
    ids: tuple[str, ...]
    standalone: bool  #: the comment is alone on its line (so it covers the next line)


class Source(Protocol):
    """The text objects were read from: a file or standard input (loader.source.SourceFile)."""

    #: The name shown to users.
    display: str
    text: str
    #: Whether findings in it are reported (False for repository context only).
    reported: bool
    #: Read from standard input (Helm ``# Source:`` names stand in for a file).
    stdin: bool

    @property
    def line_starts(self) -> list[int]:
        """Offsets where lines start."""
        ...

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset."""
        ...

    @property
    def tokens(self) -> list[tuple[int, str]]:
        """Offsets and kinds of well-known credential shapes anywhere in the text."""
        ...

    @property
    def suppressions(self) -> tuple[LineSuppression, ...]:
        """The ``# kubelint: ignore=`` comments."""
        ...

    @property
    def suppressed_lines(self) -> dict[int, frozenset[str]]:
        """Check ids suppressed per line."""
        ...


class Locator(Protocol):
    """Where an object's fields are in its source text (the loader provides one per object).

    The model knows nothing of parse nodes: the loader keeps them, or re-parses the
    object's document when asked, behind this interface.
    """

    def locate(self, path: KeyPath) -> tuple[int, int, KeyPath]:
        """1-based line and column of ``path`` (or its nearest existing parent), and the
        part of the path that exists."""
        ...

    def path_at(self, offset: int) -> KeyPath:
        """The key path of the field whose text holds a character offset of the source."""
        ...

    def release(self) -> None:
        """Let go of what a lookup can rebuild (a re-parsed node): the object is done with."""
        ...


@dataclass(eq=False, kw_only=True)
class K8sObject:
    """One Kubernetes object read from a manifest, with where it came from.

    ``data`` is plain JSON-like data (dicts, lists, str, int, float, bool, None).
    Positions are resolved on demand through :meth:`locate`.
    """

    data: dict[str, Any]
    source: Source
    doc_index: int
    #: Index inside a ``kind: List`` document, else None.
    item_index: int | None = None
    #: Template named by a Helm ``# Source:`` comment, else None.
    helm_source: str | None = None
    default_namespace: str
    #: Maps key paths to positions and back (see loader.positions).
    locator: Locator
    #: Character range of this object's text in the source file.
    text_start: int
    text_end: int
    #: Character offsets of mapping keys that appear twice (the last one wins).
    duplicate_key_offsets: tuple[int, ...] = ()
    #: Character offsets of plain ``y``/``n`` scalars, read as booleans as the cluster does.
    ambiguous_bool_offsets: tuple[int, ...] = ()
    #: Pod template of a custom kind that runs pods (see :meth:`use_pod_template`).
    pod_template_path: KeyPath | None = None
    #: A kustomize patch: only the fields it changes (see loader.kustomize).
    patch: bool = False
    #: Whether some mapping key of the object's document could hold a credential (has a
    #: character of loader.scalars.UNUSUAL_KEY, or is not a string). True when unknown.
    unusual_keys: bool = True
    #: Key paths whose text is shared with another place (see :func:`crosses_shared`),
    #: set by the loader; empty for the many documents without anchors or merge keys.
    shared_paths: frozenset[KeyPath] = frozenset()

    # Read once, like the namespace: checks ask for them for every object they see.
    @once
    def api_version(self) -> str:
        return str(self.data.get("apiVersion", ""))

    @once
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @property
    def metadata(self) -> dict[str, Any]:
        meta = self.data.get("metadata")
        return meta if isinstance(meta, dict) else {}

    @property
    def name(self) -> str:
        name = self.metadata.get("name")
        if name is None:
            name = self.metadata.get("generateName")
        return "" if name is None else str(name)

    @once
    def namespace(self) -> str | None:
        """The object's namespace, defaulted like kubectl; None when cluster-scoped.

        Read once: checks ask for it again and again, and an object does not change.

        Also None for a component or client configuration file (a KubeletConfiguration, an
        EncryptionConfiguration, a kubeconfig, ...): it is no API object and lives in no
        namespace.
        """
        return namespace_of(
            self.api_version, self.kind, self.data.get("metadata"), self.default_namespace
        )

    @property
    def file(self) -> str:
        """Where findings point: the manifest file, or for standard input the Helm template.

        Committed ``helm template`` output on disk keeps its own path (and lines): the
        template path would name a file that does not exist there, so annotations and code
        scanning would point nowhere. :attr:`helm_source` still names the template.
        """
        if self.helm_source and self.source.stdin:
            return self.helm_source
        return self.source.display

    def identity(self) -> dict[str, Any]:
        return {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "name": self.name,
            "namespace": self.namespace,
        }

    def describe(self) -> str:
        return f"{self.kind} '{self.name}'" if self.name else self.kind

    def locate(self, path: KeyPath) -> tuple[int, int, KeyPath]:
        """Line and column (1-based) of ``path``, or of its nearest existing parent.

        Also returns the part of the path that exists.
        """
        return self.locator.locate(path)

    def path_at(self, offset: int) -> KeyPath:
        """The key path of the field whose text contains a character offset of the source."""
        return self.locator.path_at(offset)

    def use_pod_template(self, path: KeyPath) -> None:
        """Run the workload checks on the pod template at ``path`` (a custom kind's)."""
        self.pod_template_path = path

    def sort_key(self) -> tuple[str, int, int]:
        return (self.source.display, self.doc_index, self.item_index or 0)


#: What an edit does at its key path: ``set`` a value (creating missing parents),
#: ``delete`` the entry, or ``append`` a value to the sequence there (created if missing).
EditOperation = Literal["set", "delete", "append"]
EDIT_OPERATIONS: tuple[EditOperation, ...] = ("set", "delete", "append")


@dataclass(frozen=True)
class Edit:
    """One change to an object's data, at a key path of that object.

    ``value`` is plain JSON-like data (None for ``delete``). Edits describe the wanted
    data, not text: an editing engine (not part of the linter) turns them into text
    changes, and must refuse a path that :func:`crosses_shared` reports.
    """

    operation: EditOperation
    path: KeyPath
    value: Any = None
    #: Keeps what the workload does (a setting it never needed): applied by a plain fix.
    #: An unsafe edit may break it and waits for ``--unsafe-fixes``.
    safe: bool = False

    def __post_init__(self) -> None:
        if self.operation not in EDIT_OPERATIONS:
            raise ValueError(f"unknown edit operation {self.operation!r}")
        if self.operation == "delete" and self.value is not None:
            raise ValueError("a delete edit takes no value")

    def overlaps(self, other: Edit) -> bool:
        """Whether the two edits touch the same field (or one a field inside the other's)."""
        shorter = min(len(self.path), len(other.path))
        return self.path[:shorter] == other.path[:shorter]


@dataclass(frozen=True)
class Fix:
    """The edits that would resolve a finding; declared by checks, applied by none yet.

    ``safe`` fixes keep what the workload does (a setting the container never needed);
    unsafe ones may break it (dropping a capability it uses) and need a person to agree.
    """

    description: str
    edits: tuple[Edit, ...]
    safe: bool = False
    #: A file the fix creates instead of editing the object: its name (relative to the
    #: folder of the manifest the finding is in) and YAML text. Never written over an
    #: existing file; it comes with ``--unsafe-fixes`` unless the whole fix is ``safe``.
    new_file: tuple[str, str] | None = None

    def part(self, unsafe: bool) -> Fix | None:
        """The fix restricted to what may be applied: every edit with ``unsafe``, else only
        the safe edits (a fix of a safe part and an unsafe part still brings the safe one;
        the new file waits for ``unsafe``)."""
        if unsafe or self.safe:
            return self
        edits = tuple(e for e in self.edits if e.safe)
        return Fix(self.description, edits, True) if edits else None


def crosses_shared(obj: K8sObject, path: KeyPath) -> bool:
    """Whether an edit at ``path`` of ``obj`` would reach text used elsewhere too.

    That is when the path runs through a YAML alias or its anchor (the text is the
    anchor's, read again at every alias), through a key a merge key (``<<``) brought in, or
    when it holds such a path: editing there would change other fields or objects as well.
    """
    shared = obj.shared_paths
    if not shared:
        return False
    return any(path[: len(other)] == other or other[: len(path)] == path for other in shared)


@dataclass(frozen=True)
class Finding:
    """What a check yields: a problem at a key path of the object it was given.

    ``offset`` (a character offset in the source file) pins the finding to an exact spot
    that is not a key, e.g. a token inside a block scalar or a comment.
    """

    path: KeyPath
    message: str
    hint: str | None = None
    offset: int | None = None
    #: Overrides the check's severity for this finding (e.g. a namespace that enforces).
    severity: str | None = None
    #: The verdict comes from another object of the tree (a namespace's labels), not from
    #: this object alone: with ``--staged`` it stands even in a file the commit leaves alone.
    contextual: bool = False
    #: The edits that would resolve the problem, when the check knows them.
    fix: Fix | None = None


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column."""

    file: str
    line: int
    column: int


@dataclass(frozen=True)
class Result:
    """A finding after the runner located it, applied severity and suppressions."""

    check: str
    severity: Severity
    location: Location
    message: str
    hint: str
    obj: dict[str, Any]
    path: str
    #: The Helm template (``# Source:``) the object was rendered from, when known.
    source: str | None = None
    #: The finding's key path as the check gave it (``path`` is its redacted rendering).
    #: Raw input: for edits only, never printed.
    key_path: KeyPath = ()
    #: Located by a character offset (a token in a block scalar, a comment), not by the
    #: key path alone: an editing engine cannot address the spot and must refuse it.
    by_offset: bool = False
    fix: Fix | None = None
    #: Why the result carries no fix though its findings did (e.g. conflicting edits).
    fix_dropped: str | None = None
    #: The object the result is about, for an editing engine: not part of the result's
    #: identity and never written by a reporter.
    document: K8sObject | None = field(default=None, compare=False, repr=False)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.location.file, self.location.line, self.location.column, self.check)


@dataclass(frozen=True)
class InputProblem:
    """A file or document kubelint could not use (an error) or chose not to (a notice)."""

    file: str
    line: int | None
    column: int | None
    message: str


@dataclass(frozen=True)
class Rule:
    """What reporters need to know about a check that ran."""

    id: str
    summary: str
    severity: Severity  #: the effective default severity (configuration overrides applied)
    remediation: str
    #: The check's documentation (text is read as a check module's docstring).
    doc: CheckDoc | str
    groups: tuple[str, ...] = ()
    #: The check's published documentation ("" when it has none).
    help_uri: str = ""
    #: The compliance controls the check implements (kubelint.compliance.Control).
    references: tuple[Control, ...] = ()


@dataclass
class Report:
    """Everything one run produced, ready for the reporters."""

    results: list[Result] = field(default_factory=list)
    errors: list[InputProblem] = field(default_factory=list)
    notices: list[InputProblem] = field(default_factory=list)
    internal_errors: list[str] = field(default_factory=list)
    files: int = 0
    objects: int = 0
    skipped: int = 0
    #: The checks that ran.
    rules: list[Rule] = field(default_factory=list)
    #: Findings hidden because a baseline file lists them.
    baselined: int = 0
    #: Objects no schema was known for (custom resources without their CRD), when schema
    #: checks ran: never silently counted as valid.
    not_validated: int = 0
    #: The folder paths in CI reports and baselines are relative to: the git work tree
    #: around the working folder (else that folder), found once per run.
    root: Path | None = None
    #: The parsed sources (loader.LoadedFile), kept alive with the report: freeing millions
    #: of parse nodes costs a fifth of a run, and a command-line run can skip it by exiting
    #: (see cli.run). Reporters that list passing objects read them from here.
    retained: list[Any] = field(default_factory=list, repr=False, compare=False)

    def linted(self) -> list[tuple[str, dict[str, Any]]]:
        """(file, identity) of every object linted (of the files asked about), redacted."""
        from kubelint.redaction import redact, redacted_identity

        return [
            (redact(obj.file), redacted_identity(obj))
            for item in self.retained
            if item.source.reported
            for obj in item.objects
        ]


class Context(Protocol):
    """Read-only view of every object of the run (see kubelint.runner.RunContext)."""

    objects: tuple[K8sObject, ...]

    def of_kind(self, kind: str) -> tuple[K8sObject, ...]: ...

    def memo(self, key: str, compute: Callable[[], Any]) -> Any: ...

    @property
    def known_ids(self) -> frozenset[str]: ...

    #: The Kubernetes version (minor of 1.N) the run targets.
    kube_version: int
    #: Ids of the checks selected for this run (or on by default).
    explicit: frozenset[str]
    #: Workloads of the namespaces linted that are not among ``objects``, by namespace,
    #: each with how many files hold it: a pre-commit run with the context cache counts,
    #: but does not rebuild, those of files sorted after every file linted (see
    #: kubelint.load). Empty in other runs.
    left_out: Mapping[str, Sequence[tuple[K8sObject, int]]]

    def covered(self, obj: K8sObject) -> Mapping[Hardening, bool]:
        """The hardening settings that some check of the run reports itself for ``obj``
        (see ``CheckMeta.covers``): True when it reports the setting however it is weak,
        False when only a weak explicit value (left unset, the setting is still open)."""
        ...
