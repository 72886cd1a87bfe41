"""The wheel carries everything the app finds at run time (resources, migrations), and the
installed wheel, not the checkout, runs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tracked(prefix: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", prefix], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        return {str(p.relative_to(ROOT)) for p in (ROOT / prefix).rglob("*") if p.is_file()}
    return set(out.stdout.split())


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """One wheel built from the checkout for the tests of this module (about 5 s)."""
    out = tmp_path_factory.mktemp("wheel")
    had_build = (ROOT / "build").exists()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
             "-w", str(out), str(ROOT)],
            capture_output=True, text=True,
        )
    finally:
        if not had_build:  # setuptools builds in the source tree; leave it as it was
            shutil.rmtree(ROOT / "build", ignore_errors=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (built,) = out.glob("luch-*.whl")
    return built


def test_wheel_ships_resources_and_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {n for n in _tracked("resources") | _tracked("records/migrations")
              if not n.endswith(".ts") and "__pycache__" not in n}
    assert wanted, "nothing tracked under resources/"
    missing = sorted(wanted - names)
    assert not missing, f"the wheel lacks {missing[:5]}"
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
    assert "app/_build_info.json" in names  # the commit, for `luch --version`


PROBE = "import app, core.paths; print(app.__file__); print(core.paths.DEMO_STUDY)"


@pytest.mark.slow
def test_installed_wheel_runs_version_and_info_from_a_fresh_venv(wheel, tmp_path):
    """The wheel installed with ``pip install --no-deps`` into a fresh venv whose only other
    packages are the project venv's, reached through a ``.pth`` file (installing all the
    dependencies there would take minutes and the box reaches only the package registries).
    A plain path in a ``.pth`` does not run the project venv's own ``.pth`` files, so its
    editable install of the checkout stays out. Run from an empty cwd: the app, its commit
    and the demo study must come from the fresh venv's site-packages. About 8 s."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    fresh = Path(subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip())
    (fresh / "project-venv.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "-q",
                          "--no-deps", "--no-index", str(wheel)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stdout + pip.stderr

    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["LUCH_HOME"] = str(tmp_path / "home")

    def run(*args: str) -> str:
        proc = subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    app_file, demo = run(str(py), "-c", PROBE).split()
    assert Path(app_file).is_relative_to(fresh), app_file
    assert Path(demo).is_relative_to(fresh) and Path(demo).is_dir(), demo

    version = run(str(venv / "bin" / "luch"), "--version")
    recorded = json.loads((fresh / "app" / "_build_info.json").read_text())["commit"]
    assert f"commit: {recorded}\n" in version
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True)
    if head.returncode == 0:
        assert recorded.startswith(head.stdout.strip())
    assert "AI model: " in version and "+post" in version

    info = json.loads(run(str(venv / "bin" / "luch"), "info", demo, "--json"))
    (series,) = info["series"]
    assert series["modality"] == "CT" and series["slices"] > 10
