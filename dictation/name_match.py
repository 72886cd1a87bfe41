"""A misheard field name after "go to field", matched letter by letter.

Whisper writes a spoken field name it does not know as other words ("go to field right
lung involvement" -> "Go to field right learning moment", «Перейти к полюнете пичной
признаки»): word-level matching with a small margin (:mod:`dictation.phrase_match`) cannot
take it, and the command scorer weighs only the few names of the command grammar. Here the
utterance's letters (its key, spaces dropped) are split in two where that costs fewest edits:
the open phrase ("go to field", «перейти к полю»), then a field's name (its label in the
language). The name is taken when
* the phrase part is within :data:`OPEN_SHARE` edits per letter of the open phrase,
* the name part within :data:`NAME_SHARE` per letter of the name, and
* every other field's best split costs :data:`MARGIN` edits more (a name nearly as near
  another field's is not guessed).
Thresholds chosen on Whisper's decodes of espeak-ng (English, 3 voices) and Festival
(Russian) "go to field" phrases; checked against dictated text: tests/dictation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

OPEN_SHARE = 0.3
NAME_SHARE = 0.5
MARGIN = 3
MIN_NAME_LETTERS = 4


@dataclass(frozen=True)
class NameMatch:
    name: str  # as given (the label, lower case)
    group: str  # the field it names
    edits: int  # open phrase part + name part
    open_edits: int
    name_edits: int
    open_letters: int
    name_letters: int

    @property
    def clear(self) -> bool:
        """Both parts within their share of edits (see the module doc)."""
        return (self.open_edits <= max(2, OPEN_SHARE * self.open_letters)
                and self.name_edits <= NAME_SHARE * self.name_letters)


def prefix_costs(whole: str, text: str) -> list[int]:
    """Edits from all of ``whole`` to each prefix of ``text``: ``[d(whole, text[:k])]``."""
    row = list(range(len(text) + 1))  # whole[:0] against text[:k]
    for i, c in enumerate(whole, 1):
        prev, row[0] = row[0], i
        for k, t in enumerate(text, 1):
            prev, row[k] = row[k], min(row[k] + 1, row[k - 1] + 1, prev + (c != t))
    return row


def split_match(said: str, opening: str, name: str) -> tuple[int, int, int]:
    """The cheapest split of ``said`` into ``opening`` + ``name``: (total, opening's edits,
    name's edits)."""
    head = prefix_costs(opening, said)
    tail = prefix_costs(name[::-1], said[::-1])  # tail[j]: d(name, said[-j:])
    n = len(said)
    return min((head[k] + tail[n - k], head[k], tail[n - k]) for k in range(n + 1))


def nearest_name(said: str, openings: Sequence[str],
                 names: Sequence[tuple[str, str, str]]) -> NameMatch | None:
    """The field name ``said`` (letters only) is, after one of ``openings``; ``names``:
    (group, name as returned, letters). None unless clear (see the module doc)."""
    best: dict[str, NameMatch] = {}
    for opening in openings:
        for group, name, letters in names:
            if len(letters) < MIN_NAME_LETTERS:
                continue
            total, head, tail = split_match(said, opening, letters)
            found = NameMatch(name, group, total, head, tail, len(opening), len(letters))
            if group not in best or total < best[group].edits:
                best[group] = found
    ranked = sorted(best.values(), key=lambda m: m.edits)
    if not ranked or not ranked[0].clear:
        return None
    if len(ranked) > 1 and ranked[1].edits < ranked[0].edits + MARGIN:
        return None
    return ranked[0]
