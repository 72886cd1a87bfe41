"""Key images sent with the signed report as a Key Object Selection document, against a real
Orthanc: it arrives once, references the marked instances and the report, and an addendum
with the same key images sends no second one."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pydicom
import pytest

from archive.dicomweb import read_dataset, tag_value
from records import ReportStatus, Store
from records.key_objects import (
    KEY_IMAGES,
    KOS_SOP_CLASS,
    key_images_of,
    key_images_text,
    key_object_selection,
    kos_sop_instance_uid,
)
from records.outbox import KIND_KEY_OBJECTS
from records.sr import study_header
from tests.plugins.orthanc import free_port
from tests.records.conftest import client_for, engine_for


def _marks(slices: list[pydicom.Dataset], numbers: list[int]) -> list[dict]:
    return [{"series_uid": str(ds.SeriesInstanceUID), "series_number": int(ds.SeriesNumber),
             "sop_class_uid": str(ds.SOPClassUID), "sop_instance_uid": str(ds.SOPInstanceUID),
             "slice": n} for ds, n in zip(slices, numbers, strict=True)]


@pytest.fixture
def chest(shared_data: Path) -> tuple[list[Path], list[pydicom.Dataset]]:
    files = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[40:44]
    return files, [pydicom.dcmread(f, stop_before_pixels=True) for f in files]


def _sign(store: Store, study: str, marks: list[dict], report_uid: str | None = None,
          reason: str = "", lang: str = "en"):
    return store.save_report(
        study, author="Ivanov I.I.", fields={"conclusion": "ok", KEY_IMAGES: marks},
        text="Text.\n\n" + key_images_text(marks, lang), report_uid=report_uid,
        status=ReportStatus.AMENDED if report_uid else ReportStatus.FINAL, reason=reason)


def test_key_images_go_to_the_archive_once_as_a_kos(store: Store, orthanc_factory, chest):
    files, slices = chest
    server = orthanc_factory()
    server.upload(files)
    study = str(slices[0].StudyInstanceUID)
    store.upsert_study(study, patient_id=str(slices[0].PatientID))
    marks = _marks([slices[1], slices[3]], [42, 44])
    # Signed while the archive is away: the KOS waits in the outbox with the report.
    version = _sign(store, study, marks)
    away = engine_for(store, client_for(server, f"http://127.0.0.1:{free_port()}/dicom-web"))
    assert away.drain().retried == 2
    store.retry_job(next(j.id for j in store.jobs() if j.kind == KIND_KEY_OBJECTS), "", 0)
    store.retry_job(next(j.id for j in store.jobs() if j.kind != KIND_KEY_OBJECTS), "", 0)

    client = client_for(server)
    report = engine_for(store, client).drain()
    assert (report.sent, report.done, report.failed) == (2, 2, 0), report.errors
    kos_uid = kos_sop_instance_uid(version.sop_instance_uid)
    found = {tag_value(i, "00080018"): i for i in client.search_instances(study)}
    assert kos_uid in found and version.sop_instance_uid in found
    kos = read_dataset(client.retrieve_instance(study, tag_value(found[kos_uid], "0020000E"),
                                                kos_uid))
    assert kos.SOPClassUID == KOS_SOP_CLASS and kos.Modality == "KO"
    assert kos.ContentTemplateSequence[0].TemplateIdentifier == "2010"
    assert kos.ConceptNameCodeSequence[0].CodeValue == "113000"  # Of Interest
    assert key_images_of(kos) == [str(slices[1].SOPInstanceUID), str(slices[3].SOPInstanceUID)]
    composite = [i for i in kos.ContentSequence if i.ValueType == "COMPOSITE"]
    assert [c.ReferencedSOPSequence[0].ReferencedSOPInstanceUID for c in composite] \
        == [version.sop_instance_uid]
    evidence = {r.ReferencedSOPInstanceUID
                for s in kos.CurrentRequestedProcedureEvidenceSequence
                for series in s.ReferencedSeriesSequence for r in series.ReferencedSOPSequence}
    assert evidence == {str(slices[1].SOPInstanceUID), str(slices[3].SOPInstanceUID),
                        version.sop_instance_uid}
    assert kos.PatientID == slices[0].PatientID and kos.StudyInstanceUID == study

    # A second drain, and a job whose completion was lost, store nothing again.
    assert engine_for(store, client).drain().sent == 0
    store.retry_job(next(j.id for j in store.jobs() if j.kind == KIND_KEY_OBJECTS), "lost", 0)
    again = engine_for(store, client).drain()
    assert (again.sent, again.already_there, again.done) == (0, 1, 1)
    assert server.store_counts()[kos_uid] == 1

    # An addendum with the same key images queues no second KOS; changed ones do.
    same = _sign(store, study, marks, version.report_uid, reason="typo")
    assert sum(j.kind == KIND_KEY_OBJECTS for j in store.jobs()) == 1
    changed = _sign(store, study, marks[:1], version.report_uid, reason="one image")
    assert sum(j.kind == KIND_KEY_OBJECTS for j in store.jobs()) == 2
    assert engine_for(store, client).drain().sent == 3  # two amended SRs and one KOS
    counts = server.store_counts()
    assert counts[kos_sop_instance_uid(changed.sop_instance_uid)] == 1
    assert kos_sop_instance_uid(same.sop_instance_uid) not in counts


def test_the_kos_is_the_same_object_each_time_it_is_built(store: Store, chest):
    _, slices = chest
    study = str(slices[0].StudyInstanceUID)
    version = _sign(store, study, _marks(slices[:2], [7, 8]))
    header = study_header(study, {"patient_id": "P1"}, {})
    first, second = (key_object_selection(version, header) for _ in range(2))
    assert first == second
    assert first.SOPInstanceUID == kos_sop_instance_uid(version.sop_instance_uid)
    assert first.ContentDate == version.signed_at.strftime("%Y%m%d")


def _description(kos: pydicom.Dataset) -> str:
    return next(i.TextValue for i in kos.ContentSequence if i.ValueType == "TEXT")


def test_the_kos_is_described_in_the_report_language(store: Store, chest):
    """A Russian report's KOS says "Ключевые изображения: ...", an English one's "Key
    images: ..." (it was English whatever the report's language)."""
    _, slices = chest
    study = str(slices[0].StudyInstanceUID)
    header = study_header(study, {"patient_id": "P1"}, {})
    marks = _marks(slices[:2], [7, 8])
    for lang in ("ru", "en"):
        kos = key_object_selection(_sign(store, study, marks, lang=lang), header)
        assert _description(kos) == key_images_text(marks, lang)
    typed = _sign(store, study, marks)  # a Russian text whose key-images line was removed
    typed = dataclasses.replace(typed, text="Очаговых изменений нет.")
    assert _description(key_object_selection(typed, header)) == key_images_text(marks, "ru")


def test_key_images_text_groups_by_series_in_the_report_language():
    marks = [{"series_uid": "1.2", "series_number": 2, "slice": 37},
             {"series_uid": "1.2", "series_number": 2, "slice": 14},
             {"series_uid": "1.5", "series_number": 5, "slice": 3}]
    assert key_images_text(marks, "en") == "Key images: series 2, slices 14, 37; series 5, slice 3"
    assert key_images_text(marks, "ru") == \
        "Ключевые изображения: серия 2, срезы 14, 37; серия 5, срез 3"
    assert key_images_text([], "en") == ""


def test_a_draft_with_key_images_queues_nothing(store: Store):
    marks = [{"series_uid": "1.2", "series_number": 2, "slice": 1,
              "sop_class_uid": "1.2.840.10008.5.1.4.1.1.2", "sop_instance_uid": "1.2.3"}]
    store.save_report("1.2.9", author="a", fields={KEY_IMAGES: marks}, text="",
                      status=ReportStatus.DRAFT)
    assert store.jobs() == []
