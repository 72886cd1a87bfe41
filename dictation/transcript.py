"""The dictated text of one field, edited by utterances and editing commands.

Pieces are kept per utterance so that "scratch that" removes the last utterance, "delete
last word" the last word and "delete last sentence" the last sentence. "Undo that" takes
back the last change, step by step (:meth:`Transcript.undo`): an utterance dictated, what an
editing command removed, or a value the app set by voice meanwhile (a :class:`Step` the app
undoes); a change after an undo clears the redo side. Rendering joins words
with spaces, attaches punctuation to the word before it and capitalises the first word of
each sentence and line. Each word keeps the time span it was spoken in, so a click on a word
can play its audio.

Whisper writes its own punctuation (``Piece.auto``): a mark the user says ("period") takes
the place of Whisper's mark just before it, and Whisper's mark after another mark, a line
break or at the start is dropped, so "No effusion, period." is "No effusion."; its comma
before a said line break goes too ("нет, новая строка" is "нет" and a new line). Whisper's
capital at the start of an utterance is taken back (the transcript capitalises sentences).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from dictation.commands import FIELD_MOVES, Command, CommandSet, Text
from dictation.normalize import Normalizer
from dictation.results import Result

PUNCTUATION = {".", ",", ":", ";", "?", "!"}
SENTENCE_END = {".", "?", "!"}
BREAKS = {"\n", "\n\n"}


@dataclass(frozen=True)
class Piece:
    """A written word, punctuation mark or line break; times (s) for spoken words."""

    text: str
    start: float | None = None
    end: float | None = None
    auto: bool = False  # a punctuation mark the engine wrote (Whisper), not one said

    @property
    def is_word(self) -> bool:
        return self.text not in PUNCTUATION and self.text not in BREAKS


@dataclass(frozen=True)
class WordSpan:
    """Where a word sits in the rendered text and when it was spoken."""

    char_start: int
    char_end: int
    start: float | None
    end: float | None


Utterances = tuple[tuple[Piece, ...], ...]


@dataclass(frozen=True)
class Step:
    """One change that undo takes back: the transcript's ``utterances`` before it, or a
    value the app set by voice in its field ``value`` (the app keeps what was there)."""

    utterances: Utterances | None = None
    value: str | None = None


MAX_UNDO = 200  # steps kept for undo in one field's transcript
# The commands (also the session's markers for the keyboard's undo and redo); see
# DictationProcessor.process for what they carry.
UNDO, REDO = "undo", "redo"
UNDONE_TEXT, UNDONE_VALUE = "text", "value"  # its argument: what went back (None: nothing)


@dataclass
class Transcript:
    """Utterances of pieces: words, punctuation marks and line breaks; the changes undo
    takes back (``history``, newest last) and those it took back (``redo``)."""

    utterances: list[list[Piece]] = field(default_factory=list)
    history: list[Step] = field(default_factory=list)
    redo: list[Step] = field(default_factory=list)

    def state(self) -> Utterances:
        return tuple(tuple(u) for u in self.utterances)

    def copy(self) -> Transcript:
        """An independent copy (its history too: a tentative final taken back takes back
        its step)."""
        return Transcript([list(u) for u in self.utterances], list(self.history),
                          list(self.redo))

    def changed(self, step: Step) -> None:
        """A change was made (``step`` takes it back): the redo side goes; the oldest steps
        beyond :data:`MAX_UNDO` are forgotten."""
        self.history.append(step)
        del self.history[:-MAX_UNDO]
        self.redo.clear()

    def undo(self) -> Step | None:
        """Take back the last change: the text as it was before it (for a value step, the
        app takes it back). The step undone, or None when there is none."""
        return self._step_back(self.history, self.redo)

    def redo_step(self) -> Step | None:
        """Make again the change the last undo took back (as :meth:`undo` answers)."""
        return self._step_back(self.redo, self.history)

    def _step_back(self, steps: list[Step], other: list[Step]) -> Step | None:
        """Go to the text the newest of ``steps`` holds, keeping how to return in ``other``."""
        if not steps:
            return None
        step = steps.pop()
        if step.utterances is not None:
            other.append(Step(self.state()))
            self.utterances = [list(u) for u in step.utterances]
        else:
            other.append(step)
        return step

    def add(self, pieces: Iterable[Piece | str]) -> None:
        items = [p if isinstance(p, Piece) else Piece(p) for p in pieces]
        items = [p for p in items if p.text]
        if items:
            self.utterances.append(items)

    def scratch_that(self) -> None:
        if self.utterances:
            self.utterances.pop()

    def delete_last_word(self) -> None:
        """Remove the last word and any punctuation or breaks after it."""
        while self.utterances:
            last = self.utterances[-1]
            while last and not last[-1].is_word:
                last.pop()
            deleted = bool(last) and last.pop() is not None
            if not last:
                self.utterances.pop()
            if deleted:
                return

    def delete_last_sentence(self) -> None:
        """Remove the words back to the end of the sentence (or line) before the last one."""
        shown = self._shown()
        words = [k for k, (_, _, p) in enumerate(shown) if p.is_word]
        if not words:
            return
        ends = [k for k, (_, _, p) in enumerate(shown[: words[-1]])
                if p.text in SENTENCE_END or p.text in BREAKS]
        if not ends:
            self.utterances.clear()
            return
        u, i, _ = shown[ends[-1] + 1]
        self.utterances[u:] = [self.utterances[u][:i]]
        if not self.utterances[-1]:
            self.utterances.pop()

    def _shown(self) -> list[tuple[int, int, Piece]]:
        """The pieces rendered, with where they are: Whisper's mark after a mark, a break or
        at the start is left out, and a mark said after Whisper's takes its place."""
        out: list[tuple[int, int, Piece]] = []
        for u, utterance in enumerate(self.utterances):
            for i, piece in enumerate(utterance):
                if piece.text in PUNCTUATION:
                    prev = out[-1][2] if out else None
                    if piece.auto and (prev is None or not prev.is_word):
                        continue
                    if prev is not None and prev.auto and prev.text in PUNCTUATION:
                        out.pop()
                elif piece.text in BREAKS and out and out[-1][2].auto and out[-1][2].text == ",":
                    out.pop()  # Whisper's comma before "new line" ("нет, новая строка")
                out.append((u, i, piece))
        return out

    def render(self) -> tuple[str, list[WordSpan]]:
        out = ""
        spans: list[WordSpan] = []
        capital = True
        for _, _, piece in self._shown():
            if piece.text in BREAKS:
                out = out.rstrip(" ") + piece.text
                capital = True
            elif piece.text in PUNCTUATION:
                out = out.rstrip(" ") + piece.text
                capital = capital or piece.text in SENTENCE_END
            else:
                if out and not out.endswith("\n"):
                    out += " "
                word = piece.text[:1].upper() + piece.text[1:] if capital else piece.text
                spans.append(WordSpan(len(out), len(out) + len(word), piece.start, piece.end))
                out += word
                capital = False
        return out, spans

    @property
    def text(self) -> str:
        return self.render()[0]

    def span_at(self, char: int) -> WordSpan | None:
        """The word at character ``char`` of :attr:`text` (what a click on it means)."""
        return next((s for s in self.render()[1] if s.char_start <= char < s.char_end), None)


