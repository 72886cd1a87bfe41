"""Command phrases compared with what was said: a normalised key and a small edit margin.

The key of an utterance: its words (Whisper's punctuation and quotes dropped), lower case,
``ё`` as ``е``, hyphens and dots inside words dropped ("A.I." -> "ai", "Next-field" ->
"next field"), runs of single letters joined ("a i" -> "ai", "c t" -> "ct"), spoken numbers
as digits, and the filler words of the language left out ("sign the report" -> "sign report").

The margin (:func:`close`), for a key with as many words as the phrase:
* word level: at most one word differs; no word may be added or missing (fillers aside);
* character level, in that one word: at most 1 edit (Levenshtein) for a word of 4 to 7
  letters, 2 for 8 or more; shorter words, digits and one-word commands must be exact
  (a one-word name after "insert template"/"go to field" gets the word margin).
So "Previous fields." and "Следующие поле." are commands, while "Previous film.", "the next
field of view" and "sign of consolidation" are not.

The tight margin (``tight``: signing and undo, which no voice command takes back): the one
word that differs has 8 letters or more and differs by 1 edit; "Sign reports." stays text.
Deleting commands take the word margin ("Delete world." deletes the last word): "undo that"
brings back what they removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from dictation.numbers import words_to_numbers
from dictation.wer import edit_distance
from dictation.written import split_words

_INNER = re.compile(r"[^\w\s%]|_")


def fold(word: str) -> str:
    """A word as the command tables spell it: lower case, ``ё`` -> ``е``."""
    return word.lower().replace("ё", "е")


def key_words(words: Iterable[str], lang: str, fillers: Iterable[str] = ()) -> tuple[str, ...]:
    """The normalised key of ``words`` (engine words or phrase words), see the module doc."""
    out: list[str] = []
    for token in split_words(list(words)):
        if token.is_punct:
            continue
        text = fold(token.text)
        text = text.replace("-", " ") if not re.fullmatch(r"(?:\w\.)+", text) else text
        out.extend(w for w in (_INNER.sub("", part) for part in text.split()) if w)
    out = _join_letters(out)
    out = words_to_numbers(out, lang)
    drop = set(fillers)
    return tuple(w for w in out if w not in drop)


def _join_letters(words: list[str]) -> list[str]:
    """ "a i" -> "ai": letters spelled one by one (an engine's way of writing AI, CT, ИИ)."""
    out: list[str] = []
    run: list[str] = []
    for w in [*words, ""]:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if w:
            out.append(w)
    return out


def _word_margin(word: str) -> int:
    if word.isdigit() or len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


TIGHT_MIN_LETTERS = 8  # the tight margin: a word this long may differ by one edit


def _tight_margin(word: str) -> int:
    return 1 if len(word) >= TIGHT_MIN_LETTERS and not word.isdigit() else 0


def close(said: Sequence[str], phrase: Sequence[str], one_word_exact: bool = True,
          tight: bool = False) -> bool:
    """Whether the key ``said`` is within the margin of the key ``phrase`` (see module doc);
    a one-word name (a command's argument) may be given the word margin; ``tight``: the
    tight margin of signing and undo."""
    if len(said) != len(phrase) or not phrase:
        return False
    differ = [(s, p) for s, p in zip(said, phrase, strict=True) if s != p]
    if not differ:
        return True
    if (len(phrase) == 1 and one_word_exact) or len(differ) > 1:
        return False
    s, p = differ[0]
    return edit_distance(p, s) <= (_tight_margin(p) if tight else _word_margin(p))


def distance(said: Sequence[str], phrase: Sequence[str]) -> int:
    """Character edits between two keys of equal length (for choosing the nearest)."""
    return sum(edit_distance(p, s) for s, p in zip(said, phrase, strict=True))
