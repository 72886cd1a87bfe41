"""The U-Net's forward pass on the CPU through ONNX Runtime, with torch as the fallback.

On the 2-core CPU ONNX Runtime runs the shipped network in well under torch's time
(``benchmarks/ai_speed.py`` and ``benchmarks/ai_runtimes.py`` measure them in one run). The
graph is exported from the loaded torch module at its first use and kept in
``LUCH_HOME/cache/onnx``, named by the weights' sha256, torch's version and the opset (the
export gives the same bytes for the same three), so later processes skip the export (1-3 s,
15 s on a loaded box); site weights from the registry get their own file. Each graph carries
the key of the weights it was exported from (metadata ``luch.weights``), checked when it is
loaded: a graph of other weights, or one without the key, is exported again, like a damaged
file, with a log line saying which. Where onnxruntime or onnx is missing, or the export
fails, torch runs and the log says why; on a GPU torch runs always.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import warnings
from pathlib import Path

import numpy as np
import torch
from torch import nn

from inference.model import INPUT_SIZE

log = logging.getLogger(__name__)

RUNTIMES = ("auto", "onnx", "torch")
OPSET = 17
CACHE = "cache/onnx"  # under LUCH_HOME
WEIGHTS_PROP = "luch.weights"  # the graph's metadata: the key of the weights it holds
SPIN = os.environ.get("LUCH_ORT_SPIN", "0") == "1"  # ORT's busy-wait (its default: on)


def export(model: nn.Module, size: int = INPUT_SIZE, key: str | None = None) -> bytes:
    """The module as an ONNX graph (batch and image size free); the same bytes each time for
    the same weights and torch. ``key``: the weights' key, kept in the graph's metadata."""
    buf = io.BytesIO()
    with warnings.catch_warnings(), torch.inference_mode(False), torch.no_grad():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notice
        torch.onnx.export(model.eval(), (torch.zeros(1, 1, size, size),), buf, dynamo=False,
                          input_names=["x"], output_names=["logits"],
                          dynamic_axes={"x": {0: "n", 2: "h", 3: "w"},
                                        "logits": {0: "n", 2: "h", 3: "w"}},
                          opset_version=OPSET)
    if key is None:
        return buf.getvalue()
    import onnx  # deferred: loads with the first export, as torch.onnx does

    graph = onnx.load_from_string(buf.getvalue())
    onnx.helper.set_model_props(graph, {WEIGHTS_PROP: key})
    return graph.SerializeToString()


def weights_key(model: nn.Module) -> str:
    """sha256 of the module's tensors (names, shapes and bytes): for weights whose file's
    sha256 is not known."""
    digest = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        digest.update(f"{name}{tuple(tensor.shape)}{tensor.dtype}".encode())
        digest.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return digest.hexdigest()


def cache_path(sha256: str, size: int = INPUT_SIZE) -> Path:
    """Where the graph of the weights with this sha256 is kept."""
    # deferred: core.paths creates LUCH_HOME; only when a graph is kept
    from core.paths import app_subdir

    torch_version = torch.__version__.replace("+", "_")
    return app_subdir(CACHE) / f"unet-{sha256[:32]}-torch{torch_version}-op{OPSET}-{size}.onnx"


def cached_graph(model: nn.Module, key: str, size: int = INPUT_SIZE,
                 fresh: bool = False) -> bytes:
    """The graph of the weights with this ``key`` from the cache, exported and kept there
    when missing or ``fresh`` (a cache that cannot be written: exported in memory)."""
    # deferred: core.files only when a graph is written
    from core.files import write_bytes_atomic

    path = cache_path(key, size)
    if not fresh and path.is_file():
        return path.read_bytes()
    graph = export(model, size, key)
    try:
        write_bytes_atomic(path, graph)
    except OSError as err:
        log.warning("ONNX graph not kept in the cache: %s", type(err).__name__)
    return graph


class OnnxForward:
    """``forward(x) -> logits`` of a torch module, run by ONNX Runtime on ``threads`` threads."""

    def __init__(self, model: nn.Module, threads: int, size: int = INPUT_SIZE,
                 sha256: str | None = None, spin: bool = SPIN) -> None:
        # deferred: onnxruntime (~0.3 s) loads with the CPU U-Net, not with the pre-read
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads)
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.log_severity_level = 3
        # Idle worker threads sleep instead of spinning: the thorax masks run on a second
        # thread beside the network, and on 2 cores a spinning thread takes their core.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
        key = sha256 or weights_key(model)

        def session(fresh: bool = False):
            return ort.InferenceSession(cached_graph(model, key, size, fresh), options,
                                        providers=["CPUExecutionProvider"])

        try:
            self.session = session()
        except Exception as err:  # a damaged cache file (ORT raises its own types)
            log.warning("Cached ONNX graph unusable (%s), exported again", type(err).__name__)
            self.session = session(fresh=True)
        else:
            stamped = self.session.get_modelmeta().custom_metadata_map.get(WEIGHTS_PROP)
            if stamped != key:
                log.warning("Cached ONNX graph %s, exported again",
                            "is of other weights" if stamped else "names no weights")
                self.session = session(fresh=True)
        self.threads = options.intra_op_num_threads

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = np.ascontiguousarray(x.detach().cpu().numpy(), dtype=np.float32)
        return torch.from_numpy(self.session.run(None, {"x": x})[0])


def cpu_forward(model: nn.Module, runtime: str, threads: int, sha256: str | None = None):
    """The forward pass to use on the CPU: ONNX Runtime for ``auto``/``onnx`` when it can be
    made (``onnx``: an error when not), else the torch module itself; ``sha256``: the weights
    file's, naming the cached graph. Returns (forward, name)."""
    if runtime not in RUNTIMES:
        raise ValueError(f"Unknown runtime {runtime!r}; use one of {', '.join(RUNTIMES)}")
    if runtime == "torch":
        return model, "torch"
    try:
        return OnnxForward(model, threads, sha256=sha256), "onnx"
    except Exception as err:  # any failure to load or export: torch still reads the study
        if runtime == "onnx":
            raise
        log.warning("ONNX Runtime unavailable for the U-Net, torch runs: %s: %s",
                    type(err).__name__, err)
        return model, "torch"
