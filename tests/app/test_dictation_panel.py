"""The dictation adapter: partial text previewed at the cursor, finals, field commands.

Events are delivered as the recogniser thread delivers them (the session itself is exercised
with a real microphone in tests/app/test_reading_workflow.py and tests/dictation)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QLabel

from app.panels.dictation_panel import DictationPanel
from app.panels.protocol_form import GrowingText, ProtocolForm
from dictation.commands import Command
from dictation.session import DictationEvent
from records.protocol import load_protocol


def _shown_panel(qtbot, spill: bool = False) -> DictationPanel:
    """The panel on the protocol's form (``spill``: with the additional text that takes
    words fitting no value), shown."""
    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    if spill:
        form.add_text_field("free_text", "Additional text", GrowingText(), spill=True)
    widget = DictationPanel(form, session_factory=None)
    qtbot.addWidget(form)
    qtbot.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    return widget


@pytest.fixture
def panel(qtbot):
    return _shown_panel(qtbot)


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


def test_a_dictated_value_of_near_opposite_meaning_is_announced_for_checking(panel, qtbot):
    """Dynamics by voice: the value is set, marked, and the status bar says to check it."""
    messages = []
    panel.message.connect(messages.append)
    panel.form.focus_field("dynamics")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="Regression."))
    assert panel.form.values()["dynamics"] == "regression"
    assert panel.form.to_check() == {"dynamics": "regression"}
    assert messages and "check this value" in messages[-1] and "“progression”" in messages[-1]


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

    from app.shell.lock import IdleLock

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


def test_final_text_goes_to_the_field_it_was_dictated_into(panel, qtbot):
    """Focus moves on while the recogniser still works on the last words: they land where
    they were spoken; what is said after the move lands in the new field."""
    markers: list[str] = []
    form = panel.form
    form.focus_field("conclusion")
    panel._retarget()
    panel.session = type("Session", (), {"new_field": lambda self: markers.append("f")})()
    form.focus_field("recommendations")
    panel._retarget()  # what a click on the field does (focusChanged)
    assert markers == ["f"]
    deliver(panel, qtbot, DictationEvent("partial", text="bilateral"))
    assert form.values().get("recommendations") is None
    deliver(panel, qtbot, DictationEvent("final", text="Bilateral opacities."))
    deliver(panel, qtbot, DictationEvent("field"))  # the session reached the switch
    deliver(panel, qtbot, DictationEvent("final", text="Follow up in a month."))
    panel.session = None
    assert form.values()["conclusion"] == "Bilateral opacities."
    assert form.values()["recommendations"] == "Follow up in a month."


def test_a_real_session_keeps_late_words_in_their_field(qtbot, luch_home, shared_data):
    import threading

    import numpy as np

    from dictation.transcribe import read_audio
    from tests.app.test_word_audio import RATE, make_station

    digits = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    utterance = np.concatenate([digits, np.zeros(RATE, np.int16)])
    fed, moved = threading.Event(), threading.Event()

    class TwoUtterances:
        """The reader says the digits, clicks the next field, says them again."""

        level = -60.0

        def __init__(self, queue) -> None:
            self.queue = queue
            self.thread = threading.Thread(target=self._feed, daemon=True)

        def start(self) -> None:
            self.thread.start()

        def _feed(self) -> None:
            for part, after in ((utterance, fed), (utterance, None)):
                data = part.tobytes()
                for at in range(0, len(data), RATE // 5):
                    self.queue.put(data[at : at + RATE // 5])
                if after is not None:
                    after.set()
                    moved.wait(10)

        def stop(self) -> None:
            self.thread.join(10)

    _, workflow = make_station(qtbot)
    factory = workflow.dictation._factory

    def session_factory(on_event, hands_free=True):
        session = factory(on_event=on_event, hands_free=hands_free)
        session.capture = TwoUtterances(session.queue)
        return session

    workflow.dictation._factory = session_factory
    form = workflow.report.form
    form.focus_field("conclusion")
    workflow.dictation.start()
    assert fed.wait(10)
    form.focus_field("recommendations")  # while the first digits are still being recognised
    workflow.dictation._retarget()
    moved.set()
    qtbot.waitUntil(lambda: len(form.values().get("recommendations") or "") > 20,
                    timeout=60_000)
    workflow.dictation.stop()
    qtbot.wait(300)
    first, second = form.values()["conclusion"], form.values()["recommendations"]
    assert len(first) > 20 and first.split()[:3] == second.split()[:3], (first, second)


def test_a_revised_early_final_replaces_the_value_it_placed(panel, qtbot):
    """A number said with a pause inside ("two ... point five") comes as an early final,
    then a revision of the whole utterance: the field takes the revised number, not its
    tail."""
    from dictation.results import Result

    form = panel.form
    form.focus_field("involvement_right_percent")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="10"))
    deliver(panel, qtbot, DictationEvent(
        "final", text="10 2", result=Result("two", final=True, tentative=True)))
    assert form.values()["involvement_right_percent"] == 2.0
    deliver(panel, qtbot, DictationEvent(
        "final", text="10 2.5", revises=True,
        result=Result("two point five", final=True, revises=True)))
    assert form.values()["involvement_right_percent"] == 2.5
    deliver(panel, qtbot, DictationEvent("final", text="10 2.5 30"))
    assert form.values()["involvement_right_percent"] == 30.0


def test_text_typed_after_choosing_the_field_survives_its_dictation(panel, qtbot):
    form = panel.form
    form.focus_field("conclusion")
    panel._retarget()  # the field is chosen (its text is empty now)...
    form.editors["conclusion"].insertPlainText("Typed while the reader thinks.")  # ...then typed
    deliver(panel, qtbot, DictationEvent("partial", text="no effusion"))
    deliver(panel, qtbot, DictationEvent("final", text="No effusion."))
    assert form.values()["conclusion"] == "Typed while the reader thinks. No effusion."


def test_the_panel_says_where_it_wrote_each_final(panel, qtbot):
    """Text fields: the field, and where the transcript sits in its text; value fields and
    no field: nothing (no words to link)."""
    form = panel.form
    written = []
    panel.written.connect(lambda event, key, offset, length, _skip:
                          written.append((event.text, key, offset, length)))
    form.focus_field("conclusion")
    panel._retarget()
    form.editors["conclusion"].insertPlainText("Typed.")
    deliver(panel, qtbot, DictationEvent("final", text="No effusion"))
    deliver(panel, qtbot, DictationEvent("final", text="No effusion. Clear lungs"))
    text = form.values()["conclusion"]
    assert written == [("No effusion", "conclusion", 7, 11),
                       ("No effusion. Clear lungs", "conclusion", 7, 24)]
    assert text[7:7 + 24] == "No effusion. Clear lungs"
    form.focus_field("involvement_right_percent")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="35%"))
    assert len(written) == 2 and form.values()["involvement_right_percent"] == 35.0


def test_a_confirmed_early_final_stands_and_says_where_it_is(panel, qtbot):
    """An early final confirmed as shown changes no text; the panel says again where it
    stands (its words now have exact times) and a later final no longer replaces it."""
    from dictation.results import Result

    form = panel.form
    written = []
    panel.written.connect(lambda event, key, offset, length, _skip:
                          written.append((event.kind, key, offset, length)))
    form.focus_field("conclusion")
    panel._retarget()
    form.editors["conclusion"].insertPlainText("Typed.")
    deliver(panel, qtbot, DictationEvent(
        "final", text="Clear lungs", result=Result("clear lungs", final=True, tentative=True)))
    deliver(panel, qtbot, DictationEvent(
        "confirmed", text="Clear lungs", result=Result("clear lungs", final=True, revises=True)))
    assert form.values()["conclusion"] == "Typed. Clear lungs"
    assert written == [("final", "conclusion", 7, 11), ("confirmed", "conclusion", 7, 11)]
    deliver(panel, qtbot, DictationEvent("final", text="Clear lungs. No effusion",
                                         revises=True))
    assert form.values()["conclusion"] == "Typed. Clear lungs. No effusion"


def test_an_unconfirmed_command_is_told_not_run(panel, qtbot):
    seen, messages = [], []
    panel.command.connect(lambda name, arg: seen.append(name))
    panel.message.connect(messages.append)
    deliver(panel, qtbot, DictationEvent("unconfirmed", text="sign report",
                                         commands=(Command("sign_report"),)))
    assert seen == [] and "not run" in messages[-1] and "sign report" in messages[-1]


class _Session:
    """A session as the panel sees it (start, stop, recording); its events are sent by hand."""

    recognizer = None

    def __init__(self, on_event) -> None:
        from types import SimpleNamespace

        self.on_event = on_event
        self.capture = SimpleNamespace(level=-60.0)

    def start(self) -> None: ...

    def stop(self) -> None: ...

    def new_field(self) -> None: ...

    def recording(self):
        from types import SimpleNamespace

        return SimpleNamespace(duration=0.0)


def _panel_with_sessions(qtbot, lang: str = "en"):
    """A form and a panel whose sessions are :class:`_Session` (listed as they start)."""
    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), lang)
    sessions: list[_Session] = []

    def factory(on_event, hands_free=True):
        sessions.append(_Session(on_event))
        return sessions[-1]

    panel = DictationPanel(form, session_factory=factory)
    qtbot.addWidget(form)
    qtbot.addWidget(panel)
    return form, panel, sessions


def test_a_stopped_sessions_late_final_stays_in_its_field_and_is_not_doubled(qtbot):
    """A session's last events arrive after it stopped. Dictation started again meanwhile
    (the microphone watchdog stopped it on a loaded box and the reader pressed Dictate):
    on main the late final was written after the text again, doubling it (the reading-day
    test's 'flake': '... 8 0 sir cyril one eight zero see 1 0 0 0 1 ... 8 0 3')."""
    from dictation.results import Result

    form, panel, sessions = _panel_with_sessions(qtbot)
    form.show()
    form.focus_field("conclusion")
    panel.start()
    first = sessions[0]
    first.on_event(DictationEvent("final", text="one two three",
                                  result=Result("one two three", True, tentative=True)))
    # words after a tentative final: the utterance heard again from its start
    first.on_event(DictationEvent("partial", text="one two three four"))
    first.on_event(DictationEvent("error", text="the microphone stopped delivering audio"))
    qtbot.waitUntil(lambda: panel.session is None)
    assert form.values()["conclusion"] == "one two three four"  # the live preview
    panel.start()  # dictating again at once
    first.on_event(DictationEvent("final", text="one two four", revises=True,
                                  result=Result("one two four", True, revises=True)))
    first.on_event(DictationEvent("error", text="a late error of the old session"))
    qtbot.wait(20)
    assert form.values()["conclusion"] == "one two four"
    assert panel.session is sessions[1], "the old session's error stopped the new one"
    sessions[1].on_event(DictationEvent("final", text="five", result=Result("five", True)))
    qtbot.waitUntil(lambda: form.values()["conclusion"] == "one two four five")


def test_a_signed_report_takes_no_dictation(panel, qtbot):
    """Dictation does not start on a signed (read-only) report, and words still in flight
    when it was signed are not written into it; the reader is told to add an addendum."""
    messages = []
    panel.message.connect(messages.append)
    form = panel.form
    form.focus_field("conclusion")
    form.set_value("conclusion", "Signed text.")
    panel._retarget()
    form.set_read_only(True)
    deliver(panel, qtbot, DictationEvent("partial", text="late words"))
    deliver(panel, qtbot, DictationEvent("final", text="Late words."))
    assert form.values()["conclusion"] == "Signed text."
    assert messages and "addendum" in messages[-1]
    started = []
    panel._factory = lambda **_kw: started.append(1)  # would open the microphone
    panel.start()
    assert not started and panel.session is None and not panel.record.isChecked()
    assert "addendum" in messages[-1]


class _Quiet:
    """A session that starts and hears nothing (the words are delivered by the test)."""

    capture = type("Capture", (), {"level": -60.0})()

    def __init__(self, on_event, hands_free=True) -> None:
        self.on_event = on_event

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def new_field(self) -> None:
        pass

    def recording(self):
        return type("Recording", (), {"duration": 0.0})()


@pytest.mark.parametrize("earlier", [None, "conclusion"])
def test_dictation_started_from_the_images_writes_into_a_field(qtbot, earlier):
    """F9 with the keys on the images (or on the report text below the form) wrote the
    words nowhere: "Choose a field to dictate into" (walkthrough). They go to the field
    being filled, else the last text field, which is highlighted as dictated into."""
    from PySide6.QtWidgets import QLineEdit

    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    panel = DictationPanel(form, _Quiet)
    images = QLineEdit()  # stands for the viewer, outside the form
    for w in (form, panel, images):
        qtbot.addWidget(w)
        w.show()
    if earlier:
        form.focus_field(earlier)
    form.editors[earlier or "conclusion"].clearFocus()  # the keys went to the images
    images.setFocus()
    assert form.current_key() is None
    messages = []
    panel.message.connect(messages.append)
    panel.record.click()
    expected = earlier or list(form.text_editors())[-1]
    assert form.current == expected
    deliver(panel, qtbot, DictationEvent("final", text="Bilateral opacities."))
    assert form.values()[expected] == "Bilateral opacities." and messages == []
    panel.stop()


def test_a_long_sentence_in_progress_never_widens_the_panel(qtbot):
    """The words in progress stand on one line beside the Dictate button: a long Russian
    sentence widened the report panel over the images (the viewer shrank to 190 px). The line
    shows the newest words; once dictation stops it is cleared, not left for the next study."""
    form, panel, sessions = _panel_with_sessions(qtbot, "ru")
    panel.resize(360, 30)
    panel.show()
    qtbot.waitExposed(panel)
    narrow = panel.sizeHint().width()
    form.focus_field("conclusion")
    panel.start()
    words = "через несколько лет путешествие на марс будет не более сложно чем перелёт " * 3
    sessions[0].on_event(DictationEvent("partial", text=words.strip()))
    qtbot.waitUntil(lambda: panel.partial.text() == words.strip())
    assert panel.sizeHint().width() == narrow and panel.minimumSizeHint().width() < 360
    shown = panel.partial.fontMetrics().horizontalAdvance(
        QLabel.text(panel.partial))  # what is drawn fits the line
    assert shown <= panel.partial.width() and QLabel.text(panel.partial).endswith("перелёт")
    panel.stop()
    sessions[0].on_event(DictationEvent("partial", text="поздние слова"))
    qtbot.wait(20)
    assert panel.partial.text() == ""


def test_words_after_a_tentative_final_stand_in_its_place_not_after_it(panel, qtbot):
    """Through the real microphone at a loaded station the field read "Solterry nodule in
    the left lower lobe, no ground-glass opacities. So, the terry nodule in the left lower
    lobe, no ground-glass opacities, no plural effusion.": the engine hears the utterance
    again from its start after a tentative final, and the preview was put after it."""
    from dictation.results import Result

    form = panel.form
    form.focus_field("conclusion")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="Nodule in the left lobe.", result=Result(
        "Nodule in the left lobe.", True, tentative=True)))
    deliver(panel, qtbot, DictationEvent("partial", text="nodule in the left lobe, no effusion"))
    assert form.values()["conclusion"] == "nodule in the left lobe, no effusion"
    deliver(panel, qtbot, DictationEvent(
        "final", text="Nodule in the left lobe, no effusion.", revises=True,
        result=Result("Nodule in the left lobe, no effusion.", True, revises=True)))
    assert form.values()["conclusion"] == "Nodule in the left lobe, no effusion."
    deliver(panel, qtbot, DictationEvent("partial", text="next"))  # a new utterance: after it
    assert form.values()["conclusion"] == "Nodule in the left lobe, no effusion. next"


