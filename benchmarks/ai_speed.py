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
``--reference DIR``: the same pre-read by the code in ``DIR`` (today's engine: main checked
out in a temporary worktree, ``git worktree add --detach /tmp/ref-main main``), each tree
warm in its own process with 2 threads, the two interleaved for ``--rounds`` rounds: medians
and their ratio (goal <= 0.5, issue 19). With ``--check``: the labels of both on the
benchmark cases (this study, the real chests lidc-idri-0001, lidc-idri-0003 and
popi-philips-phase00 as they are, simulated lesions in lidc-idri-0003, seeds
1040-1043, grades 1-4, and the 12 real COVID-19 slices of ``covid-slices``): Dice for
lungs, GGO and consolidation (goal >= 0.99), grade and involvement; ``--cases`` picks some.
``--runtimes``: the network alone (``UNetSegmenter._classes``), ONNX Runtime against torch,
interleaved, medians of ``--rounds``.
``--classes``: the logits to full-size classes step (``inference.model.classes_out``) against
its form before, on the same logits of every slab, interleaved, with the classes compared.
``--steps``: the pre-read's steps one after the other (thorax masks, network and classes,
post-processing, solid foci, measures, largest lesions) and the whole pre-read, wall and
process CPU seconds of each, medians of ``--rounds``: where the time goes.
``--slabs``: the network's slabs pipelined (``UNetSegmenter._classes``) against the plain
loop before it (63c64e5), interleaved, medians of ``--rounds``, the classes compared.
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
from inference.findings import largest_lesions  # noqa: E402
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


# Run in a tree's own process (cwd = that tree): reads volumes from .npz files named on stdin,
# pre-reads them warm, writes the labels and measures beside them, prints the seconds.
_CHILD = r"""
import json, os, sys, time
sys.path.insert(0, os.getcwd())
import numpy as np
from studies import SeriesInfo, Volume
from inference.preread import PreReadOptions, analyze
options = PreReadOptions(engine="unet", device="cpu", fallback=False)
print("ready", flush=True)
for line in sys.stdin:
    path = line.strip()
    z = np.load(path)
    v = Volume(voxels=z["voxels"], spacing=tuple(z["spacing"]), origin=tuple(z["origin"]),
               direction=z["direction"], info=SeriesInfo(modality="CT"))
    t, c = time.perf_counter(), time.process_time()
    r = analyze(v, options)
    dt, dc = time.perf_counter() - t, time.process_time() - c
    np.save(path + ".labels.npy", r.labels)
    m = r.measures
    with open(path + ".json", "w") as f:
        json.dump({"grade": m.grade, "involvement": m.involvement_percent,
                   "version": r.model_version}, f)
    print(f"{dt:.3f} {dc:.3f}", flush=True)
"""


