"""Load CT series with Luch's loader, SimpleITK ImageSeriesReader and dcm2niix; print ratios.

Run: ``.venv/bin/python benchmarks/load_series.py [--slices 1000] [--j2k-slices 300]
[--repeat 3] [--only NAME]``

Series: every DICOM series under ``../shared/data/ct`` (when present), a generated series of
``--slices`` 512x512 int16 uncompressed slices (temporary folder, removed after) and a
realistic-size JPEG 2000 lossless series of ``--j2k-slices`` slices made from the real
``lidc-idri-0001`` slices, once as classic JPEG 2000 and once as High-Throughput JPEG 2000
(``benchmarks/j2k_series.py``, cached under /tmp).

Each measurement runs in a fresh subprocess (after one warm-up read, so all tools read from
the page cache) and reports wall time, CPU time (all threads of that process) and peak RSS
above the process's RSS after imports. ``luch cold`` has imported only ``studies`` (the
readers, pydicom and the decoders load inside the clock); ``luch warm`` has run
``studies.warm_up()`` first, as the app does at start-up (readers and decoders
imported, worker processes started), which is the state SimpleITK is measured in (its
``import SimpleITK`` loads ITK and GDCM before the clock). One more untimed run measures
Luch's allocation peak with tracemalloc (numpy buffers). dcm2niix converts to an uncompressed
NIfTI in RAM (/dev/shm) since it has no "load only" mode; its time therefore includes
writing the volume once.
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
if tool.startswith("luch"):
    import studies
    if tool == "luch-warm":
        studies.warm_up()
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
t, cpu = time.perf_counter(), time.process_time()
nbytes = run()
wall, cpu = time.perf_counter() - t, time.process_time() - cpu
try:  # VmHWM starts afresh at exec; ru_maxrss is inherited from the forking parent
    status = open("/proc/self/status").read()
    peak = int(status.split("VmHWM:")[1].split()[0]) * 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"wall": wall, "cpu": cpu, "peak_extra": peak - base, "nbytes": nbytes}))
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
        done = subprocess.run(["dcm2niix", "-z", "n", "-b", "n", "-o", str(target), "-f", "vol",
                               str(folder)], capture_output=True)
        wall = time.perf_counter() - t
        return {"wall": wall if done.returncode == 0 else float("nan")}  # nan: cannot read it
    finally:
        shutil.rmtree(target, ignore_errors=True)


def interleaved(tools: dict, repeat: int) -> dict[str, dict]:
    """Median of ``repeat`` rounds, each running every tool once in turn (load on a shared
    machine drifts; interleaving spreads it over all tools alike)."""
    runs: dict[str, list[dict]] = {name: [] for name in tools}
    for _ in range(repeat):
        for name, fn in tools.items():
            runs[name].append(fn())
    return {name: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
            for name, rs in runs.items()}


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
    parser.add_argument("--j2k-slices", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="only the series whose name contains this")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    have_dcm2niix = shutil.which("dcm2niix") is not None
    series = sorted(p for p in SHARED_CT.iterdir() if p.is_dir()) if SHARED_CT.is_dir() else []

    def wanted(name: str) -> bool:
        return args.only is None or args.only in name

    series = [f for f in series if wanted(f.name)]
    tmp = Path(tempfile.mkdtemp(prefix="luch-bench-series-"))
    try:
        lidc = SHARED_CT / "lidc-idri-0001"
        if args.j2k_slices and lidc.is_dir():
            from benchmarks.j2k_series import j2k_series, series_name

            for ht in (False, True):
                if wanted(series_name(lidc, args.j2k_slices, ht)):
                    print(f"{'HTJ2K' if ht else 'JPEG 2000'} series of {args.j2k_slices} slices "
                          "(cached) ...", flush=True)
                    series.append(j2k_series(lidc, args.j2k_slices, ht))
        if args.slices and wanted(f"generated-{args.slices}"):
            generated = tmp / f"generated-{args.slices}"
            print(f"generating {args.slices} slices of 512x512 in {tmp} ...", flush=True)
            generate(generated, args.slices)
            series.append(generated)
        print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f} repeat={args.repeat} "
              "(median of interleaved rounds)\n")
        header = (f"{'series':<28}{'MB':>5}{'cold s':>8}{'warm s':>8}{'sitk s':>8}{'d2n s':>8}"
                  f"{'cold/sitk':>10}{'warm/sitk':>10}{'warm/d2n':>9}{'cpu/sitk':>9}"
                  f"{'alloc/vol':>10}{'RSS/vol':>8}{'sitk RSS':>9}")
        print(header)
        print("-" * len(header))
        for folder in series:
            alloc = measure_python("luch", folder, allocations=True)  # also warms the cache
            tools = {name: (lambda t=name, f=folder: measure_python(t, f))
                     for name in ("luch", "luch-warm", "sitk")}
            if have_dcm2niix:
                tools["d2n"] = lambda f=folder: measure_dcm2niix(f)
            m = interleaved(tools, args.repeat)
            cold, warm, itk = m["luch"], m["luch-warm"], m["sitk"]
            d2n = m.get("d2n", {"wall": float("nan")})
            print(f"{folder.name:<28}{cold['nbytes'] / 2**20:>5.0f}{cold['wall']:>8.3f}"
                  f"{warm['wall']:>8.3f}{itk['wall']:>8.3f}{d2n['wall']:>8.3f}"
                  f"{cold['wall'] / itk['wall']:>10.2f}{warm['wall'] / itk['wall']:>10.2f}"
                  f"{warm['wall'] / d2n['wall']:>9.2f}{warm['cpu'] / itk['cpu']:>9.2f}"
                  f"{alloc['alloc_peak'] / alloc['nbytes']:>10.2f}"
                  f"{warm['peak_extra'] / warm['nbytes']:>8.2f}"
                  f"{itk['peak_extra'] / itk['nbytes']:>9.2f}", flush=True)
        print("\ngoals: luch/sitk <= 0.5, luch/d2n <= 1.0, memory <= 1.2x the volume.\n"
              "cold: fresh process, readers and decoders imported inside the clock; warm: after\n"
              "studies.warm_up() as at app start (SimpleITK's import is outside its clock).\n"
              "cpu/sitk: CPU seconds (all threads of the process; decode worker processes are\n"
              "not counted, JPEG 2000 uses none) of luch warm / SimpleITK: the ratio a 2-core\n"
              "box converges to when both keep both cores busy.\n"
              "alloc/vol: peak of numpy and Python allocations (tracemalloc) / volume bytes;\n"
              "RSS/vol: peak RSS growth of luch warm during the load / volume bytes (includes\n"
              "decoder libraries paged in, so it is large for small volumes). SimpleITK returns\n"
              "int32 for signed GE data, so its volume is twice the size.")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
