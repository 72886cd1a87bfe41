"""Where Whisper's first text after the end of speech goes: pause detection, waiting behind
earlier work, the decode itself.

    .venv/bin/python benchmarks/dictation_latency.py [--lang en|ru] [--subset N] [--runs 2]
        [--compare ATTR=VALUE]

Each utterance (0.5 s of silence, the clip, 1 s of silence) is streamed in the 20 ms blocks
live capture delivers, arriving in real time, as in ``benchmarks/dictation.py`` (a block is
handled when it has arrived and the blocks before it are done). For the first text after
the end of speech (the first final or tentative final with text; the end of speech is the
last sample louder than -36 dBFS, read from the audio), the delay is split into:

* detect: from the end of speech to the arrival of the block whose handling gave the text
  (the pause timer seeing the pause, or the endpointer's end);
* wait: that block waiting for the blocks before it (a partial decode still running);
* decode: its own handling (the fast greedy decode, or the beam decode at the pause);

and which path gave it (fast: the fast greedy tentative final; pause: the beam decode at
the short pause; end: the endpointer's final). Also the greedy decodes' running mean the
recogniser keeps (it switches the fast final off above ``FAST_BUDGET``). English: tiny.en
on the espeak-ng development phrases (3 voices) and the en-speechbrain real voices;
Russian: base on the Festival radiology phrases. The load average is printed per set.
``--compare ATTR=VALUE``: a second recogniser with that attribute changed
(``partial_every=2.0``), fed each utterance right after the first (``--swap``: before it), so
both see the same load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import CHUNK, EN_VOICES, RADIOLOGY, RATE, _real, _speech_end
from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.whisper_models import join_base, resolve_model

PATHS = {"_fast_tentative": "fast", "_tentative_final": "pause", "_end": "end",
         "_partial": "partial"}


def stream(rec, speech: np.ndarray) -> dict | None:
    """One utterance streamed; the first text's delay split as the module says."""
    calls: list[str] = []
    for name, path in PATHS.items():
        real = getattr(type(rec), name)

        def wrapped(*a, _real=real, _path=path, **kw):
            calls.append(_path)
            return _real(rec, *a, **kw)

        setattr(rec, name, wrapped)
    lead, trail = np.zeros(RATE // 2, np.int16), np.zeros(RATE, np.int16)
    audio = np.concatenate([lead, speech, trail])
    end = len(lead) / RATE + _speech_end(speech)
    done, first = 0.0, None
    for i in range(0, len(audio), CHUNK):
        arrived = (i + CHUNK) / RATE
        start = max(done, arrived)
        calls.clear()
        t0 = time.perf_counter()
        results = rec.accept(audio[i : i + CHUNK].tobytes())
        took = time.perf_counter() - t0
        done = start + took
        if first is None and arrived >= end and any(r.final and r.text for r in results):
            path = next((c for c in calls if c != "partial"), "?")
            first = {"detect": arrived - end, "wait": start - arrived, "decode": took,
                     "path": path, "total": done - end}
    rec.finish()
    for name in PATHS:
        delattr(rec, name)
    return first


def run(label: str, rec, items: list[np.ndarray], runs: int, other=None,
        swap: bool = False) -> None:
    """``other``: a second recogniser (a changed setting), fed each utterance right after
    ``rec`` (interleaved, so both see the same load; ``swap``: right before it); its row
    follows."""
    got, got2 = [], []
    for _ in range(runs):
        for s in items:
            pair = ((rec, got), (other, got2))
            for r, out in pair[::-1] if swap else pair:
                if r is not None and (f := stream(r, s)) is not None:
                    out.append(f)
    _row(label, rec, got)
    if other is not None:
        _row(f"{label}, {other.compare_label}", other, got2)


def _row(label: str, rec, got: list[dict]) -> None:
    def ms(key: str, q: float = 50) -> str:
        return f"{np.percentile([g[key] for g in got], q) * 1000:.0f}"

    paths = {p: sum(g["path"] == p for g in got) for p in ("fast", "pause", "end")}
    waited = sum(g["wait"] > 0.005 for g in got)
    greedy = "-" if rec.greedy_cost is None else f"{rec.greedy_cost * 1000:.0f}"
    print(f"| {label} | {len(got)} | {ms('total')} ({ms('total', 90)}) | {ms('detect')} | "
          f"{ms('wait')} ({ms('wait', 90)}), {waited} waited | {ms('decode')} "
          f"({ms('decode', 90)}) | {paths['fast']}/{paths['pause']}/{paths['end']} | "
          f"{greedy} | {os.getloadavg()[0]:.1f} |", flush=True)
    by_path = {}
    for g in got:
        by_path.setdefault(g["path"], []).append(g["total"])
    print("    median total by path (ms): " + ", ".join(
        f"{p} {statistics.median(v) * 1000:.0f}" for p, v in by_path.items()))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--subset", type=int, default=10, help="the first N phrases")
    parser.add_argument("--runs", type=int, default=2, help="passes over each set")
    parser.add_argument("--compare", help="also a recogniser with ATTR=VALUE changed "
                        "(e.g. partial_every=1.5), interleaved")
    parser.add_argument("--swap", action="store_true", help="feed the --compare recogniser "
                        "first (the order of the pair, measured)")
    args = parser.parse_args()
    n = args.subset
    print(f"load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs")
    print("| set | utterances | first text ms, median (p90) | detect | wait | decode | "
          "path fast/pause/end | greedy mean ms | load |")
    print("|---|---|---|---|---|---|---|---|---|")
    if args.lang == "en":
        options = build_options("en", model_dir=resolve_model("en"))
    else:
        options = build_options("ru", model_dir=join_base())
    rec = create_recognizer("whisper", options)
    rec.accept(np.zeros(RATE, np.int16).tobytes())  # loads and warms
    other = None
    if args.compare:
        attr, value = args.compare.split("=")
        other = create_recognizer("whisper", options)
        setattr(other, attr, float(value))
        other.compare_label = args.compare
    if args.lang == "en":
        rad = [synthesize(en, v) for en, _ru in RADIOLOGY[:n] for v in EN_VOICES]
        run("en radiology phrases, espeak-ng x3 voices", rec, rad, args.runs, other, args.swap)
        shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
        if (shared / "en-speechbrain").is_dir():
            voices = [s for s, _t in _real(shared / "en-speechbrain")[:n]]
            run("en en-speechbrain real voices", rec, voices, args.runs, other, args.swap)
    else:
        texts = [ru for _en, ru in RADIOLOGY[:n]]
        run("ru radiology phrases, Festival", rec, synthesize_many(texts, FESTIVAL_RU),
            args.runs, other, args.swap)
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
