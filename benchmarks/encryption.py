"""The cost of encryption at rest on opening a cached study and on the records database.

Run: ``.venv/bin/python benchmarks/encryption.py [--rounds 5] [--reports 200] [--cold]``

Series: a 300-slice study stacked from real CT slices (``benchmarks/vpn_study.py``, under
/tmp) and the whole ``lidc-idri-0001`` series, each cached twice in one throwaway
``LUCH_HOME``: plain, and sealed as the image cache writes it with encryption at rest on
(AES-256-GCM, a key per study wrapped by the station key). The station key lives in an
in-memory keyring backend set up here (the benchmark's stand-in for the OS keyring).
Each round opens both copies with ``studies.open_volume`` (after ``studies.warm_up()``, as
the app does at start-up; warm page cache), plain and sealed in turn, and the ratio is of
the medians. With ``--cold`` every open starts with the files of
both copies dropped from the page cache (``posix_fadvise(DONTNEED)`` on those files only),
so the open reads the disk, as for a study cached days ago. Scrolling reads the volume in
memory and never touches the files, so its cost does not change. Records: ``open_store``
and ``--reports`` saved report versions, plain SQLite against SQLCipher, same rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _keyring() -> None:
    import keyring
    from keyring.backend import KeyringBackend

    class Memory(KeyringBackend):
        priority = 1

        def __init__(self) -> None:
            super().__init__()
            self.items: dict = {}

        def get_password(self, service, username):
            return self.items.get((service, username))

        def set_password(self, service, username, password):
            self.items[(service, username)] = password

        def delete_password(self, service, username):
            self.items.pop((service, username), None)

    keyring.set_keyring(Memory())


def _cache(files: list[Path], root: Path) -> Path:
    """``files`` laid out as the image cache did before hashed names:
    <study>/<series>/<SOP UID>.dcm (the cache moves it when asked for it)."""
    import pydicom

    first = pydicom.dcmread(files[0], stop_before_pixels=True)
    study = root / str(first.StudyInstanceUID)
    for f in files:
        ds = pydicom.dcmread(f, stop_before_pixels=True)
        target = study / str(ds.SeriesInstanceUID) / f"{ds.SOPInstanceUID}.dcm"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(f, target)
    return study


def private_home(prefix: str) -> Path:
    """A fresh ``LUCH_HOME`` (no station policy) with the in-memory keyring; set before the
    app's modules are imported."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["LUCH_HOME"] = str(home)
    os.environ["LUCH_POLICY"] = str(home / "no-policy.json")
    _keyring()
    return home