class Tree:
    """One code tree's pre-read, warm in its own process."""

    def __init__(self, root: Path, threads: int = 2) -> None:
        import subprocess

        env = dict(os.environ, OMP_NUM_THREADS=str(threads))
        self.proc = subprocess.Popen([sys.executable, "-c", _CHILD], cwd=root, env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "ready"
        self.cpu: list[float] = []

    def read(self, case: Path) -> float:
        """Wall seconds of the pre-read of ``case`` (its CPU seconds, all the process's
        threads, appended to ``cpu``)."""
        self.proc.stdin.write(f"{case}\n")
        self.proc.stdin.flush()
        wall, cpu = (float(x) for x in self.proc.stdout.readline().split())
        self.cpu.append(cpu)
        return wall

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def _save(volume, path: Path) -> Path:
    np.savez(path, voxels=volume.voxels, spacing=np.asarray(volume.spacing, float),
             origin=np.asarray(volume.origin, float), direction=np.asarray(volume.direction))
    return path.with_suffix(".npz")


def check_cases(slices: int, only: list[str] | None = None):
    """(name, volume) of the benchmark cases for ``--check`` (``only``: the names starting
    with one of these)."""
    from inference.training import data as sim_data
    from studies import SeriesInfo, Volume

    def wanted(name: str) -> bool:
        return not only or any(name.startswith(p) for p in only)

    if wanted("study"):
        yield "study", study(slices)
    for name in ("lidc-idri-0001", "lidc-idri-0003", "popi-philips-phase00"):
        if wanted(name):
            yield name, studies.open_volume(DATA / "ct" / name)
    if wanted("sim-"):
        series = sim_data.load_series(DATA, sim_data.VALIDATION_SERIES[0])
        v = series.volume
        for n, case in enumerate(sim_data.cases(series, [1, 2, 3, 4], 1040)):
            yield f"sim-{1040 + n}", Volume(voxels=case.hu, spacing=v.spacing,
                                            origin=v.origin, direction=v.direction,
                                            info=SeriesInfo(modality="CT"))
    for f in sorted((DATA / "covid-slices").glob("*/axial/*.dcm")):  # real COVID-19 slices
        name = f"covid-{f.parent.parent.name}/{f.stem}"
        if wanted(name):
            yield name, studies.open_volume(f)


def _dice(a: np.ndarray, b: np.ndarray) -> float:
    total = int(a.sum()) + int(b.sum())
    return 1.0 if total == 0 else 2.0 * int((a & b).sum()) / total


def compare_labels(name: str, new: Path, ref: Path) -> bool:
    """Print Dice, grades and involvement of two trees' reads of one case; True if within
    the goals (Dice >= 0.99 where the reference has 100 voxels or more, same grade,
    involvement within 0.1 pp)."""
    import json

    a, b = np.load(f"{new}.labels.npy"), np.load(f"{ref}.labels.npy")
    ma, mb = (json.loads(Path(f"{p}.json").read_text()) for p in (new, ref))
    ok = ma["grade"] == mb["grade"] and all(
        abs(ma["involvement"][k] - mb["involvement"][k]) <= 0.1 for k in mb["involvement"])
    parts = []
    for label, values in (("lungs", (1, 2, 3, 4, 5, 6)), ("GGO", (3, 4)),
                          ("consolidation", (5, 6))):
        x, y = np.isin(a, values), np.isin(b, values)
        d = _dice(x, y)
        ok &= d >= 0.99 or int(y.sum()) < 100
        parts.append(f"{label} {d:.4f} ({int(y.sum())} vx)")
    print(f"  {name:22s} Dice {', '.join(parts)}; identical {np.array_equal(a, b)}; "
          f"{ma['grade']} {ma['involvement']['total']} % vs {mb['grade']} "
          f"{mb['involvement']['total']} %; {ma['version']} vs {mb['version']}"
          f"{'' if ok else '  <-- OUTSIDE THE GOAL'}")
    return ok


def against_reference(reference: Path, slices: int, rounds: int, check: bool,
                      only: list[str] | None = None) -> None:
    """The pre-read of this tree and of ``reference``, interleaved (see the docstring)."""
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="luch-ai-speed-"))
    trees = {"new": Tree(ROOT), "reference": Tree(reference)}
    try:
        case = _save(study(slices), tmp / "study")
        times = {k: [] for k in trees}
        for k, tree in trees.items():  # warm-up
            print(f"  warm-up: {k} {tree.read(case):.1f} s", flush=True)
        for r in range(rounds):
            order = list(trees) if r % 2 == 0 else list(trees)[::-1]
            for k in order:
                times[k].append(trees[k].read(case))
            print(f"  round {r + 1}: new {times['new'][-1]:.1f} s (CPU "
                  f"{trees['new'].cpu[-1]:.1f} s), reference {times['reference'][-1]:.1f} s "
                  f"(CPU {trees['reference'].cpu[-1]:.1f} s), load {os.getloadavg()[0]:.1f}",
                  flush=True)
        if rounds:
            new, ref = (float(np.median(times[k])) for k in ("new", "reference"))
            print(f"pre-read {slices} slices: new {new:.1f} s, reference {ref:.1f} s "
                  f"(medians of {rounds}): ratio {new / ref:.2f} (goal <= 0.5)")
            cpu_new, cpu_ref = (float(np.median(trees[k].cpu[1:])) for k in trees)
            print(f"  CPU time (all threads; load-robust): new {cpu_new:.1f} s, reference "
                  f"{cpu_ref:.1f} s: ratio {cpu_new / cpu_ref:.2f}")
        if check:
            ok = True
            print("labels, new against reference:")
            for name, volume in check_cases(slices, only):
                paths = {}
                for k, tree in trees.items():
                    paths[k] = _save(volume, tmp / f"{name.replace('/', '_')}-{k}")
                    tree.read(paths[k])
                ok &= compare_labels(name, paths["new"], paths["reference"])
            print("labels: " + ("within the goals" if ok else "NOT within the goals"))
    finally:
        for tree in trees.values():
            tree.close()
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


