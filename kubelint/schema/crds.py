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
        if not isinstance(out.get("properties"), dict):
            out["properties"] = {}
        props = out["properties"]
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


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def crd_schemas(ctx: Context) -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) -> OpenAPI schema, for every served version of every CRD."""

    def compute() -> dict[tuple[str, str], Any]:
        found: dict[tuple[str, str], Any] = {}
        for crd in ctx.of_kind("CustomResourceDefinition"):
            spec = _mapping(crd.data.get("spec"))
            group, kind = spec.get("group"), _mapping(spec.get("names")).get("kind")
            if not isinstance(group, str) or not isinstance(kind, str) or not group or not kind:
                continue
            legacy = _mapping(spec.get("validation")).get("openAPIV3Schema")
            versions = spec.get("versions")
            for version in versions if isinstance(versions, list) else []:
                if not isinstance(version, dict) or version.get("served") is False:
                    continue
                schema = _mapping(version.get("schema")).get("openAPIV3Schema", legacy)
                if isinstance(schema, dict) and isinstance(version.get("name"), str):
                    found[(f"{group}/{version['name']}", kind)] = schema
            if isinstance(legacy, dict) and isinstance(spec.get("version"), str):
                found.setdefault((f"{group}/{spec['version']}", kind), legacy)
        return found

    schemas: dict[tuple[str, str], Any] = ctx.memo("crd-schemas", compute)
    return schemas


def crd_target(obj: K8sObject, ctx: Context) -> Target | None:
    from kubelint.schema.validate import Target

    schema = crd_schemas(ctx).get((obj.api_version, obj.kind))
    if schema is None:
        return None

    def compile_() -> Target | None:
        import jsonschema_rs

        try:
            converted = convert(schema, root=True)
            validator = jsonschema_rs.validator_for(converted)
        except Exception:  # a malformed CRD schema validates nothing (its objects are
            return None  # then counted as not validated, never passed as valid)
        return Target(validator, {}, converted)

    target: Target | None = ctx.memo(f"crd-validator:{obj.api_version}:{obj.kind}", compile_)
    return target
