"""Words Whisper misheard, put right from the radiology vocabulary and its word pairs.

Whisper tiny/base write a rare term they did not catch as near-spelt everyday words ("no
plural effusion", "round-glass", "thoracic pine", "no new methorax"). A word is changed only
when all of these hold:

* it is not in the domain vocabulary (the radiology corpus ``radiology-en.txt``, the term
  list ``radiology-terms-en.txt``, the protocols' terms, the commands and spoken numbers);
* a vocabulary word is within a small spelling margin of it: 1 letter for a word of 4 to 7
  letters, 2 for 8 or more, and is not merely its plural or past form ("lesions" stays,
  not "lesion") (two neighbouring words may also be read as one term of 9 or
  more letters, within 3 letters: "new methorax" -> "pneumothorax");
* the candidate forms a word pair the corpus has with the word before or after it
  ("pleural effusion", "thoracic spine") and the word as heard does not.

So dictation that merely resembles a term stays as it was ("a round nodule", "the lift").
Measured and limits: ``benchmarks/README.md`` (Dictation engines).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from core.paths import RESOURCES
from dictation.lm import corpus_sentences
from dictation.prompt import protocol_terms
from dictation.results import Word
from dictation.wer import edit_distance

TERMS = {"en": RESOURCES / "dictation" / "radiology-terms-en.txt"}
_SPLIT = re.compile(r"[^\w%' ]+")
_TOKEN = re.compile(r"^(\W*)(\w[\w']*(?:-\w[\w']*)*)(\W*)$")
MERGE_MIN = 9  # letters of a term two heard words may be read as
MERGE_MARGIN = 3
_SUFFIXES = ("s", "es", "d", "ed")


def _words(text: str) -> list[str]:
    return _SPLIT.sub(" ", text.lower().replace("-", " ")).split()


def _margin(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


@functools.lru_cache(maxsize=4096)
def _deletions(word: str, reach: int) -> frozenset[str]:
    """``word`` with up to ``reach`` letters deleted (itself included)."""
    forms = {word}
    edge = {word}
    for _ in range(reach):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w))}
        forms |= edge
    return frozenset(forms)


def _inflected(a: str, b: str) -> bool:
    """Whether one word is the other with a plural or past ending ("lesion"/"lesions")."""
    short, long = sorted((a, b), key=len)
    return any(long == short + s for s in _SUFFIXES)


def read_terms(lang: str) -> list[str]:
    """The term list of ``lang`` (one term a line, ``#`` comments), or [] if none."""
    path = TERMS.get(lang)
    if path is None or not path.is_file():
        return []
    lines = (ln.strip() for ln in path.read_text(encoding="utf-8").splitlines())
    return [ln for ln in lines if ln and not ln.startswith("#")]


class LexiconFixer:
    """Corrects words of Whisper's text from a vocabulary and its word pairs."""

    def __init__(self, lines: Iterable[str]) -> None:
        seqs = [_words(line) for line in lines]
        self.vocab = {w for seq in seqs for w in seq}
        self.pairs = {(a, b) for seq in seqs for a, b in itertools.pairwise(seq)}
        # Symmetric-deletion indexes: every candidate's forms with up to 2 (long terms: 3)
        # letters deleted -> the candidates; a heard word's deletions find those within reach.
        self._near: dict[str, set[str]] = {}
        self._near_long: dict[str, set[str]] = {}
        for w in self.vocab:
            if w.isalpha() and len(w) >= 4:
                for form in _deletions(w, _margin(w)):
                    self._near.setdefault(form, set()).add(w)
            if w.isalpha() and len(w) >= MERGE_MIN:
                for form in _deletions(w, MERGE_MARGIN):
                    self._near_long.setdefault(form, set()).add(w)

    def _within(self, word: str, index: dict[str, set[str]], reach: int) -> list[str]:
        """Candidates of ``index`` that may lie within ``reach`` edits of ``word``, sorted."""
        found: set[str] = set()
        for form in _deletions(word, reach):
            found |= index.get(form, set())
        return sorted(found)

    def _support(self, before: str, word: str, after: str) -> int:
        return ((before, word) in self.pairs) + ((word, after) in self.pairs)

    def fix_words(self, words: Sequence[str]) -> list[str]:
        """``words`` (lower case, bare) with misheard ones replaced; a word merged into the
        one before it becomes ""; the list keeps its length."""
        out = list(words)
        n = len(out)

        def around(i: int, j: int) -> tuple[str, str]:
            return (words[i - 1] if i > 0 else "<s>", words[j + 1] if j + 1 < n else "</s>")

        for i, w in enumerate(words):
            if w in self.vocab or not w.isalpha() or len(w) < 3:
                continue
            before, after = around(i, i)
            if self._support(before, w, after):
                continue
            best = None
            for c in self._within(w, self._near, 2):
                if abs(len(c) - len(w)) > _margin(c):
                    continue
                d = edit_distance(c, w)
                if d > _margin(c) or _inflected(c, w):
                    continue
                s = self._support(before, c, after)
                if s and (best is None or (s, -d) > best[0]):
                    best = ((s, -d), c)
            if best is not None:
                out[i] = best[1]
        for i in range(n - 1):
            a, b = words[i], words[i + 1]
            if out[i] != a or out[i + 1] != b or (a in self.vocab and b in self.vocab):
                continue
            joined = a + b
            if not joined.isalpha():
                continue
            before, after = around(i, i + 1)
            for c in self._within(joined, self._near_long, MERGE_MARGIN):
                if abs(len(c) - len(joined)) > 2 or edit_distance(c, joined) > MERGE_MARGIN:
                    continue
                if self._support(before, c, after):
                    out[i], out[i + 1] = c, ""
                    break
        return out

    def fix(self, text: str) -> str:
        """Whisper's text with misheard words replaced; its punctuation and capitals kept."""
        tokens = text.split()
        return " ".join(t for t in self._fix_tokens(tokens) if t)

    def fix_timed(self, words: Sequence[Word]) -> tuple[Word, ...]:
        """Timed words with misheard ones replaced; a merged word spans both times."""
        fixed = self._fix_tokens([w.word for w in words])
        out: list[Word] = []
        for word, text in zip(words, fixed, strict=True):
            if text:
                out.append(replace(word, word=text))
            elif out:
                out[-1] = replace(out[-1], end=word.end)
        return tuple(out)

    def _fix_tokens(self, tokens: Sequence[str]) -> list[str]:
        """Whitespace tokens of Whisper's text fixed; "" where a token was merged away."""
        parts = []  # (token index, prefix, pieces, suffix); hyphenated words are pieces
        flat: list[tuple[int, int]] = []
        for i, token in enumerate(tokens):
            m = _TOKEN.match(token)
            if m is None:
                parts.append(None)
                continue
            pieces = m.group(2).split("-")
            parts.append([m.group(1), pieces, m.group(3)])
            flat += [(i, j) for j in range(len(pieces))]
        low = [parts[i][1][j].lower() for i, j in flat]
        new = self.fix_words(low)
        if new == low:
            return list(tokens)
        for (i, j), was, now in zip(flat, low, new, strict=True):
            if now != was:
                orig = parts[i][1][j]
                parts[i][1][j] = now[:1].upper() + now[1:] if orig[:1].isupper() and now else now
        out = []
        for token, part in zip(tokens, parts, strict=True):
            if part is None:
                out.append(token)
                continue
            body = "-".join(p for p in part[1] if p)
            out.append(part[0] + body + part[2] if body else "")
        # a merged-away word's trailing mark stays on the word it merged into
        for k, part in enumerate(parts):
            if part is not None and not out[k] and part[2] and k and out[k - 1]:
                out[k - 1] += part[2]
        return out


@functools.cache
def fixer_for(lang: str) -> LexiconFixer | None:
    """The fixer of ``lang``'s radiology vocabulary, or None where there is none."""
    terms = read_terms(lang)
    if not terms:
        return None
    return LexiconFixer([*corpus_sentences("radiology", lang), *terms, *protocol_terms(lang)])


RESCORE_WEIGHT = 0.5  # domain score weight against Whisper's mean token log-probability


def domain_score(fixer: LexiconFixer, text: str) -> float:
    """How much ``text`` reads as report language, 0..2: the share of its words in the
    vocabulary plus the share of its word pairs the corpus has (after :meth:`fix`)."""
    words = _words(fixer.fix(text))
    if not words:
        return 0.0
    known = sum(w in fixer.vocab for w in words) / len(words)
    if len(words) < 2:
        return known
    pairs = sum(p in fixer.pairs for p in itertools.pairwise(words)) / (len(words) - 1)
    return known + pairs


def pick(fixer: LexiconFixer, texts: Sequence[str], scores: Sequence[float],
         weight: float = RESCORE_WEIGHT) -> int:
    """The index of the hypothesis of Whisper's beam (``texts`` with their mean token
    log-probabilities ``scores``) that reads best as report language: shallow-fusion-like
    rescoring of the n-best list by :func:`domain_score`."""
    if len(texts) < 2:
        return 0
    ranked = [s + weight * domain_score(fixer, t) for t, s in zip(texts, scores, strict=True)]
    return max(range(len(texts)), key=ranked.__getitem__)
