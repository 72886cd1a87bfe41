"""Word links: text positions -> times in real dictated audio, kept in step with edits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.playback.word_links import FieldLinks, WordLink
from dictation.engines import create_recognizer
from dictation.options import build_options
from dictation.recording import DictationRecording
from dictation.synth import synthesize
from dictation.transcribe import read_audio, recognize
from dictation.transcript import DictationProcessor

RATE = 16000


def dictate(samples: np.ndarray, lang_model: str | None = None):
    """Real recognition into a field transcript: (text, [(a, b, t0, t1)])."""
    options = build_options("en", domain=lang_model) if lang_model else None
    recognizer = create_recognizer("pocketsphinx", options) if options else \
        create_recognizer("pocketsphinx")
    processor = DictationProcessor("en")
    for result in recognize(recognizer, samples):
        processor.process(result)
    text, spans = processor.transcript.render()
    return text, [(s.char_start, s.char_end, s.start, s.end) for s in spans]


def loudness(samples: np.ndarray) -> float:
    return float(np.abs(samples.astype(float)).mean()) if samples.size else 0.0


def test_a_position_in_the_text_maps_to_the_time_the_word_was_said(shared_data: Path):
    samples = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    transcript, spans = dictate(samples)
    base = "Typed first. "
    links = FieldLinks(base + transcript)
    links.place(len(base), spans, "a.flac")
    assert len(links.links) >= 12
    first = links.at(len(base))  # the cursor on the first dictated word
    assert first is not None and first.word == "1" and 0.5 < first.t0 < first.t1 < 1.5
    assert links.at(len(base) + 1) == first  # the cursor just after it still means it
    assert links.at(2) is None  # typed text has no audio
    recording = DictationRecording(samples)
    word = recording.clip(first.t0, first.t1)
    assert loudness(word) > 3 * loudness(samples[: RATE // 2])  # speech, not the silence
    # Words follow each other in time as they do in the text.
    starts = [x.t0 for x in links.links]
    assert starts == sorted(starts)


def test_a_normalised_number_plays_all_the_words_it_was_made_from():
    speech = synthesize("involvement twenty five percent")
    silence = np.zeros(RATE // 2, np.int16)
    samples = np.concatenate([silence, speech, silence])
    # The words one by one, for their times.
    spoken = [w for r in recognize(create_recognizer("pocketsphinx",
                                                     build_options("en", domain="radiology")),
                                   samples) for w in r.words]
    assert [w.word for w in spoken][:4] == ["involvement", "twenty", "five", "percent"]
    transcript, spans = dictate(samples, "radiology")
    assert transcript.startswith("Involvement 25%")
    links = FieldLinks(transcript)
    links.place(0, spans, "a.flac")
    percent = links.at(transcript.index("25%") + 1)
    assert percent.word == "25%"
    assert percent.t0 == pytest.approx(spoken[1].start) and percent.t1 == pytest.approx(
        spoken[3].end)
    assert percent.t1 - percent.t0 > 0.8  # "twenty five percent", not one word of it


def linked(text: str, *words: str, source: str = "r.flac") -> FieldLinks:
    links = FieldLinks(text)
    spans, at = [], 0
    for n, word in enumerate(words):
        at = text.index(word, at)
        spans.append((at, at + len(word), float(n), n + 0.5))
        at += len(word)
    links.place(0, spans, source)
    return links


def test_typing_before_a_word_shifts_it_and_typing_after_leaves_it():
    links = linked("bilateral opacities", "bilateral", "opacities")
    links.edit("Two bilateral opacities")
    assert [(x.start, x.word) for x in links.links] == [(4, "bilateral"), (14, "opacities")]
    links.edit("Two bilateral opacities, peripheral.")
    assert [(x.start, x.t0) for x in links.links] == [(4, 0.0), (14, 1.0)]
    assert links.at(links.text.index("peripheral")) is None


def test_an_edited_word_loses_its_audio_and_the_others_keep_theirs():
    links = linked("bilateral opacities seen", "bilateral", "opacities", "seen")
    links.edit("bilateral opacity seen")  # a correction in the middle word
    assert [x.word for x in links.links] == ["bilateral", "seen"]
    assert links.at(links.text.index("seen")).t0 == 2.0
    links.edit("bilateral opacity seenx")  # a letter stuck to a word: not that word any more
    assert [x.word for x in links.links] == ["bilateral"]


def test_a_whole_text_rewrite_keeps_the_unchanged_words():
    # Dictation rewrites the whole field (setPlainText) with each partial result.
    links = linked("Typed. 1 0 0", "1", "0")
    links.edit("Typed. 1 0 0 0 1")
    assert [x.word for x in links.links] == ["1", "0"]
    links.edit("")
    assert links.links == []


def test_dictation_replaces_the_words_of_its_own_transcript_only():
    links = linked("Earlier words. Now", "Earlier", "words", source="one.flac")
    links.edit("Earlier words. Now more")
    links.place(len("Earlier words. "), [(0, 3, 5.0, 5.3), (4, 8, 5.3, 5.6)], "two.flac")
    assert [(x.word, x.source) for x in links.links] == [
        ("Earlier", "one.flac"), ("words", "one.flac"), ("Now", "two.flac"),
        ("more", "two.flac")]


def test_restored_links_are_checked_against_the_text():
    saved = [WordLink(0, 5, "right", "r.flac", 1.0, 1.4), WordLink(6, 10, "lung", "r.flac",
                                                                    1.4, 1.9)]
    again = FieldLinks("right lobe", [WordLink.from_dict(x.as_dict()) for x in saved])
    assert [x.word for x in again.links] == ["right"]
    rename = FieldLinks("right lung", saved)
    rename.rename("r.flac", "/kept/r.flac")
    assert {x.source for x in rename.links} == {"/kept/r.flac"}
