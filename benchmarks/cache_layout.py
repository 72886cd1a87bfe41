"""What moving a cache named by UID to hashed names costs (issue 23): the app's first start
after the update moves every cached study once (:func:`archive.cache_layout.migrate_layout`).

Run: ``.venv/bin/python benchmarks/cache_layout.py [--rounds 3]``

The 300-slice study stacked from real CT (``benchmarks/vpn_study.py``) and ``lidc-idri-0001``
cached as the releases before wrote them (``<Study>/<Series>/<SOP>.dcm``), plain and sealed
(AES-256-GCM with the SOP UID as associated data, a key per study wrapped for its folder),
in a throwaway ``LUCH_HOME`` with an in-memory keyring; each round builds them anew and
times the move (wall and CPU of this process), warm page cache. A plain study's files are
only renamed; a sealed one's are re-sealed for their new names and written anew.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from benchmarks.encryption import _cache, private_home

    home = private_home("luch-bench-layout-")
    import numpy as np

    import studies
    from archive.cache import ImageCache
    from archive.cache_layout import migrate_layout
    from benchmarks.vpn_study import build_study
    from core import crypto, vault

    (home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    keys = vault.current()
    stack = Path(tempfile.gettempdir()) / "luch-bench-crypt-300"
    if not stack.exists():
        build_study(SHARED, stack)
    series = {"300 slices": sorted(stack.rglob("*.dcm")),
              "lidc-idri-0001, 133 slices": sorted((SHARED / "ct" / "lidc-idri-0001").glob(
                  "*.dcm"))}
    print(f"load at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print("| study | MB | kind | move wall s | move CPU s |")
    print("|---|---|---|---|---|")
    for name, files in series.items():
        want = studies.open_volume(files[0].parent).voxels
        mb = sum(f.stat().st_size for f in files) / 1e6
        for sealed in (False, True):
            times = []
            for _ in range(args.rounds):
                root = home / "cache" / "images"
                shutil.rmtree(root, ignore_errors=True)
                folder = _cache(files, root)
                if sealed:
                    key = keys.folder_dek(folder, create=True)
                    for path in folder.rglob("*.dcm"):
                        path.write_bytes(crypto.seal(key, path.read_bytes(),
                                                     path.stem.encode()))
                cache = ImageCache(root)
                t, cpu = time.perf_counter(), time.process_time()
                assert migrate_layout(cache) == 1
                times.append((time.perf_counter() - t, time.process_time() - cpu))
                moved = cache.study_dir(folder.name)
                assert np.array_equal(studies.open_volume(moved).voxels, want)
            wall = statistics.median(t for t, _ in times)
            cpu = statistics.median(c for _, c in times)
            print(f"| {name} | {mb:.0f} | {'sealed' if sealed else 'plain'} | {wall:.3f} | "
                  f"{cpu:.3f} |")
    print(f"load at end {os.getloadavg()[0]:.1f}")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
