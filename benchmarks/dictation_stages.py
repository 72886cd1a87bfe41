"""What each step between the end of speech and Whisper's first text costs, in CPU and wall.

    .venv/bin/python benchmarks/dictation_stages.py [--lang en|ru] [--subset N] [--threads 1,2]

Each utterance is framed as the recogniser holds it at the fast final's pause (0.4 s of
lead-in, the clip, then 0.13 s of its trailing silence) and every step of the decode is
timed on its own, in this process (wall, and process CPU: CTranslate2's threads included):
Silero's speech check, features, the encoder (at the engine's padded context), a greedy
decode with and without the domain prompt, the beam decode of finals (n-best, as shipped),
the vocabulary fix, the word alignment (timestamps), the text matcher and the command
scorer. Per ``--threads``: the same model with that many CTranslate2 threads (the engine
uses min(CPUs, 8)). Medians over the utterances; the load average is printed.
English: tiny.en on the espeak-ng development phrases (3 voices) and the real voices;
Russian: base on the Festival radiology phrases.
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

from benchmarks.dictation import EN_VOICES, RADIOLOGY, RATE, _real, _speech_end
from dictation.command_score import command_of
from dictation.engines import create_recognizer
from dictation.engines import whisper_engine as we
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.whisper_models import join_base, resolve_model

TAIL = 0.13  # s of the pause the fast final's decode hears (the pause timer's detection)


def timed(out: dict, key: str, fn, *args, **kw):
    t0, c0 = time.perf_counter(), time.process_time()
    value = fn(*args, **kw)
    out.setdefault(key, []).append((time.perf_counter() - t0, time.process_time() - c0))
    return value


def profile(rec, clips: list[np.ndarray]) -> dict:
    got: dict = {}
    for clip in clips:
        end = _speech_end(clip)
        pcm = np.concatenate([np.zeros(round(we.LEAD_IN * RATE), np.int16),
                              clip[: round((end + TAIL) * RATE)]])
        audio = pcm.astype(np.float32) / 32768.0
        timed(got, "silero", we._speech_seconds, audio)
        feats = timed(got, "features", rec.model.feature_extractor, audio)
        del feats
        encoded = timed(got, "encoder (features included)", rec._encode, audio)
        seconds = len(audio) / RATE
        timed(got, "greedy, prompt", rec._generate, audio, seconds, 1, True, encoded=encoded)
        timed(got, "greedy, no prompt", rec._generate, audio, seconds, 1, False,
              encoded=encoded)
        beam = rec.beam_size or (we.BEAM_SIZE_DOMAIN if rec._fixer is not None
                                 else we.BEAM_SIZE)
        decoded = timed(got, f"beam {beam}, prompt", rec._generate, audio, seconds, beam,
                        True, encoded=encoded)
        if rec._fixer is not None:
            timed(got, "vocabulary fix", rec._fixer.fix, decoded.text)
        rec._utt = bytearray(pcm.tobytes())
        timed(got, "word alignment", rec._align, decoded)
        if rec.scorer is not None:
            timed(got, "text matcher", command_of, decoded.text, rec._command_set)
            decoded.scored = False
            timed(got, "command scorer (when it weighs)", rec._command, decoded)
        rec._utt = None
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--subset", type=int, default=10)
    parser.add_argument("--threads", default="2")
    args = parser.parse_args()
    n = args.subset
    if args.lang == "en":
        options = build_options("en", model_dir=resolve_model("en"))
        sets = {"en radiology, espeak-ng x3": [synthesize(en, v) for en, _ru in RADIOLOGY[:n]
                                               for v in EN_VOICES]}
        shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
        if (shared / "en-speechbrain").is_dir():
            sets["en real voices"] = [s for s, _t in _real(shared / "en-speechbrain")[:n]]
    else:
        options = build_options("ru", model_dir=join_base())
        sets = {"ru radiology, Festival": synthesize_many([ru for _en, ru in RADIOLOGY[:n]],
                                                          FESTIVAL_RU)}
    from faster_whisper import WhisperModel

    for threads in [int(t) for t in args.threads.split(",")]:
        rec = create_recognizer("whisper", options)
        device, compute = we.device_and_type(args.lang)
        rec.model = WhisperModel(str(rec.model_path), device=device, compute_type=compute,
                                 cpu_threads=threads, local_files_only=True)
        if rec.scorer is not None:
            rec.scorer.model = rec.model
        rec._generate(np.zeros(RATE, np.float32), 1.0, 1, use_prompt=False)  # warm
        for name, clips in sets.items():
            load = os.getloadavg()[0]
            got = profile(rec, clips)
            print(f"\n{name}, {threads} thread(s), {len(clips)} utterances, load {load:.1f}"
                  f"-{os.getloadavg()[0]:.1f}")
            print("| step | wall ms, median (p90) | CPU ms, median |")
            print("|---|---|---|")
            for key, values in got.items():
                wall = [v[0] * 1000 for v in values]
                cpu = [v[1] * 1000 for v in values]
                print(f"| {key} | {statistics.median(wall):.0f} "
                      f"({np.percentile(wall, 90):.0f}) | {statistics.median(cpu):.0f} |",
                      flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
