"""The streaming interface every speech engine implements.

Audio goes in as 16-bit little-endian PCM, 16 kHz, mono, in chunks of any size. Each call
to :meth:`Recognizer.accept` returns the results it produced: partial hypotheses while an
utterance is spoken and a final result (with word times and confidences) when the engine
detects its end. :meth:`Recognizer.finish` flushes the utterance in progress (push-to-talk
release, end of file) and returns its final result, if any.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from dictation.errors import EngineError
from dictation.pcm import SAMPLE_RATE, SAMPLE_WIDTH
from dictation.results import Result

__all__ = [
    "SAMPLE_RATE", "SAMPLE_WIDTH", "EngineOptions", "EngineSpec", "Recognizer",
    "phrase_prefixes", "register_engine", "registered_engines",
]


@dataclass(frozen=True)
class EngineOptions:
    """How to build a recogniser: language, model folder and an optional phrase grammar."""

    lang: str = "en"
    model_dir: Path | None = None
    grammar: Sequence[str] | None = None  # whole phrases the recogniser may output, if restricted
    extra_words: dict[str, str] | None = None  # word -> pronunciation (engines that support it)
    endpoint_window: float = 0.3  # seconds of mostly silence that end an utterance
    # A tentative final after this pause (s), revised if speech resumes; None: no early finals.
    early_final_pause: float | None = 0.06
    domain: str | None = None  # a domain language model ("radiology") where the engine has one
    # Terms for a prompting engine (Whisper); None: the protocols' and user dictionary's.
    prompt_terms: tuple[str, ...] | None = None
    # (phrase, what it does) of the voice commands, for an engine that can score them against
    # the audio when its text is no command (Whisper: dictation.command_scorer); None: none.
    commands: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class EngineSpec:
    """A registered engine: its name, the languages it serves and how to build a recogniser."""

    name: str
    title: str
    languages: tuple[str, ...]  # languages it can serve; "*" = any language with an installed model
    factory: Callable[[EngineOptions], Recognizer]


class Recognizer(ABC):
    """One streaming recogniser; not thread-safe (feed it from one thread).

    Engines keep the options they were built with in :attr:`options`, so that
    :meth:`fresh` can build a replacement after a failure."""

    sample_rate: int = SAMPLE_RATE
    options: EngineOptions | None = None

    @abstractmethod
    def accept(self, pcm: bytes) -> list[Result]:
        """Feed PCM; return partial and final results produced by this chunk, in order."""

    @abstractmethod
    def finish(self) -> Result | None:
        """End the current utterance now; return its final result (None if nothing was said)."""

    def fresh(self) -> Recognizer:
        """A new recogniser built like this one, with an empty stream (restart after a fault)."""
        if self.options is None:
            raise EngineError(f"{type(self).__name__} cannot be restarted (no options kept)")
        return type(self)(self.options)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release native resources."""


def phrase_prefixes(phrases: Iterable[str]) -> set[str]:
    """The word prefixes of grammar ``phrases`` ("insert" of "insert template"): a phrase
    heard so far that is one of these may go on, so it is not final at a short pause."""
    prefixes = set()
    for phrase in phrases:
        words = phrase.split()
        prefixes.update(" ".join(words[:k]) for k in range(1, len(words)))
    return prefixes


_ENGINES: dict[str, EngineSpec] = {}


def register_engine(spec: EngineSpec) -> None:
    """Make an engine available by name (each engine module registers its own)."""
    _ENGINES[spec.name] = spec


def registered_engines() -> dict[str, EngineSpec]:
    """The engines registered so far."""
    return dict(_ENGINES)