def runtimes(volume, rounds: int) -> None:
    """The network alone, ONNX Runtime against torch, interleaved (same run)."""
    from inference.segmenters import UNetSegmenter

    segs = {name: UNetSegmenter(device="cpu", runtime=name) for name in ("onnx", "torch")}
    times = {name: [] for name in segs}
    for seg in segs.values():
        seg._classes(volume, None, None)  # warm-up
    for r in range(rounds):
        for name in (list(segs) if r % 2 == 0 else list(segs)[::-1]):
            t = time.perf_counter()
            segs[name]._classes(volume, None, None)
            times[name].append(time.perf_counter() - t)
    onnx, torch_ = (float(np.median(times[k])) for k in ("onnx", "torch"))
    print(f"network: ONNX Runtime {onnx:.1f} s, torch {torch_:.1f} s (medians of {rounds}, "
          f"{segs['onnx'].runtime}/{segs['torch'].runtime}, "
          f"{__import__('torch').get_num_threads()} threads): ratio {onnx / torch_:.2f}; "
          f"load {os.getloadavg()[0]:.1f}")


def _classes_out_before(logits: np.ndarray, p, rows: int, cols: int) -> np.ndarray:
    """``inference.model.classes_out`` as it was at 3dff10c: four gathered full-size class
    maps compared (the reference of ``--classes``)."""
    from inference.model import _overlap, _source_index

    n, k, size, _ = logits.shape
    full = np.full((n, k, p.h, p.w), -20.0, np.float32)
    full[:, 0] = 20.0
    dst, src = _overlap(p, size)
    full[:, :, src[0], src[1]] = logits[:, :, dst[0], dst[1]]
    low = np.argmax(full, axis=1).astype(np.uint8)
    r0, r1, wr = _source_index(rows, p.h)
    c0, c1, wc = _source_index(cols, p.w)
    top, bottom = low[:, r0], low[:, r1]
    out = top[:, :, c0]
    mixed = (out != top[:, :, c1]) | (out != bottom[:, :, c0]) | (out != bottom[:, :, c1])
    s, r, c = np.nonzero(mixed)
    if s.size:
        a, b = wr[r][:, None], wc[c][:, None]

        def at(rr, cc):
            return full[s, :, rr[r], cc[c]]

        blend = ((1 - a) * ((1 - b) * at(r0, c0) + b * at(r0, c1))
                 + a * ((1 - b) * at(r1, c0) + b * at(r1, c1)))
        out[s, r, c] = np.argmax(blend, axis=1)
    return out


def classes_step(volume, rounds: int) -> None:
    """The network's classes at full size (``classes_out``, every slab of the study) against
    the form before, on the same logits, interleaved: wall and CPU seconds, same classes."""
    import torch

    from inference.model import classes_out, to_input
    from inference.segmenters import SLAB, UNetSegmenter

    seg = UNetSegmenter(device="cpu")
    n, rows, cols = volume.shape
    slabs = []
    with torch.inference_mode():
        for start in range(0, n, SLAB):
            x, place = to_input(volume.voxels[start:start + SLAB], volume.spacing, seg.grid)
            slabs.append((seg.forward(x).float().cpu().numpy(), place))
    ways = {"now": classes_out, "before": _classes_out_before}
    times: dict[str, list[tuple[float, float]]] = {w: [] for w in ways}
    outs = {}
    for r in range(max(3, rounds)):
        for name in (list(ways) if r % 2 == 0 else list(ways)[::-1]):
            t, c = time.perf_counter(), time.process_time()
            outs[name] = np.concatenate([ways[name](lg, pl, rows, cols) for lg, pl in slabs])
            times[name].append((time.perf_counter() - t, time.process_time() - c))
    same = np.array_equal(outs["now"], outs["before"])
    (wn, cn), (wb, cb) = (np.median(np.array(times[w]), axis=0) for w in ("now", "before"))
    print(f"classes_out, {n} slices: now {wn:.2f} s wall ({cn:.2f} s CPU), before {wb:.2f} s "
          f"({cb:.2f} s CPU), medians of {len(times['now'])}: ratio {wn / wb:.2f} (CPU "
          f"{cn / cb:.2f}); identical classes: {same}; load {os.getloadavg()[0]:.1f}")


