"""Voice commands told apart from dictated text.

Phrases come from ``resources/dictation/commands.yaml``. A command with scope ``alone``
counts only when it is the whole utterance (PowerScribe-style: commands are spoken between
pauses), so "the next field of view" stays text. ``inline`` commands (spoken punctuation,
new line) count anywhere; a "literal" word before a phrase keeps it as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.paths import RESOURCES
from dictation.errors import DictationError

COMMANDS_FILE = RESOURCES / "dictation" / "commands.yaml"


@dataclass(frozen=True)
class Command:
    """A recognised command; ``argument`` for go-to-field/insert-template, ``value`` for inline."""

    name: str
    argument: str | None = None
    value: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"name": self.name}
        if self.argument is not None:
            out["argument"] = self.argument
        return out


@dataclass(frozen=True)
class Text:
    """Dictated words between commands (not yet normalised); ``indices`` into the utterance."""

    words: tuple[str, ...]
    indices: tuple[int, ...] = field(default=(), compare=False)


def fold(word: str) -> str:
    """A word as the command tables spell it: lower case, ``ё`` -> ``е``."""
    return word.lower().replace("ё", "е")


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` (for matching only; dictated text keeps its spelling)."""
    return [fold(w) for w in text.split()]


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]
    name: str
    scope: str
    argument: bool
    value: str | None


class CommandSet:
    """The command phrases of one language, and a parser that splits utterances."""

    def __init__(self, lang: str, path: Path = COMMANDS_FILE) -> None:
        self.lang = lang
        data = _load(path)
        self._phrases: list[_Phrase] = []
        for name, spec in data["commands"].items():
            for phrase in spec.get(lang, []):
                self._phrases.append(
                    _Phrase(
                        tuple(tokens(phrase)),
                        name,
                        spec.get("scope", "alone"),
                        bool(spec.get("argument")),
                        spec.get("value"),
                    )
                )
        # A language without commands is plain dictation.
        # Longest phrases first so "next paragraph" wins over "next".
        self._phrases.sort(key=lambda p: -len(p.words))
        self._literal = {w for w in data.get("literal", {}).get(lang, [])}
        self._grammar_args = {
            name: spec.get(lang, []) for name, spec in data.get("grammar_arguments", {}).items()
        }

    @property
    def names(self) -> set[str]:
        return {p.name for p in self._phrases}

    def grammar(self, arguments: dict[str, Sequence[str]] | None = None) -> list[str]:
        """Every phrase a command-restricted recogniser should accept."""
        args = {**self._grammar_args, **(arguments or {})}
        out: list[str] = []
        for p in self._phrases:
            phrase = " ".join(p.words)
            if p.argument:
                out.extend(f"{phrase} {' '.join(tokens(a))}" for a in args.get(p.name, []))
            else:
                out.append(phrase)
        return list(dict.fromkeys(out))

    def parse(self, words: Iterable[str]) -> list[Command | Text]:
        """Split one utterance into dictated text and commands, in spoken order."""
        spoken = " ".join(words).lower().split()
        toks = [fold(w) for w in spoken]
        if not toks:
            return []
        whole = self._alone(toks)
        if whole is not None:
            return [whole]
        out: list[Command | Text] = []
        text: list[int] = []  # indices of the dictated words in the utterance

        def flush() -> None:
            if text:
                out.append(Text(tuple(spoken[k] for k in text), tuple(text)))
                text.clear()

        i = 0
        while i < len(toks):
            if toks[i] in self._literal and i + 1 < len(toks):
                phrase = self._match_inline(toks, i + 1)
                n = len(phrase.words) if phrase else 1
                text.extend(range(i + 1, min(i + 1 + n, len(toks))))
                i += 1 + n
                continue
            phrase = self._match_inline(toks, i)
            if phrase is None:
                text.append(i)
                i += 1
                continue
            flush()
            out.append(Command(phrase.name, value=phrase.value))
            i += len(phrase.words)
        flush()
        return out

    def _alone(self, toks: list[str]) -> Command | None:
        for p in self._phrases:
            if p.scope != "alone":
                continue
            n = len(p.words)
            if tuple(toks) == p.words:
                return Command(p.name)
            if p.argument and len(toks) > n and tuple(toks[:n]) == p.words:
                return Command(p.name, argument=" ".join(toks[n:]))
        return None

    def _match_inline(self, toks: list[str], i: int) -> _Phrase | None:
        for p in self._phrases:
            if p.scope == "inline" and tuple(toks[i : i + len(p.words)]) == p.words:
                return p
        return None


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DictationError(f"cannot read the voice command table {path}: {err}") from err
