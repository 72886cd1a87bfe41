from __future__ import annotations

from pathlib import Path

import pytest

from dictation.errors import DictationError
from dictation.normalize import UserDictionary, normalize_words
from dictation.numbers import words_to_numbers


@pytest.mark.parametrize(
    ("spoken", "lang", "digits"),
    [
        ("twenty five", "en", ["25"]),
        ("one hundred and twenty three", "en", ["123"]),
        ("three point five", "en", ["3.5"]),
        ("two thousand twenty four", "en", ["2024"]),
        ("nine oh two", "en", ["9", "0", "2"]),
        ("oh my", "en", ["oh", "my"]),
        ("series seven image forty", "en", ["series", "7", "image", "40"]),
        ("двадцать пять", "ru", ["25"]),
        ("сто двадцать", "ru", ["120"]),
        ("две тысячи двадцать четыре", "ru", ["2024"]),
        ("три целых пять десятых", "ru", ["3.5"]),
        ("ноль целых две десятых", "ru", ["0.2"]),
        ("ноль", "ru", ["0"]),
        # oblique cases, as said after prepositions
        ("до двадцати пяти", "ru", ["до", "25"]),
        ("к двум", "ru", ["к", "2"]),
        ("из трёх", "ru", ["из", "3"]),
        ("около ста двадцати", "ru", ["около", "120"]),
        ("более сорока", "ru", ["более", "40"]),
        ("с пятью", "ru", ["с", "5"]),
        ("двух тысяч", "ru", ["2000"]),
        ("одного из", "ru", ["одного", "из"]),  # a pronoun more often than a number
        ("пять", "de", ["пять"]),
    ],
)
def test_spoken_numbers(spoken, lang, digits):
    assert words_to_numbers(spoken.split(), lang) == digits


NO_DICT = UserDictionary()


@pytest.mark.parametrize(
    ("spoken", "lang", "written"),
    [
        ("twenty five percent", "en", ["25%"]),
        ("involvement twenty five per cent", "en", ["involvement", "25%"]),
        ("двадцать пять процентов", "ru", ["25%"]),
        ("тридцать один процент", "ru", ["31%"]),
        ("CT two", "en", ["CT-2"]),
        ("c t three", "en", ["CT-3"]),
        ("c. t. three", "en", ["CT-3"]),  # PocketSphinx's letter words
        ("ct ten", "en", ["CT", "10"]),  # no grade: the name alone, in the report's case
        ("ct grade three", "en", ["CT", "grade", "3"]),  # Whisper's lower case (held out)
        ("кт признаки", "ru", ["КТ", "признаки"]),
        ("acute", "en", ["acute"]),
        ("ка тэ два", "ru", ["КТ-2"]),
        ("кт четыре", "ru", ["КТ-4"]),
        ("ка тэ ноль", "ru", ["КТ-0"]),
        ("percent", "en", ["percent"]),
    ],
)
def test_percentages_and_ct_grades(spoken, lang, written):
    assert normalize_words(spoken.split(), lang, NO_DICT) == written


def test_user_dictionary_merges_defaults_with_the_users_file(tmp_path: Path):
    user = tmp_path / "mine.yaml"
    user.write_text("substitutions:\n  en:\n    lul: left upper lobe\n", encoding="utf-8")
    d = UserDictionary.load()
    d.merge(UserDictionary.from_file(user))
    assert normalize_words(
        ["ground", "glass", "in", "the", "lul", "twelve", "millimeters"], "en", d
    ) == ["ground-glass", "in", "the", "left upper lobe", "12", "mm"]
    assert normalize_words(["covid", "nineteen"], "en", d) == ["COVID-19"]
    assert normalize_words(["очаг", "двенадцать", "миллиметров"], "ru", d) == ["очаг", "12", "мм"]
    assert d.words["en"]["ct"] == "S IY T IY"


def test_broken_dictionary_file_is_a_clear_error(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("substitutions: [unclosed", encoding="utf-8")
    with pytest.raises(DictationError, match=r"bad\.yaml"):
        UserDictionary.from_file(bad)


@pytest.mark.parametrize(
    ("whisper", "written"),
    [
        # h18-neg: Whisper base wrote these for Festival's «... не утолщены» and the like
        ("Стенки бронхов неутолщены", "Стенки бронхов не утолщены"),
        ("средостение несмещено", "средостение не смещено"),
        ("пневмоторакс неопределяется", "пневмоторакс не определяется"),
        ("Неувеличены", "Не увеличены"),
        ("контуры неравномерен", "контуры не равномерен"),
        # one word in Russian, or not a short form: left as written
        ("неравномерно утолщены", "неравномерно утолщены"),
        ("неоднородный участок", "неоднородный участок"),
        ("небольшой выпот", "небольшой выпот"),
        ("необходимо нервен", "необходимо нервен"),
        ("нет", "нет"),
    ],
)
def test_russian_ne_glued_to_a_short_form_is_written_apart(whisper, written):
    assert normalize_words(whisper.split(), "ru") == written.split()


def test_the_split_is_russian_only_and_keeps_the_spoken_word_range():
    from dictation.normalize import Normalizer

    assert normalize_words(["neutolshcheny"], "en") == ["neutolshcheny"]
    spans = Normalizer("ru").spans(["бронхов", "неутолщены"])
    assert spans == [("бронхов", 0, 1), ("не", 1, 2), ("утолщены", 1, 2)]
