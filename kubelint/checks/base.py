"""What a check is: metadata plus a pure function over one object and the context."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

from kubelint.checkdoc import CheckDoc as CheckDoc  # check authors import it from here
from kubelint.compliance import Control as Control  # check authors import it from here
from kubelint.compliance import groups_of
from kubelint.k8s.hardening import Hardening
from kubelint.k8s.match import Match
from kubelint.model import SEVERITIES, Finding, K8sObject, Report, Severity
from kubelint.model import Context as Context

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
    """What kubelint knows of a check besides its code: id, severity, the kinds it judges,
    its groups and parameters, and how it takes part in a run."""

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
    #: The kinds whose objects the check reads in full from the context (their spec, rules,
    #: positions); of every other object it reads at most apiVersion, kind, name,
    #: namespace and its pod template's labels (kubelint's own checks: of workloads only,
    #: so the context cache leaves other objects out when only they run). None: it does
    #: not say, so the repository context cache is not used when it runs (every file is
    #: parsed again).
    context_kinds: frozenset[str] | None = None
    since: str = "0.1.0"
    #: The check reports settings that are missing, so it cannot judge a partial object
    #: (a kustomize patch holds only the fields it changes) and skips it.
    judges_absence: bool = False
    #: Some verdicts depend on the labels of the object's Namespace (those findings are
    #: marked ``contextual``): with ``--staged``, a change to a Namespace object judges the
    #: objects in it again, keeping those findings only.
    reads_namespace_labels: bool = False
    #: Narrows the objects of ``kinds`` the check judges (namespaces, labels, API groups).
    match: Match | None = None
    #: The hardening settings this check reports itself for an object, when it does
    #: (True: however weak the setting is; False: only a weak explicit value), so that a
    #: check asking the same question (missing-security-context) leaves them to it: one
    #: problem, one finding. Read through ``Context.covered``.
    covers: Callable[[K8sObject, Context], Mapping[Hardening, bool]] | None = None
    #: The check's word on the run as a whole, called once per run when the check runs
    #: (with the objects of the files asked about): counts and notices, such as the
    #: objects no schema could validate. Checks sharing one function share one call.
    on_run: Callable[[Sequence[K8sObject], Context, Report], None] | None = None
    #: More sections of the check's page, after its description: (title, Markdown).
    doc_sections: tuple[tuple[str, str], ...] = ()
    #: The family the check belongs to (its package under ``kubelint.checks``, e.g.
    #: ``pod-security``); also a group. Filled in from the module for built-in checks.
    family: str = ""
    #: The controls of compliance frameworks (CIS Kubernetes Benchmark, NSA/CISA guide)
    #: the check implements exactly; each framework adds the check to its group (``cis``,
    #: ``nsa``). See :mod:`kubelint.compliance`.
    compliance: tuple[Control, ...] = ()
    #: False: the check leaves the control plane's static pods alone (kube-apiserver, etcd
    #: ... as kubeadm writes them, see :func:`kubelint.k8s.workloads.is_control_plane_pod`):
    #: the host network and host paths they use are their job, and the cluster checks judge
    #: their settings.
    judges_control_plane: bool = True
    #: An option of the check that, set to a non-empty value in ``.kubelint.yaml``, turns an
    #: off-by-default check on (its list of allowed registries, say): configuring it is
    #: asking for it.
    enabled_by: str | None = None

    def __post_init__(self) -> None:
        # Plugins write the plain word; a member equals it and ranks. An unknown word is
        # left for the registry to refuse by name (kubelint.checks).
        if self.severity in SEVERITIES:
            object.__setattr__(self, "severity", Severity(self.severity))

    @property
    def all_groups(self) -> tuple[str, ...]:
        """The check's family, then its other groups, then those of its compliance controls."""
        named = (self.family, *self.groups) if self.family else self.groups
        return tuple(dict.fromkeys((*named, *groups_of(self.compliance))))

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


CheckFunction = Callable[[K8sObject, Context, Mapping[str, Any]], Iterable[Finding]]


@runtime_checkable
class Check(Protocol):
    """The interface every check, built-in or third-party, provides."""

    @property
    def meta(self) -> CheckMeta: ...

    #: The user documentation. An object a plugin registers may give Markdown text
    #: instead (written like a check module's docstring): the registry parses it.
    @property
    def doc(self) -> CheckDoc: ...

    def check(
        self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]
    ) -> Iterable[Finding]: ...


@dataclass(frozen=True)
class ModuleCheck:
    """A check written as a module with ``META``, ``check()`` and a docstring."""

    meta: CheckMeta
    function: CheckFunction = field(repr=False)
    doc: CheckDoc = field(default=CheckDoc(), repr=False)

    def check(self, obj: K8sObject, ctx: Context, params: Mapping[str, Any]) -> Iterable[Finding]:
        return self.function(obj, ctx, params)

    @classmethod
    def from_module(cls, module: ModuleType) -> ModuleCheck:
        meta: CheckMeta = module.META
        if not meta.family:
            meta = replace(meta, family=family_of_module(module.__name__))
        return cls(meta, module.check, CheckDoc.parse(module.__doc__ or ""))


def family_of_module(name: str) -> str:
    """``kubelint.checks.pod_security.baseline.x`` -> ``pod-security``; "" outside kubelint."""
    parts = name.split(".")
    if len(parts) > 3 and parts[:2] == ["kubelint", "checks"]:
        return parts[2].replace("_", "-")
    return ""


@dataclass(frozen=True)
class ProviderRequest:
    """What a :class:`CheckProvider` is given to decide which checks a run gets."""

    #: The provider's section of ``.kubelint.yaml`` (None when absent or not configurable).
    settings: Any
    #: Every object of the run.
    context: Context
    #: The checks of the run's registry by id (built-in, plugins, and those provided so far).
    available: Mapping[str, Check]
    #: Ids of the checks selected for the run, and of those the user ignores.
    selected: frozenset[str]
    ignored: frozenset[str]


@runtime_checkable
class CheckProvider(Protocol):
    """Adds checks to a run from its configuration or from the objects it lints.

    A provided check with a new id joins the run's registry: it can be selected, ignored,
    suppressed and configured like a built-in one (it runs when selected, or when on by
    default and nothing is selected). A provided check whose id is already known is
    switched on for the run unless the user ignores it.
    """

    @property
    def name(self) -> str: ...

    #: The top-level key of ``.kubelint.yaml`` this provider reads (None: none).
    @property
    def config_key(self) -> str | None: ...

    #: The JSON schema of that section.
    @property
    def config_schema(self) -> Mapping[str, Any] | None: ...

    def provide(self, request: ProviderRequest) -> Iterable[Check]: ...
