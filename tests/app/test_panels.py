"""The AI panel's cancel and failure paths and what it queues on signing; the worklist's
order, search and anonymity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.panels.ai_panel import AiPanel
from app.panels.worklist_panel import WorklistPanel, WorklistRow
from records import open_store
from studies import SeriesInfo, Volume
from tests.app import windows


def test_ai_run_can_be_cancelled_and_stores_nothing(qtbot, luch_home):
    store = open_store()
    panel = AiPanel(store, "dr.a")
    qtbot.addWidget(panel)
    voxels = np.full((120, 256, 256), -800, dtype=np.int16)
    volume = Volume(voxels, (1.0, 1.0, 2.0), (0.0, 0.0, 0.0), info=SeriesInfo(modality="CT"))
    task = panel.run(volume, "1.2.3.4")
    with qtbot.waitSignal(task.cancelled, timeout=120_000):
        panel.cancel()
    assert panel.result is None and panel.ai_result_id is None
    assert "cancelled" in panel.details.text()
    assert not panel.accept_button.isEnabled()


def test_a_volume_without_lungs_is_not_assessable_never_ct0(qtbot, luch_home):
    panel = AiPanel(open_store(), "dr.a")
    qtbot.addWidget(panel)
    tiny = Volume(np.zeros((1, 2, 2), dtype=np.int16), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    with qtbot.waitSignal(panel.result_ready, timeout=60_000):
        panel.run(tiny, "1.2.3.5")
    assert panel.result_json["grade"] == "not-assessable"
    assert panel.grade.text() != "CT-0"


def test_the_readers_verdict_is_shown_until_the_next_run(qtbot, luch_home):
    """Reject left the grade shown as before, with nothing saying the reader had rejected
    it (seen on the Philips chest); the verdict now stands under the grade, and goes with
    the next run."""
    panel = AiPanel(open_store(), "dr.a")
    qtbot.addWidget(panel)
    tiny = Volume(np.zeros((1, 2, 2), dtype=np.int16), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0))
    with qtbot.waitSignal(panel.result_ready, timeout=60_000):
        panel.run(tiny, "1.2.3.5")
    assert panel.verdict.text() == "" and not panel.verdict.isVisibleTo(panel)
    with qtbot.waitSignal(panel.rejected):
        qtbot.mouseClick(panel.reject_button, Qt.MouseButton.LeftButton)
    assert "rejected" in panel.verdict.text() and panel.verdict.isVisibleTo(panel)
    assert not panel.reject_button.isEnabled()
    with qtbot.waitSignal(panel.result_ready, timeout=60_000):
        panel.run(tiny, "1.2.3.5")
    assert panel.verdict.text() == "" and not panel.verdict.isVisibleTo(panel)


def test_ai_failure_is_told_not_raised(qtbot, luch_home, tmp_path):
    from inference.preread import PreReadOptions

    options = PreReadOptions(weights=tmp_path / "missing.pt", fallback=False)
    panel = AiPanel(open_store(), "dr.a", options)
    qtbot.addWidget(panel)
    volume = Volume(np.full((20, 64, 64), -800, dtype=np.int16), (1.0, 1.0, 5.0),
                    (0.0, 0.0, 0.0))
    with qtbot.waitSignal(panel.failed, timeout=60_000) as failed:
        panel.run(volume, "1.2.3.6")
    message = failed.args[0]
    assert message.strip() and "Traceback" not in message
    assert panel.result is None and panel.ai_result_id is None
    assert panel.details.text() == message


def test_only_the_signed_studys_pre_read_is_queued_once(qtbot, luch_home):
    store = open_store()
    panel = AiPanel(store, "dr.a")
    qtbot.addWidget(panel)
    ai = store.save_ai_result("1.2.3.7", model_name="classical", model_version="1.1",
                              values={"grade": "CT-1"}, sync=False)
    panel.ai_result_id = ai
    assert panel.queue_for_archive("1.2.3.8") == [] and store.jobs() == []  # another study
    assert panel.queue_for_archive("1.2.3.7", also=ai) == [ai]
    assert panel.queue_for_archive("1.2.3.7") == [ai]  # signed again (an amendment)
    assert [(j.kind, j.object_pk) for j in store.jobs()] == [("ai_result", ai)]
    # A study with a UID derived here: kept local, audited, never queued.
    local = store.save_ai_result("2.25.99", model_name="classical", model_version="1.1",
                                 values={}, sync=False, study_uid_derived=True)
    panel.ai_result_id = None
    panel.queue_for_archive("2.25.99", also=local)
    assert len(store.jobs()) == 1
    assert [e.action for e in store.audit_events("2.25.99")] == ["kept-local"]
    assert panel.queue_for_archive("1.2.3.7", also=12345) == []  # a result not held here


def test_dicom_outputs_that_cannot_be_written_leave_the_result(qtbot, luch_home):
    from core.paths import DEMO_STUDY, app_home

    store = open_store()
    panel = AiPanel(store, "dr.a")
    qtbot.addWidget(panel)
    info = SeriesInfo(modality="CT", study_instance_uid="1.2.3.9", series_instance_uid="1.2.3.9.1")
    tiny = Volume(np.zeros((1, 2, 2), dtype=np.int16), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0),
                  info=info)
    with qtbot.waitSignal(panel.result_ready, timeout=60_000):
        panel.run(tiny, "1.2.3.9", source=DEMO_STUDY)  # not the series that was analysed
    assert "DICOM SEG and SR could not be written" in panel.details.text()
    assert "need a DICOM source series; none found here" in panel.details.text()
    stored = store.ai_result(panel.ai_result_id)
    # Only the label map (kept to show the result when the study is opened again).
    assert stored.values["grade"] == "not-assessable"
    assert [Path(f).name.endswith(".labels.nii.gz") for f in stored.mask_files] == [True]
    assert not list((app_home() / "ai-dicom").glob("*.dcm"))


def test_a_nifti_study_gets_no_dicom_outputs(qtbot, luch_home, shared_data):
    from inference.preread import PreReadOptions
    from studies import open_volume

    path = shared_data / "ct" / "chest-crop-a.nii.gz"
    volume = open_volume(path)
    assert volume.info.study_is_local
    store = open_store()
    panel = AiPanel(store, "dr.a", PreReadOptions(engine="classical", device="cpu"))
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.result_ready, timeout=120_000):
        panel.run(volume, "2.25.1", source=path)
    assert panel.dicom_files == [] and "could not be written" not in panel.details.text()
    masks = store.ai_result(panel.ai_result_id).mask_files
    assert [Path(f).name.endswith(".labels.nii.gz") for f in masks] == [True]  # no SEG or SR


ROWS = [WorklistRow("1", "stat", "IVANOV^I", "20260101", "CT", "CT-4", "unread"),
        WorklistRow("2", "routine", "PETROV^P", "20260102", "CT", "CT-1", "draft")]


@pytest.fixture
def worklist(qtbot):
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.set_rows(ROWS)
    return panel


def test_worklist_keeps_the_triage_order_and_searches(worklist):
    assert worklist.visible_study_uids() == ["1", "2"]
    worklist.search.setText("petrov")
    assert worklist.visible_study_uids() == ["2"]
    worklist.search.setText("ct-4")
    assert worklist.visible_study_uids() == ["1"]


def test_worklist_search_box_opens_the_match_and_steps_into_the_list(worklist, qtbot):
    """Type a name, Enter opens the (first) match; Down goes into the list."""
    worklist.show()
    qtbot.waitExposed(worklist)
    worklist.search.setFocus()
    qtbot.keyClicks(worklist.search, "petrov")
    with qtbot.waitSignal(worklist.open_requested, timeout=1000) as opened:
        qtbot.keyClick(worklist.search, Qt.Key.Key_Return)
    assert opened.args == ["2"]
    worklist.search.clear()
    worklist.search.setFocus()
    qtbot.keyClick(worklist.search, Qt.Key.Key_Down)
    assert worklist.focusWidget() is worklist.table  # the keys go to the list now
    assert worklist.table.currentRow() == 0
    worklist.search.setText("nobody")
    worklist.search.setFocus()
    with qtbot.assertNotEmitted(worklist.open_requested):
        qtbot.keyClick(worklist.search, Qt.Key.Key_Return)  # no match: nothing opens


def test_worklist_selection_follows_the_study_when_rows_are_reordered(worklist):
    """A new AI grade re-sorts the worklist: the study being read stays the selected one."""
    worklist.select_study("1")
    worklist.set_rows(list(reversed(ROWS)))  # "1" is now the second row
    assert worklist.selected_study() == "1"
    assert worklist.table.currentRow() == 1
    worklist.set_rows([ROWS[1]])  # the study left the list: nothing stays wrongly selected
    assert worklist.selected_study() is None


def test_worklist_filters_by_status_and_severity(worklist):
    worklist.status_filter.setCurrentIndex(worklist.status_filter.findData("draft"))
    assert worklist.visible_study_uids() == ["2"]
    worklist.status_filter.setCurrentIndex(worklist.status_filter.findData("unread"))
    assert worklist.visible_study_uids() == ["1"]
    worklist.status_filter.setCurrentIndex(0)
    worklist.severe_only.setChecked(True)
    assert worklist.visible_study_uids() == ["1"]


def test_worklist_urgency_is_a_mark_that_leaves_the_name_its_room(worklist):
    """At 1400 px the urgency word took 76 px and the patient column ~80 ("LIDC-I...I-0003")."""
    worklist.set_rows([
        WorklistRow("1", "stat", "LIDC-IDRI-0003", "20000101", "CT", "", "unread"),
        WorklistRow("2", "urgent", "LIDC-IDRI-0001", "20000101", "CT", "", "unread"),
        WorklistRow("3", "routine", "Ivanov^I^I", "20000101", "CT", "", "unread")])
    worklist.resize(worklist.table.minimumWidth(), 400)  # as narrow as it lets itself be
    worklist.show()
    cells = [worklist.table.item(r, 0) for r in range(3)]
    assert [c.text() for c in cells] == ["!!", "!", ""]
    assert [c.toolTip() for c in cells] == ["stat", "urgent", "routine"]
    assert all(c.font().bold() for c in cells[:2])
    metrics = worklist.table.fontMetrics()
    room = worklist.table.horizontalHeader().sectionSize(1)
    assert room >= metrics.horizontalAdvance("LIDC-IDRI-0003") + 8, "the name is cut short"
    worklist.search.setText("urgent")  # the word is still found
    assert worklist.visible_study_uids() == ["2"]


def test_worklist_finds_a_nameless_study_by_accession_or_description(worklist):
    """The Philips chest (no name, no ID) could not be found by typing."""
    worklist.set_rows([
        WorklistRow("1", "routine", "", "20070208", "CT", "", "unread",
                    description="POPI 4D CT phase 00", accession="ACC-7781"),
        WorklistRow("2", "routine", "PETROV^P", "20260102", "CT", "", "unread")])
    worklist.search.setText("popi")
    assert worklist.visible_study_uids() == ["1"]
    worklist.search.setText("acc-7781")
    assert worklist.visible_study_uids() == ["1"]
    worklist.set_anonymize(True)  # what is not shown is not searched when anonymized
    assert worklist.visible_study_uids() == []


def test_worklist_names_a_study_without_a_patient_name(worklist):
    worklist.set_rows([WorklistRow("3", "routine", "", "20070208", "CT", "", "unread")])
    assert worklist.table.item(0, 1).text() == "(no name)"


def test_worklist_anonymizes_patient_names(worklist):
    assert worklist.table.item(0, 1).toolTip() == "IVANOV I"  # the whole name, when cut short
    assert worklist.table.item(0, 1).text() == "IVANOV I"  # a PN as read, not IVANOV^I
    worklist.set_anonymize(True)
    cells = [worklist.table.item(r, 1).text() for r in range(2)]
    assert "IVANOV^I" not in cells and "PETROV^P" not in cells
    assert all("IVANOV" not in worklist.table.item(r, 1).toolTip() for r in range(2))


def test_solid_focus_set_aside_is_a_link_that_shows_it(qtbot, luch_home):
    panel = AiPanel(open_store(), "dr.a")
    qtbot.addWidget(panel)
    panel._show_findings(["thick-slices",
                          "solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 "
                          "at=301,288,45"])
    assert not panel.findings.isHidden()
    assert "44-47" in panel.findings.text() and 'href="voxel:301,288,45"' in panel.findings.text()
    with qtbot.waitSignal(panel.show_voxel) as shown:
        panel.findings.linkActivated.emit("voxel:301,288,45")
    assert shown.args[0] == (301, 288, 45)
    panel._show_findings(["thick-slices"])
    assert panel.findings.isHidden() and panel.findings.text() == ""


def test_largest_lesions_are_links_that_show_them(qtbot, luch_home):
    """The result's largest lesions are listed after any focus, each a link to a voxel on it."""
    panel = AiPanel(open_store(), "dr.a")
    qtbot.addWidget(panel)
    lesions = [{"side": "right", "slices": "71-80", "ml": 12.4, "ggo_share": 0.73,
                "at": [158, 201, 75]},
               {"side": "left", "slices": "35-39", "ml": 6.2, "ggo_share": 0.11,
                "at": [300, 260, 36]}]
    panel._show_findings(["solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 "
                          "at=301,288,45"], lesions)
    text = panel.findings.text()
    assert text.index("voxel:301,288,45") < text.index("voxel:158,201,75") < text.index(
        "voxel:300,260,36")
    assert "Show lesion 1: right lung, slices 71-80, 12.4 mL" in text
    assert "Show lesion 2: left lung, slices 35-39, 6.2 mL" in text
    with qtbot.waitSignal(panel.show_voxel) as shown:
        panel.findings.linkActivated.emit("voxel:300,260,36")
    assert shown.args[0] == (300, 260, 36)
    panel._show_findings([], lesions[:1])
    assert not panel.findings.isHidden() and "lesion 2" not in panel.findings.text()


