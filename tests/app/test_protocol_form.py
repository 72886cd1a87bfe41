"""The protocol form: values, keyboard and voice navigation, dictated values."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.panels.protocol_form import ProtocolForm
from records.protocol import load_protocol


@pytest.fixture
def form(qtbot):
    widget = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_values_round_trip(form):
    values = {"distribution_side": "bilateral", "distribution_pattern": ["peripheral"],
              "lower_lobe": True, "involvement_right_percent": 32.5, "grade": "CT-2",
              "conclusion": "Viral pneumonia"}
    form.set_values(values)
    assert form.values() == values
    form.set_values({})
    assert form.values() == {}


def test_unset_number_is_not_a_zero(form):
    form.set_value("involvement_left_percent", 0.0)
    assert form.values() == {"involvement_left_percent": 0.0}
    form.set_value("involvement_left_percent", None)
    assert "involvement_left_percent" not in form.values()


def test_tab_walks_the_fields_in_protocol_order(form, qtbot):
    form.focus_field("distribution_side")
    qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
    assert form.current_key() == "distribution_pattern"


def test_voice_navigation_by_command_and_by_field_name(form):
    form.focus_field("grade")
    assert form.next_field() == "covid_probability"
    assert form.previous_field() == "grade"
    assert form.go_to_field("conclusion") == "conclusion"
    assert form.go_to_field("Заключение") == "conclusion", "Russian field names work too"
    assert form.go_to_field("recommend") == "recommendations"
    assert form.go_to_field("weather") is None
    # the labels dictation.name_match returns for a misheard name (lower case, with "%")
    assert form.go_to_field("right lung involvement, %") == "involvement_right_percent"
    assert form.go_to_field("объём поражения левого лёгкого, %") == "involvement_left_percent"


@pytest.mark.parametrize(("field", "spoken", "expected"), [
    ("involvement_right_percent", "25%", 25.0),
    ("involvement_right_percent", "12,5", 12.5),
    ("grade", "CT-2", "CT-2"),
    ("grade", "КТ-3", "CT-3"),
    ("covid_probability", "high", "high"),
    ("grade", "2.", "CT-2"),  # «КТ два» heard as «Два.» (Festival voice, walkthrough)
])
def test_dictated_values_fill_typed_fields(form, field, spoken, expected):
    form.focus_field(field)
    assert form.insert_text(spoken)
    assert form.values()[field] == expected


def test_dictated_text_is_appended_with_a_space(form):
    form.focus_field("conclusion")
    assert form.insert_text("Bilateral changes")
    assert form.insert_text("typical of COVID-19.")
    assert form.values()["conclusion"] == "Bilateral changes typical of COVID-19."


def test_words_that_fit_no_option_are_refused(form):
    form.focus_field("grade")
    assert not form.insert_text("banana")
    assert "grade" not in form.values()


def test_dictated_options_tick_a_list_and_a_sentence_or_a_negation_does_not(form):
    """Walkthrough: "go to field additional findings", then a finding: the list took
    nothing (it took no words at all). Option names tick; a sentence and "no X" stay text."""
    form.focus_field("additional_findings")
    assert form.insert_text("Pleural effusion and fibrosis.")
    assert form.values()["additional_findings"] == ["effusion", "fibrosis"]
    assert not form.insert_text("no lymphadenopathy")
    assert not form.insert_text("solid nodule in the left lower lobe")
    assert form.values()["additional_findings"] == ["effusion", "fibrosis"]
    form.focus_field("distribution_pattern")
    assert form.insert_text("периферическое")  # a Russian option name in an English form


def test_a_yes_no_box_is_answered_by_voice(form):
    form.focus_field("lower_lobe")
    assert form.insert_text("Yes.") and form.values()["lower_lobe"] is True
    assert form.insert_text("нет") and "lower_lobe" not in form.values()
    assert not form.insert_text("maybe")


def test_words_that_fit_no_value_go_to_the_spill_field_and_can_be_taken_back(form):
    from PySide6.QtWidgets import QPlainTextEdit

    extra = QPlainTextEdit()
    form.add_text_field("free_text", "Additional text", extra, spill=True)
    extra.setPlainText("Typed.")
    label, start = form.spill("Solid nodule.")
    assert label == "Additional text" and extra.toPlainText() == "Typed. Solid nodule."
    form.unspill(start, "Solid nodule.")
    assert extra.toPlainText() == "Typed."
    form.set_read_only(True)
    assert form.spill("Words.") is None


def test_the_wheel_scrolls_the_report_and_never_turns_a_box_it_passes(qtbot, luch_home):
    """Scrolling the report with the wheel changed "Dynamics" to "first examination" when
    the box passed under the pointer (seen in Xvfb): an unfocused combo or number box now
    passes the wheel to the report's scroll area; a focused one still takes it."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QScrollArea

    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    scroll = QScrollArea()
    qtbot.addWidget(scroll)
    scroll.setWidget(form)
    scroll.setWidgetResizable(True)
    scroll.resize(400, 250)  # the form is taller: it scrolls
    scroll.show()
    scroll.activateWindow()
    qtbot.waitActive(scroll)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0

    def wheel(widget, steps: int = -1) -> None:  # down by one notch
        centre = QPointF(widget.rect().center())
        event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())),
                            QPoint(0, 0), QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(widget, event)

    for key in ("dynamics", "involvement_right_percent"):
        editor = form.editors[key]
        scroll.setFocus()
        before, top = form.values().get(key), bar.value()
        wheel(editor)
        assert form.values().get(key) == before, f"{key} turned by the wheel"
        assert bar.value() > top or bar.value() == bar.maximum(), "the report did not scroll"
        bar.setValue(0)
    box = form.editors["dynamics"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    wheel(box)
    assert form.values().get("dynamics") is not None, "a focused box takes the wheel"


def _marked(form, key: str) -> bool:
    return bool(form.rows[key].property("check"))


def test_a_voiced_value_with_a_near_opposite_is_marked_until_the_reader_confirms(form, qtbot):
    """"progression" was written "Regression" (the opposite, silently): a value said into
    Dynamics is marked "check this value" (row, tooltip) until a click, Enter, or a value
    chosen by hand; a field without near opposites (the grade) is not marked."""
    form.focus_field("dynamics")
    assert form.insert_text("Regression.")
    assert form.values()["dynamics"] == "regression"
    assert _marked(form, "dynamics") and form.to_check() == {"dynamics": "regression"}
    tip = form.editors["dynamics"].toolTip()
    assert "check this value" in tip and "“progression”" in tip, tip
    assert form.rows["dynamics"].toolTip() == tip
    qtbot.keyClick(form.editors["dynamics"], Qt.Key.Key_Shift)  # not a confirming key
    assert _marked(form, "dynamics")
    qtbot.keyClick(form.editors["dynamics"], Qt.Key.Key_Return)
    assert not _marked(form, "dynamics") and form.to_check() == {}
    assert form.editors["dynamics"].toolTip() == ""

    assert form.insert_text("Worse.")  # an alias: still the field's value to check
    assert form.values()["dynamics"] == "progression" and _marked(form, "dynamics")
    qtbot.mouseClick(form.labels["dynamics"], Qt.MouseButton.LeftButton)
    assert not _marked(form, "dynamics")

    assert form.insert_text("No change.")
    assert form.values()["dynamics"] == "stable" and _marked(form, "dynamics")
    box = form.editors["dynamics"]
    box.setCurrentIndex(box.findData("regression"))  # chosen by hand: the reader's choice
    assert not _marked(form, "dynamics")

    form.focus_field("grade")
    assert form.insert_text("CT-2") and not _marked(form, "grade")
    form.focus_field("distribution_side")
    assert form.insert_text("Both sides.") and _marked(form, "distribution_side")
    form.set_values({})  # a draft or the AI's values replace the voice's
    assert form.to_check() == {}


def test_the_check_mark_speaks_russian(qtbot, qapp, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "ru")
        qtbot.addWidget(form)
        form.focus_field("dynamics")
        assert form.insert_text("Отрицательная динамика.")
        assert form.values()["dynamics"] == "progression"
        text = form.check_text("dynamics")
        assert "“положительная (регресс)”" in text and "голосом" in text, text
    finally:
        remove_translators(qapp)
