"""RBAC semantics shared by the access checks: rules, bindings, aggregation, built-in roles.

Plain functions and data over manifest data, kept out of the check modules so that each
rule of RBAC is written once and tested case by case. Input of any shape is read the way the
API server would store it or not at all: a field of the wrong type grants nothing (the API
server rejects such an object), and never raises.

The per-run index (:func:`index`) is computed once through ``ctx.memo``.

References:
- https://kubernetes.io/docs/reference/access-authn-authz/rbac/
- https://kubernetes.io/docs/concepts/security/rbac-good-practices/
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubelint.checks.access import BINDING_KINDS as BINDING_KINDS
from kubelint.checks.access import CONTEXT_KINDS as CONTEXT_KINDS
from kubelint.checks.access import ROLE_KINDS as ROLE_KINDS
from kubelint.checks.base import Context
from kubelint.k8s.selectors import Malformed, parse_selector, pod_labels
from kubelint.k8s.workloads import api_group
from kubelint.model import K8sObject, KeyPath
from kubelint.once import once

RBAC_GROUP = "rbac.authorization.k8s.io"
WILDCARD = "*"
#: The fields of a rule in which ``*`` stands for everything (nonResourceURLs aside).
WILDCARD_FIELDS = ("apiGroups", "resources", "verbs")
#: Every field a ``*`` of which a wildcard finding names: ``*`` in nonResourceURLs grants
#: every non-resource URL. Not resourceNames: Kubernetes compares those literally.
NAMED_WILDCARD_FIELDS = (*WILDCARD_FIELDS, "nonResourceURLs")
#: Verbs that return a Secret's value: list and watch return every Secret at once.
READ_VERBS = ("get", "list", "watch")
#: Key of the index in ``ctx.memo``.
MEMO_KEY = "access-rbac-index"

#: Cluster roles of the Kubernetes bootstrap policy that are not ``system:`` ones.
BUILTIN_CLUSTER_ROLES = frozenset({"cluster-admin", "admin", "edit", "view"})
#: Namespaced Roles of the bootstrap policy (in kube-system, and kube-public for the
#: bootstrap signer), besides ``system:`` ones.
BUILTIN_ROLES = frozenset(
    {
        "extension-apiserver-authentication-reader",
        "system::leader-locking-kube-controller-manager",
        "system::leader-locking-kube-scheduler",
    }
)
BUILTIN_ROLE_NAMESPACES = frozenset({"kube-system", "kube-public"})
#: Built-in roles that only let a caller discover the API (what every client needs).
DISCOVERY_ROLES = frozenset(
    {
        "system:discovery",
        "system:basic-user",
        "system:public-info-viewer",
        "system:service-account-issuer-discovery",
    }
)
#: The role every built-in binding of ``system:masters`` points at.
CLUSTER_ADMIN = "cluster-admin"
ANONYMOUS_USER = "system:anonymous"
UNAUTHENTICATED = "system:unauthenticated"
AUTHENTICATED = "system:authenticated"
ALL_SERVICE_ACCOUNTS = "system:serviceaccounts"
#: Built-in identities that stand for many callers or for callers of low trust: never a
#: "system:masters-style" control-plane identity.
_BROAD_SYSTEM_NAMES = frozenset(
    {ANONYMOUS_USER, UNAUTHENTICATED, AUTHENTICATED, ALL_SERVICE_ACCOUNTS, "system:nodes"}
)
_BROAD_SYSTEM_PREFIXES = (
    "system:serviceaccount:",
    "system:serviceaccounts:",
    "system:node:",
    "system:bootstrappers",
)


# --- rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entries:
    """The string entries of one list field of a rule, with their indexes."""

    key: str
    items: tuple[tuple[int, str], ...] = ()

    @once
    def values(self) -> frozenset[str]:
        """The entries as a set (built once: every rule is asked many questions)."""
        return frozenset(v for _, v in self.items)

    def index_of(self, value: str) -> int | None:
        """Index of the first entry equal to ``value``."""
        return next((i for i, v in self.items if v == value), None)


def _entries(rule: Mapping[str, Any], key: str) -> Entries:
    """A list field: anything but a list grants nothing, entries that are not strings
    are dropped (the API server would reject the object either way)."""
    value = rule.get(key)
    if not isinstance(value, list):
        return Entries(key)
    return Entries(key, tuple((i, v) for i, v in enumerate(value) if isinstance(v, str)))


def resource_matches(pattern: str, resource: str) -> bool:
    """Whether a rule's resource entry covers a requested ``resource[/subresource]``.

    ``*`` covers everything; ``*/scale`` covers the ``scale`` subresource of every resource
    (as the API server's authorizer reads it); otherwise the entry must be equal.
    """
    if pattern in (WILDCARD, resource):
        return True
    sub = resource.partition("/")[2]
    return bool(sub) and pattern == f"*/{sub}"


@dataclass(frozen=True)
class Rule:
    """One entry of a role's ``rules``."""

    path: KeyPath
    #: The rule's keys in the order they are written (findings pick the first offending one).
    order: tuple[str, ...]
    api_groups: Entries
    resources: Entries
    verbs: Entries
    resource_names: Entries
    non_resource_urls: Entries

    def entries(self, key: str) -> Entries:
        return {
            "apiGroups": self.api_groups,
            "resources": self.resources,
            "verbs": self.verbs,
            "resourceNames": self.resource_names,
            "nonResourceURLs": self.non_resource_urls,
        }[key]

    def first_wildcard(self) -> KeyPath | None:
        """Key path of the rule's first ``*`` in written order, nonResourceURLs included.

        None unless apiGroups, resources or verbs hold a ``*``.
        """
        if not self.has_wildcard:
            return None
        for key in self._ordered(NAMED_WILDCARD_FIELDS):
            index = self.entries(key).index_of(WILDCARD)
            if index is not None:
                return (*self.path, key, index)
        return None

    def wildcard_fields(self) -> tuple[str, ...]:
        """The fields (of apiGroups, resources, verbs) that hold ``*``, in written order."""
        return tuple(
            k for k in self._ordered(WILDCARD_FIELDS) if WILDCARD in self.entries(k).values
        )

    def named_wildcard_fields(self) -> tuple[str, ...]:
        """Every field that holds ``*``, nonResourceURLs included, in written order."""
        return tuple(
            k for k in self._ordered(NAMED_WILDCARD_FIELDS) if WILDCARD in self.entries(k).values
        )

    @property
    def has_wildcard(self) -> bool:
        return any(WILDCARD in e.values for e in (self.api_groups, self.resources, self.verbs))

    @property
    def grants_everything(self) -> bool:
        """Every verb on every resource of every API group: cluster-admin in all but name."""
        return (
            all(WILDCARD in e.values for e in (self.api_groups, self.resources, self.verbs))
            and not self.resource_names.items
        )

    def allows(self, verb: str, group: str, resource: str) -> bool:
        """Whether the rule grants ``verb`` on ``group``/``resource`` (``*`` included)."""
        verbs, groups = self.verbs.values, self.api_groups.values
        if WILDCARD not in verbs and verb not in verbs:
            return False
        if WILDCARD not in groups and group not in groups:
            return False
        return any(resource_matches(p, resource) for p in self.resources.values)

    def first_grant(self, path: Path) -> tuple[str, str] | None:
        """The first (verb, resource) of ``path`` the rule allows, resource by resource."""
        verbs, groups = self.verbs.values, self.api_groups.values
        if WILDCARD not in groups and path.group not in groups:
            return None  # the common case: a rule for another API group
        if WILDCARD not in verbs and verbs.isdisjoint(path.verbs):
            return None
        return next(
            (
                (verb, resource)
                for resource in path.resources
                for verb in path.verbs
                if self.allows(verb, path.group, resource)
            ),
            None,
        )

    def resource_entry(self, resource: str) -> int | None:
        """Index of the first resources entry that covers ``resource``."""
        return next((i for i, p in self.resources.items if resource_matches(p, resource)), None)

    def verb_entry(self, verb: str) -> int | None:
        return next((i for i, v in self.verbs.items if v in (verb, WILDCARD)), None)

    def _ordered(self, keys: Iterable[str]) -> list[str]:
        wanted = list(keys)
        written = [k for k in self.order if k in wanted]
        return written + [k for k in wanted if k not in written]

    def position(self, path: KeyPath) -> tuple[int, int]:
        """Sort key of an entry path of this rule: written order of its key, then index."""
        key, index = path[len(self.path)], path[len(self.path) + 1]
        order = list(self.order)
        return (order.index(key) if key in order else len(order), int(index))


def parse_rules(data: Any) -> tuple[Rule, ...]:
    """The rules of a Role or ClusterRole (``data`` is the object); odd shapes give none."""
    rules = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(rules, list):
        return ()
    out = []
    for index, rule in enumerate(rules):
        if not isinstance(rule, dict):
            continue
        out.append(
            Rule(
                ("rules", index),
                tuple(str(k) for k in rule),
                _entries(rule, "apiGroups"),
                _entries(rule, "resources"),
                _entries(rule, "verbs"),
                _entries(rule, "resourceNames"),
                _entries(rule, "nonResourceURLs"),
            )
        )
    return tuple(out)


# --- what a grant lets a caller do --------------------------------------------------------


@dataclass(frozen=True)
class Path:
    """An escalation path: any of ``verbs`` on any of ``resources`` of ``group``."""

    #: Short label for messages, e.g. ``create pods``.
    name: str
    #: What the path lets a caller do.
    why: str
    verbs: tuple[str, ...]
    group: str
    resources: tuple[str, ...]
    #: Where a finding points: at the verb (escalate, bind, impersonate) or the resource.
    at_verb: bool = False


_WORKLOADS = (
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "replicasets"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
)
_WRITES = ("create", "update", "patch", "delete", "deletecollection")

#: Escalation paths of the RBAC good-practices page, each named for the finding.
ESCALATION_PATHS: tuple[Path, ...] = (
    Path(
        "escalate",
        "create or change roles with permissions it does not hold",
        ("escalate",),
        RBAC_GROUP,
        ("roles", "clusterroles"),
        at_verb=True,
    ),
    Path(
        "bind",
        "bind any role, cluster-admin included, to anyone",
        ("bind",),
        RBAC_GROUP,
        ("roles", "clusterroles"),
        at_verb=True,
    ),
    Path(
        "impersonate",
        "act as another user, group or ServiceAccount",
        ("impersonate",),
        "",
        ("users", "groups", "serviceaccounts"),
        at_verb=True,
    ),
    *(
        Path(
            f"create {resource}",
            "run pods under any ServiceAccount of the namespace, with host access "
            "unless admission stops it",
            ("create",),
            group,
            (resource,),
        )
        for group, resource in _WORKLOADS
    ),
    Path(
        "pods/exec",
        "run commands in running containers, over a WebSocket with get alone",
        ("create", "get"),
        "",
        ("pods/exec",),
    ),
    Path(
        "pods/attach",
        "attach to running containers, over a WebSocket with get alone",
        ("create", "get"),
        "",
        ("pods/attach",),
    ),
    Path(
        "pods/ephemeralcontainers",
        "add a container of its choosing to a running pod",
        ("update", "patch"),
        "",
        ("pods/ephemeralcontainers",),
    ),
    Path(
        "serviceaccounts/token",
        "mint tokens of any ServiceAccount of the namespace",
        ("create",),
        "",
        ("serviceaccounts/token",),
    ),
    Path(
        "nodes/proxy",
        "call the kubelet API of every node, which runs commands in any pod",
        ("get", "create"),
        "",
        ("nodes/proxy",),
    ),
    Path(
        "write admission configuration",
        "add, change or remove admission webhooks and policies, which see or rewrite every request",
        _WRITES,
        "admissionregistration.k8s.io",
        (
            "validatingwebhookconfigurations",
            "mutatingwebhookconfigurations",
            "validatingadmissionpolicies",
        ),
    ),
    Path(
        "create persistentvolumes",
        "mount any path of a node through a hostPath volume",
        ("create",),
        "",
        ("persistentvolumes",),
    ),
)
#: Approving certificate requests is a path only with ``approve`` on a signer as well.
CSR_APPROVAL = Path(
    "approve certificatesigningrequests",
    "issue certificates for any identity, with approve on a signer",
    ("update",),
    "certificates.k8s.io",
    ("certificatesigningrequests/approval",),
)
_SIGNER_APPROVE = ("approve", "certificates.k8s.io", "signers")


def rule_paths(rule: Rule, role_rules: Iterable[Rule]) -> list[tuple[Path, KeyPath]]:
    """The escalation paths one rule opens, each with the entry a finding points at.

    ``role_rules`` are all rules of the role, for paths that need two grants (approving
    certificate requests needs ``approve`` on a signer, possibly in another rule).
    """
    found: list[tuple[Path, KeyPath]] = []
    candidates = list(ESCALATION_PATHS)
    if any(r.allows(*_SIGNER_APPROVE) for r in role_rules):
        candidates.append(CSR_APPROVAL)
    for path in candidates:
        hit = rule.first_grant(path)
        if hit is None:
            continue
        verb, resource = hit
        verb_index = rule.verb_entry(verb)
        resource_index = rule.resource_entry(resource)
        if path.at_verb and verb_index is not None:
            found.append((path, (*rule.path, "verbs", verb_index)))
        elif resource_index is not None:
            found.append((path, (*rule.path, "resources", resource_index)))
    return found


def reads_secrets(rule: Rule) -> list[str]:
    """The read verbs the rule grants on every Secret (none when limited by resourceNames)."""
    if rule.resource_names.items:
        return []
    return [v for v in READ_VERBS if rule.allows(v, "", "secrets")]


# --- bindings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    path: KeyPath
    kind: str
    name: str
    #: The ServiceAccount's namespace (the binding's when left out of a RoleBinding).
    namespace: str

    def describe(self) -> str:
        if self.kind == "ServiceAccount":
            return f"ServiceAccount '{self.namespace}/{self.name}'"
        return f"{self.kind or 'subject'} '{self.name}'"


@dataclass(frozen=True)
class RoleRef:
    kind: str
    name: str


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def parse_subjects(binding: K8sObject) -> tuple[Subject, ...]:
    """The subjects of a binding that name someone (entries of other shapes are dropped)."""
    subjects = binding.data.get("subjects")
    if not isinstance(subjects, list):
        return ()
    default_ns = binding.namespace or binding.default_namespace
    out = []
    for index, item in enumerate(subjects):
        if not isinstance(item, dict) or not _text(item.get("name")):
            continue
        out.append(
            Subject(
                ("subjects", index),
                _text(item.get("kind")),
                _text(item.get("name")),
                _text(item.get("namespace")) or default_ns,
            )
        )
    return tuple(out)


def parse_role_ref(binding: K8sObject) -> RoleRef | None:
    ref = binding.data.get("roleRef")
    if not isinstance(ref, dict):
        return None
    kind, name = _text(ref.get("kind")), _text(ref.get("name"))
    return RoleRef(kind, name) if kind in ROLE_KINDS and name else None


def is_builtin_role(kind: str, name: str, namespace: str | None) -> bool:
    """Whether Kubernetes itself creates this role (bootstrap policy)."""
    if kind == "ClusterRole":
        return name in BUILTIN_CLUSTER_ROLES or name.startswith("system:")
    return namespace in BUILTIN_ROLE_NAMESPACES and (
        name in BUILTIN_ROLES or name.startswith("system:")
    )


def is_anonymous(subject: Subject) -> bool:
    """A subject that stands for callers without credentials."""
    return (subject.kind, subject.name) in (("User", ANONYMOUS_USER), ("Group", UNAUTHENTICATED))


def is_all_authenticated(subject: Subject) -> bool:
    return (subject.kind, subject.name) == ("Group", AUTHENTICATED)


def is_control_plane_identity(subject: Subject) -> bool:
    """A ``system:masters``-style built-in identity (a control-plane component or group),
    as opposed to people, ServiceAccounts, nodes or everyone."""
    if subject.kind not in ("User", "Group") or not subject.name.startswith("system:"):
        return False
    return subject.name not in _BROAD_SYSTEM_NAMES and not subject.name.startswith(
        _BROAD_SYSTEM_PREFIXES
    )


def service_account_of(subject: Subject) -> tuple[str, str] | None:
    """(namespace, name) of the ServiceAccount a subject names, also as a User name."""
    if subject.kind == "ServiceAccount":
        return subject.namespace, subject.name
    if subject.kind == "User" and subject.name.startswith("system:serviceaccount:"):
        parts = subject.name.split(":")
        if len(parts) == 4 and parts[2] and parts[3]:
            return parts[2], parts[3]
    return None


# --- label selectors of aggregation rules -------------------------------------------------


def selector_matches(selector: Any, labels: Mapping[str, str]) -> bool:
    """Whether a label selector selects ``labels``; a malformed selector (one the API server
    would reject) selects nothing, an empty one everything."""
    try:
        return parse_selector(selector, "clusterRoleSelectors").matches(labels)
    except Malformed:
        return False


def aggregation_selectors(role: K8sObject) -> list[Any] | None:
    """The ``clusterRoleSelectors`` of an aggregated ClusterRole (None when not aggregated)."""
    rule = role.data.get("aggregationRule")
    if role.kind != "ClusterRole" or not isinstance(rule, dict):
        return None
    selectors = rule.get("clusterRoleSelectors")
    return selectors if isinstance(selectors, list) else []


# --- the index of one run ----------------------------------------------------------------


def is_rbac(obj: K8sObject) -> bool:
    return obj.kind in (*ROLE_KINDS, *BINDING_KINDS) and api_group(obj.api_version) == RBAC_GROUP


def is_service_account(obj: K8sObject) -> bool:
    return obj.kind == "ServiceAccount" and api_group(obj.api_version) == ""


@dataclass
class Binding:
    obj: K8sObject
    ref: RoleRef | None
    subjects: tuple[Subject, ...]
    #: The in-tree role the binding points at (None when built-in or not declared).
    role: K8sObject | None


@dataclass
class Index:
    """What the tree declares about access control, computed once per run."""

    #: (kind, namespace or None, name) -> the first role declared so.
    roles: dict[tuple[str, str | None, str], K8sObject] = field(default_factory=dict)
    bindings: list[Binding] = field(default_factory=list)
    #: (namespace, name) of every declared ServiceAccount.
    service_accounts: dict[tuple[str, str], K8sObject] = field(default_factory=dict)
    #: Names of ServiceAccounts declared without a namespace: an install bundle applied
    #: with ``kubectl apply -n <namespace>`` puts them in whichever namespace it is given.
    unplaced_accounts: set[str] = field(default_factory=set)
    #: id(aggregated ClusterRole) -> the in-tree ClusterRoles whose rules it collects.
    members: dict[int, list[K8sObject]] = field(default_factory=dict)
    #: id(role) -> the aggregated ClusterRoles that collect its rules (itself excluded).
    aggregated_into: dict[int, list[K8sObject]] = field(default_factory=dict)
    #: id(role) -> the bindings that point at it.
    bound_by: dict[int, list[Binding]] = field(default_factory=dict)
    #: id(binding object) -> its parsed binding.
    by_object: dict[int, Binding] = field(default_factory=dict)
    _rules: dict[int, tuple[Rule, ...]] = field(default_factory=dict)

    def rules(self, role: K8sObject) -> tuple[Rule, ...]:
        """The rules written in a role (parsed once)."""
        key = id(role)
        if key not in self._rules:
            self._rules[key] = parse_rules(role.data)
        return self._rules[key]

    def effective_rules(self, role: K8sObject) -> Iterator[tuple[K8sObject, Rule]]:
        """The rules a binding to ``role`` grants, each with the role it is written in.

        An aggregated ClusterRole grants the rules of the in-tree ClusterRoles its
        selectors match (the controller overwrites its own ``rules`` with them).
        """
        members = self.members.get(id(role))
        if members is None:
            for rule in self.rules(role):
                yield role, rule
            return
        for member in members:
            for rule in self.rules(member):
                yield member, rule

    def role_of(self, binding: K8sObject, ref: RoleRef) -> K8sObject | None:
        if ref.kind == "ClusterRole":
            return self.roles.get(("ClusterRole", None, ref.name))
        if binding.kind != "RoleBinding":
            return None  # a ClusterRoleBinding cannot point at a Role
        return self.roles.get(("Role", binding.namespace, ref.name))

    def bindings_granting(self, role: K8sObject) -> list[Binding]:
        """Bindings that grant the rules of ``role``: to it, or to an aggregate of it."""
        found = list(self.bound_by.get(id(role), ()))
        for aggregate in self.aggregated_into.get(id(role), ()):
            found += self.bound_by.get(id(aggregate), ())
        return found

    def namespaced_only(self, role: K8sObject) -> list[str] | None:
        """The namespaces a role's rules apply in, when that is known to be limited.

        A Role is limited to its namespace. A ClusterRole is limited only when the tree
        binds it (or an aggregate of it) and every such binding is a RoleBinding; unbound,
        it may be bound cluster-wide anywhere, so it counts as cluster-wide.
        """
        if role.kind == "Role":
            return [str(role.namespace)]
        bindings = self.bindings_granting(role)
        if not bindings or any(b.obj.kind != "RoleBinding" for b in bindings):
            return None
        return sorted({str(b.obj.namespace) for b in bindings})

    def declares_account(self, namespace: str, name: str) -> bool:
        """Whether the tree declares this ServiceAccount (or one of that name that goes
        to whichever namespace the bundle is applied to)."""
        return (namespace, name) in self.service_accounts or name in self.unplaced_accounts


def _build(objects: Iterable[K8sObject]) -> Index:
    index = Index()
    ordered = sorted(objects, key=K8sObject.sort_key)
    for obj in ordered:
        if obj.kind in ROLE_KINDS and is_rbac(obj) and obj.name:
            index.roles.setdefault((obj.kind, obj.namespace, obj.name), obj)
        elif is_service_account(obj) and obj.name:
            index.service_accounts.setdefault((str(obj.namespace), obj.name), obj)
            if not obj.metadata.get("namespace"):
                index.unplaced_accounts.add(obj.name)
    cluster_roles = [r for (kind, _, _), r in index.roles.items() if kind == "ClusterRole"]
    for role in cluster_roles:
        selectors = aggregation_selectors(role)
        if selectors is None:
            continue
        index.members[id(role)] = [
            other
            for other in cluster_roles
            if other is not role
            and any(selector_matches(s, pod_labels(other.metadata)) for s in selectors)
        ]
    _close_aggregates(index, cluster_roles)
    for obj in ordered:
        if obj.kind not in BINDING_KINDS or not is_rbac(obj):
            continue
        ref = parse_role_ref(obj)
        target = index.role_of(obj, ref) if ref is not None else None
        binding = Binding(obj, ref, parse_subjects(obj), target)
        index.bindings.append(binding)
        index.by_object[id(obj)] = binding
        if target is not None:
            index.bound_by.setdefault(id(target), []).append(binding)
    return index


def _close_aggregates(index: Index, cluster_roles: list[K8sObject]) -> None:
    """Aggregates of aggregates: an aggregated member contributes the rules it collects.

    Replaces each aggregate's members with the non-aggregated roles reachable from it
    (bounded: each role is visited once per aggregate), and records the reverse map.
    """
    direct = dict(index.members)
    for aggregate_id in direct:
        seen: set[int] = {aggregate_id}
        leaves: list[K8sObject] = []
        stack = list(reversed(direct[aggregate_id]))
        while stack:
            role = stack.pop()
            if id(role) in seen:
                continue
            seen.add(id(role))
            if id(role) in direct:
                stack.extend(reversed(direct[id(role)]))
            else:
                leaves.append(role)
        index.members[aggregate_id] = leaves
    by_id = {id(r): r for r in cluster_roles}
    for aggregate_id, leaves in index.members.items():
        for leaf in leaves:
            index.aggregated_into.setdefault(id(leaf), []).append(by_id[aggregate_id])


def index(ctx: Context) -> Index:
    """The run's access-control index, computed once."""
    kinds = (*ROLE_KINDS, *BINDING_KINDS, "ServiceAccount")
    index_: Index = ctx.memo(
        MEMO_KEY, lambda: _build(o for kind in kinds for o in ctx.of_kind(kind))
    )
    return index_


@dataclass
class Accounts:
    """The ServiceAccounts of the tree and who the bindings name: what a workload's token
    needs, without the roles, their aggregation and their rules (:class:`Index`)."""

    #: (namespace, name) -> the first ServiceAccount declared so.
    service_accounts: dict[tuple[str, str], K8sObject] = field(default_factory=dict)
    #: (namespace, name) of every ServiceAccount some binding names.
    bound: set[tuple[str, str]] = field(default_factory=set)
    #: The groups bindings name (``system:serviceaccounts`` and its per-namespace form).
    groups: set[str] = field(default_factory=set)

    def bound_service_account(self, namespace: str, name: str, unplaced: bool = False) -> bool:
        """Whether some binding in the tree grants anything to this ServiceAccount.

        ``unplaced``: the workload names no namespace, so a subject of that name in any
        namespace may be its ServiceAccount once the bundle is applied.
        """
        if (namespace, name) in self.bound or (
            unplaced and any(bound == name for _, bound in self.bound)
        ):
            return True
        return bool(self.groups & {ALL_SERVICE_ACCOUNTS, f"{ALL_SERVICE_ACCOUNTS}:{namespace}"})


def accounts(ctx: Context) -> Accounts:
    """The run's :class:`Accounts`, computed once."""

    def build() -> Accounts:
        found = Accounts()
        for obj in sorted(ctx.of_kind("ServiceAccount"), key=K8sObject.sort_key):
            if is_service_account(obj) and obj.name:
                found.service_accounts.setdefault((str(obj.namespace), obj.name), obj)
        # Copies of a file the context cache rebuilds share their data: each read once.
        seen: set[tuple[int, str | None]] = set()
        for kind in BINDING_KINDS:
            for obj in ctx.of_kind(kind):
                copy = (id(obj.data), obj.namespace)
                if copy in seen or not is_rbac(obj):
                    continue
                seen.add(copy)
                for subject in parse_subjects(obj):
                    account = service_account_of(subject)
                    if account is not None:
                        found.bound.add(account)
                    if subject.kind == "Group":
                        found.groups.add(subject.name)
        return found

    built: Accounts = ctx.memo(MEMO_KEY + "-accounts", build)
    return built


def binding_scope(binding: Binding) -> tuple[str, str]:
    """Severity and scope words of what a binding grants: cluster-wide or one namespace."""
    if binding.obj.kind == "ClusterRoleBinding":
        return "error", "in every namespace"
    return "warning", f"in namespace '{binding.obj.namespace}'"


def role_words(ref: RoleRef) -> str:
    return f"{ref.kind} '{ref.name}'"


def scope_severity(namespaces: list[str] | None) -> str:
    """Cluster-wide grants are errors, grants limited to namespaces warnings."""
    return "error" if namespaces is None else "warning"


def grants_everything(idx: Index, binding: Binding) -> bool:
    """Whether a binding grants every verb on every resource (cluster-admin or the like)."""
    ref = binding.ref
    if ref is None:
        return False
    if ref.kind == "ClusterRole" and ref.name == CLUSTER_ADMIN and binding.role is None:
        return True
    if binding.role is None:
        return False
    return any(rule.grants_everything for _, rule in idx.effective_rules(binding.role))


def scope_words(namespaces: list[str] | None) -> str:
    """'in every namespace' or 'in namespace(s) ...' for a message."""
    if namespaces is None:
        return "in every namespace"
    shown = ", ".join(f"'{n}'" for n in namespaces[:3])
    more = f" and {len(namespaces) - 3} more" if len(namespaces) > 3 else ""
    return f"in namespace{'s' if len(namespaces) > 1 else ''} {shown}{more}"
