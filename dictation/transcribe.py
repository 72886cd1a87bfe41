"""Transcribe a recording (file or PCM) through a streaming recogniser, with commands.

The audio is fed in 100 ms chunks, as from a microphone, so a file is recognised exactly
as live dictation would be.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from dictation.commands import Command
from dictation.engines import DEFAULT_ENGINE, EngineOptions, Recognizer, create_recognizer
from dictation.errors import DictationError
from dictation.pcm import SAMPLE_RATE
from dictation.results import APPEND, Result, Word, revision
from dictation.synth import resample
from dictation.transcript import DictationProcessor

CHUNK_SECONDS = 0.1


def read_audio(path: Path) -> np.ndarray:
    """A sound file as 16 kHz mono int16 samples; :class:`DictationError` if unreadable."""
    path = Path(path)
    if not path.is_file():
        raise DictationError(f"audio file not found: {path}")
    try:
        data, rate = sf.read(path, dtype="float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as err:
        reason = str(err).rsplit(":", 1)[-1].strip() or "unknown format"
        raise DictationError(f"cannot read {path.name} as audio: {reason}") from err
    if len(data) == 0:
        raise DictationError(f"{path.name} holds no audio")
    mono = resample(data.mean(axis=1), rate)
    return np.clip(np.round(mono * 32767), -32768, 32767).astype(np.int16)


def recognize(
    recognizer: Recognizer,
    samples: np.ndarray,
    on_result: Callable[[Result], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> list[Result]:
    """Final results for ``samples`` (int16, 16 kHz), fed in microphone-sized chunks.

    A revising final replaces the tentative one before it (see ``Result.tentative``)."""
    pcm = np.asarray(samples, dtype=np.int16).tobytes()
    step = int(CHUNK_SECONDS * SAMPLE_RATE) * 2
    finals: list[Result] = []
    pending: Result | None = None  # the last final, while it is tentative

    def take(result: Result) -> None:
        nonlocal pending
        if on_result:
            on_result(result)
        if not result.final:
            return
        kind = revision(result, pending)
        if kind != APPEND and finals and finals[-1] is pending:
            finals.pop()
        if result.text or kind == APPEND:
            finals.append(result)
        pending = result if result.tentative else None

    for i in range(0, len(pcm), step):
        if cancel is not None and cancel():
            break
        for result in recognizer.accept(pcm[i : i + step]):
            take(result)
    last = recognizer.finish()
    if last is not None:
        take(last)
    return finals


@dataclass(frozen=True)
class Transcription:
    text: str
    commands: tuple[Command, ...]
    words: tuple[Word, ...]
    duration: float
    rtf: float

    def as_dict(self) -> dict:
        return {
            "text": self.text,
            "commands": [c.as_dict() for c in self.commands],
            "words": [w.as_dict() for w in self.words],
            "duration": round(self.duration, 3),
            "rtf": round(self.rtf, 4),
        }


def transcribe_samples(
    samples: np.ndarray, engine: str = DEFAULT_ENGINE, options: EngineOptions | None = None
) -> Transcription:
    options = options or EngineOptions()
    return transcribe_with(create_recognizer(engine, options), samples, options.lang)


def transcribe_with(recognizer: Recognizer, samples: np.ndarray, lang: str) -> Transcription:
    """Transcribe ``samples`` with ``recognizer`` (closed afterwards)."""
    processor = DictationProcessor(lang)
    try:
        started = time.perf_counter()
        finals = recognize(recognizer, samples)
        elapsed = time.perf_counter() - started
    finally:
        recognizer.close()
    commands: list[Command] = []
    for result in finals:
        commands.extend(processor.process(result).commands)
    duration = len(samples) / SAMPLE_RATE
    return Transcription(
        text=processor.transcript.text,
        commands=tuple(commands),
        words=tuple(w for r in finals for w in r.words),
        duration=duration,
        rtf=elapsed / duration if duration else 0.0,
    )


def transcribe_file(
    path: Path, engine: str = DEFAULT_ENGINE, options: EngineOptions | None = None
) -> Transcription:
    return transcribe_samples(read_audio(path), engine, options)
