"""Choice options by voice: the words that pick an option, and the options a misheard word
could turn into their opposite.

A protocol field may give its options spoken aliases (``say``: "worse" for progression,
«хуже» for «отрицательная (прогрессирование)») and pairs of options that mean the opposite of
each other (``opposites``). Whisper wrote "Regression" for a spoken "progression", and its own
score agreed; so a value said into a field with such a pair is only trusted once the reader
has looked at it (the form marks it), and the aliases give the reader words that cannot be
confused. Options whose spoken forms differ by a syllable ("bilateral"/"unilateral", edit
distance <= :data:`NEAR_EDITS` and <= :data:`NEAR_SHARE` of the longer) count as such a pair
too, without being configured.
"""

from __future__ import annotations

import re

from records.protocol import Field

NEAR_EDITS = 3  # at most this many letters apart...
NEAR_SHARE = 0.3  # ...and this share of the longer form
NEAR_MIN_LETTERS = 5  # shorter forms ("CT-1"/"CT-2") are codes, not words a syllable apart
FUZZY_SHARE = 0.2  # a heard form this near an option's (edits / its letters) picks it...
FUZZY_MARGIN = 2  # ...when every other option's nearest form is this many edits farther


def norm(text: str) -> str:
    """A spoken or written form as compared: lower case, ё as е, КТ as CT, no spaces,
    hyphens, quotes or punctuation ("No change." -> "nochange")."""
    text = text.lower().replace("ё", "е").replace("кт", "ct")
    return re.sub(r"[\s\-_.,:;!?«»\"“”()]+", "", text)


def _head(label: str) -> str:
    """A label without its parenthesised detail: «КТ-1 (лёгкая форма...)» -> «КТ-1»."""
    return label.split("(", 1)[0].strip() or label


def spoken_forms(field: Field, option: str, lang: str | None = None) -> list[str]:
    """What picks ``option`` by voice in ``lang`` (all languages if None): its key, its label
    and the label's head (before a parenthesis), and its aliases; normalised, each once."""
    names = field.options.get(option) or {}
    langs = [lang] if lang else sorted({*names, *(field.say.get(option) or {})})
    forms = [option]
    for code in langs:
        if names.get(code):
            forms += [names[code], _head(names[code])]
        forms += list((field.say.get(option) or {}).get(code) or ())
    out: list[str] = []
    for form in map(norm, forms):
        if form and form not in out:
            out.append(form)
    return out


def aliases(field: Field, option: str, lang: str) -> tuple[str, ...]:
    """The spoken aliases of ``option`` in ``lang`` as written in the protocol."""
    return tuple((field.say.get(option) or {}).get(lang) or ())


def option_for(field: Field, heard: str) -> str | None:
    """The option ``heard`` picks: one whose spoken form (any language) it is, said once or
    twice («Хуже, хуже.»); else the one whose label starts with it ("CT-2" for «КТ-2
    (умеренная...)»), if only one does; else the one whose form it nearly is
    (:func:`named_option`); else the one numbered as a bare number heard is ("2" in the
    grade field is CT-2: «КТ два» was heard «Два.»); None when none does."""
    wanted = norm(heard)
    if not wanted:
        return None
    said = _said(field, wanted)
    if said is not None:
        return said
    begun = options_begun(field, heard)
    if len(begun) == 1:
        return begun[0]
    if begun:  # the start of two options: neither is guessed
        return None
    near = _nearest(field, _once(wanted) or wanted)
    if near is not None:
        return near
    numbered = [o for o in field.options
                if wanted.isdigit() and re.fullmatch(rf"\D*{wanted}", norm(o))]
    return numbered[0] if len(numbered) == 1 else None


def options_begun(field: Field, heard: str) -> list[str]:
    """The options whose label (any language) starts with ``heard``: «участки уплотнения по
    типу матового стекла» begins both the rounded and the irregular ground-glass options."""
    wanted = norm(heard)
    if not wanted:
        return []
    return [option for option, names in field.options.items()
            if any(norm(n).startswith(wanted) for n in names.values())]