# Commands that edit the transcript, by name (the table's other commands are for the app).
EDITS: dict[str, Callable[[Transcript], None]] = {
    "scratch_that": Transcript.scratch_that,
    "delete_last_word": Transcript.delete_last_word,
    "delete_last_sentence": Transcript.delete_last_sentence,
}


@dataclass(frozen=True)
class Processed:
    """What one final result did: the commands in it for the app (field navigation etc.)."""

    commands: tuple[Command, ...]
    # What was said after a field move in the same utterance («Заключение. Без патологии.»):
    # the next field's, left for the session to give it once the field has changed.
    rest: Result | None = None


class DictationProcessor:
    """Final results -> transcript edits and app commands (one field's text at a time)."""

    def __init__(
        self, lang: str, commands: CommandSet | None = None, normalizer: Normalizer | None = None
    ) -> None:
        self.lang = lang
        self.commands = commands or CommandSet(lang)
        self.normalize = normalizer or Normalizer(lang)
        self.transcript = Transcript()

    def process(self, result: Result) -> Processed:
        """One final: its words added, its edits made, and a step for undo recorded when it
        changed the text (or set a value); "undo" is answered as :meth:`undo`."""
        if not result.final:
            return Processed(())
        words = list(result.words)
        spoken = [w.word for w in words] if words else result.text.split()
        pieces: list[Piece] = []
        found: list[Command] = []
        before, shown = self.transcript.state(), self.transcript.text
        undone = False
        parts = self.commands.parse(spoken)
        rest = None
        for n, part in enumerate(parts):
            if isinstance(part, Text):
                pieces.extend(self._pieces(part, words))
                continue
            if part.name == UNDO:  # said alone: nothing of this utterance before it
                found.append(self.undo())
                undone = True
                continue
            found.append(part)
            said = next((p for p in parts[n + 1 :] if isinstance(p, Text)), None)
            if part.name in FIELD_MOVES and said is not None:
                rest = _after(result, spoken, said.indices[0] if said.indices else None)
                break
            if part.value is not None:
                pieces.append(Piece(part.value))
            elif part.name in EDITS:  # on what was said before it, this utterance's too
                self.transcript.add(_uncapitalise(pieces))
                pieces = []
                EDITS[part.name](self.transcript)
        if SHORT_COMMAS.get(self.lang):
            pieces = _short_commas(pieces)
        self.transcript.add(_uncapitalise(pieces))
        if not undone:
            if self.transcript.text != shown:
                self.transcript.changed(Step(before))
            for command in found:
                if command.field is not None:  # a value set by voice (the app's set_value)
                    self.transcript.changed(Step(value=command.field))
        return Processed(tuple(found), rest)

    def undo(self) -> Command:
        """Take back the last change (:meth:`Transcript.undo`): the "undo" command for the
        app, its argument saying what went back (``UNDONE_TEXT``; ``UNDONE_VALUE`` with the
        value's field, which the app sets back; None: nothing to undo)."""
        return _undone(self.transcript.undo())

    def redo(self) -> Command:
        """Make again what the last undo took back (answered as :meth:`undo`)."""
        return _undone(self.transcript.redo_step(), REDO)

    def _pieces(self, text: Text, words: list) -> list[Piece]:
        out = []
        for written, lo, hi in self.normalize.spans(text.words):
            if written in PUNCTUATION:
                out.append(Piece(written, auto=True))
            elif words and text.indices:
                out.append(
                    Piece(written, words[text.indices[lo]].start, words[text.indices[hi - 1]].end)
                )
            else:
                out.append(Piece(written))
        return out


