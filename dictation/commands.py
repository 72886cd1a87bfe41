"""Voice commands told apart from dictated text.

Phrases come from ``resources/dictation/commands.yaml``. A command with scope ``alone``
counts only when it is the whole utterance (PowerScribe-style: commands are spoken between
pauses), so "the next field of view" stays text; Whisper's text ("Next field.") is matched
by its normalised key with a small margin (:mod:`dictation.phrase_match`). Arguments of
"go to field"/"insert template" are matched with the protocol's field labels and the
template names (:mod:`dictation.command_names`); a name that matches none within the
margin leaves the utterance dictated text, so no dictated words are lost behind "No field
called ..." (:meth:`CommandSet.misheard_name` tells the command scorer about it).
``inline`` commands (spoken punctuation, new line) count anywhere in bare engine words, and
in Whisper's text where they cannot be nouns; a "literal" word before a phrase keeps it as
text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from core.paths import RESOURCES
from dictation.command_names import field_labels, field_names, template_names, value_names
from dictation.errors import DictationError
from dictation.name_match import nearest_name
from dictation.phrase_match import close, distance, fold, key_words
from dictation.written import SENTENCE_END, Token, is_written, split_words

COMMANDS_FILE = RESOURCES / "dictation" / "commands.yaml"
# Commands that move dictation to another field. The session starts the new field's
# transcript right after the utterance that held one, in order with the audio, so speech
# that follows goes to the new field even when the app handles the command late.
FIELD_MOVES = frozenset({"next_field", "previous_field", "go_to_field"})
HEADING_WORDS = 3  # a free-text field's name said as a heading (CommandSet.heading)


@dataclass(frozen=True)
class Command:
    """A recognised command; ``argument`` for go-to-field/insert-template, ``value`` for inline;
    ``set_value``: ``field`` and the value said for it as ``argument``."""

    name: str
    argument: str | None = None
    value: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, str]:
        out = {"name": self.name}
        if self.argument is not None:
            out["argument"] = self.argument
        if self.field is not None:
            out["field"] = self.field
        return out


def moves_field(commands) -> bool:
    """Whether any of ``commands`` moves dictation to another field (:data:`FIELD_MOVES`)."""
    return any(c.name in FIELD_MOVES for c in commands)


@dataclass(frozen=True)
class Text:
    """Dictated words between commands (not yet normalised); ``indices`` into the utterance."""

    words: tuple[str, ...]
    indices: tuple[int, ...] = field(default=(), compare=False)


def tokens(text: str) -> list[str]:
    """Folded words of ``text`` (for matching only; dictated text keeps its spelling)."""
    return [fold(w) for w in text.split()]


# Words after an open phrase ("go to field", "insert template") that may be a misheard name:
# such an utterance is text, but the command scorer weighs it against the known names
# (:meth:`CommandSet.misheard_name`). Longer is dictation that merely begins like the phrase.
MAX_OPEN_ARGUMENT = 3


@dataclass(frozen=True)
class _Phrase:
    words: tuple[str, ...]  # as written in the table (folded): what a grammar offers
    key: tuple[str, ...]  # normalised (dictation.phrase_match.key_words)
    name: str
    scope: str
    argument: bool
    value: str | None
    names: str | None = None  # "fields" | "templates": what the argument is matched with
    open: bool = False  # words after it may be a misheard name (scored, never taken as said)
    destructive: bool = False  # deletes text or signs: the whole phrase, the tight margin


class CommandSet:
    """The command phrases of one language (a table: ``resources/dictation/commands.yaml``),
    and a parser that splits utterances, bare engine words or Whisper's text, into
    dictated text and commands. ``names`` adds argument names per kind ("fields",
    "templates") to those read from the protocol and template files."""

    def __init__(
        self,
        lang: str,
        path: Path = COMMANDS_FILE,
        names: dict[str, Sequence[str]] | None = None,
    ) -> None:
        self.lang = lang
        data = _load(path)
        self._fillers = {fold(w) for w in (data.get("fillers") or {}).get(lang, [])}
        self._phrases: list[_Phrase] = []
        for name, spec in data["commands"].items():
            open_phrases = {fold(p) for p in (spec.get("open") or {}).get(lang, [])}
            for phrase in spec.get(lang, []):
                self._phrases.append(
                    _Phrase(
                        tuple(tokens(phrase)),
                        self.key(phrase.split()),
                        name,
                        spec.get("scope", "alone"),
                        bool(spec.get("argument")),
                        spec.get("value"),
                        spec.get("names"),
                        fold(phrase) in open_phrases,
                        bool(spec.get("destructive")),
                    )
                )
        # A language without commands is plain dictation.
        # Longest phrases first so "next paragraph" wins over "next".
        self._phrases.sort(key=lambda p: -len(p.words))
        self._literal = {w for w in data.get("literal", {}).get(lang, [])}
        self._grammar_args = {
            name: spec.get(lang, []) for name, spec in data.get("grammar_arguments", {}).items()
        }
        nouns = (data.get("nouns") or {}).get(lang) or {}
        self._nouns = {fold(w) for w in nouns.get("words", [])}
        self._noun_after = {fold(w) for w in nouns.get("after", [])}
        self._inline_keys = {p.key for p in self._phrases if p.scope == "inline"}
        self._names = self._argument_names(names or {})
        self._field_letters = self._letters_of_fields(names or {})
        # A field's name and its value said as one utterance («Динамика лучше»): the app's
        # form knows its fields and values; it returns the ``set_value`` command, or None.
        self.field_value: Callable[[str], Command | None] | None = None
        # A free-text field's name said as the heading of what follows («Заключение. Без
        # патологии.», "Conclusion: no pneumonia."): the app's form names the field, or None.
        self.heading: Callable[[str], str | None] | None = None
        self._values = {k for k in (self.key(v.split()) for v in value_names(lang)) if k}

    @property
    def destructive(self) -> frozenset[str]:
        """Commands that delete dictated text or sign (``destructive`` in the table)."""
        return frozenset(p.name for p in self._phrases if p.destructive)

    def names_value(self, words: Iterable[str]) -> bool:
        """Whether ``words`` (one utterance) say a value of a protocol's choice or tick-list
        field (a label or a spoken alias, :func:`dictation.command_names.value_names`),
        exactly or within the word margin: «Лучше.» is Dynamics' "better", so no margin or
        scorer may make it «Дальше» (next field)."""
        return self._is_value(self.key(words))

    def _is_value(self, key: tuple[str, ...]) -> bool:
        return bool(key) and (key in self._values or any(
            close(key, v, one_word_exact=False) for v in self._values))

    def key(self, words: Iterable[str]) -> tuple[str, ...]:
        """The normalised key of ``words`` as commands are matched (fillers left out)."""
        return key_words(words, self.lang, self._fillers)

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
        """Split one utterance into dictated text and commands, in spoken order.

        ``words``: an engine's words, bare ("next", "field") or as Whisper writes them
        ("Next", "field."). A command spoken alone is the whole utterance, matched with the
        margin of :mod:`dictation.phrase_match`; in Whisper's text, sentences at its end that
        are a command of two words or more are commands too ("No effusion. Next field.")."""
        words = list(words)
        toks = split_words(words)
        if not toks:
            return []
        whole = self.match(t.text for t in toks if not t.is_punct)
        if whole is None and self.field_value is not None:
            whole = self.field_value(" ".join(words))
        if whole is not None:
            return [whole]
        written = is_written(words)
        if written and self.heading is not None:
            headed = self._headed(toks)
            if headed is not None:
                return headed
        trailing: list[Command] = []
        if written:
            toks, trailing = self._trailing(toks)
        return [*self._inline(toks, written), *trailing]

    def _headed(self, toks: list[Token]) -> list[Command | Text] | None:
        """Whisper's text that begins with a free-text field's name (up to
        :data:`HEADING_WORDS` words) closed by a mark of its own: going to that field, then
        the rest as its text; None when it does not begin so."""
        end = next((i for i, t in enumerate(toks[: HEADING_WORDS + 1]) if t.is_punct), 0)
        name = self.heading(" ".join(t.text for t in toks[:end])) if end else None
        if name is None:
            return None
        rest, trailing = self._trailing(toks[end + 1 :])
        said = self._inline(rest, True) if any(not t.is_punct for t in rest) else []
        return [Command("go_to_field", argument=name), *said, *trailing]

    def match(self, words: Iterable[str]) -> Command | None:
        """The command that ``words``, said alone as one utterance, are; None for text."""
        return self._alone(self.key(words), fuzzy=True)

    def misheard_name(self, words: Iterable[str]) -> str | None:
        """What ``words`` (one utterance) would be if the words after an open phrase named a
        known field or template: the command's name ("go_to_field"), when they are up to
        :data:`MAX_OPEN_ARGUMENT` words that name none (it stays text: «Перейти к полю
        дополнительной текасть»); else None."""
        toks = split_words(list(words))
        key = self.key(t.text for t in toks if not t.is_punct)
        if not key or self._alone(key, fuzzy=True) is not None:
            return None
        for p in self._phrases:
            n = len(p.key)
            if (p.open and p.scope == "alone" and 0 < len(key) - n <= MAX_OPEN_ARGUMENT
                    and (key[:n] == p.key or close(key[:n], p.key))):
                return p.name
        return None

    def _alone(self, key: tuple[str, ...], fuzzy: bool) -> Command | None:
        if not key:
            return None
        alone = [p for p in self._phrases if p.scope == "alone"]
        for p in alone:
            if not p.argument and key == p.key:
                return Command(p.name)
        for p in alone:
            n = len(p.key)
            if p.argument and len(key) > n and (
                key[:n] == p.key or (fuzzy and close(key[:n], p.key))
            ):
                argument = self._argument(p, key[n:], fuzzy)
                if argument is not None:
                    return Command(p.name, argument=argument)
        if not fuzzy or key in self._inline_keys or self._is_value(key):
            return None  # near a command, but a value as well: the value is what was said
        near = [(distance(key, p.key), p) for p in alone
                if not p.argument and close(key, p.key, tight=p.destructive)]
        if near:
            return Command(min(near, key=lambda d: d[0])[1].name)
        return self._misheard_field(key)

    def _misheard_field(self, key: tuple[str, ...]) -> Command | None:
        """"Go to field" and a field's name, misheard ("go to field right learning moment"),
        matched letter by letter (:mod:`dictation.name_match`); None when not clearly one."""
        opens = [p for p in self._phrases
                 if p.open and p.names == "fields" and p.scope == "alone"]
        if not opens or len(key) > max(len(p.key) for p in opens) + MAX_OPEN_ARGUMENT + 1:
            return None
        found = nearest_name("".join(key), ["".join(p.key) for p in opens],
                             self._field_letters)
        return Command(opens[0].name, argument=found.name) if found else None

    def _letters_of_fields(
        self, extra: dict[str, Sequence[str]]
    ) -> list[tuple[str, str, str]]:
        """(field, name, letters) for :meth:`_misheard_field`: each field's label in this
        language, and the grammar's and the app's extra field names (a name with a label's
        letters counts as that field; one inside a label's letters is left out)."""
        out: list[tuple[str, str, str]] = []
        for field_key, label in field_labels(self.lang):
            out.append((field_key, label.lower(), self._letters(label)))
        groups = {letters: group for group, _name, letters in out}
        for name in [*self._grammar_args.get("go_to_field", []), *extra.get("fields", [])]:
            letters = self._letters(name)
            if letters not in groups and any(letters in x for x in groups):
                continue  # part of a label ("involvement"): no field of its own
            out.append((groups.get(letters, f"name:{letters}"), name.lower(), letters))
        return [x for x in out if x[2]]

    def _letters(self, name: str) -> str:
        return "".join(re.sub(r"\W", "", w) for w in self.key(name.split()))

    def _argument(self, p: _Phrase, said: tuple[str, ...], fuzzy: bool) -> str | None:
        """The name ``said`` after an argument phrase: a known one (as written in its file,
        lower case), the words said (part of a field's label), or None (not a command: a
        name no field or template has stays dictated text, after an open phrase too)."""
        known = self._names.get(p.names or "", [])
        exact = [name for name, key in known if key == said]
        if exact:
            return exact[0]
        if fuzzy:
            near = [(distance(said, key), name) for name, key in known
                    if close(said, key, one_word_exact=False)]
            if near:
                return min(near)[1]
        spoken = " ".join(said)
        if p.names == "fields" and any(_contains(key, said) for _, key in known):
            return spoken
        if p.names is None:
            return spoken
        return None

    def _argument_names(
        self, extra: dict[str, Sequence[str]]
    ) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
        table = {
            "fields": [*field_names(), *self._grammar_args.get("go_to_field", [])],
            "templates": [*template_names(), *self._grammar_args.get("insert_template", [])],
        }
        for kind, names in extra.items():
            table.setdefault(kind, []).extend(names)
        return {
            kind: [(n.lower(), self.key(n.split())) for n in dict.fromkeys(names)]
            for kind, names in table.items()
        }

    def _trailing(self, toks: list[Token]) -> tuple[list[Token], list[Command]]:
        """Whole sentences at the end of Whisper's text that are a command of two words or
        more (within the margin): those commands, and the tokens before them."""
        found: list[Command] = []
        end = len(toks)
        while end > 0:
            stop = end - 1 if toks[end - 1].text in SENTENCE_END else end
            start = stop
            while start > 0 and toks[start - 1].text not in SENTENCE_END:
                start -= 1
            key = self.key(t.text for t in toks[start:stop] if not t.is_punct)
            command = self._alone(key, fuzzy=True) if len(key) >= 2 else None
            if command is None:
                break
            found.insert(0, command)
            end = start
        return toks[:end], found

    def _inline(self, toks: list[Token], written: bool) -> list[Command | Text]:
        out: list[Command | Text] = []
        text: list[Token] = []

        def flush() -> None:
            if text:
                out.append(Text(tuple(t.text for t in text), tuple(t.index for t in text)))
                text.clear()

        i = 0
        while i < len(toks):
            if _bare(toks[i]) in self._literal and i + 1 < len(toks):
                phrase = self._match_inline(toks, i + 1)
                n = len(phrase.words) if phrase else 1
                text.extend(toks[i + 1 : i + 1 + n])
                i += 1 + n
                continue
            phrase = None if toks[i].is_punct else self._match_inline(toks, i)
            if phrase is not None and written and not self._punctuation_here(phrase, toks, i):
                phrase = None
            if phrase is None:
                text.append(toks[i])
                i += 1
                continue
            flush()
            out.append(Command(phrase.name, value=phrase.value))
            i += len(phrase.words)
        flush()
        return out

    def _match_inline(self, toks: list[Token], i: int) -> _Phrase | None:
        for p in self._phrases:
            n = len(p.words)
            if p.scope == "inline" and tuple(_bare(t) for t in toks[i : i + n]) == p.words:
                return p
        return None

    def _punctuation_here(self, phrase: _Phrase, toks: list[Token], i: int) -> bool:
        """In written text, a spoken mark that is also a noun ("period", "colon") counts only
        at a sentence's end and not after words like "the", "follow-up", "sigmoid"."""
        if len(phrase.words) != 1 or phrase.words[0] not in self._nouns:
            return True
        after = i + 1
        if after < len(toks) and not toks[after].is_punct:
            return False
        return i == 0 or toks[i - 1].is_punct or _bare(toks[i - 1]) not in self._noun_after


def _bare(token: Token) -> str:
    """A token as inline phrases are compared: folded, without quotes or inner marks."""
    return fold(token.text).strip("'\"()[]")


def _contains(name: tuple[str, ...], said: tuple[str, ...]) -> bool:
    n = len(said)
    return any(name[k : k + n] == said for k in range(len(name) - n + 1))


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise DictationError(f"cannot read the voice command table {path}: {err}") from err