def plain_and_sealed(files: list[Path], home: Path) -> tuple[Path, Path]:
    """Encryption at rest switched on in ``home``, and ``files`` cached twice there: plain,
    and sealed as the image cache seals them (its folder roots, plain then sealed)."""
    from archive.cache import ImageCache  # deferred: after LUCH_HOME is set
    from archive.cache_policy import seal_cache
    from core import vault

    (home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    plain = _cache(files, home / "plain")
    sealed = _cache(files, home / "sealed")
    seal_cache(ImageCache(home / "sealed"), vault.current())  # moved to hashed names too
    return plain, ImageCache(home / "sealed").study_dir(sealed.name)


def _drop(folder: Path) -> None:
    """Evict ``folder``'s files from the page cache (only these files)."""
    for path in folder.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def _time(fn) -> tuple[float, float]:
    """Wall and CPU seconds (all threads of this process) of ``fn()``."""
    t, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - cpu


def bench_series(which: str) -> dict[str, list[Path]]:
    """The series the encryption benchmarks open: "stack" (300 stacked real CT slices, made
    once in the temp folder), "lidc" (lidc-idri-0001) or "both"."""
    from benchmarks.vpn_study import build_study

    stack = Path(tempfile.gettempdir()) / "luch-bench-crypt-300"
    if not stack.exists():
        build_study(SHARED, stack)
    series = {"300 slices (stacked real CT)": sorted(stack.rglob("*.dcm")),
              "lidc-idri-0001 (133 slices)": sorted((SHARED / "ct" / "lidc-idri-0001").glob(
                  "*.dcm"))}
    return {name: files for name, files in series.items()
            if which == "both" or (which == "stack") == name.startswith("300")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reports", type=int, default=200)
    parser.add_argument("--cold", action="store_true", help="read from disk, not page cache")
    parser.add_argument("--series", choices=("both", "stack", "lidc"), default="both",
                        help="the 300-slice stack, lidc-idri-0001 or both")
    args = parser.parse_args()
    home = private_home("luch-bench-crypt-")
    import numpy as np

    import studies
    from archive.cache import ImageCache
    from archive.cache_policy import seal_cache
    from core import vault

    series = bench_series(args.series)
    (home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    keys = vault.current()
    studies.warm_up()
    print(f"load at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; "
          f"{'cold (from disk)' if args.cold else 'warm page cache'}")
    print("| series | MB | plain open s | encrypted open s | encrypted / plain (wall) | "
          "CPU s plain | CPU s encrypted | encrypted / plain (CPU) |")
    print("|---|---|---|---|---|---|---|---|")
    for name, files in series.items():
        plain = _cache(files, home / "plain")
        sealed_root = home / "sealed"
        sealed = _cache(files, sealed_root)
        seal_cache(ImageCache(sealed_root), keys)  # moved to hashed names too
        sealed = ImageCache(sealed_root).study_dir(sealed.name)
        want = studies.open_volume(plain).voxels
        assert np.array_equal(want, studies.open_volume(sealed).voxels)
        times: dict[str, list[tuple[float, float]]] = {"plain": [], "sealed": []}
        for _ in range(args.rounds):
            for folder, key in ((plain, "plain"), (sealed, "sealed")):
                if args.cold:
                    _drop(plain)
                    _drop(sealed)
                times[key].append(_time(lambda f=folder: studies.open_volume(f)))
        (p, pc), (s, sc) = (
            tuple(statistics.median(t[i] for t in times[k]) for i in (0, 1))
            for k in ("plain", "sealed"))
        mb = sum(f.stat().st_size for f in files) / 1e6
        print(f"| {name} | {mb:.0f} | {p:.3f} | {s:.3f} | **{s / p:.2f}** | {pc:.3f} | "
              f"{sc:.3f} | **{sc / pc:.2f}** |")
    print(f"load at end {os.getloadavg()[0]:.1f}")
    if args.reports > 0:  # --reports 0: the open only
        _records(home, args)
    shutil.rmtree(home, ignore_errors=True)


def _records(home: Path, args) -> None:
    from core import vault
    from records.db import make_engine, upgrade
    from records.store import Store, database_key

    def run(path: Path, key: bytes | None) -> None:
        engine = make_engine(path, key)
        upgrade(engine)
        store = Store(engine)
        for n in range(args.reports):
            store.save_report(f"1.2.3.{n}", author="A B", text="text " * 50,
                              fields={"grade": "CT-1"}, status="final")
        store.close()

    key = database_key(home / "probe.sqlite3")  # the vault's records key (encryption on)
    assert key is not None and vault.current() is not None
    times: dict[str, list[float]] = {"plain": [], "sealed": []}
    for n in range(args.rounds):
        times["plain"].append(_time(lambda n=n: run(home / f"plain{n}.sqlite3", None))[0])
        times["sealed"].append(_time(lambda n=n: run(home / f"sealed{n}.sqlite3", key))[0])
    p, s = statistics.median(times["plain"]), statistics.median(times["sealed"])
    print(f"records: open + migrate + {args.reports} signed versions: plain {p:.2f} s, "
          f"SQLCipher {s:.2f} s, **{s / p:.2f}**")


if __name__ == "__main__":
    main()
