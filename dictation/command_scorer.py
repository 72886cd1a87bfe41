"""Closed-set voice commands for Whisper: each command phrase scored against the audio.

Whisper decodes a short command freely and may mishear it ("Следующие поля", or nothing
like it from a robotic voice). The text matcher (:mod:`dictation.phrase_match`) comes first;
when it finds no command, :class:`CommandScorer` asks the model itself how likely each
command phrase is for the same audio: the text-token probabilities of CTranslate2 Whisper's
``align`` (what faster-whisper's word timestamps use), on the encoder output the decode
already made. Scored, in one batch: the free decode's own text and the command phrases
nearest to it in writing (one for each of the :data:`CANDIDATES` nearest commands, by
character edits on the normalised key),
each written as Whisper writes a sentence (capital, full stop).

The score of a text is its mean log-probability per token. A phrase is taken only when
* the utterance is short (:data:`MAX_SECONDS` of audio, :data:`MAX_WORDS` decoded words)
  and written somewhat like a command (:data:`MAX_DISTANCE`),
* it beats the next best phrase of another command by :data:`MARGIN_NEXT` or more, and
* it scores no more than :data:`MAX_BEHIND` below the free decode's own text, and
* a phrase that signs or undoes (``untaken``: no voice command takes it back) only from a
  decode of the whole phrase: as many words, within :data:`UNTAKEN_DISTANCE` character
  edits per character ("Пописать.", «Отменик.»), never from other words; such phrases still
  count as runners-up. (Deleting phrases were held so in h17; "undo that" brings back what
  they removed, so they are scored like the rest again: benchmarks/README.md, h18-dict.)
The free decode is nearly Whisper's most likely text (its own score is usually the higher
one, even for a command it misheard), so the test against it is a bound, not a win: dictated
text that merely resembles a command scores far below its decode (4-7 per token). The
margins were chosen on English commands and radiology phrases (tiny.en, espeak-ng) and
espeak-ng Russian commands (base); Russian has its own runner-up margin, chosen on sox
variants of Festival's voice (:data:`MARGIN_NEXT_BY_LANG`); then measured on data not used
for choosing them: benchmarks/README.md.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dictation.phrase_match import fold, key_words
from dictation.wer import edit_distance

log = logging.getLogger(__name__)

MAX_SECONDS = 4.0  # s of utterance audio (with its lead-in); longer is dictation
MAX_WORDS = 6  # words of the free decode
# ...and only when the decode is within this many character edits (per character) of some
# phrase: most dictated phrases are not scored at all (each scoring costs 0.3-1 s on 2 busy
# cores). Chosen on the English and espeak-ng Russian sets: the commands the scorer took
# there were within 0.74 (one espeak-ng Russian command lost at 0.7); tiny.en radiology
# phrases scored: 10 of 70 short ones instead of all.
MAX_DISTANCE = 0.7
CANDIDATES = 8  # phrases scored per utterance (each costs a decoder pass over the audio)
MARGIN_NEXT = 2.0  # mean log-probability per token the phrase must beat the runner-up by
# ...per language where chosen apart. Russian: on a tuning set (Festival's voice changed by
# sox tempo/pitch, 150 commands and 124 dictated phrases, benchmarks/command_margin.py) no
# margin from 0 to 3 took a command from dictation (MAX_BEHIND keeps it out: dictation scored
# 3.3-4.9 below its decode); commands exact 147/150 at 0, 146 at 0.5, 127 at 2.0. Chosen:
# the smallest clean margin + 0.5.
MARGIN_NEXT_BY_LANG: dict[str, float] = {"ru": 0.5}
MAX_BEHIND = 2.5  # ...and may be below the free decode's
# A phrase that signs or undoes: taken only from a decode with its words, this near in
# characters (per character of the phrase). Chosen on the cached decodes of the command sets
# (benchmarks/dictation_safety.py; no held-out set): of the 21 such commands the scorer took
# there, 7 were within 0.25 and 6 of them had the phrase's words; "Last sentence." (for
# "worsening") is 0.35 from "delete last sentence" and a word short.
UNTAKEN_DISTANCE = 0.25
FLOOR = 1e-9  # probability floor before the logarithm


@dataclass(frozen=True)
class Choice:
    """What the scorer made of an utterance: ``phrase`` (None: stays text), the scores
    (mean log-probability per token) of the best phrase, the runner-up of another
    command and the free decode."""

    phrase: str | None
    best: str | None = None
    score: float = float("-inf")
    runner_up: float = float("-inf")
    free: float = float("-inf")


def written(phrase: str) -> str:
    """A phrase as Whisper writes a sentence: " Next field." (letters spelled as one
    word in upper case: "ai" -> "AI")."""
    words = [w.upper() if w in _ACRONYMS else w for w in phrase.split()]
    text = " ".join(words)
    return " " + text[:1].upper() + text[1:] + "."


_ACRONYMS = {"ai", "ct", "ии", "кт"}


class CommandScorer:
    """Scores ``phrases`` (one language's command phrases, each with what it does: phrases
    that do the same are not each other's runner-up)
    against Whisper's encoder output. ``model``: a ``faster_whisper.WhisperModel``;
    ``tokenizer``: its tokenizer with the language fixed."""

    def __init__(self, model, tokenizer, phrases: Sequence[tuple[str, str]], lang: str,
                 fillers: Sequence[str] = (), untaken: frozenset[str] = frozenset()) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.lang = lang
        self._fillers = {fold(f) for f in fillers}
        self.phrases = [(" ".join(p.split()), name) for p, name in phrases]
        self.actions = {name for _, name in self.phrases}  # what the phrases do
        self._keys = [" ".join(self._key(p)) for p, _ in self.phrases]
        self._tokens = [tokenizer.encode(written(p)) for p, _ in self.phrases]
        self.margin = MARGIN_NEXT_BY_LANG.get(lang, MARGIN_NEXT)
        self.untaken = untaken  # commands (names) never taken from the scores

    def _key(self, text: str) -> tuple[str, ...]:
        return key_words(text.split(), self.lang, self._fillers)

    def distances(self, text: str) -> list[float]:
        """Character edits from ``text`` to each phrase, per character of the phrase (keys)."""
        key = " ".join(self._key(text))
        return [edit_distance(k, key) / max(len(k), 1) for k in self._keys]

    def whole_phrase(self, text: str, phrase: str) -> bool:
        """Whether ``text`` is ``phrase`` with every word said and a letter or two misheard
        (as many words in the keys, :data:`UNTAKEN_DISTANCE`): what a phrase that signs
        or undoes is taken from."""
        said, wanted = self._key(text), self._key(phrase)
        joined = " ".join(wanted)
        return len(said) == len(wanted) and edit_distance(
            joined, " ".join(said)) <= UNTAKEN_DISTANCE * len(joined)

    def candidates(self, text: str, n: int = CANDIDATES) -> list[int]:
        """Indices of the phrases nearest to ``text`` in characters (normalised), one for
        each of the ``n`` nearest things a command does (so a runner-up always differs)."""
        cost = self.distances(text)
        out: list[int] = []
        done: set[str] = set()
        for i in sorted(range(len(cost)), key=lambda i: (cost[i], i)):
            if self.phrases[i][1] not in done:
                done.add(self.phrases[i][1])
                out.append(i)
                if len(out) == n:
                    break
        return out

    def scores(self, encoder_output, frames: int, token_lists: list[list[int]]) -> list[float]:
        """Mean log-probability per token of each token list, given the audio."""
        # deferred: CTranslate2 loads only when Whisper runs
        import ctranslate2

        if not token_lists:
            return []
        arr = np.asarray(encoder_output) if not _on_gpu(encoder_output) else None
        if arr is not None and arr.shape[0] == 1 and len(token_lists) > 1:
            features = ctranslate2.StorageView.from_array(
                np.ascontiguousarray(np.repeat(arr, len(token_lists), axis=0))
            )
        elif arr is not None:
            features = encoder_output
        else:  # on a GPU: one sequence at a time on the same encoder output
            return [self.scores(encoder_output, frames, [t])[0] for t in token_lists]
        results = self.model.model.align(
            features, self.tokenizer.sot_sequence, token_lists, [frames] * len(token_lists)
        )
        return [
            float(np.mean(np.log(np.maximum(np.asarray(r.text_token_probs), FLOOR))))
            if len(r.text_token_probs) else float("-inf")
            for r in results
        ]

    def choose(self, encoder_output, frames: int, seconds: float, decoded_text: str,
               decoded_tokens: Sequence[int]) -> Choice:
        """The command phrase this utterance is, or ``Choice(None, ...)`` (see module doc)."""
        if not self.considers(seconds, decoded_text):
            return Choice(None)
        return self.rank(encoder_output, frames, decoded_text, decoded_tokens)

    def considers(self, seconds: float, decoded_text: str) -> bool:
        """Whether :meth:`choose` would score this utterance: short, and written somewhat
        like a command (written nothing like one: not worth the time)."""
        if seconds > MAX_SECONDS or len(decoded_text.split()) > MAX_WORDS:
            return False
        return min(self.distances(decoded_text), default=1.0) <= MAX_DISTANCE

    def rank(self, encoder_output, frames: int, decoded_text: str,
             decoded_tokens: Sequence[int]) -> Choice:
        """:meth:`choose` without its length limits."""
        picks = self.candidates(decoded_text)
        free_tokens = [t for t in decoded_tokens if t < self.tokenizer.eot]
        lists = [self._tokens[i] for i in picks] + ([free_tokens] if free_tokens else [])
        try:
            got = self.scores(encoder_output, frames, lists)
        except Exception:  # scoring is a second opinion: without it the text stands
            log.debug("command scoring failed", exc_info=True)
            return Choice(None)
        free = got[len(picks)] if free_tokens else float("-inf")
        ranked = sorted(zip(got[: len(picks)], picks, strict=True), reverse=True)
        best_score, best = ranked[0]
        name = self.phrases[best][1]
        runner = max((s for s, i in ranked[1:] if self.phrases[i][1] != name),
                     default=float("-inf"))
        phrase = self.phrases[best][0]
        taken = (best_score >= free - MAX_BEHIND and best_score >= runner + self.margin
                 and (name.split(":", 1)[0] not in self.untaken
                      or self.whole_phrase(decoded_text, phrase)))
        return Choice(phrase if taken else None, phrase, best_score, runner, free)


def _on_gpu(storage) -> bool:
    return getattr(storage, "device", "cpu") != "cpu"
