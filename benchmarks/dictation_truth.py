"""Is it the search or the model? The true transcript scored against Whisper's own decode.

    .venv/bin/python benchmarks/dictation_truth.py [--lang en|ru] [--subset N] [--set dev|heldout]

Each utterance is framed as the recogniser frames it (0.4 s before, 0.5 s after), decoded
by the engine's own final decode (``WhisperRecognizer._decode``: domain prompt, beam, n-best
pick, guards; then the vocabulary fix, as the final is written), and then both texts are
scored on that decode's encoder output with CTranslate2 ``Whisper.align`` (as
``dictation.command_scorer`` scores command phrases): the mean log-probability per text
token. The truth is written in the ways Whisper writes (lower case or a capital, with or
without a full stop, its words or numbers as digits via ``dictation.normalize``: "twenty
five percent" -> "25%", the decode's hyphens); its best form counts. Scored twice: after
the plain start sequence (as the command scorer does) and after the domain prompt the
decode was conditioned on.

What it says: where the decode is wrong (its normalised words differ from the truth's),
how often the truth scores higher than the decode ("truth wins"), and by how much. If the
truth usually loses, the model itself prefers the wrong text and no better candidate set
(rescoring) can help; if it usually wins, the beam missed it and a candidate set that holds
the truth can.

Sets: English development radiology phrases (``RADIOLOGY``, espeak-ng x3 voices, tiny.en);
Russian radiology phrases (Festival, base). ``--set heldout``: the English held-out phrases
(report only).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import EN_VOICES, RADIOLOGY, RADIOLOGY_HELDOUT_EN, norm_words
from dictation.command_scorer import FLOOR
from dictation.engines import create_recognizer
from dictation.normalize import UserDictionary, normalize_words
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize
from dictation.wer import edit_distance
from dictation.whisper_models import resolve_model
from dictation.written import drop_final_comma


def truth_forms(ref: str, lang: str, decode: str = "") -> list[str]:
    """The truth written as Whisper may write it: with its words or numbers as digits,
    lower case or a capital, with or without a full stop, and with the hyphens the decode
    put between words the truth also has ("ground-glass")."""
    bases = [" ".join(ref.split()).rstrip(".")]
    digits = " ".join(normalize_words(bases[0].split(), lang, UserDictionary()))
    if digits != bases[0]:
        bases.append(digits)
    for joined in re.findall(r"\w+(?:-\w+)+", decode.lower()):
        spaced = joined.replace("-", " ")
        bases += [b.replace(spaced, joined) for b in bases if spaced in b.lower()]
    forms = []
    for b in bases:
        for first in (b[:1].lower(), b[:1].upper()):
            for end in ("", "."):
                forms.append(" " + first + b[1:] + end)
    return list(dict.fromkeys(forms))


def align_scores(rec, encoder_output, frames: int, texts: list[str],
                 start: list[int]) -> list[float]:
    """Mean log-probability per token of each text, after the start sequence ``start``."""
    import ctranslate2

    lists = [rec.tokenizer.encode(t) for t in texts]
    arr = np.asarray(encoder_output)
    feats = ctranslate2.StorageView.from_array(
        np.ascontiguousarray(np.repeat(arr, len(lists), axis=0)))
    results = rec.model.model.align(feats, start, lists, [frames] * len(lists))
    return [float(np.mean(np.log(np.maximum(np.asarray(r.text_token_probs), FLOOR))))
            for r in results]


def items_for(lang: str, which: str, subset: int | None):
    if lang == "ru":
        return [(synthesize(ru, FESTIVAL_RU), ru) for _en, ru in RADIOLOGY[:subset]]
    phrases = ([en for en, _ru in RADIOLOGY] if which == "dev" else RADIOLOGY_HELDOUT_EN)
    return [(synthesize(p, v), p) for p in phrases[:subset] for v in EN_VOICES]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--set", default="dev", choices=("dev", "heldout"))
    parser.add_argument("--subset", type=int)
    parser.add_argument("--json", help="write per-utterance figures here")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    lang = args.lang
    rec = create_recognizer("whisper", build_options(lang, model_dir=resolve_model(lang)))
    items = items_for(lang, args.set, args.subset)
    print(f"{rec.name}, {lang} {args.set}, {len(items)} utterances, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    plain = list(rec.tokenizer.sot_sequence)
    prompted = rec.model.get_prompt(rec.tokenizer, rec.tokenizer.encode(" " + rec.prompt),
                                    without_timestamps=True)
    rows = []
    for speech, ref in items:
        audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
        audio = audio.astype(np.float32) / 32768.0
        d = rec._decode(audio)
        if d is None:
            rows.append({"ref": ref, "decode": "", "errors": len(norm_words(ref, lang))})
            continue
        text = drop_final_comma(rec._fixer.fix(d.text)) if rec._fixer else d.text
        errors = edit_distance(norm_words(ref, lang), norm_words(text, lang))
        row = {"ref": ref, "decode": text, "errors": errors, "beam_score": d.logprob}
        forms = truth_forms(ref, lang, text)
        for name, start in (("plain", plain), ("prompt", prompted)):
            got = align_scores(rec, d.encoder_output, d.frames, [" " + text, *forms], start)
            row[name] = {"decode": got[0], "truth": max(got[1:]),
                         "truth_form": forms[int(np.argmax(got[1:]))]}
        rows.append(row)
        if args.verbose and errors:
            p = row["prompt"]
            print(f"  {ref!r} -> {text!r} ({errors}); prompt: truth {p['truth']:.2f} "
                  f"decode {p['decode']:.2f}; plain: truth {row['plain']['truth']:.2f} "
                  f"decode {row['plain']['decode']:.2f}", flush=True)
    wrong = [r for r in rows if r["errors"] and r.get("decode")]
    words = sum(len(norm_words(r["ref"], lang)) for r in rows)
    print(f"WER {sum(r['errors'] for r in rows) / words:.3f}; decode wrong in {len(wrong)} "
          f"of {len(rows)} utterances ({sum(1 for r in rows if not r.get('decode'))} empty)")
    for name in ("plain", "prompt"):
        diffs = [r[name]["truth"] - r[name]["decode"] for r in wrong]
        wins = [x for x in diffs if x > 0]
        if not diffs:
            continue
        q = np.percentile(diffs, [10, 50, 90])
        print(f"  {name}: truth scores higher in {len(wins)}/{len(diffs)} "
              f"({len(wins) / len(diffs):.0%}); truth - decode: median {q[1]:+.2f} "
              f"(p10 {q[0]:+.2f}, p90 {q[2]:+.2f}); wins by median "
              f"{statistics.median(wins) if wins else float('nan'):+.2f}")
        right = [r[name]["truth"] - r[name]["decode"] for r in rows
                 if not r["errors"] and r.get("decode")]
        if right:
            print(f"    where the decode is right: truth form - decode median "
                  f"{statistics.median(right):+.2f} (writing only)")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
