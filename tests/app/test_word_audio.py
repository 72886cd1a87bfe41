"""Click a dictated word, hear it: real speech is recognised into a protocol field, then a
Ctrl+click or the keyboard asks the player for exactly that word's stretch of the audio.

Speech comes from ../shared/data/speech/digits-en-16k.wav through the real PocketSphinx
engine and the real dictation session; only the microphone is a file (below the audio-input
seam; the real microphone path is in test_dictated_word_plays_on_the_output_device) and the
player records what it is asked to sound (below the sounddevice seam).
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from app.playback.player import Player
from app.shell.main_window import MainWindow
from app.workflow import Workflow
from core.settings import Settings
from dictation.engines import create_recognizer
from dictation.engines.base import Recognizer
from dictation.results import Result, Word
from dictation.session import DictationSession
from dictation.transcribe import read_audio
from dictation.transcript import DictationProcessor
from records import open_store
from tests.app.test_playback import RecordingPlayer

UID = "1.2.826.0.1.3680043.10.1.77"
TYPED = "Typed first. "
RATE = 16000


class FileMicrophone:
    """Audio input from samples, faster than real time, into the session's real queue."""

    def __init__(self, queue, samples: np.ndarray) -> None:
        self.queue, self.samples, self.level = queue, samples, -60.0
        self._thread = threading.Thread(target=self._feed, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _feed(self) -> None:
        time.sleep(0.2)  # after the dictation panel has picked its field, as a voice would
        block = RATE // 10 * 2
        data = self.samples.tobytes()
        for at in range(0, len(data), block):
            self.queue.put(data[at : at + block])

    def stop(self) -> None:
        self._thread.join(5)


def make_station(qtbot, samples: np.ndarray | None = None, microphone=None,
                 recognizer=lambda: create_recognizer("pocketsphinx")):
    def session_factory(on_event, hands_free=True):
        session = DictationSession(recognizer(), DictationProcessor("en"),
                                   on_event, device=microphone, hands_free=hands_free)
        if samples is not None:
            session.capture = FileMicrophone(session.queue, samples)
        sessions.append(session)
        return session

    sessions: list[DictationSession] = []

    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), "dr.a", ui_lang="en", report_lang="en",
                        session_factory=session_factory)
    workflow.sessions = sessions
    workflow.study_uid = UID
    workflow.report.begin(UID)
    window.show()
    qtbot.waitExposed(window)
    return window, workflow


@pytest.fixture
def speech(shared_data: Path) -> np.ndarray:
    samples = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    return np.concatenate([samples, np.zeros(RATE, np.int16)])  # a pause ends the utterance


@pytest.fixture
def dictated(qtbot, luch_home, speech):
    """A station where the digits were dictated into "recommendations" after typed text."""
    window, workflow = make_station(qtbot, speech)
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    form = workflow.report.form
    form.focus_field("recommendations")
    form.editors["recommendations"].insertPlainText(TYPED)
    workflow.dictation.start()
    qtbot.waitUntil(lambda: len(form.values().get("recommendations", "")) > 30,
                    timeout=60_000)
    kept = threading.Event()
    workflow.dictation.recorded.connect(lambda *_: kept.set())
    workflow.dictation.stop()
    assert kept.is_set()
    qtbot.wait(200)  # the last finals arrive after the stop
    yield window, workflow, player
    workflow.dictation.stop()


def said(workflow, k: int):
    """When the k-th dictated word of the field was said: its time in the session's
    transcript, which must be that of words recognised in the kept recording."""
    span = workflow.sessions[-1].processor.transcript.render()[1][k]
    words = workflow.player.last.words
    assert any(w.start == pytest.approx(span.start) for w in words)
    assert any(w.end == pytest.approx(span.end) for w in words)
    return span


def word_positions(text: str, typed: str = TYPED) -> list[int]:
    """Where each dictated word starts (the words after the typed text)."""
    skip = len(typed) if text.startswith(typed) else 0
    return [skip + m.start() for m in re.finditer(r"\S+", text[skip:])]


def ctrl_click(qtbot, editor, position: int) -> None:
    """A Ctrl+click on the middle of the character at ``position``."""
    cursor = editor.textCursor()
    cursor.setPosition(position)
    left = editor.cursorRect(cursor).center()
    cursor.setPosition(position + 1)
    right = editor.cursorRect(cursor).center()
    point = QPoint((left.x() + right.x()) // 2, left.y())
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.ControlModifier, point)


