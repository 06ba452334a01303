"""Which manifests an admission policy applies to, decided as the API server would for a
CREATE of each manifest.

A ValidatingAdmissionPolicy's ``spec.matchConstraints`` and its binding's
``spec.matchResources`` are both a MatchResources block; a request must match both. The
order and rules follow the API server's matcher: the namespace selector, then the object
selector, then the exclude rules, then the resource rules (with ``matchPolicy``).

References:
https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/ and
https://kubernetes.io/docs/reference/kubernetes-api/extend-resources/validating-admission-policy-v1/
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubelint.k8s.resources import (
    CustomResource,
    Resource,
    crd_resources,
    equivalents,
    resource_of,
    split_api_version,
)
from kubelint.k8s.selectors import (
    Malformed,
    Selector,
    list_field,
    mapping_field,
    parse_selector,
    pod_labels,
    where,
)
from kubelint.model import Context, K8sObject

#: The label the API server gives every namespace: its own name.
NAME_LABEL = "kubernetes.io/metadata.name"
OPERATIONS = frozenset({"*", "CREATE", "UPDATE", "DELETE", "CONNECT"})
#: What applying a manifest can be: a CREATE, or an UPDATE of an object that exists.
_APPLY = frozenset({"*", "CREATE", "UPDATE"})
SCOPES = frozenset({"*", "Cluster", "Namespaced"})
MATCH_POLICIES = frozenset({"Exact", "Equivalent"})
#: Never subject to admission policies (or webhooks): the API server exempts the objects
#: that configure admission, so that a bad policy can always be removed.
EXEMPT_KINDS = frozenset(
    {
        "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy",
        "MutatingAdmissionPolicyBinding",
    }
)
_NAMESPACES = Resource("", "v1", "namespaces", False, "Namespace")


@dataclass(frozen=True)
class Matched:
    """The block selects the object. ``resource`` is the resource its rule named: the
    object's own, or under ``Equivalent`` another version or group of the same objects,
    which the API server would convert the object to before evaluating the policy."""

    resource: Resource

    def __bool__(self) -> bool:
        return True


@dataclass(frozen=True)
class Unmatched:
    """The block does not select the object, and why.

    ``evaluated`` is False when kubelint cannot tell: the object's kind names no resource
    it knows (a custom resource without its definition), or the API server would reject
    the block itself. Callers report such objects as not evaluated, never as passing.
    """

    reason: str
    evaluated: bool = True

    def __bool__(self) -> bool:
        return False


MatchResult = Matched | Unmatched


@dataclass(frozen=True)
class _Rule:
    groups: tuple[str, ...]
    versions: tuple[str, ...]
    resources: tuple[str, ...]
    operations: tuple[str, ...]
    scope: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class _Block:
    rules: tuple[_Rule, ...]
    excluded: tuple[_Rule, ...]
    namespaces: Selector
    objects: Selector
    policy: str


def _strings(value: Any, path: str, *, required: bool) -> tuple[str, ...]:
    items = list_field(value, path)
    if required and not items:
        raise Malformed(f"{path} is required")
    if not all(isinstance(item, str) for item in items):
        raise Malformed(f"{path} holds a value that is not a string")
    return tuple(items)


def _parse_rule(value: Any, path: str) -> _Rule:
    data = mapping_field(value, path)
    operations = _strings(data.get("operations"), f"{path}.operations", required=True)
    unknown = [op for op in operations if op not in OPERATIONS]  # strings: checked above
    if unknown:
        raise Malformed(f"{path}.operations: unsupported value '{unknown[0]}'")
    if "*" in operations and len(operations) > 1:
        raise Malformed(f"{path}.operations: if '*' is present, no other operation may be")
    scope = data.get("scope", "*")
    if scope is None:
        scope = "*"
    if not isinstance(scope, str) or scope not in SCOPES:
        raise Malformed(f"{path}.scope must be one of Cluster, Namespaced, *")
    return _Rule(
        groups=_strings(data.get("apiGroups"), f"{path}.apiGroups", required=True),
        versions=_strings(data.get("apiVersions"), f"{path}.apiVersions", required=True),
        resources=_strings(data.get("resources"), f"{path}.resources", required=True),
        operations=operations,
        scope=str(scope),
        names=_strings(data.get("resourceNames"), f"{path}.resourceNames", required=False),
    )


def _parse_rules(value: Any, path: str) -> tuple[_Rule, ...]:
    items = list_field(value, path)
    return tuple(_parse_rule(item, where(path, i)) for i, item in enumerate(items))


def parse_block(value: Any, path: str, *, policy: bool) -> _Block:
    """A MatchResources block as the API server reads it (defaults applied). A policy's
    block must name resource rules; a binding's may leave them out. Raises
    :class:`Malformed` for what the API server would reject."""
    data = mapping_field(value, path)
    rules = _parse_rules(data.get("resourceRules"), f"{path}.resourceRules")
    if policy and not rules:
        raise Malformed(f"{path}.resourceRules is required in a policy")
    match_policy = data.get("matchPolicy")
    if match_policy is None:
        match_policy = "Equivalent"
    if not isinstance(match_policy, str) or match_policy not in MATCH_POLICIES:
        raise Malformed(f"{path}.matchPolicy must be Exact or Equivalent")
    return _Block(
        rules=rules,
        excluded=_parse_rules(data.get("excludeResourceRules"), f"{path}.excludeResourceRules"),
        namespaces=parse_selector(data.get("namespaceSelector"), f"{path}.namespaceSelector"),
        objects=parse_selector(data.get("objectSelector"), f"{path}.objectSelector"),
        policy=str(match_policy),
    )


def custom_resources(ctx: Context) -> dict[tuple[str, str], CustomResource]:
    """The custom resources the tree's CustomResourceDefinitions declare (once per run)."""
    found: dict[tuple[str, str], CustomResource] = ctx.memo(
        "admission.crd_resources", lambda: crd_resources(ctx.of_kind("CustomResourceDefinition"))
    )
    return found


