"""The frozen app's .deb (``installer/build.sh --frozen``), installed with apt into a fresh
Debian 12 root that holds nothing but it and its Depends: as a plain user ``luch --version``,
``luch open <demo> --screenshot``, ``luch analyze <demo> --json - --save`` and ``luch
transcribe <WAV> --json`` work and every library of Qt's core and platform plugins is found;
an upgrade to a second build of a higher version keeps the records and settings made before
(the new version reads them); ``remove`` and ``purge`` leave the user's data.

The second build is the same freeze stamped with the next patch version (``LUCH_VERSION``,
build.sh): a second freeze would add 17-32 minutes. It needs a frozen folder made before
(``installer/freeze.sh``), named by ``LUCH_FROZEN_DIR``, and the Python that froze it
(PyInstaller, for the package's LICENSES), as ``PYTHON`` or running the test:
``LUCH_FROZEN_DIR=dist/luch installer/run.sh test tests/test_frozen_deb.py``. Marked
``frozen``: without ``LUCH_FROZEN_DIR`` it is deselected (tests/conftest.py), as CI cannot
afford the freeze each run; 7-10 min at load 7-13 and up to 5.7 GiB of disk beside the freeze
(docs/installing.md).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.debroot import DebianRoot
from tests.plugins.ci_guard import need
from tests.screens import chest_fractions, read_gray, split_views
from tests.test_deb_install import (
    QT_LIBS,
    REPORT,
    _apt_install,
    _check_needs,
    _keepsakes,
    _kept,
    _Laps,
    _ok,
)

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.frozen, pytest.mark.timeout(2400)]

DEMO = "/opt/luch/_internal/resources/demo/chest-ct"


def _frozen_versions(frozen: Path) -> tuple[str, str]:
    """The version the freeze carries (its luch-*.dist-info) and the next patch release."""
    meta = next((frozen / "_internal").glob("luch-*.dist-info"))
    version = meta.name.removeprefix("luch-").removesuffix(".dist-info")
    *head, last = re.match(r"\d+(\.\d+)*", version).group().split(".")
    return version, ".".join([*head, str(int(last) + 1)])


def _build(frozen: Path, out: Path, version: str) -> Path:
    env = {**os.environ, "PYTHON": os.environ.get("PYTHON", sys.executable),
           "LUCH_VERSION": version}
    proc = subprocess.run(["nice", "-n", "5", str(ROOT / "installer" / "build.sh"), "--frozen",
                           str(frozen), str(out)], capture_output=True, text=True,
                          timeout=1800, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    deb = out / f"luch_{version}_amd64.deb"
    assert deb.is_file()
    return deb


def _ai_result(database: Path, result_id: int) -> tuple[str, str]:
    """The stored AI result's UID and grade, read from the user's records on the host (the
    root has no Python)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        uid, values = db.execute('SELECT uid, "values" FROM ai_result WHERE id = ?',
                                 (result_id,)).fetchone()
    return uid, json.loads(values)["grade"]


