"""Third-party checks through the `kubelint.checks` entry-point group, and failing closed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import ROOT, run_process

POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:latest\n"


def install_fake_dist(site: Path, name: str, entry_points: str, modules: dict[str, str]) -> None:
    """Make ``site`` look like an installed distribution (what pip would write)."""
    dist = site / f"{name}-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[kubelint.checks]\n{entry_points}\n")
    for module, text in modules.items():
        (site / f"{module}.py").write_text(text)


def test_example_plugin_is_discovered_and_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_fake_dist(
        site,
        "kubelint_example_plugin",
        "latest-image-tag = kubelint_example_plugin.latest_image_tag",
        {},
    )
    env = {"PYTHONPATH": f"{site}:{ROOT / 'examples' / 'plugin'}"}
    (tmp_path / "pod.yaml").write_text(POD)
    listed = run_process(["--list-checks"], cwd=tmp_path, env=env)
    assert "latest-image-tag" in listed.stdout
    result = run_process(["pod.yaml", "--select", "latest-image-tag"], cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert (
        "pod.yaml:8:7: warning latest-image-tag container 'web' uses an unpinned image"
        in result.stdout
    )


def test_crashing_plugin_check_is_named_and_exits_3(tmp_path: Path) -> None:
    site = tmp_path / "site"
    crashing = (
        "from kubelint.checks.base import CheckMeta\n"
        "META = CheckMeta(id='boom', summary='s', severity='error', remediation='r')\n"
        "def check(obj, ctx, params):\n    raise RuntimeError('bad plugin')\n"
    )
    install_fake_dist(site, "boom_plugin", "boom = boom_check", {"boom_check": crashing})
    (tmp_path / "pod.yaml").write_text(POD)
    result = run_process(
        ["pod.yaml", "--select", "boom"], cwd=tmp_path, env={"PYTHONPATH": str(site)}
    )
    assert result.returncode == 3
    assert "check 'boom' crashed on Pod 'web' at pod.yaml:1:1: RuntimeError" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_plugin_that_fails_to_import_is_an_error_by_name(tmp_path: Path) -> None:
    site = tmp_path / "site"
    install_fake_dist(site, "broken_plugin", "broken = does_not_exist", {})
    (tmp_path / "pod.yaml").write_text(POD)
    result = run_process(["pod.yaml"], cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert result.returncode == 3
    assert "plugin 'broken' (does_not_exist) failed to load: ModuleNotFoundError" in result.stderr


def test_plugin_reusing_a_builtin_id_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dup = (
        "from kubelint.checks.base import CheckMeta\n"
        "META = CheckMeta(id='privileged-container', summary='s', severity='error', remediation='r')\n"
        "def check(obj, ctx, params):\n    return []\n"
    )
    install_fake_dist(site, "dup_plugin", "dup = dup_check", {"dup_check": dup})
    (tmp_path / "pod.yaml").write_text(POD)
    result = run_process(["pod.yaml"], cwd=tmp_path, env={"PYTHONPATH": str(site)})
    assert result.returncode == 3
    assert "two checks share the id 'privileged-container'" in result.stderr


def _python(code: str, site: Path | None = None) -> str:
    """What ``code`` prints in a new interpreter (with ``site`` on its path)."""
    env = {**os.environ, "PYTHONPATH": str(site) if site else ""}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout.strip()


def test_without_plugins_the_distribution_scan_is_skipped() -> None:
    # importlib.metadata (and what it imports) costs more than a one-file lint's own work.
    code = (
        "import sys\nfrom kubelint.checks import registry, plugin_providers\n"
        "registry(); plugin_providers()\nprint('importlib.metadata' in sys.modules)"
    )
    assert _python(code) == "False"


def test_a_distribution_declaring_the_group_is_seen(tmp_path: Path) -> None:
    site = tmp_path / "site"
    dist = site / "acme_providers-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nx = y\n\n[kubelint.providers]\na = b\n"
    )
    (site / "other-2.0.egg-info").mkdir()
    code = (
        "from kubelint.checks.entry_points import may_declare\n"
        "print(may_declare('kubelint.providers'), may_declare('kubelint.checks'))"
    )
    assert _python(code, site) == "True False"


def test_a_zip_on_the_path_is_left_to_importlib_metadata(tmp_path: Path) -> None:
    # The quick look cannot list a zip: it answers "maybe", never a wrong "no".
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("x-1.0.dist-info/entry_points.txt", "[kubelint.checks]\nx = y\n")
    code = "from kubelint.checks.entry_points import may_declare\nprint(may_declare('kubelint.checks'))"
    assert _python(code, archive) == "True"