def resource_for(obj: K8sObject, ctx: Context) -> Resource | None:
    """The resource a CREATE of ``obj`` is a request for: a built-in one, or one a
    CustomResourceDefinition of the tree declares and serves at the object's version."""
    builtin = resource_of(obj.api_version, obj.kind)
    if builtin is not None:
        return builtin
    group, version = split_api_version(obj.api_version)
    custom = custom_resources(ctx).get((group, obj.kind))
    return custom.at(version) if custom is not None else None


def request_namespace(obj: K8sObject, resource: Resource) -> str:
    """``request.namespace`` of a CREATE: the object's namespace (defaulted like kubectl),
    "" for a cluster-scoped object, and a Namespace's own name for a Namespace."""
    if resource.resource == "namespaces" and resource.group == "":
        return _own_name(obj)
    if not resource.namespaced:
        return ""
    namespace = obj.metadata.get("namespace")
    return str(namespace) if namespace else obj.default_namespace


def _own_name(obj: K8sObject) -> str:
    # A generateName'd object has no name yet when admission sees the request.
    name = obj.metadata.get("name")
    return name if isinstance(name, str) else ""


def _with_name_label(data: Mapping[str, Any], name: str) -> dict[str, Any]:
    meta = data.get("metadata")
    meta = dict(meta) if isinstance(meta, dict) else {}
    labels = meta.get("labels")
    labels = dict(labels) if isinstance(labels, dict) else {}
    # The API server sets the label on every namespace, overriding any other value.
    labels[NAME_LABEL] = name
    meta["labels"] = labels
    return {**data, "metadata": meta}


def namespace_object(name: str | None, ctx: Context) -> dict[str, Any] | None:
    """The Namespace object the API server would hand a policy as ``namespaceObject``.

    None for a cluster-scoped object (``name`` None or ""). A namespace the tree declares
    is its data (the last declaration wins); one it does not declare is taken to exist
    with no labels but the name label every namespace carries.
    """
    if not name:
        return None
    found: dict[str, Any] = ctx.memo(f"admission-namespace:{name}", lambda: _namespace(name, ctx))
    return found


def _namespace(name: str, ctx: Context) -> dict[str, Any]:
    declared = [
        ns
        for ns in ctx.of_kind("Namespace")
        if ns.api_version == "v1" and ns.metadata.get("name") == name
    ]
    if declared:
        return _with_name_label(declared[-1].data, name)
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {NAME_LABEL: name}},
    }


