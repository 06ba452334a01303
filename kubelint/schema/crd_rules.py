"""The CEL validation rules of CustomResourceDefinitions (``x-kubernetes-validations``),
judged offline on the custom resources of the linted tree as the API server judges a CREATE.

A rule sits at a level of a served version's ``openAPIV3Schema`` (the root, a property,
the ``items`` of an array, the ``additionalProperties`` of a map, or an ``allOf`` entry of
one of those) and is evaluated with ``self`` bound to every value present at that level:
absent and null values are not judged, a rule under ``items`` judges each element, one under
``additionalProperties`` each value of the map. ``self`` holds what the API server lets a rule
see: the declared properties only (unknown fields are pruned or, preserved, not accessible),
their names escaped (``x-prop`` is ``self.x__dash__prop``), ``number`` fields as doubles, and
at the root (and in embedded resources) ``apiVersion``, ``kind`` and only the ``name`` and
``generateName`` of ``metadata``.

A failing rule gives its ``messageExpression`` (when it evaluates to a non-empty line), else
its ``message``, else ``failed rule: <rule>``, at ``fieldPath`` when set. A rule that ends in
an error rejects the object too. Transition rules (those reading ``oldSelf``) have no old
object on a CREATE: the API server skips them, unless ``optionalOldSelf`` makes ``oldSelf``
an empty optional. The API server runs no rule on an object that breaks its schema's types,
required fields, enumerations or size limits; nor does kubelint (a notice says so).

https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.model import InputProblem, K8sObject, KeyPath, format_path
from kubelint.schema.crds import crd_sources, crd_target, schema_locations

#: Where a schema level keeps its CEL validation rules.
RULES_KEY = "x-kubernetes-validations"

if TYPE_CHECKING:
    from kubelint.cel.engine import Program
    from kubelint.model import Context

#: Rule evaluations for one object at most: the API server bounds the cost of an object's
#: rules too (in cost units), and an object with a hundred thousand list items must not
#: hold up the run. Each evaluation is bounded by the engine's iteration budget.
MAX_EVALUATIONS = 100_000

#: The message verbs of the API server's field errors, by a rule's ``reason``; any other
#: (or none) is ``FieldValueInvalid``.
_REASONS = {
    "FieldValueForbidden": "is forbidden",
    "FieldValueRequired": "is required",
    "FieldValueDuplicate": "has a duplicate value",
}

#: Schema errors after which the API server runs no rule (wrong type, missing required
#: field, value outside the enumeration, too long, too many items or properties).
_BLOCKING = {"type", "required", "enum", "maxLength", "maxItems", "maxProperties"}

#: CEL's reserved words: a property named so is ``__<word>__`` in a rule.
_RESERVED = frozenset(
    "true false null in as break const continue else for function if import let loop "
    "package namespace return".split()
)
_ACCESSIBLE = re.compile(r"[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*\Z")
_ESCAPES = (("__", "__underscores__"), (".", "__dot__"), ("-", "__dash__"), ("/", "__slash__"))
_MAX_DEPTH = 256


def escape_name(name: str) -> str | None:
    """A property's name as a rule spells it, or None when rules cannot reach it."""
    if name in _RESERVED:
        return f"__{name}__"
    if not _ACCESSIBLE.match(name):
        return None
    for text, escaped in _ESCAPES:
        name = name.replace(text, escaped)
    return name


@dataclass(frozen=True)
class Rule:
    """One entry of ``x-kubernetes-validations`` and where it is in its CRD."""

    location: KeyPath
    rule: str
    message: str = ""
    message_expression: str = ""
    reason: str = ""
    field_path: str = ""
    optional_old_self: bool = False

    @property
    def label(self) -> str:
        """How the API server names the rule in an error: its message, else its text."""
        return self.message.strip() or self.rule.strip()


@dataclass(frozen=True)
class Compiled:
    """A rule ready to run: its programs, or why it has none."""

    program: Program | None = None
    message_program: Program | None = None
    #: The rule reads ``oldSelf`` and is not evaluated on a CREATE.
    skipped: bool = False
    #: Problems that make the API server refuse the CRD: (key path in the CRD, message).
    problems: tuple[tuple[KeyPath, str], ...] = ()
    #: The rule's ``fieldPath`` as a key path relative to its level.
    target: KeyPath = ()


