"""The wheel carries everything the app finds at run time (resources, migrations)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _tracked(prefix: str) -> set[str]:
    out = subprocess.run(["git", "ls-files", prefix], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        return {str(p.relative_to(ROOT)) for p in (ROOT / prefix).rglob("*") if p.is_file()}
    return set(out.stdout.split())


def test_wheel_ships_resources_and_migrations(tmp_path):
    had_build = (ROOT / "build").exists()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
             "-w", str(tmp_path), str(ROOT)],
            capture_output=True, text=True,
        )
    finally:
        if not had_build:  # setuptools builds in the source tree; leave it as it was
            shutil.rmtree(ROOT / "build", ignore_errors=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (wheel,) = tmp_path.glob("luch-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = {n for n in _tracked("resources") | _tracked("records/migrations")
              if not n.endswith(".ts") and "__pycache__" not in n}
    assert wanted, "nothing tracked under resources/"
    missing = sorted(wanted - names)
    assert not missing, f"the wheel lacks {missing[:5]}"
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)
