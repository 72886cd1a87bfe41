"""The dictation adapter: partial text previewed at the cursor, finals, field commands.

Events are delivered as the recogniser thread delivers them (the session itself is exercised
with a real microphone in tests/app/test_reading_workflow.py and tests/dictation)."""

from __future__ import annotations

import pytest

from app.dictation_panel import DictationPanel
from app.protocol_form import ProtocolForm
from dictation.commands import Command
from dictation.session import DictationEvent
from records.protocol import load_protocol


@pytest.fixture
def panel(qtbot):
    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    widget = DictationPanel(form, session_factory=None)
    qtbot.addWidget(form)
    qtbot.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    return widget


def deliver(panel, qtbot, event):
    panel._event.emit(event)
    qtbot.wait(10)  # the queued connection runs on the UI thread


def test_partials_show_at_the_cursor_and_the_final_replaces_them(panel, qtbot):
    form = panel.form
    form.focus_field("conclusion")
    form.set_value("conclusion", "Typed first.")
    form.focus_field("conclusion")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("partial", text="bilateral ground"))
    assert form.values()["conclusion"] == "Typed first. bilateral ground"
    deliver(panel, qtbot, DictationEvent("final", text="Bilateral ground-glass opacities."))
    assert form.values()["conclusion"] == "Typed first. Bilateral ground-glass opacities."
    deliver(panel, qtbot, DictationEvent("partial", text="typical"))
    assert form.values()["conclusion"].endswith("opacities. typical")


def test_commands_move_between_fields_and_values_fill_them(panel, qtbot):
    form = panel.form
    form.focus_field("involvement_right_percent")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="35%"))
    assert form.values()["involvement_right_percent"] == 35.0
    deliver(panel, qtbot, DictationEvent("final", text="",
                                         commands=(Command("next_field"),)))
    assert form.current_key() == "involvement_left_percent"
    deliver(panel, qtbot, DictationEvent("final", text="",
                                         commands=(Command("go_to_field", "grade"),)))
    assert form.current_key() == "grade"


def test_app_commands_are_passed_on(panel, qtbot):
    seen = []
    panel.command.connect(lambda name, arg: seen.append((name, arg)))
    panel.form.focus_field("grade")
    deliver(panel, qtbot, DictationEvent("final", text="",
                                         commands=(Command("accept_ai_values"),
                                                   Command("sign_report"))))
    assert seen == [("accept_ai_values", None), ("sign_report", None)]


def test_a_microphone_error_stops_dictation_and_tells_the_user(panel, qtbot):
    messages = []
    panel.message.connect(messages.append)
    deliver(panel, qtbot, DictationEvent("error", text="the microphone was unplugged"))
    assert messages == ["the microphone was unplugged"]
    assert not panel.record.isChecked()


def test_an_engine_that_cannot_start_is_reported(qtbot):
    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")

    def broken(on_event, hands_free=True):
        raise RuntimeError("no model")

    panel = DictationPanel(form, broken)
    qtbot.addWidget(panel)
    messages = []
    panel.message.connect(messages.append)
    panel.record.click()
    assert not panel.record.isChecked() and "no model" in messages[0]


def test_speech_counts_as_activity_for_the_idle_lock(panel, qtbot):
    from PySide6.QtWidgets import QMainWindow

    from app.lock import IdleLock

    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(window, timeout_ms=400)
    panel.activity.connect(lock.notice_activity)
    panel.form.focus_field("conclusion")
    panel._retarget()
    for _ in range(6):  # 600 ms of dictation with no key or mouse input
        deliver(panel, qtbot, DictationEvent("partial", text="bilateral"))
        qtbot.wait(100)
    assert not lock.locked
    qtbot.waitUntil(lambda: lock.locked, timeout=3000)  # silence: it locks as usual
    lock.set_timeout_ms(0)


def test_a_restarted_recogniser_is_reported_and_dictation_goes_on(panel, qtbot):
    messages = []
    panel.message.connect(messages.append)
    panel.form.focus_field("conclusion")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("restarted", text="the speech recogniser had a fault"))
    assert messages and "restarted" in messages[0]
    deliver(panel, qtbot, DictationEvent("final", text="No consolidation."))
    assert panel.form.values()["conclusion"] == "No consolidation."
