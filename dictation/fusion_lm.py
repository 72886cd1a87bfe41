"""A radiology word language model to steer Whisper's beam search (shallow fusion).

Built only from what a station has: the radiology corpus and term list
(``resources/dictation``; its spoken numbers, not its command phrases), the protocols' texts
(titles, options, labels, sentences with each option put in) and the user dictionary's
written forms; per language (Russian has the protocols and the dictionary only). A word
trigram (interpolated absolute discounting), numbers as one class ``<num>``.

The bias is *positive only*: a word earns ``max(0, log P(w | two words before) - log
FLOOR)``, so a word the model does not know costs nothing (general speech is left alone)
and a domain word in a domain context earns the most. The word being written (the last,
unfinished one) earns the best its letters so far can still become (look-ahead), so the
beam keeps "ple" of "pleural" against "plural"; when it ends as another word the bonus goes.
:func:`fusion_lm` caches one model per language; None where a language has no sentences.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from dictation.commands import CommandSet
from dictation.lexicon_fix import read_terms
from dictation.lm import CORPORA, corpus_sentences
from dictation.normalize import UserDictionary
from dictation.numbers import is_number_word
from dictation.prompt import PROTOCOLS

DISCOUNT = 0.7
# A word whose model probability is at or below this earns nothing; above it, the log ratio.
FLOOR = 1e-3
BOS, NUM = "<s>", "<num>"
# Words that earn no bias: everyday words a domain text has as often as any other speech
# (chosen from grammar, not from any measurement): of fewer letters, or in this list.
MIN_LETTERS = 4
FUNCTION_WORDS = frozenset((
    "with", "there", "their", "these", "those", "this", "that", "than", "then", "from",
    "into", "onto", "over", "under", "about", "have", "been", "were", "will", "would",
    "could", "should", "which", "while", "where", "when", "what", "your", "some", "also",
    "только", "после", "через", "между", "перед", "около", "этот", "этой", "этого", "того",
    "тоже", "также", "более", "менее", "было", "были", "будет", "есть", "всех", "всего",
))
_WORD = re.compile(r"[^\W\d_]+|\d+(?:[.,]\d+)?%?|%", re.UNICODE)


def words_of(text: str) -> list[str]:
    """Lower-case words of ``text`` (hyphens and punctuation split them; ё = е), every number
    (and a percent sign) as :data:`NUM`."""
    out = []
    for w in _WORD.findall(text.lower().replace("ё", "е")):
        out.append(NUM if w[0].isdigit() or w == "%" else w)
    return out


def _numbers_as_class(words: list[str]) -> list[str]:
    """Spoken numbers ("twenty five", "point") as one :data:`NUM` each."""
    out: list[str] = []
    for w in words:
        num = w == NUM or is_number_word(w) or w in ("point", "целых", "десятых")
        if not (num and out and out[-1] == NUM):
            out.append(NUM if num else w)
    return out


def _protocol_texts(lang: str, paths: Sequence[Path] | None = None) -> list[str]:
    """Every text of the protocols in ``lang``: titles, labels, options, and each sentence
    with each of its field's options put in."""
    paths = paths if paths is not None else sorted(PROTOCOLS.rglob("*.yaml"))
    out: list[str] = []

    def text(node) -> str | None:
        return node.get(lang) if isinstance(node, dict) and isinstance(node.get(lang), str) \
            else None

    for path in paths:
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(data, dict):
            continue
        out += [t for t in (text(data.get("title")),) if t]
        for field in data.get("fields") or []:
            options = [t for t in map(text, (field.get("options") or {}).values()) if t]
            out += options
            out += [t for t in (text(field.get("label")),) if t]
            for key in ("sentence", "alone"):
                s = text(field.get(key))
                if s:
                    out += [s.replace("{value}", o) for o in options] if "{value}" in s else [s]
    return out


