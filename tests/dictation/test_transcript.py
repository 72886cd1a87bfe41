from __future__ import annotations

from dictation.normalize import UserDictionary
from dictation.results import Result
from dictation.transcript import DictationProcessor, Transcript


def _feed(processor: DictationProcessor, *utterances: str) -> list[str]:
    names = []
    for u in utterances:
        names += [c.name for c in processor.process(Result(u, final=True)).commands]
    return names


def test_english_report_with_punctuation_numbers_and_grades():
    p = DictationProcessor("en")
    names = _feed(
        p,
        "bilateral ground glass opacities comma involvement twenty five percent period",
        "new paragraph impression ct two",
        "next field",
    )
    assert p.transcript.text == (
        "Bilateral ground-glass opacities, involvement 25%.\n\nImpression CT-2"
    )
    assert names == ["comma", "period", "new_paragraph", "next_field"]


def test_russian_report():
    p = DictationProcessor("ru")
    _feed(p, "объём поражения двадцать пять процентов запятая ка тэ два точка", "очагов нет точка")
    assert p.transcript.text == "Объём поражения 25%, КТ-2. Очагов нет."


def test_scratch_that_and_delete_last_word():
    p = DictationProcessor("en", normalizer=None)
    _feed(p, "no nodules period", "wrong words here", "scratch that")
    assert p.transcript.text == "No nodules."
    _feed(p, "small effusion left", "delete last word")
    assert p.transcript.text == "No nodules. Small effusion"
    _feed(p, "delete last word", "delete last word", "delete last word")
    assert p.transcript.text == "No"


def test_partials_do_not_change_the_text():
    p = DictationProcessor("en")
    assert p.process(Result("next field", final=False)).commands == ()
    assert p.transcript.text == ""


def test_capitalisation_rules():
    t = Transcript()
    t.add(["no", "change", "?", "stable", ".", "\n", "see", "above", ",", "mm"])
    assert t.text == "No change? Stable.\nSee above, mm"
    assert UserDictionary()  # an empty dictionary is valid


def test_whispers_comma_before_a_said_new_line_goes():
    """Whisper writes "нет, новая строка": the comma before the line break goes (in the same
    utterance or the one before); a period stays, and a said comma is the user's."""
    p = DictationProcessor("ru")
    _feed(p, "Очагов нет, новая строка. Размер в норме.")
    assert p.transcript.text == "Очагов нет\nРазмер в норме."
    p = DictationProcessor("ru")
    _feed(p, "Очагов нет,", "Новая строка.", "Размер в норме.")
    assert p.transcript.text == "Очагов нет\nРазмер в норме."
    p = DictationProcessor("en")
    _feed(p, "No effusion, new paragraph.", "No nodules. New line.")
    assert p.transcript.text == "No effusion\n\nNo nodules.\n"


def test_a_range_of_numbers_keeps_its_hyphen():
    """Whisper's "Шесть-семь" is the range 6-7, not "6 7"; "twenty-five" stays one number."""
    p = DictationProcessor("ru")
    _feed(p, "Шесть-семь.", "Очаги размером шесть-семь миллиметров.")
    assert p.transcript.text == "6-7. Очаги размером 6-7 мм."
    p = DictationProcessor("en")
    _feed(p, "Three-four nodules, involvement of twenty-five percent.")
    assert p.transcript.text == "3-4 nodules, involvement of 25%."
    p = DictationProcessor("ru")
    _feed(p, "КТ-два, сорок-два.")
    assert p.transcript.text == "КТ-2, 42."


def test_a_heading_moves_the_field_and_leaves_its_text_to_the_next():
    """«Заключение. Без патологии.» with the app's heading hook: a field move, and the words
    after it (with their times) left as the next field's result; the heading is not text."""
    from dictation.results import Word

    processor = DictationProcessor("ru")
    processor.commands.heading = lambda said: "Заключение" if said == "Заключение" else None
    spoken = ["Заключение.", "Без", "патологии."]
    words = tuple(Word(w, n, n + 0.5, 1.0) for n, w in enumerate(spoken))
    done = processor.process(Result(" ".join(spoken), True, words))
    assert [c.name for c in done.commands] == ["go_to_field"]
    assert done.commands[0].argument == "Заключение"
    assert processor.transcript.text == ""
    assert done.rest.text == "Без патологии." and done.rest.words == words[1:]
    # no mark after the name: a sentence of the current field
    done = processor.process(Result("Заключение без патологии.", True))
    assert not done.commands and done.rest is None
    assert processor.transcript.text == "Заключение без патологии."
