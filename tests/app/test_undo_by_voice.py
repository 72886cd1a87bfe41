"""A misheard deleting command can be taken back: "undo that" / «отменить», and Ctrl+Z in
the field being dictated, undo the last change there step by step (what "delete last
sentence" removed, an utterance, a value set by voice, a tick-list change), say what went
back, and Ctrl+Shift+Z makes it again until new dictation. Typing is Qt's own undo (one
step, never two), and signing is never undone.

The session, its command table and transcript are real; below the engine seam a recogniser
'hears' the phrase the test says (tests/app/test_sign_by_voice.py)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app import test_field_value_by_voice as by_value
from tests.app import test_sign_by_voice as by_sign
from tests.app.test_sign_by_voice import CTRL_SHIFT, STUDY, signs_on

station, dictating = by_sign.station, by_value.dictating  # their fixtures

CTRL = Qt.KeyboardModifier.ControlModifier
SAID = {
    "en": ("No effusion.", "Small nodule in the left lobe.", "Delete last sentence.",
           "Undo that.", "Undo.", "Stable."),
    "ru": ("Выпота нет.", "Небольшой очаг в левой доле.", "Удалить последнее предложение.",
           "Отменить.", "Отменить.", "Стабильно."),
}
BASE = "Viral pneumonia, mild."  # what the station's conclusion holds before dictation


def test_a_deleted_sentence_comes_back_by_voice_step_by_step(station, qtbot):
    lang, workflow, say = station
    first, second, delete, undo, undo_again, _ = SAID[lang]
    text = lambda: workflow.report.form.values()["conclusion"]  # noqa: E731
    messages: list[str] = []
    workflow.dictation.message.connect(messages.append)
    say(first, second)
    qtbot.waitUntil(lambda: second.rstrip(".") in text())
    full = text()
    say(delete)
    qtbot.waitUntil(lambda: second.rstrip(".") not in text())
    assert first.rstrip(".") in text()
    say(undo)
    qtbot.waitUntil(lambda: text() == full)
    assert second.rstrip(".") in messages[-1], messages  # the status says what came back
    say(undo_again)  # the step before: the utterance dictated
    qtbot.waitUntil(lambda: second.rstrip(".") not in text())
    assert text().startswith(BASE) and first.rstrip(".") in text()
    say(undo_again, undo_again)  # the first utterance, then nothing left to undo
    qtbot.waitUntil(lambda: len(messages) >= 4)
    qtbot.wait(100)
    assert text() == BASE, "the field's own text is not the voice's to undo"


def test_ctrl_z_in_the_field_being_dictated_undoes_as_the_voice_does(station, qtbot):
    lang, workflow, say = station
    first, second, delete, *_, later = SAID[lang]
    form = workflow.report.form
    editor = form.editors["conclusion"]
    text = lambda: form.values()["conclusion"]  # noqa: E731
    messages: list[str] = []
    workflow.dictation.message.connect(messages.append)
    say(first, second, delete)
    qtbot.waitUntil(lambda: first.rstrip(".") in text() and second.rstrip(".") not in text())
    deleted = text()
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: second.rstrip(".") in text())
    full = text()
    qtbot.wait(100)
    assert text() == full and first.rstrip(".") in full, "one step back, not two"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL_SHIFT)  # made again
    qtbot.waitUntil(lambda: text() == deleted)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: text() == full)
    # Typing in the field is undone by Qt's own undo first, and only that.
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "xy")
    assert text() == full + "xy"
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL)
    qtbot.wait(100)
    assert text() == full
    # New dictation after an undo: nothing to redo.
    say(later)
    qtbot.waitUntil(lambda: later.rstrip(".").lower() in text().lower())
    with_later = text()
    shown = len(messages)
    qtbot.keyClick(editor, Qt.Key.Key_Z, CTRL_SHIFT)
    qtbot.waitUntil(lambda: len(messages) > shown)
    assert text() == with_later


def test_signing_is_not_undone(station, qtbot):
    lang, workflow, say = station
    report, store = workflow.report, workflow.store
    assert signs_on(qtbot, workflow, lambda d: say({"en": "sign", "ru": "подписать"}[lang]))
    signed = report.form.values()
    say(SAID[lang][3])
    qtbot.wait(200)
    (reported,) = store.reports_for_study(STUDY)
    assert [v.status.value for v in store.report_versions(reported.uid)] == ["final"]
    assert report.locked and report.form.values() == signed


def test_values_set_by_voice_and_a_tick_list_change_are_undone(dictating, qtbot):
    form, say, messages = dictating("ru")
    values = form.values
    say("Динамика лучше.", lambda: values().get("dynamics") == "regression")
    say("Отменить.", lambda: "dynamics" not in values())
    assert form.to_check() == {} and "Динамика" in messages[-1]
    form.focus_field("main_signs")  # dictating into the tick list itself
    say("Консолидация.", lambda: values().get("main_signs") == ["consolidation"])
    say("Отменить.", lambda: "main_signs" not in values())
    assert not values().get("conclusion"), "nothing written as text"
