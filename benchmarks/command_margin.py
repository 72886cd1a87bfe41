"""Choose the Russian command scorer's margin on a tuning set, not on the held-out voices.

    .venv/bin/python benchmarks/command_margin.py [--quick]

The held-out Russian command sets of ``benchmarks/dictation.py`` (Festival's voice as it
speaks, and espeak-ng) are never heard here. The tuning set is Festival's Russian voice
changed by sox (tempo and pitch, so neither the speed nor the voice's pitch is the held-out
one): every command phrase, and as dictation (no command may be taken from it) the 42
radiology phrases and 20 short phrases that look a little like commands
(:data:`NEAR_MISSES`). Each utterance is decoded once (Whisper base, as the app decodes a
final) with the scorer's runner-up margin off, and the scorer's numbers are kept; then
each margin is replayed: a phrase is taken when it beats the runner-up by the margin and
is within ``MAX_BEHIND`` of the free decode, else the decoded text stands.

Printed: commands exact and commands taken from dictation ("stray") for each margin. The
margin chosen is the smallest with no stray command at it or above, plus :data:`SAFETY`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import soundfile as sf

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))

from benchmarks.dictation import RADIOLOGY, _command_parts
from dictation import command_scorer
from dictation.command_scorer import MAX_BEHIND, written
from dictation.commands import CommandSet
from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.synth import FESTIVAL_RU, festival_available, synthesize_many
from dictation.transcribe import recognize
from dictation.whisper_models import join_base

RATE = 16_000
# (tempo, pitch in cents): slower and higher, faster and lower than the held-out voice.
VARIANTS = ((0.9, 150), (1.12, -150))
MARGINS = [round(0.1 * i, 1) for i in range(0, 31)]
# Short Russian dictation that looks a little like commands (field names, "новый",
# "следующий", "удалить", "принять", "подписан"), written for this tuning set before its
# first measurement; the long radiology phrases are mostly never scored (MAX_WORDS/SECONDS).
NEAR_MISSES = [
    "следующий сегмент без изменений", "предыдущее исследование от мая", "новые очаги",
    "новое образование", "удалена левая почка", "принято во внимание", "значения в норме",
    "поле облучения", "подписан ранее", "без динамики", "строение обычное",
    "описание прилагается", "заключение врача", "степень поражения", "объем небольшой",
    "стенки утолщены", "новая серия снимков", "вставлен стент", "остановка дыхания",
    "конец бронха",
]
SAFETY = 0.5  # added to the smallest margin that took no command from the tuning dictation


def vary(speech: np.ndarray, tempo: float, cents: int) -> np.ndarray:
    """``speech`` through sox ``tempo`` and ``pitch`` (int16, 16 kHz)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp, "in.wav"), Path(tmp, "out.wav")
        sf.write(src, speech, RATE, subtype="PCM_16")
        subprocess.run(
            ["sox", str(src), "-r", str(RATE), str(out), "tempo", "-s", str(tempo),
             "pitch", str(cents)],
            check=True, capture_output=True,
        )
        data, _ = sf.read(out, dtype="int16")
    return data


def heard(rec, speech: np.ndarray) -> tuple[str, tuple | None]:
    """The final text and the scorer's (decoded text, choice) for one utterance."""
    calls: list = []
    real = rec.scorer.choose

    def choose(encoder_output, frames, seconds, text, tokens):
        choice = real(encoder_output, frames, seconds, text, tokens)
        calls.append((text, choice))
        return choice

    rec.scorer.choose = choose
    try:
        framed = np.concatenate([np.zeros(RATE // 2, np.int16), speech,
                                 np.zeros(RATE, np.int16)])
        text = " ".join(r.text for r in recognize(rec, framed))
    finally:
        rec.scorer.choose = real
    return text, (calls[-1] if calls else None)


def replay(rec, text: str, call, margin: float) -> str:
    """The final text had the runner-up margin been ``margin``."""
    if call is None or call[1].best is None:
        return text  # not scored (long, or written like no command): margin-free
    decoded, c = call
    if c.score >= c.free - MAX_BEHIND and c.score >= c.runner_up + margin:
        return written(c.best).strip()
    return rec._fixer.fix(decoded) if rec._fixer is not None else decoded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few phrases")
    args = parser.parse_args()
    if not festival_available():
        print("Festival's Russian voice is not installed")
        return 1
    n = 6 if args.quick else None
    commands = CommandSet("ru").grammar()[:n]
    dictated = [ru for _en, ru in RADIOLOGY[:n]] + NEAR_MISSES[:n]
    said = synthesize_many(commands + dictated, FESTIVAL_RU)
    options = replace(build_options("ru", model_dir=join_base()), early_final_pause=None)
    rec = create_recognizer("whisper", options)
    rec.scorer.margin = float("-inf")  # keep every choice; margins are replayed below
    rows = []  # (kind, reference, text, call)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for tempo, cents in VARIANTS:
        for i, speech in enumerate(said):
            ref = (commands + dictated)[i]
            kind = "commands" if i < len(commands) else "dictation"
            text, call = heard(rec, vary(speech, tempo, cents))
            rows.append((kind, ref, text, call))
            if call is not None and call[1].best is not None:
                c = call[1]
                print(f"  {tempo}/{cents} {kind}: {ref!r} -> {call[0]!r}: best {c.best!r} "
                      f"{c.score:.2f}, runner-up {c.runner_up:.2f}, free {c.free:.2f}",
                      flush=True)
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| margin | commands exact | stray (dictation) |")
    print("|---|---|---|")
    results = {}
    for m in MARGINS:
        exact = stray = 0
        for kind, ref, text, call in rows:
            found = _command_parts(replay(rec, text, call, m).split(), "ru")
            if kind == "commands":
                exact += found == _command_parts(ref.split(), "ru")
            else:
                stray += len(found)
        results[m] = (exact, stray)
        total = sum(k == "commands" for k, *_ in rows)
        print(f"| {m:.1f} | {exact}/{total} | {stray} |")
    clean = [m for m in MARGINS if all(results[k][1] == 0 for k in MARGINS if k >= m)]
    low = min(clean)
    chosen = round(low + SAFETY, 1)
    print(f"smallest margin with no stray command at it or above: {low:.1f}; chosen "
          f"{chosen:.1f} (+{SAFETY}); the default (English) {command_scorer.MARGIN_NEXT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
