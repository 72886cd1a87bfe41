"""The frozen app's .deb (``installer/build.sh --frozen``), installed with apt into a fresh
Debian 12 root that holds nothing but it and its Depends: as a plain user ``luch --version``
and ``luch open <demo> --screenshot`` work, every library of Qt's core and platform plugins is
found, and ``purge`` leaves the user's data.

It needs a frozen folder made before (``installer/freeze.sh``, ~17 min, 2.2 GB), named by
``LUCH_FROZEN_DIR``, and the Python that froze it (PyInstaller, for the package's LICENSES):
run it after a freeze, with that Python:
``LUCH_FROZEN_DIR=dist/luch installer/run.sh test tests/test_frozen_deb.py``. Marked
``frozen``: without ``LUCH_FROZEN_DIR`` it is deselected (tests/conftest.py), as CI cannot
afford the freeze each run; ~3-6 min and ~6 GB of disk beside the freeze.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.debroot import DebianRoot
from tests.plugins.ci_guard import need
from tests.screens import chest_fractions, read_gray, split_views
from tests.test_deb_install import QT_LIBS, _apt_install, _check_needs, _ok

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.frozen, pytest.mark.timeout(2400)]


def test_frozen_deb_installs_and_runs_in_a_fresh_debian_root():
    frozen = Path(os.environ["LUCH_FROZEN_DIR"])  # set, or the test is deselected
    need((frozen / "luch").is_file(), f"LUCH_FROZEN_DIR={frozen} is not a frozen app folder "
                                      "(installer/freeze.sh makes one)")
    _check_needs()
    work = Path(tempfile.mkdtemp(prefix="luch-frozen-deb-test-"))
    root = None
    laps: list[str] = []
    last = time.monotonic()

    def lap(name: str) -> None:
        nonlocal last
        now = time.monotonic()
        laps.append(f"{name} {now - last:.0f} s")
        last = now

    try:
        env = {**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable)}
        proc = subprocess.run([str(ROOT / "installer" / "build.sh"), "--frozen", str(frozen),
                               str(work / "out")], capture_output=True, text=True, timeout=1800,
                              env=env)
        assert proc.returncode == 0, proc.stderr[-3000:]
        deb = next((work / "out").glob("luch_*_amd64.deb"))
        info = subprocess.run(["dpkg-deb", "-I", str(deb)], capture_output=True, text=True,
                              check=True).stdout
        assert "python3" not in info, "the frozen app carries its own Python"
        laps.append(f"package {deb.stat().st_size / 1e9:.2f} GB")
        lap("build")

        root = DebianRoot(work)
        home = root.add_user("reader")
        data = home / ".local" / "share" / "luch"
        data.mkdir(parents=True)
        (data / "settings.json").write_text('{"ai.autorun": false}')
        for p in (home / ".local", home / ".local" / "share", data, data / "settings.json"):
            shutil.chown(p, 1000, 1000)
        _ok(root.run("apt-get update -q", timeout=600), "apt-get update")
        lap("fresh root, apt-get update")
        _apt_install(root, inside := root.put(deb, deb.name))
        (root.path / inside.lstrip("/")).unlink()
        deb.unlink()
        lap("apt-get install")
        installed = _ok(root.run("du -sm /opt/luch"), "du").split()[0]
        laps.append(f"/opt/luch {installed} MB")

        qt = "/opt/luch/_internal/PySide6"
        missing = _ok(root.run(" ; ".join(f"LD_LIBRARY_PATH=/opt/luch/_internal ldd {qt}/{lib}"
                                          for lib in QT_LIBS)), "ldd")
        assert "not found" not in missing, \
            "a library Qt needs is neither bundled nor in Depends:\n" + "\n".join(
                line for line in missing.splitlines() if "not found" in line)

        def luch(args: str) -> str:
            return _ok(root.run(f"luch {args}", user="reader", timeout=900), f"luch {args}")

        version = luch("--version")
        assert version.startswith("luch ") and "AI model: " in version, version
        start = time.monotonic()
        luch("open /opt/luch/_internal/resources/demo/chest-ct --screenshot /home/reader/out.png")
        laps.append(f"luch open --screenshot {time.monotonic() - start:.0f} s")
        gray = read_gray(home / "out.png")
        views = split_views(gray)
        assert len(views) == 2, "the demo hangs as axial + coronal"
        assert all(view.std() > 40 for view in views), "a view is blank"
        lung, _, bright = chest_fractions(gray)
        assert lung > 0.25 and bright > 0.15, (lung, bright)
        lap("the app's commands")

        _ok(root.run("apt-get purge -y -q luch"), "apt-get purge")
        assert not (root.path / "opt/luch").exists()
        assert not (root.path / "usr/bin/luch").exists()
        assert (data / "settings.json").is_file()
        lap("purge")
        print(version.splitlines()[0] + "; " + "; ".join(laps))
    finally:
        if root is not None:
            root.remove()
        shutil.rmtree(work, ignore_errors=True)