class _Hears:
    """Below the engine seam: each SAY block ends an utterance, the next phrase as a final."""

    SAY = b"\x01\x00" * 160

    def __init__(self, phrases):
        self.phrases = phrases

    def accept(self, pcm):
        from dictation.results import Result, Word

        if pcm != self.SAY or not self.phrases:
            return []
        words = self.phrases.pop(0).split()
        return [Result(" ".join(words), True,
                       tuple(Word(w, n * 0.3, n * 0.3 + 0.25, 1.0) for n, w in enumerate(words)))]

    def finish(self):
        return None

    def close(self):
        pass


@pytest.mark.parametrize("busy", [False, True])
def test_words_after_a_spoken_field_move_go_to_the_new_field(qtbot, busy):
    """«перейти к полю заключение», then the conclusion: the words after the command are
    the conclusion's even when the app handles the command late (a busy UI thread, or a
    busy box: the recogniser runs ahead of it), as in the walkthrough where the start of
    the conclusion was left in «Дополнительный текст»."""
    from dictation.session import DictationSession
    from dictation.transcript import DictationProcessor

    phrases: list[str] = []
    sessions: list = []

    class QueueSession(DictationSession):
        def start(self):
            self.start_recogniser()

    def factory(on_event, hands_free=True):
        sessions.append(QueueSession(_Hears(phrases), DictationProcessor("en"), on_event))
        return sessions[-1]

    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "en")
    panel = DictationPanel(form, factory)
    qtbot.addWidget(form)
    qtbot.addWidget(panel)
    form.show()
    qtbot.waitExposed(form)
    form.focus_field("conclusion")
    panel.start()
    try:
        phrases += ["viral pneumonia unlikely", "go to field recommendations",
                    "follow up in one year", "previous field", "no effusion"]
        for _ in phrases[:]:
            sessions[0].queue.put(_Hears.SAY)
            if not busy:
                qtbot.wait(50)
        if busy:  # the UI thread is held while all five utterances are recognised
            deadline = time.monotonic() + 5
            while phrases and time.monotonic() < deadline:
                time.sleep(0.05)
        qtbot.waitUntil(lambda: "effusion" in form.values().get("conclusion", "").lower(),
                        timeout=5000)
    finally:
        panel.stop()
    conclusion, recommendations = (form.values().get(k, "").lower() for k in
                                   ("conclusion", "recommendations"))
    assert "viral pneumonia unlikely" in conclusion and "no effusion" in conclusion
    assert "follow up in one year" in recommendations
    assert "follow" not in conclusion and "pneumonia" not in recommendations
    assert "effusion" not in recommendations


