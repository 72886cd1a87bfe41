"""Load CT series with Luch's loader, SimpleITK ImageSeriesReader and dcm2niix; print ratios.

Run: ``.venv/bin/python benchmarks/load_series.py [--slices 1000] [--repeat 3]``

Series: every DICOM series under ``../shared/data/ct`` (when present) plus a generated
series of ``--slices`` 512x512 int16 slices (written to a temporary folder, removed after).
Each measurement runs in a fresh subprocess (after one warm-up read, so all tools read from
the page cache) and reports wall time and peak RSS above the process's RSS after imports;
one more untimed run measures Luch's allocation peak with tracemalloc (numpy buffers).
dcm2niix converts to an uncompressed NIfTI in RAM (/dev/shm) since it has no "load only"
mode; its time therefore includes writing the volume once.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED_CT = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data")) / "ct"

CHILD = r"""
import json, resource, sys, time
import psutil
tool, folder = sys.argv[1], sys.argv[2]
if tool == "luch":
    import studies
    def run():
        v = studies.open_volume(folder)
        return v.voxels.nbytes
elif tool == "sitk":
    import SimpleITK as sitk
    def run():
        r = sitk.ImageSeriesReader()
        r.SetFileNames(r.GetGDCMSeriesFileNames(folder))
        image = r.Execute()
        return image.GetNumberOfPixels() * image.GetSizeOfPixelComponent()
if len(sys.argv) > 3:  # allocation peak (numpy buffers and Python objects), not timed
    import tracemalloc
    tracemalloc.start()
    nbytes = run()
    print(json.dumps({"alloc_peak": tracemalloc.get_traced_memory()[1], "nbytes": nbytes}))
    sys.exit()
base = psutil.Process().memory_info().rss
t = time.perf_counter()
nbytes = run()
wall = time.perf_counter() - t
try:  # VmHWM starts afresh at exec; ru_maxrss is inherited from the forking parent
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "peak_extra": peak - base, "nbytes": nbytes}))
"""


def measure_python(tool: str, folder: Path, allocations: bool = False) -> dict:
    extra = ["alloc"] if allocations else []
    out = subprocess.run([sys.executable, "-c", CHILD, tool, str(folder), *extra], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_dcm2niix(folder: Path) -> dict:
    import time

    target = Path(tempfile.mkdtemp(prefix="luch-bench-", dir="/dev/shm"
                                   if Path("/dev/shm").is_dir() else None))
    try:
        t = time.perf_counter()
        subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-o", str(target), "-f", "vol",
                        str(folder)], check=True, capture_output=True)
        return {"wall": time.perf_counter() - t}
    finally:
        shutil.rmtree(target, ignore_errors=True)


def median_of(fn, repeat: int) -> dict:
    runs = [fn() for _ in range(repeat)]
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def generate(folder: Path, slices: int) -> None:
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from studies.synthetic import phantom, write_ct_series

    block = phantom(50, 512, 512)
    voxels = np.concatenate([block] * (slices // 50 + 1))[:slices]
    write_ct_series(folder, slices=slices, rows=512, columns=512, pixel_spacing=(0.7, 0.7),
                    slice_spacing=1.0, voxels=voxels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slices", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    have_dcm2niix = shutil.which("dcm2niix") is not None
    series = sorted(p for p in SHARED_CT.iterdir() if p.is_dir()) if SHARED_CT.is_dir() else []
    tmp = Path(tempfile.mkdtemp(prefix="luch-bench-series-"))
    try:
        generated = tmp / f"generated-{args.slices}"
        print(f"generating {args.slices} slices of 512x512 in {tmp} ...", flush=True)
        generate(generated, args.slices)
        series.append(generated)
        print(f"cpus={os.cpu_count()} repeat={args.repeat} (median)\n")
        header = (f"{'series':<24}{'MB':>7}{'luch s':>9}{'sitk s':>9}{'dcm2niix s':>12}"
                  f"{'luch/sitk':>11}{'luch/d2n':>10}{'alloc/vol':>11}{'RSS/vol':>9}"
                  f"{'sitk RSS/vol':>14}")
        print(header)
        print("-" * len(header))
        for folder in series:
            alloc = measure_python("luch", folder, allocations=True)  # also warms the cache
            luch = median_of(lambda f=folder: measure_python("luch", f), args.repeat)
            itk = median_of(lambda f=folder: measure_python("sitk", f), args.repeat)
            d2n = median_of(lambda f=folder: measure_dcm2niix(f), args.repeat) if (
                have_dcm2niix) else {"wall": float("nan")}
            mb = luch["nbytes"] / 2**20
            print(f"{folder.name:<24}{mb:>7.0f}{luch['wall']:>9.3f}{itk['wall']:>9.3f}"
                  f"{d2n['wall']:>12.3f}{luch['wall'] / itk['wall']:>11.2f}"
                  f"{luch['wall'] / d2n['wall']:>10.2f}"
                  f"{alloc['alloc_peak'] / alloc['nbytes']:>11.2f}"
                  f"{luch['peak_extra'] / luch['nbytes']:>9.2f}"
                  f"{itk['peak_extra'] / itk['nbytes']:>14.2f}", flush=True)
        print("\ngoals: luch/sitk <= 0.5, luch/d2n <= 1.0, memory <= 1.2x the volume.\n"
              "alloc/vol: peak of numpy and Python allocations (tracemalloc) / volume bytes;\n"
              "RSS/vol: peak RSS growth during the load / volume bytes (includes decoder\n"
              "libraries paged in, so it is large for small volumes). SimpleITK returns int32\n"
              "for signed GE data, so its volume is twice the size.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
