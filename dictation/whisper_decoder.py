"""Whisper's text decoder in torch, read from a CTranslate2 ``model.bin``, with a beam search
that a language model can steer (shallow fusion).

CTranslate2's Whisper beam search has no hook for an outside score. This module reads the
decoder's weights from the same ``model.bin`` (float16/float32 as stored, int8 with its
per-row scales) and runs it on the encoder output CTranslate2 computed, with a KV cache:
layer norms and attention in float32, the linear layers with int8 weights per row and int8
activations (torch's dynamic quantisation, as CTranslate2 runs on a CPU); one thread. The
search is a beam search like CTranslate2's: each hypothesis proposes its
:data:`CANDIDATES` best tokens, ranked by the summed log-probability, finished at the
end-of-text token, done when ``beam`` have finished, the best by their per-token score.
With a ``bias`` (:class:`dictation.fusion_lm.FusionLM`) each proposed token's score gains
``weight`` times the change in the bias of the hypothesis' text. With no bias the text is
CTranslate2's on most utterances, not all: the two int8 schemes and the finishing rules
differ in detail and tip close calls (9 of 10 en-speechbrain clips alike).
"""

from __future__ import annotations

import functools
import struct
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dictation.errors import ModelError

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
_LOCK = threading.Lock()
CANDIDATES = 20  # tokens each hypothesis proposes per step (its best by Whisper alone)
# With a bias, no hypothesis repeats a run of this many tokens: a positive bias pays for
# every domain word again, so a loop ("small right apical..., small right apical...") gained.
NO_REPEAT = 4


def read_variables(path: Path, keep: Callable[[str], bool]) -> dict[str, np.ndarray]:
    """The variables of a CTranslate2 ``model.bin`` whose names ``keep`` accepts (aliases
    resolved)."""
    data = Path(path).read_bytes()
    pos = 0

    def take(fmt: str):
        nonlocal pos
        value = struct.unpack_from(fmt, data, pos)[0]
        pos += struct.calcsize(fmt)
        return value

    def text() -> str:
        nonlocal pos
        n = take("H")
        out = data[pos : pos + n - 1].decode("utf-8")
        pos += n
        return out

    if take("I") < 5:
        raise ModelError(f"{path}: a CTranslate2 model.bin of an older format")
    text()
    take("I")
    out: dict[str, np.ndarray] = {}
    for _ in range(take("I")):
        name = text()
        shape = [take("I") for _ in range(take("B"))]
        dtype = _DTYPES.get(take("B"))
        size = take("I")
        if keep(name):
            if dtype is None:
                raise ModelError(f"{path}: {name} has a type this reader does not know")
            count = size // np.dtype(dtype).itemsize
            out[name] = np.frombuffer(data, dtype, count, pos).reshape(shape)
        pos += size
    for _ in range(take("I")):
        alias, name = text(), text()
        if keep(alias) and name in out:
            out[alias] = out[name]
    return out


def _float(variables: dict[str, np.ndarray], name: str):
    """``name`` as a float32 torch tensor (an int8 weight scaled back by its row scales)."""
    import torch  # deferred: torch loads only when fusion decoding runs

    value = variables[name]
    if value.dtype == np.int8 and name.endswith("weight"):
        scale = variables[name + "_scale"].astype(np.float32)
        value = value.astype(np.float32) / scale.reshape(-1, 1)
    return torch.from_numpy(np.array(value, dtype=np.float32))


def _quantised(weight, bias):
    """A linear layer with int8 weights (per row) and int8 activations, as CTranslate2 runs
    Whisper on a CPU: the output projection over the 51,865 tokens is memory-bound, 9x
    faster than float32 on this box."""
    import torch  # deferred: torch loads only when fusion decoding runs
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    layer = torch.nn.Linear(weight.shape[1], weight.shape[0], bias=bias is not None)
    layer.weight.data = weight
    if bias is not None:
        layer.bias.data = bias
    with warnings.catch_warnings():  # torch.ao's dynamic quantisation warns of its successor
        warnings.simplefilter("ignore")
        return quantize_dynamic(torch.nn.Sequential(layer),
                                {torch.nn.Linear: per_channel_dynamic_qconfig},
                                dtype=torch.qint8)


