"""A recording that stops right after the last word still gives that word: the recogniser
flushes the utterance in progress at the end of the stream (real human speech)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dictation.engines import EngineOptions, create_recognizer
from dictation.transcribe import read_audio, recognize, transcribe_samples

RATE = 16_000


@pytest.fixture(scope="module")
def cut_digits(shared_data: Path):
    """The human digits clip's last group ("zero one eight zero three"), from 0.3 s before it
    to 20 ms after its last word ends."""
    samples = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    recognizer = create_recognizer("pocketsphinx")
    words = [w for r in recognize(recognizer, samples) for w in r.words]
    recognizer.close()
    assert words[-1].word == "three"
    start, end = int((words[-5].start - 0.3) * RATE), int((words[-1].end + 0.02) * RATE)
    assert len(samples) - end > 0.3 * RATE  # the full clip ends in silence; this one does not
    return samples[start:end], [w.word for w in words[-5:]]


@pytest.mark.parametrize("early_final_pause", [0.06, None])
def test_clip_cut_after_the_last_word_still_gives_it(cut_digits, early_final_pause):
    samples, full_words = cut_digits
    recognizer = create_recognizer("pocketsphinx",
                                   EngineOptions(early_final_pause=early_final_pause))
    try:
        words = [w.word for r in recognize(recognizer, samples) for w in r.words]
    finally:
        recognizer.close()
    assert words[-1] == "three", words
    assert words == full_words  # nothing lost, nothing added by the cut


def test_transcribing_a_cut_clip_ends_with_its_last_digit(cut_digits):
    samples, _ = cut_digits
    text = transcribe_samples(samples, "pocketsphinx").text
    assert text.rstrip(" .").endswith("3"), text


def test_dictation_stopped_right_after_the_last_word_keeps_it(cut_digits):
    """Push-to-talk released at the last word: the session flushes the recogniser on stop."""
    from dictation.session import DictationSession
    from dictation.transcript import DictationProcessor

    samples, full_words = cut_digits
    events: list = []
    recognizer = create_recognizer("pocketsphinx", EngineOptions(early_final_pause=None))
    session = DictationSession(recognizer, DictationProcessor("en"), events.append)
    for i in range(0, len(samples), 800):
        session.queue.put(samples[i:i + 800].tobytes())
    session.start_recogniser()
    session.stop(timeout=60)
    assert [w.word for w in session.words] == full_words
    assert events[-1].kind == "stopped"
