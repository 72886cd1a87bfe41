"""Opening archive studies for reading: every access goes through here and into the audit log."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from archive.cache import ImageCache, Prefetcher
from archive.dicomweb import DicomWebClient
from records.outbox import OPENED
from records.store import Store
from records.worklist import WorklistItem

PREFETCH_NEXT = 3


def open_archive_study(store: Store, cache: ImageCache, client: DicomWebClient,
                       study_uid: str, actor: str,
                       progress: Callable[[float], None] | None = None,
                       cancel: threading.Event | None = None,
                       keep: Iterable[str] = ()) -> Path:
    """The study's local folder (fetched over WADO-RS if needed); the access is audited."""
    cached = cache.has_study(study_uid)
    folder = cache.fetch_study(client, study_uid, progress=progress, cancel=cancel, keep=keep)
    store.audit(actor, OPENED, study_uid, source="cache" if cached else "archive")
    return folder


def prefetch_next(prefetcher: Prefetcher, worklist: list[WorklistItem], current: str | None,
                  count: int = PREFETCH_NEXT) -> list[str]:
    """Queue the ``count`` studies after ``current`` on the worklist for background fetch."""
    uids = [i.study_instance_uid for i in worklist]
    start = uids.index(current) + 1 if current in uids else 0
    queued = uids[start:start + count]
    prefetcher.prefetch(queued)
    return queued
