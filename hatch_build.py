"""Build step: compile kubelint's optional YAML reader (csrc/) into the wheel.

kubelint reads manifests through ``kubelint.loader._fastread`` when it is built, and
through PyYAML otherwise, with identical results (tests/loader/test_fastread.py). So a
machine without a C compiler still installs kubelint: the build says so and goes on.
Set ``KUBELINT_PURE_PYTHON=1`` to build without it on purpose.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

ROOT = Path(__file__).parent
MODULE = "kubelint.loader._fastread"
LIBYAML = ROOT / "csrc" / "libyaml"
#: Where an editable install puts the compiled module, beside loader/fastread.py.
PACKAGE_DIR = ROOT / "kubelint" / "loader"
#: libyaml's parser and what it needs (no emitter, no document API).
SOURCES = [
    ROOT / "csrc" / "fastread.c",
    *(LIBYAML / "src" / name for name in ("api.c", "reader.c", "scanner.c", "parser.c")),
]
#: What libyaml's configure step would write into config.h.
MACROS = [
    ("YAML_VERSION_MAJOR", "0"),
    ("YAML_VERSION_MINOR", "2"),
    ("YAML_VERSION_PATCH", "5"),
    ("YAML_VERSION_STRING", '"0.2.5"'),
    ("YAML_DECLARE_STATIC", None),
]


def compile_reader(out_dir: Path, temp_dir: Path) -> Path:
    """Compile the reader into ``out_dir`` (as the package path wants it); return the file.

    Raises whatever the compiler step raises when it cannot build.
    """
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    unix = os.name == "posix"
    extension = Extension(
        MODULE,
        sources=[str(path.relative_to(ROOT)) for path in SOURCES],
        include_dirs=[str(LIBYAML / "include"), str(LIBYAML / "src")],
        # Rebuilt when a header changes too, not only a source.
        depends=[
            str((LIBYAML / "include" / "yaml.h").relative_to(ROOT)),
            str((LIBYAML / "src" / "yaml_private.h").relative_to(ROOT)),
        ],
        define_macros=MACROS,
        # libyaml's functions stay private to the module.
        extra_compile_args=["-fvisibility=hidden", "-w"] if unix else [],
    )
    command = build_ext(Distribution({"name": "kubelint", "ext_modules": [extension]}))
    command.build_lib = str(out_dir)
    command.build_temp = str(temp_dir)
    command.ensure_finalized()
    cwd = os.getcwd()
    os.chdir(ROOT)  # sources are named relative to the project, as setuptools prefers
    try:
        command.run()
    finally:
        os.chdir(cwd)
    return Path(command.get_ext_fullpath(MODULE))


class FastReadHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"
    #: The compiler's scratch folder, kept until the wheel has taken the module from it.
    scratch: Path | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        editable = version == "editable"
        if editable:
            # A module left by an earlier editable install would be loaded whatever this
            # build does: it is removed first (compiled again below, or not at all).
            for stale in PACKAGE_DIR.glob("_fastread.*"):
                stale.unlink()
        if os.environ.get("KUBELINT_PURE_PYTHON"):
            self.app.display_info("kubelint: KUBELINT_PURE_PYTHON is set; pure-Python YAML reader")
            return
        scratch = self.scratch = Path(tempfile.mkdtemp(prefix="kubelint-build-"))
        try:
            built = compile_reader(ROOT if editable else scratch / "lib", scratch / "temp")
        except Exception as exc:  # no compiler, no headers: the pure-Python reader serves
            self._remove_scratch()
            first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.app.display_warning(
                f"kubelint: the compiled YAML reader was not built ({first}); "
                "kubelint works the same, reading YAML more slowly"
            )
            print(f"kubelint: compiled YAML reader not built: {first}", file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if not editable:
            target = "/".join(MODULE.split(".")[:-1]) + "/" + built.name
            build_data["force_include"][str(built)] = target

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        self._remove_scratch()

    def _remove_scratch(self) -> None:
        """Remove the object files (and a non-editable wheel's copy of the module)."""
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)
            self.scratch = None
