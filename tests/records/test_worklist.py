"""The worklist: unreported CT studies from a real archive, in triage order."""

from __future__ import annotations

import io
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from records import Store, open_store
from records.worklist import WorklistItem, build_worklist, triage_key
from tests.records.conftest import client_for, engine_for


def _foreign_report(image: Path) -> bytes:
    """A minimal Basic Text SR another RIS might store, in the study of ``image``."""
    src = pydicom.dcmread(image, stop_before_pixels=True)
    ds = Dataset()
    for keyword in ("PatientID", "PatientName", "StudyInstanceUID", "StudyDate"):
        setattr(ds, keyword, getattr(src, keyword, ""))
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.88.11"
    ds.SOPInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.Modality, ds.SeriesNumber, ds.InstanceNumber = "SR", 3, 1
    ds.file_meta = FileMetaDataset()
    ds.file_meta.MediaStorageSOPClassUID = ds.SOPClassUID
    ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    out = io.BytesIO()
    ds.save_as(out, enforce_file_format=True)
    return out.getvalue()


def _item(uid: str, priority: str = "routine", grade: str | None = None,
          date: str = "20240101") -> WorklistItem:
    return WorklistItem(uid, "", date, "", "", priority, grade)


def test_triage_order_urgency_then_ai_grade_then_age() -> None:
    items = [_item("old-ct1", grade="CT-1", date="20230101"), _item("ct4", grade="CT-4"),
             _item("stat-ct0", priority="stat", grade="CT-0"), _item("ungraded"),
             _item("ct3", grade="CT-3"), _item("new-ct1", grade="CT-1", date="20250101")]
    assert [i.study_instance_uid for i in sorted(items, key=triage_key)] == [
        "stat-ct0", "ct4", "ct3", "ungraded", "old-ct1", "new-ct1"]


def test_ungraded_sorts_after_ct3_and_before_ct2() -> None:
    """Not pre-read yet (or not assessable): it may be severe, so before the studies the AI
    called mild; a known CT-3 still comes first."""
    items = [_item("ct2", grade="CT-2"), _item("na", grade="not-assessable"),
             _item("ungraded"), _item("ct3", grade="CT-3"), _item("ct0", grade="CT-0")]
    assert [i.study_instance_uid for i in sorted(items, key=triage_key)] == [
        "ct3", "na", "ungraded", "ct2", "ct0"]


def test_worklist_from_archive_with_ai_triage(store: Store, orthanc_factory, shared_data,
                                              tmp_path) -> None:
    orthanc = orthanc_factory()  # private: this test adds a report to a study
    by_study = {}
    for case in ("lidc-idri-0001", "lidc-idri-0003"):
        files = sorted((shared_data / "ct" / case).glob("*.dcm"))[:2]
        orthanc.upload(files)
        by_study[str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)] = files
    client = client_for(orthanc)
    first, second = sorted(by_study)
    store.save_ai_result(second, model_name="covid", model_version="1", values={"grade": "CT-4"},
                         sync=False)
    store.save_ai_result(first, model_name="covid", model_version="1", values={"grade": "CT-1"},
                         sync=True)  # its AI SR goes to the archive: that is no report
    uids = [i.study_instance_uid for i in build_worklist(store, client)]
    assert uids.index(second) < uids.index(first)
    cached = store.study(first)
    assert cached.accession_number is not None and cached.modalities == "CT"
    # Reporting a study (and sending it) takes it off the worklist, here and in the archive.
    store.save_report(second, author="A B", text="t", fields={"grade": "CT-4"}, status="final")
    engine_for(store, client).drain()
    assert second not in [i.study_instance_uid for i in build_worklist(store, client)]
    elsewhere = open_store(tmp_path / "other-station.sqlite3")  # knows only the archive
    assert "SR" in store.study(first).modalities.split("\\")  # the AI's SR is there
    assert second not in [i.study_instance_uid for i in build_worklist(elsewhere, client)]
    assert first in [i.study_instance_uid for i in build_worklist(elsewhere, client)]
    # A report written by another system (an SR series of a number that is not ours) counts.
    orthanc.rest("POST", "/instances", data=_foreign_report(by_study[first][0]))
    assert first not in [i.study_instance_uid for i in build_worklist(elsewhere, client)]
    elsewhere.close()
    # Offline: the cached worklist still works.
    assert first in [i.study_instance_uid for i in build_worklist(store, None)]


def test_an_outdated_grade_may_raise_a_study_never_lower_it() -> None:
    """A grade by an older model version: a severe one keeps its place, a low one sorts with
    the ungraded (the current model has not called it mild)."""
    def old(uid: str, grade: str) -> WorklistItem:
        return WorklistItem(uid, "", "20240101", "", "", "routine", grade, "1.0+post1", False)

    items = [old("old-ct1", "CT-1"), _item("ct2", grade="CT-2"), old("old-ct4", "CT-4"),
             _item("ct3", grade="CT-3")]
    assert [i.study_instance_uid for i in sorted(items, key=triage_key)] == [
        "old-ct4", "ct3", "old-ct1", "ct2"]


def test_the_grade_by_the_current_model_wins_and_another_is_outdated(store: Store) -> None:
    """A study read by an old version only: its grade, marked not current; one read by both
    (the current one first, an old one stored after it, e.g. an import): the current grade."""
    store.upsert_study("2.25.71", study_date="20240101")
    store.upsert_study("2.25.72", study_date="20240101")
    store.save_ai_result("2.25.71", model_name="unet", model_version="1.0+post1",
                         values={"grade": "CT-1"}, sync=False)
    store.save_ai_result("2.25.72", model_name="unet", model_version="2.0+post9",
                         values={"grade": "CT-3"}, sync=False)
    store.save_ai_result("2.25.72", model_name="unet", model_version="1.0+post1",
                         values={"grade": "CT-0"}, sync=False)
    items = {i.study_instance_uid: i for i in build_worklist(store, None,
                                                             model_version="2.0+post9")}
    assert (items["2.25.71"].ai_grade, items["2.25.71"].ai_model_version,
            items["2.25.71"].ai_current) == ("CT-1", "1.0+post1", False)
    assert (items["2.25.72"].ai_grade, items["2.25.72"].ai_current) == ("CT-3", True)
    unknown = {i.study_instance_uid: i for i in build_worklist(store, None)}
    assert unknown["2.25.71"].ai_current  # the version not known: nothing called outdated
