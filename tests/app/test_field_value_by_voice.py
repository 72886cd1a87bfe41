"""A field's name and its value said as one utterance («Распределение двусторонние»,
"Dynamics worse") set that field wherever dictation is, and are not written as text; a
sentence that merely begins with a field's name stays text.

The session, its command table, normaliser and transcript are real; below the engine seam a
recogniser 'hears' the phrase the test says (Whisper's decodes of the lead's walkthrough:
Festival Russian through a PulseAudio microphone)."""

from __future__ import annotations

import pytest

from app.panels.dictation_panel import DictationPanel
from app.panels.protocol_form import ProtocolForm
from records.protocol import load_protocol
from tests.app.test_sign_by_voice import SAY, hearing


@pytest.fixture
def dictating(qtbot):
    made: dict = {}

    def start(lang: str):
        phrases, sessions, factory = hearing(lang)

        form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), lang)
        panel = DictationPanel(form, session_factory=factory)
        qtbot.addWidget(form)
        qtbot.addWidget(panel)
        form.show()
        qtbot.waitExposed(form)
        messages: list[str] = []
        panel.message.connect(messages.append)
        form.focus_field("conclusion")
        panel.start()
        made["panel"] = panel

        def say(phrase: str, until) -> None:
            phrases.append(phrase)
            sessions[0].queue.put(SAY)
            qtbot.waitUntil(until, timeout=5000)
            qtbot.wait(50)  # anything else the final would do

        return form, say, messages

    yield start
    if "panel" in made:
        made["panel"].stop()


def test_russian_field_names_with_values_set_the_fields(dictating):
    form, say, messages = dictating("ru")
    values = form.values
    say("Распределение двусторонние.", lambda: values().get("distribution_side") == "bilateral")
    assert "двусторонние" in messages[-1]  # the same option's other side: marked to check
    say("Основные признаки участки уплотнения по типу матового стекла неправильной формы "
        "консолидация.", lambda: bool(values().get("main_signs")))
    assert set(values().get("main_signs")) == {"ggo_irregular", "consolidation"}
    say("Объем поражения правого легкого шестьдесят процентов.",
        lambda: values().get("involvement_right_percent") == 60.0)
    say("Степень КТ три.", lambda: values().get("grade") == "CT-3")
    assert "КТ-3" in messages[-1]
    say("Динамика лучше.", lambda: values().get("dynamics") == "regression")
    assert form.to_check() == {"distribution_side": "bilateral", "dynamics": "regression"}
    assert not values().get("conclusion")  # none of it written as text
    # A sentence of the conclusion that begins with a field's name is the conclusion's.
    say("Заключение вирусная пневмония.", lambda: bool(values().get("conclusion")))
    say("Динамика положительная, очаги уменьшились.",
        lambda: "уменьшились" in (values().get("conclusion") or ""))
    assert values().get("conclusion") == \
        "Заключение вирусная пневмония. Динамика положительная, очаги уменьшились."


def test_english_field_names_with_values_set_the_fields(dictating):
    form, say, _ = dictating("en")
    values = form.values
    say("Dynamics worse.", lambda: values().get("dynamics") == "progression")
    say("CT grade two.", lambda: values().get("grade") == "CT-2")
    say("Additional findings pleural effusion and fibrosis.",
        lambda: bool(values().get("additional_findings")))
    assert set(values().get("additional_findings")) == {"effusion", "fibrosis"}
    say("Distribution of the changes is bilateral.", lambda: bool(values().get("conclusion")))
    assert values().get("conclusion") == "Distribution of the changes is bilateral."
    assert values().get("distribution_side") is None


def test_a_field_named_without_its_letter_yo_is_found(dictating):
    """Whisper writes «объем», «легкого»: "go to field" finds «Объём ... лёгкого»."""
    form, say, _ = dictating("ru")
    say("Перейти к полю объем поражения левого легкого.",
        lambda: form.current_key() == "involvement_left_percent")
    say("Пятьдесят процентов.", lambda: form.values().get("involvement_left_percent") == 50.0)


@pytest.mark.parametrize("lang, heading, text, then, key", [
    ("ru", "Заключение.", "КТ-признаков вирусной пневмонии не выявлено.",
     "Очаг в верхней доле левого легкого.", "conclusion"),
    ("ru", "Рекомендация:", "консультация пульмонолога.", "Контроль через месяц.",
     "recommendations"),
    ("en", "Conclusion:", "No evidence of viral pneumonia.", "A nodule in the left upper lobe.",
     "conclusion"),
])
def test_a_free_text_fields_name_said_as_a_heading_goes_there(dictating, lang, heading, text,
                                                                then, key):
    """«Заключение. КТ-признаков ... не выявлено.» said while in another field: the words
    after the heading are the conclusion's, and so is what is said next; the heading itself
    is not written."""
    form, say, _ = dictating(lang)
    form.focus_field("additional_findings" if key == "conclusion" else "conclusion")
    other = form.current_key()
    say(f"{heading} {text}", lambda: bool(form.values().get(key)))
    assert form.current_key() == key
    say(then, lambda: then.rstrip(".") in (form.values().get(key) or ""))
    assert form.values().get(key) == f"{text[:1].upper()}{text[1:]} {then}"
    assert not form.values().get(other)


def test_a_heading_without_its_mark_or_alone_in_a_sentence_stays_text(dictating):
    """Only the name closed by a mark of its own is a heading: «Заключение вирусная
    пневмония.» and «Рекомендации выполнены, контроль.» are words of the current field."""
    form, say, _ = dictating("ru")
    say("Рекомендации выполнены, контроль.", lambda: bool(form.values().get("conclusion")))
    assert form.current_key() == "conclusion"
    assert form.values().get("conclusion") == "Рекомендации выполнены, контроль."
    assert not form.values().get("recommendations")
