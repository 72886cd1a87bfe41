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
    that" as "strike note," or "strike, no."): no command by text; the scorer takes them
    (a deleting command again since h18: "undo that" brings the words back), but "undo
    that" itself only from its whole phrase.
    (Which ones it mishears moves with the prompt, which holds the command phrases.)"""
    plain = create_recognizer("whisper", replace(english, commands=None))
    rec = create_recognizer("whisper", english)
    missed = 0
    for phrase in ("end dictation", "strike that", "undo that"):
        speech = synthesize(phrase)
        text, command = _heard(plain, speech, "en")
        if command is not None:
            continue  # the text matcher alone found it
        text, command = _heard(rec, speech, "en")
        if phrase == "undo that":
            assert command in (None, "undo"), (phrase, text)  # not from other words
        else:
            missed += 1
            assert command == command_of(phrase, CommandSet("en")), (phrase, text)
    assert missed >= 1


def test_russian_commands_whisper_mishears_are_taken(russian, festival):
    """base writes "следующее поле" as "Следующие поли." and "зачеркни это" as
    "Зачеркнета." (no command by text); the scorer takes both (h17 held the second, a
    deleting command, to its whole phrase; since h18 "undo that" brings the words back).
    (With the option aliases at the head of the prompt, 2026-12-07, the first came out
    "Следующий поле." without the scorer too, which the text matcher takes: right either
    way.)"""
    plain = create_recognizer("whisper", replace(russian, commands=None))
    rec = create_recognizer("whisper", russian)
    said = {"следующее поле": "next_field", "зачеркни это": "scratch_that"}
    for speech, (phrase, expected) in zip(
        synthesize_many(list(said), festival), said.items(), strict=True
    ):
        text, by_text = _heard(plain, speech, "ru")
        assert by_text in (None, expected), text  # never another command
        text, command = _heard(rec, speech, "ru")
        assert command == expected, (phrase, text)


def _sox(speech: np.ndarray, tempo: float, cents: int) -> np.ndarray:
    """``speech`` changed by sox (tempo and pitch), as the scorer's Russian tuning set."""
    import shutil
    import subprocess

    ci_guard.require(shutil.which("sox") is not None, "sox", "Debian sox")
    raw = ["-t", "raw", "-r", str(RATE), "-e", "signed", "-b", "16", "-c", "1"]
    out = subprocess.run(["sox", *raw, "-", *raw, "-", "tempo", str(tempo), "pitch", str(cents)],
                         input=speech.tobytes(), capture_output=True, check=True).stdout
    return np.frombuffer(out, dtype=np.int16)


def test_a_misheard_field_name_is_scored_against_the_known_fields(russian, festival):
    """base writes «дополнительный текст» after "go to field" as «дополнительной текасть»:
    the text matcher takes "go to field" with a name no field has, which used to stand. Such
    a command is now weighed by the scorer, which takes the phrase naming the known field.
    (Festival's voice changed by sox, the tuning set's variants; 3 of these 4 failed before.)"""
    rec = create_recognizer("whisper", russian)
    said = ["перейти к полю дополнительный текст", "перейти в поле дополнительный текст"]
    for speech, phrase in zip(synthesize_many(said, festival), said, strict=True):
        for tempo, cents in ((0.9, 150), (1.12, -150)):
            text, command = _heard(rec, _sox(speech, tempo, cents), "ru")
            assert command == "go_to_field: дополнительный текст", (phrase, tempo, text)


def test_a_field_name_no_field_has_stays_as_said(russian, festival):
    """"Go to field" with a name that is no field's: the scorer weighs it and leaves it (the
    app then says no field has that name), never turning it into another field or command.
    (Known and left: «перейти к полю жалобы пациента» in this voice is taken for "previous
    field", by the code before this change too.)"""
    rec = create_recognizer("whisper", russian)
    actions = {does for _, does in russian.commands}
    said = ["перейти в поле анамнез", "перейти к полю анамнез"]
    for speech, phrase in zip(synthesize_many(said, festival), said, strict=True):
        text, command = _heard(rec, speech, "ru")
        # base may mishear it past the text matcher («Перейти к полюайном низ.»): text then
        assert command is None or command.startswith("go_to_field: "), (phrase, text)
        assert command not in actions, (phrase, text, command)


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