def _undone(step: Step | None, name: str = UNDO) -> Command:
    if step is None:
        return Command(name)
    if step.utterances is not None:
        return Command(name, argument=UNDONE_TEXT)
    return Command(name, argument=UNDONE_VALUE, field=step.value)


def _after(result: Result, spoken: list[str], start: int | None) -> Result | None:
    """The words of ``result`` from the ``start``-th on, as a final result of their own."""
    if start is None:
        return None
    said = spoken[start:]
    spaced = any(w[:1].isspace() for w in said)
    text = ("".join(said) if spaced else " ".join(said)).strip()
    return Result(text, final=True, words=tuple(result.words[start:]) if result.words else ())


# Whisper writes a comma after the first word or two of a short phrase ("Follow up, computed
# tomography in three months.", "Peribronchial, consolidation in the lower lobes."): such a
# comma of its own (not a spoken "comma") goes, unless the words before it are a discourse
# word ("However, ...") or hold a number ("3-4 nodules, ..."), or the word after it starts a
# sentence (a capital, not an abbreviation) or is an adverb in -ly ("Ground-glass opacities,
# predominantly peripheral."). Chosen on the development phrases' decodes, measured on the
# held-out ones (benchmarks/README.md).
SHORT_COMMAS = {"en": True}
SHORT_COMMA_WORDS = 2  # at most this many words before the comma...
SHORT_COMMA_AFTER = 2  # ...and at least this many after it
DISCOURSE = frozenset({
    "however", "otherwise", "also", "additionally", "finally", "overall", "incidentally",
    "no", "yes", "again", "unfortunately", "now", "then", "so", "well", "ok", "okay",
    "impression", "findings", "conclusion", "note", "comparison", "technique", "history",
})


def _short_commas(pieces: list[Piece]) -> list[Piece]:
    """Whisper's comma after the first one or two words of an utterance, dropped where
    :data:`SHORT_COMMAS` says (see there)."""
    before = 0
    for i, piece in enumerate(pieces):
        if piece.is_word:
            before += 1
            continue
        if piece.text != "," or not piece.auto or not 0 < before <= SHORT_COMMA_WORDS:
            return pieces
        after = []
        for nxt in pieces[i + 1:]:
            if not nxt.is_word:
                break
            after.append(nxt.text)
        first, nxt = pieces[0].text.lower(), after[0] if after else ""
        counted = any(ch.isdigit() for p in pieces[:i] for ch in p.text)  # "3-4 nodules, ..."
        if len(after) < SHORT_COMMA_AFTER or first in DISCOURSE or counted \
                or not (nxt[:1].islower() or nxt.isupper()) or nxt.endswith("ly"):
            return pieces
        return pieces[:i] + pieces[i + 1:]
    return pieces


def _uncapitalise(pieces: list[Piece]) -> list[Piece]:
    """Whisper's capital on the first word of an utterance or of its sentences goes ("No" ->
    "no"; "CT", "COVID-19", "I" stay): rendering capitalises where a sentence starts."""
    out: list[Piece] = []
    start = True
    for piece in pieces:
        text = piece.text
        if piece.is_word:
            if start and len(text) > 1 and text[0].isupper() and text[1:] == text[1:].lower() \
                    and any(ch.islower() for ch in text[1:]):
                piece = replace(piece, text=text[0].lower() + text[1:])
            start = False
        elif text in SENTENCE_END or text in BREAKS:
            start = True
        out.append(piece)
    return out


def render_text(
    utterances: str | Iterable[str],
    lang: str,
    commands: CommandSet | None = None,
    normalizer: Normalizer | None = None,
) -> str:
    """The report text one field gets from ``utterances`` (each an engine's final text, as
    Whisper or a bare engine wrote it): commands run, numbers and units normalised."""
    processor = DictationProcessor(lang, commands, normalizer)
    for text in [utterances] if isinstance(utterances, str) else utterances:
        processor.process(Result(text, final=True))
    return processor.transcript.text