def test_frozen_deb_installs_runs_upgrades_and_removes_in_a_fresh_debian_root(
        shared_data: Path):
    frozen = Path(os.environ["LUCH_FROZEN_DIR"])  # set, or the test is deselected
    need((frozen / "luch").is_file(), f"LUCH_FROZEN_DIR={frozen} is not a frozen app folder "
                                      "(installer/freeze.sh makes one)")
    _check_needs()
    old, new = _frozen_versions(frozen)
    work = Path(tempfile.mkdtemp(prefix="luch-frozen-deb-test-"))
    root = None
    lap = _Laps()
    try:
        deb_old = _build(frozen, work / "old", old)
        deb_new = _build(frozen, work / "new", new)
        info = subprocess.run(["dpkg-deb", "-I", str(deb_old)], capture_output=True, text=True,
                              check=True).stdout
        assert "python3" not in info, "the frozen app carries its own Python"
        lap.laps.append(f"package {deb_old.stat().st_size / 1e9:.2f} GB")
        lap("two package builds")

        root = DebianRoot(work)
        home = root.add_user("reader")
        data = home / ".local" / "share" / "luch"
        data.mkdir(parents=True)
        (data / "settings.json").write_text('{"ai.autorun": false}')
        for p in (home / ".local", home / ".local" / "share", data, data / "settings.json"):
            shutil.chown(p, 1000, 1000)
        (root.path / "tmp" / "report.jsonl").write_text(json.dumps(REPORT) + "\n")
        wav = root.put(shared_data / "speech" / "digits-en-16k.wav", "digits.wav")
        keepsakes = _keepsakes(data)
        _ok(root.run("apt-get update -q", timeout=600), "apt-get update")
        lap("fresh root, apt-get update")

        # 1. Install: apt resolves the Depends; nothing to make (no venv).
        _apt_install(root, inside := root.put(deb_old, deb_old.name))
        (root.path / inside.lstrip("/")).unlink()
        deb_old.unlink()
        lap("apt-get install")
        installed = _ok(root.run("du -sm /opt/luch"), "du").split()[0]
        lap.laps.append(f"/opt/luch {installed} MB")

        qt = "/opt/luch/_internal/PySide6"
        missing = _ok(root.run(" ; ".join(f"LD_LIBRARY_PATH=/opt/luch/_internal ldd {qt}/{lib}"
                                          for lib in QT_LIBS)), "ldd")
        assert "not found" not in missing, \
            "a library Qt needs is neither bundled nor in Depends:\n" + "\n".join(
                line for line in missing.splitlines() if "not found" in line)

        # 2. The app's commands, as a plain user.
        def luch(args: str) -> str:
            return _ok(root.run(f"luch {args}", user="reader", timeout=900), f"luch {args}")

        def timed(name: str, args: str) -> str:
            start = time.monotonic()
            out = luch(args)
            lap.laps.append(f"{name} {time.monotonic() - start:.0f} s")
            return out

        version = luch("--version")
        assert version.startswith(f"luch {old}\n"), version
        assert "AI model: " in version and "speech models: tiny.en" in version, version
        timed("open --screenshot", f"open {DEMO} --screenshot /home/reader/out.png")
        gray = read_gray(home / "out.png")
        views = split_views(gray)
        assert len(views) == 2, "the demo hangs as axial + coronal"
        assert all(view.std() > 40 for view in views), "a view is blank"
        lung, _, bright = chest_fractions(gray)
        assert lung > 0.25 and bright > 0.15, (lung, bright)

        result = json.loads(timed("analyze", f"analyze {DEMO} --json - --save"))
        assert result["grade"] in {f"CT-{n}" for n in range(5)}
        volumes = result["volumes_ml"]
        assert volumes["lung_left"] > 500 and volumes["lung_right"] > 500, volumes
        saved = result["saved_ai_result_id"]

        speech = json.loads(timed("transcribe", f"transcribe {wav} --json"))
        words = " ".join(w["word"] for w in speech["words"]).lower()
        assert "three" in words and "eight" in words, words
        lap("the app's commands")

        # 3. Records made before the upgrade: the AI result and an imported report (queued).
        database = data / "records.sqlite3"
        before = _ai_result(database, saved)
        assert before[1] == result["grade"], before
        imported = luch("import-reports /tmp/report.jsonl")
        assert imported.startswith("imported 1, already imported 0;"), imported
        waiting = imported.split(";")[1]

        # 4. Upgrade to the higher version: the new files replace the old, the data stays.
        _apt_install(root, inside := root.put(deb_new, deb_new.name))
        (root.path / inside.lstrip("/")).unlink()
        deb_new.unlink()
        lap("upgrade")
        assert (root.path / f"opt/luch/_internal/luch-{new}.dist-info").is_dir()
        assert not (root.path / f"opt/luch/_internal/luch-{old}.dist-info").exists()
        assert luch("--version").startswith(f"luch {new}\n")
        again = luch("import-reports /tmp/report.jsonl")  # the new version reads the records
        assert again == f"imported 0, already imported 1;{waiting}", again
        assert _ai_result(database, saved) == before
        assert json.loads((data / "settings.json").read_text()) == {"ai.autorun": False}
        _kept(keepsakes)

        # 5. Remove, then purge: the program goes, the reader's data stays.
        _ok(root.run("apt-get remove -y -q luch"), "apt-get remove")
        assert not (root.path / "opt/luch").exists()
        assert not (root.path / "usr/bin/luch").exists()
        assert database.is_file() and (data / "settings.json").is_file()
        _ok(root.run("apt-get purge -y -q luch"), "apt-get purge")
        status = root.run("dpkg-query -W -f='${Status}' luch")
        assert "install ok installed" not in status.stdout
        assert database.is_file()
        _kept(keepsakes)
        lap("checks, remove and purge")
        print(version.splitlines()[0] + "; " + "; ".join(lap.laps))
    finally:
        if root is not None:
            root.remove()
        shutil.rmtree(work, ignore_errors=True)