def put_cursor(editor, position: int) -> None:
    cursor = editor.textCursor()
    cursor.setPosition(position)
    editor.setTextCursor(cursor)
    editor.setFocus()


def test_ctrl_click_on_a_dictated_word_plays_that_word(dictated, qtbot):
    _, workflow, player = dictated
    editor = workflow.report.form.editors["recommendations"]
    text = editor.toPlainText()
    assert text.startswith(TYPED + "1 0 0 0 1"), text
    recording = player.last
    assert recording is not None and len(recording.words) >= 12
    third = word_positions(text)[2]
    ctrl_click(qtbot, editor, third)
    spoken = said(workflow, 2)
    assert player.sounded == [(pytest.approx(max(0.0, spoken.start - 0.1), abs=2e-3),
                               pytest.approx(spoken.end + 0.1, abs=2e-3))]
    start, end = player.sounded[0]
    clip = recording.samples[int(start * RATE) : int(end * RATE)]
    quiet = recording.samples[: RATE // 2]
    assert np.abs(clip.astype(float)).mean() > 3 * np.abs(quiet.astype(float)).mean()
    ctrl_click(qtbot, editor, 2)  # typed text has no audio: nothing plays
    assert len(player.sounded) == 1
    assert "Ctrl+click" in editor.toolTip()


def test_word_links_follow_edits_in_the_field(dictated, qtbot):
    _, workflow, player = dictated
    editor = workflow.report.form.editors["recommendations"]
    put_cursor(editor, 0)
    qtbot.keyClicks(editor, "Note. ")  # typing before the words shifts them
    text = editor.toPlainText()
    digits = word_positions(text, "Note. " + TYPED)
    # Dictated words are marked (dotted underline) where they now are; typed text is not.
    marks = [(m.cursor.selectionStart(), m.cursor.selectionEnd())
             for m in editor.extraSelections()]
    assert [a for a, _ in marks] == digits
    assert all(text[a:b] and " " not in text[a:b] for a, b in marks)
    ctrl_click(qtbot, editor, digits[3])
    fourth = said(workflow, 3)
    assert player.sounded[-1][0] == pytest.approx(max(0.0, fourth.start - 0.1), abs=2e-3)
    # Overtype the fourth digit: that word loses its audio, its neighbours keep theirs.
    put_cursor(editor, digits[3] + 1)
    qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, "7")
    played = len(player.sounded)
    ctrl_click(qtbot, editor, digits[3])
    assert len(player.sounded) == played
    ctrl_click(qtbot, editor, digits[4])
    assert player.sounded[-1][0] == pytest.approx(
        max(0.0, said(workflow, 4).start - 0.1), abs=2e-3)


def test_the_keyboard_plays_the_word_at_the_cursor_and_the_transport_seeks(dictated, qtbot):
    window, workflow, player = dictated
    editor = workflow.report.form.editors["recommendations"]
    recording = player.last
    digits = word_positions(editor.toPlainText())
    put_cursor(editor, digits[5])
    window.activateWindow()
    qtbot.keyClick(editor, Qt.Key.Key_F10, Qt.KeyboardModifier.ControlModifier)  # the shortcut
    sixth = said(workflow, 5)
    assert player.sounded[-1] == (pytest.approx(sixth.start - 0.1, abs=2e-3),
                                  pytest.approx(sixth.end + 0.1, abs=2e-3))
    player.now += 1.0  # the word has played out
    window.actions["play-dictation"].trigger()  # F10 on a word: from it to the end
    assert player.sounded[-1] == (pytest.approx(sixth.start - 0.1, abs=2e-3),
                                  pytest.approx(recording.duration, abs=2e-3))
    player.now += 1.0
    window.actions["play-dictation"].trigger()  # F10 again: pause
    assert not player.playing
    paused = player.position()
    assert paused == pytest.approx(sixth.start - 0.1 + 1.0, abs=2e-3)
    window.actions["forward-dictation"].trigger()  # Ctrl+F12: +3 s, still paused
    assert player.position() == pytest.approx(paused + 3.0)
    window.actions["play-dictation"].trigger()  # F10: resumes there, not at the word
    assert player.sounded[-1][0] == pytest.approx(paused + 3.0)
    player.now += 0.5
    window.actions["rewind-dictation"].trigger()  # Ctrl+F11: -3 s while playing
    assert player.sounded[-1][0] == pytest.approx(paused + 0.5)
    assert "Playback at" in window.statusBar().currentMessage()


