"""``.kubelint.yaml``: discovery, validation against a schema generated from the checks.

Validation has two steps. Loading (:func:`load_config`) checks the file against the
built-in checks' schema plus the sections of the check providers. Check ids and groups the
file names (``select``, ``ignore``, ``extend-select``, ``per-path-ignores``,
``checks.<id>``) are checked once the providers have added their checks to the run
(:meth:`Config.verify`): a provided check can be named like a built-in one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kubelint.checks import run_providers, unknown_name
from kubelint.checks.base import Check, CheckProvider
from kubelint.errors import ConfigError
from kubelint.k8s.versions import NEWEST_VERSION, VersionError, parse_version
from kubelint.model import SEVERITIES, KeyPath

if TYPE_CHECKING:  # read only with a configuration file: a lint without one loads no PyYAML
    from yaml.nodes import Node

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")

_ID_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}


#: The schema of each top-level setting but ``checks`` (whose sections come from the checks).
_SETTINGS_SCHEMA: dict[str, Any] = {
    "select": {
        **_ID_LIST,
        "description": "check ids or groups to run (replaces the defaults)",
    },
    "extend-select": {
        **_ID_LIST,
        "description": "check ids or groups to run besides the defaults (or select)",
    },
    "ignore": {**_ID_LIST, "description": "check ids or groups never to run"},
    "fail-on": {
        "enum": list(SEVERITIES),
        "description": "lowest severity that fails the run",
    },
    "namespace": {
        "type": "string",
        "minLength": 1,
        "description": "namespace of objects that set none (default: default)",
    },
    "exclude": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": "path globs, relative to this file, never linted",
    },
    "roots": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": "folders, relative to this file, whose manifests form the "
        "context of cross-object checks (default: the git repository)",
    },
    "per-path-ignores": {
        "type": "object",
        "additionalProperties": _ID_LIST,
        "description": "path glob, relative to this file -> check ids or groups not "
        "reported for those files",
    },
    "kube-version": {
        "type": "string",
        "pattern": r"^(v?1\.(0|[1-9][0-9]*)|latest)$",
        "description": "Kubernetes version of the Pod Security and schema checks "
        f"(1.N up to 1.{NEWEST_VERSION}, or latest; default: latest)",
    },
    "crd-paths": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": "folders, relative to this file, whose CustomResourceDefinitions "
        "give custom resources their schemas (besides the linted tree)",
    },
    "policy-paths": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "description": "folders, relative to this file, whose ValidatingAdmissionPolicies, "
        "bindings and params the admission-policy check evaluates (besides the linted tree)",
    },
    "pod-templates": {
        "type": "object",
        "additionalProperties": {
            "type": "string",
            "pattern": r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$",
        },
        "description": "custom kind -> dotted path of the pod template it embeds "
        "(for example Rollout: spec.template), so pod checks apply",
    },
}


def config_schema(
    checks: Iterable[Check], providers: Iterable[CheckProvider] = (), *, open_ids: bool = False
) -> dict[str, Any]:
    """The JSON schema of the configuration file, derived from the checks' metadata.

    ``providers`` add their sections; with ``open_ids`` an entry of ``checks`` for another
    id is accepted as any mapping (the first validation step: a provider may add that id).
    """
    sections: dict[str, Any] = {}
    nested: dict[str, Any] = {}
    for p in providers:
        if p.config_key and p.config_schema is not None:
            schema = {**p.config_schema, "description": f"settings of the {p.name} provider"}
            path = section_path(p.config_key)
            (nested if len(path) == 2 else sections)[path[-1]] = schema
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://kubelint.dev/schemas/kubelint-config.schema.json",
        "title": "kubelint configuration (.kubelint.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            **_SETTINGS_SCHEMA,
            "checks": {
                "type": "object",
                "properties": {**_check_schemas(checks), **nested},
                "additionalProperties": {"type": "object"} if open_ids else False,
                "description": "per-check severity and options",
            },
            **sections,
        },
    }


#: A provider whose ``config_key`` starts with this reads an entry of ``checks:`` rather
#: than a top-level section: ``checks.custom`` (kubelint.checks.custom) holds checks
#: written in CEL, beside the per-check settings.
NESTED_PREFIX = "checks."


def section_path(config_key: str) -> tuple[str, ...]:
    """Where a provider's section is in the file: ``("test-rules",)``, ``("checks", "custom")``."""
    if config_key.startswith(NESTED_PREFIX):
        return ("checks", config_key[len(NESTED_PREFIX) :])
    return (config_key,)


def _section(data: Any, path: tuple[str, ...]) -> Any:
    """The value at ``path`` of the file's data, or None."""
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _nested_names(providers: Iterable[CheckProvider]) -> set[str]:
    """The entries of ``checks:`` that are provider sections, not check ids."""
    return {
        section_path(p.config_key)[1]
        for p in providers
        if p.config_key and len(section_path(p.config_key)) == 2
    }


