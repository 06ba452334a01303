"""The admission policies of a run: ValidatingAdmissionPolicies and their bindings, with
the params a binding points at, read from the linted tree and the ``policy-paths`` folders.

Everything here is read once per run (``Context.memo``) and is plain data: evaluation is in
:mod:`kubelint.checks.admission.evaluate`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kubelint.checks.admission import BINDING, KYVERNO_KINDS, POLICY
from kubelint.checks.admission.kyverno import autogen, is_kyverno_policy
from kubelint.checks.admission.matching import custom_resources
from kubelint.k8s.resources import resource_of, split_api_version
from kubelint.k8s.selectors import Malformed, parse_selector, pod_labels
from kubelint.model import Context, K8sObject

GROUP = "admissionregistration.k8s.io"
#: Versions that carry the policy model kubelint evaluates (v1 since Kubernetes 1.30).
VERSIONS = frozenset({"v1", "v1beta1", "v1alpha1"})


@dataclass(frozen=True)
class Policy:
    obj: K8sObject
    name: str
    spec: Mapping[str, Any]
    #: How findings name it: ``ValidatingAdmissionPolicy 'x'``, ``Kyverno ValidatingPolicy
    #: 'x'`` (its rules for pod controllers included).
    label: str = ""
    #: CEL libraries beyond Kubernetes' that its expressions may call (``kyverno``).
    libraries: tuple[str, ...] = ()


@dataclass(frozen=True)
class Binding:
    obj: K8sObject
    name: str
    policy_name: str
    spec: Mapping[str, Any]
    #: A Kyverno policy binds itself: no binding name to show.
    implicit: bool = False

    def describe(self, policy: Policy) -> str:
        return policy.label if self.implicit else f"{policy.label} (binding '{self.name}')"


@dataclass(frozen=True)
class Admission:
    """The run's policies by name and their bindings."""

    policies: Mapping[str, Policy]
    bindings: tuple[Binding, ...]


def is_admission_object(obj: K8sObject, kind: str) -> bool:
    group, _, version = obj.api_version.rpartition("/")
    return obj.kind == kind and group == GROUP and version in VERSIONS


def admission(ctx: Context) -> Admission:
    """The policies and bindings of the run (once per run)."""
    found: Admission = ctx.memo("admission-policies", lambda: _collect(ctx))
    return found


def _collect(ctx: Context) -> Admission:
    policies: dict[str, Policy] = {}
    for obj in ctx.of_kind(POLICY):
        if is_admission_object(obj, POLICY) and obj.name:
            spec = obj.data.get("spec")
            label = f"ValidatingAdmissionPolicy '{obj.name}'"
            # Two of one name: the last one read is the one `kubectl apply` leaves.
            policies[obj.name] = Policy(
                obj, obj.name, spec if isinstance(spec, dict) else {}, label
            )
    bindings = _kyverno(ctx, policies)
    for obj in ctx.of_kind(BINDING):
        spec = obj.data.get("spec")
        if not is_admission_object(obj, BINDING) or not isinstance(spec, dict):
            continue
        name = spec.get("policyName")
        if isinstance(name, str) and name:
            bindings.append(Binding(obj, obj.name, name, spec))
    last = {b.name: b for b in bindings}  # a binding name applied twice: the last one
    return Admission(policies, tuple(sorted(last.values(), key=lambda b: (b.implicit, b.name))))


def _kyverno(ctx: Context, policies: dict[str, Policy]) -> list[Binding]:
    """Kyverno's ValidatingPolicies, each bound to itself, with the rules Kyverno generates
    for pod controllers (see :mod:`kubelint.checks.admission.kyverno`). Their keys in
    ``policies`` cannot clash with a ValidatingAdmissionPolicy's name (``kyverno:``)."""
    bindings = []
    for kind in sorted(KYVERNO_KINDS):
        for obj in ctx.of_kind(kind):
            if not is_kyverno_policy(obj.data) or not obj.name:
                continue
            spec = obj.data.get("spec")
            spec = spec if isinstance(spec, dict) else {}
            if not _judges_admission(spec):
                continue
            actions = spec.get("validationActions") or ["Deny"]
            label = f"Kyverno ValidatingPolicy '{obj.name}'"
            variants = [("", spec), *((f"/{g['config']}", g["spec"]) for g in autogen(obj.data))]
            for suffix, variant in variants:
                key = f"kyverno:{obj.name}{suffix}"
                policies[key] = Policy(obj, obj.name, variant, label, ("kyverno",))
                binding = Binding(obj, key, key, {"validationActions": actions}, implicit=True)
                bindings.append(binding)
    return bindings