def test_word_links_survive_a_restart(dictated, qtbot):
    _, workflow, player = dictated
    editor = workflow.report.form.editors["recommendations"]
    digits = word_positions(editor.toPlainText())
    ctrl_click(qtbot, editor, digits[1])
    before = player.sounded[-1]
    workflow.report.save_now()  # the autosave (draft + word links)
    # A new station process: the draft is restored and so are its word links.
    _, again = make_station(qtbot)
    player2 = RecordingPlayer()
    again.player = again.words.player = player2
    editor2 = again.report.form.editors["recommendations"]
    assert editor2.toPlainText() == editor.toPlainText()
    ctrl_click(qtbot, editor2, digits[1])
    assert player2.sounded == [before]  # the same stretch, from the kept FLAC
    assert player2.programme.recording.duration == pytest.approx(player.last.duration)


def test_no_output_device_is_told_in_the_status_bar(dictated, qtbot):
    window, workflow, _ = dictated
    workflow.player = workflow.words.player = Player(device="no such loudspeaker")
    editor = workflow.report.form.editors["recommendations"]
    ctrl_click(qtbot, editor, word_positions(editor.toPlainText())[0])
    assert "Cannot play the dictation" in window.statusBar().currentMessage()
    window.actions["play-dictation"].trigger()
    assert "Cannot play the dictation" in window.statusBar().currentMessage()


def test_dictated_word_plays_on_the_output_device(qtbot, luch_home, pulse_mic, shared_data):
    """The whole path for real: microphone (PulseAudio pipe source) -> recogniser -> field
    -> Ctrl+click -> sounddevice output (the null sink)."""
    window, workflow = make_station(qtbot, microphone=pulse_mic.device)
    workflow.player = workflow.words.player = Player(device="pulse")
    form = workflow.report.form
    form.focus_field("recommendations")
    workflow.dictation.start()
    pulse_mic.play(read_audio(shared_data / "speech" / "digits-en-16k.wav"))
    pulse_mic.play(np.zeros(RATE, np.int16))
    assert pulse_mic.wait_played(30)
    qtbot.waitUntil(lambda: len(form.values().get("recommendations", "")) > 20,
                    timeout=30_000)
    workflow.dictation.stop()
    qtbot.waitUntil(lambda: workflow.player.last is not None, timeout=10_000)  # kept
    qtbot.wait(300)
    editor = form.editors["recommendations"]
    ctrl_click(qtbot, editor, word_positions(editor.toPlainText())[0])
    player = workflow.player
    assert player.playing, window.statusBar().currentMessage()
    first = said(workflow, 0)
    assert player.programme.start == pytest.approx(max(0.0, first.start - 0.1), abs=2e-3)
    assert player.wait(10)


def test_words_followed_by_a_field_command_stay_with_their_field(qtbot, luch_home):
    """Words and then "next field", both recognised before the UI sees either: the words
    are linked in the field they were written to, not the one that has focus afterwards."""
    _, workflow = make_station(
        qtbot, samples=np.zeros(3 * RATE, np.int16),
        recognizer=lambda: ScriptedRecognizer([("clear", 1.0, 1.4), ("lungs", 1.4, 1.9)],
                                              [("next", 2.0, 2.2), ("field", 2.2, 2.5)]))
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    form = workflow.report.form
    form.focus_field("conclusion")
    workflow.dictation.start()
    qtbot.waitUntil(lambda: form.current_key() != "conclusion", timeout=10_000)
    workflow.dictation.stop()
    editor = form.editors["conclusion"]
    assert editor.toPlainText() == "Clear lungs"
    ctrl_click(qtbot, editor, editor.toPlainText().index("lungs") + 2)
    assert player.sounded == [(1.3, 2.0)]


def test_playing_a_word_stops_hands_free_dictation(qtbot, luch_home):
    """The microphone must not take the loudspeaker's words for the reader's."""
    from dictation.recording import DictationRecording

    window, workflow = make_station(qtbot, samples=np.zeros(RATE, np.int16))
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    form = workflow.report.form
    form.focus_field("conclusion")
    form.editors["conclusion"].setPlainText("Clear lungs")
    workflow.words.kept("session:7", DictationRecording(np.zeros(3 * RATE, np.int16)), None)
    assert workflow.words.placed("session:7", "conclusion", 0, 11,
                                 [(0, 5, 1.0, 1.4), (6, 11, 1.4, 1.9)])
    workflow.dictation.start()  # hands-free, listening to silence
    assert workflow.dictation.session is not None
    ctrl_click(qtbot, form.editors["conclusion"], 1)
    assert workflow.dictation.session is None and not workflow.dictation.record.isChecked()
    assert player.sounded == [(0.9, 1.5)]
    assert "stopped for playback" in window.statusBar().currentMessage()


