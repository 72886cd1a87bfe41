"""A local study without UIDs keeps its records when its UID becomes derived from its images."""

from app.drafts import Draft, load_draft, save_draft
from app.reading.study import adopt_path_uid, path_uid, study_uid_of
from records import open_store


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
