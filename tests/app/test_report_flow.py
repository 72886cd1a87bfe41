"""The report as a reader drives it by keyboard inside the real main window: field flow
(Ctrl+Down/Up, voice), the field being dictated into highlighted, Space in pick lists,
a form laid out without sideways scrolling or scroll inside scroll."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from core.settings import Settings
from records import open_store

STUDY = "1.2.826.0.1.3680043.10.1.77"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def station(qtbot, luch_home):
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang="en", report_lang="en")
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    workflow.report.begin(STUDY)
    yield window, workflow
    workflow.report.save_now()


def focused_key(form) -> str | None:
    focus = focus_target()
    for key, editor in form.editors.items():
        if focus is editor or (focus is not None and editor.isAncestorOf(focus)):
            return key
    return None


def shown_ai_result(workflow, result: dict | None = None) -> None:
    """The AI panel showing a finished pre-read (the JSON of PreReadResult.to_json)."""
    from types import SimpleNamespace

    result = result or {**AI_CT1_WITH_LESIONS, "engine": "unet", "device": "cpu",
                        "seconds": 16.7, "model_version": "1"}
    workflow.ai._done((SimpleNamespace(to_json=lambda: result), [], None))


def form_scroll(report) -> QScrollArea:
    return report.findChild(QScrollArea)


def focus_target():
    """Where a key goes: the focused widget; after a dialog closed, the main window's focus
    (the offscreen platform does not give the window back its activation, X does)."""
    focus = QApplication.focusWidget()
    if focus is not None and focus.isVisible():
        return focus
    window = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, MainWindow) and w.isVisible())
    window.activateWindow()
    QApplication.processEvents()
    return window.focusWidget() or window


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focus_target(), key, modifier)


def test_ctrl_down_and_up_walk_every_field_from_every_editor(station, qtbot):
    """The menu's Ctrl+Down/Up reach the next/previous field from each kind of editor
    (on main they left the cursor where it was: the action passed checked=False as the step)."""
    _, workflow = station
    form = workflow.report.form
    keys = list(form.editors)
    form.focus_field(keys[0])
    for expected in keys[1:]:
        press(qtbot, Qt.Key.Key_Down, CTRL)
        assert focused_key(form) == expected
    for expected in reversed(keys[:-1]):
        press(qtbot, Qt.Key.Key_Up, CTRL)
        assert focused_key(form) == expected


def test_the_additional_text_is_a_field_of_the_order_by_key_and_voice(station, qtbot):
    """Ctrl+Down from the last protocol field reaches the additional text (highlighted, and
    dictated into there); Ctrl+Up and "previous field" go back. On main it was outside the
    field order: Ctrl+Down from the recommendations wrapped to the first field."""
    from dictation.commands import Command
    from dictation.session import DictationEvent

    _, workflow = station
    report, form = workflow.report, workflow.report.form
    last = form.protocol.fields[-1].key
    form.focus_field(last)
    press(qtbot, Qt.Key.Key_Down, CTRL)
    assert QApplication.focusWidget() is report.free_text
    assert [k for k in form.editors if form.is_highlighted(k)] == ["free_text"]
    assert form.rows["free_text"].isAncestorOf(report.free_text)
    press(qtbot, Qt.Key.Key_Up, CTRL)
    assert focused_key(form) == last
    # By voice: "next field" from the last field, words dictated there, "previous field".
    panel = workflow.dictation
    panel._retarget()
    panel._event.emit(DictationEvent("final", text="", commands=(Command("next_field"),)))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is report.free_text)
    panel._event.emit(DictationEvent("final", text="Compare with the prior."))
    qtbot.waitUntil(lambda: report.free_text.toPlainText() == "Compare with the prior.")
    assert "Compare with the prior." in report.report_text()
    assert "free_text" not in form.values()  # stored as the report's text, not a field
    panel._event.emit(DictationEvent("final", text="",
                                     commands=(Command("previous_field"),)))
    qtbot.waitUntil(lambda: focused_key(form) == last)
    assert form.go_to_field("additional text") == "free_text"
    assert form.go_to_field("дополнительный текст") == "free_text"


def test_the_field_being_filled_is_highlighted_and_stays_so_over_the_images(station, qtbot):
    window, workflow = station
    form = workflow.report.form
    form.focus_field("grade")
    press(qtbot, Qt.Key.Key_Down, CTRL)
    assert focused_key(form) == "covid_probability"
    assert [k for k in form.editors if form.is_highlighted(k)] == ["covid_probability"]
    window.view.setFocus()  # scrolling the images: dictation still goes to that field
    qtbot.waitUntil(lambda: focused_key(form) is None)
    assert [k for k in form.editors if form.is_highlighted(k)] == ["covid_probability"]
    press(qtbot, Qt.Key.Key_Down, CTRL)  # from the images: on to the field after it
    assert focused_key(form) == "dynamics"


def test_the_field_dictated_into_is_marked_while_dictation_is_on(station, qtbot):
    _, workflow = station
    form = workflow.report.form
    form.focus_field("grade")
    workflow.dictation.record.toggled.emit(True)  # what the Dictate button (F9) sends
    assert form.rows["grade"].property("dictating") is True
    press(qtbot, Qt.Key.Key_Down, CTRL)  # "next field" moves the mark with the dictation
    assert form.rows["covid_probability"].property("dictating") is True
    assert form.rows["grade"].property("dictating") is False
    workflow.dictation.record.toggled.emit(False)
    assert not any(row.property("dictating") for row in form.rows.values())
    assert form.is_highlighted("covid_probability")


def test_the_next_field_is_scrolled_into_view(station, qtbot):
    window, workflow = station
    window.resize(1366, 600)
    form = workflow.report.form
    form.focus_field("distribution_side")
    for _ in form.editors:
        press(qtbot, Qt.Key.Key_Down, CTRL)
        editor = QApplication.focusWidget()
        viewport = form_scroll(workflow.report).viewport()
        top = editor.mapTo(viewport, editor.rect().topLeft()).y()
        assert top >= 0 and top + min(editor.height(), viewport.height()) <= viewport.height() + 1


def test_space_in_an_open_drop_down_picks_and_moves_on(station, qtbot):
    """On main Space in the open list did nothing (and the list stayed open)."""
    _, workflow = station
    form = workflow.report.form
    box = form.editors["distribution_side"]
    form.focus_field("distribution_side")
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(box.view().isVisible)
    qtbot.keyClick(box.view(), Qt.Key.Key_Down)
    qtbot.keyClick(box.view(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not box.view().isVisible())
    assert form.values() == {"distribution_side": "bilateral"}
    assert focused_key(form) == "distribution_pattern", "Space does not re-open the same list"


def test_space_ticks_once_and_moves_on(station, qtbot):
    """Space on a yes/no box ticks it and goes to the next field; in a list it ticks the
    option and goes to the next option (on main a second Space un-ticked the same one)."""
    _, workflow = station
    form = workflow.report.form
    form.focus_field("lower_lobe")
    press(qtbot, Qt.Key.Key_Space)
    assert form.values() == {"lower_lobe": True}
    assert focused_key(form) == "main_signs"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Space)
    assert form.values()["main_signs"] == ["ggo_rounded", "ggo_irregular"]
    form.focus_field("additional_findings")
    for _ in range(3):
        press(qtbot, Qt.Key.Key_Space)
    assert form.values()["additional_findings"] == ["effusion", "lymphadenopathy", "fibrosis"]
    assert focused_key(form) == "involvement_right_percent", "after the last option, on"


@pytest.mark.parametrize(("lang", "size"), [("en", (1920, 1080)), ("ru", (1366, 768))])
def test_the_form_reads_at_the_real_window_size(qtbot, luch_home, lang, size):
    """No sideways scroll while tabbing, no cut labels, lists and texts with no scroll bar of
    their own (on main: a horizontal scroll bar, 330 px of form and lists scrolling inside)."""
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang=lang, report_lang=lang)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    report = workflow.report
    report.begin(STUDY)
    shown_ai_result(workflow)
    form = report.form
    form.set_value("conclusion", "Word " * 60)
    qtbot.wait(50)
    form.focus_field("distribution_side")
    for _ in form.editors:
        press(qtbot, Qt.Key.Key_Tab)
        qtbot.wait(5)
        assert form_scroll(report).horizontalScrollBar().maximum() == 0
        assert form_scroll(report).widget().x() == 0
    assert form_scroll(report).viewport().height() >= 0.4 * size[1]
    for key, label in form.labels.items():
        assert label.width() > 40, key
        assert label.height() >= label.heightForWidth(label.width()) - 1, f"{key} label cut"
    for key, editor in form.editors.items():
        if hasattr(editor, "verticalScrollBar"):
            assert not editor.verticalScrollBar().isVisible(), f"{key} scrolls inside the form"
        if hasattr(editor, "visualItemRect"):
            rows = sum(editor.visualItemRect(editor.item(n)).height()
                       for n in range(editor.count()))
            assert editor.viewport().height() >= rows, f"{key}: options hidden"


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
# A pre-read's JSON as inference.preread.PreReadResult.to_json gives it (the demo chest's).
AI_CT0_WITH_FOCUS = {
    "grade": "CT-0", "grade_worst_lung": "CT-0", "grade_both_lungs": "CT-0",
    "involvement_percent": {"right": 0.0, "left": 0.0, "total": 0.0},
    "volumes_ml": {"ggo": 0.0, "consolidation": 0.0}, "probability": "low",
    "quality_flags": ["solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 at=97,130,45"],
    "lesions": [],
}


def test_ctrl_shift_s_shows_the_report_first_and_back_signs_nothing(station, qtbot):
    """On main Ctrl+Shift+S stored a final version at once."""
    _, workflow = station
    report, form = workflow.report, workflow.report.form
    form.set_values({"grade": "CT-1", "distribution_side": "bilateral",
                     "involvement_right_percent": 10.0, "involvement_left_percent": 5.0,
                     "conclusion": "Viral pneumonia, mild."})
    form.focus_field("conclusion")
    seen: list = []
    from tests.app.signing import answer_dialog
    answer_dialog(qtbot, lambda d: (seen.append(d.text.toPlainText()),
                                    qtbot.keyClick(d, Qt.Key.Key_Escape)))
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert seen and "Grade: CT-1" in seen[0], "the preview shows the text to be signed"
    assert workflow.store.reports_for_study(STUDY) == []
    assert not report.locked


def test_the_preview_lists_empty_conclusion_contradictions_and_ai_flags(station, qtbot):
    _, workflow = station
    report, form = workflow.report, workflow.report.form
    workflow.ai.result_json = AI_CT0_WITH_FOCUS
    form.set_values({"grade": "CT-0", "distribution_side": "unilateral",
                     "involvement_right_percent": 12.0, "covid_probability": "medium"})
    report.free_text.setPlainText("Unilateral changes.")
    form.focus_field("grade")
    from tests.app.signing import answer_dialog
    dialogs: list = []
    # With problems Enter means "back to the report": nothing is signed by habit.
    answer_dialog(qtbot, lambda d: qtbot.keyClick(d, Qt.Key.Key_Return), seen=dialogs)
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    problems = dialogs[0].problems.text()
    for expected in ("The conclusion is empty.",
                     "CT-0 (normal), yet the distribution is “unilateral”.",
                     "CT-0 (normal), yet the involvement is 12%.",
                     "CT-0 (normal), yet the COVID-19 probability is “intermediate”.",
                     "The text says “unilateral” next to CT-0 (normal).",
                     "The AI flagged a solid focus (left lung, slices 44-47) that the report "
                     "does not mention."):
        assert expected in problems
    assert workflow.store.reports_for_study(STUDY) == []
    # Mentioned and consistent: no problems left, Enter signs.
    form.set_values({"grade": "CT-0", "conclusion": "No signs of viral pneumonia. Solid "
                     "focus in the left lung, a nodule: CT follow-up."})
    report.free_text.clear()
    answer_dialog(qtbot, lambda d: qtbot.keyClick(d, Qt.Key.Key_Return), seen=dialogs)
    with qtbot.waitSignal(report.signed):
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert not dialogs[1].problems.isVisibleTo(dialogs[1])


@pytest.mark.parametrize(("values", "expected"), [
    ({"grade": "CT-0"}, "conclusion"),  # empty: the first problem
    ({"grade": "CT-3", "distribution_side": "bilateral", "involvement_right_percent": 10.0,
      "involvement_left_percent": 5.0, "conclusion": "Viral pneumonia."}, "grade"),
])
def test_back_from_the_preview_goes_to_the_field_of_the_first_problem(station, qtbot, values,
                                                                       expected):
    """Seen in the app: back from "The conclusion is empty" the keyboard was in the first
    field of the form, at the top, with the conclusion scrolled out of sight."""
    window, workflow = station
    window.resize(1366, 600)
    report, form = workflow.report, workflow.report.form
    form.set_values(values)
    form.focus_field("distribution_side")
    from tests.app.signing import answer_dialog
    answer_dialog(qtbot, lambda d: qtbot.keyClick(d, Qt.Key.Key_Return))  # back
    press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert workflow.store.reports_for_study(STUDY) == []
    assert focused_key(form) == expected
    editor = form.editors[expected]
    viewport = form_scroll(report).viewport()
    top = editor.mapTo(viewport, editor.rect().topLeft()).y()
    assert top >= 0 and top + min(editor.height(), viewport.height()) <= viewport.height() + 1


def test_the_additional_text_reads_before_the_conclusion(station, qtbot):
    _, workflow = station
    report, form = workflow.report, workflow.report.form
    form.set_values({"grade": "CT-1", "conclusion": "Viral pneumonia, mild.",
                     "recommendations": "Follow-up CT."})
    report.free_text.setPlainText("Ground glass in the right lower lobe.")
    text = report.report_text()
    assert text.index("Grade: CT-1") < text.index("Ground glass") < text.index("Conclusion:")
    assert text.endswith("Recommendations: Follow-up CT.")


def test_a_signed_report_is_locked_and_a_change_is_an_addendum_with_a_reason(station, qtbot):
    """On main the signed form stayed editable and signing again made an amended version
    with no reason asked."""
    _, workflow = station
    report, form, store = workflow.report, workflow.report.form, workflow.store
    from tests.app.signing import confirm_signing, give_reason
    form.set_values({"grade": "CT-1", "distribution_side": "bilateral",
                     "involvement_right_percent": 10.0, "involvement_left_percent": 5.0,
                     "conclusion": "Viral pneumonia, mild."})
    form.focus_field("conclusion")
    confirm_signing(qtbot)
    with qtbot.waitSignal(report.signed) as first:
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert first.args[0].status.value == "final"
    assert form.editors["conclusion"].isReadOnly()
    assert not form.editors["grade"].isEnabled()
    assert report.locked
    form.focus_field("conclusion")
    qtbot.keyClicks(form.editors["conclusion"], " Changed")
    assert form.values()["conclusion"] == "Viral pneumonia, mild."
    with qtbot.assertNotEmitted(report.signed):  # signing again: no silent amendment
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert "add an addendum (Ctrl+Shift+D)" in report.status.text()
    assert len(store.report_versions(first.args[0].report_uid)) == 1

    give_reason(qtbot, "Left lung percentage corrected")
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    assert not report.locked
    form.set_value("involvement_left_percent", 8.0)
    confirm_signing(qtbot)
    with qtbot.waitSignal(report.signed) as second:
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    versions = store.report_versions(first.args[0].report_uid)
    assert [v.status.value for v in versions] == ["final", "amended"]
    assert versions[0].fields["involvement_left_percent"] == 5.0, "the signed version stays"
    assert versions[1].fields["_addendum_reason"] == "Left lung percentage corrected"
    assert versions[1].text.endswith("Addendum: Left lung percentage corrected")
    assert second.args[0].version == 2 and report.locked
    assert report.preview.toPlainText() == versions[1].text, "the signed text is shown"
    # Opened again later: still locked, showing the latest version.
    report.begin(STUDY)
    assert report.locked and form.values()["involvement_left_percent"] == 8.0


def test_a_signed_report_takes_no_ai_values(station, qtbot):
    """On a reopened signed study the AI panel's Accept and Reject stood enabled; an
    addendum opens the report, and them, again."""
    _, workflow = station
    from tests.app.signing import confirm_signing, give_reason
    shown_ai_result(workflow)
    ai, report = workflow.ai, workflow.report
    assert ai.accept_button.isEnabled() and ai.reject_button.isEnabled()
    report.form.set_values({"grade": "CT-1", "distribution_side": "bilateral",
                            "involvement_right_percent": 10.0, "involvement_left_percent": 5.0,
                            "conclusion": "Viral pneumonia, mild."})
    confirm_signing(qtbot)
    with qtbot.waitSignal(report.signed):
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert not ai.accept_button.isEnabled() and not ai.reject_button.isEnabled()
    with qtbot.assertNotEmitted(ai.accepted), qtbot.assertNotEmitted(ai.rejected):
        ai.accept()  # Ctrl+Shift+Y or the voice command
        ai.reject()  # Ctrl+Shift+N
    shown_ai_result(workflow)  # the result shown again (the study reopened): still closed
    assert not ai.accept_button.isEnabled()
    give_reason(qtbot, "Grade reconsidered")
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    assert ai.accept_button.isEnabled() and ai.reject_button.isEnabled()


def test_a_not_assessable_pre_read_offers_nothing_to_accept(qtbot, luch_home):
    """A real pre-read of a study it cannot assess (no lungs in view): on main Accept was
    enabled and the panel showed percentages (and lesion links) for it."""
    import numpy as np

    from app.panels.ai_panel import AiPanel
    from studies import SeriesInfo, Volume

    store = open_store()
    panel = AiPanel(store, "dr.flow")
    qtbot.addWidget(panel)
    info = SeriesInfo(modality="CT", study_instance_uid="1.2.3.10",
                      series_instance_uid="1.2.3.10.1")
    air = Volume(np.full((12, 64, 64), -1000, dtype=np.int16), (2.0, 1.0, 1.0),
                 (0.0, 0.0, 0.0), info=info)
    with qtbot.waitSignal(panel.result_ready, timeout=120_000):
        panel.run(air, "1.2.3.10")
    assert panel.result_json["grade"] == "not-assessable"
    assert not panel.accept_button.isEnabled()
    assert panel.reject_button.isEnabled(), "the reader may still reject it"
    assert "Involvement" not in panel.details.text() and "%" not in panel.details.text()
    assert "could not assess" in panel.details.text()
    assert not panel.findings.isVisibleTo(panel)
    with qtbot.assertNotEmitted(panel.accepted):
        panel.accept()  # Ctrl+Shift+Y or the voice command


def test_the_report_language_follows_the_ui_and_the_setting_shown_in_the_form(qtbot,
                                                                              luch_home):
    """On main an English UI wrote the report in Russian, with nothing in the form saying so."""
    def station(settings):
        window = MainWindow(settings)
        window.setProperty("headless", True)
        qtbot.addWidget(window)
        # As app/commands/open.py builds it: the report language from the settings, if set.
        workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang="en",
                            report_lang=settings.get("report.language"))
        workflow.report.begin(STUDY)
        return workflow

    report = station(Settings()).report
    assert report.language.currentData() == "en" and report.language.isVisibleTo(report)
    report.form.set_values({"grade": "CT-1", "distribution_side": "bilateral"})
    assert report.report_text().startswith("The changes are bilateral.")
    report.language.setCurrentIndex(report.language.findData("ru"))
    assert report.report_text().startswith("Изменения двусторонние.")
    assert "Степень поражения: КТ-1" in report.preview.toPlainText()
    report.save_now()
    again = station(Settings()).report  # the next start keeps the choice
    assert again.language.currentData() == "ru" and again.report_lang == "ru"


AI_CT1_WITH_LESIONS = {
    **AI_CT0_WITH_FOCUS, "grade": "CT-1", "grade_worst_lung": "CT-1", "grade_both_lungs": "CT-1",
    "involvement_percent": {"right": 6.0, "left": 2.0, "total": 4.0},
    "volumes_ml": {"ggo": 80.0, "consolidation": 0.0},
    "lesions": [{"side": "right", "slices": "30-41", "ml": 52.0, "ggo_share": 1.0,
                 "at": [60, 120, 35]}],
}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_accepted_ai_values_keep_the_flagged_focus_in_the_text(station, qtbot, lang):
    """On main the text made from the AI's values said CT-0 (normal) and nothing of the solid
    focus the AI had flagged."""
    _, workflow = station
    report = workflow.report
    report.set_report_language(lang)
    workflow.ai.result_json = AI_CT0_WITH_FOCUS
    workflow.ai_prefill.prefill(AI_CT0_WITH_FOCUS)
    text = report.report_text()
    expected = {"ru": "В левом лёгком определяется солитарный солидный очаг (20 мм, 10,2 мл; "
                      "срезы 44–47)",
                "en": "Solitary solid focus in the left lung (20 mm, 10.2 mL; slices 44–47)"}
    assert expected[lang] in text
    workflow.ai_prefill.prefill(AI_CT0_WITH_FOCUS)  # accepted again: not written twice
    assert report.report_text().count(expected[lang]) == 1


def test_ctrl_shift_f_writes_the_ai_findings_into_the_field_being_filled(station, qtbot):
    _, workflow = station
    form = workflow.report.form
    workflow.ai.result_json = AI_CT1_WITH_LESIONS
    form.focus_field("conclusion")
    qtbot.keyClicks(form.editors["conclusion"], "Viral pneumonia, mild.")
    press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    assert form.values()["conclusion"].splitlines() == [
        "Viral pneumonia, mild.",
        "Solitary solid focus in the left lung (20 mm, 10.2 mL; slices 44–47), not typical of "
        "viral pneumonia (nodule or atelectasis?): to be assessed.",
        "Ground-glass opacity in the right lung, 52 mL (slices 30–41)."]
    press(qtbot, Qt.Key.Key_F, CTRL_SHIFT)
    assert len(form.values()["conclusion"].splitlines()) == 3, "nothing written twice"


ALLOWED_LATIN = {"COVID", "U", "Net", "DICOM", "NIfTI", "UID", "Ctrl", "Shift", "Alt", "F9",
                 "F10", "Y", "S", "D", "F", "English"}  # a language named in itself


def latin_words(texts) -> set[str]:
    import re

    words = set()
    for text in texts:
        for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", re.sub(r"<[^>]+>", "", text)):
            if word not in ALLOWED_LATIN:
                words.add(word)
    return words


def visible_texts(widget) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QListWidget

    texts = []
    for child in widget.findChildren(QLabel):
        if child.isVisibleTo(widget):
            texts.append(child.text())
    for child in widget.findChildren(QAbstractButton):
        if child.isVisibleTo(widget):
            texts.append(child.text())
    for child in widget.findChildren(QComboBox):
        texts += [child.itemText(n) for n in range(child.count())]
    for child in widget.findChildren(QListWidget):
        texts += [child.item(n).text() for n in range(child.count())]
    return texts


def test_the_russian_report_area_shows_no_english_words_or_raw_names(qtbot, qapp, luch_home,
                                                                     monkeypatch):
    """On main: 'Протокол: amended', 'Подписано (final)', 'unet на cpu', '10.2 мл'."""
    from types import SimpleNamespace

    from app.shell.i18n import install_translator, remove_translators
    from tests.app.signing import answer_dialog, confirm_signing, give_reason

    monkeypatch.setenv("LUCH_LANG", "ru")
    assert install_translator(qapp) == "ru"
    try:
        window = MainWindow(Settings())
        window.setProperty("headless", True)
        qtbot.addWidget(window)
        workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang="ru")
        window.resize(1366, 768)
        window.show()
        report = workflow.report
        report.begin(STUDY)
        result = {**AI_CT1_WITH_LESIONS, "engine": "unet", "device": "cpu", "seconds": 16.7,
                  "model_version": "1"}
        workflow.ai._done((SimpleNamespace(to_json=lambda: result), [], None))
        report.form.set_values({"grade": "CT-1", "distribution_side": "bilateral",
                                "involvement_right_percent": 6.0,
                                "involvement_left_percent": 2.0, "conclusion": "Пневмония."})
        dock = workflow.report_dock.widget()
        assert latin_words(visible_texts(dock)) == set(), visible_texts(dock)
        assert "10,2 мл" in workflow.ai.details.text() and "6,0%" in workflow.ai.details.text()
        assert "нейросеть U-Net на ЦП" in workflow.ai.details.text()
        seen: list = []
        answer_dialog(qtbot, lambda d: (seen.append([*visible_texts(d), d.windowTitle()]),
                                        qtbot.mouseClick(d.sign_button,
                                                         Qt.MouseButton.LeftButton)))
        with qtbot.waitSignal(report.signed):
            report.sign()
        assert latin_words(seen[0]) == set(), seen[0]
        assert "ИИ отметил солидный очаг (левое лёгкое, срезы 44-47)" in " ".join(seen[0])
        assert report.status.text() == "Подписано, поставлено в очередь в архив"
        give_reason(qtbot, "Уточнение")
        assert report.start_addendum()
        confirm_signing(qtbot)
        with qtbot.waitSignal(report.signed):
            report.sign()
        assert report.status.text() == "Дополнение подписано, поставлено в очередь в архив"
        report.begin(STUDY)
        assert report.status.text() == "Протокол: дополнен"
        assert latin_words(visible_texts(dock)) == set(), visible_texts(dock)
    finally:
        remove_translators(qapp)


def test_russian_number_fields_show_a_comma_and_take_either_separator(qtbot):
    """On main the Russian form showed 0.0 (English notation) in the percent fields."""
    from app.panels.protocol_form import ProtocolForm
    from records.protocol import load_protocol

    form = ProtocolForm(load_protocol("moscow-chest-ct-covid"), "ru")
    qtbot.addWidget(form)
    form.show()
    spin = form.editors["involvement_right_percent"]
    form.set_value("involvement_right_percent", 0.0)
    assert spin.text() == "0,0"
    for typed in ("12.5", "12,5"):
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, typed)
        qtbot.keyClick(spin, Qt.Key.Key_Tab)
        assert form.values()["involvement_right_percent"] == 12.5 and spin.text() == "12,5"


def test_the_preview_names_whose_report_is_signed(station, qtbot):
    """Before signing, the preview says whose study it is (name, ID, study date), so a
    report is not signed for the wrong patient; anonymized, the name is not shown."""
    window, workflow = station
    workflow.store.upsert_study(STUDY, patient_id="PID-0042", patient_name="Ivanov^Petr",
                                study_date="20201117")
    workflow.report.form.set_values({"grade": "CT-0", "conclusion": "No pneumonia."})
    from tests.app.signing import answer_dialog
    dialogs: list = []
    answer_dialog(qtbot, lambda d: d.reject(), seen=dialogs)
    workflow.report.sign()
    assert dialogs[0].patient.text() == \
        "Patient: Ivanov Petr · ID PID-0042 · study of 17.11.2020"
    window.actions["anonymize"].trigger()
    answer_dialog(qtbot, lambda d: d.reject(), seen=dialogs)
    workflow.report.sign()
    assert dialogs[1].patient.text() == "study of 17.11.2020"
    assert workflow.store.reports_for_study(STUDY) == []


def test_check_the_ai_values_is_not_said_of_a_signed_report(station, qtbot):
    """Walkthrough (X): Ctrl+Shift+Y said "AI values filled in; check them" in the status
    bar, and it stood there after the report was signed, as if something were left to do.
    Signing takes it away."""
    window, workflow = station
    from tests.app.signing import confirm_signing
    shown_ai_result(workflow)
    report = workflow.report
    report.form.focus_field("conclusion")
    press(qtbot, Qt.Key.Key_Y, CTRL_SHIFT)  # accept the AI values
    assert "check them" in window.statusBar().currentMessage()
    report.form.set_value("conclusion", "Viral pneumonia, mild.")
    confirm_signing(qtbot)
    with qtbot.waitSignal(report.signed):
        press(qtbot, Qt.Key.Key_S, CTRL_SHIFT)
    assert "check them" not in window.statusBar().currentMessage()
