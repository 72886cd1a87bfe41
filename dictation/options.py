"""Engine options from the user's choices: language, model, grammar name, user dictionary."""

from __future__ import annotations

from pathlib import Path

from dictation.commands import CommandSet
from dictation.engines import EngineOptions
from dictation.errors import DictationError
from dictation.normalize import UserDictionary
from dictation.prompt import domain_terms

GRAMMARS = ("commands",)


def build_options(
    lang: str = "en",
    model_dir: Path | None = None,
    grammar: str | None = None,
    dictionary: UserDictionary | None = None,
    domain: str | None = None,
) -> EngineOptions:
    """Options with the named grammar's phrases, the dictionary's extra words and the
    domain terms a prompting engine (Whisper) is given."""
    dictionary = dictionary if dictionary is not None else UserDictionary.load()
    phrases = None
    if grammar == "commands":
        phrases = CommandSet(lang).grammar()
        if not phrases:
            raise DictationError(f"no voice commands are defined for language {lang!r}")
    elif grammar is not None:
        raise DictationError(f"unknown grammar {grammar!r}; choose one of: {', '.join(GRAMMARS)}")
    return EngineOptions(
        lang=lang,
        model_dir=Path(model_dir) if model_dir else None,
        grammar=phrases,
        extra_words=dictionary.words.get(lang) or None,
        domain=None if domain in (None, "general") else domain,
        prompt_terms=tuple(domain_terms(lang, dictionary)),
    )
