"""The dictation benchmark's scoring: equivalent written forms count as the same word, and
the real-voice references it corrects are real annotation faults, documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import dictation as bench


def test_ordinals_as_words_and_digits_are_the_same_word():
    assert bench.norm_words("old healed fracture of the seventh rib", "en") == \
        bench.norm_words("Old healed fracture of the 7th rib.", "en")
    assert bench.norm_words("the second lobe", "en") == ["the", "2nd", "lobe"]
    assert bench.norm_words("второй", "ru") == ["второй"]  # English only


def test_numbers_and_units_score_alike_in_every_written_form():
    said = bench.norm_words("a six millimeter nodule", "en")
    assert said == bench.norm_words("A 6 mm nodule.", "en") == \
        bench.norm_words("a 6-millimeter nodule", "en") == ["a", "6", "mm", "nodule"]


def test_reference_fixes_name_clips_whose_annotation_differs(shared_data: Path):
    folder = shared_data / "speech" / "en-speechbrain"
    if not (folder / "transcripts.tsv").is_file():
        pytest.skip("no en-speechbrain clips")
    annotated = dict(
        line.split("\t") for line in (folder / "transcripts.tsv").read_text().splitlines()
    )
    fixes = bench.REFERENCE_FIXES["en-speechbrain"]
    assert set(fixes) <= set(annotated)
    assert all(fixes[name] != annotated[name].lower() for name in fixes)
    texts = dict(zip(annotated, (t for _a, t in bench._real(folder)), strict=True))
    assert texts["spk2_snt5.wav"] == "jump the fence and hurry up the bank"
    assert texts["spk1_snt1.wav"] == annotated["spk1_snt1.wav"].lower()  # the rest as annotated


def test_a_unit_word_is_the_unit_even_where_its_number_was_misheard():
    assert bench.norm_words("a sick, millimeter nodule", "en") == ["a", "sick", "mm", "nodule"]
    assert bench.norm_words("несколько миллиметров", "ru") == ["несколько", "мм"]


def test_negations_dropped_and_added_are_counted_per_sentence():
    def errors(ref: str, hyp: str, lang: str) -> tuple[int, int]:
        return bench.negation_errors(bench.norm_words(ref, lang), bench.norm_words(hyp, lang),
                                     lang)

    # The walkthrough's decodes (Festival, Whisper base, the shipped prompt): «не» lost.
    assert errors("Лимфатические узлы не увеличены.", "Линф элотический узлыни увеличены.",
                  "ru") == (1, 0)
    assert errors("КТ признаки вирусной пневмонии не выявлены.",
                  "К признаки вирусны бневомонений выявлены.", "ru") == (1, 0)
    assert errors("плевра без утолщения", "Плевра без утолщения.", "ru") == (0, 0)
    assert errors("the heart is enlarged", "The heart isn't enlarged.", "en") == (0, 1)
    assert errors("no pleural effusion", "Not pleural effusion.", "en") == (1, 1)
    assert errors("ни выпота ни пневмоторакса", "и выпота ни пневмоторакса", "ru") == (1, 0)
