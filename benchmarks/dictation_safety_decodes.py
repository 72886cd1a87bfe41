"""Whole-utterance Whisper decodes of the dictation benchmark's sets, with the command scorer's
choice, cached for benchmarks/dictation_safety.py (which weighs the command rules on them).

    .venv/bin/python benchmarks/dictation_safety_decodes.py OUT.json [--subset N]

Each utterance (0.5 s of silence either side) is decoded as the engine's final is
(``WhisperRecognizer._decode``: beam, the domain prompt, the guards); the scorer's
``rank`` is kept where it ``considers`` the decode (short, written somewhat like a command),
as the scorer picks it before the rule on phrases held to their words (signing, undo; which
``dictation_safety.py`` applies as the code it runs in does).
Sets: English commands (espeak-ng en-us), English radiology and held-out phrases (espeak-ng,
3 voices), Russian commands and radiology phrases (Festival), Russian commands (espeak-ng),
real voices of both languages, and the protocols' values and aliases (English espeak-ng,
Russian Festival: no command may be made of them). Decoded offline, so the figures do not
move with the load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.dictation import (
    EN_VOICES,
    RADIOLOGY,
    RADIOLOGY_HELDOUT_EN,
    _commands,
    _real,
)
from dictation.command_names import value_names
from dictation.engines.whisper_engine import WhisperRecognizer
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, synthesize, synthesize_many
from dictation.whisper_models import join_base

PAD = np.zeros(8000, dtype=np.int16)


def sets(lang: str, n: int | None, shared: Path) -> dict[str, tuple[list, str]]:
    """name -> ([(audio, reference)], kind: "commands" | "dictation")."""
    if lang == "en":
        cmds = _commands("en").grammar()[:n]
        rad = [(synthesize(en, v), en) for en, _ru in RADIOLOGY[:n] for v in EN_VOICES]
        held = [(synthesize(en, v), en) for en in RADIOLOGY_HELDOUT_EN[:n] for v in EN_VOICES]
        return {
            "en commands, espeak-ng": ([(synthesize(c), c) for c in cmds], "commands"),
            "en radiology phrases, espeak-ng x3": (rad, "dictation"),
            "en radiology held-out phrases, espeak-ng x3": (held, "dictation"),
            "en-speechbrain real voices": (_real(shared / "speech" / "en-speechbrain")[:n],
                                           "dictation"),
            "en protocol values, espeak-ng": ([(synthesize(v), v) for v in
                                               value_names("en")[:n]], "dictation"),
        }
    cmds = _commands("ru").grammar()[:n]
    texts = [ru for _en, ru in RADIOLOGY[:n]]
    return {
        "ru commands, Festival": (list(zip(synthesize_many(cmds, FESTIVAL_RU), cmds,
                                           strict=True)), "commands"),
        "ru commands, espeak-ng": ([(synthesize(c, "ru"), c) for c in cmds], "commands"),
        "ru radiology phrases, Festival": (list(zip(synthesize_many(texts, FESTIVAL_RU), texts,
                                                    strict=True)), "dictation"),
        "ru-voxforge real voices": (_real(shared / "speech" / "ru-voxforge")[:n], "dictation"),
        "ru protocol values, Festival": (list(zip(synthesize_many(
            [re.sub(r"[^\w\s-]", " ", v) for v in value_names("ru")[:n]], FESTIVAL_RU),
                                                  value_names("ru")[:n], strict=True)),
                                         "dictation"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--subset", type=int)
    parser.add_argument("--lang", default="en,ru")
    args = parser.parse_args()
    shared = Path(os.environ.get("LUCH_SHARED_DATA",
                                 Path(__file__).resolve().parents[2] / "shared" / "data"))
    out: dict[str, list[dict]] = json.loads(args.out.read_text()) if args.out.exists() else {}
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for lang in args.lang.split(","):
        rec = WhisperRecognizer(build_options(lang, model_dir=join_base() if lang == "ru"
                                              else None))
        rec.scorer.untaken = frozenset()  # the scorer's own pick: dictation_safety.py rules
        for name, (items, kind) in sets(lang, args.subset, shared).items():
            if name in out:
                continue
            rows = []
            for audio, ref in items:
                pcm = np.concatenate([PAD, np.asarray(audio, dtype=np.int16), PAD])
                seconds = len(pcm) / 16000
                d = rec._decode(pcm.astype("float32") / 32768)
                text = d.text if d is not None else ""
                choice = None
                if d is not None and rec.scorer.considers(seconds, text):
                    c = rec.scorer.rank(d.encoder_output, d.frames, text, d.tokens)
                    choice = {"phrase": c.phrase, "best": c.best, "score": c.score,
                              "runner_up": c.runner_up, "free": c.free}
                rows.append({"ref": ref, "text": text, "seconds": seconds, "choice": choice,
                             "kind": kind, "lang": lang})
                print(name, repr(ref), "->", repr(text), (choice or {}).get("phrase"),
                      flush=True)
            out[name] = rows
            args.out.write_text(json.dumps(out, ensure_ascii=False, indent=1))
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
