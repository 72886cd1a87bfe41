from __future__ import annotations

import pytest

from dictation.commands import Command, CommandSet, Text


@pytest.fixture(scope="module")
def en() -> CommandSet:
    return CommandSet("en")


@pytest.fixture(scope="module")
def ru() -> CommandSet:
    return CommandSet("ru")


@pytest.mark.parametrize(
    ("utterance", "name", "argument"),
    [
        ("next field", "next_field", None),
        ("Previous Field", "previous_field", None),
        ("go to field impression", "go_to_field", "impression"),
        ("scratch that", "scratch_that", None),
        ("delete last word", "delete_last_word", None),
        ("insert template normal chest", "insert_template", "normal chest"),
        ("accept ai values", "accept_ai_values", None),
        ("sign report", "sign_report", None),
        ("stop dictation", "stop_dictation", None),
    ],
)
def test_english_commands_alone(en, utterance, name, argument):
    assert en.parse(utterance.split()) == [Command(name, argument=argument)]


@pytest.mark.parametrize(
    ("utterance", "name", "argument"),
    [
        ("следующее поле", "next_field", None),
        ("предыдущее поле", "previous_field", None),
        ("перейти к полю заключение", "go_to_field", "заключение"),
        ("отмена", "scratch_that", None),
        ("удалить последнее слово", "delete_last_word", None),
        ("вставить шаблон норма", "insert_template", "норма"),
        ("принять значения ии", "accept_ai_values", None),
        ("подписать отчёт", "sign_report", None),
        ("стоп диктовка", "stop_dictation", None),
    ],
)
def test_russian_commands_alone(ru, utterance, name, argument):
    assert ru.parse(utterance.split()) == [Command(name, argument=argument)]


def test_alone_commands_inside_dictation_stay_text(en, ru):
    assert en.parse(["the", "next", "field", "of", "view", "is", "clear"]) == [
        Text(tuple(["the", "next", "field", "of", "view", "is", "clear"]))
    ]
    assert en.parse(["please", "sign", "report"]) == [Text(("please", "sign", "report"))]
    assert ru.parse(["отмена", "терапии"]) == [Text(("отмена", "терапии"))]


def test_inline_punctuation_and_breaks(en, ru):
    parts = en.parse(
        ["no", "effusion", "period", "new", "paragraph", "impression", "comma", "normal"]
    )
    assert parts == [
        Text(("no", "effusion")),
        Command("period", value="."),
        Command("new_paragraph", value="\n\n"),
        Text(("impression",)),
        Command("comma", value=","),
        Text(("normal",)),
    ]
    parts = ru.parse(["очагов", "нет", "точка", "новая", "строка"])
    assert [type(p).__name__ for p in parts] == ["Text", "Command", "Command"]
    assert [p.value for p in parts[1:]] == [".", "\n"]


def test_literal_keeps_a_command_word_as_text(en):
    assert en.parse(["follow", "up", "literal", "period", "of", "six", "months"]) == [
        Text(tuple(["follow", "up", "period", "of", "six", "months"]))
    ]


def test_grammar_offers_every_phrase_with_arguments(en):
    phrases = en.grammar({"go_to_field": ["lung nodules"]})
    assert "next field" in phrases and "period" in phrases
    assert "go to field lung nodules" in phrases
    assert "go to field" not in phrases  # an argument command needs its argument
    assert len(phrases) == len(set(phrases))