@dataclass
class Config:
    """The settings of a run: ``.kubelint.yaml`` merged with the command line."""

    path: Path | None = None
    #: Folder that relative paths in the configuration are taken from.
    base: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
    #: Checks run besides the defaults (or ``select``).
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "warning"
    namespace: str = "default"
    exclude: list[str] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    severities: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Policy version (minor of 1.N) for Pod Security controls selected by the user.
    kube_version: int = NEWEST_VERSION
    #: Custom kind -> key path of its embedded pod template.
    pod_templates: dict[str, KeyPath] = field(default_factory=dict)
    #: Extra folders to read CustomResourceDefinitions from.
    crd_paths: list[str] = field(default_factory=list)
    policy_paths: list[str] = field(default_factory=list)
    #: Provider config key -> its section of the file.
    sections: dict[str, Any] = field(default_factory=dict)
    #: Check ids and groups the file names, checked against the run's registry by
    #: :meth:`verify`: (location, key, name); key "checks" names a ``checks.<id>`` entry.
    named: list[tuple[str, str, str]] = field(default_factory=list)

    def verify(
        self, run: Mapping[str, Check], known: Iterable[str], provided: Iterable[str] = ()
    ) -> None:
        """The second validation step: every id or group the file names exists in the run.

        ``run`` is the run's registry (with the provided checks), ``known`` its ids and
        groups, ``provided`` the ids check providers added: their options, which the first
        step could not know, are validated against their schemas here.
        """
        known = set(known)
        problems = []
        for where, key, name in self.named:
            if key == "checks":
                if name not in run:
                    problems.append(f"{where}: checks.{name}: unknown check id '{name}'")
                continue
            if name not in known:
                problems.append(f"{where}: {key}: {unknown_name(name, known)}")
        problems += _provided_options(self, {cid: run[cid] for cid in provided})
        if problems:
            raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))

    def merged(self, options: Overrides) -> Config:
        """A new configuration: this one with the command line's ``options`` over it.

        This one is left as it is. ``select`` replaces the configured selection (its
        ``extend-select`` included); ``extend_select`` and ``ignore`` add to it.
        """
        select, extend_select = self.select, self.extend_select
        if options.select:
            select, extend_select = list(options.select), []
        return replace(
            self,
            namespace=options.namespace or self.namespace,
            kube_version=(
                self.kube_version if options.kube_version is None else options.kube_version
            ),
            fail_on=options.fail_on or self.fail_on,
            select=select,
            extend_select=[*extend_select, *options.extend_select],
            ignore=[*self.ignore, *options.ignore],
        )


def _check_schemas(checks: Iterable[Check]) -> dict[str, Any]:
    """Check id -> the schema of its section under ``checks:`` (severity and options)."""
    per_check: dict[str, Any] = {}
    for check in sorted(checks, key=lambda c: c.meta.id):
        props: dict[str, Any] = {
            "severity": {"enum": list(SEVERITIES), "description": "override the severity"}
        }
        for param in check.meta.params:
            props[param.name] = {**param.schema, "description": param.description}
        per_check[check.meta.id] = {
            "type": "object",
            "description": check.meta.summary,
            "properties": props,
            "additionalProperties": False,
        }
    return per_check


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line, which win over the configuration file's."""

    namespace: str | None = None
    kube_version: int | None = None
    fail_on: str | None = None
    #: Replaces the configured selection, its extend-select included.
    select: Sequence[str] = ()
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()


