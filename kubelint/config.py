"""``.kubelint.yaml``: discovery, validation against a schema generated from the checks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint.checks.base import Check
from kubelint.errors import ConfigError
from kubelint.model import SEVERITIES, KeyPath
from kubelint.pss import NEWEST_VERSION, VersionError, parse_version

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml")

_ID_LIST = {"type": "array", "items": {"type": "string", "minLength": 1}}


def config_schema(checks: Iterable[Check]) -> dict[str, Any]:
    """The JSON schema of the configuration file, derived from the checks' metadata."""
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
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://kubelint.dev/schemas/kubelint-config.schema.json",
        "title": "kubelint configuration (.kubelint.yaml)",
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "select": {
                **_ID_LIST,
                "description": "check ids or groups to run (replaces the defaults)",
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
                "description": "path glob -> check ids or groups not reported for those files",
            },
            "kube-version": {
                "type": "string",
                "pattern": r"^(v?1\.(0|[1-9][0-9]*)|latest)$",
                "description": "Kubernetes version whose Pod Security Standards apply "
                "(1.N or latest; default: the newest kubelint knows)",
            },
            "crd-paths": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "folders, relative to this file, whose CustomResourceDefinitions "
                "give custom resources their schemas (besides the linted tree)",
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
            "checks": {
                "type": "object",
                "properties": per_check,
                "additionalProperties": False,
                "description": "per-check severity and options",
            },
        },
    }


@dataclass
class Config:
    path: Path | None = None
    #: Folder that relative paths in the configuration are taken from.
    base: Path = field(default_factory=Path.cwd)
    select: list[str] | None = None
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


def find_config(start: Path) -> Path | None:
    """The nearest configuration file from ``start`` up to the repository root."""
    directory = start.resolve()
    while True:
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        if (directory / ".git").exists() or directory.parent == directory:
            return None
        directory = directory.parent


def load_config(path: Path, checks: Mapping[str, Check], known_ids: Iterable[str]) -> Config:
    """Read and validate a configuration file; every problem is a :class:`ConfigError`."""
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

    import jsonschema

    validator = jsonschema.Draft7Validator(config_schema(checks.values()))
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        keypath = tuple(error.absolute_path)
        shown = ".".join(map(str, keypath)) or "(top level)"
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for extra in (k for k in error.instance if k not in allowed):
                full = keypath + (extra,)
                hint = "unknown check id" if keypath == ("checks",) else "unknown key"
                problems.append(f"{where(full)}: {'.'.join(map(str, full))}: {hint} '{extra}'")
            continue
        problems.append(f"{where(keypath)}: {shown}: {error.message}")
    if not problems:
        known = set(known_ids)
        for key in ("select", "ignore"):
            for index, name in enumerate(data.get(key) or []):
                if name not in known:
                    problems.append(
                        f"{where((key, index))}: {key}: unknown check or group '{name}'"
                    )
        for glob, ids in (data.get("per-path-ignores") or {}).items():
            for index, name in enumerate(ids):
                if name not in known:
                    problems.append(
                        f"{where(('per-path-ignores', glob, index))}: per-path-ignores: "
                        f"unknown check or group '{name}'"
                    )
    if problems:
        raise ConfigError("invalid configuration:\n  " + "\n  ".join(problems))

    checks_conf: dict[str, dict[str, Any]] = data.get("checks") or {}
    try:
        kube_version = parse_version(data.get("kube-version", "latest"))
    except VersionError as exc:  # pragma: no cover - the schema's pattern catches it first
        raise ConfigError(f"{where(('kube-version',))}: {exc}") from None
    return Config(
        path=path,
        base=path.parent,
        select=data.get("select"),
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
        pod_templates={
            kind: tuple(path.split(".")) for kind, path in (data.get("pod-templates") or {}).items()
        },
    )
