"""CustomResourceDefinitions in the linted tree give the schemas of their custom resources."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, NamedTuple

from kubelint.model import K8sObject, KeyPath, format_path

if TYPE_CHECKING:
    from kubelint.model import Context
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

#: Keywords that name another schema. The API server rejects a CRD whose schema holds one
#: (a structural schema forbids ``$ref`` and ``definitions``), and following one would mean
#: a file read or a network request chosen by the linted input: kubelint reports them and
#: never follows them.
REFERENCES = ("$ref", "definitions")

#: Never handed to the validator: the references above, and the keywords that name a base
#: URI, a meta-schema or an anchor, which a validator would otherwise try to look up.
_UNSAFE = {
    *REFERENCES,
    "$defs",
    "$id",
    "id",
    "$schema",
    "$anchor",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
}

#: Keywords whose value maps names to sub-schemas, or is a sub-schema or a list of them.
_SCHEMA_MAPS = ("properties", "patternProperties", "dependencies")
_SUB_SCHEMAS = (
    "items",
    "additionalProperties",
    "additionalItems",
    "not",
    "allOf",
    "anyOf",
    "oneOf",
)


def references(schema: Any) -> Iterator[KeyPath]:
    """Key paths (relative to ``schema``) of the ``$ref`` and ``definitions`` keywords in it.

    Walks the schema's structure only: a property *named* ``$ref`` is a field, not a
    reference, and the values of ``default``, ``example`` or ``enum`` are data. Aliases
    were expanded within a budget by the loader, so the walk is bounded by the input.
    """
    stack: list[tuple[KeyPath, Any]] = [((), schema)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, list):
            stack.extend(((*path, i), sub) for i, sub in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, dict):
            continue
        found = [key for key in REFERENCES if key in node]
        yield from ((*path, key) for key in found)
        for key in reversed(_SCHEMA_MAPS):
            value = node.get(key)
            if isinstance(value, dict):
                stack.extend(((*path, key, name), sub) for name, sub in reversed(value.items()))
        for key in reversed(_SUB_SCHEMAS):
            if key in node:
                stack.append(((*path, key), node[key]))


def schema_locations(data: dict[str, Any]) -> Iterator[tuple[KeyPath, dict[str, Any]]]:
    """Each ``openAPIV3Schema`` of a CRD (per version, and the legacy one) with its path."""
    spec = _mapping(data.get("spec"))
    versions = spec.get("versions")
    for index, version in enumerate(versions if isinstance(versions, list) else []):
        schema = _mapping(_mapping(version).get("schema")).get("openAPIV3Schema")
        if isinstance(schema, dict):
            yield ("spec", "versions", index, "schema", "openAPIV3Schema"), schema
    legacy = _mapping(spec.get("validation")).get("openAPIV3Schema")
    if isinstance(legacy, dict):
        yield ("spec", "validation", "openAPIV3Schema"), legacy


def is_crd(obj: K8sObject) -> bool:
    return obj.kind == "CustomResourceDefinition" and obj.api_version.startswith(
        "apiextensions.k8s.io/"
    )


def reference_problems(obj: K8sObject) -> list[tuple[KeyPath, str]]:
    """A finding per ``$ref`` or ``definitions`` in a CRD's schemas (never their values)."""
    found: list[tuple[KeyPath, str]] = []
    text = obj.source.text[obj.text_start : obj.text_end]
    if obj.source.text and not any(word in text for word in REFERENCES):
        return found  # neither word anywhere in the CRD's text: no need to walk its schemas
    for base, schema in schema_locations(obj.data):
        for relative in references(schema):
            path = (*base, *relative)
            found.append(
                (
                    path,
                    f"'{format_path(path)}': a CustomResourceDefinition's schema cannot use "
                    f"{relative[-1]} (the API server rejects it); kubelint does not follow it",
                )
            )
    return found