def request_for(
    obj: K8sObject, ctx: Context, user: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The AdmissionRequest of a CREATE of ``obj`` as a policy sees ``request``, without
    ``object`` (the caller adds the object it evaluates).

    ``userInfo`` is ``user`` when given, else an anonymous user with no groups; ``options``
    is the CreateOptions the API server passes. An object of an unknown resource gets an
    empty resource name.
    """
    resource = resource_for(obj, ctx)
    group, version = split_api_version(obj.api_version)
    kind = {"group": group, "version": version, "kind": obj.kind}
    gvr = {"group": group, "version": version, "resource": resource.resource if resource else ""}
    namespace = request_namespace(obj, resource) if resource else (obj.namespace or "")
    return {
        "uid": "",
        "kind": kind,
        "resource": gvr,
        "subResource": "",
        "requestKind": dict(kind),
        "requestResource": dict(gvr),
        "requestSubResource": "",
        "name": _own_name(obj),
        "namespace": namespace,
        "operation": "CREATE",
        "userInfo": dict(user) if user is not None else {"username": "", "groups": []},
        "oldObject": None,
        "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }


def _listed(items: tuple[str, ...], value: str) -> bool:
    return "*" in items or value in items


def _resource_listed(items: tuple[str, ...], resource: str) -> bool:
    """``resources`` entries: ``name``, ``*``, ``name/sub``, ``*/sub``, ``name/*``, ``*/*``.
    A CREATE of a manifest is a request for the main resource (no subresource), which
    ``x/*`` also selects: ``*`` after the slash stands for any subresource or none."""
    for item in items:
        name, _, sub = item.partition("/")
        if (name in ("*", resource)) and sub in ("", "*"):
            return True
    return False


def _in_scope(scope: str, resource: Resource, namespace: str) -> bool:
    # A Namespace is cluster-scoped, though its request names it as the namespace.
    is_namespace = resource == _NAMESPACES
    if scope == "Namespaced":
        return not is_namespace and namespace != ""
    if scope == "Cluster":
        return is_namespace or namespace == ""
    return True


@dataclass(frozen=True)
class _Request:
    resource: Resource
    namespace: str
    name: str
    operations: frozenset[str]


def _rule_selects(rule: _Rule, request: _Request, resource: Resource) -> bool:
    return (
        _in_scope(rule.scope, resource, request.namespace)
        and any(op == "*" or op in request.operations for op in rule.operations)
        and _listed(rule.groups, resource.group)
        and _listed(rule.versions, resource.version)
        and _resource_listed(rule.resources, resource.resource)
        # A generateName'd object has no name at admission: it matches no resourceNames.
        and (not rule.names or request.name in rule.names)
    )


def _first_match(
    rules: tuple[_Rule, ...], policy: str, request: _Request, ctx: Context
) -> Resource | None:
    """The resource through which a rule selects the request: its own, else (with
    ``Equivalent``) another version or group the cluster serves for the same objects."""
    if any(_rule_selects(rule, request, request.resource) for rule in rules):
        return request.resource
    if policy == "Exact":
        return None
    others = _others(request.resource, ctx)
    for rule in rules:
        for other in others:
            if _rule_selects(rule, request, other):
                return other
    return None


def _others(resource: Resource, ctx: Context) -> list[Resource]:
    """The equivalent resources of ``resource`` but itself (once per run and resource: every
    object of a kind meets every policy)."""

    def compute() -> list[Resource]:
        more = [r for c in custom_resources(ctx).values() for r in c.all()]
        return [
            r
            for r in equivalents(resource, ctx.kube_version, more)
            if (r.group, r.version) != (resource.group, resource.version)
        ]

    known: dict[Resource, list[Resource]] = ctx.memo("admission-equivalents", dict)
    if resource not in known:
        known[resource] = compute()
    return known[resource]


def _namespace_labels(obj: K8sObject, request: _Request, ctx: Context) -> dict[str, str]:
    if request.resource == _NAMESPACES:
        # A Namespace being created is matched by its own labels (with the name label).
        return pod_labels(_with_name_label(obj.data, request.name)["metadata"])
    found = namespace_object(request.namespace, ctx) or {}
    meta = found.get("metadata")
    return pod_labels(meta if isinstance(meta, dict) else {})


def _select(block: _Block, obj: K8sObject, request: _Request, ctx: Context) -> MatchResult:
    cluster_scoped = request.namespace == "" and request.resource != _NAMESPACES
    # Cluster-scoped objects (but Namespaces) are never exempted by a namespaceSelector.
    if not cluster_scoped and not block.namespaces.empty:
        if not block.namespaces.matches(_namespace_labels(obj, request, ctx)):
            return Unmatched(f"namespaceSelector does not select namespace '{request.namespace}'")
    if not block.objects.empty and not block.objects.matches(pod_labels(obj.metadata)):
        return Unmatched("objectSelector does not select the object's labels")
    if _first_match(block.excluded, block.policy, request, ctx) is not None:
        return Unmatched("excludeResourceRules exclude it")
    if not block.rules:
        return Matched(request.resource)
    found = _first_match(block.rules, block.policy, request, ctx)
    if found is None:
        what = f"{request.resource.api_version} {request.resource.resource}"
        return Unmatched(f"no resourceRules entry selects a CREATE of {what}")
    return Matched(found)


def _request_of(obj: K8sObject, ctx: Context, policy_operations: bool) -> _Request | Unmatched:
    resource = resource_for(obj, ctx)
    if resource is None:
        return Unmatched(f"no resource known for {obj.api_version} {obj.kind}", evaluated=False)
    if obj.kind in EXEMPT_KINDS and resource.group == "admissionregistration.k8s.io":
        return Unmatched(f"the API server exempts {obj.kind} from admission policies")
    # An API the target version no longer serves is still judged by the rules that name
    # it (a policy that catches deprecated APIs is written for exactly those manifests);
    # only equivalent versions must be served (see equivalents). removed-api reports it.
    operations = frozenset({"CREATE"}) if policy_operations else _APPLY
    return _Request(resource, request_namespace(obj, resource), _own_name(obj), operations)


def matches(
    constraints: Mapping[str, Any] | None,
    obj: K8sObject,
    ctx: Context,
    *,
    policy_operations: bool = True,
    binding: bool = False,
) -> MatchResult:
    """Whether one MatchResources block selects a CREATE of ``obj``.

    ``constraints`` is a policy's ``spec.matchConstraints`` or, with ``binding``, a
    binding's ``spec.matchResources`` (absent: everything the policy selects). With
    ``policy_operations`` False the rules' operations are read as "whatever applying the
    manifest is": a rule for UPDATE (or CREATE, or ``*``) selects it too.
    """
    request: _Request | Unmatched = ctx.memo(
        f"admission-request:{id(obj)}:{policy_operations}",
        lambda: _request_of(obj, ctx, policy_operations),
    )
    if isinstance(request, Unmatched):
        return request
    block = _block(constraints, binding, ctx)
    if isinstance(block, Unmatched):
        return block
    return _select(block, obj, request, ctx)


def _block(
    constraints: Mapping[str, Any] | None, binding: bool, ctx: Context
) -> _Block | Unmatched:
    """The parsed block (once per run and block: the same policies meet every object), or
    why the API server would refuse it."""

    def compute() -> _Block | Unmatched:
        path = "spec.matchResources" if binding else "spec.matchConstraints"
        if constraints is None and not binding:
            return Unmatched(f"the API server rejects the policy: {path} is required", False)
        try:
            return parse_block(constraints, path, policy=not binding)
        except Malformed as problem:
            return Unmatched(f"the API server rejects the {_role(binding)}: {problem}", False)

    # The policies' data lives as long as the run: its identity names the block.
    found: _Block | Unmatched = ctx.memo(f"admission-block:{id(constraints)}:{binding}", compute)
    return found


def _role(binding: bool) -> str:
    return "binding" if binding else "policy"


def applies(
    policy: Mapping[str, Any],
    binding: Mapping[str, Any] | None,
    obj: K8sObject,
    ctx: Context,
    *,
    policy_operations: bool = True,
) -> MatchResult:
    """Whether a policy (its data), through one of its bindings (or, with None, through
    any binding that does not narrow it), applies to a CREATE of ``obj``: both blocks must
    select it. The result names the resource the policy's rule selected."""
    spec = policy.get("spec")
    spec = spec if isinstance(spec, Mapping) else {}
    found = matches(spec.get("matchConstraints"), obj, ctx, policy_operations=policy_operations)
    if not found or binding is None:
        return found
    bspec = binding.get("spec")
    bspec = bspec if isinstance(bspec, Mapping) else {}
    narrowed = matches(
        bspec.get("matchResources"), obj, ctx, policy_operations=policy_operations, binding=True
    )
    return found if narrowed else narrowed
