"""The second-opinion UI: the request action on a signed report and, at a reference centre,
the queue dock filled from a real Orthanc; the dialog in Russian."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow

from app.panels.referral_panel import ReferralDialog
from app.reading.archive_link import ArchiveLink
from app.reading.referrals import ReferralFlow
from app.settings_dialog.base import InvalidSetting
from core.settings import Settings
from records import open_store
from records.directory import Directory, Person
from records.outbox import KIND_REFERRAL
from records.referral import ReviewFields
from records.sync import SyncEngine
from tests.records.conftest import client_for, engine_for


@pytest.fixture
def window(qtbot, luch_home: Path):
    win = QMainWindow()
    qtbot.addWidget(win)
    return win


def _settings(luch_home: Path, **values) -> Settings:
    settings = Settings(luch_home / "settings.json")
    for key, value in values.items():
        settings.set(key.replace("_", ".", 1), value)
    return settings


def test_a_request_needs_a_signed_report_then_is_queued(window, luch_home: Path) -> None:
    store = open_store()
    settings = _settings(luch_home, referral_centre="Clinic 1",
                         **{"referral_reference_centre": "RC"})
    study = pydicom.uid.generate_uid()
    draft = store.save_report(study, author="Reader A", fields={"grade": "CT-1"}, text="x")
    flow = ReferralFlow(window, store, "Reader A", lambda: draft.report_uid,
                        ArchiveLink(window, store), settings)
    assert flow.dock is None  # a reading station has no queue
    values = {"kind": "second_opinion", "reason": "doubt", "urgency": "urgent"}
    assert flow.request(values) is None
    assert "Sign the report first" in window.statusBar().currentMessage()
    store.save_report(study, author="Reader A", fields={"grade": "CT-1"}, text="x",
                      status="final", report_uid=draft.report_uid)
    referral_id = flow.request(values)
    ref = store.referral(referral_id)
    assert (ref.centre, ref.addressed_to, ref.urgency, ref.requester) == (
        "Clinic 1", "RC", "urgent", "Reader A")
    assert [j.kind for j in store.jobs()].count(KIND_REFERRAL) == 1
    assert "Second opinion requested" in window.statusBar().currentMessage()
    store.close()


def test_the_dialog_speaks_russian(qtbot, russian) -> None:
    dialog = ReferralDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Запрос второго мнения"
    assert dialog.reason.itemText(0) == "сомнение"
    assert dialog.urgency.currentData() == "routine"
    dialog.reason.setCurrentIndex(dialog.reason.findData("patient_request"))
    assert dialog.values()["reason"] == "patient_request"
    assert dialog.expert.itemText(0) == "Никто не указан (без адресата)"
    dialog.centre.setCurrentText("RC")
    assert dialog.expert.itemText(0) == "Любой эксперт центра"


@pytest.fixture
def russian(qapp, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    yield
    remove_translators(qapp)


def test_a_reference_centre_station_shows_the_queue(qtbot, window, luch_home: Path,
                                                    orthanc_factory, tmp_path: Path) -> None:
    server = orthanc_factory()
    client = client_for(server)
    reader = open_store(tmp_path / "reader.sqlite3")
    for urgency, to, one in (("routine", "RC", ""), ("stat", "RC", ""),
                             ("stat", "Elsewhere", ""), ("urgent", "", ""),
                             ("stat", "RC", "expert.f")):
        study = pydicom.uid.generate_uid()
        version = reader.save_report(study, author="Reader A", fields={"grade": "CT-2"},
                                     text="x", status="final")
        reader.request_referral(version.id, kind="audit", reason="quality_sample",
                                urgency=urgency, requester="Head H", centre="Clinic 1",
                                addressed_to=to, addressed_expert=one)
    SyncEngine(reader, client).drain()
    reader.close()
    expert = open_store()
    settings = _settings(luch_home, referral_role="reference_centre", referral_centre="RC")
    flow = ReferralFlow(window, expert, "Expert E", lambda: None,
                        ArchiveLink(window, expert, client), settings)
    assert flow.dock is not None and flow.panel is not None
    flow.refresh()
    qtbot.waitUntil(lambda: flow.panel.table.rowCount() == 3, timeout=30_000)
    table = flow.panel.table
    assert [table.item(r, 0).text() for r in range(3)] == ["stat", "urgent", "routine"]
    assert table.item(0, 2).text() == "audit"
    # Not another centre's or another expert's; the one naming no one says so.
    assert [table.item(r, 5).text() for r in range(3)] == ["RC", "unaddressed", "RC"]
    assert "no reference centre" in table.item(1, 5).toolTip()
    assert "3" in flow.panel.status.text()
    expert.close()


def test_the_request_form_addresses_a_centre_and_an_expert_from_the_directory(
        window, luch_home: Path) -> None:
    directory = Directory([Person("e", "Dr E", "RC", True), Person("f", "Dr F", "RC", True),
                           Person("o", "Dr O", "Other", True), Person("r", "Dr R", "RC")])
    dialog = ReferralDialog(window, directory, "RC")
    centres = [dialog.centre.itemText(i) for i in range(dialog.centre.count())]
    assert centres == ["Other", "RC"] and dialog.centre.currentText() == "RC"
    assert [dialog.expert.itemData(i) for i in range(dialog.expert.count())] == ["", "e", "f"]
    assert dialog.expert.itemText(1) == "Dr E"  # the directory's name, not the login
    assert (dialog.values()["to"], dialog.values()["expert"]) == ("RC", "")
    dialog.expert.setCurrentIndex(2)
    assert dialog.values()["expert"] == "f"
    dialog.centre.setCurrentText("Other")
    assert [dialog.expert.itemData(i) for i in range(dialog.expert.count())] == ["", "o"]
    dialog.centre.setCurrentText("")
    assert dialog.expert.itemText(0) == "No one named (unaddressed)"
    assert (dialog.values()["to"], dialog.values()["expert"]) == ("", "")
    # A reference centre set in Settings but not in the directory is still offered first.
    other = ReferralDialog(window, Directory([]), "Moscow RC")
    assert other.centre.currentText() == "Moscow RC" and other.expert.count() == 1


def test_the_flow_sends_the_chosen_addressee_and_the_readers_centre(
        window, luch_home: Path) -> None:
    store = open_store()
    settings = _settings(luch_home, referral_centre="Station centre",
                         referral_directory={"Reader A": {"centre": "Clinic 1"}})
    version = store.save_report(pydicom.uid.generate_uid(), author="Reader A",
                                fields={"grade": "CT-1"}, text="x", status="final")
    flow = ReferralFlow(window, store, "Reader A", lambda: version.report_uid,
                        ArchiveLink(window, store), settings)
    ref = store.referral(flow.request({"kind": "second_opinion", "reason": "doubt",
                                       "urgency": "urgent", "to": "RC", "expert": "e"}))
    assert (ref.centre, ref.addressed_to, ref.addressed_expert) == ("Clinic 1", "RC", "e")
    store.close()


def test_the_settings_tab_sets_the_role_and_names(qtbot, luch_home: Path) -> None:
    from app.settings_dialog.dialog import SettingsDialog

    settings = _settings(luch_home)
    dialog = SettingsDialog(settings, reader="Expert E")
    qtbot.addWidget(dialog)
    page = dialog.referral
    assert page.role.currentData() == "reader"
    page.role.setCurrentIndex(page.role.findData("reference_centre"))
    page.centre.setText(" RC ")
    assert dialog.collect() == {"referral.role": "reference_centre", "referral.centre": "RC"}
    page.audit_share.selectAll()
    qtbot.keyClicks(page.audit_share.lineEdit(), "2.5")
    assert dialog.collect()["referral.audit_share"] == 0.025
    row = page.directory.add(Person(""))
    table = page.directory.table
    for col, text in ((0, " dr.ivanova "), (1, "Dr A. Ivanova"), (2, "RC")):
        table.item(row, col).setText(text)
    table.item(row, 3).setCheckState(Qt.CheckState.Checked)
    page.directory.add(Person(""))  # an empty row is left out
    assert dialog.collect()["referral.directory"] == {
        "dr.ivanova": {"name": "Dr A. Ivanova", "centre": "RC", "expert": True}}
    table.item(page.directory.add(Person("")), 0).setText("DR.IVANOVA")
    with pytest.raises(InvalidSetting, match="twice"):
        page.values()


def test_the_settings_tab_names_the_centres_each_reference_centre_serves(
        qtbot, luch_home: Path) -> None:
    from app.settings_dialog.dialog import SettingsDialog

    settings = _settings(luch_home, referral_serves={"RC": ["Clinic 1"]})
    dialog = SettingsDialog(settings, reader="Expert E")
    qtbot.addWidget(dialog)
    page = dialog.referral
    assert page.serves.text() == "RC: Clinic 1" and dialog.collect() == {}
    page.serves.selectAll()
    qtbot.keyClicks(page.serves, "RC: Clinic 1, Clinic 2; RC 2: Clinic 3")
    assert dialog.collect() == {"referral.serves": {"RC": ["Clinic 1", "Clinic 2"],
                                                    "RC 2": ["Clinic 3"]}}
    qtbot.keyClicks(page.serves, "; Clinic 4")  # no reference centre named
    with pytest.raises(InvalidSetting, match="Clinic 4"):
        page.values()


def test_the_settings_tab_folds_the_older_expert_list_into_the_directory(
        qtbot, luch_home: Path) -> None:
    """Logins of the older ``referral.experts`` show as experts with no centre; they are
    written into the directory (and the list emptied) only when the directory is edited."""
    from app.settings_dialog.dialog import SettingsDialog

    settings = _settings(luch_home, referral_experts=["Expert E"])
    dialog = SettingsDialog(settings, reader="Expert E")
    qtbot.addWidget(dialog)
    page = dialog.referral
    assert [p.login for p in page.directory.people()] == ["Expert E"]
    assert page.directory.people()[0].expert and dialog.collect() == {}
    page.directory.table.item(0, 2).setText("RC")
    assert dialog.collect() == {
        "referral.directory": {"Expert E": {"name": "", "centre": "RC", "expert": True}},
        "referral.experts": []}


def test_a_locked_directory_is_read_only(qtbot, luch_home: Path) -> None:
    """IT sets the directory for every station in the station policy."""
    from app.settings_dialog.dialog import SettingsDialog
    from core.settings import Policy

    locked = {"e": {"name": "E", "centre": "RC", "expert": True}}
    settings = Settings(luch_home / "settings.json",
                        Policy(locked={"referral.directory": locked}))
    dialog = SettingsDialog(settings, reader="e")
    qtbot.addWidget(dialog)
    page = dialog.referral
    assert not page.directory.isEnabled() and "referral.directory" in page.locked
    assert dialog.collect() == {}


def test_a_signed_in_expert_gets_the_reference_centre_role(window, luch_home: Path) -> None:
    """On a reading station, the users listed in ``referral.experts`` get the queue (and
    with it the reference centre's menus, which the workflow adds when the queue is there);
    everyone else reads as a reading station."""
    from app.reading.referrals import is_reference_centre

    store = open_store()
    settings = _settings(luch_home, referral_experts=["Expert E", "dr.Ivanova"])
    assert settings.get("referral.role") is None  # a reading station
    for user, expert in (("Expert E", True), ("DR.IVANOVA", True), ("Reader A", False)):
        assert is_reference_centre(settings, user) is expert
        flow = ReferralFlow(window, store, user, lambda: None, ArchiveLink(window, store),
                            settings)
        assert (flow.panel is not None) is expert and (flow.dock is not None) is expert
    settings.set("referral.experts", "Expert E, dr.Ivanova")  # typed into settings.json
    assert is_reference_centre(settings, "dr.ivanova")
    store.close()


def _imported(store, kind: str = "audit") -> int:
    """A request as the reference centre holds it after the queue imported it."""
    from datetime import UTC, datetime

    return store.import_referral({
        "uid": "2.25.4242", "study_instance_uid": "1.2.826.0.1.3680043.8.498.4242",
        "report_sop_uid": "2.25.4243", "report_series_uid": "2.25.4244", "kind": kind,
        "reason": "quality_sample", "urgency": "routine", "requester": "Head H",
        "first_reader": "Reader A", "centre": "Clinic 1", "addressed_to": "RC",
        "requested_at": datetime(2026, 12, 1, 9, tzinfo=UTC).isoformat()},
        {"grade": "CT-2", "conclusion": "bilateral GGO", "text": "first read"})


def test_the_review_dialog_reads_blind_then_signs(qtbot, window, luch_home: Path) -> None:
    from app.panels.review_dialog import ReviewDialog
    from records.outbox import KIND_REFERRAL_REVIEW

    store = open_store()
    referral_id = _imported(store)
    dialog = ReviewDialog(store, referral_id, "Expert E")
    qtbot.addWidget(dialog)
    assert "CT-2" not in dialog.first.text() and "after you save" in dialog.first.text()
    assert set(dialog.technique) == {"protocol", "coverage", "artefacts"}  # an audit
    dialog.grade.setCurrentIndex(dialog.grade.findData("CT-3"))
    dialog.findings.setPlainText("consolidation")
    assert not dialog.save(sign=True)  # no score yet: refused, the reason shown
    assert "score" in dialog.status.text() and "CT-2" not in dialog.first.text()
    assert dialog.save(sign=False)  # the own read saved: now the first report shows
    assert "CT-2" in dialog.first.text() and "Reader A" in dialog.first.text()
    dialog.score.setCurrentIndex(dialog.score.findData(3))
    dialog.category.setCurrentIndex(dialog.category.findData("interpretation"))
    for aspect, rating in (("protocol", "good"), ("coverage", "poor"),
                           ("artefacts", "acceptable")):
        dialog.technique[aspect].setCurrentIndex(dialog.technique[aspect].findData(rating))
    with qtbot.waitSignal(dialog.signed):
        assert dialog.save(sign=True)
    [review] = store.signed_reviews()
    assert (review.score, review.category, review.expert_grade) == (3, "interpretation", "CT-3")
    assert [j.kind for j in store.jobs()] == [KIND_REFERRAL_REVIEW]
    opened = [e.actor for e in store.audit_events() if e.action == "opened"]
    assert opened == ["Expert E"]  # the opening, not each save
    again = ReviewDialog(store, referral_id, "Expert E")  # reopened: the saved read shown
    qtbot.addWidget(again)
    assert again.score.currentData() == 3 and "CT-2" in again.first.text()
    store.close()


def test_the_reader_gets_the_review_and_disputes_it(qtbot, window, luch_home: Path,
                                                    orthanc_factory, tmp_path: Path) -> None:
    from app.panels.referral_panel import ReviewAnswerDialog
    from records.outbox import KIND_REFERRAL_RESPONSE
    from records.referral_queue import refresh_queue

    server = orthanc_factory()
    client = client_for(server)
    reader = open_store()
    study = pydicom.uid.generate_uid()
    version = reader.save_report(study, author="Reader A", fields={"grade": "CT-1"},
                                 text="x", status="final")
    flow = ReferralFlow(window, reader, "Reader A", lambda: version.report_uid,
                        ArchiveLink(window, reader, client), _settings(luch_home))
    assert flow.answer("acknowledge") is None  # nothing has arrived yet
    flow.request({"kind": "second_opinion", "reason": "doubt", "urgency": "urgent"})
    # request() started the background sync: wait until the report and request are sent.
    qtbot.waitUntil(lambda: reader.outbox_counts()["done"] == len(reader.jobs()),
                    timeout=30_000)
    expert = open_store(tmp_path / "expert.sqlite3")  # the reference centre, elsewhere
    [entry] = refresh_queue(expert, client)
    expert.save_review(entry.referral.id, expert="Expert E", sign=True,
                       fields=ReviewFields(grade="CT-3", score=3, category="perception",
                                           comment="GGO missed in the left lower lobe"))
    SyncEngine(expert, client).drain()
    flow.fetch_reviews()
    qtbot.waitUntil(lambda: "New reviews" in window.statusBar().currentMessage(),
                    timeout=30_000)
    [(review, first)] = flow.reviews()
    dialog = ReviewAnswerDialog(review, first.fields, first.text,
                                shown=Directory([Person("Expert E", "Dr E. Expert")]).shown)
    qtbot.addWidget(dialog)
    assert "Dr E. Expert" in dialog.findChild(QLabel, "review-score").text()
    grades = dialog.findChild(QLabel, "review-grades")
    assert "CT-1" in grades.text() and "CT-3" in grades.text()
    assert "c62828" in grades.styleSheet()  # the differing grade is marked
    assert flow.answer("dispute", "") is None  # a dispute needs a comment
    answer_id = flow.answer("dispute", "it is atelectasis")
    assert reader.response(answer_id).action == "dispute"
    assert [j.kind for j in reader.jobs()].count(KIND_REFERRAL_RESPONSE) == 1
    # answer() started the background sync: wait until the answer is in the archive.
    qtbot.waitUntil(lambda: reader.outbox_counts()["done"] == len(reader.jobs()),
                    timeout=30_000)
    # The expert's station lists the dispute under its (now empty) queue.
    centre_window = QMainWindow()
    qtbot.addWidget(centre_window)
    centre = ReferralFlow(centre_window, expert, "Expert E", lambda: None,
                          ArchiveLink(centre_window, expert, client),
                          _settings(tmp_path, referral_role="reference_centre",
                                    referral_directory={"Reader A": {"name": "Dr A"}}))
    centre.refresh()
    qtbot.waitUntil(lambda: centre.panel.disputes.count() == 1, timeout=30_000)
    assert centre.panel.table.rowCount() == 0
    assert "it is atelectasis" in centre.panel.disputes.item(0).text()
    assert centre.panel.disputes.item(0).text().startswith("Dr A ")  # the directory's name
    assert centre.panel.disputes.isVisibleTo(centre.panel)
    reader.close()
    expert.close()


def _answer_modal(qtbot, comment: str) -> dict:
    """Answer the review dialog the flow opens modally, by real clicks and keys: Dispute
    with no comment first (refused, said), then with ``comment``. Returns what it saw."""
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.panels.referral_panel import ReviewAnswerDialog

    seen: dict = {}

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReviewAnswerDialog):
            QTimer.singleShot(50, act)
            return
        seen["differing"] = dialog.differing()
        seen["cells"] = [[dialog.table.item(r, c).text() for c in range(3)]
                         for r in range(dialog.table.rowCount())]
        seen["marked"] = [dialog.table.item(r, 1).font().bold()
                          for r in range(dialog.table.rowCount())]
        qtbot.mouseClick(dialog.dispute_button, Qt.MouseButton.LeftButton)
        seen["refused"] = dialog.isVisible() and dialog.note.text()
        qtbot.keyClicks(dialog.comment, comment)
        qtbot.mouseClick(dialog.dispute_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, act)
    return seen


def test_a_reading_station_is_told_filters_compares_and_disputes(
        qtbot, luch_home: Path, orthanc_factory, tmp_path: Path) -> None:
    """The first reader's station end to end against a real Orthanc: the review of its
    report arrives with a notice, the worklist's "Reviewed" filter lists the study (marked),
    the two reports side by side mark the grade and findings that differ, and a dispute sent
    from there reaches the expert's station."""
    from PySide6.QtCore import Qt

    from records.referral_queue import refresh_disputes, refresh_queue
    from tests.app.test_workflow_archive import make_station

    server = orthanc_factory()
    client = client_for(server)
    window, workflow, reader = make_station(qtbot, client)
    mine, other = pydicom.uid.generate_uid(), pydicom.uid.generate_uid()
    for study in (mine, other):
        reader.upsert_study(study, patient_id="FB-1", patient_name="Feedback^Test")
    version = reader.save_report(mine, author="dr.home", status="final", text="Clear lungs.",
                                 fields={"grade": "CT-0", "conclusion": "No consolidation"})
    reader.save_report(other, author="dr.home", status="final", text="x",
                       fields={"grade": "CT-1"})
    reader.request_referral(version.id, kind="second_opinion", reason="doubt",
                            urgency="urgent", requester="dr.home")
    workflow.sync()
    qtbot.waitUntil(lambda: reader.outbox_counts()["done"] == len(reader.jobs()),
                    timeout=30_000)
    expert = open_store(tmp_path / "expert.sqlite3")
    [entry] = refresh_queue(expert, client)
    expert.save_review(entry.referral.id, expert="Expert E", sign=True, fields=ReviewFields(
        grade="CT-2", findings="Consolidation in the left lower lobe", score=3,
        category="perception", comment="missed"))
    SyncEngine(expert, client).drain()

    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    workflow.refresh_worklist()  # fetches the reviews of this station's requests too
    qtbot.waitUntil(lambda: any("New reviews of your reports: 1 (scores: 3)" in m
                                for m in said), timeout=30_000)
    panel = workflow.worklist
    qtbot.waitUntil(lambda: any(r.review for r in panel.rows), timeout=10_000)
    notice = workflow.referrals.notice  # stays in the status bar until answered
    assert notice.isVisible() and notice.text().endswith("Reviews to answer: 1")
    qtbot.mouseClick(notice, Qt.MouseButton.LeftButton)  # lists them on the worklist
    assert panel.status_filter.currentData() == "reviewed"
    panel.status_filter.setFocus()
    qtbot.keyClick(panel.status_filter, Qt.Key.Key_Home)  # all studies again
    assert set(panel.visible_study_uids()) >= {mine, other}
    qtbot.keyClick(panel.status_filter, Qt.Key.Key_End)  # the last filter: Reviewed
    assert panel.status_filter.currentData() == "reviewed"
    assert panel.visible_study_uids() == [mine]
    row = panel.visible_study_uids().index(mine)
    cell = panel.table.item(panel._visible_rows()[row], 5)
    assert "⚑" in cell.text() and "score 3" in cell.toolTip()
    assert "not answered" in cell.toolTip()
    rect = panel.table.visualItemRect(cell)
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.selected_study() == mine

    seen = _answer_modal(qtbot, "the opacity is atelectasis")
    window.actions["answer-review"].trigger()  # Report > Answer the review (modal)
    assert seen["differing"] == ["grade", "findings"]
    assert seen["cells"][0][1:] == ["CT-0", "CT-2"] and seen["marked"][:3] == [True, True, False]
    assert "No consolidation" in seen["cells"][1][1]
    assert seen["refused"] and "dispute" in seen["refused"]
    [answer] = [j for j in reader.jobs() if j.kind == "referral_response"]
    assert reader.response(answer.object_pk).comment == "the opacity is atelectasis"
    cell = panel.table.item(panel._visible_rows()[0], 5)
    assert "(answered)" in cell.toolTip()
    assert not notice.isVisible()
    qtbot.waitUntil(lambda: reader.outbox_counts()["done"] == len(reader.jobs()),
                    timeout=30_000)
    [dispute] = refresh_disputes(expert, client)  # back on the expert's queue
    assert dispute.comment == "the opacity is atelectasis"
    workflow.stop()
    expert.close()



def _reference_station(qtbot, client, **settings_values):
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow

    settings = Settings()
    settings.set("ai.autorun", False)
    settings.set("referral.role", "reference_centre")
    settings.set("referral.centre", "RC")
    for key, value in settings_values.items():
        settings.set(key, value)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    store = open_store()
    workflow = Workflow(window, store, reader="Expert E", archive=client)
    window.resize(1400, 900)
    window.show()
    return window, workflow, store


def test_the_audit_sample_is_drawn_and_requested_from_the_menu(
        qtbot, luch_home: Path, orthanc_factory) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.panels.referral_panel import AuditSampleDialog
    from tests.records.test_audit_sample import WEEK, _signed_week

    server = orthanc_factory()
    client = client_for(server)
    window, workflow, store = _reference_station(qtbot, client)
    _signed_week(store, list(range(60)))  # the week's reports, sent to the archive
    engine = engine_for(store, client)
    for _ in range(20):
        engine.drain()
        if store.outbox_counts()["pending"] == 0:
            break
    window.actions["audit-sample"].trigger()  # Report > Draw the audit sample…
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, AuditSampleDialog) and w.isVisible()]
    dialog.week.selectAll()
    qtbot.keyClicks(dialog.week, "2026-W4")  # not a week: refused, said
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    assert "ISO week" in dialog.result.text() and not dialog.request_button.isEnabled()
    qtbot.keyClicks(dialog.week, "9")
    assert dialog.week.text() == WEEK
    dialog.share.selectAll()
    qtbot.keyClicks(dialog.share.lineEdit(), "10")
    assert not dialog.from_store.isChecked()  # online: every centre's reports in the archive
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.request_button.isEnabled(), timeout=60_000)
    assert dialog.result.text().splitlines()[:3] == [
        "6 of 59 reports drawn", "Clinic 1: 3 of 30", "Clinic 2: 3 of 29"]
    qtbot.mouseClick(dialog.request_button, Qt.MouseButton.LeftButton)
    assert len(dialog.requested) == 6 and not dialog.isVisible()
    refs = store.referrals()
    assert {(r.kind, r.reason, r.addressed_to, r.requester) for r in refs} == {
        ("audit", "quality_sample", "RC", "Expert E")}
    # the action synced: the requests reach the archive, and the queue lists them
    uids = {r.uid for r in refs}
    qtbot.waitUntil(lambda: uids <= set(server.store_counts()), timeout=60_000)
    workflow.referrals.refresh()
    qtbot.waitUntil(lambda: workflow.referrals.panel.table.rowCount() == 6, timeout=60_000)
    workflow.stop()


