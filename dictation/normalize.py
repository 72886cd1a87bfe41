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

from core.paths import RESOURCES, app_home
from dictation.commands import fold, tokens
from dictation.errors import DictationError
from dictation.numbers import number_spans

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
            paths = [DEFAULT_DICTIONARY, app_home() / "dictation" / USER_DICTIONARY_NAME]
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


Tok = tuple[str, int, int]  # text, and the range [lo, hi) of spoken words it came from


def _texts(toks: Sequence[Tok], i: int, n: int) -> tuple[str, ...]:
    return tuple(fold(t[0]) for t in toks[i : i + n])


def _replace_phrases(toks: list[Tok], rules: Sequence[tuple[tuple[str, ...], str]]) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        for spoken, written in rules:
            n = len(spoken)
            if n and _texts(toks, i, n) == spoken:
                out.append((written, toks[i][1], toks[i + n - 1][2]))
                i += n
                break
        else:
            out.append(toks[i])
            i += 1
    return out


def _percentages(toks: list[Tok], lang: str) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    forms = _PERCENT.get(lang, [])
    while i < len(toks):
        if out and _NUMBER.match(out[-1][0]):
            form = next((f for f in forms if _texts(toks, i, len(f)) == f), None)
            if form:
                text, lo, _ = out[-1]
                out[-1] = (text + "%", lo, toks[i + len(form) - 1][2])
                i += len(form)
                continue
        out.append(toks[i])
        i += 1
    return out


def _ct_grades(toks: list[Tok], lang: str) -> list[Tok]:
    """ "ка тэ 2" -> "КТ-2", "ct 3" -> "CT-3" (the CT-0..CT-4 COVID severity scale)."""
    prefixes, label = _CT_PREFIX.get(lang, ([], ""))
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        for p in prefixes:
            n = len(p)
            grade = toks[i + n] if i + n < len(toks) else None
            if _texts(toks, i, n) == p and grade and grade[0] in {"0", "1", "2", "3", "4"}:
                out.append((f"{label}-{grade[0]}", toks[i][1], grade[2]))
                i += n + 1
                break
        else:
            out.append(toks[i])
            i += 1
    return out


class Normalizer:
    """Applies numbers, percentages, CT grades and the user dictionary for one language."""

    def __init__(self, lang: str, dictionary: UserDictionary | None = None) -> None:
        self.lang = lang
        self.dictionary = dictionary if dictionary is not None else UserDictionary.load()
        self._rules = self.dictionary.rules(lang)

    def __call__(self, words: Sequence[str]) -> list[str]:
        return [t for t, _, _ in self.spans(words)]

    def spans(self, words: Sequence[str]) -> list[Tok]:
        """Written tokens, each with the range ``[lo, hi)`` of ``words`` it was spoken as."""
        out = number_spans([w.lower() for w in words], self.lang)
        out = _percentages(out, self.lang)
        out = _ct_grades(out, self.lang)
        return _replace_phrases(out, self._rules)


def normalize_words(
    words: Sequence[str], lang: str, dictionary: UserDictionary | None = None
) -> list[str]:
    return Normalizer(lang, dictionary)(words)
