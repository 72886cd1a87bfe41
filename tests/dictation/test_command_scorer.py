"""The closed-set command scorer with the real Whisper models on real and synthesised audio:
a spoken command that Whisper writes wrongly is taken, dictation that resembles a command
stays text, in English (tiny.en, espeak-ng) and Russian (base, Festival's recorded voice;
the real Russian voices)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dictation.command_score import command_of
from dictation.commands import CommandSet
from dictation.engines import create_recognizer
from dictation.options import build_options, command_phrases
from dictation.synth import FESTIVAL_RU, festival_available, synthesize, synthesize_many
from dictation.transcribe import read_audio, recognize
from tests.plugins import ci_guard

ci_guard.importorskip("faster_whisper", "faster-whisper")
RATE = 16_000


def _framed(speech: np.ndarray) -> np.ndarray:
    pad = np.zeros(RATE // 2, np.int16)
    return np.concatenate([pad, speech, pad, pad])


def _heard(rec, speech: np.ndarray, lang: str) -> tuple[str, str | None]:
    text = " ".join(r.text for r in recognize(rec, _framed(speech)))
    return text, command_of(text, CommandSet(lang))


@pytest.fixture(scope="module")
def english(english_model):
    options = build_options("en", model_dir=english_model)
    assert options.commands, "open dictation carries the command phrases"
    return options


@pytest.fixture(scope="module")
def russian(base_model):
    return build_options("ru", model_dir=base_model)


@pytest.fixture(scope="module")
def festival():
    ci_guard.require(festival_available(), "Festival's Russian voice", "Debian festvox-ru")
    return FESTIVAL_RU


def test_command_phrases_name_what_they_do():
    phrases = dict(command_phrases("ru"))
    assert phrases["вставить шаблон норма"] == "insert_template: норма"
    assert phrases["следующее поле"] == phrases["к следующему полю"] == "next_field"
    assert build_options("en", grammar="commands").commands is None  # grammar mode: no scorer


def test_english_commands_whisper_mishears_are_taken(english):
    """tiny.en writes "end dictation" as "and dictation." (and, with some prompts, "strike
    that" as "strike note,"): no command by text; the scorer takes each one it misheard.
    (Which ones it mishears moves with the prompt, which holds the command phrases.)"""
    plain = create_recognizer("whisper", replace(english, commands=None))
    rec = create_recognizer("whisper", english)
    missed = 0
    for phrase in ("end dictation", "strike that", "undo that"):
        speech = synthesize(phrase)
        text, command = _heard(plain, speech, "en")
        if command is not None:
            continue  # the text matcher alone found it
        missed += 1
        text, command = _heard(rec, speech, "en")
        assert command == command_of(phrase, CommandSet("en")), (phrase, text)
    assert missed >= 1


def test_russian_commands_whisper_mishears_are_taken(russian, festival):
    """base writes "следующее поле" as "Следующие поли." and "зачеркни это" as
    "Зачеркнета." (no command by text); the scorer takes both."""
    plain = create_recognizer("whisper", replace(russian, commands=None))
    rec = create_recognizer("whisper", russian)
    said = {"следующее поле": "next_field", "зачеркни это": "scratch_that"}
    for speech, (phrase, expected) in zip(
        synthesize_many(list(said), festival), said.items(), strict=True
    ):
        text, command = _heard(plain, speech, "ru")
        assert command is None, text
        text, command = _heard(rec, speech, "ru")
        assert command == expected, (phrase, text)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "go to the hospital"),
        ("en", "sign of consolidation"),
        ("en", "no pleural effusion"),
        ("en", "next patient please"),
    ],
)
def test_english_dictation_like_a_command_stays_text(english, lang, said):
    text, command = _heard(create_recognizer("whisper", english), synthesize(said), lang)
    assert command is None, text


def test_russian_dictation_like_a_command_stays_text(russian, festival):
    said = ["следующий пациент", "поле зрения сужено", "плеврального выпота нет",
            "точка роста в нижней доле"]
    rec = create_recognizer("whisper", russian)
    for speech, phrase in zip(synthesize_many(said, festival), said, strict=True):
        text, command = _heard(rec, speech, "ru")
        assert command is None, (phrase, text)


def test_real_voices_never_score_as_commands(russian, shared_data: Path):
    """Without its length limit the scorer still keeps real Russian sentences as text:
    the two shortest clips, scored directly on their decodes."""
    from dictation.command_scorer import CommandScorer

    rec = create_recognizer("whisper", russian)
    scorer = CommandScorer(rec.model, rec.tokenizer, russian.commands, "ru")
    folder = shared_data / "speech" / "ru-voxforge"
    for name in ("ru_0054.wav", "ru_0003.wav"):
        audio = read_audio(folder / name).astype(np.float32) / 32768
        decoded = rec._decode(audio)
        choice = scorer.rank(decoded.encoder_output, decoded.frames, decoded.text,
                             decoded.tokens)
        assert choice.phrase is None, (name, decoded.text, choice)
        assert choice.best is not None and choice.free - choice.score > 2.5


def test_candidates_are_one_phrase_for_each_nearest_command(english):
    """The runner-up is always another command (another field counts as another), and a
    decode written nothing like a command is not scored."""
    rec = create_recognizer("whisper", english)
    picks = rec.scorer.candidates("go to environment,")
    does = [rec.scorer.phrases[i][1] for i in picks]
    assert len(does) == len(set(does)) == 8
    assert does[0] == "go_to_field: involvement"
    choice = rec.scorer.choose(None, 0, 2.0, "consolidation in the left upper lobe", [1])
    assert choice.best is None  # too far from any command to be worth scoring
