"""How numbers are written: signs, sizes, percentages, units, CT grades, a lone "one".

Passes over tokens ``(text, lo, hi)`` after spoken numbers became digits; the forms are
data (``resources/dictation/written_forms.yaml``), per language, matched as whole words,
folded, as Whisper's tokens or as bare engine words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.paths import RESOURCES
from dictation.errors import DictationError
from dictation.phrase_match import fold
from dictation.written import split_words

WRITTEN_FORMS = RESOURCES / "dictation" / "written_forms.yaml"
_NUMBER = re.compile(r"^[-+]?\d+([.,]\d+)?([-–]\d+([.,]\d+)?)?$")  # a range too: 5-7
_STUCK = re.compile(r"^(\d+(?:[.,]\d+)?)([^\d.,%+-]+)$")
_CT_WRITTEN = re.compile(r"^(ct|кт|kt)-?([0-4])$")
_ONE_WORDS = {"one", "один", "одна", "одно"}


Tok = tuple[str, int, int]  # text, and the range [lo, hi) of spoken words it came from
Forms = list[tuple[tuple[str, ...], str]]  # (spoken tokens, written form), longest first


def _texts(toks: Sequence[Tok], i: int, n: int) -> tuple[str, ...]:
    return tuple(fold(t[0]) for t in toks[i : i + n])


def _match(toks: Sequence[Tok], i: int, forms: Forms) -> tuple[int, str] | None:
    """The first of ``forms`` spoken at ``toks[i]``: (its length, its written form)."""
    for spoken, written in forms:
        if spoken and _texts(toks, i, len(spoken)) == spoken:
            return len(spoken), written
    return None


def replace_phrases(toks: list[Tok], rules: Forms) -> list[Tok]:
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        found = _match(toks, i, rules)
        if found:
            n, written = found
            out.append((written, toks[i][1], toks[i + n - 1][2]))
            i += n
        else:
            out.append(toks[i])
            i += 1
    return out


def _is_number(tok: Tok | None) -> bool:
    return tok is not None and bool(_NUMBER.match(tok[0]))


def _signs(toks: list[Tok], forms: Forms) -> list[Tok]:
    """ "minus 20" -> "-20" (a sign word right before a number)."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        found = _match(toks, i, forms)
        if found and _is_number(toks[i + found[0]] if i + found[0] < len(toks) else None):
            n, sign = found
            number = toks[i + n]
            out.append((sign + number[0], toks[i][1], number[2]))
            i += n + 1
            continue
        out.append(toks[i])
        i += 1
    return out


