"""Choice options by voice: spoken aliases, near opposites, and what the protocol may name."""

from __future__ import annotations

import pytest

from records.errors import ProtocolError
from records.protocol import _parse, load_protocol
from records.spoken import (
    labelled_value,
    named_options,
    near,
    near_opposites,
    norm,
    opposite_sensitive,
    option_for,
)


@pytest.fixture(scope="module")
def protocol():
    return load_protocol("moscow-chest-ct-covid")


@pytest.mark.parametrize(("heard", "option"), [
    ("Worse.", "progression"),
    ("worse than before", "progression"),
    ("Better!", "regression"),
    ("Improved. Improved.", "regression"),  # Whisper said it twice
    ("No change.", "stable"),
    ("Same as before.", "stable"),
    ("Stable.", "stable"),
    ("Progression.", "progression"),
    ("Regression.", "regression"),
    ("Отрицательная динамика.", "progression"),
    ("Хуже, хуже.", "progression"),  # Festival's «хуже» through Whisper base
    ("отрицательное", "progression"),  # an ending
    ("Положительная динамика.", "regression"),
    ("Регресс.", "regression"),  # the head of «положительная (регресс)» was never matched
    ("Без динамики.", "stable"),
    ("Без изменения.", "stable"),
    ("Стобильно.", "stable"),
    ("первичное", "first"),
])
def test_aliases_and_labels_pick_their_option(protocol, heard, option):
    assert option_for(protocol.field("dynamics"), heard) == option


@pytest.mark.parametrize("heard", ["Дальше.", "Meton.", "and change.", "1 динамики", "",
                                   "worse than the prior study on the left"])
def test_words_near_no_option_pick_none(protocol, heard):
    assert option_for(protocol.field("dynamics"), heard) is None


def test_sides_by_alias_and_grade_by_label_head(protocol):
    side = protocol.field("distribution_side")
    assert option_for(side, "Both sides.") == "bilateral"
    assert option_for(side, "С одной стороны") == "unilateral"
    assert option_for(protocol.field("grade"), "КТ-2") == "CT-2"


def test_near_opposites_configured_and_a_syllable_apart(protocol):
    dynamics = protocol.field("dynamics")
    assert near_opposites(dynamics, "progression") == ["regression"]
    assert near_opposites(dynamics, "stable") == []
    assert opposite_sensitive(dynamics)
    assert opposite_sensitive(protocol.field("distribution_side"))
    assert not opposite_sensitive(protocol.field("grade")), "CT-1/CT-2 are codes, not words"
    assert not opposite_sensitive(protocol.field("covid_probability"))
    assert near(norm("bilateral"), norm("unilateral"))
    assert near(norm("двусторонние"), norm("односторонние"))
    assert not near(norm("high"), norm("low"))


def test_found_without_configuring_when_a_syllable_apart(protocol):
    side = protocol.field("distribution_side")
    bare = type(side)(**{**side.__dict__, "opposites": (), "say": {}})
    assert near_opposites(bare, "bilateral") == ["unilateral"]


def test_shipped_aliases_are_never_near_another_option(protocol):
    """An alias is there to be unmistakable: none is within a syllable of another option's
    label or alias, in any language."""
    from records.spoken import spoken_forms

    for field in protocol.fields:
        for option, said in field.say.items():
            aliases = [norm(a) for names in said.values() for a in names]
            for other in field.options:
                if other != option:
                    assert not any(near(a, f) for a in aliases
                                   for f in spoken_forms(field, other)), (field.key, option)


