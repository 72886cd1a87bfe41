"""The U-Net's forward pass on the CPU through ONNX Runtime, with torch as the fallback.

On the 2-core CPU ONNX Runtime runs the shipped network in well under torch's time
(``benchmarks/ai_speed.py`` measures both in one run). The loaded torch module is exported to
ONNX in memory when the segmenter is made (about a second, once per process), so site weights
from the registry get it too. Where onnxruntime or onnx is missing, or the export fails, torch
runs and the log says why; on a GPU torch runs always.
"""

from __future__ import annotations

import io
import logging
import warnings

import numpy as np
import torch
from torch import nn

from inference.model import INPUT_SIZE

log = logging.getLogger(__name__)

RUNTIMES = ("auto", "onnx", "torch")


class OnnxForward:
    """``forward(x) -> logits`` of a torch module, run by ONNX Runtime on ``threads`` threads."""

    def __init__(self, model: nn.Module, threads: int, size: int = INPUT_SIZE) -> None:
        # deferred: onnxruntime (~0.3 s) loads with the CPU U-Net, not with the pre-read
        import onnxruntime as ort

        model = model.eval()
        buf = io.BytesIO()
        with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
            torch.onnx.export(model, (torch.zeros(1, 1, size, size),), buf, dynamo=False,
                              input_names=["x"], output_names=["logits"],
                              dynamic_axes={"x": {0: "n", 2: "h", 3: "w"},
                                            "logits": {0: "n", 2: "h", 3: "w"}},
                              opset_version=17)
        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(buf.getvalue(), options,
                                            providers=["CPUExecutionProvider"])
        self.threads = options.intra_op_num_threads

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = np.ascontiguousarray(x.detach().cpu().numpy(), dtype=np.float32)
        return torch.from_numpy(self.session.run(None, {"x": x})[0])


def cpu_forward(model: nn.Module, runtime: str, threads: int):
    """The forward pass to use on the CPU: ONNX Runtime for ``auto``/``onnx`` when it can be
    made (``onnx``: an error when not), else the torch module itself. Returns (forward, name)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"Unknown runtime {runtime!r}; use one of {', '.join(RUNTIMES)}")
    if runtime == "torch":
        return model, "torch"
    try:
        return OnnxForward(model, threads), "onnx"
    except Exception as err:  # any failure to load or export: torch still reads the study
        if runtime == "onnx":
            raise
        log.warning("ONNX Runtime unavailable for the U-Net, torch runs: %s: %s",
                    type(err).__name__, err)
        return model, "torch"