def parse_kube_version(text: str) -> int:
    """A Kubernetes version the user asked for (``1.30``, ``v1.30``, ``latest``) as its minor.

    Unlike a namespace's ``*-version`` label, which is clamped to the newest version as the
    API server does, a version newer than the newest kubelint knows is refused: it has no
    schemas and no policy for it, and checking against an older one would go unnoticed.
    """
    minor = parse_version(text)
    value = str(text).strip()
    minor_text = value.lstrip("v").split(".")[1] if value != "latest" else "0"
    # A minor of many digits is newer than any release (and too long for int()).
    if len(minor_text) > 4 or int(minor_text) > NEWEST_VERSION:
        raise VersionError(
            f"Kubernetes version '{value}' is newer than the newest kubelint supports "
            f"(1.{NEWEST_VERSION}): use 1.{NEWEST_VERSION} or 'latest', or upgrade kubelint"
        )
    return minor


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` up to the repository root.

    Two of them in one folder are an error: neither would be the obvious one to read.
    """
    directory = start.resolve()
    while True:
        found = [directory / name for name in CONFIG_NAMES if (directory / name).is_file()]
        if len(found) > 1:
            raise ConfigError(
                f"{found[0]} and {found[1]} are both present: keep one configuration file"
            )
        if found:
            return found[0]
        if (directory / ".git").exists() or directory.parent == directory:
            return None
        directory = directory.parent


def load_config(
    path: Path, checks: Mapping[str, Check], providers: Sequence[CheckProvider] | None = None
) -> Config:
    """Read a configuration file and validate it (first step, see :meth:`Config.verify`).

    ``providers`` are the run's check providers (default: the built-in and entry-point
    ones). Every problem is a :class:`ConfigError`.
    """
    from kubelint.loader.positions import locate
    from kubelint.loader.source import DecodeError, decode
    from kubelint.loader.yamlparse import ParseError, parse_documents

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror}") from None
    try:
        docs = list(parse_documents(decode(raw), str(path)))
    except (ParseError, DecodeError) as exc:
        message = exc.message if isinstance(exc, ParseError) else str(exc)
        raise ConfigError(f"{path}:{exc.line}:{exc.column}: invalid YAML: {message}") from None
    if len(docs) > 1:
        raise ConfigError(f"{path}: a configuration file holds one YAML document")
    node, data = (docs[0][0], docs[0][1]) if docs else (None, None)
    if data is None:
        data = {}

    def where(keypath: tuple[Any, ...]) -> str:
        if node is None:
            return f"{path}"
        line, column, _ = locate(node, keypath)
        return f"{path}:{line}:{column}"

    problems = []
    kube_version = NEWEST_VERSION
    if isinstance(data, dict) and "kube-version" in data:
        try:
            kube_version = parse_kube_version(_kube_version_text(node, data["kube-version"]))
        except VersionError as exc:
            problems.append(f"{where(('kube-version',))}: kube-version: {exc}")
    chosen = run_providers(providers)
    problems += _schema_problems(
        path, data, config_schema(checks.values(), chosen, open_ids=True), where
    )
    if not problems:
        problems += _escaping_paths(path, data, where)
        problems += _section_problems(data, checks, chosen, where)
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))
    return _config(path, data, kube_version, _named(data, checks, where, chosen), chosen)


def _section_problems(
    data: Any,
    checks: Mapping[str, Check],
    providers: Sequence[CheckProvider],
    where: Callable[[tuple[Any, ...]], str],
) -> list[str]:
    """What providers find wrong in their schema-valid sections, as the file is read.

    A provider may check more than its schema can say with a method
    ``settings_problems(settings, checks) -> Iterable[(key path in the section, message)]``
    (``checks``: the built-in and plugin checks by id): the CEL of ``checks.custom`` is
    compiled here, so that a mistake stops the run before any file is linted.
    """
    problems = []
    for provider in providers:
        hook = getattr(provider, "settings_problems", None)
        if not provider.config_key or not callable(hook):
            continue
        path = section_path(provider.config_key)
        settings = _section(data, path)
        if settings is None:
            continue
        for inner, message in hook(settings, checks):
            full = (*path, *inner)
            problems.append(f"{where(full)}: {'.'.join(map(str, full))}: {message}")
    return problems


def _schema_problems(
    path: Path, data: Any, schema: dict[str, Any], where: Callable[[tuple[Any, ...]], str]
) -> list[str]:
    """The first validation step: what the schema of checks and providers finds wrong."""
    import jsonschema

    problems = []
    from kubelint.schema.offline import registry

    # Check options come from plugins: a $ref in one of their schemas is never fetched.
    validator = jsonschema.Draft7Validator(schema, registry=registry())
    from referencing.exceptions import Unresolvable

    try:
        errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    except Unresolvable as exc:
        raise ConfigError(
            f"{path}: the schema of a check option refers to '{exc.ref}', "
            "which kubelint never fetches (a plugin's check should hold its whole schema)"
        ) from None
    for error in errors:
        keypath = tuple(error.absolute_path)
        if keypath[:1] == ("kube-version",):
            continue  # read above, from the text as written
        shown = ".".join(map(str, keypath)) or "(top level)"
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in (k for k in error.instance if k not in allowed):
                full = keypath + (extra,)
                hint = "unknown check id" if keypath == ("checks",) else "unknown key"
                problems.append(f"{where(full)}: {'.'.join(map(str, full))}: {hint} '{extra}'")
            continue
        problems.append(f"{where(keypath)}: {shown}: {error.message}")
    return problems


def _named(
    data: dict[str, Any],
    checks: Mapping[str, Check],
    where: Callable[[tuple[Any, ...]], str],
    providers: Sequence[CheckProvider] = (),
) -> list[tuple[str, str, str]]:
    """The ids and groups a valid file names, with their locations (for the second step)."""
    named = []
    for key in ("select", "extend-select", "ignore"):
        for index, name in enumerate(data.get(key) or []):
            named.append((where((key, index)), key, name))
    for glob, ids in (data.get("per-path-ignores") or {}).items():
        for index, name in enumerate(ids):
            named.append((where(("per-path-ignores", glob, index)), "per-path-ignores", name))
    sections = _nested_names(providers)
    for check_id in data.get("checks") or {}:
        # A built-in's entry is validated by the first step, a provider's section by its
        # schema.
        if check_id not in checks and check_id not in sections:
            named.append((where(("checks", check_id)), "checks", check_id))
    return named


def _config(
    path: Path,
    data: dict[str, Any],
    kube_version: int,
    named: list[tuple[str, str, str]],
    providers: Sequence[CheckProvider],
) -> Config:
    """The configuration a valid file describes."""
    nested = _nested_names(providers)
    checks_conf: dict[str, dict[str, Any]] = {
        k: v for k, v in (data.get("checks") or {}).items() if k not in nested
    }
    return Config(
        path=path,
        base=path.parent,
        select=data.get("select"),
        extend_select=list(data.get("extend-select") or []),
        ignore=list(data.get("ignore") or []),
        fail_on=data.get("fail-on", "warning"),
        namespace=data.get("namespace", "default"),
        exclude=list(data.get("exclude") or []),
        roots=list(data.get("roots") or []),
        per_path_ignores=dict(data.get("per-path-ignores") or {}),
        severities={k: v["severity"] for k, v in checks_conf.items() if "severity" in v},
        params={k: {p: v for p, v in c.items() if p != "severity"} for k, c in checks_conf.items()},
        kube_version=kube_version,
        crd_paths=list(data.get("crd-paths") or []),
        policy_paths=list(data.get("policy-paths") or []),
        pod_templates={
            kind: tuple(path.split(".")) for kind, path in (data.get("pod-templates") or {}).items()
        },
        sections={
            p.config_key: _section(data, section_path(p.config_key))
            for p in providers
            if p.config_key and _section(data, section_path(p.config_key)) is not None
        },
        named=named,
    )


def _provided_options(config: Config, provided: Mapping[str, Check]) -> list[str]:
    """Problems in the ``checks.<id>`` entries of provided checks (their options' schemas)."""
    entries = [(w, n) for w, key, n in config.named if key == "checks" and n in provided]
    if not entries:
        return []  # the common case: no validator to build (nor jsonschema to import)
    import jsonschema

    from kubelint.schema.offline import registry

    problems = []
    for where, name in entries:
        schema = config_schema([provided[name]])["properties"]["checks"]["properties"][name]
        entry = {**config.params.get(name, {})}
        if name in config.severities:
            entry["severity"] = config.severities[name]
        validator = jsonschema.Draft7Validator(schema, registry=registry())
        for error in validator.iter_errors(entry):
            shown = ".".join(map(str, ("checks", name, *error.absolute_path)))
            problems.append(f"{where}: {shown}: {error.message}")
    return problems


def _tree_of(config: Path) -> Path:
    """The folder a configuration's paths may reach: its repository, else its own folder."""
    folder = config.resolve().parent
    for directory in (folder, *folder.parents):
        if (directory / ".git").exists():
            return directory
    return folder


def _escaping_paths(
    config: Path, data: dict[str, Any], where: Callable[[tuple[Any, ...]], str]
) -> list[str]:
    """Problems for ``roots``, ``crd-paths`` and ``policy-paths`` entries that lead out of
    the repository.

    A repository's configuration is written by whoever can commit to it: ``roots: ['/']``
    would make every run walk, and read, the whole file system. Links are resolved, so a
    committed link to ``/`` does not get round it.
    """
    tree = _tree_of(config)
    problems = []
    for key in ("roots", "crd-paths", "policy-paths"):
        for index, entry in enumerate(data.get(key) or []):
            target = Path(os.path.realpath(config.parent / entry))
            if target != tree and tree not in target.parents:
                problems.append(
                    f"{where((key, index))}: {key}: '{entry}' is outside {tree.as_posix()}: "
                    "folders in the configuration must stay inside its repository"
                )
    return problems


def _kube_version_text(root: Node | None, value: Any) -> str:
    """``kube-version`` as written in the file.

    YAML reads an unquoted ``1.30`` as the number 1.3; the scalar's own text keeps the
    version the user meant.
    """
    if isinstance(value, str):
        return value
    from yaml.nodes import MappingNode, ScalarNode

    text = None
    if isinstance(root, MappingNode):
        for key_node, value_node in root.value:  # the last duplicate wins, as in the data
            if isinstance(key_node, ScalarNode) and key_node.value == "kube-version":
                text = value_node.value if isinstance(value_node, ScalarNode) else None
    if text is not None:
        return str(text)
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        raise VersionError(f"expected a version such as 1.30 or 'latest', found {kind}")
    return str(value)  # from a merge key: no scalar of its own to read