@dataclass
class Node:
    """The rules of one schema level, with the levels below that hold rules."""

    schema: dict[str, Any]
    resource_root: bool
    rules: list[tuple[Rule, Compiled]] = field(default_factory=list)
    properties: dict[str, Node] = field(default_factory=dict)
    items: Node | None = None
    additional: Node | None = None
    all_of: list[Node] = field(default_factory=list)


def compile_rule(rule: Rule, schema: dict[str, Any]) -> Compiled:
    """Compile a rule (and its messageExpression) as the API server would on the CRD."""
    from kubelint.cel.engine import CompileError, EngineMissing, compile_expression

    variables = ("self", "oldSelf")
    problems: list[tuple[KeyPath, str]] = []
    program = message_program = None
    skipped = False
    try:
        program = compile_expression(rule.rule, variables)
        skipped = _reads_old_self(rule.rule)
        if skipped and rule.optional_old_self:
            # On a CREATE the API server binds oldSelf to an empty optional.
            wrapped = f"cel.bind(oldSelf, optional.none(), (\n{rule.rule}\n))"
            program, skipped = compile_expression(wrapped, variables), False
    except CompileError as exc:
        problems.append(((*rule.location, "rule"), f"validation rule does not compile: {exc}"))
    except EngineMissing:
        return Compiled()
    if rule.message_expression:
        try:
            message_program = compile_expression(rule.message_expression, variables)
        except CompileError as exc:
            problems.append(
                (
                    (*rule.location, "messageExpression"),
                    f"messageExpression does not compile: {exc}",
                )
            )
    target = parse_field_path(rule.field_path, schema) if rule.field_path else ()
    if target is None:
        problems.append(
            (
                (*rule.location, "fieldPath"),
                f"fieldPath '{rule.field_path}' does not name a field of this schema level",
            )
        )
    if "\n" in rule.message or ("\n" in rule.rule.strip() and not rule.message.strip()):
        problems.append(
            (
                (*rule.location, "message" if "\n" in rule.message else "rule"),
                "a validation rule's message must be one line, and is required when the rule "
                "spans several lines",
            )
        )
    program = None if problems else program
    return Compiled(program, message_program, skipped, tuple(problems), target or ())


def _reads_old_self(source: str) -> bool:
    """Whether a rule that compiles with ``oldSelf`` declared needs it (a transition rule)."""
    from kubelint.cel.engine import CompileError, compile_expression

    try:
        compile_expression(source, ("self",))
    except CompileError as exc:
        return exc.undeclared
    return False


def _rules(schema: dict[str, Any], base: KeyPath) -> list[Rule]:
    entries = schema.get(RULES_KEY)
    found: list[Rule] = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            continue  # the CRD's own schema validation reports it

        def text(key: str, entry: dict[str, Any] = entry) -> str:
            value = entry.get(key)
            return value if isinstance(value, str) else ""

        found.append(
            Rule(
                (*base, RULES_KEY, index),
                entry["rule"],
                text("message"),
                text("messageExpression"),
                text("reason"),
                text("fieldPath"),
                entry.get("optionalOldSelf") is True,
            )
        )
    return found


def _unknown_type(schema: Any) -> bool:
    """A schema whose values rules cannot see (no type, unknown fields preserved...)."""
    if not isinstance(schema, dict):
        return False
    if schema.get("x-kubernetes-int-or-string"):
        return False
    kind = schema.get("type")
    if not kind and schema.get("x-kubernetes-preserve-unknown-fields"):
        return True
    if kind == "array":
        return _unknown_type(schema.get("items"))
    if kind == "object" and not schema.get("properties"):
        return _unknown_type(schema.get("additionalProperties"))
    return False


def rule_tree(
    schema: Any,
    base: KeyPath,
    resource_root: bool = True,
    depth: int = 0,
    level: Any = None,
) -> Node | None:
    """The rules of ``schema`` (at key path ``base`` of its CRD) and below, compiled; None
    when there are none. ``level`` is the schema of the values judged, when ``schema`` is
    an ``allOf`` entry of it (whose rules judge the same values)."""
    level = schema if level is None else level
    if not isinstance(schema, dict) or not isinstance(level, dict) or depth > _MAX_DEPTH:
        return None
    node = Node(level, resource_root)
    node.rules = [(rule, compile_rule(rule, level)) for rule in _rules(schema, base)]
    properties, declared = schema.get("properties"), level.get("properties")
    for name, sub in (properties if isinstance(properties, dict) else {}).items():
        own = declared.get(name) if isinstance(declared, dict) else None
        if isinstance(own, dict) and not _unknown_type(own):
            child = _child(sub, (*base, "properties", name), depth, own)
            if child is not None:
                node.properties[str(name)] = child
    for key in ("items", "additionalProperties"):
        child = _child(schema.get(key), (*base, key), depth, level.get(key))
        setattr(node, "items" if key == "items" else "additional", child)
    all_of = schema.get("allOf")
    for index, sub in enumerate(all_of if isinstance(all_of, list) else []):
        child = rule_tree(sub, (*base, "allOf", index), resource_root, depth + 1, level)
        if child is not None:
            node.all_of.append(child)
    if node.rules or node.properties or node.items or node.additional or node.all_of:
        return node
    return None