def convert(schema: Any, root: bool = False) -> Any:
    """A CRD's structural OpenAPI v3 schema as JSON Schema.

    Objects with declared properties reject other keys (the API server prunes or, with
    strict field validation, rejects them) unless they preserve unknown fields.
    """
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _SKIP or key in _UNSAFE or key.startswith("x-kubernetes-"):
            continue
        # The same keywords as references() walks: every sub-schema is converted, so no
        # unsafe keyword reaches the validator from one the walk would not see either.
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: convert(sub) for name, sub in value.items()}
        elif key in _SUB_SCHEMAS:
            out[key] = (
                [convert(sub) for sub in value] if isinstance(value, list) else convert(value)
            )
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


class SchemaSource(NamedTuple):
    """Where a custom resource's schema comes from: the CRD and the schema's key path in it."""

    crd: K8sObject
    path: KeyPath
    schema: dict[str, Any]


def crd_sources(ctx: Context) -> dict[tuple[str, str], SchemaSource]:
    """(apiVersion, kind) -> the CRD and schema, for every served version of every CRD."""

    def compute() -> dict[tuple[str, str], SchemaSource]:
        found: dict[tuple[str, str], SchemaSource] = {}
        for crd in ctx.of_kind("CustomResourceDefinition"):
            spec = _mapping(crd.data.get("spec"))
            group, kind = spec.get("group"), _mapping(spec.get("names")).get("kind")
            if not isinstance(group, str) or not isinstance(kind, str) or not group or not kind:
                continue
            legacy = _mapping(spec.get("validation")).get("openAPIV3Schema")
            legacy_path: KeyPath = ("spec", "validation", "openAPIV3Schema")
            versions = spec.get("versions")
            for index, version in enumerate(versions if isinstance(versions, list) else []):
                if not isinstance(version, dict) or version.get("served") is False:
                    continue
                own = _mapping(version.get("schema")).get("openAPIV3Schema")
                schema, path = (
                    (own, ("spec", "versions", index, "schema", "openAPIV3Schema"))
                    if own is not None
                    else (legacy, legacy_path)
                )
                if isinstance(schema, dict) and isinstance(version.get("name"), str):
                    found[(f"{group}/{version['name']}", kind)] = SchemaSource(crd, path, schema)
            if isinstance(legacy, dict) and isinstance(spec.get("version"), str):
                found.setdefault(
                    (f"{group}/{spec['version']}", kind), SchemaSource(crd, legacy_path, legacy)
                )
        return found

    sources: dict[tuple[str, str], SchemaSource] = ctx.memo("crd-sources", compute)
    return sources


def crd_schemas(ctx: Context) -> dict[tuple[str, str], Any]:
    """(apiVersion, kind) -> OpenAPI schema, for every served version of every CRD."""

    def compute() -> dict[tuple[str, str], Any]:
        return {key: source.schema for key, source in crd_sources(ctx).items()}

    schemas: dict[tuple[str, str], Any] = ctx.memo("crd-schemas", compute)
    return schemas


def crd_target(obj: K8sObject, ctx: Context) -> Target | None:
    from kubelint.schema.validate import Target

    schema = crd_schemas(ctx).get((obj.api_version, obj.kind))
    if schema is None:
        return None

    # Worked out once per kind: the walk for references reads the whole schema.
    def compile_() -> Target | None:
        import jsonschema_rs

        from kubelint.schema.offline import refuse

        if next(references(schema), None) is not None:
            # A schema with references: the API server rejects the CRD (reported on it),
            # and what the references would have said is unknown, so its resources count
            # as not validated rather than validated against a schema with holes in it.
            return None
        try:
            converted = convert(schema, root=True)
            validator = jsonschema_rs.validator_for(converted, retriever=refuse)
        except Exception:  # a malformed CRD schema validates nothing (its objects are
            return None  # then counted as not validated, never passed as valid)
        return Target(validator, {}, converted)

    target: Target | None = ctx.memo(f"crd-validator:{obj.api_version}:{obj.kind}", compile_)
    return target
