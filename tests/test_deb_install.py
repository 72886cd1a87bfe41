"""The .deb, installed with apt into a fresh Debian 12 root (mmdebstrap, chroot) that holds
nothing but the package and the Depends apt resolves from the mirror (no Recommends): the app
runs there as a plain user, an upgrade to a higher version keeps the user's records and
settings, and removal keeps them too.

Part of the whole run and so of CI (marked ``package``; ``-m 'not package'`` leaves it out; it
runs last). It takes 5-32 minutes on the shared 2-core box by its load (docs/installing.md:
the first install with its Depends and the upgrade make a venv each, 2-10 min apiece) and
needs about 10 GB of disk in the temporary folder for a moment, all removed after. What it
needs (root, mmdebstrap, unshare, the Debian mirror, free disk) is checked first: missing,
it fails in CI saying what is missing, and skips elsewhere. The third-party wheels are
fetched once and kept in ``~/.cache/luch/wheelhouse/`` by their pins (``LUCH_WHEELHOUSE_CACHE``),
the base root in ``~/.cache/luch/debroot/``.
"""

from __future__ import annotations

import hashlib
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

from tests import debroot
from tests.debroot import DebianRoot
from tests.plugins.ci_guard import need
from tests.screens import chest_fractions, read_gray, split_views

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [pytest.mark.slow, pytest.mark.package, pytest.mark.timeout(2700)]

# Disk the test needs at its peak, the upgrade (9.6 GB sampled, docs/installing.md): the two
# packages (0.95 GB each), the root with its Depends, the wheels unpacked twice and two venvs
# of 3.2 GB while the new one is made beside the old.
DISK_NEEDED = 11e9

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