def test_words_that_fit_no_value_are_kept_in_the_additional_text(qtbot, luch_home):
    """Walkthrough (LIDC-IDRI-0001, English): "go to field additional findings", then "solid
    nodule in the left lower lobe measuring 25 millimeters": the list took nothing, the
    status bar said so for 20 s, and the finding was in no field. Now it goes to the
    additional text, said so; a revised early final replaces its words, not adds them."""
    from app.panels.report_panel import FREE_TEXT, ReportPanel
    from dictation.results import Result
    from records import open_store

    report = ReportPanel(open_store(), load_protocol("moscow-chest-ct-covid"), "reader", "en", "en")
    panel = DictationPanel(report.form, session_factory=None)
    qtbot.addWidget(report)
    qtbot.addWidget(panel)
    report.show()
    report.begin("1.2.826.0.1.3680043.8.498.1")
    form = report.form
    said: list[str] = []
    panel.message.connect(said.append)
    form.focus_field("additional_findings")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent(
        "final", text="Solid nodule in the left lower,",
        result=Result("solid nodule in the left lower", final=True, tentative=True)))
    deliver(panel, qtbot, DictationEvent(
        "final", text="Solid nodule in the left lower lobe measuring 25 millimeters.",
        revises=True, result=Result("solid nodule", final=True, revises=True)))
    free = form.editors[FREE_TEXT].toPlainText()
    assert free == "Solid nodule in the left lower lobe measuring 25 millimeters."
    assert "does not fit this field: added to" in said[-1] and "Additional text" in said[-1]
    assert form.values().get("additional_findings") is None
    deliver(panel, qtbot, DictationEvent(
        "final", text="Solid nodule in the left lower lobe measuring 25 millimeters. "
                      "Pleural effusion."))
    assert form.values()["additional_findings"] == ["effusion"]
    assert form.editors[FREE_TEXT].toPlainText() == free


