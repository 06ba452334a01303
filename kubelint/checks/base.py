"""What a check is: metadata plus a pure function over one object and the context."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from kubelint.model import SEVERITIES, Finding, K8sObject, Severity

if TYPE_CHECKING:
    from kubelint.checks.pod_security.engine import Control


#: Where the pages of built-in checks are published.
DOCS_BASE = "https://github.com/kubelint/kubelint/blob/main/docs/checks/"


@dataclass(frozen=True)
class Param:
    """A check parameter settable in ``.kubelint.yaml`` under ``checks.<id>.<name>``."""

    name: str
    #: JSON schema of the value (also used to validate the configuration).
    schema: Mapping[str, Any]
    default: Any
    description: str


@dataclass(frozen=True)
class CheckMeta:
    id: str
    summary: str
    severity: str  #: "error", "warning" or "info": made a :class:`Severity` when valid
    remediation: str
    #: Kinds the check looks at; empty means every kind.
    kinds: frozenset[str] = frozenset()
    enabled: bool = True
    groups: tuple[str, ...] = ()
    params: tuple[Param, ...] = ()
    #: The check looks at other objects than the one it is given (namespaces, policies...),
    #: so the whole repository must be loaded even when only some files are named.
    needs_context: bool = False
    since: str = "0.1.0"
    #: The check reports settings that are missing, so it cannot judge a partial object
    #: (a kustomize patch holds only the fields it changes) and skips it.
    judges_absence: bool = False
    #: Set for Pod Security Standards controls (see kubelint.checks.pod_security).
    pss: Control | None = None
    #: The family the check belongs to (its package under ``kubelint.checks``, e.g.
    #: ``pod-security``); also a group. Filled in from the module for built-in checks.
    family: str = ""

    def __post_init__(self) -> None:
        # Plugins write the plain word; a member equals it and ranks. An unknown word is
        # left for the registry to refuse by name (kubelint.checks).
        if self.severity in SEVERITIES:
            object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def all_groups(self) -> tuple[str, ...]:
        """The check's family, then its other groups."""
        if not self.family:
            return self.groups
        return (self.family, *(g for g in self.groups if g != self.family))

    @property
    def page(self) -> str:
        """Where the check's page lives below docs/checks/: ``<family>/<id>.md``."""
        return f"{self.family or 'plugins'}/{self.id}.md"

    @property
    def help_uri(self) -> str:
        """The published page of a built-in check ("" for a check from elsewhere)."""
        return DOCS_BASE + self.page if self.family else ""

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}


class Context(Protocol):
    """Read-only view of every object of the run (see kubelint.runner.RunContext)."""

    objects: tuple[K8sObject, ...]

    def of_kind(self, kind: str) -> tuple[K8sObject, ...]: ...

    def memo(self, key: str, compute: Callable[[], Any]) -> Any: ...

    @property
    def known_ids(self) -> frozenset[str]: ...

    #: Policy version (minor of 1.N) for explicitly selected Pod Security controls.
    kube_version: int
    #: Ids of the checks the user selected (or that are on by default).
    explicit: frozenset[str]
    #: Baseline control id -> (restricted control id replacing it, from which version).
    pss_overrides: Mapping[str, tuple[str, int]]
    #: Every available Pod Security control by id.
    pss_controls: Mapping[str, CheckMeta]


CheckFunction = Callable[[K8sObject, Context, Mapping[str, Any]], Iterable[Finding]]


@runtime_checkable
class Check(Protocol):
    """The interface every check, built-in or third-party, provides."""

    @property
    def meta(self) -> CheckMeta: ...

    @property
    def doc(self) -> str: ...

    def check(
        self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]
    ) -> Iterable[Finding]: ...


@dataclass(frozen=True)
class ModuleCheck:
    """A check written as a module with ``META``, ``check()`` and a docstring."""

    meta: CheckMeta
    function: CheckFunction = field(repr=False)
    doc: str = field(default="", repr=False)

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterable[Finding]:
        return self.function(obj, ctx, params)

    @classmethod
    def from_module(cls, module: ModuleType) -> ModuleCheck:
        meta: CheckMeta = module.META
        if not meta.family:
            meta = replace(meta, family=family_of_module(module.__name__))
        return cls(meta, module.check, (module.__doc__ or "").strip())


def family_of_module(name: str) -> str:
    """``kubelint.checks.pod_security.baseline.x`` -> ``pod-security``; "" outside kubelint."""
    parts = name.split(".")
    if len(parts) > 3 and parts[:2] == ["kubelint", "checks"]:
        return parts[2].replace("_", "-")
    return ""
