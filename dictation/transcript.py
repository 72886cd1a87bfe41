"""The dictated text of one field, edited by utterances and editing commands.

Pieces are kept per utterance so that "scratch that" removes the last utterance and
"delete last word" the last word. Rendering joins words with spaces, attaches punctuation
to the word before it and capitalises the first word of each sentence and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dictation.commands import Command, CommandSet, Text
from dictation.normalize import Normalizer
from dictation.results import Result

PUNCTUATION = {".", ",", ":", ";", "?", "!"}
SENTENCE_END = {".", "?", "!"}
BREAKS = {"\n", "\n\n"}
EDITING = {"scratch_that", "delete_last_word"}


@dataclass
class Transcript:
    """Utterances of pieces: words, punctuation marks and line breaks."""

    utterances: list[list[str]] = field(default_factory=list)

    def add(self, pieces: Iterable[str]) -> None:
        pieces = [p for p in pieces if p]
        if pieces:
            self.utterances.append(pieces)

    def scratch_that(self) -> None:
        if self.utterances:
            self.utterances.pop()

    def delete_last_word(self) -> None:
        """Remove the last word and any punctuation or breaks after it."""
        while self.utterances:
            last = self.utterances[-1]
            while last and (last[-1] in PUNCTUATION or last[-1] in BREAKS):
                last.pop()
            deleted = bool(last) and last.pop() is not None
            if not last:
                self.utterances.pop()
            if deleted:
                return

    @property
    def text(self) -> str:
        out = ""
        capital = True
        for piece in (p for u in self.utterances for p in u):
            if piece in BREAKS:
                out = out.rstrip(" ") + piece
                capital = True
            elif piece in PUNCTUATION:
                out = out.rstrip(" ") + piece
                capital = capital or piece in SENTENCE_END
            else:
                if out and not out.endswith("\n"):
                    out += " "
                out += piece[:1].upper() + piece[1:] if capital else piece
                capital = False
        return out


@dataclass(frozen=True)
class Processed:
    """What one final result did: the commands in it for the app (field navigation etc.)."""

    commands: tuple[Command, ...]


class DictationProcessor:
    """Final results -> transcript edits and app commands (one field's text at a time)."""

    def __init__(
        self, lang: str, commands: CommandSet | None = None, normalizer: Normalizer | None = None
    ) -> None:
        self.commands = commands or CommandSet(lang)
        self.normalize = normalizer or Normalizer(lang)
        self.transcript = Transcript()

    def process(self, result: Result) -> Processed:
        if not result.final:
            return Processed(())
        pieces: list[str] = []
        found: list[Command] = []
        spoken = [w.word for w in result.words] if result.words else result.text.split()
        for part in self.commands.parse(spoken):
            if isinstance(part, Text):
                pieces.extend(self.normalize(part.words))
                continue
            found.append(part)
            if part.value is not None:
                pieces.append(part.value)
            elif part.name == "scratch_that":
                self.transcript.scratch_that()
            elif part.name == "delete_last_word":
                self.transcript.delete_last_word()
        self.transcript.add(pieces)
        return Processed(tuple(found))
