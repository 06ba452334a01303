"""The repository's own admission policies, evaluated offline (no checks yet)."""

from __future__ import annotations

from kubelint.model import Context

#: The kinds whose objects put an admission policy in effect: ValidatingAdmissionPolicy and
#: its binding (:mod:`kubelint.checks.admission.policies`) and Kyverno's ValidatingPolicy
#: (:mod:`kubelint.checks.admission.kyverno`). Kept here, light, so that a run without them
#: (most runs) never imports the policy index, the matching rules or the CEL engine.
POLICY = "ValidatingAdmissionPolicy"
BINDING = "ValidatingAdmissionPolicyBinding"
KYVERNO_KINDS = frozenset({"ValidatingPolicy"})
#: What the admission checks read from the repository (``CheckMeta.context_kinds``); the
#: kinds policies name as ``paramKind`` are read in full as well.
CONTEXT_KINDS = frozenset(
    {POLICY, BINDING, *KYVERNO_KINDS, "Namespace", "CustomResourceDefinition"}
)


def may_have_policies(ctx: Context) -> bool:
    """False when the run holds no object that could bring an admission policy."""
    return any(ctx.of_kind(kind) for kind in (POLICY, BINDING, *sorted(KYVERNO_KINDS)))
