"""The .deb, installed with apt into a fresh Debian 12 root (mmdebstrap, chroot) that holds
nothing but the package and the Depends apt resolves from the mirror (no Recommends): the app
runs there as a plain user, an upgrade to a higher version keeps the user's records and
settings, and removal keeps them too.

The whole run takes 5.5-13 minutes on the shared 2-core box by its load (docs/installing.md: two
package builds ~2 min, the first install with its Depends ~5 min, the upgrade ~4 min, the
app's commands ~1 min) and needs about 12 GB of disk for a moment, all removed after.
Not in the default run (``-m 'not package'`` in pyproject's addopts): run it with
``installer/run.sh test -m package tests/test_deb_install.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import pytest

from tests.debroot import DebianRoot
from tests.plugins.ci_guard import require
from tests.screens import chest_fractions, read_gray, split_views

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.package, pytest.mark.timeout(2700)]

REPORT = {"study": {"study_instance_uid": "1.2.826.0.1.3680043.8.498.20202020",
                    "patient_id": "PKG-TEST", "patient_name": "Upgrade^Test",
                    "study_date": "20260101", "accession_number": "PKG1"},
          "fields": {}, "text": "No pneumonia.", "status": "final", "author": "dr package test"}
# Qt's core and widgets and the platform plugins a station uses: X11, Wayland, offscreen.
QT_LIBS = ("QtCore.abi3.so", "QtGui.abi3.so", "QtWidgets.abi3.so",
           "Qt/plugins/platforms/libqxcb.so", "Qt/plugins/platforms/libqwayland.so",
           "Qt/plugins/platforms/libqoffscreen.so")


class _Laps:
    """Seconds per phase, printed at the end (``pytest -rP`` shows them)."""

    def __init__(self) -> None:
        self.last, self.laps = time.monotonic(), []

    def __call__(self, name: str) -> None:
        now = time.monotonic()
        self.laps.append(f"{name} {now - self.last:.0f} s")
        self.last = now


def _versions() -> tuple[str, str]:
    """pyproject's version and the next patch release after it."""
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    *head, last = re.match(r"\d+(\.\d+)*", version).group().split(".")
    return version, ".".join([*head, str(int(last) + 1)])


def _build(out: Path, version: str, wheelhouse: Path | None = None) -> Path:
    env = {**os.environ, "PYTHON": sys.executable, "LUCH_VERSION": version}
    if wheelhouse is not None:
        env["LUCH_WHEELHOUSE"] = str(wheelhouse)
    proc = subprocess.run(["nice", "-n", "5", str(ROOT / "installer" / "build.sh"), str(out)],
                          env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]
    deb = out / f"luch_{version}_amd64.deb"
    assert deb.is_file()
    return deb


def _ok(proc: subprocess.CompletedProcess, what: str) -> str:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n" \
                                 f"{proc.stderr[-4000:]}"
    return proc.stdout


def _apt_install(root: DebianRoot, deb: str) -> str:
    return _ok(root.run(f"apt-get install -y -q --no-install-recommends {deb}", timeout=1800),
               f"apt-get install {deb}")