def test_offline_the_audit_sample_says_so_and_draws_nothing(qtbot, luch_home: Path) -> None:
    from app.panels.referral_panel import AuditSampleDialog
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from tests.plugins.orthanc import free_port

    dead = DicomWebClient(ArchiveConfig(url=f"http://127.0.0.1:{free_port()}/dicom-web",
                                        user="u", password="p", timeout_s=2))
    store = open_store()
    dialog = AuditSampleDialog(store, "2026-W49", 0.05, "Expert E", "RC", archive=dead)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "cannot be reached" in dialog.result.text(), timeout=30_000)
    assert "this station's reports only" in dialog.result.text()
    assert dialog.drawn == [] and not dialog.request_button.isEnabled()
    qtbot.mouseClick(dialog.from_store, Qt.MouseButton.LeftButton)  # offline: the store's
    qtbot.mouseClick(dialog.draw_button, Qt.MouseButton.LeftButton)
    assert dialog.result.text().splitlines()[0] == "0 of 0 reports drawn"
    store.close()


def test_opening_a_request_shows_its_images_and_ai_and_the_first_report_after_the_own_read(
        qtbot, luch_home: Path, orthanc_factory, orthanc_ct, tmp_path: Path) -> None:
    """A double-click on the queue opens the request's study like the worklist (fetched from
    the archive, hung by the chest protocol: axial + coronal, lung window), runs or shows the
    AI pre-read, and the review dialog beside it keeps the first report back until the
    expert's own read is saved; the report panel never shows it."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.panels.review_dialog import ReviewDialog

    server = orthanc_factory()
    study = min(orthanc_ct, key=lambda uid: len(orthanc_ct[uid]))  # the 12-slice chest
    server.upload(orthanc_ct[study])
    client = client_for(server)
    reader = open_store(tmp_path / "reader.sqlite3")
    head = pydicom.dcmread(orthanc_ct[study][0], stop_before_pixels=True)
    reader.upsert_study(study, patient_id=str(head.PatientID),
                        patient_name=str(head.PatientName))
    version = reader.save_report(study, author="Reader A", status="final", text="first text",
                                 fields={"grade": "CT-1", "conclusion": "first-read secret"})
    reader.request_referral(version.id, kind="second_opinion", reason="complex_case",
                            urgency="urgent", requester="Reader A", addressed_to="RC")
    SyncEngine(reader, client).drain()
    reader.close()
    window, workflow, expert = _reference_station(qtbot, client, **{"ai.autorun": True})
    # The centre also holds the first report (imported for the audit sample, say): the
    # report panel, which would show it, stays hidden until the own read is saved.
    expert.save_report(study, author="Reader A", status="final", text="first text",
                       fields={"grade": "CT-1", "conclusion": "first-read secret"},
                       legacy=True, new_report_uid="imported-first")
    flow = workflow.referrals
    flow.refresh()
    qtbot.waitUntil(lambda: flow.panel.table.rowCount() == 1, timeout=60_000)
    table = flow.panel.table
    rect = table.visualItemRect(table.item(0, 0))
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000, raising=False) as loaded:
        # a view takes a double-click as a press, then the double-click on the same cell
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert loaded.signal_triggered, said
    assert window.volume.shape[0] == len(orthanc_ct[study])
    assert workflow.study_uid == study
    assert len(window.reading.views) == 2  # the chest hanging protocol: axial + coronal
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, ReviewDialog) and w.isVisible()]
    assert "first-read secret" not in dialog.first.text()
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=300_000):
        pass  # the AI pre-read of the opened study
    assert workflow.ai.result_json.get("grade", "").startswith("CT-") or \
        workflow.ai.result_json.get("grade") == "not-assessable"
    assert not workflow.report.isVisible() and workflow.blind_note.isVisible()
    assert workflow.ai.isVisible()  # the AI pre-read is in view
    dialog.grade.setCurrentIndex(dialog.grade.findData("CT-2"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "first-read secret" in dialog.first.text() and "Reader A" in dialog.first.text()
    assert workflow.report.isVisible() and not workflow.blind_note.isVisible()
    opened = [e for e in expert.audit_events(study) if e.action == "opened"]
    assert len(opened) >= 2  # the request (the blind case) and the images
    dialog.close()
    workflow.stop()


def test_a_blind_read_ends_only_for_its_own_study(qtbot, luch_home: Path) -> None:
    """Two requests opened one after the other: saving the first one's read must not show
    the report panel while the second study is read blind."""
    from tests.app.test_workflow_archive import make_station

    _window, workflow, _store = make_station(qtbot)
    flow = workflow.referrals
    flow.blind.emit("1.2.3.1", True)
    flow.blind.emit("1.2.3.2", True)
    flow.blind.emit("1.2.3.1", False)  # the first request's own read saved
    assert not workflow.report.isVisible() and workflow.blind_note.isVisible()
    flow.blind.emit("1.2.3.2", False)
    assert workflow.report.isVisible() and not workflow.blind_note.isVisible()
    workflow.stop()


def test_the_review_findings_and_comment_are_dictated_like_a_report(qtbot, luch_home: Path
                                                                     ) -> None:
    """The review dialog's findings and comment take the dictation while they have the focus
    (the report on screen being signed, read-only, or not): the partial previewed, the
    final placed, the words staying there when the focus goes elsewhere (the images, the
    worklist); closed, the dialog gives the dictation back to the report."""
    from dictation.session import DictationEvent
    from tests.app.test_dictation_panel import _Quiet, deliver
    from tests.app.test_workflow_archive import make_station

    _window, workflow, store = make_station(qtbot)
    dictation = workflow.dictation
    dictation._factory = _Quiet
    workflow.report.form.set_read_only(True)  # e.g. a signed report of the study on screen
    _focus(qtbot, workflow.worklist.table)  # the reader was on the worklist
    dialog = workflow.referrals.review(_imported(store, kind="second_opinion"))
    _focus(qtbot, dialog.comment)
    dialog.comment.setPlainText("Typed.")
    dictation.start()
    assert dictation.session is not None  # not refused: the words go to the review
    deliver(dictation, qtbot, DictationEvent("partial", text="vessel in"))
    assert dialog.comment.toPlainText() == "Typed. vessel in"
    deliver(dictation, qtbot, DictationEvent("final", text="Vessel in section."))
    assert dialog.comment.toPlainText() == "Typed. Vessel in section."
    _focus(qtbot, workflow.worklist.table)  # the focus elsewhere in the window (not in the
    # report): the words stay in the comment
    deliver(dictation, qtbot, DictationEvent("final", text="Vessel in section. Not a focus."))
    assert dialog.comment.toPlainText() == "Typed. Vessel in section. Not a focus."
    _focus(qtbot, dialog.findings)
    deliver(dictation, qtbot, DictationEvent("field"))  # the session reached the switch
    deliver(dictation, qtbot, DictationEvent("final", text="No ground glass."))
    assert dialog.findings.toPlainText() == "No ground glass."
    assert dialog.comment.toPlainText().endswith("Not a focus.")
    dialog.reject()  # closed: the report's fields take the dictation again
    assert dictation._outside == {}
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Late words."))
    assert "Late words" not in dialog.findings.toPlainText() + dialog.comment.toPlainText()
    dictation.stop()
    workflow.stop()


def test_a_click_on_a_report_field_takes_the_dictation_from_the_review(qtbot, luch_home: Path
                                                                       ) -> None:
    """The lead's walkthrough: dictating the review's comment, the reader clicks the images
    (the main window, activated, gives its focus back to the report's conclusion: the words
    stay in the comment), then clicks the conclusion itself (it has the focus already: no
    focus change): the words go there (they stayed in the comment: a click could not be told
    from the window's activation). A click on another report field moves them too; closed,
    the dialog leaves them in the report."""
    from PySide6.QtWidgets import QApplication

    from dictation.session import DictationEvent
    from tests.app.test_dictation_panel import _Quiet, deliver
    from tests.app.test_workflow_archive import make_station

    window, workflow, store = make_station(qtbot)
    dictation = workflow.dictation
    dictation._factory = _Quiet
    workflow.report.begin("1.2.826.0.1.3680043.10.1.78")
    conclusion = workflow.report.form.editors["conclusion"]
    _focus(qtbot, conclusion)  # the reader was writing the report
    dialog = workflow.referrals.review(_imported(store, kind="second_opinion"))
    dialog.read_saved.emit()  # the expert's own read saved: the report is in view again
    assert conclusion.isVisible()
    _focus(qtbot, dialog.comment)
    dictation.start()
    deliver(dictation, qtbot, DictationEvent("final", text="Vessel in section."))
    assert dialog.comment.toPlainText() == "Vessel in section."
    conclusion.setFocus()  # the main window's own focus field (it is not active: no event)
    assert QApplication.focusWidget() is dialog.comment
    _activate(qtbot, window)  # a click on the images: the window takes the focus back
    assert QApplication.focusWidget() is conclusion
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Vessel in section. Not a focus."))
    assert dialog.comment.toPlainText() == "Vessel in section. Not a focus."
    assert not conclusion.toPlainText()
    qtbot.mouseClick(conclusion.viewport(), Qt.MouseButton.LeftButton)  # the reader picks it
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Viral pneumonia."))
    assert conclusion.toPlainText() == "Viral pneumonia."
    assert dialog.comment.toPlainText() == "Vessel in section. Not a focus."
    _activate(qtbot, dialog)  # back to the review: activated, the words stay in the report
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Viral pneumonia. Mild."))
    assert conclusion.toPlainText() == "Viral pneumonia. Mild."
    qtbot.mouseClick(dialog.comment.viewport(), Qt.MouseButton.LeftButton)  # picked
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Reviewed."))
    assert dialog.comment.toPlainText().endswith("Reviewed.")
    other = next(e for k, e in workflow.report.form.text_editors().items() if k != "conclusion")
    _activate(qtbot, window)
    qtbot.mouseClick(other.viewport(), Qt.MouseButton.LeftButton)
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="No effusion."))
    assert other.toPlainText() == "No effusion."
    assert dialog.comment.toPlainText().endswith("Reviewed.")
    # On X11 the press can come before the window's activation: the field pressed in the
    # inactive window takes the words, and the activation that follows leaves them there.
    _activate(qtbot, dialog)
    qtbot.mouseClick(dialog.comment.viewport(), Qt.MouseButton.LeftButton)
    deliver(dictation, qtbot, DictationEvent("field"))
    qtbot.mouseClick(conclusion.viewport(), Qt.MouseButton.LeftButton)  # its window inactive
    assert QApplication.activeWindow() is dialog
    _activate(qtbot, window)
    deliver(dictation, qtbot, DictationEvent("field"))
    deliver(dictation, qtbot, DictationEvent("final", text="Small effusion."))
    assert conclusion.toPlainText().endswith("Small effusion.")
    assert dialog.comment.toPlainText().endswith("Reviewed.")
    dialog.reject()
    dictation.stop()
    workflow.stop()


def _activate(qtbot, top) -> None:
    """Activate the window ``top`` as a click on it would (its focus field gets the focus
    back, with ActiveWindowFocusReason) and let the platform's events settle."""
    from PySide6.QtWidgets import QApplication

    top.activateWindow()
    QApplication.setActiveWindow(top)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is top, timeout=5_000)
    qtbot.wait(100)


def _focus(qtbot, widget) -> None:
    """Give ``widget`` the keyboard focus (its window activated, as a click would)."""
    from PySide6.QtWidgets import QApplication

    top = widget.window()
    top.show()
    _activate(qtbot, top)  # settled: a late activation must not take the focus after this
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=5_000)


def test_reviews_are_fetched_where_a_report_was_signed_even_with_nothing_asked(
        qtbot, window, luch_home: Path, orthanc_factory) -> None:
    """An audit drawn at the reference centre may come for any signed report, so a station
    that signed one fetches (records.referral_queue.import_audits); one that signed nothing
    and asked nothing starts no thread."""
    server = orthanc_factory()
    store = open_store()
    flow = ReferralFlow(window, store, "Reader A", lambda: None,
                        ArchiveLink(window, store, client_for(server)), _settings(luch_home))
    assert flow.fetch_reviews() is None
    store.save_report(pydicom.uid.generate_uid(), author="Reader A", fields={"grade": "CT-1"},
                      text="x", status="final")
    assert flow.fetch_reviews() is not None
    qtbot.waitUntil(lambda: flow._reviews_task is None, timeout=30_000)  # nothing to adopt
    store.close()