def named_option(field: Field, heard: str) -> str | None:
    """The option ``heard`` names whole: a spoken form said once or twice, or nearly one (an
    ending: «отрицательное»), clearly nearer than any other option's (:data:`FUZZY_SHARE`,
    :data:`FUZZY_MARGIN`); no label taken from its first words (a tick list must not
    guess between two options that begin alike). None when none."""
    wanted = norm(heard)
    if not wanted:
        return None
    return _said(field, wanted) or _nearest(field, _once(wanted) or wanted)


def _once(wanted: str) -> str | None:
    """``wanted`` said twice («хужехуже») -> once; else None."""
    half = len(wanted) // 2
    return wanted[:half] if len(wanted) % 2 == 0 and wanted[:half] == wanted[half:] else None


def _said(field: Field, wanted: str) -> str | None:
    """The option one of whose spoken forms ``wanted`` is, said once or twice."""
    for said in filter(None, (wanted, _once(wanted))):
        for option in field.options:
            if said in spoken_forms(field, option):
                return option
    return None


def _nearest(field: Field, wanted: str) -> str | None:
    """The option with a spoken form within a few letters of ``wanted``, if no other option
    has one nearly as near."""
    if len(wanted) < NEAR_MIN_LETTERS:
        return None
    best: dict[str, tuple[int, int]] = {}  # option -> (edits, length of that form)
    for option in field.options:
        found = [(edits(wanted, f), len(f)) for f in spoken_forms(field, option)
                 if len(f) >= NEAR_MIN_LETTERS]
        if found:
            best[option] = min(found)
    if not best:
        return None
    option, (distance, length) = min(best.items(), key=lambda item: item[1])
    others = [d for o, (d, _n) in best.items() if o != option]
    if distance > FUZZY_SHARE * length or any(d < distance + FUZZY_MARGIN for d in others):
        return None
    return option


