"""Regenerate schemas/kubernetes/: compact JSON schemas of the built-in kinds per version.

    python scripts/build_schemas.py [--wheel PATH]

The source is the PyPI package kubernetes-validate (Apache License 2.0), which ships JSON
schemas derived from the official Kubernetes OpenAPI definitions for each minor version.
Without --wheel, the script downloads it with pip (development only: kubelint itself never
touches the network). For each version it keeps the top-level kinds (no *List kinds) and
the definitions they reach, strips descriptions, formats and x-kubernetes-* annotations,
stores every shared definition once, and writes v1.N.json.gz with a fixed gzip timestamp
so that the output is reproducible.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "schemas" / "kubernetes"
PACKAGE = "kubernetes-validate"
_DIR_RE = re.compile(r"kubernetes-json-schema/v1\.(\d+)\.0-local-strict/_definitions\.json$")
_DROP = {"description", "format"}


def clean(schema: Any) -> Any:
    """Drop documentation and annotations; keep the validation keywords."""
    if isinstance(schema, list):
        return [clean(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in _DROP or key.startswith("x-kubernetes"):
            continue
        # property names are data, not keywords: keep them all
        out[key] = {p: clean(s) for p, s in value.items()} if key == "properties" else clean(value)
    return out


def refs(schema: Any) -> set[str]:
    return set(re.findall(r'"\$ref": "#/\$defs/([^"]+)"', json.dumps(schema)))


def bundle(definitions: dict[str, Any], minor: int) -> dict[str, Any]:
    kinds: dict[str, dict[str, str]] = {}
    for name, schema in definitions.items():
        if name.startswith("io.k8s.apimachinery."):
            continue  # DeleteOptions, WatchEvent, Status...: API machinery, not manifests
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            if gvk["kind"].endswith("List"):
                continue
            group_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            kinds.setdefault(group_version, {})[gvk["kind"]] = name
    direct = {name: refs(schema) for name, schema in definitions.items()}
    closure: dict[str, list[str]] = {}
    keep: set[str] = set()
    for group in kinds.values():
        for name in group.values():
            seen: set[str] = set()
            stack = [name]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack.extend(direct[current])
            closure[name] = sorted(seen)
            keep |= seen
    return {
        "version": f"1.{minor}",
        "source": f"{PACKAGE} (Apache-2.0), from the Kubernetes OpenAPI definitions",
        "kinds": kinds,
        "closure": closure,
        "defs": {name: clean(definitions[name]) for name in sorted(keep)},
    }


def _ranges(minors: list[int]) -> list[list[int]]:
    ranges: list[list[int]] = []
    for minor in minors:
        if ranges and ranges[-1][1] == minor - 1:
            ranges[-1][1] = minor
        else:
            ranges.append([minor, minor])
    return ranges


def download(target: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--quiet",
            "-d",
            str(target),
            PACKAGE,
        ],
        check=True,
    )
    return next(target.glob("kubernetes_validate-*.whl"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--wheel", type=Path, help="a kubernetes-validate wheel (default: download)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or download(Path(tmp))
        served: dict[str, dict[str, list[int]]] = {}
        with zipfile.ZipFile(wheel) as archive:
            for member in sorted(archive.namelist()):
                match = _DIR_RE.search(member)
                if not match:
                    continue
                minor = int(match.group(1))
                data = bundle(json.loads(archive.read(member))["$defs"], minor)
                for group_version, kinds in data["kinds"].items():
                    for kind in kinds:
                        served.setdefault(group_version, {}).setdefault(kind, []).append(minor)
                raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
                path = OUT / f"v1.{minor}.json.gz"
                path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
                print(
                    f"{path.relative_to(OUT.parent.parent)}: {len(raw)} bytes, {path.stat().st_size} gzipped"
                )
            # Which bundled versions serve each apiVersion/kind, as [first, last] ranges.
            index = {
                gv: {kind: _ranges(sorted(minors)) for kind, minors in sorted(kinds.items())}
                for gv, kinds in sorted(served.items())
            }
            (OUT / "apis.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
            license_name = next(n for n in archive.namelist() if n.endswith("licenses/LICENSE"))
            (OUT / "LICENSE").write_bytes(archive.read(license_name))
            version = wheel.name.split("-")[1]
            (OUT / "SOURCE").write_text(f"{PACKAGE} {version}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
