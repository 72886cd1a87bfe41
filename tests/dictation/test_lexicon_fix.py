"""Misheard radiology words put right from the domain vocabulary (dictation.lexicon_fix):
the fixes Whisper's text needs, the near-misses of plain dictation that must stay, and the
engine doing it on real synthesised speech with the real tiny.en model."""

from __future__ import annotations

import re

import numpy as np
import pytest

from dictation.lexicon_fix import LexiconFixer, fixer_for
from dictation.results import Word
from dictation.written import drop_final_comma

RATE = 16_000


@pytest.fixture(scope="module")
def fixer() -> LexiconFixer:
    found = fixer_for("en")
    assert found is not None
    return found


@pytest.mark.parametrize(
    ("heard", "fixed"),
    [
        ("no plural effusion.", "no pleural effusion."),
        ("Round-glass opacities, predominantly peripheral", "Ground-glass opacities, predominantly peripheral"),  # noqa: E501
        ("consolidation in the lift upper lobe.", "consolidation in the left upper lobe."),
        ("degenerative changes of the thoracic pine", "degenerative changes of the thoracic spine"),
        ("no new methorax", "no pneumothorax"),
        ("no signs of pulmonary embalism,", "no signs of pulmonary embolism,"),
        ("My lateral ground-glass opacities", "Bilateral ground-glass opacities"),
    ],
)
def test_misheard_terms_are_put_right(fixer, heard, fixed):
    assert fixer.fix(heard) == fixed


@pytest.mark.parametrize(
    "said",
    [
        "a round nodule in the right upper lobe",  # "round" is not "ground" without "glass"
        "no focal lesions in the lungs",  # a plural is not changed to the singular
        "atelectasis at the left lung base",
        "the patient was asked to lift the arm",
        "plural forms are used",
        "the pine tree",
        "involvement of 25%.",
        "Next field.",
        "COVID-19 pneumonia, CT-2.",
        "",
    ],
)
def test_plain_dictation_that_resembles_a_term_stays(fixer, said):
    assert fixer.fix(said) == said


def test_a_small_vocabulary_shows_the_rules():
    fx = LexiconFixer(["no pleural effusion", "the thoracic spine"])
    assert fx.fix("No plural effusion.") == "No pleural effusion."  # capital and mark kept
    assert fx.fix("plural effusion") == "pleural effusion"
    assert fx.fix("a plural noun") == "a plural noun"  # no word pair supports "pleural"
    assert fx.fix("the thoracic pine") == "the thoracic spine"


def test_word_times_follow_a_fix_and_a_merge(fixer):
    words = (Word("No", 0.0, 0.2, 0.9), Word("new", 0.2, 0.4, 0.5),
             Word("methorax.", 0.4, 0.9, 0.4))
    fixed = fixer.fix_timed(words)
    assert [w.word for w in fixed] == ["No", "pneumothorax."]
    assert (fixed[1].start, fixed[1].end) == (0.2, 0.9)


def test_only_a_final_comma_is_dropped():
    assert drop_final_comma("no pleural effusion,") == "no pleural effusion"
    assert drop_final_comma("ground-glass, predominantly peripheral") == (
        "ground-glass, predominantly peripheral"
    )
    assert drop_final_comma("the heart size is normal.") == "the heart size is normal."


def test_no_fixer_without_a_term_list():
    assert fixer_for("xx") is None


def test_the_engine_fixes_a_misheard_term_in_real_speech(english_model, fixer):
    """espeak-ng's British voice says "thoracic spine"; tiny.en hears "thoracic pine"
    (checked on the raw decode), the engine's final says "spine" at the right time."""
    from dictation.engines import create_recognizer
    from dictation.options import build_options
    from dictation.synth import synthesize
    from dictation.transcribe import recognize

    speech = synthesize("degenerative changes of the thoracic spine", "en-gb-x-rp")
    audio = np.concatenate([np.zeros(RATE // 2, np.int16), speech, np.zeros(RATE, np.int16)])
    rec = create_recognizer("whisper", build_options("en", model_dir=english_model))
    raw = rec._decode(audio.astype(np.float32) / 32768.0)
    assert raw is not None and re.search(r"\bpine\b", raw.text.lower()), raw
    rec.close()
    rec = create_recognizer("whisper", build_options("en", model_dir=english_model))
    finals = recognize(rec, audio)
    words = [w for r in finals for w in r.words]
    spoken = [re.sub(r"\W", "", w.word.lower()) for w in words]
    assert "spine" in spoken and "pine" not in spoken, spoken
    spine = words[spoken.index("spine")]
    assert 0.5 + 0.5 * len(speech) / RATE < spine.end <= 0.5 + len(speech) / RATE + 0.5
    assert not finals[-1].text.endswith(",")


def test_the_nbest_pick_prefers_report_language_within_reason(fixer):
    from dictation.lexicon_fix import domain_score, pick

    texts = ["small like lateral, cleal effusion", "small bilateral pleural effusions"]
    assert domain_score(fixer, texts[1]) > domain_score(fixer, texts[0])
    assert pick(fixer, texts, [-0.30, -0.45]) == 1  # a little less likely, far more domain
    assert pick(fixer, texts, [-0.30, -2.50]) == 0  # far less likely: Whisper's word stands
    assert pick(fixer, texts[:1], [-0.3]) == 0
    # everyday speech: the pick changes nothing when no hypothesis is report language
    assert pick(fixer, ["tear a thin sheet", "terra thin sheet"], [-0.2, -0.25]) == 0
