"""Which study a volume is: its Study Instance UID, else one from its path; and moving the
records an earlier version kept under the path's UID to the UID derived from the images.

Qt-free and below both flows: the worklist and the study flow use it, not each other."""

from __future__ import annotations

import hashlib
from pathlib import Path

from app.panels.drafts import move_draft
from studies import Volume


def study_uid_of(volume: Volume, path: Path) -> str:
    """The Study Instance UID (derived from the images when they have none), else a local
    one from the path (volumes built in code)."""
    if volume.info.study_instance_uid:
        return volume.info.study_instance_uid
    return path_uid(path)


def path_uid(path: Path) -> str:
    """The UID earlier versions gave every study without one: a hash of its path."""
    digest = int(hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:30], 16)
    return f"2.25.{digest}"


def adopt_path_uid(store, volume: Volume, path: Path, reader: str) -> None:
    """Records kept under the path-hash UID of a study whose UID is now derived from its
    images move to the new UID (reports, AI results, dictations, unsent sync jobs, draft)."""
    if "StudyInstanceUID" not in volume.info.derived_uids:
        return
    old, new = path_uid(path), volume.info.study_instance_uid
    if store.adopt_study_uid(old, new, actor=reader):
        move_draft(old, new)
