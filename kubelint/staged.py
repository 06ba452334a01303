"""``--staged``: lint what git would commit, as the pre-commit hook does.

The repository context is the git index, not the working tree, and objects in files the
commit does not touch are judged again when their verdict depends on what it changes (the
namespace's policies or labels, a runtime class).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from kubelint.config import Config
from kubelint.errors import UsageError
from kubelint.k8s.workloads import has_pod_template, pod_spec
from kubelint.loader import load_source
from kubelint.loader.discovery import (
    git_root,
    index_files,
    is_excluded,
    is_tool_config,
    read_objects,
    staged_changes,
)
from kubelint.loader.documents import MAX_DOCUMENT_CHARS
from kubelint.loader.source import UTF16_BOMS
from kubelint.model import K8sObject

#: Cross-object checks whose verdict on a namespace depends on objects of these kinds,
#: wherever in the repository they are: with ``--staged`` a change to one of them makes the
#: check report on the namespace's objects in files the commit does not touch.
RECHECKED_BY_KINDS: Mapping[str, frozenset[str]] = {
    "namespace-without-default-deny": frozenset({"NetworkPolicy", "Namespace"}),
}
#: Re-checked when a RuntimeClass changes: the workloads that name it, or every workload
#: when the project starts or stops declaring runtime classes (the check's severity).
RUNTIME_CLASS_CHECK = "missing-runtime-class"
#: Re-checked everywhere when a commit changes what admission policies decide: the
#: policies, their bindings, and the Namespaces their namespaceSelectors read.
ADMISSION_CHECK = "admission-policy"
ADMISSION_KINDS = frozenset(
    {
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingPolicy",
        "Namespace",
    }
)
#: Index blobs larger than this are not read as context (a single document may not be).
MAX_BLOB_BYTES = MAX_DOCUMENT_CHARS

Change = tuple[str | None, str | None]


@dataclass
class Staged:
    """What ``--staged`` reads from git: the index and the namespaces a commit affects."""

    root: Path
    #: Whether the staged change touches any manifest at all.
    touched: bool
    #: Namespaces whose NetworkPolicy or Namespace objects the commit adds, changes or
    #: deletes (both versions count).
    affected: frozenset[str] = frozenset()
    #: Names of the RuntimeClass objects the commit deletes or changes (the HEAD side) and
    #: adds or changes (the index side).
    runtime_classes_before: frozenset[str] = frozenset()
    runtime_classes_after: frozenset[str] = frozenset()
    #: Namespaces whose Namespace object the commit adds, changes or deletes: their Pod
    #: Security labels may have changed.
    labelled: frozenset[str] = frozenset()
    #: The commit adds, changes or deletes an admission policy, a binding or a Namespace.
    admission_changed: bool = False
    #: Index blobs read already (those of the changed files), by id: not asked of git again.
    blobs: Mapping[str, bytes] = field(default_factory=dict)
    #: The index's manifests once git has listed them (see :attr:`index`).
    listed: dict[str, str] | None = None

    @property
    def index(self) -> Mapping[str, str]:
        """Manifests of the index: path relative to ``root`` -> blob id.

        Listed when first needed: a commit that changes no manifest is not linted, and
        the pre-commit hook runs on every commit, so most never list the index (a git
        process and some 10 ms in a repository of 5,000 manifests).
        """
        if self.listed is None:
            self.listed = index_files(self.root)
        return self.listed

    @property
    def runtime_classes(self) -> frozenset[str]:
        return self.runtime_classes_before | self.runtime_classes_after

    def may_recheck(self, obj: K8sObject) -> bool:
        """Whether a context object may be judged again, so must keep its positions."""
        return (
            self.admission_changed
            or object_namespace(obj) in self.affected
            or bool(self.runtime_classes and has_pod_template(obj))
        )


def object_namespace(obj: K8sObject) -> str | None:
    """The namespace an object is in, or that it is (a Namespace object)."""
    return obj.name if obj.kind == "Namespace" else obj.namespace


def staged_state(config: Config) -> Staged:
    """Read the git index and the staged change of the repository around the working folder."""
    root = git_root(Path.cwd())
    changes = staged_changes(root) if root is not None else None
    if root is None or changes is None:
        raise UsageError("--staged: not inside a git repository (it lints what git would commit)")
    kept = [change for change in changes if not _ignored(change, root, config)]
    if not kept:
        return Staged(root, touched=False)
    index = index_files(root)
    # Both sides of each change: a policy deleted or narrowed un-protects its namespace as
    # surely as one added elsewhere protects another.
    head_side = {f"HEAD:{old}" for old, _ in kept if old is not None}
    wanted = [*head_side, *(index[new] for _, new in kept if new is not None and new in index)]
    affected: set[str] = set()
    labelled: set[str] = set()
    admission = False
    classes: dict[bool, set[str]] = {True: set(), False: set()}
    kinds = frozenset().union(*RECHECKED_BY_KINDS.values())
    contents = read_objects(root, wanted, MAX_BLOB_BYTES)
    for name, obj in _changed_objects(contents, config):
        namespace = object_namespace(obj)
        if obj.kind in kinds and namespace:
            affected.add(namespace)
        if obj.kind == "RuntimeClass" and obj.name:
            classes[name in head_side].add(obj.name)
        if obj.kind == "Namespace" and obj.name:
            labelled.add(obj.name)
        admission = admission or obj.kind in ADMISSION_KINDS
    return Staged(
        root,
        True,
        frozenset(affected),
        frozenset(classes[True]),
        frozenset(classes[False]),
        frozenset(labelled),
        admission,
        {blob: raw for blob, raw in contents.items() if blob not in head_side},
        listed=index,
    )


def _ignored(change: Change, root: Path, config: Config) -> bool:
    """Whether a changed file is tool configuration or excluded (on either side)."""
    return any(
        name is not None
        and (
            is_tool_config(str(root / name))
            or is_excluded(root / name, config.exclude, config.base)
        )
        for name in change
    )


#: The kinds whose objects in a changed file make kubelint judge other files again.
DECIDING_KINDS = frozenset().union(*RECHECKED_BY_KINDS.values(), ADMISSION_KINDS, {"RuntimeClass"})
_DECIDING_BYTES = tuple(sorted(kind.encode("ascii") for kind in DECIDING_KINDS))


def may_hold_deciding_kinds(raw: bytes) -> bool:
    """False when no object of these bytes can be of a kind in :data:`DECIDING_KINDS`.

    A kind is a string: in UTF-8 text its name appears as it is, unless written with an
    escape (a backslash, in double-quoted YAML or JSON); folding lines adds spaces. UTF-16
    text (with its byte order mark, as kubelint reads it) is always parsed. A commit that
    changes a workload is not parsed twice more for kinds it does not hold.
    """
    if raw.startswith(UTF16_BOMS) or b"\\" in raw:
        return True
    return any(kind in raw for kind in _DECIDING_BYTES)


def _changed_objects(
    contents: Mapping[str, bytes], config: Config
) -> Iterable[tuple[str, K8sObject]]:
    """The objects of these git blobs that may be of :data:`DECIDING_KINDS`, each with the
    name it was asked by."""
    for name, raw in contents.items():
        if not may_hold_deciding_kinds(raw):
            continue
        item = load_source(name, raw, default_namespace=config.namespace, reported=False)
        for obj in item.objects:
            yield name, obj


def staged_context(staged: Staged, config: Config) -> list[tuple[str, str]]:
    """The manifests of the git index (within the configured roots, and the crd-paths and
    policy-paths folders), each as an absolute path with its blob id (see
    :func:`read_blobs`).

    Paths are strings: a repository holds thousands of manifests, and the pre-commit hook
    makes a path object of only the few it reads from the working tree.
    """
    names = sorted(staged.index)
    if config.roots:
        folders = [*config.roots, *config.crd_paths, *config.policy_paths]
        roots = [Path(os.path.realpath(config.base / r)) for r in folders]
        names = [n for n in names if any(_inside_folder(staged.root / n, r) for r in roots)]
    if config.exclude:
        names = [n for n in names if not is_excluded(staged.root / n, config.exclude, config.base)]
    # Absolute and normalized, as the loader takes them (index names have no . or ..).
    prefix = os.path.join(os.path.abspath(staged.root), "")
    native = os.sep == "/"
    index = staged.index
    return [(prefix + (n if native else n.replace("/", os.sep)), index[n]) for n in names]


def read_blobs(staged: Staged, blobs: Iterable[str]) -> dict[str, bytes]:
    """The content of index blobs by id; a blob too large to be context is left out."""
    wanted = sorted(set(blobs))
    found = {blob: staged.blobs[blob] for blob in wanted if blob in staged.blobs}
    rest = [blob for blob in wanted if blob not in found]
    return {**found, **read_objects(staged.root, rest, MAX_BLOB_BYTES)}


def _inside_folder(path: Path, folder: Path) -> bool:
    # By name: an index entry need not exist in the working tree, and links are the
    # index's to resolve.
    try:
        Path(os.path.abspath(path)).relative_to(folder)
    except ValueError:
        return False
    return True


def runtime_class_change(
    staged: Staged, runtime_classes: Iterable[K8sObject]
) -> Callable[[K8sObject], bool] | None:
    """Which workloads a staged RuntimeClass change re-judges (None: it changes none).

    ``runtime_classes`` are the RuntimeClass objects of the run (the index's).
    """
    if not staged.runtime_classes:
        return None
    now = {o.name for o in runtime_classes if o.name}
    before = (now - staged.runtime_classes_after) | staged.runtime_classes_before
    if bool(now) != bool(before):
        return has_pod_template  # sandboxing started or stopped: every workload's severity
    changed = staged.runtime_classes

    def names_a_changed_class(obj: K8sObject) -> bool:
        found = pod_spec(obj)
        name = found[1].get("runtimeClassName") if found is not None else None
        return isinstance(name, str) and name in changed

    return names_a_changed_class
