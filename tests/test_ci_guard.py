"""CI never skips silently: a skip fails a CI session, a missing service fails with its package.

Each case runs pytest in a child process on a tiny test file, with the project's guard plugin.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _pytest(tmp_path: Path, source: str, ci: bool, *plugins: str,
            **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_case.py").write_text(source, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ.update(env, PYTHONPATH=str(PROJECT_ROOT))
    if ci:
        environ["CI"] = "true"
    args = ["-p", "tests.plugins.ci_guard", *[a for p in plugins for a in ("-p", p)]]
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "--rootdir",
         str(tmp_path), *args, str(tmp_path / "test_case.py")],
        cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=120)


SKIPPING = """
import pytest

def test_runs():
    pass

def test_skips():
    pytest.skip("no frobnicator here")
"""


def test_a_skip_fails_the_session_in_ci_only_and_is_counted(tmp_path):
    outside = _pytest(tmp_path, SKIPPING, ci=False)
    assert outside.returncode == 0, outside.stdout
    assert "luch: 1 skipped" in outside.stdout
    inside = _pytest(tmp_path, SKIPPING, ci=True)
    assert inside.returncode == 1, inside.stdout
    assert "CI must skip nothing" in inside.stdout
    assert "test_case.py::test_skips: no frobnicator here" in inside.stdout


def test_ci_without_skips_passes_and_says_so(tmp_path):
    run = _pytest(tmp_path, "def test_runs():\n    pass\n", ci=True)
    assert run.returncode == 0, run.stdout
    assert "luch: 0 skipped" in run.stdout


USES_ORTHANC = """
def test_archive(orthanc):
    raise AssertionError("must not get here: Orthanc is hidden")
"""


def test_ci_fails_when_orthanc_is_hidden_naming_the_package(tmp_path):
    hidden = {"LUCH_ORTHANC": str(tmp_path / "no-such" / "Orthanc"),
              "PATH": os.pathsep.join(p for p in os.environ["PATH"].split(os.pathsep)
                                      if not (Path(p) / "Orthanc").exists())}
    inside = _pytest(tmp_path, USES_ORTHANC, True, "tests.plugins.orthanc", **hidden)
    assert inside.returncode == 1, inside.stdout
    assert "Orthanc" in inside.stdout and "install Debian orthanc" in inside.stdout
    assert "CI must have it" in inside.stdout and "1 error" in inside.stdout
    outside = _pytest(tmp_path, USES_ORTHANC, False, "tests.plugins.orthanc", **hidden)
    assert outside.returncode == 0 and "1 skipped" in outside.stdout, outside.stdout


def test_ci_fails_without_the_dicomweb_plugin(tmp_path):
    inside = _pytest(tmp_path, USES_ORTHANC, True, "tests.plugins.orthanc",
                     LUCH_ORTHANC_DICOMWEB=str(tmp_path / "libOrthancDicomWeb.so"))
    assert inside.returncode == 1, inside.stdout
    assert "install Debian orthanc-dicomweb" in inside.stdout


def test_ci_fails_without_a_python_model_naming_the_pypi_package(tmp_path):
    source = """
from tests.plugins import ci_guard

def test_model():
    ci_guard.importorskip("vosk_model_zz_absent", "vosk-model-zz")
"""
    inside = _pytest(tmp_path, source, ci=True)
    assert inside.returncode == 1 and "install PyPI vosk-model-zz" in inside.stdout, inside.stdout
    outside = _pytest(tmp_path, source, ci=False)
    assert outside.returncode == 0 and "vosk-model-zz" in outside.stdout, outside.stdout
