"""Negations in Whisper's dictation: the prompt as shipped against the prompt led by the report
templates' standard sentences (h18-neg), on the negation held-out set and the existing sets.

    .venv/bin/python benchmarks/dictation_negation.py --lang ru [--subset N] [-v]

Each utterance (0.4 s of silence before, 0.5 s after, as the recogniser frames it) is encoded
once and decoded with each prompt by the engine's own decode and guards
(``WhisperRecognizer._decode``: beam, n-best pick, echo, compression and silence guards), so
both prompts see the same encoder output; offline, not streamed (``dictation.py`` streams).
WER on ``norm_words``; negations dropped / added by ``negation_errors`` (per sentence).

Prompts: "shipped" (``options.prompt_terms`` with ``prompt.SENTENCES_IN_PROMPT`` as it is in
the code run) and "template sentences" (``prompt.template_sentences`` before the same terms),
each cut to ``PROMPT_TOKENS`` by the engine (terms at the end go first). The rule that decides
is written beside the sets (``benchmarks/dictation.py``, above ``NEGATION_RU``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import (
    EN_VOICES,
    RADIOLOGY,
    RADIOLOGY_HELDOUT_EN,
    _real,
    negation_errors,
    negation_items,
    norm_words,
)
from benchmarks.dictation_prompt import LONG_RADIOLOGY_RU, sox_variant
from dictation.options import build_options
from dictation.prompt import prompt_sentences, template_sentences
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.wer import edit_distance
from dictation.whisper_models import join_base, resolve_model


def sets(lang: str, n: int | None, shared: Path) -> dict[str, list[tuple[np.ndarray, str]]]:
    """The sets the rule names, as spoken."""
    out = {"negation held-out": negation_items(lang, n)}
    if lang == "en":
        out["radiology (dev) x3"] = [(synthesize(en, v), en) for en, _ru in RADIOLOGY[:n]
                                     for v in EN_VOICES]
        out["radiology held-out x3"] = [(synthesize(en, v), en)
                                        for en in RADIOLOGY_HELDOUT_EN[:n] for v in EN_VOICES]
        real = shared / "speech" / "en-speechbrain"
    else:
        texts = [ru for _en, ru in RADIOLOGY[:n]]
        out["radiology Festival"] = list(zip(synthesize_many(texts, FESTIVAL_RU), texts,
                                             strict=True))
        long = LONG_RADIOLOGY_RU[:n]
        speech = synthesize_many(long, FESTIVAL_RU)
        out["long radiology Festival x2"] = [
            *zip(speech, long, strict=True),
            *((sox_variant(s, 1.08, -120), t) for s, t in zip(speech, long, strict=True))]
        real = shared / "speech" / "ru-voxforge"
    if real.is_dir():
        out[f"{real.name} real voices"] = _real(real)[:n]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="ru")
    parser.add_argument("--subset", type=int)
    parser.add_argument("--sets", default="", help="only sets whose name holds one of these "
                        "(|-separated)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    lang = args.lang
    from dictation.engines import create_recognizer  # deferred: after LUCH_HOME is set

    model = join_base() if lang == "ru" else resolve_model("en", None)
    opts = replace(build_options(lang, model_dir=model), early_final_pause=None, commands=None)
    rec = create_recognizer("whisper", opts)
    terms = list(opts.prompt_terms)
    ours = prompt_sentences(lang)
    terms = terms[len(ours):] if ours and terms[: len(ours)] == ours else terms
    prompts = {"shipped": rec._fit_prompt(opts.prompt_terms),
               "template sentences": rec._fit_prompt(template_sentences(lang) + terms)}
    for name, prompt in prompts.items():
        print(f"{name} ({len(rec.tokenizer.encode(' ' + prompt))} tokens): {prompt}")
    shared = Path(os.environ.get("LUCH_SHARED_DATA",
                                 Path(__file__).resolve().parents[2] / "shared" / "data"))
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    wanted = [s for s in args.sets.split("|") if s]
    table = []
    for label, items in sets(lang, args.subset, shared).items():
        if wanted and not any(w in label for w in wanted):
            continue
        got = {name: [0, 0, 0, 0, 0, 0.0] for name in prompts}  # err, words, drop, add, neg, s
        t0 = time.perf_counter()
        for speech, ref in items:
            audio = np.concatenate([np.zeros(6400, np.int16), speech, np.zeros(8000, np.int16)])
            audio = audio.astype(np.float32) / 32768.0
            encoded = rec._encode(audio)
            hyps = {}
            for name, prompt in prompts.items():
                rec.prompt = prompt
                d0 = time.perf_counter()
                d = rec._decode(audio, encoded=encoded)
                hyp = d.text if d is not None else ""
                r, h = norm_words(ref, lang), norm_words(hyp, lang)
                drop, add = negation_errors(r, h, lang)
                row = got[name]
                row[0] += edit_distance(r, h)
                row[1] += len(r)
                row[2] += drop
                row[3] += add
                row[4] += sum(negation_errors(r, [], lang))
                row[5] += time.perf_counter() - d0
                hyps[name] = (hyp, drop, add)
            if (args.verbose and len({h for h, _d, _a in hyps.values()}) > 1) or any(
                    d or a for _h, d, a in hyps.values()):
                print(f"  {label}: {ref!r}", flush=True)
                for name, (hyp, drop, add) in hyps.items():
                    print(f"    {name}: {hyp!r}" + (f"  [-{drop} +{add} neg]" if drop or add
                                                     else ""), flush=True)
        took = time.perf_counter() - t0
        for name, (err, words, drop, add, neg, secs) in got.items():
            line = (f"| {lang} {label} | {name} | {err / max(words, 1):.3f} ({err}/{words}) | "
                    f"{drop} / {add} (of {neg}) | {secs / max(len(items), 1):.2f} s |")
            table.append(line)
            print(line, f"[{took:.0f} s, load {os.getloadavg()[0]:.1f}]", flush=True)
    print("\n| set | prompt | WER | negations dropped / added | decode, mean |")
    print("|---|---|---|---|---|")
    print("\n".join(table))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
