"""Validate objects against the bundled schemas or the CRDs found in the linted tree.

Messages are built from the schema and the key path only, never from the offending
value: a type error on an env var must not echo the password it holds.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kubelint.model import K8sObject, KeyPath, format_path
from kubelint.redaction import redact
from kubelint.schema.bundle import Bundle, load_bundle

if TYPE_CHECKING:
    from kubelint.model import Context

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean (true or false)",
    "object": "a mapping",
    "array": "a list",
}


@dataclass(frozen=True)
class Problem:
    """Where an object departs from its schema, and how."""

    path: KeyPath
    message: str
    #: True for a key the schema does not know (reported by unknown-field).
    unknown_field: bool = False
    #: True for a required field that is missing (not a problem in a kustomize patch).
    missing_field: bool = False


@dataclass(frozen=True)
class Target:
    """What an object is validated against."""

    validator: Any
    defs: dict[str, Any]
    root: Any  #: the root schema (a $ref to a definition, or a CRD's own schema)


#: JSON type names of the Python types data is made of, bool before int (a subclass).
_JSON_TYPES: tuple[tuple[type, str], ...] = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (dict, "object"),
)


def _json_type(value: Any) -> str:
    for python_type, name in _JSON_TYPES:
        if isinstance(value, python_type):
            return name
    return "null"


def _resolve(schema: Any, defs: dict[str, Any]) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 64:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
        seen += 1
    return schema


def _object_schema(schema: Any, defs: dict[str, Any]) -> Any:
    schema = _resolve(schema, defs)
    if isinstance(schema, dict) and "properties" not in schema:
        for key in ("oneOf", "anyOf", "allOf"):
            for option in schema.get(key, ()):
                option = _resolve(option, defs)
                if isinstance(option, dict) and "properties" in option:
                    return option
    return schema


def schema_at(target: Target, path: KeyPath) -> Any:
    """The schema that applies at ``path`` of the instance (best effort)."""
    schema = _object_schema(target.root, target.defs)
    for part in path:
        if not isinstance(schema, dict):
            return None
        if isinstance(part, int):
            schema = _object_schema(schema.get("items"), target.defs)
        else:
            props = schema.get("properties") or {}
            if part in props:
                schema = _object_schema(props[part], target.defs)
            else:
                extra = schema.get("additionalProperties")
                schema = _object_schema(extra, target.defs) if isinstance(extra, dict) else None
    return schema


def _suggest(name: str, known: list[str]) -> str:
    lowered = {k.lower(): k for k in known}
    if name.lower() in lowered:
        return f"; did you mean '{lowered[name.lower()]}'?"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""


def _where(path: KeyPath) -> str:
    return f"'{format_path(path)}'" if path else "the object"


def _errors(target: Target, data: dict[str, Any]) -> list[tuple[KeyPath, Any]]:
    if target.validator.is_valid(data):
        return []
    return [(tuple(e.instance_path), e) for e in target.validator.iter_errors(data)]


def _problems(target: Target, data: dict[str, Any]) -> list[Problem]:
    found: list[Problem] = []
    for path, error in _errors(target, data):
        kind = error.kind
        name = getattr(kind, "name", "")
        if name == "additionalProperties":
            schema = schema_at(target, path)
            known = (
                sorted((schema or {}).get("properties") or {}) if isinstance(schema, dict) else []
            )
            for key in kind.unexpected:
                found.append(
                    Problem(
                        (*path, key),
                        # The key may hold a credential (`value:Hunter2`, a missing space).
                        f"unknown field '{redact(str(key))}' in {_where(path)}"
                        f"{_suggest(str(key), known)}",
                        unknown_field=True,
                    )
                )
        elif name == "required":
            found.append(
                Problem(
                    (*path, kind.property),
                    f"{_where(path)} is missing the required field '{kind.property}'",
                    missing_field=True,
                )
            )
        elif name == "type":
            wanted = [t for t in kind.types if t != "null"] or list(kind.types)
            actual = _json_type(_value_at(data, path))
            expected = " or ".join(_TYPE_NAMES.get(t, t) for t in wanted)
            found.append(
                Problem(
                    path,
                    f"{_where(path)} must be {expected}, not {_TYPE_NAMES.get(actual, actual)}",
                )
            )
        elif name == "enum":
            options = ", ".join(str(o) for o in kind.options if o is not None)
            found.append(Problem(path, f"{_where(path)} must be one of: {options}"))
        elif name in ("oneOf", "anyOf"):
            found.append(
                Problem(
                    path,
                    f"{_where(path)} must be an integer or a string"
                    if _is_int_or_string(schema_at(target, path))
                    else f"{_where(path)} does not match any allowed form",
                )
            )
        else:
            found.append(Problem(path, f"{_where(path)} is not valid ({name or 'schema'})"))
    return found


def _is_int_or_string(schema: Any) -> bool:
    options = schema.get("oneOf") or schema.get("anyOf") if isinstance(schema, dict) else None
    if not options:
        return False
    types: set[Any] = set()
    for option in options:
        value = option.get("type") if isinstance(option, dict) else None
        types.update(value if isinstance(value, list) else [value])
    return {"integer", "string"} <= types


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def target_for(obj: K8sObject, ctx: Context) -> Target | None:
    """The schema of ``obj``: a built-in kind at the target version, or an in-repo CRD."""
    bundle = load_bundle(ctx.kube_version)
    name = bundle.definition(obj.api_version, obj.kind)
    if name is not None:
        return Target(_builtin_validator(ctx, obj), bundle.defs, {"$ref": f"#/$defs/{name}"})
    from kubelint.schema.crds import crd_target

    return crd_target(obj, ctx)


def _builtin_validator(ctx: Context, obj: K8sObject) -> Any:
    """One validator for every built-in kind of the run's objects (compiled once, on first
    use); an object of another kind gets its own: a kustomize patch (the run's objects
    leave patches out) of a kind no whole object of the run has.

    Compiling the kinds together compiles the definitions they share (the pod spec, object
    metadata) once: a third of the cost of one validator per kind.
    """
    bundle = load_bundle(ctx.kube_version)

    def run_kinds() -> dict[tuple[str, str], str]:
        kinds: dict[tuple[str, str], str] = {}
        for one in ctx.objects:
            if one.source.reported:
                name = bundle.definition(one.api_version, one.kind)
                if name is not None:
                    kinds[(one.api_version, one.kind)] = name
        return kinds

    kinds: dict[tuple[str, str], str] = ctx.memo("builtin-validator-kinds", run_kinds)
    key = (obj.api_version, obj.kind)
    if key in kinds:
        return ctx.memo("builtin-validator", lambda: _compile(bundle, kinds))
    own = {key: bundle.definition(*key) or ""}
    return ctx.memo(f"builtin-validator:{key}", lambda: _compile(bundle, own))


def _compile(bundle: Bundle, kinds: dict[tuple[str, str], str]) -> Any:
    """A validator of these built-in kinds ((apiVersion, kind) -> definition name)."""
    import jsonschema_rs

    needed: set[str] = set()
    for name in kinds.values():
        needed.update(bundle.reachable(name))
    from kubelint.schema.offline import refuse

    # The bundled schemas only refer to their own #/$defs: the refusal is a safeguard.
    return jsonschema_rs.validator_for(
        {
            "$defs": {name: bundle.defs[name] for name in sorted(needed)},
            "allOf": [
                {
                    "if": {
                        "properties": {
                            "apiVersion": {"const": api_version},
                            "kind": {"const": kind},
                        },
                        "required": ["apiVersion", "kind"],
                    },
                    "then": {"$ref": f"#/$defs/{name}"},
                }
                for (api_version, kind), name in sorted(kinds.items())
            ],
        },
        retriever=refuse,
    )


def problems(obj: K8sObject, ctx: Context) -> list[Problem] | None:
    """Schema problems of ``obj`` (computed once per run), or None when no schema is known."""

    def compute() -> list[Problem] | None:
        target = target_for(obj, ctx)
        found = None if target is None else _problems(target, obj.data)
        from kubelint.schema.crds import is_crd, reference_problems

        if is_crd(obj):
            # Unless the bundled schema already reports that very key (a $ref that is not
            # even a string): one problem, one finding.
            taken = {problem.path for problem in found or ()}
            extra = [Problem(p, m) for p, m in reference_problems(obj) if p not in taken]
            if extra:
                found = [*(found or ()), *extra]
        return found

    result: list[Problem] | None = ctx.memo(f"schema-problems:{id(obj)}", compute)
    return result
