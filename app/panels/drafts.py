"""Report drafts on disk, written atomically every few seconds and restored after a crash.

A draft is the form as it stands (field values, free text, the report it amends, the values
said by voice still marked "check this value"; a draft written before that mark was kept loads
without it). It lives
under the app data dir, one file per study, named by a hash of the Study Instance UID. It
is removed once the report is signed (the signed version is in the records store). With
encryption at rest on it is written sealed (:func:`core.vault.write_private`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from core.crypto import SealError
from core.files import remove_stale_temps
from core.paths import app_subdir
from core.private_names import private_path
from core.vault import read_private, write_private


@dataclass
class Draft:
    study_instance_uid: str
    fields: dict[str, Any] = field(default_factory=dict)
    free_text: str = ""
    report_uid: str | None = None
    ai_result_id: int | None = None
    addendum_reason: str | None = None  # a change to a signed report, and why
    # Fields whose value was said by voice and not yet checked by the reader: key -> option
    # (app.panels.protocol_form); the mark must survive a restart as the value does.
    to_check: dict[str, str] = field(default_factory=dict)


def _path(study_uid: str) -> Path:
    return private_path(app_subdir("drafts"), study_uid, ".json")


def save_draft(draft: Draft) -> None:
    data = json.dumps(asdict(draft), ensure_ascii=False, indent=1).encode("utf-8")
    write_private(_path(draft.study_instance_uid), data)


def has_draft(study_uid: str) -> bool:
    """Whether a draft is kept for the study (the worklist says so: started, not signed)."""
    return _path(study_uid).exists()


def load_draft(study_uid: str) -> Draft | None:
    path = _path(study_uid)
    remove_stale_temps(path)  # left by a crash mid-write; drafts are written on the UI thread
    if not path.exists():
        return None
    try:
        data = json.loads(read_private(path).decode("utf-8"))
        return Draft(**data)
    except (ValueError, TypeError, SealError):
        path.replace(path.with_suffix(".broken.json"))  # kept for recovery by hand
        return None


def move_draft(old_uid: str, new_uid: str) -> None:
    """The draft of ``old_uid`` becomes ``new_uid``'s (the study's UID was derived anew)."""
    draft = load_draft(old_uid)
    if draft is None or _path(new_uid).exists():
        return
    draft.study_instance_uid = new_uid
    save_draft(draft)
    discard_draft(old_uid)


def discard_draft(study_uid: str) -> None:
    _path(study_uid).unlink(missing_ok=True)