def _linear(variables: dict[str, np.ndarray], prefix: str):
    return _quantised(_float(variables, prefix + "/weight"), _float(variables, prefix + "/bias"))


def _ngrams(tokens: list[int]) -> set[tuple[int, ...]]:
    """The runs of :data:`NO_REPEAT` tokens in ``tokens``."""
    n = NO_REPEAT
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def _attend(q, parts: list):
    """Attention of ``q`` [B, H, 1, dh] over keys and values given in parts (each [B or 1,
    H, t, dh]), without joining them: a batch-1 part (the prompt, the audio) is shared by
    the hypotheses as rows of one product, not copied per hypothesis."""
    import torch  # deferred: torch loads only when fusion decoding runs

    scale = q.shape[-1] ** -0.5
    rows = q.transpose(0, 2)  # [1, H, B, dh]

    def product(x, y, shared: bool):
        return torch.matmul(x.transpose(0, 2), y).transpose(0, 2) if shared else x @ y

    scores = []
    for k, _v in parts:
        shared = k.shape[0] == 1 and q.shape[0] > 1
        s = (rows @ k.transpose(-1, -2)).transpose(0, 2) if shared else q @ k.transpose(-1, -2)
        scores.append(s * scale)
    weights = torch.softmax(torch.cat(scores, dim=-1), dim=-1)
    out = None
    at = 0
    for (k, v), sc in zip(parts, scores, strict=True):
        w = weights[..., at : at + sc.shape[-1]]
        part = product(w, v, k.shape[0] == 1 and q.shape[0] > 1)
        out = part if out is None else out + part
        at += sc.shape[-1]
    return out


@dataclass
class Hypothesis:
    """One finished hypothesis: its tokens (no end token), Whisper's summed log-probability
    (end token included) and the score it was ranked by (length-normalised, bias included)."""

    tokens: list[int]
    logprob: float
    score: float
    bias: float = 0.0


