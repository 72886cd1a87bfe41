"""The sync engine: drains the outbox to the archive over STOW-RS, exactly once per object.

For each batch of leased jobs it (1) builds the DICOM objects (a report version's SR; its
key images' KOS; an AI result's SR plus its SEG files; a second-opinion/audit request's SR,
a signed review's SR and a reader's answer to it, records.referral_sr), (2) asks the
archive which of them it already holds (QIDO-RS by SOP Instance UID), (3) parks report
jobs as conflicts when the archive holds a report for the study that this station has not
seen, (4) sends only what is missing in one STOW-RS request, and (5) marks a job done only
when every object of it is known to be in the archive.
When a send fails half-way the next attempt starts again at (2), so nothing is sent twice and
nothing is dropped. Network failures are retried with exponential backoff and jitter.
Studies whose UID was derived here (NIfTI, files without UIDs) send nothing: their reports
and AI results stay local (:meth:`records.store.Store.keep_jobs_local`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset

from archive.dicomweb import DicomWebClient, dataset_bytes, tag_value
from archive.errors import ArchiveAuthError, ArchiveError, ArchiveRejected, ArchiveUnavailable
from core.vault import read_folder_file
from records.errors import RecordsError
from records.key_objects import key_object_selection
from records.outbox import (
    KIND_AI_CORRECTION,
    KIND_AI_RESULT,
    KIND_KEY_OBJECTS,
    KIND_REFERRAL,
    KIND_REFERRAL_RESPONSE,
    KIND_REFERRAL_REVIEW,
    KIND_REPORT,
    JobRecord,
)
from records.referral_sr import request_to_sr, response_to_sr, review_to_sr
from records.sr import (
    REPORT_SOP_CLASSES,
    AIVerdict,
    ReportSRBuilder,
    ai_result_to_sr,
    study_header,
)
from records.store import Store

log = logging.getLogger(__name__)
SOP_CLASS_UID, SOP_INSTANCE_UID, SERIES_INSTANCE_UID = "00080016", "00080018", "0020000E"
STUDY_INSTANCE_UID = "0020000D"
VERIFYING_OBSERVER_SEQUENCE, VERIFYING_OBSERVER_NAME = "0040A073", "0040A075"


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: attempt n waits U(c/2, c), c = min(cap, base * 2**n)."""

    base_s: float = 2.0
    cap_s: float = 600.0

    def delay(self, attempts: int) -> float:
        ceiling = min(self.cap_s, self.base_s * 2 ** min(attempts, 30))
        return random.uniform(ceiling / 2, ceiling)


@dataclass
class Outgoing:
    """The DICOM objects one job must get into the archive."""

    job: JobRecord
    objects: dict[str, bytes]  # SOP Instance UID -> Part 10 bytes
    report_id: int | None = None
    srs: frozenset[str] = frozenset()  # which of them are SRs we built


@dataclass
class DrainReport:
    sent: int = 0  # objects stored by this drain
    already_there: int = 0  # objects the archive already had (resends avoided)
    done: int = 0  # jobs completed
    conflicts: int = 0
    retried: int = 0
    failed: int = 0
    kept_local: int = 0  # jobs of derived-UID studies closed unsent (the archive lacks them)
    errors: list[str] = field(default_factory=list)


class BatchContext:
    """What the builders of one batch share: rows loaded in bulk, headers per study."""

    def __init__(self, store: Store, jobs: list[JobRecord]) -> None:
        self.store = store
        self.versions = store.report_versions_by_id(
            [j.object_pk for j in jobs if j.kind in (KIND_REPORT, KIND_KEY_OBJECTS)])
        self._headers = {uid: study_header(uid, patient, study) for uid, (patient, study)
                         in store.study_header_infos({j.study_instance_uid for j in jobs}).items()}

    def header(self, study_uid: str) -> Dataset:
        if study_uid not in self._headers:
            patient, study = self.store.study_header_info(study_uid)
            self._headers[study_uid] = study_header(study_uid, patient, study)
        return self._headers[study_uid]


Builder = Callable[[BatchContext, JobRecord], Outgoing]
BUILDERS: dict[str, Builder] = {}


def builder(kind: str) -> Callable[[Builder], Builder]:
    """Register how a job kind becomes DICOM objects."""
    def register(fn: Builder) -> Builder:
        BUILDERS[kind] = fn
        return fn
    return register