def _said(panel, qtbot, processor, text: str) -> None:
    """``text`` heard as one final: the session's processor makes its commands and the
    field's transcript, and the panel gets the event as the session sends it."""
    from dictation.results import Result

    done = processor.process(Result(text, final=True))
    deliver(panel, qtbot, DictationEvent("final", text=processor.transcript.text,
                                         commands=done.commands))


@pytest.fixture
def spilling(qtbot):
    """A panel over a form with the report's additional text (words fitting no value go
    there)."""
    return _shown_panel(qtbot, spill=True)


def test_a_near_deleting_command_says_what_it_deleted_and_undo_brings_it_back(spilling, qtbot):
    """"worsening" was heard "Last sentence." (a part of "delete last sentence"): text. A
    near word ("Delete world.") deletes the last word, as it did before h17, but the status
    says what went and "undo that" brings it back; in Dynamics the words go to the
    additional text."""
    from dictation.transcript import DictationProcessor

    panel, form = spilling, spilling.form
    processor = DictationProcessor("en")
    messages: list[str] = []
    panel.message.connect(messages.append)
    form.focus_field("conclusion")
    panel._retarget()
    _said(panel, qtbot, processor, "No pleural effusion.")
    _said(panel, qtbot, processor, "Heart size normal.")
    _said(panel, qtbot, processor, "Last sentence.")
    text = form.values()["conclusion"]
    assert text == "No pleural effusion. Heart size normal. Last sentence.", text
    _said(panel, qtbot, processor, "Delete world.")
    assert form.values()["conclusion"] == "No pleural effusion. Heart size normal. Last", \
        form.values()["conclusion"]
    assert "sentence" in messages[-1] and "undo that" in messages[-1], messages
    _said(panel, qtbot, processor, "Undo that.")
    assert form.values()["conclusion"] == text
    assert "sentence" in messages[-1], messages
    form.focus_field("dynamics")
    panel._retarget()
    processor.transcript = type(processor.transcript)()
    _said(panel, qtbot, processor, "Last sentence.")
    assert "dynamics" not in form.values()
    assert "Last sentence" in form.editors["free_text"].toPlainText()
    assert messages and "added to" in messages[-1], messages


