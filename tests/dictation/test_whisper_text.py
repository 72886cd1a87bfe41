"""Whisper's text to report text: its punctuation, capitals and ellipses, numbers as digits,
units, CT grades, and no double punctuation when a mark is also said."""

from __future__ import annotations

import pytest

from dictation.command_score import load_cases
from dictation.errors import DictationError
from dictation.normalize import Normalizer, UserDictionary
from dictation.transcript import render_text
from dictation.written import Token, split_words
from dictation.written_forms import WrittenForms


@pytest.mark.parametrize(
    ("words", "tokens"),
    [
        ([" Next", " field."], [("Next", 0), ("field", 1), (".", 1)]),
        (["Twenty-five", "percent."], [("Twenty", 0), ("five", 0), ("percent", 1), (".", 1)]),
        (["COVID-19,"], [("COVID-19", 0), (",", 0)]),
        (["follow-up"], [("follow-up", 0)]),
        (["A.I.", "values"], [("A.I.", 0), ("values", 1)]),
        (["lobes..."], [("lobes", 0)]),
        (["…and", "the"], [("and", 0), ("the", 1)]),
        (["effusion.."], [("effusion", 0), (".", 0)]),
        (["«Норма»."], [("Норма", 0), (".", 0)]),
        (['"normal', 'chest".'], [("normal", 0), ("chest", 1), (".", 1)]),
        (["3,5", "мм?!"], [("3,5", 0), ("мм", 1), ("?", 1)]),
        (["", " ", "—"], [("—", 2)]),
        # Whisper's word pieces: no leading space, or a leading hyphen, continue a word
        ([" CT", " C", "-T."], [("CT", 0), ("C-T", 1), (".", 1)]),
        ([" 25", "%", " involvement"], [("25%", 0), ("involvement", 2)]),
        (["COVID", "-19", "-"], [("COVID-19", 0), ("-", 2)]),
        # bare engine words are kept: PocketSphinx writes letters and abbreviations with a dot
        (["c.", "t.", "two"], [("c.", 0), ("t.", 1), ("two", 2)]),
        (["at", "eight", "a.m."], [("at", 0), ("eight", 1), ("a.m.", 2)]),
    ],
)
def test_whisper_words_split_into_tokens(words, tokens):
    assert split_words(words) == [Token(t, i) for t, i in tokens]


EN = [
    ("Twenty five percent involvement.", "25% involvement."),
    (" Involvement is 25 percent.", "Involvement is 25%."),
    ("Involvement is twenty-five percent.", "Involvement is 25%."),
    ("Involvement 25 %.", "Involvement 25%."),
    ("Involvement 25-50 percent.", "Involvement 25-50%."),
    ("Nodules of 5-7 millimeters.", "Nodules of 5-7 mm."),
    ("CT 2.", "CT-2."),
    ("CT two.", "CT-2."),
    ("C-T two.", "CT-2."),
    ("Grade CT-3.", "Grade CT-3."),
    ("Grade ct4.", "Grade CT-4."),
    ("CT 10 slices.", "CT 10 slices."),  # not a grade
    ("A 12mm nodule.", "A 12 mm nodule."),
    ("A nodule of 12 by 8 millimeters.", "A nodule of 12 x 8 mm."),
    ("Increased by 5 mm.", "Increased by 5 mm."),
    ("Nodule, 12 millimeters.", "Nodule, 12 mm."),
    ("Effusion of 150 milliliters.", "Effusion of 150 mL."),
    ("Effusion of 150 cc.", "Effusion of 150 mL."),
    ("Density minus 20 Hounsfield units.", "Density -20 HU."),
    ("Density 45 HU.", "Density 45 HU."),
    ("Three point five centimeters.", "3.5 cm."),
    ("A few millimeters.", "A few millimeters."),  # a unit only after a number
    ("One of the nodules is calcified.", "One of the nodules is calcified."),
    ("One millimeter.", "1 mm."),
    ("No effusion, period.", "No effusion."),
    ("No effusion. Period.", "No effusion."),
    ("No effusion period.", "No effusion."),
    ("No effusion..", "No effusion."),
    ("Bilateral ground glass opacities...", "Bilateral ground-glass opacities"),
    ("...in the lower lobes.", "In the lower lobes."),
    ("Findings colon, no nodules.", "Findings: no nodules."),
    ("The sigmoid colon is normal.", "The sigmoid colon is normal."),
    ("A follow-up period of 6 months.", "A follow-up period of 6 months."),
    ("Impression. New paragraph. Typical of Covid-19.", "Impression.\n\nTypical of COVID-19."),
    # Whisper's comma after the first word or two of a short phrase goes (SHORT_COMMAS)...
    ("Follow up, CT in 3 weeks.", "Follow up CT in 3 weeks."),
    ("Peribronchial, consolidation in the lower lobes.",
     "Peribronchial consolidation in the lower lobes."),
    # ...not after a discourse word, before an adverb in -ly, later, or a spoken one
    ("However, no effusion is seen.", "However, no effusion is seen."),
    ("Ground-glass opacities, predominantly peripheral.",
     "Ground-glass opacities, predominantly peripheral."),
    ("Compared with the previous study, progression.",
     "Compared with the previous study, progression."),
    ("Follow up comma CT in 3 weeks.", "Follow up, CT in 3 weeks."),
    ("No change, stable.", "No change, stable."),
]

