"""A local study without UIDs keeps its records when its UID becomes derived from its images."""

from app.panels.drafts import Draft, load_draft, save_draft
from app.reading.study_uid import adopt_path_uid, path_uid, study_uid_of
from records import open_store
from tests.app.signing import confirm_signing


def test_records_under_the_old_path_uid_move_to_the_derived_uid(luch_home, shared_data):
    import studies

    folder = shared_data / "ct" / "siemens-j2k-abdomen"  # no Study/Series UIDs in the files
    store = open_store(luch_home / "records.sqlite3")
    old = path_uid(folder)  # what earlier versions keyed this study by
    report = store.save_report(old, author="A B", text="t", fields={"grade": "CT-1"})
    save_draft(Draft(old, fields={"grade": "CT-2"}))
    volume = studies.open_volume(sorted(folder.iterdir())[0])  # one file of it, this time
    new = study_uid_of(volume, folder)
    assert new == volume.info.study_instance_uid != old
    adopt_path_uid(store, volume, folder, "A B")
    assert [r.uid for r in store.reports_for_study(new)] == [report.report_uid]
    assert load_draft(new).fields == {"grade": "CT-2"} and load_draft(old) is None
    adopt_path_uid(store, volume, folder, "A B")  # again: nothing more to move, no error
    assert len(store.reports_for_study(new)) == 1
    store.close()


def test_a_nifti_study_is_marked_derived_when_opened_and_its_report_stays_here(
        qtbot, luch_home, shared_data):
    """A NIfTI has no DICOM identity: opening it marks its study (a row an older version made
    too), so what is signed on it is not queued; a DICOM study with real UIDs is not marked."""
    from core.paths import DEMO_STUDY
    from tests.app.test_workflow_parts import make_workflow

    workflow = make_workflow(qtbot)
    store, window = workflow.store, workflow.window
    nifti = shared_data / "ct" / "chest-crop-a.nii.gz"
    # An older version listed the study (same derived UID) and queued a signed report.
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000) as loaded:
        window.open_path(nifti)
    uid = loaded.args[0].info.study_instance_uid
    assert "StudyInstanceUID" in loaded.args[0].info.derived_uids
    assert workflow.study_flow.study_uid == uid and store.study_kept_local(uid)
    with store.session() as s:  # as an older version left it: unmarked
        from records.models import Study
        s.query(Study).filter_by(study_instance_uid=uid).one().uid_derived = False
    store.save_report(uid, author="dr.parts", text="t", fields={"grade": "CT-1"}, status="final")
    assert not store.study_kept_local(uid) and len(store.jobs()) == 1
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        window.open_path(nifti)  # opened again by this version
    assert store.study_kept_local(uid)
    assert workflow.report.status.text().startswith("Report signed, kept on this workstation")
    assert workflow.report.start_addendum("Grade revised")
    workflow.report.form.set_values({"grade": "CT-2", "conclusion": "Viral pneumonia."})
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed):
        workflow.report.sign()
    assert len(store.jobs()) == 1, "the amendment is not queued"
    real = workflow.add_local_study(DEMO_STUDY)
    assert not store.study_kept_local(real)