def test_the_start_of_two_options_is_said_and_kept(qtbot):
    """«участки уплотнения по типу матового стекла» begins both ground-glass options of
    Main signs: neither is ticked, the status names both, and the words are kept in the
    additional text."""
    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "ru")
    form.add_text_field("free_text", "Дополнительный текст", GrowingText(), spill=True)
    panel = DictationPanel(form, session_factory=None, lang="ru")
    qtbot.addWidget(form)
    qtbot.addWidget(panel)
    form.show()
    messages: list[str] = []
    panel.message.connect(messages.append)
    form.focus_field("main_signs")
    panel._retarget()
    said = "Участки уплотнения по типу матового стекла."
    deliver(panel, qtbot, DictationEvent("final", text=said))
    assert "main_signs" not in form.values()
    assert said in form.editors["free_text"].toPlainText()
    assert messages and "округлой формы" in messages[-1] and "неправильной формы" in \
        messages[-1], messages
    assert "Дополнительный текст" in messages[-1]
    # Said whole, an option is ticked as before.
    deliver(panel, qtbot, DictationEvent(
        "final", text=f"{said} Консолидация."))  # a new part: the consolidation
    form.focus_field("main_signs")
    assert form.insert_text("консолидация")
    assert form.values()["main_signs"] == ["consolidation"]


