"""How exactly utterances are taken as commands: a table for tests and benchmarks.

Each case is (utterance text, expected): the expected command written as ``"name"`` or
``"name: argument"`` (several as ``"a; b"``), or None for dictated text that must stay text.
:func:`command_of` says what the parser made of an utterance in the same notation:
the commands beyond the text (field moves, templates, signing, edits); an utterance that is
only spoken punctuation or breaks ("New paragraph.") is that command; dictated text with
punctuation said inside it is text (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from dictation.commands import Command, CommandSet, Text
from dictation.errors import DictationError
from dictation.written import PUNCTUATION

Case = tuple[str, str | None]


def command_of(text: str, commands: CommandSet) -> str | None:
    """The command(s) ``text`` (one utterance, as an engine wrote it) was taken as."""
    parts = commands.parse(text.split())
    found = [p for p in parts if isinstance(p, Command)]
    acting = [p for p in found if p.value is None]
    if not acting:
        dictated = any(w not in PUNCTUATION for p in parts if isinstance(p, Text) for w in p.words)
        if dictated:
            return None
        acting = found
    return "; ".join(_written(c) for c in acting) or None


def _written(command: Command) -> str:
    return command.name if command.argument is None else f"{command.name}: {command.argument}"


@dataclass(frozen=True)
class CommandScore:
    """``exact``: cases whose outcome is exactly the expected one, of ``total``;
    ``false_commands``: dictated texts taken as a command; ``failures``: (text, expected,
    got) of every case that was not exact."""

    total: int
    exact: int
    commands: int  # cases that expect a command
    commands_exact: int
    texts: int  # cases that expect text
    false_commands: int
    failures: tuple[tuple[str, str | None, str | None], ...]

    @property
    def rate(self) -> float:
        return self.exact / self.total if self.total else 1.0

    def summary(self) -> str:
        return (f"commands exact {self.commands_exact}/{self.commands}, "
                f"texts taken as commands {self.false_commands}/{self.texts}")


def commands_exact(
    cases: Iterable[Case], lang: str, commands: CommandSet | None = None
) -> CommandScore:
    """Score the parser on ``cases`` (see the module doc) in language ``lang``."""
    commands = commands or CommandSet(lang)
    total = exact = n_commands = commands_ok = texts = false = 0
    failures: list[tuple[str, str | None, str | None]] = []
    for text, expected in cases:
        got = command_of(text, commands)
        ok = _same(got, expected)
        total += 1
        exact += ok
        if expected is None:
            texts += 1
            false += got is not None
        else:
            n_commands += 1
            commands_ok += ok
        if not ok:
            failures.append((text, expected, got))
    return CommandScore(total, exact, n_commands, commands_ok, texts, false, tuple(failures))


def _same(got: str | None, expected: str | None) -> bool:
    if got is None or expected is None:
        return got is expected
    return " ".join(got.lower().split()) == " ".join(expected.lower().split())


def load_cases(path: Path) -> dict[str, list[Case]]:
    """Cases per language from a YAML file: ``{lang: {commands: [[text, expected], ...],
    dictation: [text, ...]}}`` (dictation expects None)."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        return {
            lang: [(str(t), str(e)) for t, e in spec.get("commands") or []]
            + [(str(t), None) for t in spec.get("dictation") or []]
            for lang, spec in data.items()
        }
    except (OSError, yaml.YAMLError, AttributeError, TypeError, ValueError) as err:
        raise DictationError(f"cannot read the command cases {path}: {err}") from err
