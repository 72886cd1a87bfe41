"""Dictated words to report text: numbers, signs, percentages, units, CT grades, the user
dictionary.

``normalize_words(["twenty", "five", "percent"], "en")`` -> ``["25%"]``; Whisper's
"25 percent", "CT 2", "12mm" -> "25%", "CT-2", "12", "mm" (the written forms:
:mod:`dictation.written_forms`). Capitalisation and punctuation spacing are the
transcript's job (:mod:`dictation.transcript`), since they depend on what came before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from core.paths import RESOURCES, app_home
from dictation.commands import tokens
from dictation.errors import DictationError
from dictation.numbers import number_spans
from dictation.written_forms import Tok, WrittenForms, replace_phrases, written_spans

DEFAULT_DICTIONARY = RESOURCES / "dictation" / "user_dictionary.yaml"
USER_DICTIONARY_NAME = "user_dictionary.yaml"


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


class Normalizer:
    """Numbers, signs, percentages, units, CT grades and the user dictionary, one language.

    Works on bare words and on Whisper's tokens alike (punctuation marks pass through)."""

    def __init__(self, lang: str, dictionary: UserDictionary | None = None) -> None:
        self.lang = lang
        self.dictionary = dictionary if dictionary is not None else UserDictionary.load()
        self._rules = self.dictionary.rules(lang)
        self.forms = WrittenForms.load(lang)

    def __call__(self, words: Sequence[str]) -> list[str]:
        return [t for t, _, _ in self.spans(words)]

    def spans(self, words: Sequence[str]) -> list[Tok]:
        """Written tokens, each with the range ``[lo, hi)`` of ``words`` it was spoken as."""
        out = number_spans([w.lower() for w in words], self.lang)
        out = [(words[lo], lo, hi) if hi - lo == 1 and t == words[lo].lower() else (t, lo, hi)
               for t, lo, hi in out]  # words that are not numbers keep their case
        out = written_spans(out, words, self.forms)
        if self.lang == "ru":
            out = split_glued_negation(out)
        return replace_phrases(_ranges(out), self._rules)


# «не» that Whisper writes onto a short participle, short adjective or verb ("неутолщены",
# "несмещено", "неопределяется"): Russian writes it apart there, and apart the negation is
# seen (h18-neg: 2 of the 21 negations Whisper base lost on Festival's held-out negation
# sentences, streamed). The rest must be 5+ letters ending as such a form does; full
# participles and adverbs ("неравномерно", "неоднородный") are left as written.
_GLUED_NE = re.compile(
    r"^(не)(\w{3,}(?:ен|ена|ено|ены|ан|ана|ано|аны|ян|яна|яно|яны|ется|ются|ится|ятся)\W*)$",
    re.IGNORECASE,
)


def split_glued_negation(toks: list[Tok]) -> list[Tok]:
    """ "неутолщены" -> "не", "утолщены" (Russian; both keep the spoken word's range)."""
    out: list[Tok] = []
    for tok in toks:
        m = _GLUED_NE.match(tok[0])
        if m:
            out += [(m.group(1), tok[1], tok[2]), (m.group(2), tok[1], tok[2])]
        else:
            out.append(tok)
    return out


def _ranges(toks: list[Tok]) -> list[Tok]:
    """Numbers joined by a hyphen token written as one range: "6", "-", "7" -> "6-7"."""
    out: list[Tok] = []
    for tok in toks:
        if len(out) >= 2 and out[-1][0] == "-" and _number(out[-2][0]) and _number(tok[0]):
            (first, lo, _), _dash = out[-2], out.pop()
            out[-1] = (f"{first}-{tok[0]}", lo, tok[2])
        else:
            out.append(tok)
    return out


def _number(text: str) -> bool:
    return bool(text) and text.replace(",", "").replace(".", "").isdigit()


def normalize_words(
    words: Sequence[str], lang: str, dictionary: UserDictionary | None = None
) -> list[str]:
    return Normalizer(lang, dictionary)(words)
