"""CustomResourceDefinitions in the linted tree give the schemas of their custom resources."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubelint.model import K8sObject

if TYPE_CHECKING:
    from kubelint.checks.base import Context
    from kubelint.schema.validate import Target

#: OpenAPI keywords that do not validate (or that JSON Schema spells differently).
_SKIP = {
    "description",
    "example",
    "externalDocs",
    "default",
    "title",
    "format",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "deprecated",
}


def convert(schema: Any, root: bool = False) -> Any:
    """A CRD's structural OpenAPI v3 schema as JSON Schema.

    Objects with declared properties reject other keys (the API server prunes or, with
    strict field validation, rejects them) unless they preserve unknown fields.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SKIP or key.startswith("x-kubernetes-"):
            continue
        if key in ("properties", "patternProperties") and isinstance(value, dict):
            out[key] = {name: convert(sub) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not") and isinstance(value, dict):
            out[key] = convert(value)
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [convert(sub) for sub in value]
        else:
            out[key] = value
    if schema.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out["type"] = ["integer", "string"]
    if schema.get("nullable") and isinstance(out.get("type"), str):
        out["type"] = [out["type"], "null"]
    if root or schema.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {})
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        props.setdefault("metadata", {"type": "object"})
    if (
        "properties" in out
        and "additionalProperties" not in schema
        and not schema.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


def crd_schemas(ctx: Context) -> dict[tuple[str, str], tuple[str, Any]]:
    """(apiVersion, kind) -> (CRD name, OpenAPI schema) for every served version."""

    def compute() -> dict[tuple[str, str], tuple[str, Any]]:
        found: dict[tuple[str, str], tuple[str, Any]] = {}
        for crd in ctx.of_kind("CustomResourceDefinition"):
            spec = crd.data.get("spec")
            if not isinstance(spec, dict):
                continue
            group = spec.get("group")
            kind = (
                (spec.get("names") or {}).get("kind")
                if isinstance(spec.get("names"), dict)
                else None
            )
            if not group or not kind:
                continue
            legacy = (
                (spec.get("validation") or {}).get("openAPIV3Schema")
                if isinstance(spec.get("validation"), dict)
                else None
            )
            for version in spec.get("versions") or []:
                if not isinstance(version, dict) or version.get("served") is False:
                    continue
                schema = (
                    (version.get("schema") or {}).get("openAPIV3Schema")
                    if isinstance(version.get("schema"), dict)
                    else legacy
                )
                if isinstance(schema, dict):
                    found[(f"{group}/{version.get('name')}", str(kind))] = (crd.name, schema)
            if legacy and spec.get("version"):
                found.setdefault((f"{group}/{spec['version']}", str(kind)), (crd.name, legacy))
        return found

    schemas: dict[tuple[str, str], tuple[str, Any]] = ctx.memo("crd-schemas", compute)
    return schemas


def crd_target(obj: K8sObject, ctx: Context) -> Target | None:
    from kubelint.schema.validate import Target

    entry = crd_schemas(ctx).get((obj.api_version, obj.kind))
    if entry is None:
        return None
    name, schema = entry

    def compile_() -> Target | None:
        import jsonschema_rs

        converted = convert(schema, root=True)
        try:
            validator = jsonschema_rs.validator_for(converted)
        except Exception:  # a CRD whose schema cannot be compiled validates nothing
            return None
        return Target(validator, {}, converted, f"CRD {name}")

    target: Target | None = ctx.memo(f"crd-validator:{obj.api_version}:{obj.kind}", compile_)
    return target
