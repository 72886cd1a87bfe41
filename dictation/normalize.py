"""Dictated words to report text: numbers, percentages, CT grades, the user dictionary.

``normalize_words(["twenty", "five", "percent"], "en")`` -> ``["25%"]``. Capitalisation and
punctuation spacing are the transcript's job (:mod:`dictation.transcript`), since they
depend on what came before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.paths import RESOURCES, app_subdir
from dictation.commands import fold, tokens
from dictation.errors import DictationError
from dictation.numbers import words_to_numbers

DEFAULT_DICTIONARY = RESOURCES / "dictation" / "user_dictionary.yaml"
USER_DICTIONARY_NAME = "user_dictionary.yaml"

_PERCENT = {
    "en": [("percent",), ("per", "cent")],
    "ru": [("процент",), ("процента",), ("процентов",)],
}
# Spoken forms of the CT severity scale name, as engines spell them.
_CT_PREFIX = {
    "en": ([("ct",), ("c", "t"), ("see", "tee"), ("c.", "t.")], "CT"),
    "ru": ([("кт",), ("ка", "тэ"), ("ка", "те"), ("к", "т"), ("кэ", "тэ")], "КТ"),
}
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@dataclass
class UserDictionary:
    """Phrase substitutions and extra words (with pronunciations) per language."""

    substitutions: dict[str, dict[str, str]] = field(default_factory=dict)
    words: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def load(cls, paths: Sequence[Path] | None = None) -> UserDictionary:
        """Defaults, then the user's file on top (later files win)."""
        if paths is None:
            paths = [DEFAULT_DICTIONARY, app_subdir("dictation") / USER_DICTIONARY_NAME]
        merged = cls()
        for path in paths:
            if Path(path).is_file():
                merged.merge(cls.from_file(Path(path)))
        return merged

    @classmethod
    def from_file(cls, path: Path) -> UserDictionary:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as err:
            raise DictationError(
                f"cannot read the dictation dictionary {path.name}: {err}"
            ) from err
        if not isinstance(data, dict):
            raise DictationError(f"the dictation dictionary {path.name} must be a mapping")
        return cls(
            {k: dict(v or {}) for k, v in (data.get("substitutions") or {}).items()},
            {k: dict(v or {}) for k, v in (data.get("words") or {}).items()},
        )

    def merge(self, other: UserDictionary) -> None:
        for lang, subs in other.substitutions.items():
            self.substitutions.setdefault(lang, {}).update(subs)
        for lang, words in other.words.items():
            self.words.setdefault(lang, {}).update(words)

    def rules(self, lang: str) -> list[tuple[tuple[str, ...], str]]:
        """(spoken words, written form), longest first."""
        rules = [(tuple(tokens(k)), v) for k, v in self.substitutions.get(lang, {}).items()]
        return sorted(rules, key=lambda r: -len(r[0]))


def _replace_phrases(words: list[str], rules: Sequence[tuple[tuple[str, ...], str]]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(words):
        low = [fold(w) for w in words[i : i + 8]]
        for spoken, written in rules:
            if spoken and tuple(low[: len(spoken)]) == spoken:
                out.append(written)
                i += len(spoken)
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _percentages(words: list[str], lang: str) -> list[str]:
    out: list[str] = []
    i = 0
    forms = _PERCENT.get(lang, [])
    while i < len(words):
        if out and _NUMBER.match(out[-1]):
            form = next((f for f in forms if tuple(words[i : i + len(f)]) == f), None)
            if form:
                out[-1] += "%"
                i += len(form)
                continue
        out.append(words[i])
        i += 1
    return out


def _ct_grades(words: list[str], lang: str) -> list[str]:
    """ "ка тэ 2" -> "КТ-2", "ct 3" -> "CT-3" (the CT-0..CT-4 COVID severity scale)."""
    prefixes, label = _CT_PREFIX.get(lang, ([], ""))
    out: list[str] = []
    i = 0
    while i < len(words):
        for p in prefixes:
            n = len(p)
            nxt = words[i + n] if i + n < len(words) else ""
            if tuple(fold(w) for w in words[i : i + n]) == p and nxt in {"0", "1", "2", "3", "4"}:
                out.append(f"{label}-{nxt}")
                i += n + 1
                break
        else:
            out.append(words[i])
            i += 1
    return out


class Normalizer:
    """Applies numbers, percentages, CT grades and the user dictionary for one language."""

    def __init__(self, lang: str, dictionary: UserDictionary | None = None) -> None:
        self.lang = lang
        self.dictionary = dictionary if dictionary is not None else UserDictionary.load()
        self._rules = self.dictionary.rules(lang)

    def __call__(self, words: Sequence[str]) -> list[str]:
        out = words_to_numbers(" ".join(words).lower().split(), self.lang)
        out = _percentages(out, self.lang)
        out = _ct_grades(out, self.lang)
        return _replace_phrases(out, self._rules)


def normalize_words(
    words: Sequence[str], lang: str, dictionary: UserDictionary | None = None
) -> list[str]:
    return Normalizer(lang, dictionary)(words)
