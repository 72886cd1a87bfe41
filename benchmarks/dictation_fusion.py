"""Shallow fusion of the station's radiology word model into Whisper's beam search, against
CTranslate2's own search, on whole utterances.

    .venv/bin/python benchmarks/dictation_fusion.py --set en-dev --weights 0,0.1,0.2,0.4
    .venv/bin/python benchmarks/dictation_fusion.py --set en-heldout --weights 0.2

Each utterance is framed as the recogniser frames it (0.4 s before, 0.5 s after) and decoded
by the engine's final decode (``WhisperRecognizer._decode``: prompt, beam, n-best pick,
guards; then the vocabulary fix as the final is written): first by CTranslate2 (the
engine's default), then, on the same encoder output, by the torch decoder of
``dictation.whisper_decoder`` at each fusion weight (weight 0: the torch search with no
bias, to see what the decoder alone changes). Decode time: wall seconds of the decode alone
(the encoder is the same for all and counted once, in the CTranslate2 row).

Sets: ``en-dev`` (the 42 development phrases x 3 espeak-ng voices; the word model is built
*without* any corpus line holding one of them, so the weight is chosen blind to them),
``en-heldout`` (44 held-out phrases x 3 voices, full station model), ``en-real``
(en-speechbrain), ``ru-dev`` (the Russian radiology phrases, Festival voice), ``ru-real``
(ru-voxforge), ``en-commands`` (the command phrases: exact = the engine's final is the phrase's
command).
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

from benchmarks.dictation import (
    EN_VOICES,
    RADIOLOGY,
    RADIOLOGY_HELDOUT_EN,
    _commands,
    _real,
    norm_words,
)
from dictation import whisper_decoder
from dictation.engines import create_recognizer
from dictation.fusion_lm import FusionLM, station_sentences
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.wer import edit_distance
from dictation.whisper_decoder import load_decoder
from dictation.whisper_models import resolve_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def items_for(which: str, subset: int | None):
    speech = SHARED / "speech"
    if which == "en-dev":
        return [(synthesize(en, v), en) for en, _ru in RADIOLOGY[:subset] for v in EN_VOICES]
    if which == "en-heldout":
        return [(synthesize(p, v), p) for p in RADIOLOGY_HELDOUT_EN[:subset] for v in EN_VOICES]
    if which == "en-real":
        return _real(speech / "en-speechbrain")[:subset]
    if which == "ru-dev":
        texts = [ru for _en, ru in RADIOLOGY[:subset]]
        return list(zip(synthesize_many(texts, FESTIVAL_RU), texts, strict=True))
    if which == "ru-real":
        return _real(speech / "ru-voxforge")[:subset]
    if which == "en-commands":
        return [(synthesize(c), c) for c in _commands("en").grammar()[:subset]]
    raise SystemExit(f"unknown set {which}")


def final_text(rec, decoded) -> str:
    """The text the engine writes for a decode (its command, or the fixed text)."""
    if decoded is None:
        return ""
    return rec._result(decoded, words=False).text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", default="en-dev")
    parser.add_argument("--weights", default="0,0.1,0.2,0.4")
    parser.add_argument("--subset", type=int)
    parser.add_argument("--start", type=int, default=0, help="skip the first N utterances")
    parser.add_argument("--candidates", type=int, help="tokens each hypothesis proposes")
    parser.add_argument("--no-look-ahead", action="store_true",
                        help="only whole words earn the bias")
    parser.add_argument("--no-decode-time", action="store_true",
                        help="no second CTranslate2 decode to time the decode alone")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    lang = args.set[:2]
    if args.candidates:
        whisper_decoder.CANDIDATES = args.candidates
    weights = [float(w) for w in args.weights.split(",")]
    rec = create_recognizer("whisper", build_options(lang, model_dir=resolve_model(lang)))
    items = items_for(args.set, args.subset)[args.start :]
    sentences = station_sentences(lang)
    if args.set.endswith("-dev"):  # blind the word model to the development phrases
        phrases = [en for en, _ru in RADIOLOGY] if lang == "en" else [ru for _en, ru in RADIOLOGY]
        keep = [s for s in sentences if not any(p.lower() in s.lower() for p in phrases)]
        print(f"word model without {len(sentences) - len(keep)} lines holding a dev phrase")
        sentences = keep
    lm = FusionLM(sentences, lang)
    lm.look_ahead = not args.no_look_ahead
    decoder = load_decoder(rec.model_path)
    commands = _commands(lang)
    print(f"{rec.name}, {args.set}, {len(items)} utterances, load {os.getloadavg()[0]:.1f}",
          flush=True)
    names = ["ctranslate2", "ctranslate2 decode"] + [f"fusion {w:g}" for w in weights]
    errors = {n: 0 for n in names}
    exact = {n: 0 for n in names}
    stray = {n: 0 for n in names}  # dictation taken as a command
    times: dict[str, list[float]] = {n: [] for n in names}
    words = 0
    loads = []
    for speech, ref in items:
        audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
        audio = audio.astype(np.float32) / 32768.0
        ref_words = norm_words(ref, lang)
        words += len(ref_words)
        rec.fusion_weight = 0.0
        rec._fusion = None
        t0 = time.perf_counter()
        base = rec._decode(audio)
        times["ctranslate2"].append(time.perf_counter() - t0)
        outs = {"ctranslate2": final_text(rec, base)}
        if base is not None and not args.no_decode_time:  # the decode alone, for its time
            t0 = time.perf_counter()
            again = rec._decode(audio, encoded=(base.encoder_output, base.frames))
            times["ctranslate2 decode"].append(time.perf_counter() - t0)
            outs["ctranslate2 decode"] = final_text(rec, again)
        for w, name in zip(weights, names[2:], strict=True):
            rec.fusion_weight = w if w else 1e-9  # 1e-9: the torch search, no bias to speak of
            rec._fusion = (decoder, lm)
            t0 = time.perf_counter()
            d = None if base is None else rec._decode(
                audio, encoded=(base.encoder_output, base.frames))
            times[name].append(time.perf_counter() - t0)
            outs[name] = final_text(rec, d)
        loads.append(os.getloadavg()[0])
        for name, text in outs.items():
            errors[name] += edit_distance(ref_words, norm_words(text, lang))
            said = [c for c in commands.parse(text.split()) if hasattr(c, "name")]
            if not args.set.endswith("commands"):
                stray[name] += bool(said)
            else:
                want = [c for c in commands.parse(ref.split()) if hasattr(c, "name")]
                exact[name] += bool(said) and [(c.name, c.argument) for c in said] == [
                    (c.name, c.argument) for c in want]
        if args.verbose:
            shown = " | ".join(f"{n}: {t}" for n, t in outs.items())
            print(f"  {ref!r}: {shown}", flush=True)
    print("| set | decode | WER | decode s, median (p90) | commands exact (stray) |")
    for name in names:
        q = np.percentile(times[name] or [0.0], [50, 90])
        wer = f"{errors[name] / max(words, 1):.3f} ({errors[name]}/{words})"
        print(f"| {args.set} | {name} | {wer} | {q[0]:.2f} ({q[1]:.2f}) | "
              f"{exact[name] if args.set.endswith('commands') else '-'} ({stray[name]}) |")
    print(f"load average {min(loads):.1f}-{max(loads):.1f} (median "
          f"{statistics.median(loads):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
