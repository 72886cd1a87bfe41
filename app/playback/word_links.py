"""Which words of a field's text were dictated, and where in which recording they were said.

A :class:`WordLink` ties a character span of a field's text to a time span of a dictation
recording. A written word made from several spoken ones ("25%" from "twenty five percent",
"КТ-2" from "ка тэ два") carries the times from its first to its last source word, so it
plays all of them. :class:`FieldLinks` keeps the links of one field in step with edits:
typing before a word shifts it, typing after leaves it, and a word that is changed loses its
link (the text there no longer is what was said). Qt-free: the Qt side feeds it texts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class WordLink:
    """Characters ``start:end`` of a field hold ``word``, said at ``t0``-``t1`` s of ``source``.

    ``source`` names the recording: its FLAC path once kept, a session key while dictating.
    """

    start: int
    end: int
    word: str
    source: str
    t0: float
    t1: float

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "word": self.word, "source": self.source,
                "t0": round(self.t0, 3), "t1": round(self.t1, 3)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> WordLink:
        return cls(int(data["start"]), int(data["end"]), str(data["word"]), str(data["source"]),
                   float(data["t0"]), float(data["t1"]))


class FieldLinks:
    """The word links of one text field, kept valid as the text changes."""

    def __init__(self, text: str = "", links: Iterable[WordLink] = ()) -> None:
        self.text = text
        self.links: list[WordLink] = sorted((x for x in links if _holds(text, x)),
                                            key=lambda x: x.start)

    def edit(self, new: str) -> None:
        """The field's text became ``new``: shift links after the change, drop changed words."""
        old = self.text
        if new == old:
            return
        prefix = _common_prefix(old, new)
        suffix = _common_prefix(old[prefix:][::-1], new[prefix:][::-1])
        old_end, delta = len(old) - suffix, len(new) - len(old)
        kept: list[WordLink] = []
        for link in self.links:
            if link.end <= prefix:
                moved = link
            elif link.start >= old_end:
                moved = replace(link, start=link.start + delta, end=link.end + delta)
            else:
                continue  # the change touched this word
            if _holds(new, moved):
                kept.append(moved)
        self.text, self.links = new, kept

    def place(self, offset: int, spans: Iterable[tuple[int, int, float, float]],
              source: str) -> None:
        """Dictation rewrote the text from ``offset`` on; ``spans`` are its words as
        (first char, end char, start s, end s), characters counted from ``offset``."""
        links = [x for x in self.links if x.end <= offset]
        for a, b, t0, t1 in spans:
            link = WordLink(offset + a, offset + b, self.text[offset + a : offset + b], source,
                            t0, t1)
            if link.word and _holds(self.text, link):
                links.append(link)
        self.links = links

    def at(self, position: int) -> WordLink | None:
        """The word at a text cursor ``position`` (inside it or just after its last letter)."""
        inside = next((x for x in self.links if x.start <= position < x.end), None)
        return inside or next((x for x in self.links if x.end == position), None)

    def rename(self, old: str, new: str) -> None:
        """The recording ``old`` is now known as ``new`` (kept to disk)."""
        self.links = [replace(x, source=new) if x.source == old else x for x in self.links]


def _holds(text: str, link: WordLink) -> bool:
    """The text still has exactly the linked word there, not part of a longer word."""
    if text[link.start : link.end] != link.word:
        return False
    before = text[link.start - 1] if link.start > 0 else " "
    after = text[link.end] if link.end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i
