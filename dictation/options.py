"""Engine options from the user's choices: language, model, grammar name, user dictionary."""

from __future__ import annotations

import logging
from pathlib import Path

from dictation.commands import Command, CommandSet
from dictation.engines import (
    FALLBACK_ENGINE,
    EngineOptions,
    Recognizer,
    configured_engine,
    create_recognizer,
)
from dictation.errors import DictationError
from dictation.normalize import UserDictionary
from dictation.prompt import domain_terms, prompt_sentences

log = logging.getLogger(__name__)
GRAMMARS = ("commands",)
# Languages whose Whisper prompt names the voice commands. Russian does not: with them (base,
# the prompt cut to 200 tokens) real voices gave WER 0.394 instead of 0.354, espeak-ng
# radiology phrases 1.14 instead of 0.93 with 2 commands taken from them, and commands
# 3 of 39 instead of 0.
COMMANDS_IN_PROMPT = {"en"}


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
        prompt_terms=tuple(prompt_terms(lang, dictionary)),
        commands=command_phrases(lang) if phrases is None else None,
    )


def command_phrases(lang: str) -> tuple[tuple[str, str], ...]:
    """Every command phrase of ``lang`` (with template and field names) and what it does
    ("go_to_field: findings"): phrases that do the same are not rivals."""
    commands = CommandSet(lang)
    out = []
    for phrase in commands.grammar():
        found = [p for p in commands.parse(phrase.split()) if isinstance(p, Command)]
        does = phrase
        if found:
            arg = found[0].argument
            does = found[0].name if arg is None else f"{found[0].name}: {arg}"
        out.append((phrase, does))
    return tuple(out)


def prompt_terms(lang: str, dictionary: UserDictionary | None = None) -> list[str]:
    """What a prompting engine (Whisper) is told to expect: the voice command phrases (one
    for each new word) and the protocols' and dictionary's terms. Measured (tiny.en,
    espeak-ng, alternated with the terms): the 36 English commands came out right in 29
    (punctuation and case aside) instead of 21, WER 0.09 instead of 0.26; 126 radiology
    phrases WER 0.349 instead of 0.351; no command taken from them."""
    commands: list[str] = []
    heard: set[str] = set()
    grammar = CommandSet(lang).grammar() if lang in COMMANDS_IN_PROMPT else []
    for phrase in grammar:  # a phrase only if it brings a new word
        words = set(phrase.split())
        if not words <= heard:
            commands.append(phrase)
            heard |= words
    terms = domain_terms(lang, dictionary)
    mixed = [x for pair in zip(commands, terms, strict=False) for x in pair]
    n = min(len(commands), len(terms))
    # Alternated, so a prompt cut to Whisper's length (Russian: about 30 phrases) keeps both;
    # the templates' standard sentences first where they lead (prompt.SENTENCES_IN_PROMPT).
    return prompt_sentences(lang) + mixed + commands[n:] + terms[n:]


def open_recognizer(
    lang: str = "en",
    engine: str | None = None,
    model_dir: Path | None = None,
    grammar: str | None = None,
    domain: str | None = None,
) -> tuple[Recognizer, str, DictationError | None]:
    """The recogniser dictation uses, as the app and ``luch transcribe`` build it: ``engine``
    (default: the ``dictation.engine`` setting, else Whisper), the radiology LM for English
    PocketSphinx unless ``domain`` says otherwise. If Whisper cannot start (no model, a
    damaged one) and no model folder was given, PocketSphinx (English) or Vosk serves
    instead: returns (recogniser, engine name, the error that made it fall back or None)."""
    engine = engine or configured_engine()

    def options(name: str) -> EngineOptions:
        chosen = domain
        if chosen is None and name == "pocketsphinx" and lang == "en":
            chosen = "radiology"
        return build_options(lang, model_dir, grammar, domain=chosen)

    try:
        return create_recognizer(engine, options(engine)), engine, None
    except DictationError as err:
        if engine != "whisper" or model_dir is not None:
            raise
        fallback = FALLBACK_ENGINE.get(lang, "vosk")
        try:
            recognizer = create_recognizer(fallback, options(fallback))
        except DictationError:
            raise err from None
        log.warning("Whisper could not start (%s); %s serves dictation", type(err).__name__,
                    fallback)
        return recognizer, fallback, err
