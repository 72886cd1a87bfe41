"""The local image cache: studies fetched over WADO-RS, bounded in size, evicted LRU.

Layout: ``<root>/<StudyUID>/<SeriesUID>/<SOPUID>.dcm``. Files are written to a temporary
name and renamed, so a crash never leaves a half file under a real name; a fetch resumes
where it stopped. A study is complete when its ``.complete`` marker exists; the marker's
mtime is its last use. Studies in use (``keep``) are never evicted.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from archive.dicomweb import DicomWebClient, tag_value
from archive.errors import ArchiveError, ArchiveRejected
from core.errors import LuchError
from core.paths import app_subdir

log = logging.getLogger(__name__)
COMPLETE = ".complete"
DEFAULT_MAX_BYTES = 20 * 1024**3
_UID = re.compile(r"^[0-9]+(\.[0-9]+)*$")
SERIES_UID, SOP_UID = "0020000E", "00080018"


class FetchCancelled(LuchError):
    """The user stopped the download; what arrived stays cached for the next try."""


def _safe_uid(uid: str) -> str:
    """A UID fit to be a folder name (an archive must not make us write elsewhere)."""
    if not isinstance(uid, str) or not _UID.match(uid) or len(uid) > 64:
        raise ArchiveRejected("the archive sent an invalid UID")
    return uid


class ImageCache:
    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root or app_subdir("cache") / "images"
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def study_dir(self, study_uid: str) -> Path:
        return self.root / _safe_uid(study_uid)

    def has_study(self, study_uid: str) -> bool:
        return (self.study_dir(study_uid) / COMPLETE).exists()

    def touch(self, study_uid: str) -> None:
        marker = self.study_dir(study_uid) / COMPLETE
        if marker.exists():
            os.utime(marker)

    def studies(self) -> list[str]:
        """Cached studies (complete or partly fetched), least recently used first."""
        found = []
        for folder in self.root.iterdir():
            if folder.is_dir() and _UID.match(folder.name):
                marker = folder / COMPLETE
                used = marker.stat().st_mtime if marker.exists() else folder.stat().st_mtime
                found.append((used, folder.name))
        return [uid for _, uid in sorted(found)]

    def size(self) -> int:
        return sum(f.stat().st_size for f in self.root.rglob("*.dcm"))

    def _lock(self, study_uid: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(study_uid, threading.Lock())

    def fetch_study(self, client: DicomWebClient, study_uid: str,
                    progress: Callable[[float], None] | None = None,
                    cancel: threading.Event | None = None, workers: int = 4,
                    keep: Iterable[str] = ()) -> Path:
        """The study's folder, downloading what is missing (resumable, parallel)."""
        folder = self.study_dir(study_uid)
        with self._lock(study_uid):
            if self.has_study(study_uid):
                self.touch(study_uid)
                return folder
            todo: list[tuple[str, str, Path]] = []
            all_series = client.search_series(study_uid)
            if not all_series:
                raise ArchiveRejected("the archive has no images for this study")
            for series in all_series:
                series_uid = _safe_uid(tag_value(series, SERIES_UID))
                for inst in client.search_instances(study_uid, series_uid=series_uid):
                    sop_uid = _safe_uid(tag_value(inst, SOP_UID))
                    path = folder / series_uid / f"{sop_uid}.dcm"
                    if not path.exists():
                        todo.append((series_uid, sop_uid, path))
            total, done = max(1, len(todo)), 0

            def one(item: tuple[str, str, Path]) -> None:
                if cancel is not None and cancel.is_set():
                    raise FetchCancelled("the download was cancelled")
                series_uid, sop_uid, path = item
                data = client.retrieve_instance(study_uid, series_uid, sop_uid)
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(f".part{threading.get_ident()}")
                tmp.write_bytes(data)
                os.replace(tmp, path)

            with ThreadPoolExecutor(max(1, workers)) as pool:
                for future in [pool.submit(one, item) for item in todo]:
                    future.result()
                    done += 1
                    if progress:
                        progress(done / total)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / COMPLETE).touch()
        self.evict(keep={study_uid, *keep})
        return folder

    def evict(self, keep: Iterable[str] = ()) -> list[str]:
        """Remove least recently used studies until the cache fits; returns what went."""
        keep = set(keep)
        removed: list[str] = []
        size = self.size()
        for uid in self.studies():
            if size <= self.max_bytes:
                break
            if uid in keep:
                continue
            folder = self.study_dir(uid)
            freed = sum(f.stat().st_size for f in folder.rglob("*.dcm"))
            shutil.rmtree(folder, ignore_errors=True)
            size -= freed
            removed.append(uid)
        return removed


class Prefetcher:
    """Fetches the next studies of the worklist in the background, one at a time."""

    def __init__(self, cache: ImageCache, client: DicomWebClient,
                 on_fetched: Callable[[str], None] | None = None) -> None:
        """``on_fetched(study_uid)`` is called on the fetching thread as each study is in."""
        self.cache, self.client, self.on_fetched = cache, client, on_fetched
        self._queue: list[str] = []
        self._wake = threading.Condition()
        self._stop = threading.Event()
        self.fetched: list[str] = []
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="luch-prefetch", daemon=True)
        self._thread.start()

    def prefetch(self, study_uids: Iterable[str]) -> None:
        """Replace the queue (the worklist order changed)."""
        with self._wake:
            self._queue = [u for u in study_uids if not self.cache.has_study(u)]
            self._wake.notify()

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._wake:
                if not self._queue and not self._busy:
                    return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        self._stop.set()
        with self._wake:
            self._wake.notify()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._wake:
                while not self._queue and not self._stop.is_set():
                    self._wake.wait()
                if self._stop.is_set():
                    return
                uid = self._queue.pop(0)
                self._busy = True
            try:
                self.cache.fetch_study(self.client, uid, cancel=self._stop, workers=2)
                self.fetched.append(uid)
                if self.on_fetched is not None:
                    self.on_fetched(uid)
            except (ArchiveError, FetchCancelled, OSError) as err:
                log.warning("prefetch of a study failed: %s", err)
            finally:
                self._busy = False
