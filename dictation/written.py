"""Engine words split into word and punctuation tokens, each with the word it came from.

PocketSphinx and Vosk give bare lower-case words, kept as they are. Whisper writes text:
leading spaces, capitals, punctuation stuck to words ("field."), hyphenated numbers
("twenty-five"), quotes, trailing ellipses, and words in pieces (" C", "-T."; " 25", "%").
:func:`split_words` turns it into tokens: pieces are joined, punctuation marks become tokens
of their own, ellipses, quotes and spaces go, number words joined by a hyphen, or to an
acronym ("КТ-два"), are split (a range, "шесть-семь", keeps its hyphen as a token), and
each token keeps the index of its source word (for word times).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dictation.numbers import is_number_word, number_spans

PUNCTUATION = frozenset(".,:;?!")
SENTENCE_END = frozenset(".?!")
_ELLIPSIS = re.compile(r"\.{3,}|…")  # Whisper's trailing off; ".." is one mark
_QUOTES = "\"“”„«»‘’`"
_TRAIL = re.compile(r"[.,:;?!]+$")
_MARKS = frozenset(",:;?!…") | frozenset(_QUOTES)


@dataclass(frozen=True)
class Token:
    """A word or one punctuation mark; ``index`` of the engine word it was written in."""

    text: str
    index: int

    @property
    def is_punct(self) -> bool:
        return self.text in PUNCTUATION


def is_written(words: Sequence[str]) -> bool:
    """Whether the engine wrote text (Whisper: spaces, capitals, punctuation), not bare lower-case
    words (PocketSphinx, Vosk). Bare words may end in a dot ("c.", "a.m.", "al." are words
    of PocketSphinx's dictionary), so a dot counts only after the last word of 4 letters
    or more."""
    if any(w[:1].isspace() for w in words):  # Whisper's words start with a space
        return True
    if any(ch.isupper() or ch in _MARKS for w in words for ch in w):
        return True
    last = words[-1].strip() if words else ""
    return last.endswith(".") and not re.fullmatch(r"(?:\w{1,3}\.)+", last)


def split_words(words: Sequence[str], written: bool | None = None) -> list[Token]:
    """Tokens of ``words`` (see the module docstring); empty words and marks alone go.
    Bare engine words (``written`` False; None: :func:`is_written` decides) are kept as
    they are, one token each."""
    if written is None:
        written = is_written(words)
    if not written:
        return [Token(w.strip(), i) for i, w in enumerate(words) if w.strip()]
    out: list[Token] = []
    for raw, index in _glued(words):
        word = _ELLIPSIS.sub(" ", raw.strip().strip(_QUOTES)).strip(_QUOTES + " ")
        for part in word.split():
            out.extend(_split_one(part.strip(_QUOTES), index))
    return out


def _glued(words: Sequence[str]) -> list[tuple[str, int]]:
    """Whisper's word pieces joined to the word they continue: a piece without the leading
    space its other words have (" 25", "%"), or one starting with a hyphen (" C", "-T.").
    A joined word keeps the index of its first piece."""
    spaced = any(w[:1].isspace() for w in words)
    out: list[tuple[str, int]] = []
    for index, raw in enumerate(words):
        piece = raw.strip()
        if not piece:
            continue
        if out and ((spaced and not raw[0].isspace())
                              or (piece.startswith("-") and len(piece) > 1)):
            out[-1] = (out[-1][0] + piece, out[-1][1])
        else:
            out.append((raw, index))
    return out


def _split_one(part: str, index: int) -> list[Token]:
    if not part:
        return []
    trail = _TRAIL.search(part)
    marks = trail.group() if trail else ""
    # A dotted abbreviation ("A.I.", "e.g.") keeps its last dot as part of the word.
    if marks == "." and re.fullmatch(r"(?:\w\.){2,}", part):
        marks = ""
    body = (part[: len(part) - len(marks)] if marks else part).strip(_QUOTES)
    out: list[Token] = []
    if body:
        pieces = body.split("-")
        # "twenty-five"; an acronym with a spoken number: "КТ-два", "CT-two"; a range of
        # numbers keeps its hyphen as a token of its own: "шесть-семь" -> 6-7
        if len(pieces) > 1 and all(is_number_word(p) for p in pieces[1:]) and (
            is_number_word(pieces[0]) or (pieces[0].isupper() and len(pieces[0]) > 1)
        ):
            if is_number_word(pieces[0]) and _is_range(pieces):
                for k, p in enumerate(pieces):
                    out.extend([Token("-", index)] * (k > 0) + [Token(p, index)])
            else:
                out.extend(Token(p, index) for p in pieces)
        else:
            out.append(Token(body, index))
    if marks:
        out.append(Token(marks[0], index))  # "?!" or ".," is one mark: the first
    return out


def _is_range(pieces: Sequence[str]) -> bool:
    """Whether hyphenated number words are numbers of their own ("шесть-семь", "five-six"),
    not one number ("twenty-five", "сорок-два")."""
    lang = "ru" if any("а" <= ch <= "я" or ch == "ё" for p in pieces for ch in p.lower()) else "en"
    return len(number_spans([p.lower() for p in pieces], lang)) == len(pieces)


def word_texts(tokens: Sequence[Token]) -> list[str]:
    """The texts of the tokens that are words (no punctuation)."""
    return [t.text for t in tokens if not t.is_punct]


def drop_final_comma(text: str) -> str:
    """Whisper's comma at the very end of an utterance, dropped: after a prompt of
    comma-separated terms tiny.en ends most phrases with one ("no pleural effusion,"), which
    the next utterance would leave dangling. A comma the user says ("comma") is a command
    and stays."""
    return text[:-1].rstrip() if text.endswith(",") else text
