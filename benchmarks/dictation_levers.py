"""Whisper decode options for English finals, chosen on the development phrases only and
then reported on the real voices.

    .venv/bin/python benchmarks/dictation_levers.py [--model tiny.en] [--subset N] [--heldout]

Development set (choose here): the 42 espeak-ng radiology phrases of
``benchmarks/dictation.py`` (``RADIOLOGY``) in its three English voices. Report set (never
used to choose): the en-speechbrain real voices (``--heldout``, once per option chosen).
Each utterance is framed as the recogniser frames it (0.4 s before, 0.5 s after), encoded
once, and every option decoded on that encoder output with the engine's own decode and
guards (``WhisperRecognizer._decode``: prompt, n-best pick, vocabulary fix, retries).
Options: CTranslate2's ``patience`` and ``length_penalty``, a repetition penalty, and a
temperature fallback (a decode with average log-probability below -1 decoded again by
sampling at 0.2 and 0.4, seeded; the best average log-probability kept); h14-dict added
``suppress_blank`` off, Whisper's timestamp tokens decoded (``without_timestamps=False``) and
the prompt followed by the text this option wrote for the same voice's previous phrase
(Whisper's ``condition_on_previous_text``; the oldest prompt terms fall off at 223 tokens).

Rule fixed before the run: an option ships only if it lowers the development WER by at least
0.01 (7 of 696 words) at no more than 1.2x the decode time; then the report set once.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import EN_VOICES, RADIOLOGY, RADIOLOGY_HELDOUT_EN, _real, norm_words
from dictation.commands import CommandSet
from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.synth import synthesize
from dictation.wer import edit_distance
from dictation.whisper_models import resolve_model

VARIANTS: dict[str, dict] = {
    "engine default (beam 8, n-best pick)": {},
    "patience 2": {"patience": 2.0},
    "length penalty 0.8": {"length_penalty": 0.8},
    "length penalty 1.2": {"length_penalty": 1.2},
    "repetition penalty 1.1": {"repetition_penalty": 1.1},
    "temperature fallback 0.2, 0.4": {"fallback": True},
    # h14-dict
    "suppress_blank off": {"suppress_blank": False},
    "timestamps decoded": {"timestamps": True},
    "prompt + previous text": {"previous": True},
    # h17-dictacc: the domain prompt without the command phrases that alternate with its
    # terms (tiny.en's held-out errors wrote "go, field", "accept", "send" into findings)
    "prompt without command phrases": {"no_commands": True},
}


def decode(rec, audio, encoded, options: dict) -> tuple[str, float]:
    """Text and seconds of one decode with ``options``."""
    opts = dict(options)
    fallback = opts.pop("fallback", False)
    rec.timestamps = opts.pop("timestamps", False)
    rec.decode_options = opts
    t0 = time.perf_counter()
    d = rec._decode(audio, encoded=encoded)
    if fallback and d is not None and d.logprob < -1.0:
        import ctranslate2

        ctranslate2.set_random_seed(0)
        for temperature in (0.2, 0.4):
            again = rec._generate(audio, len(audio) / 16_000, 1, use_prompt=d.prompt,
                                  temperature=temperature, encoded=encoded)
            if again.logprob > d.logprob and not rec._rejected(again):
                d = again
            if d.logprob >= -1.0:
                break
    took = time.perf_counter() - t0
    rec.decode_options = {}
    rec.timestamps = False
    text = d.text if d is not None else ""
    if d is not None and rec._fixer is not None:
        text = rec._fixer.fix(text)
    return text, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="", help="Whisper model for English")
    parser.add_argument("--subset", type=int)
    parser.add_argument("--heldout", action="store_true", help="the real voices (report set)")
    parser.add_argument("--phrases-heldout", action="store_true",
                        help="the held-out radiology phrases (report set)")
    parser.add_argument("--only", help="variants, |-separated")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    opts = build_options("en", model_dir=resolve_model("en", args.model or None))
    rec = create_recognizer("whisper", opts)
    if args.heldout:
        shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
        items = _real(shared / "en-speechbrain")[: args.subset]
        label = "en-speechbrain real voices (report)"
    elif args.phrases_heldout:
        items = [(synthesize(en, v), en) for en in RADIOLOGY_HELDOUT_EN[: args.subset]
                 for v in EN_VOICES]
        label = "radiology held-out, espeak-ng x3 (report)"
    else:
        items = [(synthesize(en, v), en) for en, _ru in RADIOLOGY[: args.subset]
                 for v in EN_VOICES]
        label = "radiology development, espeak-ng x3"
    variants = {k: v for k, v in VARIANTS.items()
                if not args.only or k in args.only.split("|")}
    print(f"{rec.name}, {label}, {len(items)} utterances, load {os.getloadavg()[0]:.1f}",
          flush=True)
    errors = {k: 0 for k in variants}
    seconds = {k: 0.0 for k in variants}
    words = 0
    prompt = rec.prompt
    said = {" ".join(p.lower().split()) for p in CommandSet("en").grammar()}
    no_commands = rec._fit_prompt([t for t in opts.prompt_terms or ()
                                   if " ".join(t.lower().split()) not in said])
    previous: dict[tuple[str, int], str] = {}  # (option, voice) -> the text it last wrote
    for n, (speech, ref) in enumerate(items):
        voice = n % len(EN_VOICES) if not args.heldout else 0
        audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
        audio = audio.astype(np.float32) / 32768.0
        first = rec._decode(audio, beam=1)
        encoded = None if first is None else (first.encoder_output, first.frames)
        r = norm_words(ref, "en")
        words += len(r)
        for name, options in variants.items():
            options = dict(options)
            if options.pop("previous", False):  # the prompt, then this voice's previous text
                rec.prompt = f"{prompt} {previous.get((name, voice), '')}".strip()
            if options.pop("no_commands", False):
                rec.prompt = no_commands
            text, took = ("", 0.0) if encoded is None else decode(rec, audio, encoded, options)
            rec.prompt = prompt
            previous[(name, voice)] = text
            e = edit_distance(r, norm_words(text, "en"))
            errors[name] += e
            seconds[name] += took
            if args.verbose and e:
                print(f"    [{name}] {ref!r} -> {text!r} ({e})", flush=True)
    print(f"| option | WER, {label} | decode s an utterance |")
    print("|---|---|---|")
    for name in variants:
        print(f"| {name} | {errors[name] / words:.3f} ({errors[name]}/{words}) | "
              f"{seconds[name] / len(items):.3f} |")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
