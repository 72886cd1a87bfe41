"""The signing preview answered by voice and by keys: "sign"/«подписать» sign, "cancel"/
«отмена»/«назад» go back to the report; words said meanwhile are not written anywhere.

The dictation session, its command table and transcript are real; below the engine seam a
recogniser 'hears' the phrase the test says when the test puts a marked audio block into
the session's queue (real speech through the microphone: tests/app/test_reading_e2e_x11.py)."""

from __future__ import annotations

from collections import deque

import pytest
from PySide6.QtCore import Qt

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from core.settings import Settings
from dictation.engines import Recognizer
from dictation.results import Result, Word
from dictation.session import DictationSession
from dictation.transcript import DictationProcessor
from records import open_store
from tests.app.signing import answer_dialog

STUDY = "1.2.826.0.1.3680043.10.1.78"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SAY = b"\x01\x00" * 160  # the block after which the recogniser 'hears' the next phrase


class Hears(Recognizer):
    """Each SAY block ends an utterance: the next phrase the test said, as a final."""

    def __init__(self, phrases: deque[str]) -> None:
        self.phrases = phrases

    def accept(self, pcm: bytes) -> list[Result]:
        if pcm != SAY or not self.phrases:
            return []
        words = self.phrases.popleft().split()
        return [Result(" ".join(words), True,
                       tuple(Word(w, n * 0.3, n * 0.3 + 0.25, 1.0) for n, w in enumerate(words)))]

    def finish(self) -> Result | None:
        return None


class QueueSession(DictationSession):
    """A real session whose audio is what the test puts in its queue (no microphone)."""

    def start(self) -> None:
        self.start_recogniser()


def hearing(lang: str) -> tuple[deque[str], list[QueueSession], object]:
    """The phrases the recogniser will hear, the sessions made, and the session factory."""
    phrases: deque[str] = deque()
    sessions: list[QueueSession] = []

    def factory(on_event, hands_free=True):
        session = QueueSession(Hears(phrases), DictationProcessor(lang), on_event,
                               hands_free=hands_free)
        sessions.append(session)
        return session
    return phrases, sessions, factory


@pytest.fixture(params=["en", "ru"])
def station(request, qtbot, luch_home):
    lang = request.param
    phrases, sessions, factory = hearing(lang)

    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.voice", ui_lang=lang, report_lang=lang,
                        session_factory=factory)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    workflow.report.begin(STUDY)
    workflow.report.form.set_values({
        "grade": "CT-1", "distribution_side": "bilateral", "involvement_right_percent": 10.0,
        "involvement_left_percent": 5.0, "conclusion": "Viral pneumonia, mild."})
    workflow.report.form.focus_field("conclusion")
    workflow.dictation.start()
    assert sessions and workflow.dictation.session is sessions[0]

    def say(*spoken: str) -> None:
        for phrase in spoken:
            phrases.append(phrase)
            sessions[0].queue.put(SAY)

    yield lang, workflow, say
    workflow.dictation.stop()


def signs_on(qtbot, workflow, act) -> bool:
    """Press Ctrl+Shift+S; once the preview is open, ``act(dialog)``. True if it signed."""
    signed: list = []
    workflow.report.signed.connect(signed.append)
    answer_dialog(qtbot, act)
    qtbot.keyClick(workflow.report.form.editors["conclusion"], Qt.Key.Key_S, CTRL_SHIFT)
    qtbot.wait(50)
    workflow.report.signed.disconnect(signed.append)
    return bool(signed)