def _wheelhouse_cache() -> Path:
    """Where the third-party wheels are kept between runs, keyed by what chooses them: the
    speech model pins, pyproject's dependencies, build.sh's torch and the Python version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    torch = [line for line in (ROOT / "installer" / "build.sh").read_text().splitlines()
             if line.startswith("TORCH=")]
    recipe = json.dumps([(ROOT / "installer" / "requirements-models.txt").read_text(),
                         project.get("dependencies", []), torch,
                         os.environ.get("LUCH_TORCH", ""), os.environ.get("LUCH_TORCH_INDEX", ""),
                         sys.version_info[:2]])
    key = hashlib.sha256(recipe.encode()).hexdigest()[:16]
    base = Path(os.environ.get("LUCH_WHEELHOUSE_CACHE")
                or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
                / "luch" / "wheelhouse")
    return base / key


def _keep_wheelhouse(wheelhouse: Path, cache: Path) -> None:
    """The build's third-party wheels into the cache (hard links where possible); caches of
    other recipes go."""
    cache.parent.mkdir(parents=True, exist_ok=True)
    for old in cache.parent.iterdir():
        if old != cache:
            shutil.rmtree(old, ignore_errors=True)
    part = cache.with_name(f"{cache.name}.part{os.getpid()}")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir()
    for wheel in wheelhouse.glob("*.whl"):
        if not wheel.name.startswith("luch-"):
            try:
                os.link(wheel, part / wheel.name)
            except OSError:
                shutil.copyfile(wheel, part / wheel.name)
    part.rename(cache)


def _only_the_package(out: Path, deb: Path) -> None:
    """Everything the build left in ``out`` but the package (the wheelhouse, the wheel)."""
    for path in out.iterdir():
        if path == deb:
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


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


def _keepsakes(data: Path) -> dict[Path, bytes]:
    """A reader's draft and a site model version under LUCH_HOME, as the app leaves them:
    an upgrade, a removal and a purge must leave them as they are (issue 20)."""
    files = {data / "drafts" / "0123456789abcdef0123456789abcdef.json": b'{"fields": {}}',
             data / "models" / "site-20261207" / "card.json": b'{"version": "site"}'}
    for path, content in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        for p in (path.parent.parent, path.parent, path):
            shutil.chown(p, 1000, 1000)
    return files


def _kept(files: dict[Path, bytes]) -> None:
    for path, content in files.items():
        assert path.read_bytes() == content, f"{path.name} was not kept"


def _ok(proc: subprocess.CompletedProcess, what: str) -> str:
    assert proc.returncode == 0, f"{what} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n" \
                                 f"{proc.stderr[-4000:]}"
    return proc.stdout


def _apt_install(root: DebianRoot, deb: str) -> str:
    return _ok(root.run(f"apt-get install -y -q --no-install-recommends {deb}", timeout=1800),
               f"apt-get install {deb}")


def _check_needs() -> None:
    """Fails in CI (skips elsewhere) naming what this machine lacks for the test."""
    need(shutil.which("dpkg-deb"), "the package test needs dpkg-deb (apt-get install dpkg)")
    problem = debroot.host_problem()
    need(problem is None, f"the package test cannot make a Debian root: {problem}")
    problem = debroot.mirror_problem()
    need(problem is None, f"the package test needs the Debian mirror: {problem}")
    tmp = tempfile.gettempdir()
    free = shutil.disk_usage(tmp).free
    need(free > DISK_NEEDED, f"the package test needs {DISK_NEEDED / 1e9:.0f} GB free in {tmp} "
                             f"(TMPDIR); {free / 1e9:.1f} GB free")


def test_deb_installs_runs_upgrades_and_removes_in_a_fresh_debian_root(shared_data: Path):
    _check_needs()
    old, new = _versions()
    # The commit the packages are built from (read before: a commit made during the build
    # would not be in them).
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                          text=True)
    work = Path(tempfile.mkdtemp(prefix="luch-deb-test-"))
    root = None
    lap = _Laps()
    try:
        cache = _wheelhouse_cache()
        cached = cache.is_dir()
        deb_old = _build(work / "old", old, wheelhouse=cache if cached else None)
        if not cached:
            _keep_wheelhouse(work / "old" / "wheelhouse", cache)
        deb_new = _build(work / "new", new, wheelhouse=work / "old" / "wheelhouse")
        _only_the_package(work / "old", deb_old)
        _only_the_package(work / "new", deb_new)
        lap(f"two package builds ({'cached' if cached else 'fetched'} wheels)")
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
        keepsakes = _keepsakes(data)

        def luch(args: str, timeout: float = 600) -> str:
            return _ok(root.run(f"luch {args}", user="reader", timeout=timeout), f"luch {args}")

        def venv_python(code: str) -> str:
            return _ok(root.run(f"/opt/luch/venv/bin/python -c '{code}'", user="reader"),
                       f"python -c {code!r}")

        # 1. Install: apt resolves the Depends from the mirror; postinst makes the venv offline.
        _ok(root.run("apt-get update -q", timeout=600), "apt-get update")
        _apt_install(root, inside := root.put(deb_old, deb_old.name))
        (root.path / inside.lstrip("/")).unlink()  # both links: its 0.95 GB back
        deb_old.unlink()
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
        # the human digits, as words or as digits (Whisper writes either: "... 01803")
        assert ("three" in words or "3" in words) and ("eight" in words or "8" in words), words

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
        _apt_install(root, inside := root.put(deb_new, deb_new.name))
        (root.path / inside.lstrip("/")).unlink()
        deb_new.unlink()
        lap("upgrade")
        assert (root.path / "opt/luch/venv").resolve().name == f"venv-{new}"
        assert not (root.path / f"opt/luch/venv-{old}").exists()
        assert luch("--version").startswith(f"luch {new}\n")
        assert venv_python(read_back) == before
        again = luch("import-reports /tmp/report.jsonl")
        assert again == f"imported 0, already imported 1;{waiting}", again
        assert json.loads((data / "settings.json").read_text()) == {"ai.autorun": False}
        _kept(keepsakes)

        # 5. Remove, then purge: the program goes, the reader's data stays.
        _ok(root.run("apt-get remove -y -q luch"), "apt-get remove")
        assert not (root.path / "usr/bin/luch").exists()
        assert not (root.path / "opt/luch").exists()
        assert (data / "records.sqlite3").is_file() and (data / "settings.json").is_file()
        _ok(root.run("apt-get purge -y -q luch"), "apt-get purge")
        status = root.run("dpkg-query -W -f='${Status}' luch")
        assert "install ok installed" not in status.stdout
        assert (data / "records.sqlite3").is_file()
        _kept(keepsakes)
        lap("checks and removal")
        print("; ".join(lap.laps))
    finally:
        if root is not None:
            root.remove()
        shutil.rmtree(work, ignore_errors=True)
