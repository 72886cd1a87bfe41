"""Spoken numbers to digits, English and Russian ("twenty five" -> "25", "три целых пять
десятых" -> "3.5"). Works on word lists; each number becomes one token."""

from __future__ import annotations

from dataclasses import dataclass

# English number words 0..19 and the tens, in order (the language model uses them too).
EN_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
            "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
            "seventeen", "eighteen", "nineteen")
EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_UNITS = {w: i for i, w in enumerate(EN_UNITS)}
_EN_TENS = {w: 10 * i for i, w in enumerate(EN_TENS, start=2)}

_RU_UNITS = {
    "ноль": 0,
    "нуль": 0,
    "один": 1,
    "одна": 1,
    "одно": 1,
    "два": 2,
    "две": 2,
    "три": 3,
    "четыре": 4,
    "пять": 5,
    "шесть": 6,
    "семь": 7,
    "восемь": 8,
    "девять": 9,
    "десять": 10,
    "одиннадцать": 11,
    "двенадцать": 12,
    "тринадцать": 13,
    "четырнадцать": 14,
    "пятнадцать": 15,
    "шестнадцать": 16,
    "семнадцать": 17,
    "восемнадцать": 18,
    "девятнадцать": 19,
}
_RU_TENS = {
    "двадцать": 20,
    "тридцать": 30,
    "сорок": 40,
    "пятьдесят": 50,
    "шестьдесят": 60,
    "семьдесят": 70,
    "восемьдесят": 80,
    "девяносто": 90,
}
_RU_HUNDREDS = {
    "сто": 100,
    "двести": 200,
    "триста": 300,
    "четыреста": 400,
    "пятьсот": 500,
    "шестьсот": 600,
    "семьсот": 700,
    "восемьсот": 800,
    "девятьсот": 900,
}
# Oblique cases ("двадцати пяти", "двум", "трёх"), as dictated after prepositions. Those of
# "один" are left out: "одного", "одной" are mostly pronouns ("одной из долей").
_RU_UNITS_CASES = {
    "двух": 2, "двум": 2, "двумя": 2, "трех": 3, "трем": 3, "тремя": 3,
    "четырех": 4, "четырем": 4, "четырьмя": 4, "пяти": 5, "пятью": 5, "шести": 6,
    "шестью": 6, "семи": 7, "семью": 7, "восьми": 8, "восемью": 8, "девяти": 9,
    "девятью": 9, "десяти": 10, "десятью": 10, "одиннадцати": 11, "двенадцати": 12,
    "тринадцати": 13, "четырнадцати": 14, "пятнадцати": 15, "шестнадцати": 16,
    "семнадцати": 17, "восемнадцати": 18, "девятнадцати": 19,
}
_RU_TENS_CASES = {
    "двадцати": 20, "двадцатью": 20, "тридцати": 30, "тридцатью": 30, "сорока": 40,
    "пятидесяти": 50, "шестидесяти": 60, "семидесяти": 70, "восьмидесяти": 80,
    "девяноста": 90,
}
_RU_HUNDREDS_CASES = {
    "ста": 100, "двухсот": 200, "двумстам": 200, "трехсот": 300, "тремстам": 300,
    "четырехсот": 400, "пятисот": 500, "пятистам": 500, "шестисот": 600, "семисот": 700,
    "восьмисот": 800, "девятисот": 900,
}
_RU_UNITS.update(_RU_UNITS_CASES)
_RU_TENS.update(_RU_TENS_CASES)
_RU_HUNDREDS.update(_RU_HUNDREDS_CASES)
_RU_THOUSAND = {"тысяча", "тысячи", "тысяч", "тысячу", "тысячам", "тысячах"}
_RU_INT_PART = {"целых", "целая", "целой"}
_RU_FRACTION = {"десятых": 1, "десятая": 1, "сотых": 2, "сотая": 2}
_RU_UNITS_FEM = {"одна": 1, "две": 2}  # "одна десятая", "две десятых"


