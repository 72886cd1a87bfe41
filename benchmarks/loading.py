"""JPEG 2000 signed unlike PixelRepresentation: Luch's path now, the old one, SimpleITK.

Run: ``.venv/bin/python benchmarks/loading.py [--repeat 3]``

Some encoders write signed CT as an *unsigned* JPEG 2000 codestream (the SIZ marker's Ssiz
says unsigned; pydicom corrects the values, see ``J2K_pixelrep_mismatch.dcm``). The series
is the real ``lidc-idri-0001`` (133 slices, 512x512) re-encoded that way: each signed slice
as an unsigned codestream of the fewest bits that hold it, with BitsStored set to match
(cached under /tmp). Each load runs in a fresh subprocess after ``studies.warm_up()``, as
the app does at start-up, reading from the page cache:

- ``luch``: now; the fast decoder refuses the slices from their SIZ marker (nothing decoded)
  and pydicom decodes each once, in worker processes;
- ``luch-threads``: now, with worker processes off (``LUCH_DECODE_PROCESSES=0``): pydicom
  on threads, each slice decoded once;
- ``luch-old``: the old path: every slice decoded by imagecodecs, thrown away (wrong dtype),
  decoded again by pydicom, on threads;
- ``sitk``: SimpleITK ``ImageSeriesReader``, the reference.

All Luch variants must give the same voxels (checked, and against pydicom on some slices).
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
CACHE = Path(tempfile.gettempdir()) / "luch-bench-cache"

CHILD = r"""
import hashlib, json, os, sys, time
tool, folder = sys.argv[1], sys.argv[2]
if tool.startswith("luch"):
    if tool != "luch":
        os.environ["LUCH_DECODE_PROCESSES"] = "0"
    import studies
    from studies import frame_decoders
    if tool == "luch-old":  # the fast decoder without its SIZ check: decode, then refuse
        import dataclasses
        from pydicom.uid import JPEG2000Lossless
        factory = frame_decoders._REGISTRY[JPEG2000Lossless]
        frame_decoders._REGISTRY[JPEG2000Lossless] = lambda: dataclasses.replace(
            factory(), accepts=None)
        frame_decoders.for_syntax.cache_clear()
    studies.warm_up()
    def run():
        v = studies.open_volume(folder)
        return hashlib.sha256(v.voxels.tobytes()).hexdigest()
else:
    import SimpleITK as sitk
    def run():
        r = sitk.ImageSeriesReader()
        r.SetFileNames(r.GetGDCMSeriesFileNames(folder))
        r.Execute()
        return ""
t, cpu = time.perf_counter(), time.process_time()
digest = run()
print(json.dumps({"wall": time.perf_counter() - t, "cpu": time.process_time() - cpu,
                  "digest": digest}))
"""


def sign_mismatched_series(source: Path) -> Path:
    """``source`` re-encoded as unsigned JPEG 2000 codestreams with PixelRepresentation 1."""
    target = CACHE / f"j2k-unsigned-codestream-{source.name}"
    if target.is_dir():
        return target
    import imagecodecs
    import numpy as np
    import pydicom
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEG2000Lossless

    CACHE.mkdir(parents=True, exist_ok=True)
    datasets = [pydicom.dcmread(p) for p in sorted(source.iterdir()) if p.is_file()]
    stored = [ds.pixel_array for ds in datasets]
    low, high = min(int(a.min()) for a in stored), max(int(a.max()) for a in stored)
    bits = next(b for b in range(2, 17) if -(1 << (b - 1)) <= low and high < 1 << (b - 1))
    work = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=CACHE))
    try:
        for n, (ds, pixels) in enumerate(zip(datasets, stored, strict=True)):
            code = imagecodecs.jpeg2k_encode(
                (pixels & ((1 << bits) - 1)).astype(np.uint16), level=0, codecformat="J2K",
                reversible=True, bitspersample=bits)
            ds.BitsStored, ds.HighBit = bits, bits - 1
            ds.PixelData = encapsulate([code])
            ds["PixelData"].VR, ds["PixelData"].is_undefined_length = "OB", True
            ds.file_meta.TransferSyntaxUID = JPEG2000Lossless
            ds.save_as(work / f"{n:04d}.dcm", enforce_file_format=True)
        os.rename(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def measure(tool: str, folder: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, tool, str(folder)], check=True,
                         capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_against_pydicom(folder: Path) -> None:
    """Luch's voxels equal pydicom's sign-corrected values (a few slices)."""
    import numpy as np
    import pydicom

    sys.path.insert(0, str(ROOT))
    import studies

    volume = studies.open_volume(folder)
    files = sorted(folder.iterdir())
    positions = {float(pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2]): f
                 for f in files}
    order = [positions[z] for z in sorted(positions)]
    if volume.direction[2, 2] < 0:
        order.reverse()
    for k in (0, len(order) // 2, len(order) - 1):
        ds = pydicom.dcmread(order[k])
        expected = ds.pixel_array * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
        np.testing.assert_array_equal(volume.voxels[k], expected)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    source = SHARED_CT / "lidc-idri-0001"
    if not source.is_dir():
        print(f"needs {source}", file=sys.stderr)
        return 2
    print("sign-mismatched JPEG 2000 series (cached) ...", flush=True)
    folder = sign_mismatched_series(source)
    check_against_pydicom(folder)
    tools = ("luch", "luch-threads", "luch-old", "sitk")
    measure("luch", folder)  # page cache warm
    runs: dict[str, list[dict]] = {t: [] for t in tools}
    for _ in range(args.repeat):  # interleaved rounds: drifting load hits all alike
        for tool in tools:
            runs[tool].append(measure(tool, folder))
    digests = {r["digest"] for t in tools if t != "sitk" for r in runs[t]}
    wall = {t: statistics.median(r["wall"] for r in runs[t]) for t in tools}
    cpu = {t: statistics.median(r["cpu"] for r in runs[t]) for t in tools}
    print(f"cpus={os.cpu_count()} load={os.getloadavg()[0]:.2f} repeat={args.repeat} "
          f"(median of interleaved rounds); Luch variants identical: {len(digests) == 1}; "
          "equal to pydicom: True\n")
    print(f"{'path':<14}{'wall s':>8}{'cpu s':>8}{'/sitk':>7}{'/luch-old':>10}")
    for t in tools:
        print(f"{t:<14}{wall[t]:>8.3f}{cpu[t]:>8.3f}{wall[t] / wall['sitk']:>7.2f}"
              f"{wall[t] / wall['luch-old']:>10.2f}")
    print("\ncpu s: this process only (worker processes of `luch` are not counted).")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