def _judges_admission(spec: Mapping[str, Any]) -> bool:
    """Whether Kyverno applies the policy to admission requests of Kubernetes objects:
    not when ``evaluation.admission.enabled`` is false, nor for another ``evaluation.mode``
    (``Envoy``, ``JSON``: requests that are no Kubernetes objects)."""
    evaluation = spec.get("evaluation")
    if not isinstance(evaluation, dict):
        return True
    mode = evaluation.get("mode")
    if mode is not None and mode != "Kubernetes":
        return False
    admission = evaluation.get("admission")
    return not (isinstance(admission, dict) and admission.get("enabled") is False)


@dataclass(frozen=True)
class Params:
    """What a binding's ``paramRef`` gives: the param objects (``[None]`` when the policy
    takes none), or why there are none (``missing``: the binding's
    ``parameterNotFoundAction`` decides; ``invalid``: the binding cannot be used)."""

    objects: tuple[Mapping[str, Any] | None, ...] = (None,)
    missing: str | None = None
    invalid: str | None = None


def params(policy: Policy, binding: Binding, obj: K8sObject, ctx: Context) -> Params:
    """The params of ``binding`` for ``obj``, from the objects of the tree."""
    kind = policy.spec.get("paramKind")
    if not isinstance(kind, dict):
        return Params()
    ref = binding.spec.get("paramRef")
    if not isinstance(ref, dict):
        return Params((), invalid="the policy has paramKind but the binding no paramRef")
    api_version, kind_name = kind.get("apiVersion"), kind.get("kind")
    candidates = [o for o in ctx.of_kind(str(kind_name)) if o.api_version == api_version]
    namespace = _param_namespace(ref, obj, (str(api_version), str(kind_name)), ctx, candidates)
    if namespace is not None:
        candidates = [o for o in candidates if o.namespace == namespace]
    name = ref.get("name")
    if isinstance(name, str) and name:
        chosen = [o for o in candidates if o.name == name]
    else:
        try:
            selector = parse_selector(ref.get("selector"), "paramRef.selector")
        except Malformed as exc:
            return Params((), invalid=str(exc))
        chosen = [o for o in candidates if selector.matches(pod_labels(o.metadata))]
    if not chosen:
        where = f" in namespace '{namespace}'" if namespace else ""
        return Params((), missing=f"no {kind_name} {name or 'matching the selector'}{where}")
    return Params(tuple(o.data for o in sorted(chosen, key=lambda o: o.name)))


def _param_namespace(
    ref: Mapping[str, Any],
    obj: K8sObject,
    kind: tuple[str, str],
    ctx: Context,
    candidates: list[K8sObject],
) -> str | None:
    """The namespace params are looked up in: none for a cluster-scoped param kind (as its
    CRD or Kubernetes says), else the ref's, else the object's own."""
    if not _namespaced(kind, ctx, candidates):
        return None
    explicit = ref.get("namespace")
    if isinstance(explicit, str) and explicit:
        return explicit
    return obj.namespace or ""  # "": a cluster-scoped object has no namespace to look in


def _namespaced(kind: tuple[str, str], ctx: Context, candidates: list[K8sObject]) -> bool:
    api_version, name = kind
    builtin = resource_of(api_version, name)
    if builtin is not None:
        return builtin.namespaced
    custom = custom_resources(ctx).get((split_api_version(api_version)[0], name))
    if custom is not None:
        return custom.namespaced
    # A kind nothing declares: namespaced when its objects say which namespace they are in.
    return any(isinstance(o.metadata.get("namespace"), str) for o in candidates)