def station_sentences(lang: str) -> list[str]:
    """The texts the model is built from (see the module docstring)."""
    out: list[str] = []
    if lang in CORPORA.get("radiology", {}):
        # not the command phrases: a bias towards them turned dictation into a command
        # ("...tube is in good position" -> "go to field improvement")
        commands = set(CommandSet(lang).grammar())
        out += [s for s in corpus_sentences("radiology", lang) if s not in commands]
    out += read_terms(lang)
    out += _protocol_texts(lang)
    dictionary = UserDictionary.load()
    out += list((dictionary.substitutions.get(lang) or {}).values())
    return [s for s in out if s.strip()]


class FusionLM:
    """Word trigram with look-ahead over unfinished words; see the module docstring."""

    def __init__(self, sentences: Iterable[str], lang: str, floor: float = FLOOR) -> None:
        self.floor = math.log(floor)
        counts = [Counter(), Counter(), Counter()]
        for s in sentences:
            seq = [BOS, BOS, *_numbers_as_class(words_of(s))]
            for i in range(2, len(seq)):
                counts[0][(seq[i],)] += 1
                counts[1][(seq[i - 1], seq[i])] += 1
                counts[2][(seq[i - 2], seq[i - 1], seq[i])] += 1
        self.total = sum(counts[0].values())
        self.uni = {w: c / self.total for (w,), c in counts[0].items()}
        self.counts = counts
        self.ctx = [defaultdict(int), defaultdict(int)]  # history -> total, -> types
        self.types = [defaultdict(int), defaultdict(int)]
        for order in (1, 2):
            for gram, c in counts[order].items():
                self.ctx[order - 1][gram[:-1]] += c
                self.types[order - 1][gram[:-1]] += 1
        self.vocab = sorted(self.uni)
        self.look_ahead = True  # False: only whole words earn (a study switch)
        self._memo: dict[tuple[str, ...], float] = {}

    def prob(self, word: str, h1: str, h2: str) -> float:
        """P(word | h1 h2) (h2 the word just before), interpolated absolute discounting."""
        p = self.uni.get(word, 0.0)
        for order, hist in ((1, (h2,)), (2, (h1, h2))):
            total = self.ctx[order - 1].get(hist)
            if not total:
                continue
            c = self.counts[order].get((*hist, word), 0)
            lam = DISCOUNT * self.types[order - 1][hist] / total
            p = max(c - DISCOUNT, 0) / total + lam * p
        return p

    def gain(self, word: str, h1: str, h2: str) -> float:
        """What a whole word earns after ``h1 h2``: log P over the floor, never below 0;
        nothing for a short or function word (everyday speech has them as much)."""
        if len(word) < MIN_LETTERS or word in FUNCTION_WORDS:
            return 0.0
        p = self.prob(word, h1, h2)
        return max(0.0, math.log(p) - self.floor) if p > 0 else 0.0

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - one model per language, kept
    def lookahead(self, prefix: str, h1: str, h2: str) -> float:
        """The most an unfinished word starting with ``prefix`` can still earn."""
        lo = bisect.bisect_left(self.vocab, prefix)
        hi = bisect.bisect_left(self.vocab, prefix + "\uffff")
        return max((self.gain(w, h1, h2) for w in self.vocab[lo:hi] if w != BOS), default=0.0)

    def score(self, text: str, finished: bool) -> float:
        """The bias of ``text`` as written so far (``finished``: its last word is whole)."""
        ws = words_of(text)
        open_word = bool(ws) and not finished and text[-1:].isalnum() and ws[-1] != NUM
        key = (*ws, "\x00" if open_word else "")
        got = self._memo.get(key)
        if got is not None:
            return got
        total = 0.0
        h1 = h2 = BOS
        whole = ws[:-1] if open_word else ws
        for w in whole:
            total += self.gain(w, h1, h2)
            h1, h2 = h2, w
        if open_word and self.look_ahead:
            total += self.lookahead(ws[-1], h1, h2)
        if len(self._memo) > 100_000:
            self._memo.clear()
        self._memo[key] = total
        return total


@functools.cache
def fusion_lm(lang: str) -> FusionLM | None:
    """The station's fusion model of ``lang``, or None where it has no sentences."""
    try:
        sentences = station_sentences(lang)
    except Exception:  # a missing or broken resource: dictation goes on without fusion
        return None
    return FusionLM(sentences, lang) if sentences else None
