"""The report editor: drafts survive a crash, signing validates, stores and amends."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.panels.drafts import load_draft
from app.panels.report_panel import ReportPanel
from records import open_store
from records.protocol import load_protocol

STUDY = "1.2.826.0.1.3680043.10.1.1"


def make_panel(qtbot, store):
    panel = ReportPanel(store, load_protocol("moscow-chest-ct-covid"), "dr.a", "en", "en")
    panel.confirm_signing = lambda text, problems: True  # the preview: test_report_flow.py
    qtbot.addWidget(panel)
    return panel


@pytest.fixture
def store(luch_home):
    return open_store()


def test_draft_is_autosaved_and_restored_after_a_crash(qtbot, store):
    panel = make_panel(qtbot, store)
    assert panel.begin(STUDY) is False
    panel.form.set_value("grade", "CT-2")
    panel.free_text.setPlainText("Compare with the prior.")
    qtbot.waitUntil(lambda: load_draft(STUDY) is not None, timeout=10_000)  # the autosave
    # The app dies here: a new panel (a new process, same LUCH_HOME) gets the draft back.
    again = make_panel(qtbot, store)
    assert again.begin(STUDY) is True
    assert again.form.values() == {"grade": "CT-2"}
    assert again.free_text.toPlainText() == "Compare with the prior."
    assert store.reports_for_study(STUDY) == [], "a draft is not a report until it is signed"


def test_signing_without_a_grade_is_refused_and_nothing_is_stored(qtbot, store):
    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.form.set_value("conclusion", "Normal")
    panel.show()
    panel.form.focus_field("conclusion")
    with qtbot.assertNotEmitted(panel.signed):
        panel.sign()
    assert panel.status.text() == "Fill in before signing: CT grade"  # the form's label
    assert panel.form.current_key() == "grade", "the first missing field gets the cursor"
    assert store.reports_for_study(STUDY) == []


def test_sign_then_addendum_makes_final_then_amended(qtbot, store):
    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.form.set_values({"grade": "CT-1", "involvement_right_percent": 10.0,
                           "conclusion": "Viral pneumonia, mild."})
    with qtbot.waitSignal(panel.signed) as first:
        panel.sign()
    assert first.args[0].status.value == "final"
    assert "Grade: CT-1" in first.args[0].text
    assert load_draft(STUDY) is None, "the draft is gone once signed"
    assert panel.start_addendum("Grade revised")
    panel.form.set_value("grade", "CT-2")
    with qtbot.waitSignal(panel.signed) as second:
        panel.sign()
    assert second.args[0].status.value == "amended"
    assert second.args[0].report_uid == first.args[0].report_uid
    assert [v.version for v in store.report_versions(first.args[0].report_uid)] == [1, 2]
    assert store.outbox_counts()["pending"] == 2, "both signed versions are queued for sync"


def test_a_signed_report_says_when_it_reached_the_archive(qtbot, store):
    """Walkthrough: "Signed, queued for the archive" stood under the report while the status
    bar said "unsent: 0"; it now says when the outbox has sent it (addenda too)."""
    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.form.set_values({"grade": "CT-0", "conclusion": "Normal."})
    panel.sign()
    assert panel.status.text() == "Signed, queued for the archive"
    panel.note_archived()
    assert panel.status.text() == "Signed, queued for the archive", "its job is pending"
    store.complete_jobs([job.id for job in store.jobs()])
    panel.note_archived()
    assert panel.status.text() == "Signed, sent to the archive"
    assert panel.start_addendum("Grade revised")
    panel.form.set_value("grade", "CT-1")
    panel.sign()
    panel.note_archived()
    assert panel.status.text() == "Addendum signed, queued for the archive"
    store.complete_jobs([job.id for job in store.jobs()])
    panel.note_archived()
    assert panel.status.text() == "Addendum signed, sent to the archive"
    panel.begin(STUDY)  # opened again: no stale "sent" from before
    panel.note_archived()
    assert panel.status.text() == "Report amended"


def test_report_text_follows_the_form_live(qtbot, store):
    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.form.set_value("distribution_side", "bilateral")
    assert "bilateral" in panel.preview.toPlainText()


KEPT = {"en": ("Signed, kept on this workstation: the study has no DICOM identity in the "
               "archive (opened from NIfTI or files without UIDs)",
               "Report amended, kept on this workstation"),
        "ru": ("Подписано, хранится на этой рабочей станции: у исследования нет "
               "DICOM-идентификаторов в архиве (открыто из NIfTI или из файлов без UID)",
               "Протокол: дополнен, хранится на этой рабочей станции")}


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_report_on_a_derived_uid_study_says_it_stays_here(qtbot, qapp, store, monkeypatch,
                                                            lang):
    from app.shell.i18n import install_translator, remove_translators

    derived = "2.25.310912351233454234523452345234523452"
    store.upsert_study(derived, uid_derived=True)
    monkeypatch.setenv("LUCH_LANG", lang)
    assert install_translator(qapp) == lang
    try:
        panel = make_panel(qtbot, store)
        panel.begin(derived)
        panel.form.set_values({"grade": "CT-1", "conclusion": "Viral pneumonia, mild."})
        with qtbot.waitSignal(panel.signed):
            panel.sign()
        assert panel.status.text() == KEPT[lang][0]
        assert panel.start_addendum("Grade revised")
        panel.form.set_value("grade", "CT-2")
        with qtbot.waitSignal(panel.signed) as amended:
            panel.sign()
        assert amended.args[0].status.value == "amended"
        again = make_panel(qtbot, store)  # the study opened again later
        again.begin(derived)
        assert again.status.text().startswith(KEPT[lang][1])
        # A normal study on the same panel is queued as before.
        panel.begin(STUDY)
        panel.form.set_values({"grade": "CT-0", "conclusion": "Normal."})
        with qtbot.waitSignal(panel.signed):
            panel.sign()
        assert "DICOM" not in panel.status.text()
    finally:
        remove_translators(qapp)
    assert [j.study_instance_uid for j in store.jobs()] == [STUDY]
    assert [v.version for v in store.report_versions(amended.args[0].report_uid)] == [1, 2]


def test_the_next_study_s_report_starts_at_its_first_field(qtbot, store):
    """After "sign and open the next study" the new report was scrolled to the bottom with
    the last study's field (Conclusion) still marked, so dictation went there (seen in
    Xvfb). A new study starts as the first one does: at the top, no field marked ("next
    field" goes to the first); the same study keeps its place."""
    panel = make_panel(qtbot, store)
    panel.resize(420, 500)
    panel.show()
    panel.begin(STUDY)
    panel.form.focus_field("conclusion")
    qtbot.waitUntil(lambda: panel.scroll.verticalScrollBar().value() > 0)
    panel.begin(STUDY)  # the same study again (another series of it): the place stays
    assert panel.form.current == "conclusion"
    panel.begin("1.2.826.0.1.3680043.10.1.2")
    assert panel.form.current is None
    assert not any(panel.form.is_highlighted(k) for k in panel.form.editors)
    assert panel.scroll.verticalScrollBar().value() == 0
    assert panel.form.next_field() == next(iter(panel.form.editors))


def test_a_signed_report_shown_again_names_its_own_language_locked(qtbot, store):
    """Signed in Russian, shown again while the setting is English: the combo says Russian
    (the stored text's language) and cannot be changed; the next study's report follows
    the setting again."""
    russian = ReportPanel(store, load_protocol("moscow-chest-ct-covid"), "dr.a", "en", "ru")
    russian.confirm_signing = lambda text, problems: True
    qtbot.addWidget(russian)
    russian.begin(STUDY)
    russian.form.set_values({"grade": "CT-1", "involvement_right_percent": 10.0,
                             "conclusion": "Вирусная пневмония."})
    with qtbot.waitSignal(russian.signed):
        russian.sign()
    assert russian.language.currentData() == "ru" and not russian.language.isEnabled()
    panel = make_panel(qtbot, store)  # the setting: English
    panel.begin(STUDY)
    assert panel.locked
    assert panel.language.currentData() == "ru", "the signed report's language"
    assert not panel.language.isEnabled(), "locked with the report"
    assert panel.report_lang == "en", "the setting is not changed by showing"
    panel.begin("1.2.826.0.1.3680043.10.1.2")
    assert panel.language.currentData() == "en" and panel.language.isEnabled()
    panel.begin(STUDY)
    assert panel.start_addendum("Grade revised")
    assert panel.language.currentData() == "ru" and not panel.language.isEnabled(), \
        "an addendum is written in the signed report's language"


def test_an_addendum_follows_the_signed_report_s_language_not_the_setting(qtbot, store):
    """Signed in Russian; the setting is English when the addendum is written: its headings,
    fixed phrases and the "Дополнение" line are Russian, in the preview and as signed; the
    setting is left as it was, and the next study's report is English again."""
    russian = ReportPanel(store, load_protocol("moscow-chest-ct-covid"), "dr.a", "en", "ru")
    russian.confirm_signing = lambda text, problems: True
    qtbot.addWidget(russian)
    russian.begin(STUDY)
    russian.form.set_values({"grade": "CT-1", "involvement_right_percent": 10.0,
                             "conclusion": "Вирусная пневмония."})
    with qtbot.waitSignal(russian.signed) as first:
        russian.sign()
    signed_heading = first.args[0].text.splitlines()[0].split(":")[0]
    panel = make_panel(qtbot, store)  # the setting: English
    panel.begin(STUDY)
    assert panel.start_addendum("Уточнение степени")
    panel.form.set_value("grade", "CT-2")
    assert panel.writing_lang == "ru" and panel.report_lang == "en"
    assert "Дополнение: Уточнение степени" in panel.preview.toPlainText()
    with qtbot.waitSignal(panel.signed) as second:
        panel.sign()
    text = second.args[0].text
    assert text.splitlines()[0].split(":")[0] == signed_heading  # the Russian heading
    assert "Addendum" not in text and "Grade" not in text and "КТ-2" in text
    assert "Дополнение: Уточнение степени" in text
    assert panel.language.currentData() == "ru"  # locked again, in its own language
    panel.begin("1.2.826.0.1.3680043.10.1.2")
    assert panel.writing_lang == "en" and panel.language.currentData() == "en"


def test_an_addendum_is_cancelled_and_the_signed_report_stands(qtbot, store, monkeypatch):
    """An addendum once started could not be abandoned from the panel: only signing it or
    leaving its draft behind. Cancel (button) discards it after asking when text was
    written (kept writing when the reader says so); nothing stored changes."""
    import app.panels.report_panel as report_panel

    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.form.set_values({"grade": "CT-1", "conclusion": "Viral pneumonia, mild."})
    panel.free_text.setPlainText("Compare with the prior.")
    with qtbot.waitSignal(panel.signed) as first:
        panel.sign()
    signed_text = first.args[0].text
    assert not panel.cancel_button.isVisibleTo(panel), "no addendum: nothing to cancel"
    assert panel.start_addendum("Grade revised")
    assert panel.cancel_button.isVisibleTo(panel)
    panel.form.set_value("grade", "CT-2")
    panel.free_text.setPlainText("Compare with the prior. Progression.")
    panel.save_now()
    assert load_draft(STUDY) is not None
    answers = [False, True]  # keep writing, then discard
    asked: list[bool] = []
    monkeypatch.setattr(report_panel, "discard_addendum",
                        lambda parent: asked.append(True) or answers[len(asked) - 1])
    panel.cancel_button.click()
    assert asked == [True] and not panel.locked and panel.addendum_reason == "Grade revised"
    assert panel.form.values()["grade"] == "CT-2", "kept writing: nothing lost"
    panel.cancel_button.click()
    assert asked == [True, True]
    assert panel.locked and panel.addendum_reason is None
    assert not panel.cancel_button.isVisibleTo(panel)
    assert panel.form.values()["grade"] == "CT-1"
    assert panel.free_text.toPlainText() == "Compare with the prior."
    assert panel.preview.toPlainText() == signed_text
    assert load_draft(STUDY) is None, "the addendum's draft is gone"
    assert [v.version for v in store.report_versions(first.args[0].report_uid)] == [1]
    assert store.outbox_counts()["pending"] == 1
    assert "cancelled" in panel.status.text()
    again = make_panel(qtbot, store)  # opened again: the signed version, locked
    again.begin(STUDY)
    assert again.locked and again.form.values()["grade"] == "CT-1"


def test_esc_in_the_report_cancels_an_addendum_with_nothing_written(qtbot, luch_home):
    """In the reading window (whose Esc ends a measuring tool): Esc in the report panel
    cancels an untouched addendum without asking; with no addendum it does nothing there."""
    import app.panels.report_panel as report_panel
    from tests.app import windows

    _window, workflow = windows.station(qtbot, "dr.smirnova")
    panel = workflow.report
    panel.confirm_signing = lambda text, problems: True
    panel.begin(STUDY)
    panel.form.set_values({"grade": "CT-1", "conclusion": "Viral pneumonia, mild."})
    with qtbot.waitSignal(panel.signed):
        panel.sign()
    asked: list[bool] = []
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(report_panel, "discard_addendum", lambda parent: asked.append(True))
    try:
        assert panel.start_addendum("Typo in the conclusion")
        panel.free_text.setFocus()
        qtbot.waitUntil(panel.free_text.hasFocus)
        qtbot.keyClick(panel.free_text, Qt.Key.Key_Escape)
        assert panel.locked and panel.addendum_reason is None and asked == []
        assert load_draft(STUDY) is None
    finally:
        monkeypatch.undo()


def test_the_discard_question_keeps_the_addendum_unless_discard_is_chosen(qtbot):
    """Esc or Enter on the question keeps writing (the safe answer); only "Discard" discards."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

    from app.panels.sign_preview import discard_addendum

    parent = QWidget()
    qtbot.addWidget(parent)

    def answer(key: Qt.Key | None) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        if key is None:
            next(b for b in box.buttons() if "Discard" in b.text()).click()
        else:
            qtbot.keyClick(box, key)

    for key, discarded in ((Qt.Key.Key_Escape, False), (Qt.Key.Key_Return, False),
                           (None, True)):
        QTimer.singleShot(100, lambda k=key: answer(k))
        assert discard_addendum(parent) is discarded


def test_signing_with_an_unchecked_voiced_opposite_asks_first(qtbot, store):
    """A Dynamics value said by voice and not yet checked is named in the signing preview
    (which then offers "Sign anyway", Enter going back); going back puts the cursor on it;
    once the reader confirms it, signing asks nothing about it."""
    panel = make_panel(qtbot, store)
    asked: list[list[str]] = []
    answers = iter([False, True])
    panel.confirm_signing = lambda text, problems: asked.append(problems) or next(answers)
    panel.begin(STUDY)
    panel.show()
    panel.form.set_values({"grade": "CT-1", "conclusion": "Viral pneumonia, mild."})
    panel.form.focus_field("dynamics")
    assert panel.form.insert_text("Regression.")  # heard for a spoken "progression"
    with qtbot.assertNotEmitted(panel.signed):
        panel.sign()
    assert any("check this value" in p and "“progression”" in p for p in asked[-1]), asked
    assert panel.form.current_key() == "dynamics", "back at the value to check"
    qtbot.keyClick(panel.form.editors["dynamics"], Qt.Key.Key_Return)  # the reader confirms
    with qtbot.waitSignal(panel.signed):
        panel.sign()
    assert not any("check this value" in p for p in asked[-1])


def test_a_voiced_value_to_check_stays_marked_in_the_draft(qtbot, store):
    """The "check this value" mark survives a restart and reopening the study (it is kept
    in the draft); once confirmed it is gone from the draft too; a draft written before the
    mark was kept still loads."""
    import json

    from app.panels.drafts import _path
    from core.vault import write_private

    panel = make_panel(qtbot, store)
    panel.begin(STUDY)
    panel.show()
    panel.form.focus_field("dynamics")
    assert panel.form.insert_text("Regression.")
    panel.save_now()
    assert load_draft(STUDY).to_check == {"dynamics": "regression"}
    again = make_panel(qtbot, store)  # the app restarted
    again.begin(STUDY)
    assert again.form.to_check() == {"dynamics": "regression"}
    assert again.form.rows["dynamics"].property("check")
    again.begin("1.2.826.0.1.3680043.10.1.2")  # another study, then this one again
    again.begin(STUDY)
    assert again.form.to_check() == {"dynamics": "regression"}
    again.show()
    qtbot.mouseClick(again.form.labels["dynamics"], Qt.MouseButton.LeftButton)  # confirmed
    again.save_now()
    assert load_draft(STUDY).to_check == {}
    third = make_panel(qtbot, store)
    third.begin(STUDY)
    assert third.form.to_check() == {} and third.form.values()["dynamics"] == "regression"
    # A draft from before the mark was kept (no "to_check"): loads, nothing marked.
    old = {"study_instance_uid": STUDY, "fields": {"dynamics": "progression"},
           "free_text": "", "report_uid": None, "ai_result_id": None, "addendum_reason": None}
    write_private(_path(STUDY), json.dumps(old).encode("utf-8"))
    assert load_draft(STUDY).to_check == {}
    fourth = make_panel(qtbot, store)
    assert fourth.begin(STUDY) is True
    assert fourth.form.values()["dynamics"] == "progression" and fourth.form.to_check() == {}