def test_deb_installs_runs_upgrades_and_removes_in_a_fresh_debian_root(shared_data: Path):
    require(shutil.which("mmdebstrap"), "mmdebstrap", "Debian mmdebstrap")
    require(shutil.which("dpkg-deb"), "dpkg-deb", "Debian dpkg")
    require(os.geteuid() == 0, "root (the test chroots into the new root)",
            "nothing: run the tests as root")
    free = shutil.disk_usage(tempfile.gettempdir()).free
    assert free > 15e9, f"the package test needs ~12 GB in {tempfile.gettempdir()}; " \
                        f"{free / 1e9:.1f} GB free"
    old, new = _versions()
    # The commit the packages are built from (read before: a commit made during the build
    # would not be in them).
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True)
    work = Path(tempfile.mkdtemp(prefix="luch-deb-test-"))
    root = None
    lap = _Laps()
    try:
        deb_old = _build(work / "old", old)
        deb_new = _build(work / "new", new, wheelhouse=work / "old" / "wheelhouse")
        lap("two package builds")
        root = DebianRoot(work)
        lap("fresh root")
        home = root.add_user("reader")
        data = home / ".local" / "share" / "luch"
        data.mkdir(parents=True)
        # The reader's own setting: no AI auto-run, so the screenshot shows the CT alone.
        (data / "settings.json").write_text('{"ai.autorun": false}')
        shutil.chown(home / ".local", 1000, 1000)
        for p in (home / ".local" / "share", data, data / "settings.json"):
            shutil.chown(p, 1000, 1000)
        (root.path / "tmp" / "report.jsonl").write_text(json.dumps(REPORT) + "\n")
        wav = root.put(shared_data / "speech" / "digits-en-16k.wav", "digits.wav")

        def luch(args: str, timeout: float = 600) -> str:
            return _ok(root.run(f"luch {args}", user="reader", timeout=timeout), f"luch {args}")

        def venv_python(code: str) -> str:
            return _ok(root.run(f"/opt/luch/venv/bin/python -c '{code}'", user="reader"),
                       f"python -c {code!r}")

        # 1. Install: apt resolves the Depends from the mirror; postinst makes the venv offline.
        _ok(root.run("apt-get update -q", timeout=600), "apt-get update")
        _apt_install(root, root.put(deb_old, deb_old.name))
        lap("apt-get install (Depends and the offline venv)")
        assert (root.path / "opt/luch/venv").resolve().name == f"venv-{old}"
        pyside = venv_python("import PySide6, os; print(os.path.dirname(PySide6.__file__))")
        missing = _ok(root.run(" ; ".join(f"ldd {pyside.strip()}/{lib}" for lib in QT_LIBS)),
                      "ldd")
        assert "not found" not in missing, \
            "a library Qt needs is not in Depends:\n" + "\n".join(
                line for line in missing.splitlines() if "not found" in line)

        # 2. The app runs from the package, as a plain user.
        version = luch("--version")
        assert version.startswith(f"luch {old}\n"), version
        if head.returncode == 0:
            assert f"commit: {head.stdout.strip()}" in version, version
        assert "AI model: " in version and "speech models: tiny.en" in version, version

        demo = venv_python("import core.paths; print(core.paths.DEMO_STUDY)").strip()
        assert demo.startswith(f"/opt/luch/venv-{old}/"), demo
        luch(f"open {demo} --screenshot /home/reader/out.png")
        gray = read_gray(home / "out.png")
        views = split_views(gray)
        assert len(views) == 2, "the demo hangs as axial + coronal"
        for view in views:
            assert view.std() > 40, "a view is blank"
        lung, _, bright = chest_fractions(gray)
        assert lung > 0.25 and bright > 0.15, (lung, bright)

        result = json.loads(luch(f"analyze {demo} --json - --save"))
        assert result["grade"] in {f"CT-{n}" for n in range(5)}
        volumes = result["volumes_ml"]
        assert volumes["lung_left"] > 500 and volumes["lung_right"] > 500, volumes
        saved = result["saved_ai_result_id"]

        speech = json.loads(luch(f"transcribe {wav} --json"))
        words = " ".join(w["word"] for w in speech["words"]).lower()
        assert "three" in words and "eight" in words, words

        lap("the app's commands")

        # 3. Records made before the upgrade: an AI result and an imported report (queued).
        read_back = ("import json, records; s = records.open_store(); "
                     f"r = s.ai_result({saved}); "
                     "print(json.dumps([r.uid, r.values[\"grade\"]]))")
        before = venv_python(read_back)
        imported = luch("import-reports /tmp/report.jsonl")
        assert imported.startswith("imported 1, already imported 0;"), imported
        waiting = imported.split(";")[1]

        # 4. Upgrade to the higher version: a new venv, the old one gone, the data kept.
        _apt_install(root, root.put(deb_new, deb_new.name))
        lap("upgrade")
        assert (root.path / "opt/luch/venv").resolve().name == f"venv-{new}"
        assert not (root.path / f"opt/luch/venv-{old}").exists()
        assert luch("--version").startswith(f"luch {new}\n")
        assert venv_python(read_back) == before
        again = luch("import-reports /tmp/report.jsonl")
        assert again == f"imported 0, already imported 1;{waiting}", again
        assert json.loads((data / "settings.json").read_text()) == {"ai.autorun": False}

        # 5. Remove, then purge: the program goes, the reader's data stays.
        _ok(root.run("apt-get remove -y -q luch"), "apt-get remove")
        assert not (root.path / "usr/bin/luch").exists()
        assert not (root.path / "opt/luch").exists()
        assert (data / "records.sqlite3").is_file() and (data / "settings.json").is_file()
        _ok(root.run("apt-get purge -y -q luch"), "apt-get purge")
        status = root.run("dpkg-query -W -f='${Status}' luch")
        assert "install ok installed" not in status.stdout
        assert (data / "records.sqlite3").is_file()
        lap("checks and removal")
        print("; ".join(lap.laps))
    finally:
        if root is not None:
            root.remove()
        shutil.rmtree(work, ignore_errors=True)
