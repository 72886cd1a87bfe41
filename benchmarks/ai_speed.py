"""Time the AI pre-read of a 512x512x300 chest CT; print ratios to the goals and baseline.

    .venv/bin/python benchmarks/ai_speed.py [--slices 300] [--device cpu|cuda|auto]
                                            [--repeat 1] [--dicom]

The study is ``ct/lidc-idri-0003`` (512x512x140) mirrored along z to ``--slices`` slices.
Measured: the U-Net pre-read (segmentation, post-processing and measures, model load
excluded and warm) and, as the reference in the same run, the classical baseline. Goals:
<= 30 s on 2 CPU cores, <= 2 s on a GPU. Peak RSS growth is reported too.
``--post``: also the U-Net's post-processing alone, the shipped form against the plain form it
replaced (``tests/inference/test_morphology.py``, bit-identical), interleaved on one network
output, median of ``--repeat`` (at least 3) rounds: a load-robust ratio.
``--dicom``: also the app's DICOM SEG + TID 1500 SR writing after a pre-read
(``app.panels.ai_panel.write_dicom_outputs``) on the study's own 140 slices, as a ratio to that
pre-read, and the files' size.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import studies  # noqa: E402
from inference.preread import PreReadOptions, analyze, load_segmenter  # noqa: E402

DATA = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
GOALS = {"cpu": 30.0, "cuda": 2.0}


def study(slices: int) -> studies.Volume:
    v = studies.open_volume(DATA / "ct" / "lidc-idri-0003")
    reps = -(-slices // v.shape[0])
    stack = np.concatenate([v.voxels if r % 2 == 0 else v.voxels[::-1] for r in range(reps)])
    v.voxels = np.ascontiguousarray(stack[:slices])
    return v


def timed(volume, options, repeat: int) -> tuple[float, float]:
    proc = psutil.Process()
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        before = proc.memory_info().rss
        t = time.perf_counter()
        analyze(volume, options)
        best = min(best, time.perf_counter() - t)
        peak = max(peak, (proc.memory_info().rss - before) / 2**20)
    return best, peak


def dicom_outputs(options: PreReadOptions) -> None:
    """Time the SEG + SR the app writes after a pre-read of a DICOM study (same run)."""
    import tempfile

    os.environ["LUCH_HOME"] = tempfile.mkdtemp(prefix="luch-bench-")
    from app.panels.ai_panel import write_dicom_outputs

    source = DATA / "ct" / "lidc-idri-0003"
    volume = studies.open_volume(source)
    t = time.perf_counter()
    result = analyze(volume, options)
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    files = write_dicom_outputs(result, volume, source)
    t_write = time.perf_counter() - t
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"SEG+SR     {t_write:6.2f} s  after a {t_read:.1f} s pre-read of "
          f"{volume.shape[2]}x{volume.shape[1]}x{volume.shape[0]}: ratio "
          f"{t_write / t_read:.2f}, {size:.1f} MB")


def post_processing(volume, repeat: int) -> None:
    """Time the shipped post-processing against the plain form, interleaved (same run)."""
    from inference.segmenters import UNetSegmenter
    from tests.inference.test_morphology import _ref_keep, _reference_postprocess

    seg = UNetSegmenter(device="cpu")
    classes = seg._classes(volume, None, None)
    import inference.lungs as lungs

    shipped_keep = lungs.keep_lung_components
    times = {"shipped": [], "plain": []}
    for _ in range(max(3, repeat)):
        t = time.perf_counter()
        seg._postprocess(volume, classes)
        times["shipped"].append(time.perf_counter() - t)
        lungs.keep_lung_components = _ref_keep
        try:
            t = time.perf_counter()
            _reference_postprocess(volume, classes)
            times["plain"].append(time.perf_counter() - t)
        finally:
            lungs.keep_lung_components = shipped_keep
    new, old = (float(np.median(times[k])) for k in ("shipped", "plain"))
    print(f"post-processing {new:6.1f} s, plain form (before) {old:6.1f} s in the same run: "
          f"ratio {new / old:.2f} (rounds: {[round(x, 1) for x in times['shipped']]} vs "
          f"{[round(x, 1) for x in times['plain']]}); load {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--dicom", action="store_true")
    parser.add_argument("--post", action="store_true")
    parser.add_argument("--post-only", action="store_true", help="--post and nothing else")
    args = parser.parse_args()
    volume = study(args.slices)
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.post_only:
        post_processing(volume, args.repeat)
        return
    unet = PreReadOptions(engine="unet", device=args.device, fallback=False)
    segmenter, _ = load_segmenter(unet)
    print(f"study {volume.shape[2]}x{volume.shape[1]}x{volume.shape[0]}, device "
          f"{segmenter.device}, {os.cpu_count()} CPUs, torch threads "
          f"{__import__('torch').get_num_threads()}")
    analyze(volume, unet)  # warm-up
    t_unet, mem_unet = timed(volume, unet, args.repeat)
    goal = GOALS[segmenter.device]
    print(f"unet       {t_unet:6.1f} s  (+{mem_unet:5.0f} MiB RSS)  goal {goal:.0f} s: "
          f"ratio {t_unet / goal:.2f}")
    if not args.no_baseline:
        t_cls, mem_cls = timed(volume, PreReadOptions(engine="classical"), 1)
        print(f"classical  {t_cls:6.1f} s  (+{mem_cls:5.0f} MiB RSS)  unet/classical "
              f"{t_unet / t_cls:.2f}")
    print(f"load average {os.getloadavg()[0]:.1f}")
    if args.post:
        post_processing(volume, args.repeat)
    if args.dicom:
        dicom_outputs(unet)


if __name__ == "__main__":
    main()