def test_go_to_field_with_a_name_no_field_has_reaches_the_report(english):
    """"Go to field" followed by words that name no field stays dictated text, through the
    engine (with its command scorer) and the transcript: the words reach the report instead
    of being dropped behind "No field called ...". tiny.en writes «old healed fracture of
    the seventh rib on the right» (en-gb-x-rp) as «go to field, fracture on the 7 and 3 on
    the right», and "go to field weather" as «go to field awareness» (taken as a command
    with an unknown name before). A known field's name stays a command."""
    from dictation.transcript import DictationProcessor

    rec = create_recognizer("whisper", english)
    said = [("old healed fracture of the seventh rib on the right", "en-gb-x-rp", None),
            ("go to field weather", "en-us", None),
            ("go to field dynamics", "en-us", "go_to_field: dynamics")]
    for phrase, voice, expected in said:
        finals = recognize(rec, _framed(synthesize(phrase, voice)))
        processor = DictationProcessor("en")
        found = [c for r in finals for c in processor.process(r).commands]
        heard = [r.text for r in finals]
        if expected is None:
            assert found == [], (phrase, heard)
            words = processor.transcript.text.lower()
            assert "go to field" in words and len(words.split()) >= 4, (phrase, heard, words)
        else:
            assert [f"{c.name}: {c.argument}" for c in found] == [expected], (phrase, heard)


@pytest.mark.parametrize(("phrase", "voice", "expected"), [
    # tiny.en writes «go to field right line involvement», «go to field left-line
    # involvement» (en-us varies from run to run: «left environment» is taken, «left learning
    # environment» is not)
    ("go to field right lung involvement", "en-gb-x-rp", "right lung involvement, %"),
    ("go to field left lung involvement", "en-gb-x-rp", "left lung involvement, %"),
])
def test_a_misheard_field_name_is_taken_letter_by_letter(english, phrase, voice, expected):
    """Word matching left these as text (the walkthrough's "Go to field right learning
    moment"); dictation.name_match takes the field whose label they nearly spell. A fresh
    recogniser each: after other utterances, under load, a decode may end early ("go to field
    right learning"), which nothing can match."""
    from dictation.transcript import DictationProcessor

    rec = create_recognizer("whisper", english)
    finals = recognize(rec, _framed(synthesize(phrase, voice)))
    processor = DictationProcessor("en")
    found = [c for r in finals for c in processor.process(r).commands]
    # misheard: the label it nearly spells; heard right (it varies with load): the words said
    assert [(c.name, c.argument) for c in found] in (
        [("go_to_field", expected)], [("go_to_field", expected.split(",")[0])]), \
        [r.text for r in finals]


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


class _Tokens:
    """A tokenizer stand-in: a phrase's 'tokens' are its words' lengths."""

    eot = 10_000
    sot_sequence = (1,)

    def encode(self, text: str) -> list[int]:
        return [len(w) for w in text.split()]


def test_the_scorer_takes_an_untaken_command_only_from_its_whole_phrase():
    """Even when it scores best and clearly (as "Delete last sentence." might for a spoken
    "worsening" heard "Last sentence."), a phrase held to its words (``untaken``: signing
    and undo in the table; deleting phrases in h17) is not taken from other words: only from
    a decode with all its words, a letter or two misheard ("Delete ward."). Another command
    that wins the same way is taken as before."""
    from dictation.command_scorer import CommandScorer

    phrases = [("delete last sentence", "delete_last_sentence"),
               ("delete word", "delete_last_word"), ("next section", "next_field")]
    scorer = CommandScorer(None, _Tokens(), phrases, "en",
                           untaken=frozenset({"delete_last_sentence", "delete_last_word"}))

    def winner(phrase: str) -> None:
        by_tokens = {tuple(scorer._tokens[i]): -1.0 if p == phrase else -6.0
                     for i, (p, _) in enumerate(phrases)}
        scorer.scores = lambda enc, frames, lists: [by_tokens.get(tuple(t), -1.5)
                                                    for t in lists]

    winner("delete last sentence")
    choice = scorer.rank(None, 0, "Last sentence.", [5])
    assert choice.best == "delete last sentence" and choice.phrase is None
    winner("delete word")
    assert scorer.rank(None, 0, "Delete ward.", [5]).phrase == "delete word"
    assert scorer.rank(None, 0, "Delete sword fish.", [5]).phrase is None
    winner("next section")
    assert scorer.rank(None, 0, "Next sexton.", [5]).phrase == "next section"


def test_a_value_said_is_not_scored_into_a_command(russian, festival):
    """Festival's «лучше» (Dynamics: better) is decoded «Лучше.», which the scorer took
    for «Дальше.» (next field): the form moved on instead of taking the value. A decode
    that says a protocol's value is not scored; «дальше» itself is still next field."""
    rec = create_recognizer("whisper", russian)
    said = ["лучше", "дальше", "хуже"]
    heard = [_heard(rec, s, "ru") for s in synthesize_many(said, festival)]
    assert heard[0][1] is None and "лучше" in heard[0][0].lower(), heard[0]
    assert heard[1][1] == "next_field", heard[1]
    assert heard[2][1] is None, heard[2]