def _after_numbers(toks: list[Tok], forms: Forms, glue: bool) -> list[Tok]:
    """Percent words or units right after a number: glued on ("25%") or one token each."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        found = _match(toks, i, forms) if out and _is_number(out[-1]) else None
        if found:
            n, written = found
            hi = toks[i + n - 1][2]
            if glue:
                text, lo, _ = out[-1]
                out[-1] = (text + written, lo, hi)
            else:
                out.append((written, toks[i][1], hi))
            i += n
            continue
        out.append(toks[i])
        i += 1
    return out


def _split_stuck_units(toks: list[Tok], units: set[str]) -> list[Tok]:
    """ "12mm" -> "12", "mm" (Whisper writes some units stuck to the number)."""
    out: list[Tok] = []
    for tok in toks:
        m = _STUCK.match(tok[0])
        if m and fold(m.group(2)) in units:
            out += [(m.group(1), tok[1], tok[2]), (m.group(2), tok[1], tok[2])]
        else:
            out.append(tok)
    return out


def _times(toks: list[Tok], forms: Forms) -> list[Tok]:
    """ "12 by 8" -> "12 x 8": a size, the word between two numbers."""
    out = list(toks)
    for k in range(1, len(out) - 1):
        found = _match(out, k, forms)
        if found and found[0] == 1 and _is_number(out[k - 1]) and _is_number(out[k + 1]):
            out[k] = (found[1], out[k][1], out[k][2])
    return out


def _ct_grades(toks: list[Tok], forms: Forms, label: str) -> list[Tok]:
    """ "ка тэ 2", "CT 2", "CT-2", "ct2" -> "КТ-2"/"CT-2" (the CT-0..CT-4 COVID scale); the
    label itself written in lower case ("ct grade 3", "кт признаки") in the report's case
    ("CT grade 3": Whisper wrote "ct grade three", which became "Ct grade 3" at a sentence
    start; found in the held-out phrases, benchmarks/README.md h17-dictacc)."""
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        if label and toks[i][0] != label and fold(toks[i][0]) == fold(label):
            toks = [*toks[:i], (label, toks[i][1], toks[i][2]), *toks[i + 1:]]
        written = _CT_WRITTEN.match(fold(toks[i][0]))
        if written:
            out.append((f"{label}-{written.group(2)}", toks[i][1], toks[i][2]))
            i += 1
            continue
        found = _match(toks, i, forms)
        grade = toks[i + found[0]] if found and i + found[0] < len(toks) else None
        if found and grade and grade[0] in {"0", "1", "2", "3", "4"}:
            out.append((f"{label}-{grade[0]}", toks[i][1], grade[2]))
            i += found[0] + 1
            continue
        out.append(toks[i])
        i += 1
    return out


def _lone_ones(toks: list[Tok], words: Sequence[str], units: set[str]) -> list[Tok]:
    """A lone "one"/"один" stays a word ("one of the nodules"; "в одном сегменте" is not
    converted either) unless a unit follows it ("1 mm") or a number is next to it (digits
    read out: "one 0 0 1")."""
    out: list[Tok] = []
    for k, tok in enumerate(toks):
        before = toks[k - 1] if k > 0 else None
        after = toks[k + 1] if k + 1 < len(toks) else None
        if (tok[0] == "1" and tok[2] - tok[1] == 1 and fold(words[tok[1]]) in _ONE_WORDS
                and not (after and after[0] in units)
                and not _is_number(before) and not _is_number(after)):
            tok = (words[tok[1]], tok[1], tok[2])
        out.append(tok)
    return out


@dataclass(frozen=True)
class WrittenForms:
    """Percent words, units, signs and the CT scale name of one language
    (``resources/dictation/written_forms.yaml``)."""

    percent: Forms = field(default_factory=list)
    units: Forms = field(default_factory=list)
    signs: Forms = field(default_factory=list)
    ct: Forms = field(default_factory=list)
    ct_label: str = ""
    times: Forms = field(default_factory=list)

    @classmethod
    def load(cls, lang: str, path: Path = WRITTEN_FORMS) -> WrittenForms:
        spec = _written_forms(path).get(lang) or {}
        ct = spec.get("ct") or {}
        return cls(
            _forms({"%": spec.get("percent", [])}),
            _forms(spec.get("units", {})),
            _forms(spec.get("signs", {})),
            _forms({"": ct.get("names", [])}),
            ct.get("label", ""),
            _forms({"x": spec.get("times", [])}),
        )

    @property
    def unit_names(self) -> set[str]:
        return {w for _, w in self.units} | {s[0] for s, _ in self.units if len(s) == 1}


def _forms(table: dict[str, list[str]]) -> Forms:
    """Each spoken form as Whisper's tokens ("ед", ".", "х") and as bare words ("c.", "t.")."""
    out: dict[tuple[str, ...], str] = {}
    for written, spoken in table.items():
        for s in spoken:
            out.setdefault(tuple(fold(t.text) for t in split_words(s.split(), True)), written)
            out.setdefault(tuple(fold(w) for w in s.split()), written)
    return sorted(out.items(), key=lambda f: -len(f[0]))


@lru_cache(maxsize=2)
def _written_forms(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise DictationError(f"cannot read the written forms table {path}: {err}") from err


def written_spans(toks: list[Tok], words: Sequence[str], forms: WrittenForms) -> list[Tok]:
    """All the passes, in order, over ``toks`` (numbers already digits) of ``words``."""
    out = _split_stuck_units(toks, forms.unit_names)
    out = _signs(out, forms.signs)
    out = _times(out, forms.times)
    out = _after_numbers(out, forms.percent, glue=True)
    out = _after_numbers(out, forms.units, glue=False)
    out = _ct_grades(out, forms.ct, forms.ct_label)
    return _lone_ones(out, words, forms.unit_names)
