"""The U-Net's CPU forward pass under each runtime and option, interleaved in one run.

    .venv/bin/python benchmarks/ai_runtimes.py [--slices 300] [--rounds 3] [--only a,b]

The network input of the 512x512x``--slices`` benchmark study (``ai_speed.study``) in slabs
of ``SLAB``; each variant runs every slab, the variants interleaved (order turned each round),
medians of ``--rounds`` after a warm-up. Against the shipped path (ONNX Runtime, the graph
exported from the shipped weights): the seconds ratio and the classes' agreement after
``classes_out`` (per-class Dice on this study at 512x512: lung, GGO, consolidation; and the
share of voxels whose class differs). Variants: ``torch`` (the fallback), ``torch-cl``
(channels_last), ``torch-jit`` (traced, frozen, optimised for inference), ``torch-compile``
(inductor; needs a C compiler, compiled here offline), ``torch-bf16`` (CPU autocast),
``ort`` (as shipped before: worker threads spin while waiting), ``ort-nospin`` (they
sleep: shipped now),
``ort-slab8``/``ort-slab32`` (other slab sizes; ``ort-nospin-slab32`` both), ``ort-int8``
(static QDQ quantisation, calibrated on training-side simulated cases of lidc-idri-0001,
seeds 0-1). Load average stated; the box is shared, so only ratios within a run compare.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import torch  # noqa: E402
from ai_speed import DATA, study  # noqa: E402

from inference.model import classes_out, to_input  # noqa: E402
from inference.runtime import export  # noqa: E402
from inference.segmenters import SLAB  # noqa: E402


def slabs(volume, size: int) -> list[tuple[torch.Tensor, object]]:
    from inference.model import InputGrid
    from inference.weights import DEFAULT_WEIGHTS, read_sidecar

    arch = read_sidecar(DEFAULT_WEIGHTS).get("architecture", {})
    grid = InputGrid(int(arch.get("input_size", 128)), arch.get("pixel_mm"))  # as shipped
    return [to_input(volume.voxels[s:s + size], volume.spacing, grid)
            for s in range(0, volume.shape[0], size)]


def ort_session(model, threads: int, spin: bool = True, quantised: bytes | None = None):
    import onnxruntime as ort

    from inference.runtime import OnnxForward

    fwd = OnnxForward(model, threads, spin=spin)
    if quantised is not None:
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        fwd.session = ort.InferenceSession(quantised, options,
                                           providers=["CPUExecutionProvider"])
    return fwd


def int8_graph(model, grid_slabs) -> bytes:
    """Static QDQ int8 of the exported graph, calibrated on training-side slabs."""
    import tempfile

    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Reader(CalibrationDataReader):
        def __init__(self) -> None:
            self.it = iter([{"x": x.numpy()} for x, _ in grid_slabs])

        def get_next(self):
            return next(self.it, None)

    tmp = Path(tempfile.mkdtemp(prefix="luch-int8-"))
    (tmp / "f.onnx").write_bytes(export(model))
    quant_pre_process(str(tmp / "f.onnx"), str(tmp / "p.onnx"), skip_symbolic_shape=True)
    quantize_static(str(tmp / "p.onnx"), str(tmp / "q.onnx"), Reader(),
                    quant_format=QuantFormat.QDQ, activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8, per_channel=True)
    return (tmp / "q.onnx").read_bytes()


def calibration_slabs(size: int):
    from inference.training import data as sim_data
    from studies import SeriesInfo, Volume

    series = sim_data.load_series(DATA, sim_data.TRAIN_SERIES[0])
    v = series.volume
    out = []
    for case in sim_data.cases(series, [2, 3], 0):
        vol = Volume(voxels=case.hu, spacing=v.spacing, origin=v.origin,
                     direction=v.direction, info=SeriesInfo(modality="CT"))
        out += slabs(vol, size)[::3]
    return out


def variants(model, threads: int, only: set[str] | None, volume):
    """name -> (forward, slab size)."""
    made: dict[str, tuple[Callable, int]] = {}

    def want(name: str) -> bool:
        return only is None or name in only

    if want("ort"):
        made["ort"] = (ort_session(model, threads), SLAB)
    if want("torch"):
        made["torch"] = (model, SLAB)
    if want("torch-cl"):
        import copy

        cl = copy.deepcopy(model).to(memory_format=torch.channels_last)

        def fwd_cl(x, cl=cl):
            return cl(x.contiguous(memory_format=torch.channels_last))
        made["torch-cl"] = (fwd_cl, SLAB)
    if want("torch-jit"):
        import copy

        m = copy.deepcopy(model)
        with torch.no_grad():
            jit = torch.jit.optimize_for_inference(
                torch.jit.freeze(torch.jit.trace(m, torch.zeros(SLAB, 1, 144, 144))))
        made["torch-jit"] = (jit, SLAB)
    if want("torch-compile"):
        import copy

        m = copy.deepcopy(model)
        try:
            made["torch-compile"] = (torch.compile(m, dynamic=False), SLAB)
        except Exception as err:  # inductor missing a compiler etc.
            print(f"torch-compile: not made: {type(err).__name__}: {err}")
    if want("torch-bf16"):
        def fwd_bf16(x):
            with torch.autocast("cpu", dtype=torch.bfloat16):
                return model(x).float()
        made["torch-bf16"] = (fwd_bf16, SLAB)
    for name in sorted(only or ("ort-nospin", "ort-slab8", "ort-slab32")):
        # ort[-nospin][-slabN]: the shipped graph, worker threads not spinning, other slabs
        parts = name.split("-")
        if parts[0] != "ort" or name == "ort" or "int8" in parts:
            continue
        size = next((int(p[4:]) for p in parts if p.startswith("slab")), SLAB)
        made[name] = (ort_session(model, threads, spin="nospin" not in parts), size)
    if want("ort-int8"):
        t = time.perf_counter()
        graph = int8_graph(model, calibration_slabs(SLAB))
        print(f"ort-int8: quantised in {time.perf_counter() - t:.1f} s")
        made["ort-int8"] = (ort_session(model, threads, quantised=graph), SLAB)
    return made


def run(forward, inputs, rows: int, cols: int, keep: bool):
    out = [] if keep else None
    with torch.inference_mode():
        for x, place in inputs:
            logits = forward(x)
            if keep:
                out.append(classes_out(logits.float().cpu().numpy(), place, rows, cols))
    return np.concatenate(out) if keep else None


def agreement(a: np.ndarray, b: np.ndarray) -> str:
    parts = []
    for name, values in (("lung", (1, 2, 3)), ("GGO", (2,)), ("cons", (3,))):
        x, y = np.isin(a, values), np.isin(b, values)
        tot = int(x.sum()) + int(y.sum())
        parts.append(f"{name} {1.0 if tot == 0 else 2 * int((x & y).sum()) / tot:.5f}")
    return ", ".join(parts) + f"; differ {np.mean(a != b) * 100:.4f} %"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slices", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", help="comma-separated variants (ort is always the reference)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    only = None if not args.only else set(args.only.split(",")) | {"ort"}
    from inference.weights import DEFAULT_WEIGHTS, load_model

    model, _ = load_model(DEFAULT_WEIGHTS)
    volume = study(args.slices)
    _, rows, cols = volume.shape
    made = variants(model, args.threads, only, volume)
    inputs = {size: slabs(volume, size) for size in {s for _, s in made.values()}}
    print(f"load average {os.getloadavg()[0]:.1f}; {args.slices} slices, {args.threads} "
          f"threads, variants {', '.join(made)}", flush=True)
    ref = None
    classes = {}
    for name, (fwd, size) in made.items():  # warm-up and classes
        t = time.perf_counter()
        classes[name] = run(fwd, inputs[size], rows, cols, keep=True)
        print(f"  warm-up {name}: {time.perf_counter() - t:.1f} s", flush=True)
    ref = classes["ort"]
    times: dict[str, list[float]] = {k: [] for k in made}
    for r in range(args.rounds):
        order = list(made) if r % 2 == 0 else list(made)[::-1]
        for name in order:
            fwd, size = made[name]
            t = time.perf_counter()
            run(fwd, inputs[size], rows, cols, keep=False)
            times[name].append(time.perf_counter() - t)
        print(f"  round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in times.items())
              + f"; load {os.getloadavg()[0]:.1f}", flush=True)
    base = float(np.median(times["ort"]))
    print(f"forward of {args.slices} slices, medians of {args.rounds} rounds (load "
          f"{os.getloadavg()[0]:.1f}); ratio to ort (shipped); classes vs ort:")
    for name in made:
        med = float(np.median(times[name]))
        print(f"  {name:14s} {med:6.2f} s  ratio {med / base:.2f}  {agreement(classes[name], ref)}")


if __name__ == "__main__":
    main()
