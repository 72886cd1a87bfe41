"""The dictation audio kept with a report: FLAC plus the words and their times.

``report.flac`` holds the 16 kHz mono audio (lossless, about half the size of WAV);
``report.words.json`` next to it holds the recognised words with start/end seconds, so
that the radiologist can click a word while correcting and hear what was said. Both go
through :func:`core.vault.write_private`: sealed when encryption at rest is on (the FLAC is
encoded in memory, so no plain copy touches the disk).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from core.crypto import SealError
from core.vault import read_private, write_private
from dictation.errors import DictationError
from dictation.pcm import SAMPLE_RATE
from dictation.results import Word

WORDS_SUFFIX = ".words.json"
FORMAT_VERSION = 1
WORD_PAD = 0.1  # seconds of audio kept around a word played on its own


def words_path(audio_path: Path) -> Path:
    return Path(audio_path).with_suffix(WORDS_SUFFIX)


@dataclass
class DictationRecording:
    """Audio samples (int16, 16 kHz) and the words recognised in them."""

    samples: np.ndarray
    words: tuple[Word, ...] = ()

    @classmethod
    def from_pcm(cls, pcm: bytes, words=()) -> DictationRecording:
        return cls(np.frombuffer(bytes(pcm), dtype=np.int16).copy(), tuple(words))

    @property
    def duration(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def save(self, path: Path) -> Path:
        """Write ``path`` (.flac) and its words file, each atomically."""
        path = Path(path).with_suffix(".flac")
        audio = io.BytesIO()
        sf.write(audio, self.samples, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
        write_private(path, audio.getvalue())
        meta = {
            "version": FORMAT_VERSION,
            "sample_rate": SAMPLE_RATE,
            "duration": round(self.duration, 3),
            "words": [w.as_dict() for w in self.words],
        }
        write_private(words_path(path), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return path

    @classmethod
    def load(cls, path: Path) -> DictationRecording:
        path = Path(path)
        try:
            samples, rate = sf.read(io.BytesIO(read_private(path)), dtype="int16")
        except (sf.LibsndfileError, RuntimeError, SealError, OSError) as err:
            raise DictationError(f"cannot read the dictation audio {path.name}: {err}") from err
        if rate != SAMPLE_RATE or samples.ndim != 1:
            raise DictationError(f"{path.name} is not 16 kHz mono dictation audio")
        words: tuple[Word, ...] = ()
        meta_path = words_path(path)
        if meta_path.is_file():
            try:
                meta = json.loads(read_private(meta_path).decode("utf-8"))
                words = tuple(
                    Word(w["word"], w["start"], w["end"], w["confidence"])
                    for w in meta.get("words", [])
                )
            except (ValueError, KeyError, TypeError, SealError) as err:
                raise DictationError(f"the word times of {path.name} are damaged") from err
        return cls(samples, words)

    def word_at(self, t: float) -> int | None:
        """Index of the word spoken at ``t`` seconds."""
        return next((i for i, w in enumerate(self.words) if w.start <= t < w.end), None)

    def bounds(self, start: float, end: float, pad: float = WORD_PAD) -> tuple[float, float]:
        """``start - pad`` to ``end + pad`` seconds, clamped to the recording: a word to play."""
        a = min(max(0.0, start - pad), self.duration)
        return a, min(max(a, end + pad), self.duration)

    def clip(self, start: float, end: float, pad: float = WORD_PAD) -> np.ndarray:
        """Samples from ``start - pad`` to ``end + pad`` seconds (clamped), to play."""
        a, b = self.bounds(start, end, pad)
        return self.samples[int(a * SAMPLE_RATE) : int(np.ceil(b * SAMPLE_RATE))]