def _child(schema: Any, base: KeyPath, depth: int, level: Any) -> Node | None:
    if not isinstance(level, dict):
        return None
    embedded = level.get("x-kubernetes-embedded-resource") is True
    return rule_tree(schema, base, embedded, depth + 1, level)


def all_rules(node: Node) -> Iterator[tuple[Rule, Compiled]]:
    """Every rule of a tree, level by level."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield from current.rules
        stack.extend(reversed(current.all_of))
        stack.extend(reversed([n for n in (current.items, current.additional) if n]))
        stack.extend(reversed(current.properties.values()))


_TOKEN = re.compile(r"\.([^.\[\]]+)|\['((?:[^'\\]|\\.)*)'\]")


def parse_field_path(text: str, schema: Any) -> KeyPath | None:
    """A rule's ``fieldPath`` (``.spec.replicas``, ``.labels['app.kubernetes.io/name']``) as
    a key path relative to the rule's level, or None when it names no field of ``schema``
    (the API server refuses such a CRD). List indexes are not allowed."""
    path: list[str] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or not isinstance(schema, dict):
            return None
        name = match.group(1)
        if name is None:
            name = re.sub(r"\\(.)", r"\1", match.group(2))
        properties, extra = schema.get("properties"), schema.get("additionalProperties")
        if isinstance(properties, dict) and properties:
            if name not in properties:
                return None
            schema = properties[name]
        elif isinstance(extra, dict):
            schema = extra
        else:
            return None
        path.append(name)
        position = match.end()
    return tuple(path) if path else None


def cel_value(schema: Any, value: Any, resource_root: bool, cache: dict[Any, Any]) -> Any:
    """What a rule's ``self`` sees of ``value``, typed and pruned by ``schema``."""
    if not isinstance(schema, dict) or value is None or schema.get("x-kubernetes-int-or-string"):
        return value
    if isinstance(value, dict) or isinstance(value, list):
        key = (id(value), id(schema), resource_root)
        if key not in cache:
            cache[key] = _container(schema, value, resource_root, cache)
        return cache[key]
    if schema.get("type") == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _container(schema: dict[str, Any], value: Any, root: bool, cache: dict[Any, Any]) -> Any:
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, dict):
            return value
        embedded = items.get("x-kubernetes-embedded-resource") is True
        return [cel_value(items, item, embedded, cache) for item in value]
    properties, extra = schema.get("properties"), schema.get("additionalProperties")
    if not isinstance(properties, dict) and isinstance(extra, dict):
        embedded = extra.get("x-kubernetes-embedded-resource") is True
        return {str(k): cel_value(extra, v, embedded, cache) for k, v in value.items()}
    properties = properties if isinstance(properties, dict) else {}
    out: dict[str, Any] = {}
    for name, item in value.items():
        sub = properties.get(name)
        escaped = escape_name(name) if isinstance(name, str) else None
        if sub is None or item is None or escaped is None or _unknown_type(sub):
            continue  # pruned, null (absent for a rule), unreachable or of unknown type
        embedded = isinstance(sub, dict) and sub.get("x-kubernetes-embedded-resource") is True
        out[escaped] = cel_value(sub, item, embedded, cache)
    if root:
        for name in ("apiVersion", "kind"):
            if isinstance(value.get(name), str):
                out[name] = value[name]
        metadata = value.get("metadata")
        if isinstance(metadata, dict):
            out["metadata"] = {
                k: metadata[k] for k in ("name", "generateName") if isinstance(metadata.get(k), str)
            }
    return out


@dataclass(frozen=True)
class Verdict:
    """A rule that failed or could not be evaluated, at a key path of the object."""

    path: KeyPath
    message: str
    #: "warning" when kubelint's own limits stopped the rule, not the rule itself.
    severity: str | None = None


