"""A hand microphone in the app: PowerMic report bytes -> buttons -> push-to-talk dictation
through the real audio layer, and field navigation."""

from __future__ import annotations

import numpy as np
import pytest

from app.shell.main_window import MainWindow
from app.shell.voice_controller import VoiceControllerAdapter
from app.workflow import Workflow
from core.settings import Settings
from dictation.controller import ReportDecoder, button_events, device_profiles
from dictation.engines import create_recognizer
from dictation.session import DictationSession
from dictation.transcribe import read_audio
from dictation.transcript import DictationProcessor
from dictation.wer import word_error_rate
from records import open_store

DIGITS = "1 0 0 0 1 9 0 2 1 0 0 1 8 0 3"
POWERMIC_IDLE, POWERMIC_RECORD, POWERMIC_SKIP_FORWARD = b"\x00\x00\x00", b"\x00\x04\x00", \
    b"\x00\x08\x00"


@pytest.fixture
def station(qtbot, luch_home, pulse_mic):
    def session_factory(on_event, hands_free=True):
        return DictationSession(create_recognizer("pocketsphinx"), DictationProcessor("en"),
                                on_event, device=pulse_mic.device, hands_free=hands_free)

    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), "dr.a", session_factory=session_factory)
    workflow.report.begin("1.2.826.0.1.3680043.10.1.7")
    window.show()
    adapter = VoiceControllerAdapter(workflow, settings)
    yield workflow, adapter
    workflow.dictation.stop()


def press(adapter, decoder, state, report) -> frozenset:
    now = decoder.pressed(report)
    for event in button_events(state, now, "powermic"):
        adapter.button(event)
    return now


def test_push_to_talk_from_the_powermic_dictates_into_the_field(station, qtbot, pulse_mic,
                                                              shared_data):
    workflow, adapter = station
    decoder = ReportDecoder(device_profiles()["powermic"])
    form = workflow.report.form
    form.focus_field("recommendations")
    state = press(adapter, decoder, frozenset(), POWERMIC_RECORD)  # record held down
    qtbot.waitUntil(lambda: workflow.dictation.session is not None, timeout=10_000)
    assert workflow.dictation.session.hands_free is False
    session = workflow.dictation.session
    heard_before = session.capture.captured_bytes
    speech = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    pulse_mic.play(speech)
    pulse_mic.play(np.zeros(8000, np.int16))  # the reader lets go after the last word
    assert pulse_mic.wait_played(30)
    # Released once the words have reached the app (the microphone runs in real time; a
    # release before that would cut the last word, as a hand microphone does).
    qtbot.waitUntil(lambda: session.capture.captured_bytes - heard_before
                    >= 2 * (len(speech) + 8000), timeout=15_000)
    state = press(adapter, decoder, state, POWERMIC_IDLE)  # released: the utterance ends
    # (waitUntil needs a bool: a None returned counts as done at once)
    qtbot.waitUntil(lambda: "record_stop" in adapter.performed
                    and bool(form.values().get("recommendations"))
                    and not workflow.dictation.partial.text(), timeout=30_000)
    dictated = form.values()["recommendations"]
    assert word_error_rate(DIGITS, dictated) <= 0.3, dictated
    assert adapter.performed[:2] == ["record_start", "record_stop"]

    # Speech while the button is up is not dictated.
    before = form.values()["recommendations"]
    pulse_mic.play(read_audio(shared_data / "speech" / "digits-en-16k.wav")[:16000 * 3])
    pulse_mic.play(np.zeros(8000, np.int16))
    assert pulse_mic.wait_played(30)
    qtbot.wait(1000)
    assert form.values()["recommendations"] == before

    press(adapter, decoder, state, POWERMIC_SKIP_FORWARD)
    qtbot.waitUntil(lambda: form.current_key() != "recommendations", timeout=5_000)


def test_the_microphone_transport_seeks_within_the_playback(station, qtbot):
    from dictation.recording import DictationRecording
    from tests.app.test_playback import RecordingPlayer

    workflow, adapter = station
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    player.last = DictationRecording(np.zeros(10 * 16000, np.int16))
    adapter.controller.on_action("play")
    qtbot.waitUntil(lambda: player.sounded == [(0.0, 10.0)], timeout=2_000)
    player.now += 4.0
    adapter.controller.on_action("rewind")  # -3 s, playing on
    qtbot.waitUntil(lambda: len(player.sounded) == 2, timeout=2_000)
    assert player.sounded[-1] == (1.0, 10.0)
    adapter.controller.on_action("fast_forward")  # +3 s
    qtbot.waitUntil(lambda: len(player.sounded) == 3, timeout=2_000)
    assert player.sounded[-1] == (4.0, 10.0)
    adapter.controller.on_action("play")  # play again: pause
    qtbot.waitUntil(lambda: not player.playing, timeout=2_000)
    assert adapter.performed[-4:] == ["play", "rewind", "fast_forward", "play"]


def test_a_locked_station_ignores_the_microphone_buttons(station, qtbot):
    from app.shell.lock import IdleLock

    workflow, adapter = station
    lock = IdleLock(workflow.window, timeout_ms=0)
    adapter.blocked = lambda: lock.locked
    used, messages = [], []
    adapter.activity.connect(lambda: used.append(1))
    adapter.status.connect(messages.append)
    form = workflow.report.form
    form.focus_field("recommendations")
    lock.lock()
    adapter._perform("next_field")
    adapter._perform("sign_report")
    assert form.current_key() == "recommendations" and adapter.performed == []
    assert len(used) == 2 and "locked" in messages[-1]
    lock.unlock()
    adapter._perform("next_field")
    assert form.current_key() != "recommendations" and adapter.performed == ["next_field"]


def test_keyboard_keys_of_the_mapping_drive_the_controller(station, qtbot):
    from PySide6.QtCore import Qt

    workflow, adapter = station
    window = workflow.window
    adapter.watch_keyboard(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=5000)
    form = workflow.report.form
    form.focus_field("recommendations")
    qtbot.keyClick(form.editors["recommendations"], Qt.Key.Key_F6)  # next field
    qtbot.waitUntil(lambda: form.current_key() != "recommendations", timeout=5000)
    target = form.current_key()
    qtbot.keyPress(form.editors[target], Qt.Key.Key_F4)  # push-to-talk: held down...
    qtbot.waitUntil(lambda: workflow.dictation.session is not None, timeout=10_000)
    qtbot.keyRelease(form.editors[target], Qt.Key.Key_F4)  # ...and let go
    qtbot.waitUntil(lambda: "record_stop" in adapter.performed, timeout=5000)
    assert adapter.performed == ["next_field", "record_start", "record_stop"]


def test_default_controller_keys_do_not_clash_with_the_menus(station, qtbot):
    from PySide6.QtWidgets import QDialog

    from app.settings_dialog import SettingsDialog

    workflow, _ = station
    dialog = SettingsDialog(workflow.window.settings, workflow.window.actions, workflow.window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()  # defaults as shipped must save
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
