"""The build step (hatch_build.py): the compiled YAML reader is optional.

kubelint must install on a machine without a C compiler: the step then warns and builds
a pure-Python wheel, which reads YAML through PyYAML with the same results
(tests/test_fastread.py holds the two read paths together).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))
import hatch_build  # noqa: E402

sys.path.remove(str(ROOT))


def _hook(tmp_path: Path) -> Any:
    return hatch_build.FastReadHook(
        str(ROOT),
        {},
        None,
        None,
        str(tmp_path),
        "wheel",  # type: ignore[arg-type]
    )


def _build_data() -> dict[str, Any]:
    return {"pure_python": True, "infer_tag": False, "force_include": {}}


def test_without_a_compiler_the_reader_cannot_be_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    with pytest.raises(Exception):  # noqa: B017  (setuptools' own error classes)
        hatch_build.compile_reader(tmp_path / "lib", tmp_path / "temp")
    assert not list((tmp_path / "lib").rglob("*.so"))


def test_a_failed_compile_builds_a_pure_wheel_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("KUBELINT_PURE_PYTHON", raising=False)
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    data = _build_data()
    _hook(tmp_path).initialize("standard", data)
    assert data == _build_data()  # a pure wheel, nothing added
    assert "compiled YAML reader not built" in capsys.readouterr().err


def test_the_pure_build_can_be_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KUBELINT_PURE_PYTHON", "1")

    def must_not_compile(*_: object) -> Path:
        raise AssertionError("compiled although KUBELINT_PURE_PYTHON is set")

    monkeypatch.setattr(hatch_build, "compile_reader", must_not_compile)
    data = _build_data()
    _hook(tmp_path).initialize("standard", data)
    assert data == _build_data()


def test_a_compiled_reader_goes_into_the_wheel_under_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KUBELINT_PURE_PYTHON", raising=False)
    built = tmp_path / "lib" / "kubelint" / "loader" / "_fastread.cpython-311-x86_64-linux-gnu.so"
    monkeypatch.setattr(hatch_build, "compile_reader", lambda out, temp: built)
    data = _build_data()
    _hook(tmp_path).initialize("standard", data)
    assert data["pure_python"] is False and data["infer_tag"] is True
    assert data["force_include"] == {str(built): f"kubelint/loader/{built.name}"}


def test_the_sources_it_compiles_ship_in_the_sdist() -> None:
    for source in hatch_build.SOURCES:
        assert source.is_file(), source
    assert (hatch_build.LIBYAML / "License").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"csrc"' in pyproject and '"hatch_build.py"' in pyproject
    assert os.path.isfile(ROOT / "csrc" / "libyaml" / "PROVENANCE.md")


def test_a_failed_compile_leaves_no_scratch_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.delenv("KUBELINT_PURE_PYTHON", raising=False)
    monkeypatch.setenv("CC", str(tmp_path / "no-such-compiler"))
    _hook(tmp_path).initialize("standard", _build_data())
    assert list(temp.iterdir()) == []


def test_the_scratch_folder_goes_once_the_wheel_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every build used to leave a kubelint-build-* folder of object files in the temp dir.
    temp = tmp_path / "temp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.delenv("KUBELINT_PURE_PYTHON", raising=False)

    def compile_reader(out: Path, scratch: Path) -> Path:
        scratch.mkdir(parents=True)
        (scratch / "fastread.o").write_bytes(b"object")
        built = out / "kubelint" / "loader" / "_fastread.so"
        built.parent.mkdir(parents=True)
        built.write_bytes(b"module")
        return built

    monkeypatch.setattr(hatch_build, "compile_reader", compile_reader)
    hook = _hook(tmp_path)
    data = _build_data()
    hook.initialize("standard", data)
    (built,) = data["force_include"]
    assert Path(built).read_bytes() == b"module"  # still there for the wheel to take
    hook.finalize("standard", data, str(tmp_path / "kubelint.whl"))
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("version", ["editable", "standard"])
def test_an_editable_build_removes_the_module_an_earlier_one_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str
) -> None:
    # Else `KUBELINT_PURE_PYTHON=1 pip install -e .`, or a build whose compiler fails,
    # would keep loading a module compiled from older sources.
    monkeypatch.setenv("KUBELINT_PURE_PYTHON", "1")
    monkeypatch.setattr(hatch_build, "PACKAGE_DIR", tmp_path)
    stale = tmp_path / "_fastread.cpython-311-x86_64-linux-gnu.so"
    stale.write_bytes(b"old")
    _hook(tmp_path).initialize(version, _build_data())
    assert stale.exists() == (version == "standard")