class TorchWhisperDecoder:
    """Whisper's decoder (pre-norm transformer with cross-attention) in torch."""

    def __init__(self, path: Path) -> None:
        import torch  # deferred: torch loads only when fusion decoding runs

        v = read_variables(Path(path) / "model.bin", lambda k: k.startswith("decoder/"))
        if "decoder/embeddings/weight" not in v:
            raise ModelError(f"{path}: no Whisper decoder in model.bin")
        self.heads = int(v["decoder/num_heads"])
        self.embed = _float(v, "decoder/embeddings/weight")
        self.positions = _float(v, "decoder/position_encodings/encodings")
        self.d = self.embed.shape[1]
        n = 0
        while f"decoder/layer_{n}/ffn/linear_0/weight" in v:
            n += 1
        self.layers = []
        for i in range(n):
            p = f"decoder/layer_{i}/"
            g = functools.partial(_float, v)
            lin = functools.partial(_linear, v)
            self.layers.append({
                "ln1": (g(p + "self_attention/layer_norm/gamma"),
                        g(p + "self_attention/layer_norm/beta")),
                "qkv": lin(p + "self_attention/linear_0"),
                "out1": lin(p + "self_attention/linear_1"),
                "ln2": (g(p + "attention/layer_norm/gamma"), g(p + "attention/layer_norm/beta")),
                "q": lin(p + "attention/linear_0"),
                "kv": lin(p + "attention/linear_1"),
                "out2": lin(p + "attention/linear_2"),
                "ln3": (g(p + "ffn/layer_norm/gamma"), g(p + "ffn/layer_norm/beta")),
                "fc1": lin(p + "ffn/linear_0"),
                "fc2": lin(p + "ffn/linear_1"),
            })
        self.ln = (_float(v, "decoder/layer_norm/gamma"), _float(v, "decoder/layer_norm/beta"))
        self.project = _quantised(self.embed, None)
        self.torch = torch

    # -- the network ----------------------------------------------------------------------
    def _split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, -1).transpose(1, 2)

    def cross_cache(self, encoder_output: np.ndarray) -> list:
        """Each layer's cross-attention keys and values of the encoder output [1, T, d]."""
        torch = self.torch
        enc = torch.from_numpy(np.ascontiguousarray(encoder_output, dtype=np.float32))
        out = []
        for layer in self.layers:
            kv = layer["kv"](enc)
            k, v = kv.split(self.d, dim=-1)
            out.append((self._split(k), self._split(v)))
        return out

    def step(self, tokens, position: int, prompt: list, cache: list, cross: list):
        """Logits for one new token per hypothesis (``tokens`` [B, 1]) at ``position``.

        The prompt's keys and values (``prompt``, per layer, batch 1) are shared by every
        hypothesis and never copied; ``cache`` holds the generated tokens' own (per layer,
        batch B, or None) and is extended in place."""
        torch = self.torch
        F = torch.nn.functional
        x = F.embedding(tokens, self.embed) + self.positions[position : position + 1]
        for i, layer in enumerate(self.layers):
            h = F.layer_norm(x, (self.d,), *layer["ln1"])
            q, k, v = layer["qkv"](h).split(self.d, dim=-1)
            q, k, v = self._split(q), self._split(k), self._split(v)
            if cache[i] is not None:
                k = torch.cat([cache[i][0], k], dim=2)
                v = torch.cat([cache[i][1], v], dim=2)
            cache[i] = (k, v)
            a = _attend(q, [prompt[i], (k, v)])
            x = x + layer["out1"](a.transpose(1, 2).reshape(x.shape))
            h = F.layer_norm(x, (self.d,), *layer["ln2"])
            q = self._split(layer["q"](h))
            a = _attend(q, [cross[i]])
            x = x + layer["out2"](a.transpose(1, 2).reshape(x.shape))
            h = F.layer_norm(x, (self.d,), *layer["ln3"])
            x = x + layer["fc2"](F.gelu(layer["fc1"](h)))
        x = F.layer_norm(x[:, -1], (self.d,), *self.ln)
        return self.project(x)

    # -- the search -----------------------------------------------------------------------
    def beam_search(
        self,
        encoder_output: np.ndarray,
        prompt: Sequence[int],
        eot: int,
        suppress: Sequence[int],
        blank: Sequence[int],
        beam: int = 5,
        max_length: int = 448,
        bias: Callable[[list[int], bool], float] | None = None,
        weight: float = 0.0,
        no_speech: int | None = None,
        sot_index: int = 0,
    ) -> tuple[list[Hypothesis], float]:
        """The finished hypotheses, best first, and the no-speech probability.

        ``bias(tokens, finished)``: the text bias of a hypothesis' tokens (``finished``: the
        last word is whole), added times ``weight`` to its summed log-probability.
        ``suppress``: tokens never written; ``blank``: not written first."""
        torch = self.torch
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # small batches: more threads only contend (2-core box)
        try:
            return self._search(encoder_output, prompt, eot, suppress, blank, beam, max_length,
                                bias, weight, no_speech, sot_index)
        finally:
            torch.set_num_threads(threads)

    def _search(self, encoder_output, prompt, eot, suppress, blank, beam, max_length, bias,
                weight, no_speech, sot_index) -> tuple[list[Hypothesis], float]:
        torch = self.torch
        with torch.inference_mode():
            cross = self.cross_cache(encoder_output)
            shared: list = [None] * len(self.layers)
            ids = torch.tensor([list(prompt)], dtype=torch.long)
            logits, sot_logits = self._prefill(ids, shared, cross, sot_index)
            cache: list = [None] * len(self.layers)
            p_none = 0.0
            if no_speech is not None:
                p_none = float(torch.softmax(sot_logits, -1)[0, no_speech])
            mask = torch.zeros(logits.shape[-1])
            mask[list(suppress)] = float("-inf")
            first = mask.clone()
            first[list(blank)] = float("-inf")
            alive: list[tuple[list[int], float, float]] = [([], 0.0, 0.0)]  # tokens, lp, bias
            finished: list[Hypothesis] = []
            start = len(prompt)
            limit = max_length - len(prompt)
            for step in range(max(limit, 1)):
                logp = torch.log_softmax(logits + (first if step == 0 else mask), dim=-1)
                top_lp, top_ix = logp.topk(CANDIDATES if bias is not None else 2 * beam, dim=-1)
                cands = []
                for b, (toks, lp, bs) in enumerate(alive):
                    seen = _ngrams(toks) if bias is not None else set()
                    for lp_t, tok in zip(top_lp[b].tolist(), top_ix[b].tolist(), strict=True):
                        if (*toks[1 - NO_REPEAT :], tok) in seen:
                            continue  # the bias must not pay for a loop
                        new_lp = lp + lp_t
                        new_bs = bs
                        if bias is not None and weight:
                            new_bs = bias(toks if tok == eot else [*toks, tok], tok == eot)
                        cands.append((new_lp + weight * new_bs, b, tok, new_lp, new_bs))
                cands.sort(key=lambda c: -c[0])
                nxt: list[tuple[int, int, float, float]] = []
                for total, b, tok, lp, bs in cands:
                    if tok == eot or step == limit - 1:
                        toks = alive[b][0] + ([] if tok == eot else [tok])
                        n = max(len(toks), 1)
                        finished.append(Hypothesis(toks, lp, total / n, bs))
                    else:
                        nxt.append((b, tok, lp, bs))
                    if len(nxt) == beam:
                        break
                if len(finished) >= beam or not nxt:
                    break
                if step:
                    order = torch.tensor([b for b, *_ in nxt])
                    cache = [(k.index_select(0, order), v.index_select(0, order))
                             for k, v in cache]
                alive = [(alive[b][0] + [tok], lp, bs) for b, tok, lp, bs in nxt]
                step_ids = torch.tensor([[tok] for _b, tok, *_ in nxt])
                logits = self.step(step_ids, start + step, shared, cache, cross)
        finished.sort(key=lambda h: -h.score)
        return finished[:beam], p_none

    def _prefill(self, ids, cache: list, cross: list, sot_index: int):
        """The prompt through the decoder at once: the logits at its last position and at
        its start-of-transcript token (``sot_index``)."""
        torch = self.torch
        F = torch.nn.functional
        t = ids.shape[1]
        x = F.embedding(ids, self.embed) + self.positions[:t]
        mask = torch.full((t, t), float("-inf")).triu(1)
        for i, layer in enumerate(self.layers):
            h = F.layer_norm(x, (self.d,), *layer["ln1"])
            q, k, v = layer["qkv"](h).split(self.d, dim=-1)
            q, k, v = self._split(q), self._split(k), self._split(v)
            cache[i] = (k, v)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            x = x + layer["out1"](a.transpose(1, 2).reshape(x.shape))
            h = F.layer_norm(x, (self.d,), *layer["ln2"])
            q = self._split(layer["q"](h))
            ck, cv = cross[i]
            a = F.scaled_dot_product_attention(q, ck, cv)
            x = x + layer["out2"](a.transpose(1, 2).reshape(x.shape))
            h = F.layer_norm(x, (self.d,), *layer["ln3"])
            x = x + layer["fc2"](F.gelu(layer["fc1"](h)))
        x = F.layer_norm(x, (self.d,), *self.ln)
        return self.project(x[:, -1]), self.project(x[:, sot_index])


_DECODERS: dict[Path, TorchWhisperDecoder] = {}


def load_decoder(path: Path) -> TorchWhisperDecoder:
    """The torch decoder of the Whisper model folder ``path``, loaded once per process."""
    key = Path(path).resolve()
    with _LOCK:
        if key not in _DECODERS:
            _DECODERS[key] = TorchWhisperDecoder(key)
        return _DECODERS[key]
