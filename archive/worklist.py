"""The archive side of the worklist: CT studies found with QIDO-RS."""

from __future__ import annotations

from dataclasses import dataclass

from archive.dicomweb import DicomWebClient, tag_value, tag_values

STUDY_FIELDS = {
    "study_instance_uid": "0020000D", "patient_id": "00100020", "patient_name": "00100010",
    "study_date": "00080020", "study_time": "00080030", "accession_number": "00080050",
    "description": "00081030",
}
MODALITIES_IN_STUDY = "00080061"


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
    def has_report(self) -> bool:
        """The archive holds a structured report for the study."""
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