_REPORT_SR = ReportSRBuilder()


@builder(KIND_REPORT)
def _build_report(ctx: BatchContext, job: JobRecord) -> Outgoing:
    version = ctx.versions.get(job.object_pk) or ctx.store.report_version(job.object_pk)
    sr = _REPORT_SR(version, ctx.header(version.study_instance_uid))
    uid = str(sr.SOPInstanceUID)
    return Outgoing(job, {uid: dataset_bytes(sr)}, report_id=version.report_id,
                    srs=frozenset({uid}))


@builder(KIND_AI_RESULT)
def _build_ai_result(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """The flat AI SR with the readers' verdicts as they are now (a verdict given after the SR
    reached the archive is not resent: its SOP Instance UID is fixed), plus its SEG files."""
    result = ctx.store.ai_result(job.object_pk)
    study_uid = result.study.study_instance_uid
    verdicts = [AIVerdict(f.reader, f.verdict.value, f.corrected_grade, f.created_at)
                for f in ctx.store.ai_feedback(result.id)]
    sr = ai_result_to_sr(result.uid, result.model_name, result.model_version, result.values,
                         result.created_at, ctx.header(study_uid), verdicts)
    objects = {str(sr.SOPInstanceUID): dataset_bytes(sr)}
    objects.update(_dicom_files(result.mask_files, study_uid))
    return Outgoing(job, objects, srs=frozenset({str(sr.SOPInstanceUID)}))


@builder(KIND_AI_CORRECTION)
def _build_ai_correction(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """A reader's corrected SEG (it references the AI's own SEG, sent with the result)."""
    correction = ctx.store.ai_correction(job.object_pk)
    return Outgoing(job, _dicom_files(correction.files, job.study_instance_uid))


def _dicom_files(paths: list[str], study_uid: str) -> dict[str, bytes]:
    """SOP Instance UID -> bytes of the DICOM files among ``paths`` (NIfTI and other working
    files stay local); a missing file or one of another study is an error."""
    objects = {}
    for mask in paths:
        path = Path(mask)
        if not path.is_file():
            raise RecordsError(f"the AI mask file {path.name} is missing; cannot send the result")
        data = read_folder_file(path)  # sealed when encryption at rest is on
        if data[128:132] != b"DICM":
            continue
        ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
        if ds.StudyInstanceUID != study_uid:
            raise RecordsError(f"the AI mask {path.name} belongs to another study")
        objects[str(ds.SOPInstanceUID)] = data
    return objects


@builder(KIND_KEY_OBJECTS)
def _build_key_objects(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """The Key Object Selection document of a signed report version's key images."""
    version = ctx.versions.get(job.object_pk) or ctx.store.report_version(job.object_pk)
    kos = key_object_selection(version, ctx.header(version.study_instance_uid))
    return Outgoing(job, {str(kos.SOPInstanceUID): dataset_bytes(kos)})


@builder(KIND_REFERRAL)
def _build_referral(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """A second-opinion or audit request (its UID is fixed: a resend is the same object)."""
    ref = ctx.store.referral(job.object_pk)
    sr = request_to_sr(ref, ctx.header(ref.study_instance_uid))
    return Outgoing(job, {str(sr.SOPInstanceUID): dataset_bytes(sr)})


@builder(KIND_REFERRAL_REVIEW)
def _build_referral_review(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """A signed version of an expert's review."""
    version = ctx.store.review_version(job.object_pk)
    sr = review_to_sr(version, ctx.header(version.referral.study_instance_uid))
    return Outgoing(job, {str(sr.SOPInstanceUID): dataset_bytes(sr)})


@builder(KIND_REFERRAL_RESPONSE)
def _build_referral_response(ctx: BatchContext, job: JobRecord) -> Outgoing:
    """The first reader's acknowledgement or dispute of a review."""
    resp = ctx.store.response(job.object_pk)
    sr = response_to_sr(resp, ctx.header(resp.referral.study_instance_uid))
    return Outgoing(job, {str(sr.SOPInstanceUID): dataset_bytes(sr)})


@dataclass
class _Batch:
    """One batch between building and bookkeeping."""

    ready: list[Outgoing] = field(default_factory=list)  # not parked as conflicts
    present: set[str] = field(default_factory=set)  # already in the archive
    missing: dict[str, bytes] = field(default_factory=dict)  # to send


class SyncEngine:
    """Drains the outbox of one store into one archive."""

    def __init__(self, store: Store, client: DicomWebClient, *, batch_size: int = 50,
                 backoff: Backoff | None = None, max_attempts: int = 12,
                 lease_s: float = 300.0) -> None:
        self.store, self.client = store, client
        self.batch_size, self.backoff = batch_size, backoff or Backoff()
        self.max_attempts, self.lease_s = max_attempts, lease_s
        self._remote_srs: dict[str, list[dict]] = {}  # study UID -> its SRs in the archive

    def drain(self, progress: Callable[[float], None] | None = None,
              cancel: threading.Event | None = None) -> DrainReport:
        """Send every due job once; jobs that fail wait for their backoff (a later drain).

        Jobs of studies whose UID was derived on this station are closed unsent first: the
        archive has no such study, and an SR alone would make an orphan one there.

        Pipelined: while one batch's STOW-RS is in flight (the archive is busy storing), the
        next batch is built and checked. Bookkeeping stays on the calling thread.
        """
        report = DrainReport(kept_local=self.store.keep_jobs_local())
        total = max(1, self.store.outbox_counts()["pending"])
        handled = 0
        started = datetime.now(UTC)  # jobs put back for later wait for the next drain
        in_flight: tuple[_Batch, Future | None] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="luch-stow") as sender:
            try:
                while not (cancel and cancel.is_set()):
                    jobs = self.store.claim_jobs(self.batch_size, self.lease_s, due_by=started)
                    if not jobs:
                        break
                    try:
                        batch = self._prepare(jobs, report)
                    except ArchiveAuthError:
                        self.store.release_jobs([j.id for j in jobs])
                        raise
                    if in_flight is not None:
                        finishing, in_flight = in_flight, None
                        self._finish(*finishing, report)
                    future = (sender.submit(self.client.store, list(batch.missing.values()))
                              if batch.missing else None)
                    in_flight = (batch, future)
                    handled += len(jobs)
                    if progress:
                        progress(min(1.0, handled / total))
            finally:
                if in_flight is not None:
                    self._finish(*in_flight, report)
        return report

    # -- one batch -----------------------------------------------------------------------------
    def _prepare(self, jobs: list[JobRecord], report: DrainReport) -> _Batch:
        """Build the batch's objects and decide what to send (conflicts are parked here)."""
        self._local_uids: dict[str, set[str]] = {}  # study UID -> our report SOP UIDs
        self._remote_srs = {}
        ctx = BatchContext(self.store, jobs)
        outgoing: list[Outgoing] = []
        for job in jobs:
            try:
                outgoing.append(BUILDERS[job.kind](ctx, job))
            except (RecordsError, KeyError, OSError, ValueError) as err:
                self._fail(job, f"could not build the objects: {err}", report)
        try:
            present = self._present(outgoing)
        except ArchiveUnavailable as err:
            self._retry_all(outgoing, str(err), report, transient=True)
            return _Batch()
        except ArchiveRejected as err:
            self._retry_all(outgoing, str(err), report, transient=False)
            return _Batch()
        ready = [out for out in outgoing
                 if out.report_id is None or not self._conflicting(out, present, report)]
        missing = {uid: obj for out in ready for uid, obj in out.objects.items()
                   if uid not in present}
        report.already_there += sum(len(o.objects) for o in ready) - len(missing)
        return _Batch(ready, present, missing)

    def _finish(self, batch: _Batch, future: Future | None, report: DrainReport) -> None:
        """Complete what the archive confirmed; put the rest back for a later attempt."""
        present, failed, transient = set(batch.present), {}, False
        if future is not None:
            try:
                result = future.result()
                stored = set(result.stored) & batch.missing.keys()
                failed = result.failed
                report.sent += len(stored)
                present |= stored
            except ArchiveAuthError:
                self.store.release_jobs([out.job.id for out in batch.ready])
                raise
            except ArchiveError as err:
                # The request may or may not have arrived: ask the archive what it now holds.
                log.warning("STOW-RS of %d objects failed: %s", len(batch.missing), err)
                transient = not isinstance(err, ArchiveRejected)
                with contextlib.suppress(ArchiveError):
                    present |= self._present(batch.ready, only=set(batch.missing))
        done = [out.job.id for out in batch.ready if all(u in present for u in out.objects)]
        self.store.complete_jobs(done)
        report.done += len(done)
        for out in batch.ready:
            if out.job.id not in done:
                reasons = [f"{failed[u]:#06x}" for u in out.objects if u in failed]
                detail = f"archive refused ({', '.join(reasons)})" if reasons else "not stored"
                self._retry(out.job, detail, report, transient=transient and not reasons)

    def _present(self, outgoing: list[Outgoing], only: set[str] | None = None) -> set[str]:
        """Which of the batch's objects the archive holds; also notes the studies' SRs.

        One QIDO-RS request per ``archive.dicomweb.UID_LIST`` studies (UID list matching), not
        one per job.
        """
        wanted: dict[str, bool] = {}  # SOP Instance UID -> is an SR we built
        studies: set[str] = set()
        for out in outgoing:
            for uid in out.objects:
                if only is None or uid in only:
                    wanted[uid] = uid in out.srs
                    studies.add(out.job.study_instance_uid)
        present: set[str] = set()
        for item in self.client.search_uid_list("instances", "StudyInstanceUID",
                                                sorted(studies), {"Modality": "SR"}):
            self._remote_srs.setdefault(tag_value(item, STUDY_INSTANCE_UID), []).append(item)
            present.add(tag_value(item, SOP_INSTANCE_UID))
        others = sorted(uid for uid, is_sr in wanted.items() if not is_sr)
        present |= {tag_value(i, SOP_INSTANCE_UID) for i in self.client.search_uid_list(
            "instances", "SOPInstanceUID", others)}
        return present & wanted.keys()

    def _conflicting(self, out: Outgoing, present: set[str], report: DrainReport) -> bool:
        """Park the job if the archive has a report on the study this station has not seen."""
        if all(uid in present for uid in out.objects):
            return False  # ours is already there: nothing to decide
        study_uid = out.job.study_instance_uid
        remote = [i for i in self._remote_srs.get(study_uid, [])
                  if tag_value(i, SOP_CLASS_UID) in REPORT_SOP_CLASSES]
        if not remote:
            return False
        if study_uid not in self._local_uids:
            self._local_uids[study_uid] = self.store.local_report_sop_uids(study_uid)
        known = self._local_uids[study_uid] | self.store.acknowledged_remote_uids(out.report_id)
        foreign = [i for i in remote if tag_value(i, SOP_INSTANCE_UID) not in known]
        if not foreign:
            return False
        others = [(tag_value(i, SOP_INSTANCE_UID), self._author(study_uid, i)) for i in foreign]
        self.store.conflict_job(out.job.id, out.report_id, others)
        report.conflicts += 1
        log.warning("report job %d parked: the archive holds %d report(s) by others",
                    out.job.id, len(others))
        return True

    def _author(self, study_uid: str, item: dict) -> str:
        try:
            meta = self.client.retrieve_metadata(study_uid, tag_value(item, SERIES_INSTANCE_UID),
                                                 tag_value(item, SOP_INSTANCE_UID))
        except ArchiveError:
            return ""
        for observer in meta.get(VERIFYING_OBSERVER_SEQUENCE, {}).get("Value", []):
            return str(tag_value(observer, VERIFYING_OBSERVER_NAME))
        return ""

    def _retry_all(self, outgoing: list[Outgoing], error: str, report: DrainReport,
                   transient: bool) -> None:
        for out in outgoing:
            self._retry(out.job, error, report, transient)

    def _retry(self, job: JobRecord, error: str, report: DrainReport, transient: bool) -> None:
        """Try again later; an archive that is merely down never makes a job give up."""
        if not transient and job.attempts + 1 >= self.max_attempts:
            self._fail(job, f"gave up after {job.attempts + 1} attempts: {error}", report)
            return
        self.store.retry_job(job.id, error, self.backoff.delay(job.attempts))
        report.retried += 1

    def _fail(self, job: JobRecord, error: str, report: DrainReport) -> None:
        self.store.fail_job(job.id, error)
        report.failed += 1
        report.errors.append(error)

