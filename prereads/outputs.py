"""The three objects a pre-read leaves in the archive, with their fixed UIDs: the DICOM SEG
and the TID 1500 SR of :mod:`inference.dicom_out`, and the flat AI SR of
:func:`records.sr.ai_result_to_sr` (the values the stations read back), the same the app
sends when a report is signed."""

from __future__ import annotations

from datetime import UTC, datetime

import pydicom
from pydicom.dataset import Dataset

from inference.dicom_out import make_seg, make_sr
from inference.preread import PreReadResult
from prereads.archived import PreReadIds
from records.sr import ai_result_to_sr, study_header


def _identify(ds: Dataset, sop_uid: str, series_uid: str) -> None:
    ds.SOPInstanceUID, ds.SeriesInstanceUID = sop_uid, series_uid
    if getattr(ds, "file_meta", None) is not None:
        ds.file_meta.MediaStorageSOPInstanceUID = sop_uid


def _header(ids: PreReadIds, source: Dataset) -> Dataset:
    """The patient and study attributes the flat SR copies, from a source image."""
    def text(keyword: str) -> str:
        return str(source.get(keyword, "") or "")

    patient = {"patient_id": text("PatientID"), "name": text("PatientName"),
               "birth_date": text("PatientBirthDate"), "sex": text("PatientSex")}
    study = {"study_date": text("StudyDate"), "study_time": text("StudyTime"),
             "accession_number": text("AccessionNumber")}
    return study_header(ids.study_uid, patient, study)


def model_name(result: PreReadResult) -> str:
    return f"luch-{result.engine}"


def build_outputs(result: PreReadResult, sources: list[pydicom.Dataset], ids: PreReadIds,
                  now: datetime | None = None) -> list[Dataset]:
    """SEG, TID 1500 SR (referring to the SEG) and flat AI SR, under ``ids``' UIDs."""
    seg = make_seg(result, sources)
    _identify(seg, *ids.seg_uids)  # before the SR is made: it refers to the SEG by UID
    sr = make_sr(result, sources, seg)
    _identify(sr, *ids.sr_uids)
    flat = ai_result_to_sr(ids.ai_uid, model_name(result), result.model_version,
                           result.to_json(), now or datetime.now(UTC), _header(ids, sources[0]))
    return [seg, sr, flat]