def test_words_typed_between_dictated_sentences_stay(panel, qtbot):
    """The reader puts a misheard word right by keyboard, or the AI's nodule sentence is
    inserted, and dictation goes on: the next sentence comes after the change and writes
    nothing over it (the dictated text used to be written again whole, undoing the change);
    its words are linked where they stand, the earlier words keep theirs."""
    form = panel.form
    editor = form.editors["conclusion"]
    written = []
    panel.written.connect(lambda event, key, offset, length, skip:
                          written.append((key, offset, length, skip)))
    form.focus_field("conclusion")
    panel._retarget()
    deliver(panel, qtbot, DictationEvent("final", text="No evidence of viral pneumonia."))
    editor.setPlainText(editor.toPlainText().replace("viral", "bacterial"))  # put right
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.insertPlainText(" A solid focus in the right lung.")  # inserted by the app
    deliver(panel, qtbot, DictationEvent("partial", text="A small"))
    assert editor.toPlainText() == ("No evidence of bacterial pneumonia. A solid focus in "
                                    "the right lung. A small")
    deliver(panel, qtbot, DictationEvent(
        "final", text="No evidence of viral pneumonia. A small nodule."))
    text = editor.toPlainText()
    assert text == ("No evidence of bacterial pneumonia. A solid focus in the right lung. "
                    "A small nodule.")
    key, offset, length, skip = written[-1]
    assert key == "conclusion"
    assert text[offset + skip: offset + length] == "A small nodule."
    # an edit while a preview stands: the preview goes, its final follows the edit
    deliver(panel, qtbot, DictationEvent("partial", text="Follow"))
    editor.setPlainText(editor.toPlainText().replace("small", "tiny"))
    deliver(panel, qtbot, DictationEvent(
        "final", text="No evidence of viral pneumonia. A small nodule. Follow up."))
    assert editor.toPlainText() == ("No evidence of bacterial pneumonia. A solid focus in the "
                                    "right lung. A tiny nodule. Follow up.")
    # a sentence Whisper went on without a full stop starts one after the edit's
    editor.setPlainText(editor.toPlainText() + " Typed.")
    deliver(panel, qtbot, DictationEvent(
        "final", text="No evidence of viral pneumonia. A small nodule. Follow up. it grows."))
    assert editor.toPlainText().endswith("Follow up. Typed. It grows.")
    deliver(panel, qtbot, DictationEvent(
        "final", text="No evidence of viral pneumonia. A small nodule. Follow up."))
    # "scratch that" after an edit takes back only what was dictated after it
    deliver(panel, qtbot, DictationEvent(
        "final", text="No evidence of viral pneumonia. A small nodule."))
    assert editor.toPlainText() == ("No evidence of bacterial pneumonia. A solid focus in the "
                                    "right lung. A tiny nodule. Follow up. Typed.")


def test_undo_heard_while_its_words_stand_as_a_preview_names_only_what_it_took(spilling,
                                                                              qtbot):
    """Seen in X: the live preview held "... left lung undo that" when the undo came, and
    the status quoted "undo that" among the words taken out."""
    from dictation.transcript import DictationProcessor

    panel, form = spilling, spilling.form
    processor = DictationProcessor("en")
    messages: list[str] = []
    panel.message.connect(messages.append)
    form.focus_field("conclusion")
    panel._retarget()
    _said(panel, qtbot, processor, "No evidence of pneumonia.")
    _said(panel, qtbot, processor, "A small nodule in the left lung.")
    deliver(panel, qtbot, DictationEvent("partial", text="undo that"))
    _said(panel, qtbot, processor, "Undo that.")
    assert form.values()["conclusion"] == "No evidence of pneumonia."
    assert messages[-1] == "Undone: “A small nodule in the left lung.” taken out", messages
