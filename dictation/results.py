"""What an engine returns: words with times and confidences, partial or final."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Word:
    """One recognised word; times in seconds from the start of the audio stream."""

    word: str
    start: float
    end: float
    confidence: float

    def as_dict(self) -> dict[str, float | str]:
        return {
            "word": self.word,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Result:
    """A hypothesis for one utterance: ``final`` once the engine will not change it.

    A ``tentative`` final is given early, at a short pause, so text appears without waiting
    for the endpointer's full silence window. The engine's next final then has ``revises``
    set and replaces it: the same result once the silence is confirmed, or the whole
    utterance again if speech resumed (so nothing is doubled or lost)."""

    text: str
    final: bool
    words: tuple[Word, ...] = field(default_factory=tuple)
    tentative: bool = False
    revises: bool = False

    @property
    def start(self) -> float | None:
        return self.words[0].start if self.words else None

    @property
    def end(self) -> float | None:
        return self.words[-1].end if self.words else None


APPEND, CONFIRM, REPLACE = "append", "confirm", "replace"


def revision(result: Result, tentative: Result | None, shown: bool = True) -> str:
    """How a final stands to the ``tentative`` final before it (None: none pending).

    ``APPEND``: a new utterance, after what stands. ``CONFIRM``: the tentative text as it
    was ``shown``, now with exact word times (nothing changes on screen). ``REPLACE``: it
    takes the tentative final back and stands in its place (even when empty: then nothing
    does), so nothing is doubled or lost."""
    if not result.revises or tentative is None:
        return APPEND
    if shown and not result.tentative and result.text == tentative.text:
        return CONFIRM
    return REPLACE
