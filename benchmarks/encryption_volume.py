"""The warm encrypted open with the decoded-volume entry against the plain open, same run.

Run: ``.venv/bin/python benchmarks/encryption_volume.py [--rounds 9] [--series both]``

The series of ``encryption.py`` (the 300-slice stack, lidc-idri-0001), each cached plain and
sealed in one throwaway ``LUCH_HOME`` (encryption at rest on, in-memory keyring). Arms, in
turn each round (warm page cache, ``studies.warm_up()`` first), all through
``studies.open_volume`` unless said:

- plain: the plain images (what an open costs with encryption off);
- sealed, images: the sealed images, the entry switched off (the open before this change,
  and every sealed study's first open);
- sealed, entry (1 thread / N threads): the decoded-volume entry (``studies.volume_cache``);
- reference, not shipped: the same voxels as raw plain bytes read with ``readinto`` into a
  new array (what a plain decoded-volume file would cost; the images stay the truth).

With ``--cold`` every open reads the disk (the files of every arm dropped from the page
cache first). Wall and whole-process CPU per open, medians of the rounds; voxels and
metadata checked equal. Also the entry's write (sealing and writing it, on the background
thread after a first open) and its size on disk against the images'.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _drop_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def _time(fn) -> tuple[float, float]:
    t, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--series", choices=("both", "stack", "lidc"), default="both")
    parser.add_argument("--threads", type=int, default=2, help="the N of the N-thread arm")
    parser.add_argument("--cold", action="store_true",
                        help="every open from disk: the files it reads dropped from the page "
                             "cache first")
    args = parser.parse_args()
    from benchmarks.encryption import _drop, bench_series, plain_and_sealed, private_home

    home = private_home("luch-bench-volume-")
    import json

    import numpy as np

    import studies
    from studies import loader, volume_cache
    from studies.sources import list_files

    series = bench_series(args.series)
    from core import vault

    (home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    studies.warm_up()
    cache = "cold (from disk)" if args.cold else "warm page cache"
    print(f"load at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {cache}; "
          f"{args.rounds} rounds, medians; wall s (process CPU s)")
    shipped = loader.entry_for
    for name, files in series.items():
        (home / name[:3]).mkdir()
        plain, sealed = plain_and_sealed(files, home / name[:3])
        want = studies.open_volume(plain)
        loader.entry_for = lambda *a: None
        images = studies.open_volume(sealed)
        loader.entry_for = shipped
        entry = volume_cache.entry_for(sealed, None, list_files(sealed))
        assert entry is not None
        writes = [_time(lambda e=entry, v=images: e.write(v)) for _ in range(3)]
        got = entry.read()
        assert got is not None and np.array_equal(want.voxels, got.voxels)
        # the entry is the sealed images' volume exactly (the plain copy's files lie in
        # another order, so its spacing may differ in the last bit)
        assert (got.info, got.spacing, got.origin, got.warnings) == (
            images.info, images.spacing, images.origin, images.warnings)
        assert np.allclose(got.spacing, want.spacing, rtol=1e-12)
        raw = home / f"{name[:3]}.raw"
        want.voxels.tofile(raw)

        def read_raw(path=raw, like=want.voxels) -> None:
            out = np.empty_like(like)
            with open(path, "rb", buffering=0) as f:
                f.readinto(memoryview(out.reshape(-1).view(np.uint8)))

        def sealed_images(folder=sealed) -> None:
            loader.entry_for = lambda *a: None
            try:
                studies.open_volume(folder)
            finally:
                loader.entry_for = shipped

        def entry_open(folder=sealed, threads=1) -> None:
            old = volume_cache.THREADS
            volume_cache.THREADS = threads
            try:
                studies.open_volume(folder)
            finally:
                volume_cache.THREADS = old

        arms = {"plain": lambda f=plain: studies.open_volume(f),
                "sealed, images": sealed_images,
                "sealed, entry, 1 thread": lambda: entry_open(threads=1),
                f"sealed, entry, {args.threads} threads": lambda: entry_open(
                    threads=args.threads),
                "reference: plain raw voxels": read_raw}
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in arms}
        for _ in range(args.rounds):
            for arm, fn in arms.items():
                if args.cold:
                    _drop(plain)
                    _drop(sealed)  # the images and the entry
                    _drop_file(raw)
                times[arm].append(_time(fn))
        base = statistics.median(t[0] for t in times["plain"])
        base_cpu = statistics.median(t[1] for t in times["plain"])
        size = sum(f.stat().st_size for f in sealed.rglob("*.dcm"))
        print(f"\n{name}: images {size / 1e6:.0f} MB sealed, entry "
              f"{entry.path.stat().st_size / 1e6:.0f} MB; entry written in "
              f"{statistics.median(w[0] for w in writes):.3f} s "
              f"({statistics.median(w[1] for w in writes):.3f} CPU); "
              f"load {os.getloadavg()[0]:.1f}")
        print("| arm | wall s | / plain | CPU s | / plain |")
        print("|---|---|---|---|---|")
        for arm, values in times.items():
            wall = statistics.median(v[0] for v in values)
            cpu = statistics.median(v[1] for v in values)
            print(f"| {arm} | {wall:.3f} | **{wall / base:.2f}** | {cpu:.3f} | "
                  f"{cpu / base_cpu:.2f} |")
    print(f"\nload at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
