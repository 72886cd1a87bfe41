"""Whisper's compute type, beam size and prompt, streamed as the app streams, in one run.

    .venv/bin/python benchmarks/dictation_compute.py --lang ru [--sets voxforge,festival]
        [--settings "int8/prompt/5,float32/none/5"] [--subset N] [-v]

Each setting is a recogniser (the engine as shipped, with CTranslate2's compute type on the
CPU, the domain prompt or none, and the beam size of finals changed); every utterance is fed
to each setting's recogniser in turn (interleaved, so all see the same load), framed and
streamed as ``benchmarks/dictation.py`` streams it (20 ms blocks, arriving in real time, one
recogniser per setting hearing the whole set). WER on normalised words, RTF (wall in the
recogniser / audio, and process CPU / audio), first text and final after the end of speech.

Sets. Russian: ``voxforge`` = the 9 real ru-voxforge clips (the only real Russian speech
here; no separate real Russian set exists to confirm on); ``festival`` = the 42 Russian
radiology phrases of ``benchmarks/dictation.py`` and ``long`` = the 12 long prose sentences of
``benchmarks/dictation_prompt.py`` in Festival's Russian voice (synthetic; used before for
the prompt, never for the compute type or the beam). English: ``dev`` = the 42 radiology
development phrases x 3 espeak-ng voices; ``heldout`` = the 44 held-out phrases x 3 voices;
``real`` = the en-speechbrain clips; ``commands`` = the command phrases.
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
    Row,
    _commands,
    _fmt_row,
    _measure_one,
    _real,
)
from benchmarks.dictation_prompt import LONG_PROSE_RU
from dictation.engines import create_recognizer
from dictation.engines import whisper_engine as we
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.whisper_models import join_base, resolve_model

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "speech"
DEFAULT = {
    "ru": "int8/prompt/5,int8_float32/prompt/5,float32/prompt/5,int8/none/5,"
    "int8_float32/none/5,float32/none/5,int8/prompt/1,float32/prompt/1,int8/none/1,"
    "float32/none/1",
    "en": "int8/prompt/8,float32/prompt/8,int8/prompt/5,float32/prompt/5",
}


def sets_for(lang: str, names: list[str], n: int | None) -> dict[str, tuple[list, str]]:
    """The named sets of ``lang``: {label: (utterances, kind)}."""
    out: dict[str, tuple[list, str]] = {}
    for name in names:
        if lang == "ru" and name == "voxforge":
            out["ru-voxforge real voices"] = (_real(SHARED / "ru-voxforge")[:n], "dictation")
        elif lang == "ru" and name == "festival":
            texts = [ru for _en, ru in RADIOLOGY[:n]]
            out["ru radiology phrases, Festival"] = (
                list(zip(synthesize_many(texts, FESTIVAL_RU), texts, strict=True)), "dictation")
        elif lang == "ru" and name == "long":
            texts = LONG_PROSE_RU[:n]
            out["ru long prose, Festival"] = (
                list(zip(synthesize_many(texts, FESTIVAL_RU), texts, strict=True)), "dictation")
        elif lang == "en" and name == "dev":
            out["en radiology development x3"] = (
                [(synthesize(en, v), en) for en, _ru in RADIOLOGY[:n] for v in EN_VOICES],
                "dictation")
        elif lang == "en" and name == "heldout":
            out["en radiology held-out x3"] = (
                [(synthesize(en, v), en) for en in RADIOLOGY_HELDOUT_EN[:n] for v in EN_VOICES],
                "dictation")
        elif lang == "en" and name == "real":
            out["en-speechbrain real voices"] = (_real(SHARED / "en-speechbrain")[:n],
                                                 "dictation")
        elif lang == "en" and name == "commands":
            out["en commands"] = ([(synthesize(c), c) for c in _commands("en").grammar()[:n]],
                                  "commands")
        else:
            raise SystemExit(f"no set {name!r} for {lang}")
    return out


def recogniser(lang: str, model: Path, setting: str):
    """A Whisper recogniser for ``setting`` = "compute/prompt|none/beam[/model]"."""
    compute, prompt, beam, *other = setting.split("/")
    if other:
        model = join_base() if other[0] == "base" else resolve_model(lang, other[0])
    opts = build_options(lang, model_dir=model)
    if prompt == "none":
        opts = replace(opts, prompt_terms=())
    saved = dict(we.COMPUTE_TYPE_CPU)
    we.COMPUTE_TYPE_CPU[lang] = compute
    try:
        rec = create_recognizer("whisper", opts)
    finally:
        we.COMPUTE_TYPE_CPU.clear()
        we.COMPUTE_TYPE_CPU.update(saved)
    rec.beam_size = int(beam)
    return rec


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="ru", choices=["ru", "en"])
    parser.add_argument("--sets", default="")
    parser.add_argument("--settings", default="")
    parser.add_argument("--model", default="", help="Whisper model (name or folder)")
    parser.add_argument("--subset", type=int)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    lang = args.lang
    names = [s for s in (args.sets or ("voxforge" if lang == "ru" else "dev")).split(",") if s]
    settings = [s for s in (args.settings or DEFAULT[lang]).split(",") if s]
    if args.model:
        model = resolve_model(lang, args.model)
    else:
        model = join_base() if lang == "ru" else resolve_model(lang)
    print(f"{lang}, model {model.name}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    sets = sets_for(lang, names, args.subset)
    recs = {s: recogniser(lang, model, s) for s in settings}
    for rec in recs.values():  # one untimed decode each (first-call costs)
        rec._generate(np.zeros(16_000, np.float32), 1.0, rec.beam_size, use_prompt=False)
    table: list[tuple[str, Row]] = []
    for label, (items, kind) in sets.items():
        rows = {s: Row() for s in settings}
        t0 = time.perf_counter()
        load0 = os.getloadavg()[0]
        for speech, ref in items:
            for s in settings:
                _measure_one(rows[s], recs[s], speech, ref, f"{label} {s}", lang, kind,
                             args.verbose)
        print(f"{label}: {time.perf_counter() - t0:.0f} s, load {load0:.1f}-"
              f"{os.getloadavg()[0]:.1f}", flush=True)
        for s in settings:
            name = f"{label}: {recs[s].name} {'/'.join(s.split('/')[:3])}"
            table.append((name, rows[s]))
            print(_fmt_row(name, rows[s]), flush=True)
    print("\n| setup (compute/prompt/beam) | WER | commands | RTF | first text, median (p90) "
          "ms | final, median (p90) ms | audio | stands, median (p90) ms | revised |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, row in table:
        print(_fmt_row(label, row))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    for rec in recs.values():
        rec.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
