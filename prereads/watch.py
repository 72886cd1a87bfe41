"""New studies in the archive: Orthanc's ``/changes`` feed where the archive is an Orthanc,
QIDO-RS by study date otherwise.

Orthanc's REST root sits beside its DICOMweb root (``http://pacs:8042/dicom-web`` ->
``http://pacs:8042``; the ``--orthanc-url`` option or ``LUCH_ORTHANC_URL`` name another) and
takes the same credentials. Its feed is read from a cursor (the change number), and a study
counts once Orthanc calls it stable (no new image for ``StableAge`` seconds). Without it the
service asks QIDO-RS for CT studies of the last days on every poll; the done list and the
archive check keep that from pre-reading anything twice.

A new service starts where ``--since`` says when its shard has no cursor yet (:func:`
start_cursor`): ``now`` (Orthanc's feed: after its last change; QIDO-RS: studies dated today
on) or a date (the first change on or after it, found by bisecting the feed; QIDO-RS: studies
dated from it). Without ``--since`` it starts at the feed's beginning (QIDO-RS: ``days``). The
cursor is then kept, so a restart continues from it.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Protocol

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient, tag_value
from archive.errors import ArchiveError, ArchiveRejected

log = logging.getLogger(__name__)
ENV_ORTHANC = "LUCH_ORTHANC_URL"
CHANGES_LIMIT = 200
QIDO_PAGE = 500
STUDY_UID, STUDY_INSTANCES = "0020000D", "00201208"


@dataclass
class Batch:
    """Studies in feed order as ``(position, study UID, what changed)``; ``cursor``: where to
    read on once all of them are handled; ``more``: the feed has more after them. "What
    changed" tells a later sight of the same study apart (its change number, or its number of
    images), so one that grew is looked at again."""

    studies: list[tuple[Any, str, str]] = field(default_factory=list)
    cursor: Any = None
    more: bool = False


class Watcher(Protocol):
    name: str

    def poll(self, cursor: Any) -> Batch: ...

    def start(self, since: date | None) -> Any: ...


def parse_since(text: str) -> date | None:
    """``now`` -> None; ``YYYY-MM-DD`` or ``YYYYMMDD`` -> that date (ValueError otherwise)."""
    if text.strip().lower() == "now":
        return None
    digits = text.strip().replace("-", "")
    if len(digits) != 8 or not digits.isdigit():
        raise ValueError(f"--since takes now or a date (YYYY-MM-DD), not {text!r}")
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def start_cursor(watcher: Watcher, since: str) -> Any:
    """The cursor a new service starts from for ``since`` (``now`` or a date)."""
    return watcher.start(parse_since(since))


class OrthancChanges:
    """Orthanc's changes feed: ``StableStudy`` changes after the cursor."""

    name = "orthanc-changes"

    def __init__(self, rest: DicomWebClient) -> None:
        self.rest = rest

    def poll(self, cursor: Any) -> Batch:
        since = int(cursor or 0)
        answer = self.rest.get_json("changes", {"since": since, "limit": CHANGES_LIMIT})
        batch = Batch(cursor=int(answer.get("Last", since)), more=not answer.get("Done", True))
        seen: set[str] = set()
        for change in answer.get("Changes", []):
            if change.get("ChangeType") != "StableStudy":
                continue
            try:
                study = self.rest.get_json(f"studies/{change['ID']}")
            except ArchiveRejected:  # deleted since it changed
                continue
            uid = str(study.get("MainDicomTags", {}).get("StudyInstanceUID", ""))
            if uid and uid not in seen:
                seen.add(uid)
                batch.studies.append((int(change["Seq"]), uid, f"seq{change['Seq']}"))
        return batch

    def start(self, since: date | None) -> int:
        """After the last change (``since`` None), else before the first change dated on or
        after ``since``: the feed's dates grow with its numbers, so a bisection of about
        log2(changes) one-change requests finds it."""
        last = int(self.rest.get_json("changes", {"last": ""}).get("Last", 0))
        if since is None:
            return last
        day = f"{since:%Y%m%d}"
        low, high = 0, last  # the change after `high` (none) is on or after the day
        while low < high:
            mid = (low + high) // 2
            after = self.rest.get_json("changes", {"since": mid, "limit": 1}).get("Changes")
            if not after or str(after[0].get("Date", ""))[:8] >= day:
                high = mid
            else:
                low = max(mid + 1, int(after[0]["Seq"]))  # its date is before the day
        return low


class QidoByDate:
    """CT studies dated within the last ``days`` days (today included), every poll."""

    name = "qido-by-date"

    def __init__(self, client: DicomWebClient, days: int = 2) -> None:
        self.client, self.days = client, days

    def poll(self, cursor: Any) -> Batch:
        """``cursor``: ``{"from": "YYYYMMDD"}`` (``--since``) or None; kept as it is."""
        today = date.today()
        first = f"{(today - timedelta(days=self.days - 1)):%Y%m%d}"
        if isinstance(cursor, dict) and cursor.get("from"):
            first = max(first, str(cursor["from"]))
        batch, offset = Batch(cursor=cursor), 0
        if first > f"{today:%Y%m%d}":
            return batch
        span = f"{first}-{today:%Y%m%d}"
        while True:
            page = self.client.search_studies({"StudyDate": span, "ModalitiesInStudy": "CT",
                                               "includefield": "NumberOfStudyRelatedInstances",
                                               "limit": QIDO_PAGE, "offset": offset})
            batch.studies += [(None, str(tag_value(s, STUDY_UID)),
                               f"n{tag_value(s, STUDY_INSTANCES, 0)}") for s in page]
            if len(page) < QIDO_PAGE:
                return batch
            offset += QIDO_PAGE

    def start(self, since: date | None) -> dict[str, str]:
        """Studies dated from ``since`` (None: today) on; ``days`` still bounds the span."""
        return {"from": f"{since or date.today():%Y%m%d}"}


def orthanc_root(config: ArchiveConfig, url: str | None = None) -> ArchiveConfig:
    """The config of the Orthanc REST root beside the DICOMweb root (same credentials)."""
    url = url or os.environ.get(ENV_ORTHANC) or config.url.removesuffix("/dicom-web")
    return replace(config, url=url.rstrip("/"))


def open_watcher(client: DicomWebClient, orthanc_url: str | None = None,
                 days: int = 2, feed: str = "auto") -> Watcher:
    """Orthanc's feed when the archive answers as an Orthanc (``feed`` "auto"), else, or with
    ``feed`` "qido", QIDO-RS by date."""
    if feed == "qido":
        return QidoByDate(client, days)
    rest = DicomWebClient(orthanc_root(client.config, orthanc_url), session=client.session)
    try:
        system = rest.get_json("system")
        if isinstance(system, dict) and "Version" in system:
            rest.get_json("changes", {"limit": 0})
            return OrthancChanges(rest)
    except ArchiveError as err:
        log.info("no Orthanc changes feed beside the archive (%s); polling QIDO-RS", err)
    return QidoByDate(client, days)