def test_lesion_links_speak_russian(qtbot, qapp, luch_home, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    assert install_translator(qapp) == "ru"
    try:
        panel = AiPanel(open_store(), "dr.a")
        qtbot.addWidget(panel)
        panel._show_findings([], [{"side": "left", "slices": "35-39", "ml": 6.2,
                                   "ggo_share": 0.11, "at": [300, 260, 36]}])
        assert "Показать участок уплотнения 1: левое лёгкое, срезы 35-39, 6,2 мл" in (
            panel.findings.text())
    finally:
        remove_translators(qapp)


def test_pruning_keeps_what_may_still_be_sent(luch_home):
    """Files of a result the archive holds go; files of a queued result, or of a recent one
    never queued, stay; a pre-read never queued for a week is released (audited, the result
    kept); files no result lists go after an hour (a session ended before saving them)."""
    import os
    from datetime import UTC, datetime, timedelta

    from app.panels.ai_panel import DICOM_DIR, ORPHAN_AGE_S, prune_dicom_outputs
    from core.paths import app_subdir
    from records import JobState
    from records.models import AIResult, OutboxJob
    from records.outbox import KIND_AI_RESULT
    from records.retention import UNSENT_KEEP_DAYS

    store = open_store()
    folder = app_subdir(DICOM_DIR)
    names = ("sent.seg.dcm", "queued.seg.dcm", "local.seg.dcm", "stale.seg.dcm",
             "old.seg.dcm", "new.seg.dcm", "sentmap.labels.nii.gz", "oldmap.labels.nii.gz")
    paths = {n.split(".")[0]: folder / n for n in names}
    for path in paths.values():
        path.write_bytes(b"DICM")
    mine = luch_home / "mine.seg.dcm"  # a user's own file (luch analyze --seg): not ours
    mine.write_bytes(b"DICM")
    extra = {"sent": ["sentmap"], "stale": [], "old_sent": ["oldmap"]}
    ids = {key: store.save_ai_result(
        "1.2.3", model_name="m", model_version="1", values={},
        mask_files=[str(paths[k]) for k in ([key] if key in paths else []) + extra.get(key, [])]
        + ([str(mine)] if key == "stale" else []),
        sync=key in ("sent", "queued", "old_sent"))
        for key in ("sent", "queued", "local", "stale", "old_sent")}
    now = paths["new"].stat().st_mtime + 60
    with store.session() as s:  # the archive confirmed two; one is a week old
        for key in ("sent", "old_sent"):
            job = s.query(OutboxJob).filter_by(kind=KIND_AI_RESULT, object_pk=ids[key]).one()
            job.state = JobState.DONE
        s.get(AIResult, ids["stale"]).created_at = (
            datetime.fromtimestamp(now, UTC) - timedelta(days=UNSENT_KEEP_DAYS, hours=1))
    os.utime(paths["old"], (now - ORPHAN_AGE_S - 1,) * 2)
    os.utime(paths["oldmap"], (now - UNSENT_KEEP_DAYS * 86400 - 1,) * 2)
    removed = prune_dicom_outputs(store, now=now)
    assert sorted(p.name for p in removed) == [
        "old.seg.dcm", "oldmap.labels.nii.gz", "sent.seg.dcm", "stale.seg.dcm"]
    # a sent result's label map stays for the keep days (reopening shows it at once)
    assert sorted(p.name for p in folder.iterdir()) == [
        "local.seg.dcm", "new.seg.dcm", "queued.seg.dcm", "sentmap.labels.nii.gz"]
    assert store.ai_result(ids["stale"]).mask_files == [str(mine)] and mine.exists()
    assert store.ai_result(ids["local"]).mask_files == [str(paths["local"])]
    assert [e.detail for e in store.audit_events("1.2.3") if e.action == "ai-files-released"] == [
        {"ai_result": ids["stale"], "files": 1}]
    assert prune_dicom_outputs(store, now=now) == []
    store.close()


def test_a_signed_study_opened_again_finds_its_pre_read_after_the_sync(luch_home):
    """The sync's pruning deleted a sent result's label map with its SEG and SR: opening
    the signed study again read the whole study again (walkthrough, LIDC-IDRI-0001)."""
    from app.panels.ai_files import current_model_version, find_stored, write_label_map
    from app.panels.ai_panel import DICOM_DIR, prune_dicom_outputs
    from core.paths import app_subdir
    from records import JobState
    from records.models import OutboxJob
    from records.outbox import KIND_AI_RESULT
    from studies import SeriesInfo, Volume

    store = open_store()
    volume = Volume(np.full((4, 8, 8), -800, np.int16), (1.0, 1.0, 2.0), (0.0, 0.0, 0.0),
                    info=SeriesInfo(series_instance_uid="1.2.3.4"))
    labels = np.ones(volume.shape, np.uint8)
    seg = app_subdir(DICOM_DIR) / "x.seg.dcm"
    seg.write_bytes(b"DICM")
    files = [str(write_label_map(labels, volume)), str(seg)]
    rid = store.save_ai_result("1.2.3", model_name="m", model_version=current_model_version(),
                               values={"grade": "CT-0"}, mask_files=files, sync=True,
                               series_instance_uid="1.2.3.4")
    with store.session() as s:
        s.query(OutboxJob).filter_by(kind=KIND_AI_RESULT, object_pk=rid).one().state = \
            JobState.DONE
    assert [p.name for p in prune_dicom_outputs(store)] == ["x.seg.dcm"]
    stored = find_stored(store, "1.2.3", volume, current_model_version())
    assert stored is not None and stored.ai_result_id == rid
    store.close()


def test_a_study_reopened_shows_the_verdict_its_reader_gave(qtbot, luch_home):
    """Seen in the app: AI values accepted, the study left with a draft and opened again; the
    panel offered "Accept AI values" anew, as if nothing had been decided."""
    from records.models import Verdict
    from studies import SeriesInfo, Volume

    _, workflow = windows.station(qtbot, "dr.smirnova")
    ai, store = workflow.ai, workflow.store
    volume = Volume(np.full((4, 8, 8), -800, np.int16), (1.0, 1.0, 2.0), (0.0, 0.0, 0.0),
                    info=SeriesInfo(series_instance_uid="1.2.3.4"))
    rid, shown_again = _stored_ct1(ai, store, volume, "1.2.3")

    reopen = shown_again
    store.save_ai_feedback(rid, reader="dr.ivanov", verdict=Verdict.DISAGREE)  # not theirs
    reopen()
    assert not ai.verdict.isVisibleTo(ai) and ai.accept_button.isEnabled()
    store.save_ai_feedback(rid, reader=ai.reader, verdict=Verdict.AGREE)
    reopen()
    assert ai.verdict.isVisibleTo(ai) and ai.verdict.text() == "You accepted the AI values"
    assert not ai.accept_button.isEnabled() and not ai.reject_button.isEnabled()


def test_a_rejected_result_stays_rejected_after_signing_another_grade(qtbot, luch_home):
    """Walkthrough (LIDC-IDRI-0003): the AI's CT-1 rejected, the reader signed CT-0; opened
    again, the panel said "You accepted the AI values as corrected" (signing stored a partial
    verdict over the rejection). An accepted result signed with another grade is partial."""
    from records.models import Verdict
    from studies import SeriesInfo, Volume

    _, workflow = windows.station(qtbot, "dr.smirnova")
    ai, store = workflow.ai, workflow.store
    volume = Volume(np.full((4, 8, 8), -800, np.int16), (1.0, 1.0, 2.0), (0.0, 0.0, 0.0),
                    info=SeriesInfo(series_instance_uid="1.2.3.4"))
    rid, shown_again = _stored_ct1(ai, store, volume, "1.2.3")
    shown_again()
    ai.reject()
    ai.record_correction("CT-0")
    assert [f.verdict for f in store.ai_feedback(rid)] == [Verdict.DISAGREE]
    shown_again()
    assert ai.verdict.text() == "You rejected the AI result: its values are not used"
    store.save_ai_feedback(rid, reader=ai.reader, verdict=Verdict.AGREE)  # accepted after all
    ai.record_correction("CT-0")
    assert store.ai_feedback(rid)[-1].verdict is Verdict.PARTLY


def test_a_rejected_results_overlay_stays_hidden_when_the_study_is_opened_again(
        qtbot, luch_home):
    """Walkthrough (LIDC-IDRI-0003): the AI result rejected (its overlay hidden), the study
    left and opened again: the rejected lesions were painted again. A result not rejected,
    or one asked for anew, is shown."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    windows.open_demo(qtbot, window)
    ai, store, volume = workflow.ai, workflow.store, window.volume
    _rid, shown_again = _stored_ct1(ai, store, volume, workflow.study_uid)

    def reopen():
        window.state.set_overlay(shown=True)  # a study opened again starts a fresh state
        shown_again()
        return [layer.slice.GetVisibility() for layer in window.overlay_layers]

    assert all(reopen())
    ai.reject()
    assert not any(layer.slice.GetVisibility() for layer in window.overlay_layers)
    assert reopen() and not any(reopen()), "rejected: hidden as it was"


def test_a_rejection_carries_over_to_a_newer_models_result_of_the_study(qtbot, luch_home):
    """Walkthrough: the reader rejected the AI result; after a model-version bump the
    study's new result came with no verdict and its overlay painted again, as if nothing had
    been decided. The new result says that the earlier one (model X) was rejected and that
    this one is new, its overlay stays hidden (O shows it), and it waits for a verdict of
    its own: none is stored for it in the reader's name."""
    from records.models import Verdict

    window, workflow = windows.station(qtbot, "dr.smirnova")
    windows.open_demo(qtbot, window)
    ai, store, volume = workflow.ai, workflow.store, window.volume
    old_id, shown_old = _stored_ct1(ai, store, volume, workflow.study_uid, "2.0.0+post9")
    shown_old()
    qtbot.mouseClick(ai.reject_button, Qt.MouseButton.LeftButton)
    assert [f.verdict for f in store.ai_feedback(old_id)] == [Verdict.DISAGREE]
    new_id, shown_new = _stored_ct1(ai, store, volume, workflow.study_uid)
    window.state.set_overlay(shown=True)  # a study opened again starts a fresh state
    shown_new()
    assert ai.ai_result_id == new_id and store.ai_feedback(new_id) == []
    assert ai.verdict.isVisibleTo(ai)
    assert "rejected the earlier AI result" in ai.verdict.text()
    assert "2.0.0+post9" in ai.verdict.text()
    assert ai.accept_button.isEnabled() and ai.reject_button.isEnabled()
    assert window.overlay_layers
    assert not any(layer.slice.GetVisibility() for layer in window.overlay_layers)
    ai.record_correction("CT-0")  # signed without judging it: no verdict made up for it
    assert store.ai_feedback(new_id) == []
    qtbot.mouseClick(ai.accept_button, Qt.MouseButton.LeftButton)
    assert [f.verdict for f in store.ai_feedback(new_id)] == [Verdict.AGREE]
    assert ai.verdict.text() == "You accepted the AI values"
    shown_new()  # opened again: the reader's own verdict on it, nothing carried
    assert ai.verdict.text() == "You accepted the AI values"


def test_a_hidden_overlay_stays_hidden_when_the_same_study_is_loaded_again(qtbot, luch_home):
    """Walkthrough (popi, after the model bump and a restart): "you rejected the earlier AI
    result ... this one is new" said, yet its lesions painted: the same study loaded again
    starts a fresh reading state (overlay shown) and its result's labels were drawn as they
    are. A rejected result's are hidden the same way."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    windows.open_demo(qtbot, window)
    ai, store, volume = workflow.ai, workflow.store, window.volume
    _old, shown_old = _stored_ct1(ai, store, volume, workflow.study_uid, "2.0.0+post9")
    shown_old()
    ai.reject()
    _new, shown_new = _stored_ct1(ai, store, volume, workflow.study_uid)
    shown_new()
    assert "rejected the earlier AI result" in ai.verdict.text()
    for _ in range(2):  # a new result of a rejected one's study; then one rejected here
        windows.open_demo(qtbot, window)  # the same study loaded again
        qtbot.wait(100)
        assert window.overlay_layers
        assert not any(layer.slice.GetVisibility() for layer in window.overlay_layers)
        ai.reject()


def _stored_ct1(ai, store, volume, study_uid: str, version: str | None = None):
    """A CT-1 pre-read of ``volume`` stored for ``study_uid`` (its air as the label map) by
    model ``version`` (the current one by default); returns its id and a function showing it
    in ``ai`` as a study opened again does."""
    from app.panels.ai_files import current_model_version, find_stored, write_label_map
    from tests.app.test_report_flow import AI_CT1_WITH_LESIONS

    version = version or current_model_version()
    files = [str(write_label_map((volume.voxels < -500).astype(np.uint8), volume))]
    rid = store.save_ai_result(study_uid, model_name="m", model_version=version,
                               values={**AI_CT1_WITH_LESIONS, "model_version": version,
                                       "engine": "unet",
                                       "device": "cpu", "seconds": 16.7},
                               mask_files=files,
                               series_instance_uid=volume.info.series_instance_uid)

    def shown_again() -> None:
        ai.show_stored(volume, study_uid, find_stored(store, study_uid, volume, version))
    return rid, shown_again


def test_search_enter_opens_the_patients_newest_study_not_the_prior(worklist, qtbot):
    """Walkthrough: a patient with two studies, the older listed first by the triage order
    (same grade, older date first); search + Enter opened the older one, the prior. Enter
    opens the newest of that patient's matches (the prior is for Ctrl+P)."""
    worklist.set_rows([
        WorklistRow("7.1", "routine", "SIDOROV^S", "20250301", "CT", "CT-2", "final"),
        WorklistRow("7.9", "routine", "KOZLOV^K", "20260105", "CT", "CT-2", "unread"),
        WorklistRow("7.2", "routine", "SIDOROV^S", "20260110", "CT", "CT-2", "unread")])
    worklist.show()
    qtbot.waitExposed(worklist)
    worklist.search.setFocus()
    qtbot.keyClicks(worklist.search, "sidorov")
    assert worklist.visible_study_uids() == ["7.1", "7.2"]
    with qtbot.waitSignal(worklist.open_requested, timeout=1000) as opened:
        qtbot.keyClick(worklist.search, Qt.Key.Key_Return)
    assert opened.args == ["7.2"]
    worklist.search.clear()  # a search matching two patients: the first one's newest
    qtbot.keyClicks(worklist.search, "ct-2")
    with qtbot.waitSignal(worklist.open_requested, timeout=1000) as opened:
        qtbot.keyClick(worklist.search, Qt.Key.Key_Return)
    assert opened.args == ["7.2"]


def test_a_corrected_result_still_shows_its_involvement_folded(qtbot, luch_home):
    """After "save correction" the reader wants the new percentages at a glance (seen on the
    Philips chest: the folded line became "Corrected by the reader ..." and the involvement
    went behind "Details"); the set-aside focus stays a link."""
    panel = AiPanel(open_store(), "dr.a")
    qtbot.addWidget(panel)
    values = {"grade": "CT-1", "ai_grade": "CT-1", "corrected": True,
              "involvement_percent": {"right": 3.0, "left": 2.0, "total": 2.5},
              "grade_worst_lung": "CT-1", "grade_both_lungs": "CT-1",
              "volumes_ml": {"ggo": 120.0, "consolidation": 15.0}, "probability": "low",
              "quality_flags": ["corrected-by-reader", "solid-focus-not-graded: side=right "
                                "slices=58-68 ml=17.3 mm=23 at=200,210,63"], "lesions": []}
    panel.show_corrected(values, correction_id=1)
    assert panel.summary.text() == "Involvement: right 3.0%, left 2.0%, total 2.5%"
    assert "Corrected by the reader" in panel.details.text().split("\n")[1]
    assert "voxel:200,210,63" in panel.findings.text()
