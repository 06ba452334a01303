"""The api family's word on the run as a whole: objects that no schema could validate.

A custom resource whose CRD is not in sight passes schema-validation and unknown-field
without being looked at; the run says so (a count, and a notice per kind) rather than
letting silence read as a pass. Component configuration files (a KubeletConfiguration, an
EncryptionConfiguration, see kubelint.k8s.kinds.COMPONENT_CONFIG_GROUPS) and client
configuration files (a kubeconfig, kubelint.k8s.kinds.CLIENT_CONFIG_KINDS) are no API
resources, have no CRD to add, and are left out of both.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubelint.k8s.kinds import is_component_config
from kubelint.model import Context, InputProblem, K8sObject, Report


def report_unvalidated(objects: Sequence[K8sObject], ctx: Context, report: Report) -> None:
    """Count and name the objects no schema could validate (the schema checks' ``on_run``),
    once per run however many checks call it."""
    calls: list[int] = ctx.memo("api-coverage-calls", list)
    calls.append(1)
    if len(calls) > 1:
        return
    try:
        _count_not_validated(objects, ctx, report)
    except Exception as exc:  # fail closed, by name, like a crashing check
        report.internal_errors.append(f"schema validation failed: {type(exc).__name__}")


def _count_not_validated(objects: Sequence[K8sObject], ctx: Context, report: Report) -> None:
    """Count (and name, once per kind) the objects that no schema could validate."""
    from kubelint.schema.apis import status
    from kubelint.schema.crds import crd_schemas
    from kubelint.schema.validate import problems

    missing: dict[tuple[str, str], list[K8sObject]] = {}
    for obj in objects:
        if is_component_config(obj.api_version, obj.kind):
            continue  # read from disk by a component: no schema to ask for
        if problems(obj, ctx) is None and status(
            obj.api_version, obj.kind, ctx.kube_version
        ).state in ("unknown", "served", "deprecated"):
            missing.setdefault((obj.api_version, obj.kind), []).append(obj)
    declared = crd_schemas(ctx)
    for (api_version, kind), objs in sorted(missing.items()):
        report.not_validated += len(objs)
        first = objs[0]
        why = (
            "its CustomResourceDefinition's schema uses $ref or definitions, which kubelint "
            "never follows (reported on the CRD)"
            if (api_version, kind) in declared
            else "no schema (add the CustomResourceDefinition to the repository or to crd-paths)"
        )
        report.notices.append(
            InputProblem(
                first.file,
                first.locate(())[0],
                1,
                f"{len(objs)} {kind} object(s) ({api_version}) not validated: {why}",
            )
        )