def test_a_protocol_naming_an_unknown_option_is_refused():
    data = {"id": "x", "title": {"en": "x"}, "fields": [{
        "key": "d", "type": "choice", "label": {"en": "D"},
        "sentence": {"en": "{value}", "ru": "{value}"},
        "options": {"up": {"en": "up"}, "down": {"en": "down"}},
        "opposites": [["up", "sideways"]]}]}
    with pytest.raises(ProtocolError, match="sideways"):
        _parse(data, "x.yaml")
    data["fields"][0]["opposites"] = [["up", "down"]]
    data["fields"][0]["say"] = {"up": {"en": ["higher"]}}
    field = _parse(data, "x.yaml").fields[0]
    assert option_for(field, "Higher.") == "up"
    assert near_opposites(field, "down") == ["up"]


@pytest.mark.parametrize(("heard", "options"), [
    ("pleural effusion and fibrosis", ["effusion", "fibrosis"]),
    ("плевральный выпот, лимфаденопатия", ["effusion", "lymphadenopathy"]),
    ("лимфаденопатия фиброзные изменения", ["lymphadenopathy", "fibrosis"]),  # «и» dropped
    ("выпот и фиброз", ["effusion", "fibrosis"]),  # the names a reader says (``say``)
    ("no pleural effusion", None),
    ("pleural effusion on the right", None),  # a sentence, not names
])
def test_tick_list_names_said_in_a_row(protocol, heard, options):
    assert named_options(protocol.field("additional_findings"), heard) == options


def test_two_signs_said_without_and_are_both_taken(protocol):
    heard = "участки уплотнения по типу матового стекла неправильной формы консолидация"
    assert named_options(protocol.field("main_signs"), heard) == ["ggo_irregular",
                                                                   "consolidation"]


@pytest.mark.parametrize(("heard", "found"), [
    ("Распределение двусторонние.", ("distribution_side", "двусторонние.")),
    ("Динамика лучше", ("dynamics", "лучше")),
    ("Вероятность COVID-19 высокая", ("covid_probability", "высокая")),
    ("Объем поражения правого легкого 60%", ("involvement_right_percent", "60%")),
    ("Dynamics worse.", ("dynamics", "worse.")),
    ("CT grade 2", ("grade", "2")),
    ("Pattern peripheral", ("distribution_pattern", "peripheral")),
    ("Заключение вирусная пневмония", None),  # a text field's name begins a sentence
    ("Динамика положительная, очаги уменьшились", None),  # more than a value
    ("Distribution of the changes is bilateral", None),
    ("Right lung involvement is marked", None),
])
def test_a_field_named_with_its_value(protocol, heard, found):
    assert labelled_value(protocol.fields, heard) == found


def test_a_lung_named_between_right_and_left_is_not_guessed(protocol):
    assert labelled_value(protocol.fields, "Light lung involvement 20%") is None
    assert labelled_value(protocol.fields, "Left lung involvement 20%") == \
        ("involvement_left_percent", "20%")


def test_the_start_of_two_options_picks_neither():
    """A label's start picks its option only when no other option begins so: «КТ» begins
    all the grades, «участки уплотнения по типу матового стекла» both ground-glass options."""
    from records.protocol import load_protocol
    from records.spoken import option_for, options_begun

    protocol = load_protocol("moscow-chest-ct-covid")
    grade = protocol.field("grade")
    assert option_for(grade, "КТ-2") == "CT-2"
    assert option_for(grade, "КТ") is None and len(options_begun(grade, "КТ")) > 1
    signs = protocol.field("main_signs")
    assert options_begun(signs, "участки уплотнения по типу матового стекла") == [
        "ggo_rounded", "ggo_irregular"]
    assert option_for(signs, "участки уплотнения по типу матового стекла") is None


def test_a_heading_names_one_free_text_field():
    from records.spoken import heading

    names = {"conclusion": ["Заключение", "Conclusion"],
             "recommendations": ["Рекомендации", "Recommendations"]}
    assert heading(names, "Заключение") == "conclusion"
    assert heading(names, "Рекомендация") == "recommendations"  # one letter off
    assert heading(names, "recommendation") == "recommendations"
    assert heading(names, "Заключение врача") is None
    assert heading(names, "Заключено") is None
    assert heading(names, "") is None
