"""The archive side of the worklist: CT studies found with QIDO-RS."""

from __future__ import annotations

from dataclasses import dataclass

from archive.dicomweb import DicomWebClient, tag_value, tag_values
from core.series_numbers import is_report_series

STUDY_FIELDS = {
    "study_instance_uid": "0020000D", "patient_id": "00100020", "patient_name": "00100010",
    "study_date": "00080020", "study_time": "00080030", "accession_number": "00080050",
    "description": "00081030",
}
MODALITIES_IN_STUDY = "00080061"
STUDY_UID, SERIES_NUMBER = "0020000D", "00200011"


@dataclass(frozen=True)
class ArchiveStudy:
    study_instance_uid: str
    patient_id: str
    patient_name: str
    study_date: str
    study_time: str
    accession_number: str
    description: str
    modalities: tuple[str, ...]

    @property
    def has_sr(self) -> bool:
        """The study holds some SR: a report, or only the station's AI results or requests."""
        return "SR" in self.modalities


def query_studies(client: DicomWebClient, *, modality: str = "CT", since: str | None = None,
                  limit: int = 1000) -> list[ArchiveStudy]:
    """Studies with ``modality`` in the archive (from ``since``, YYYYMMDD, when given)."""
    params: dict[str, str | int] = {"ModalitiesInStudy": modality, "limit": limit,
                                    "includefield": "StudyDescription"}
    if since:
        params["StudyDate"] = f"{since}-"
    found = []
    for item in client.search_studies(params):
        values = {k: str(tag_value(item, tag)) for k, tag in STUDY_FIELDS.items()}
        found.append(ArchiveStudy(**values, modalities=tuple(
            str(m) for m in tag_values(item, MODALITIES_IN_STUDY))))
    return found


def reported_studies(client: DicomWebClient, studies: list[ArchiveStudy]) -> set[str]:
    """The studies among ``studies`` whose SR series include a report.

    An SR alone does not make a study reported: the pre-read service stores the AI's
    results as SR, and second-opinion requests travel as SR. Series are searched for the
    studies holding any SR, in UID lists (:meth:`DicomWebClient.search_uid_list`); an SR
    series counts unless its number is one of the station's non-report objects
    (:mod:`core.series_numbers`), so a report from another system counts.
    """
    with_sr = sorted(s.study_instance_uid for s in studies if s.has_sr)
    return {str(tag_value(item, STUDY_UID)) for item in client.search_uid_list(
                "series", "StudyInstanceUID", with_sr,
                {"Modality": "SR", "includefield": SERIES_NUMBER})
            if is_report_series(tag_value(item, SERIES_NUMBER, ""))}
