"""Where a study's pre-read lives in the archive: which series it reads, the fixed UIDs of
its three objects, and which of them the archive already holds.

The UIDs are derived from the study and series UIDs, the series' number of images and the
model version
(:func:`records.uids.derived_uid`), so the same pre-read made twice (a restart after kill -9,
a second process) is the same objects, and a station can find it without a search by content.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from archive.dicomweb import DicomWebClient, tag_value
from records.sr import AI_SERIES_NUMBER, ai_result_sop_instance_uid
from records.uids import NAMESPACE, derived_uid

MODALITY, SERIES_UID, SOP_UID = "00080060", "0020000E", "00080018"
STUDY_UID = "0020000D"
SERIES_INSTANCES = "00201209"  # Number of Series Related Instances
# Study UIDs asked for in one QIDO-RS request (UID list matching, comma-separated): 100 of
# 64 characters make a 6.5 kB query, under the 8 kB a proxy in front of the archive (nginx)
# takes by default; Orthanc 1.10 itself refused 18 kB (HTTP 400) and took 9 kB.
UIDS_PER_REQUEST = 100


def choose_series(series: list[dict]) -> tuple[str, int] | None:
    """The CT series a pre-read reads and its number of images: the one with the most
    (ties: the lowest UID); None when the study has no CT series."""
    ct = [(-int(tag_value(s, SERIES_INSTANCES, 0) or 0), str(tag_value(s, SERIES_UID)))
          for s in series if str(tag_value(s, MODALITY)).upper() == "CT"]
    if not ct:
        return None
    count, uid = min(ct)
    return uid, -count


@dataclass(frozen=True)
class PreReadIds:
    """The identity of one pre-read of one series (as it held ``images`` images) by one model
    version: a series that grows after its pre-read (images sent late) is another pre-read."""

    study_uid: str
    series_uid: str
    model_version: str
    images: int = 0

    def _parts(self) -> tuple[str, ...]:
        return self.study_uid, self.series_uid, self.model_version, str(self.images)

    def _uid(self, what: str) -> str:
        return derived_uid("luch-preread", what, *self._parts())

    @property
    def ai_uid(self) -> str:
        """The AI result's own UID (the flat AI SR's UIDs derive from it)."""
        return str(uuid.uuid5(NAMESPACE, "|".join(("luch-preread", *self._parts()))))

    @property
    def seg_uids(self) -> tuple[str, str]:
        """SOP Instance and Series Instance UID of the SEG."""
        return self._uid("seg"), self._uid("seg-series")

    @property
    def sr_uids(self) -> tuple[str, str]:
        """SOP Instance and Series Instance UID of the TID 1500 SR."""
        return self._uid("sr"), self._uid("sr-series")

    @property
    def flat_sr_uid(self) -> str:
        return ai_result_sop_instance_uid(self.ai_uid)

    @property
    def objects(self) -> tuple[str, str, str]:
        """The three SOP Instance UIDs: SEG, TID 1500 SR, flat AI SR."""
        return self.seg_uids[0], self.sr_uids[0], self.flat_sr_uid


def locate(client: DicomWebClient, study_uid: str, model_version: str) -> PreReadIds | None:
    """The pre-read identity of ``study_uid`` (one QIDO-RS request); None: no CT series."""
    chosen = choose_series(client.search_series(
        study_uid, {"includefield": "NumberOfSeriesRelatedInstances"}))
    return None if chosen is None else PreReadIds(study_uid, chosen[0], model_version, chosen[1])


def held(client: DicomWebClient, ids: PreReadIds) -> dict[str, str]:
    """The pre-read's objects the archive holds: SOP Instance UID -> its series UID (one
    QIDO-RS request)."""
    found = client.search_instances(ids.study_uid, {"SOPInstanceUID": ",".join(ids.objects)})
    return {str(tag_value(i, SOP_UID)): str(tag_value(i, SERIES_UID)) for i in found
            if str(tag_value(i, SOP_UID)) in ids.objects}


def present(client: DicomWebClient, ids: PreReadIds) -> set[str]:
    """Which of the pre-read's objects the archive holds."""
    return set(held(client, ids))


def flat_srs(client: DicomWebClient, study_uids: list[str]) -> dict[str, frozenset[str]]:
    """The AI results' flat SRs (series number 991) the archive holds for ``study_uids``:
    study UID -> their SOP Instance UIDs; a study with none is left out. One QIDO-RS request
    for each :data:`UIDS_PER_REQUEST` studies, however many have a pre-read."""
    found: dict[str, set[str]] = {}
    asked = set(study_uids)
    for item in client.search_uid_list(
            "instances", "StudyInstanceUID", study_uids,
            {"Modality": "SR", "SeriesNumber": str(AI_SERIES_NUMBER)}, UIDS_PER_REQUEST):
        study = str(tag_value(item, STUDY_UID))
        if study in asked:
            found.setdefault(study, set()).add(str(tag_value(item, SOP_UID)))
    return {study: frozenset(sops) for study, sops in found.items()}