def steps(volume, rounds: int) -> None:
    """Each step of one warm pre-read run alone, in turn (see the docstring)."""
    from inference.findings import head_up
    from inference.foci import set_aside_solid_foci
    from inference.geometry import Orientation
    from inference.measures import measure
    from inference.segmenters import _thorax

    options = PreReadOptions(device="cpu", fallback=False)
    seg, _ = load_segmenter(options)
    analyze(volume, options)  # warm-up
    k_up = head_up(volume.direction)
    times: dict[str, list[tuple[float, float]]] = {}

    def step(name, fn, *args):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        times.setdefault(name, []).append((time.perf_counter() - t, time.process_time() - c))
        return out

    for _ in range(max(1, rounds)):
        step("whole pre-read (threads overlap)", analyze, volume, options)
        thorax = step("thorax masks", _thorax, volume)
        classes = step("network and classes", seg._classes, volume, None, None)
        labels = step("post-processing", seg._postprocess, volume, classes, thorax)
        labels, _ = step("solid foci", set_aside_solid_foci, labels, volume.spacing, k_up)
        step("measures", measure, labels, volume.spacing, Orientation.of(volume),
             options.rule, [])
        step("largest lesions", largest_lesions, labels, volume.spacing, k_up)
    print(f"steps of a {volume.shape[0]}-slice pre-read ({seg.runtime}), medians of "
          f"{max(1, rounds)}, wall (process CPU) s; load {os.getloadavg()[0]:.1f}:")
    for name, values in times.items():
        wall, cpu = np.median(np.array(values), axis=0)
        print(f"  {name:34s} {wall:6.2f} ({cpu:6.2f})")


def slabs(volume, rounds: int) -> None:
    """The pipelined slab loop against the plain one, in one process, interleaved."""
    import torch

    from inference.model import classes_out, to_input
    from inference.segmenters import SLAB, UNetSegmenter

    seg = UNetSegmenter(device="cpu")

    def plain() -> np.ndarray:
        n, rows, cols = volume.shape
        out = np.empty((n, rows, cols), np.uint8)
        with torch.inference_mode():
            for start in range(0, n, SLAB):
                x, place = to_input(volume.voxels[start:start + SLAB], volume.spacing,
                                    seg.grid)
                out[start:start + SLAB] = classes_out(seg.forward(x).float().numpy(), place,
                                                      rows, cols)
        return out

    ways = {"pipelined": lambda: seg._classes(volume, None, None), "plain": plain}
    plain()  # warm-up
    times: dict[str, list[tuple[float, float]]] = {k: [] for k in ways}
    outs = {}
    for r in range(max(1, rounds)):
        for name in (list(ways) if r % 2 == 0 else list(ways)[::-1]):
            t, c = time.perf_counter(), time.process_time()
            outs[name] = ways[name]()
            times[name].append((time.perf_counter() - t, time.process_time() - c))
            print(f"  round {r + 1} {name}: {times[name][-1][0]:.2f} s wall "
                  f"({times[name][-1][1]:.2f} s CPU), load {os.getloadavg()[0]:.1f}", flush=True)
    (wp, cp), (wq, cq) = (np.median(np.array(times[k]), axis=0) for k in ways)
    print(f"slabs: pipelined {wp:.2f} s ({cp:.2f} CPU), plain {wq:.2f} s ({cq:.2f} CPU): "
          f"ratio {wp / wq:.2f}; identical classes: "
          f"{np.array_equal(outs['pipelined'], outs['plain'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--dicom", action="store_true")
    parser.add_argument("--post", action="store_true")
    parser.add_argument("--post-only", action="store_true", help="--post and nothing else")
    parser.add_argument("--reference", type=Path, help="a tree with today's engine (main)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", action="store_true", help="with --reference: the labels")
    parser.add_argument("--cases", nargs="+", help="with --check: only the cases whose names "
                        "start so (study, lidc-idri-..., popi, sim-, covid-)")
    parser.add_argument("--runtimes", action="store_true", help="ONNX Runtime against torch")
    parser.add_argument("--classes", action="store_true", help="classes_out now vs before")
    parser.add_argument("--steps", action="store_true", help="each step's time, in turn")
    parser.add_argument("--slabs", action="store_true", help="pipelined slabs vs plain")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs")
    if args.reference:
        against_reference(args.reference.resolve(), args.slices, args.rounds, args.check,
                          args.cases)
        return
    volume = study(args.slices)
    studies = {"runtimes": runtimes, "classes": classes_step, "steps": steps, "slabs": slabs}
    for flag, run in studies.items():  # one study of a part, in rounds, then done
        if getattr(args, flag):
            run(volume, args.rounds)
            return
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
