"""A station reads the central service's pre-reads from the archive into its store, so its
worklist shows the grade (and its AI panel can show the result) without running the model.

:func:`import_archived_preread` takes a store and an archive client and returns the id of
the stored AI result: the flat AI SR's values, and the SEG (the label map) and TID 1500 SR
saved under ``LUCH_HOME/ai-dicom`` and listed with the result. Only a pre-read by the
station's own model version counts; the result is not queued for the archive (it came from
there). :func:`fill_from_archive` does it for the worklist's ungraded studies.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from archive.dicomweb import DicomWebClient, read_dataset
from archive.errors import ArchiveError
from core.paths import app_subdir
from core.private_names import log_tag, uid_name
from core.vault import write_folder_file
from inference import segmenters
from prereads.archived import PreReadIds, flat_srs, held, locate
from records import Store
from records.models import AIResult, Study
from records.sr import read_ai_values
from records.worklist import WorklistItem

log = logging.getLogger(__name__)
AI_FILES = "ai-dicom"  # the folder of the app's own SEG/SR copies (app.panels.ai_panel.DICOM_DIR)
FROM_ARCHIVE = "from_archive"  # marks values imported from the archive
# Ungraded worklist studies looked up per refresh: one QIDO-RS request for each 100
# (prereads.archived.UIDS_PER_REQUEST), whatever they hold; a study's pre-read found there
# costs two more requests and three retrievals, once (it is graded from then on).
FILL_LIMIT = 200


def active_model_version() -> str:
    """The version this station's pre-read would have (the active model; from the registry,
    without loading torch)."""
    return segmenters.active_model_version()


def stored_result(store: Store, study_uid: str, model_version: str) -> int | None:
    """The id of an AI result of the study by ``model_version`` this store holds, if any."""
    with store.session() as s:
        return s.scalar(select(AIResult.id).join(Study).where(
            Study.study_instance_uid == study_uid, AIResult.model_version == model_version
        ).order_by(AIResult.id.desc()).limit(1))


def find_archived_preread(client: DicomWebClient, study_uid: str, model_version: str,
                          ids: PreReadIds | None = None
                          ) -> tuple[PreReadIds, dict[str, str]] | None:
    """The study's pre-read by ``model_version`` when the archive holds all three objects:
    its identity (``ids``, when located already) and SOP Instance UID -> series UID."""
    ids = ids or locate(client, study_uid, model_version)
    if ids is None:
        return None
    objects = held(client, ids)
    return (ids, objects) if set(objects) == set(ids.objects) else None


def import_archived_preread(store: Store, client: DicomWebClient, study_uid: str,
                            model_version: str | None = None, folder: Path | None = None,
                            ids: PreReadIds | None = None) -> int | None:
    """Import the archive's pre-read of ``study_uid`` as an AI result; returns its id (an
    earlier import's or result's by the same version when the store has one), or None when
    the archive holds no pre-read by this model version (``ids``: its identity, when
    located already). Raises ArchiveError."""
    version = model_version or active_model_version()
    existing = stored_result(store, study_uid, version)
    if existing is not None:
        return existing
    found = find_archived_preread(client, study_uid, version, ids)
    if found is None:
        return None
    ids, objects = found
    flat = read_dataset(client.retrieve_instance(study_uid, objects[ids.flat_sr_uid],
                                                 ids.flat_sr_uid))
    values = read_ai_values(flat)
    if str(values.get("model_version", "")) != version or "grade" not in values:
        log.warning("study %s: the archived pre-read does not carry its values; not imported",
                    f"uid:{log_tag(study_uid)}")
        return None
    folder = folder or app_subdir(AI_FILES)
    files = []
    for sop, suffix in ((ids.seg_uids[0], "seg"), (ids.sr_uids[0], "sr")):
        # named by a keyed hash: its UID derives from the study's, so its own name would
        # let anyone who knows the Study UID confirm the study from the file name
        path = folder / f"{uid_name(sop)}.{suffix}.dcm"
        if not path.exists():  # atomic, sealed when encryption at rest is on
            write_folder_file(path, client.retrieve_instance(study_uid, objects[sop], sop),
                              study_uid=study_uid)
        files.append(str(path))
    values[FROM_ARCHIVE] = True
    result_id = store.save_ai_result(
        study_uid, model_name=f"luch-{values.get('engine', 'unet')}", model_version=version,
        values=values, mask_files=files, series_instance_uid=ids.series_uid, sync=False)
    store.audit("luch", "ai_result_imported", study_uid, ai_result_id=result_id)
    log.info("study %s: pre-read %s imported from the archive", f"uid:{log_tag(study_uid)}",
             values["grade"])
    return result_id


def fill_from_archive(store: Store, client: DicomWebClient, items: list[WorklistItem],
                      model_version: str | None = None, limit: int = FILL_LIMIT,
                      not_ours: dict[str, frozenset[str]] | None = None
                      ) -> list[WorklistItem]:
    """``items`` with the grades of the archive's pre-reads imported for the first ``limit``
    ungraded ones, or graded by an older model version (a failure only leaves a study as
    it was).

    One QIDO-RS request asks which of them have an AI result's flat SR at all
    (:func:`prereads.archived.flat_srs`); only those are looked at further. ``not_ours``
    (kept by the caller between refreshes) remembers the flat SRs found not to be this
    version's pre-read of the study's current series (another model version, a station's
    own result, a series grown since): such a study is looked at again only when its flat
    SRs change."""
    version = model_version or active_model_version()
    not_ours = {} if not_ours is None else not_ours
    ungraded = [i.study_instance_uid for i in items  # an outdated grade: not graded yet
                if i.ai_grade is None or not i.ai_current][:limit]
    try:
        listed = flat_srs(client, ungraded) if ungraded else {}
    except ArchiveError as err:
        log.warning("archived pre-reads not looked up: %s", err)
        return items
    grades: dict[str, str] = {}
    for study_uid, sops in listed.items():
        if not_ours.get(study_uid) == sops:
            continue
        try:
            ids = locate(client, study_uid, version)
            if ids is None or ids.flat_sr_uid not in sops:
                not_ours[study_uid] = sops
                continue
            result_id = import_archived_preread(store, client, study_uid, version, ids=ids)
        except ArchiveError as err:
            log.warning("study %s: archived pre-read not read: %s",
                        f"uid:{log_tag(study_uid)}", err)
            continue
        if result_id is not None:
            grades[study_uid] = str(store.ai_result(result_id).values["grade"])
    return [replace(i, ai_grade=grades[i.study_instance_uid], ai_model_version=version,
                    ai_current=True)
            if i.study_instance_uid in grades else i for i in items]
