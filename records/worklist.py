"""The reading worklist: unreported CT studies from the archive in triage order.

Order: urgency (stat, urgent, routine), then the AI grade from the pre-read (CT-4 first), then
the oldest study first. A study the AI has not graded (not pre-read yet, failed, or not
assessable) sorts after CT-4 and CT-3 and before CT-2, CT-1 and CT-0: it may be severe and
nothing has said otherwise, while a low grade is the AI's word that it is less urgent; so a
failed pre-read never buries a study, and a known severe one still comes first. A grade
computed by an older model version than the station's (``ai_current`` False) is outdated: a
severe one keeps its place (the study may well be severe), a low one sorts as ungraded (the
current model has not said so). Studies
reported in the archive or signed off here are left out. Each study's metadata is cached in
the local store for offline use.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from sqlalchemy import select

from archive.dicomweb import DicomWebClient
from archive.worklist import ArchiveStudy, query_studies, reported_studies
from records.models import AIResult, Report, ReportStatus, Study
from records.store import Store

PRIORITY_RANK = {"stat": 0, "urgent": 1, "routine": 2}
UNGRADED_RANK = 2.5  # between CT-3 and CT-2


@dataclass(frozen=True)
class WorklistItem:
    study_instance_uid: str
    accession_number: str
    study_date: str
    study_time: str
    description: str
    priority: str
    ai_grade: str | None
    ai_model_version: str | None = None  # the version that computed ``ai_grade``
    ai_current: bool = True  # False: computed by another model version than the station's

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def grade_rank(grade: str | None) -> float:
    if grade and grade.upper().startswith("CT-") and grade[3:].isdigit():
        return int(grade[3:])
    return UNGRADED_RANK


def triage_key(item: WorklistItem) -> tuple:
    rank = grade_rank(item.ai_grade)
    if not item.ai_current:  # an outdated grade may raise a study, never lower it
        rank = max(rank, UNGRADED_RANK)
    return (PRIORITY_RANK.get(item.priority, 2), -rank,
            item.study_date or "99999999", item.study_time or "999999")


def _cache(store: Store, found: list[ArchiveStudy]) -> None:
    for st in found:
        store.upsert_study(st.study_instance_uid, patient_id=st.patient_id,
                           patient_name=st.patient_name, study_date=st.study_date,
                           study_time=st.study_time, accession_number=st.accession_number,
                           description=st.description, modalities="\\".join(st.modalities))


def build_worklist(store: Store, client: DicomWebClient | None, *,
                   include_reported: bool = False,
                   model_version: str | None = None) -> list[WorklistItem]:
    """The worklist from the archive (or, with ``client`` None, from the local cache only).
    A study's grade is its newest result by ``model_version`` (the station's current model),
    else its newest by any version, then marked not current; with ``model_version`` None
    every grade counts as current (the version is not known)."""
    if client is not None:
        found = query_studies(client)
        _cache(store, found)
        in_archive = {s.study_instance_uid for s in found}
        reported_remote = reported_studies(client, found) if not include_reported else set()
    else:
        in_archive, reported_remote = None, set()
    items = []
    with store.session() as s:
        studies = s.scalars(select(Study))
        signed = set(s.scalars(select(Report.study_pk).where(Report.status.in_(
            [ReportStatus.FINAL, ReportStatus.AMENDED, ReportStatus.PRELIMINARY]))))
        grades: dict[int, tuple[str, str]] = {}  # study -> (grade, model version)
        for result in s.scalars(select(AIResult).order_by(AIResult.id)):
            kept = grades.get(result.study_pk)
            if "grade" in result.values and (
                    kept is None or kept[1] != model_version
                    or result.model_version == model_version):
                grades[result.study_pk] = (str(result.values["grade"]), result.model_version)
        for st in studies:
            if in_archive is not None and st.study_instance_uid not in in_archive:
                continue
            reported = st.id in signed or st.study_instance_uid in reported_remote
            if reported and not include_reported:
                continue
            grade, version = grades.get(st.id, (None, None))
            items.append(WorklistItem(
                st.study_instance_uid, st.accession_number, st.study_date, st.study_time,
                st.description, st.priority, grade, version,
                grade is None or model_version is None or version == model_version))
    return sorted(items, key=triage_key)