def edits(a: str, b: str) -> int:
    """Levenshtein distance between two strings."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def near(a: str, b: str) -> bool:
    """Whether two normalised forms differ by about a syllable (see the module doc)."""
    longer = max(len(a), len(b))
    if min(len(a), len(b)) < NEAR_MIN_LETTERS or a == b:
        return False
    distance = edits(a, b)
    return distance <= NEAR_EDITS and distance <= NEAR_SHARE * longer


def near_opposites(field: Field, option: str) -> list[str]:
    """The options ``option`` could be misheard from or mistaken for with the opposite
    meaning: its configured opposites, then those a syllable apart in some language."""
    found = [b if a == option else a for a, b in field.opposites if option in (a, b)]
    own = spoken_forms(field, option)
    for other in field.options:
        if other == option or other in found:
            continue
        if any(near(x, y) for x in own for y in spoken_forms(field, other)):
            found.append(other)
    return found


def opposite_sensitive(field: Field) -> bool:
    """Whether a value said into ``field`` must be checked by the reader: a choice field
    with an option that has a near opposite (a configured pair, or a syllable apart)."""
    return field.type == "choice" and any(near_opposites(field, o) for o in field.options)


# Words that join option names said in a row ("effusion and fibrosis", «выпот и фиброз»).
JOINERS = frozenset({"and", "и", "а", "также"})
YES = frozenset({"yes", "present", "да", "есть", "имеется"})  # a yes/no box answered by voice
NO = frozenset({"no", "absent", "нет", "отсутствует"})
NEGATIONS = frozenset({"no", "not", "without", "нет", "не", "без"})  # "no effusion": not ticked
LABEL_SHARE = 0.15  # a field's name heard within this share of its letters in edits...
LABEL_MARGIN = 3  # ...and this many edits nearer than any other field's name


def named_options(field: Field, heard: str) -> list[str] | None:
    """The options of a tick list that ``heard`` names one after another, every word part of
    one (joined by "and"/«и», commas, or nothing: Whisper drops «и» between two names,
    «...неправильной формы консолидация»); None when a word names nothing or an option is
    said with "no". The fewest names that cover the words win."""
    words = [w for w in re.split(r"[\s,;.]+", heard.lower()) if w]
    if not words or any(w in NEGATIONS for w in words):
        return None
    best: list[list[str] | None] = [[]] + [None] * len(words)  # best[i]: words[:i] covered
    for end in range(1, len(words) + 1):
        if words[end - 1] in JOINERS and best[end - 1] is not None:
            best[end] = best[end - 1]
            continue
        for start in range(end):
            option = best[start] is not None and named_option(field, " ".join(words[start:end]))
            if option and (best[end] is None or len(best[start]) + 1 < len(best[end])):
                best[end] = [*best[start], option]
    found = best[-1]
    return list(dict.fromkeys(found)) if found else None


def value_fits(field: Field, heard: str) -> bool:
    """Whether ``heard`` is a value of ``field`` as the form takes one by voice."""
    if field.type == "choice":
        return option_for(field, heard) is not None
    if field.type == "multi":
        return named_options(field, heard) is not None
    if field.type == "number":
        return re.search(r"\d", heard) is not None and len(heard.split()) <= 3
    if field.type == "bool":
        return norm(heard) in YES | NO
    return False


def labelled_value(fields: list[Field], heard: str,
                   normalize=lambda text: text) -> tuple[str, str] | None:
    """A field's name followed by its value in one utterance («Распределение двусторонние»,
    "Dynamics worse", «Степень КТ три»): (the field's key, the value's words, as
    ``normalize`` writes them); None when the utterance is not one, or its name is nearly as
    near another field's (right/left lung).
    Free-text fields are never matched: their name may begin a sentence of the report."""
    words = heard.split()
    found: dict[str, tuple[int, int, str]] = {}  # key -> (edits, name's letters, value)
    for field in fields:
        if field.type == "text":
            continue
        names = {norm(n.split(",")[0]) for n in field.label.values()}
        names |= {norm(_head(n)) for n in field.label.values()}
        names.discard("")
        for cut in range(1, len(words)):
            said = norm(" ".join(words[:cut]))
            if len(said) > max(map(len, names)) * (1 + LABEL_SHARE) + LABEL_MARGIN:
                break  # longer than any of its names: a sentence (kept cheap on long ones)
            for name in names:
                distance = edits(said, name)
                if distance > LABEL_SHARE * len(name) + LABEL_MARGIN or (
                        field.key in found and distance >= found[field.key][0]):
                    continue  # too far to be taken or to stand in the way of another
                rest = normalize(" ".join(words[cut:])).strip()
                if value_fits(field, rest):
                    found[field.key] = (distance, len(name), rest)
    ranked = sorted(found.items(), key=lambda item: item[1][0])
    if not ranked or ranked[0][1][0] > LABEL_SHARE * ranked[0][1][1]:
        return None
    if len(ranked) > 1 and ranked[1][1][0] < ranked[0][1][0] + LABEL_MARGIN:
        return None  # "light lung involvement": right or left? not guessed
    key, (_distance, _letters, rest) = ranked[0]
    return key, rest


HEADING_SHARE = 0.15  # a heading heard within this share of its name's letters in edits


def heading(names: dict[str, list[str]], heard: str) -> str | None:
    """The key of the free-text field whose name ``heard`` is, said as a heading before the
    field's text («Заключение.», "Recommendations:"); ``names``: key -> the field's names.
    Within :data:`HEADING_SHARE` of the heard letters (one edit in «Рекомендация»), and of
    one field only; None otherwise."""
    said = norm(heard)
    near = {key for key, many in names.items() for name in map(norm, many)
            if said and name and edits(said, name) <= HEADING_SHARE * len(said)}
    return near.pop() if len(near) == 1 else None
