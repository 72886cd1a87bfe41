"""The spoken aliases of opposite options in the Whisper prompt: WER before and after, on the
held-out sets only, decoded without streaming (so the figure does not move with the load).

    .venv/bin/python benchmarks/dictation_alias_prompt.py BEFORE_EN BEFORE_RU [--subset N]

BEFORE_EN/RU: files holding the prompt of the code before the change (print
``WhisperRecognizer(build_options(lang)).prompt`` there). Each utterance is encoded once and
decoded with the engine's own decode and guards (``WhisperRecognizer._decode``, beam as the
engine) under both prompts. Sets: the English held-out radiology phrases (espeak-ng, 3 voices),
en-speechbrain and ru-voxforge real voices. WER on normalised words
(``benchmarks.dictation.norm_words``).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dictation import (
    EN_VOICES,
    RADIOLOGY_HELDOUT_EN,
    _real,
    norm_words,
)
from dictation.engines.whisper_engine import WhisperRecognizer
from dictation.options import build_options
from dictation.synth import synthesize
from dictation.wer import edit_distance
from dictation.whisper_models import join_base


def measure(rec: WhisperRecognizer, prompts: dict[str, str], items, lang: str) -> dict:
    out = {name: [0, 0] for name in prompts}
    for audio, ref in items:
        audio = audio.astype("float32") / 32768
        first = rec._decode(audio, beam=1)
        encoded = None if first is None else (first.encoder_output, first.frames)
        for name, prompt in prompts.items():
            rec.prompt = prompt
            d = None if encoded is None else rec._decode(audio, encoded=encoded)
            r, h = norm_words(ref, lang), norm_words(d.text if d else "", lang)
            out[name][0] += edit_distance(r, h)
            out[name][1] += len(r)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before_en", type=Path)
    parser.add_argument("before_ru", type=Path)
    parser.add_argument("--subset", type=int)
    args = parser.parse_args()
    n = args.subset
    shared = Path(os.environ.get("LUCH_SHARED_DATA",
                                 Path(__file__).resolve().parents[2] / "shared" / "data"))
    print(f"load average {os.getloadavg()[0]:.1f}")
    en = WhisperRecognizer(build_options("en"))
    prompts = {"before": args.before_en.read_text().strip(), "after": en.prompt}
    sets = {
        "en held-out radiology, espeak-ng x3": [
            (synthesize(p, v), p) for p in RADIOLOGY_HELDOUT_EN[:n] for v in EN_VOICES],
        "en en-speechbrain real voices": _real(shared / "speech" / "en-speechbrain")[:n],
    }
    for name, items in sets.items():
        got = measure(en, prompts, items, "en")
        print(name, {k: f"{e / w:.3f} ({e}/{w})" for k, (e, w) in got.items()}, flush=True)
    ru = WhisperRecognizer(build_options("ru", model_dir=join_base()))
    prompts = {"before": args.before_ru.read_text().strip(), "after": ru.prompt}
    got = measure(ru, prompts, _real(shared / "speech" / "ru-voxforge")[:n], "ru")
    print("ru ru-voxforge real voices", {k: f"{e / w:.3f} ({e}/{w})" for k, (e, w) in got.items()})
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