class ScriptedRecognizer(Recognizer):
    """Below the engine seam: on its first audio, one final per utterance given, each
    utterance words as (word, start s, end s)."""

    def __init__(self, *utterances: list[tuple[str, float, float]]) -> None:
        self.finals = [tuple(Word(w, t0, t1, 0.9) for w, t0, t1 in words)
                       for words in utterances]

    def accept(self, pcm: bytes) -> list[Result]:
        finals, self.finals = self.finals, []
        return [Result(" ".join(w.word for w in words), True, words) for words in finals]

    def finish(self) -> Result | None:
        return None


@pytest.mark.parametrize("meanwhile", ["same words typed in another field",
                                       "the dictated field edited"])
def test_words_are_linked_where_the_panel_wrote_them(qtbot, luch_home, meanwhile):
    """Right after dictation writes a final, before anything else runs, the reader changes
    a field: types the same words into another one, or types on after the dictated words.
    The words are linked in the field they were written to, at the place they were written."""
    from PySide6.QtCore import Qt as QtNs

    _, workflow = make_station(qtbot, samples=np.zeros(3 * RATE, np.int16),
                               recognizer=lambda: ScriptedRecognizer([("clear", 1.0, 1.4),
                                                                      ("lungs", 1.4, 1.9)]))
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    form = workflow.report.form
    conclusion, recommendations = form.editors["conclusion"], form.editors["recommendations"]
    form.focus_field("conclusion")
    conclusion.insertPlainText("Typed. ")
    done: list = []

    def reader_types(event) -> None:  # queued after the panel's own handling of the event
        if event.kind != "final" or done:
            return
        if meanwhile == "same words typed in another field":
            recommendations.setPlainText("Clear lungs")
        else:
            conclusion.moveCursor(conclusion.textCursor().MoveOperation.End)
            conclusion.insertPlainText(" Follow-up")
        done.append(event)

    workflow.dictation._event.connect(reader_types, QtNs.ConnectionType.QueuedConnection)
    workflow.dictation.start()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    qtbot.wait(100)  # anything still queued for this final
    workflow.dictation.stop()
    qtbot.wait(100)
    assert conclusion.toPlainText().startswith("Typed. Clear lungs")
    links = workflow.words.fields
    assert [x.word for x in links["conclusion"].links] == ["Clear", "lungs"]
    assert links["recommendations"].links == []
    ctrl_click(qtbot, conclusion, conclusion.toPlainText().index("lungs") + 2)
    assert player.sounded == [(1.3, 2.0)]
    ctrl_click(qtbot, recommendations, 2)
    assert player.sounded == [(1.3, 2.0)]  # typed words have no audio


class EarlyThenConfirmed(Recognizer):
    """Below the engine seam: "clear lungs" as an early final at a short pause (rough word
    times), then the same words confirmed with their exact times."""

    def __init__(self) -> None:
        rough = (Word("clear", 0.9, 1.3, 0.5), Word("lungs", 1.3, 1.7, 0.5))
        exact = (Word("clear", 1.0, 1.4, 0.9), Word("lungs", 1.4, 1.9, 0.9))
        self.results = [Result("clear lungs", True, rough, tentative=True),
                        Result("clear lungs", True, exact, revises=True)]

    def accept(self, pcm: bytes) -> list[Result]:
        return [self.results.pop(0)] if self.results else []

    def finish(self) -> Result | None:
        return None


def test_confirmed_words_play_at_their_exact_times(qtbot, luch_home):
    _, workflow = make_station(qtbot, samples=np.zeros(3 * RATE, np.int16),
                               recognizer=EarlyThenConfirmed)
    player = RecordingPlayer()
    workflow.player = workflow.words.player = player
    form = workflow.report.form
    form.focus_field("conclusion")
    workflow.dictation.start()
    links = workflow.words.fields["conclusion"]
    qtbot.waitUntil(lambda: [x.t0 for x in links.links] == [1.0, 1.4], timeout=10_000)
    workflow.dictation.stop()
    editor = form.editors["conclusion"]
    assert editor.toPlainText() == "Clear lungs"
    ctrl_click(qtbot, editor, editor.toPlainText().index("lungs") + 2)
    assert player.sounded == [(1.3, 2.0)]