def test_the_preview_is_answered_by_voice(station, qtbot):
    lang, workflow, say = station
    report, store = workflow.report, workflow.store
    messages: list[str] = []
    workflow.dictation.message.connect(messages.append)
    before = report.form.values()["conclusion"]
    cancel = {"en": "cancel", "ru": "отмена"}[lang]  # «отмена» is also "scratch that"
    # Words said while the preview is open go nowhere; "cancel" goes back to the report.
    assert not signs_on(qtbot, workflow, lambda d: say("no effusion", cancel))
    assert store.reports_for_study(STUDY) == [] and not report.locked
    assert report.form.values()["conclusion"] == before, "nothing written during the preview"
    assert any("“sign”" in m or "«подписать»" in m for m in messages), messages
    back = {"en": "go back", "ru": "назад"}[lang]
    assert not signs_on(qtbot, workflow, lambda d: say(back))
    assert store.reports_for_study(STUDY) == []
    # After the preview, dictation goes on into the field being filled.
    say({"en": "moderate", "ru": "умеренная"}[lang])
    qtbot.waitUntil(lambda: report.form.values()["conclusion"] != before)
    dictated = report.form.values()["conclusion"]
    assert dictated.startswith(before) and "effusion" not in dictated
    # "sign" / «подписать» signs what the preview shows.
    assert signs_on(qtbot, workflow, lambda d: say({"en": "sign", "ru": "подписать"}[lang]))
    (reported,) = store.reports_for_study(STUDY)
    stored = store.report_versions(reported.uid)[-1]
    assert stored.status.value == "final" and report.locked
    assert stored.fields["conclusion"] == dictated


def test_the_preview_is_answered_by_keys_and_the_pedal(station, qtbot):
    _, workflow, _say = station
    report, store = workflow.report, workflow.store
    assert not signs_on(qtbot, workflow, lambda d: qtbot.keyClick(d, Qt.Key.Key_Escape))
    # The key that opened the preview signs in it.
    assert signs_on(qtbot, workflow, lambda d: qtbot.keyClick(d, Qt.Key.Key_S, CTRL_SHIFT))
    assert report.locked
    # An addendum signed with the microphone's "sign" button (the controller's action).
    from app.shell.voice_controller import VoiceControllerAdapter
    assert report.start_addendum("Grade checked again")
    adapter = VoiceControllerAdapter(workflow)
    assert signs_on(qtbot, workflow, lambda d: adapter._perform("sign_report"))
    (reported,) = store.reports_for_study(STUDY)
    assert [v.status.value for v in store.report_versions(reported.uid)] == ["final", "amended"]


def test_sign_is_refused_while_a_voiced_value_awaits_its_check(station, qtbot):
    """A Dynamics value said by voice (its opposite sounds alike) and not yet checked: a
    spoken "sign" and the key that opened the preview do not sign, and say why (the status,
    the preview); the Sign button clicked still does, and once the reader has confirmed the
    value in the form, "sign" signs."""
    lang, workflow, say = station
    report, store = workflow.report, workflow.store
    report.form.focus_field("dynamics")
    assert report.form.insert_text({"en": "Regression.", "ru": "Положительная динамика."}[lang])
    assert report.form.to_check() == {"dynamics": "regression"}
    messages: list[str] = []
    report.message.connect(messages.append)
    label = {"en": "Dynamics", "ru": "Динамика"}[lang]
    sign, cancel = {"en": ("sign", "cancel"), "ru": ("подписать", "назад")}[lang]
    seen: list = []

    def refused_then_back(dialog) -> None:
        seen.append(dialog)
        say(sign)
        qtbot.waitUntil(lambda: bool(messages))
        assert label in report.status.text()
        qtbot.keyClick(dialog, Qt.Key.Key_S, CTRL_SHIFT)  # the key that opened it
        assert dialog.isVisible() and dialog.held.isVisible()
        say(cancel)

    assert not signs_on(qtbot, workflow, refused_then_back)
    assert store.reports_for_study(STUDY) == [] and not report.locked
    assert messages and label in messages[-1], messages
    assert label in seen[0].held.text()
    # Confirmed in the form (a click on its row): "sign" signs.
    qtbot.mouseClick(report.form.labels["dynamics"], Qt.MouseButton.LeftButton)
    assert report.form.to_check() == {}
    report.form.focus_field("conclusion")
    assert signs_on(qtbot, workflow, lambda d: say(sign))
    assert report.locked


def test_the_sign_button_signs_past_a_voiced_value_to_check(station, qtbot):
    """The deliberate click on "Sign anyway" is the reader's own decision."""
    _lang, workflow, _say = station
    report = workflow.report
    report.form.focus_field("dynamics")
    assert report.form.insert_text("Regression.")
    report.form.focus_field("conclusion")
    assert signs_on(qtbot, workflow,
                    lambda d: qtbot.mouseClick(d.sign_button, Qt.MouseButton.LeftButton))
    assert report.locked