def evaluate(root: Node, data: Any, limit: int = MAX_EVALUATIONS) -> list[Verdict]:
    """Every failing rule of the tree on ``data``, one verdict per rule and value."""
    found: list[Verdict] = []
    cache: dict[Any, Any] = {}
    evaluations = 0
    stack: list[tuple[Node, Any, KeyPath]] = [(root, data, ())]
    while stack:
        node, value, path = stack.pop()
        if value is None:
            continue  # the API server judges present, non-null values only
        live = [(r, c) for r, c in node.rules if c.program and not c.skipped]
        if live:
            if evaluations + len(live) > limit:
                found.append(Verdict((), _out_of_budget(limit), "warning"))
                return found
            evaluations += len(live)
            self_value = cel_value(node.schema, value, node.resource_root, cache)
            for rule, compiled in live:
                verdict = _judge(rule, compiled, self_value, path)
                if verdict is not None:
                    found.append(verdict)
        stack.extend((sub, value, path) for sub in node.all_of)
        stack.extend(_children(node, value, path))
    return found


def _out_of_budget(limit: int) -> str:
    return (
        f"validation rules not all evaluated: the object needs more than {limit} rule "
        "evaluations, kubelint's limit (the API server's cost budget may allow them)"
    )


def _children(node: Node, value: Any, path: KeyPath) -> Iterator[tuple[Node, Any, KeyPath]]:
    if isinstance(value, list) and node.items is not None:
        for index in range(len(value) - 1, -1, -1):
            yield node.items, value[index], (*path, index)
    elif isinstance(value, dict):
        for key, item in reversed(list(value.items())):
            sub = node.properties.get(key) if isinstance(key, str) else None
            if sub is not None:
                yield sub, item, (*path, key)
            if node.additional is not None:
                yield node.additional, item, (*path, key)


def _judge(rule: Rule, compiled: Compiled, self_value: Any, path: KeyPath) -> Verdict | None:
    from kubelint.cel.engine import EvalError

    assert compiled.program is not None
    result = _run(compiled.program, self_value)
    if result is True:
        return None
    where = _where(path)
    if isinstance(result, EvalError) and "budget exceeded" in result.message.lower():
        # The engine counts iterations, the API server costs: which would stop first is
        # unknown, so this is no verdict on the object (a warning, never a silent pass).
        return Verdict(
            path,
            f"{where}: validation rule not evaluated: it needs more iterations than kubelint's "
            f"CEL engine allows in one evaluation: {rule.label}",
            "warning",
        )
    if isinstance(result, EvalError) or result is not False:
        why = result.message if isinstance(result, EvalError) else "it is not a boolean"
        return Verdict(
            path, f"{where}: validation rule could not be evaluated ({why}): {rule.label}"
        )
    target = (*path, *compiled.target)
    detail = _message(rule, compiled, self_value)
    verb = _REASONS.get(rule.reason, "is invalid")
    return Verdict(target, f"{_where(target)} {verb}: {detail}")


def _run(program: Program, self_value: Any) -> Any:
    from kubelint.cel.engine import EvalError

    try:
        return program.evaluate({"self": self_value})
    except Exception as exc:  # a value the engine cannot take (a huge integer...)
        return EvalError(f"{type(exc).__name__}: {exc}")


def _message(rule: Rule, compiled: Compiled, self_value: Any) -> str:
    """The messageExpression's line when it gives one, else the message, else the rule."""
    if compiled.message_program is not None:
        text = _run(compiled.message_program, self_value)
        if isinstance(text, str) and text.strip() and "\n" not in text.strip():
            return text.strip()
    return rule.message.strip() or f"failed rule: {rule.rule.strip()}"


def _where(path: KeyPath) -> str:
    return f"'{format_path(path)}'" if path else "the object"


def _tree(crd: K8sObject, schema: dict[str, Any], base: KeyPath, ctx: Context) -> Node | None:
    tree: Node | None = ctx.memo(
        f"crd-rule-tree:{id(schema)}",
        lambda: rule_tree(schema, base) if _may_hold_rules(crd) and _has_rules(schema) else None,
    )
    return tree


def _may_hold_rules(crd: K8sObject) -> bool:
    """Whether the CRD's text may hold a rule: the key is written out, or the text has an
    escape (a quoted key can spell it with escapes, never without a backslash). Most CRDs
    have neither, and a search of the text is far cheaper than a walk of the schema."""
    text, start, end = crd.source.text, crd.text_start, crd.text_end
    return text.find(RULES_KEY, start, end) != -1 or text.find("\\", start, end) != -1