RU = [
    ("Объём поражения двадцать пять процентов.", "Объём поражения 25%."),
    ("Объём поражения 25 процентов.", "Объём поражения 25%."),
    ("Объём поражения 25%.", "Объём поражения 25%."),
    ("Объём поражения 25–50 процентов.", "Объём поражения 25–50%."),
    ("КТ 2.", "КТ-2."),
    ("КТ два.", "КТ-2."),
    ("КТ-два.", "КТ-2."),  # Whisper joins the spoken number to the acronym
    ("Степень КТ-три, объём поражения двадцать пять процентов.",
     "Степень КТ-3, объём поражения 25%."),
    ("Ка тэ три.", "КТ-3."),
    ("Степень CT-1.", "Степень КТ-1."),
    ("Очаг до двадцати пяти миллиметров.", "Очаг до 25 мм."),
    ("Очаг 12мм.", "Очаг 12 мм."),
    ("Увеличился с 10 на 12 мм.", "Увеличился с 10 на 12 мм."),
    ("Очаг размером три целых пять десятых сантиметра.", "Очаг размером 3.5 см."),
    ("Выпот объёмом 150 миллилитров.", "Выпот объёмом 150 мл."),
    ("Плотностью минус 20 единиц Хаунсфилда.", "Плотностью -20 ед. Х."),
    ("Плотностью плюс 45 ед. Х.", "Плотностью +45 ед. Х."),
    ("Плотностью 30 HU.", "Плотностью 30 ед. Х."),
    ("В двух сегментах.", "В 2 сегментах."),
    ("В одном сегменте.", "В одном сегменте."),
    ("Поражение менее пяти процентов.", "Поражение менее 5%."),
    ("Несколько миллиметров.", "Несколько миллиметров."),
    ("Очагов нет, точка.", "Очагов нет."),
    ("Очагов нет. Точка.", "Очагов нет."),
    ("Очагов нет точка.", "Очагов нет."),
    ("Точка роста не видна.", "Точка роста не видна."),
    ("Картина ковид-19...", "Картина COVID-19"),
    ("Заключение. Новый абзац. Пневмония.", "Заключение.\n\nПневмония."),
]


@pytest.mark.parametrize(("whisper", "report"), EN)
def test_english_whisper_text_to_report(whisper, report):
    assert render_text(whisper, "en") == report


@pytest.mark.parametrize(("whisper", "report"), RU)
def test_russian_whisper_text_to_report(whisper, report):
    assert render_text(whisper, "ru") == report


@pytest.mark.parametrize(
    ("utterances", "lang", "report"),
    [
        # Whisper capitalises each utterance; a sentence going on keeps its small letter
        (["Bilateral opacities", "In the lower lobes."], "en", "Bilateral opacities in the "
         "lower lobes."),
        # a mark said alone after Whisper's own takes its place
        (["No effusion.", "Comma.", "Small nodule."], "en", "No effusion, small nodule."),
        (["No effusion.", "Period."], "en", "No effusion."),
        (["Очагов нет.", "Запятая.", "Выпота нет."], "ru", "Очагов нет, выпота нет."),
        # CT and COVID-19 keep their capitals
        (["CT 2.", "COVID-19 typical."], "en", "CT-2. COVID-19 typical."),
        (["No effusion.", "Delete last word."], "en", "No"),
        (["No effusion.", "Small nodule.", "Delete last sentence."], "en", "No effusion."),
        (["Очагов нет.", "Выпота нет.", "Удалить последнее предложение."], "ru",
         "Очагов нет."),
        (["No effusion.", "Next field."], "en", "No effusion."),
        # an edit at the end of Whisper's text acts on what was said before it, in order
        (["No effusion.", "Small nodule. Scratch that."], "en", "No effusion."),
        (["No effusion.", "Small nodule. Delete last word."], "en", "No effusion. Small"),
    ],
)
def test_utterances_in_turn(utterances, lang, report):
    assert render_text(utterances, lang) == report


def test_bare_engine_words_are_unchanged():
    """PocketSphinx and Vosk write bare lower-case words: the same rules as before."""
    assert render_text(["bilateral ground glass opacities comma involvement twenty five "
                        "percent period", "new paragraph impression ct two"], "en") == (
        "Bilateral ground-glass opacities, involvement 25%.\n\nImpression CT-2")


def test_normalizer_keeps_spans_over_whisper_tokens():
    """Each written token says which tokens it was spoken as (for word times)."""
    toks = [t.text for t in split_words(["Twenty-five", "percent,", "12mm."])]
    spans = Normalizer("en", UserDictionary()).spans(toks)
    assert spans == [("25%", 0, 3), (",", 3, 4), ("12", 4, 5), ("mm", 4, 5), (".", 5, 6)]


def test_broken_tables_are_clear_errors(tmp_path):
    bad = tmp_path / "forms.yaml"
    bad.write_text("en: [unclosed", encoding="utf-8")
    with pytest.raises(DictationError, match=r"forms\.yaml"):
        WrittenForms.load("en", bad)
    cases = tmp_path / "cases.yaml"
    cases.write_text("en: {commands: [[only one]]}", encoding="utf-8")
    with pytest.raises(DictationError, match=r"cases\.yaml"):
        load_cases(cases)