@dataclass
class _Cursor:
    toks: list[str]
    i: int = 0

    def peek(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.toks[j] if j < len(self.toks) else None


def _en_below_100(c: _Cursor) -> int | None:
    w = c.peek()
    if w in _EN_TENS:
        c.i += 1
        u = c.peek()
        if u in _EN_UNITS and 1 <= _EN_UNITS[u] <= 9:
            c.i += 1
            return _EN_TENS[w] + _EN_UNITS[u]
        return _EN_TENS[w]
    if w in _EN_UNITS:
        c.i += 1
        return _EN_UNITS[w]
    return None


def _en_below_1000(c: _Cursor) -> int | None:
    start = c.i
    v = _en_below_100(c)
    if v is None:
        if c.peek() == "hundred":  # "hundred" alone = 100
            v = 1
        else:
            return None
    if c.peek() == "hundred" and 1 <= v <= 9:
        c.i += 1
        v *= 100
        save = c.i
        if c.peek() == "and":
            c.i += 1
        rest = _en_below_100(c)
        if rest is None or rest == 0:
            c.i = save
        else:
            v += rest
    elif v == 0 and c.i - start == 1:
        return 0
    return v


def _en_cardinal(c: _Cursor) -> int | None:
    v = _en_below_1000(c)
    if v is None:
        return None
    if c.peek() == "thousand" and v > 0:
        c.i += 1
        save = c.i
        rest = _en_below_1000(c)
        if rest is None or rest == 0:
            c.i = save
            rest = 0
        v = v * 1000 + rest
    return v


def _en_digit(w: str | None) -> int | None:
    if w == "oh":
        return 0
    v = _EN_UNITS.get(w or "")
    return v if v is not None and v <= 9 else None


def _en_number(c: _Cursor) -> str | None:
    w = c.peek()
    if w == "oh" and (_en_digit(c.peek(1)) is not None or _is_en_number_at(c.toks, c.i - 1)):
        c.i += 1
        return "0"
    v = _en_cardinal(c)
    if v is None:
        return None
    if c.peek() == "point" and _en_digit(c.peek(1)) is not None:
        c.i += 1
        digits = ""
        while _en_digit(c.peek()) is not None:
            digits += str(_en_digit(c.peek()))
            c.i += 1
        return f"{v}.{digits}"
    return str(v)


def _is_en_number_at(toks: list[str], i: int) -> bool:
    return 0 <= i < len(toks) and (toks[i] in _EN_UNITS or toks[i] in _EN_TENS)


def _ru_below_1000(c: _Cursor) -> int | None:
    v = 0
    seen = False
    if c.peek() in _RU_HUNDREDS:
        v += _RU_HUNDREDS[c.peek()]
        c.i += 1
        seen = True
    if c.peek() in _RU_TENS:
        v += _RU_TENS[c.peek()]
        c.i += 1
        seen = True
        if c.peek() in _RU_UNITS and 1 <= _RU_UNITS[c.peek()] <= 9:
            v += _RU_UNITS[c.peek()]
            c.i += 1
    elif c.peek() in _RU_UNITS and not (seen and _RU_UNITS[c.peek()] == 0):
        v += _RU_UNITS[c.peek()]
        c.i += 1
        seen = True
    return v if seen else None


def _ru_number(c: _Cursor) -> str | None:
    v = _ru_below_1000(c)
    if v is None:
        if c.peek() in _RU_THOUSAND:
            v = 1
        else:
            return None
    if c.peek() in _RU_THOUSAND:
        c.i += 1
        save = c.i
        rest = _ru_below_1000(c)
        if rest is None:
            c.i = save
            rest = 0
        v = v * 1000 + rest
    if c.peek() in _RU_INT_PART:
        save = c.i
        c.i += 1
        frac = _ru_below_1000(c)
        unit = c.peek()
        if frac is not None and unit in _RU_FRACTION:
            c.i += 1
            return f"{v}.{frac:0{_RU_FRACTION[unit]}d}"
        c.i = save + 1  # "пять целых" alone = 5
    return str(v)


_PARSERS = {"en": _en_number, "ru": _ru_number}
_ALL_WORDS = frozenset(
    [*_EN_UNITS, *_EN_TENS, "hundred", "thousand", *_RU_UNITS, *_RU_TENS, *_RU_HUNDREDS]
)


def is_number_word(word: str) -> bool:
    """Whether ``word`` is a spoken number word (English or Russian, any case form)."""
    return word.lower().replace("ё", "е") in _ALL_WORDS


def number_spans(words: list[str], lang: str) -> list[tuple[str, int, int]]:
    """Like :func:`words_to_numbers`, each token with the source word range ``[lo, hi)``."""
    parse = _PARSERS.get(lang)
    if parse is None:
        return [(w, i, i + 1) for i, w in enumerate(words)]
    out: list[tuple[str, int, int]] = []
    c = _Cursor([w.replace("ё", "е") for w in words])
    while c.i < len(c.toks):
        start = c.i
        num = parse(c)
        if num is None or c.i == start:
            c.i = start + 1
            out.append((words[start], start, start + 1))
        else:
            out.append((num, start, c.i))
    return out


def words_to_numbers(words: list[str], lang: str) -> list[str]:
    """Replace each spoken number in ``words`` (lower case) by one digit token."""
    return [t for t, _, _ in number_spans(words, lang)]