def _has_rules(schema: Any) -> bool:
    """Whether ``x-kubernetes-validations`` appears anywhere in the schema: most CRDs have
    none, and a plain walk costs far less than building their rule tree."""
    stack = [schema]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if RULES_KEY in value:
                return True
            stack.extend(v for v in value.values() if isinstance(v, (dict, list)))
        elif isinstance(value, list):
            stack.extend(v for v in value if isinstance(v, (dict, list)))
    return False


def definition_problems(crd: K8sObject, ctx: Context) -> list[tuple[KeyPath, str]]:
    """What makes the API server refuse a CRD's validation rules: a rule or
    messageExpression that does not compile, a fieldPath naming no field, a message that is
    not one line. Key paths in the CRD."""
    found: dict[KeyPath, str] = {}
    for base, schema in schema_locations(crd.data):
        tree = _tree(crd, schema, base, ctx)
        for _rule, compiled in all_rules(tree) if tree else ():
            found.update(compiled.problems)
    return list(found.items())


def resource_problems(obj: K8sObject, ctx: Context) -> list[Verdict]:
    """The validation rules of its CRD that a custom resource fails (computed once per run)."""

    def compute() -> list[Verdict]:
        source = crd_sources(ctx).get((obj.api_version, obj.kind))
        if source is None or obj.patch or not _engine_ready():
            return []  # no CRD, a kustomize patch (not a whole object), or no CEL engine
        tree = _tree(source.crd, source.schema, source.path, ctx)
        if tree is None or _blocked(obj, ctx):
            return []
        return evaluate(tree, obj.data)

    found: list[Verdict] = ctx.memo(f"crd-rule-verdicts:{id(obj)}", compute)
    return found


def _engine_ready() -> bool:
    from kubelint.cel.engine import available

    return available()


def _blocked(obj: K8sObject, ctx: Context) -> bool:
    """Whether the object breaks its schema in a way that stops the API server's rules;
    also when the schema cannot be used (its resources count as not validated)."""

    def compute() -> bool:
        target = crd_target(obj, ctx)
        if target is None:
            return True
        if target.validator.is_valid(obj.data):
            return False
        return any(
            getattr(error.kind, "name", "") in _BLOCKING
            for error in target.validator.iter_errors(obj.data)
        )

    blocked: bool = ctx.memo(f"crd-rule-blocked:{id(obj)}", compute)
    return blocked


def rule_notices(objects: Sequence[K8sObject], ctx: Context) -> list[InputProblem]:
    """What the rules of the CRDs in use leave unjudged: each transition rule (at its line in
    the CRD), each object whose schema problems stop the rules, and every rule when the CEL
    engine is missing."""
    notices: list[InputProblem] = []
    used: dict[int, tuple[K8sObject, Node]] = {}
    for obj in objects:
        source = crd_sources(ctx).get((obj.api_version, obj.kind))
        tree = None if source is None else _tree(source.crd, source.schema, source.path, ctx)
        if source is None or tree is None or obj.patch:
            continue
        used.setdefault(id(tree), (source.crd, tree))
        if _engine_ready() and _blocked(obj, ctx) and crd_target(obj, ctx) is not None:
            notices.append(_notice(obj, (), _BLOCKED_WORDS.format(what=obj.describe())))
    for crd, tree in used.values():
        if not _engine_ready():
            notices.append(_notice(crd, (), _MISSING_WORDS.format(name=crd.name)))
            continue
        for rule, compiled in all_rules(tree):
            if compiled.skipped:
                notices.append(_notice(crd, (*rule.location, "rule"), _TRANSITION_WORDS))
    return notices


_BLOCKED_WORDS = (
    "validation rules of {what} not evaluated: it does not match its schema (see the "
    "schema-validation findings), and the API server runs no rule on such an object either"
)
_MISSING_WORDS = (
    "validation rules of CustomResourceDefinition '{name}' not evaluated: the CEL engine "
    "(cel-expr-python) is not installed for this Python or platform"
)
_TRANSITION_WORDS = (
    "transition rule skipped: kubelint judges objects as created, and a rule reading oldSelf "
    "runs on updates only (set optionalOldSelf: true to run it on a create)"
)


def _notice(obj: K8sObject, path: KeyPath, message: str) -> InputProblem:
    line, column, _ = obj.locate(path)
    return InputProblem(obj.file, line, column, message)
