"""Per-slice JPEG 2000 decode cost by library: why a load takes what it takes.

Run: ``.venv/bin/python benchmarks/j2k_decoders.py [FOLDER ...] [--slices 40]``
(default: the shared Siemens JPEG 2000 series and the cached 300-slice series of
``load_series.py``). For the first ``--slices`` files of each series, in one process, it
prints wall and CPU milliseconds per slice (CPU counts every thread of the process) of:
pydicom's default plugin (pylibjpeg-openjpeg), pydicom's GDCM plugin (what SimpleITK uses;
GDCM runs OpenJPEG on its own threads), imagecodecs (OpenJPEG, or OpenJPH for HTJ2K) on one
thread, with ``numthreads=2`` on one slice, and on two Python threads (what Luch does), and
the file-to-codestream step Luch does before decoding.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_CT = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data")) / "ct"


def timed(fn: Callable[[], object], n: int) -> tuple[float, float]:
    """(wall, cpu) milliseconds per slice of ``fn`` (which handles ``n`` slices); best of 2."""
    best = (float("inf"), float("inf"))
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        best = min(best, (wall * 1000 / n, cpu * 1000 / n))
    return best


def table(folder: Path, slices: int) -> None:
    import imagecodecs
    import pydicom

    from studies import frame_decoders
    from studies.sources import FileRef

    files = sorted(p for p in folder.iterdir() if p.is_file())[:slices]
    n = len(files)
    datasets = [pydicom.dcmread(p) for p in files]
    ht = str(datasets[0].file_meta.TransferSyntaxUID).startswith("1.2.840.10008.1.2.4.20")
    frames = [frame_decoders.read_frame(FileRef(p), None, 1) for p in files]
    fast = imagecodecs.htj2k_decode if ht else imagecodecs.jpeg2k_decode
    one = (lambda f: fast(f)) if ht else (lambda f: fast(f, numthreads=1))

    def two_python_threads() -> None:
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(one, frames))

    def plugin(name: str) -> Callable[[], object]:
        return lambda: [pydicom.pixels.pixel_array(ds, decoding_plugin=name) for ds in datasets]

    rows = {
        "file -> codestream (Luch)": lambda: [frame_decoders.read_frame(FileRef(p), None, 1)
                                              for p in files],
        "pydicom + pylibjpeg-openjpeg": plugin("pylibjpeg"),
        "pydicom + GDCM (SimpleITK's)": plugin("gdcm"),
        f"imagecodecs {'OpenJPH' if ht else 'OpenJPEG'}, 1 thread": lambda: [one(f)
                                                                             for f in frames],
        "imagecodecs, 2 Python threads": two_python_threads,
    }
    if not ht:
        rows["imagecodecs, numthreads=2"] = lambda: [fast(f, numthreads=2) for f in frames]
    print(f"\n{folder.name}: {n} slices of {datasets[0].Rows}x{datasets[0].Columns}, "
          f"{datasets[0].file_meta.TransferSyntaxUID.name}")
    print(f"  {'decoder':<36}{'wall ms':>9}{'cpu ms':>9}   per slice")
    for name, fn in rows.items():
        try:
            wall, cpu = timed(fn, n)
        except Exception as err:  # a plugin that cannot decode this syntax
            print(f"  {name:<36}  ({type(err).__name__})")
            continue
        print(f"  {name:<36}{wall:>9.2f}{cpu:>9.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--slices", type=int, default=40)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    folders = args.folders
    if not folders:
        from benchmarks.j2k_series import j2k_series

        lidc = SHARED_CT / "lidc-idri-0001"
        folders = [SHARED_CT / "siemens-j2k-abdomen", j2k_series(lidc), j2k_series(lidc, ht=True)]
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f}")
    for folder in folders:
        table(folder, args.slices)
    return 0


if __name__ == "__main__":
    sys.exit(main())
