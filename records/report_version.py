"""A saved report version as the rest of the code sees it (detached from the database), and
the DICOM identity of its SR: what the store, the SR and the key-object writers share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from records.models import ReportStatus
from records.uids import derived_uid

KEY_IMAGES = "_key_images"  # in a report version's fields (records.key_objects)


def report_sop_instance_uid(report_uid: str, version: int) -> str:
    """The SR's SOP Instance UID: the same report version always gets the same UID."""
    return derived_uid("luch-report-sr", report_uid, str(version))


def report_series_instance_uid(report_uid: str) -> str:
    """All versions of one report go into one SR series."""
    return derived_uid("luch-report-series", report_uid)


@dataclass(frozen=True)
class ReportVersionRecord:
    """A saved report version, detached from the database."""

    id: int
    report_id: int
    report_uid: str
    study_instance_uid: str
    version: int
    status: ReportStatus
    fields: dict[str, Any]
    text: str
    author: str
    signed_at: datetime | None
    created_at: datetime
    sop_instance_uid: str
    protocol: str
    # The SR this version amends or completes: the latest earlier version that was sent.
    predecessor_sop_uid: str | None = None


def key_image_uids(fields: dict[str, Any]) -> frozenset[str]:
    """The SOP Instance UIDs a report version's fields mark as key images."""
    return frozenset(str(i["sop_instance_uid"]) for i in fields.get(KEY_IMAGES) or ())
