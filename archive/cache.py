"""The local image cache: studies fetched over WADO-RS, bounded in size, evicted LRU.

Layout: ``<root>/s<hash>/r<hash>/i<hash>.dcm``, keyed hashes of the study, series and SOP
Instance UIDs, each study's UID sealed in its folder's ``.study`` (:mod:`archive.cache_layout`,
which also moves caches named by UID). Files are written to a temporary
name and renamed, so a crash never leaves a half file under a real name; a fetch resumes
where it stopped, and a dropped link is retried for a while before giving up. A study is
complete when its ``.complete`` marker exists; the marker's mtime is its last use; a study
with files but no marker is partly cached (``study_state``, against the instance count in
``.manifest.json``). Studies in use (``keep``, ``pinned``) and studies being fetched are never
evicted.

With encryption at rest on (:mod:`core.vault`), each study has its own data key, wrapped by
the station key, in the study folder's ``.luch-key``; every image is written sealed (AES-256-GCM,
the file's hashed name as associated data) and read through :class:`studies.sources.FileRef`,
which decrypts in memory. Evicting a study deletes its key with its files.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from archive.cache_layout import (
    HASHED,
    RECORD,
    UID_NAME,
    CacheNames,
    finish_study,
    migrate_study,
    moving_lock,
    names_secret,
)
from archive.dicomweb import DicomWebClient, tag_value
from archive.errors import ArchiveError, ArchiveRejected, ArchiveUnavailable
from core import crypto, vault
from core.errors import LuchError
from core.files import write_bytes_atomic, write_json_atomic
from core.paths import app_subdir

log = logging.getLogger(__name__)
COMPLETE = ".complete"
MANIFEST = ".manifest.json"  # how many instances the study has, written before the fetch
ABSENT, PARTIAL, COMPLETE_STATE = "absent", "partial", "complete"
# About 20 s of a dropped link survived; no new try starts 30 s after the first failure.
RETRIES, RETRY_FIRST_S, RETRY_MAX_S, RETRY_WINDOW_S = 6, 0.5, 8.0, 30.0
PREFETCH_NICE = 10  # the prefetching threads' nice value: the reading comes first
DEFAULT_MAX_BYTES = 20 * 1024**3
ORPHAN_AGE_S = 60.0  # a study folder whose UID record is unreadable this long is wiped
SERIES_UID, SOP_UID = "0020000E", "00080018"


class FetchCancelled(LuchError):
    """The user stopped the download; what arrived stays cached for the next try."""


@dataclass(frozen=True)
class CacheState:
    """``state`` is absent, partial or complete; ``expected`` None when never listed."""

    state: str
    cached: int
    expected: int | None

    @property
    def partial(self) -> bool:
        return self.state == PARTIAL


def safe_uid(uid: str) -> str:
    """A UID fit to be a folder name (an archive must not make us write elsewhere)."""
    if not isinstance(uid, str) or not UID_NAME.match(uid) or len(uid) > 64:
        raise ArchiveRejected("the archive sent an invalid UID")
    return uid


class ImageCache:
    #: held while a study moves to hashed names (one lock for every cache of this process)
    moving = threading.Lock()

    def __init__(self, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root or app_subdir("cache") / "images"
        self.root.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        #: studies never evicted or pruned (open, with unsent work), asked at each eviction
        self.pinned: Callable[[], Iterable[str]] = lambda: ()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._names: CacheNames | None = None
        self._uids: dict[str, str] = {}  # folder name -> study UID, from the records

    @property
    def names(self) -> CacheNames:
        """The naming key's hashes (the key made on first use)."""
        if self._names is None:
            secret = names_secret(create=True)
            assert secret is not None  # made when missing
            self._names = CacheNames(secret)
        return self._names

    def _known_names(self) -> CacheNames | None:
        """The names, or None when no naming key exists (nothing hashed was cached)."""
        if self._names is None:
            secret = names_secret(create=False)
            if secret is not None:
                self._names = CacheNames(secret)
        return self._names

    def study_dir(self, study_uid: str) -> Path:
        """The study's folder (not made); one named by its UID (before) is moved first."""
        uid = safe_uid(study_uid)
        folder = self.root / self.names.study(uid)
        old = self.root / uid
        if old.is_dir():
            with self.moving, moving_lock(self.root):
                if old.is_dir():
                    migrate_study(self, old)
        elif (folder / vault.NEXT_FOLDER_KEY).exists():  # a move killed at its last step
            finish_study(folder)
        return folder

    def where(self, study_uid: str) -> Path:
        """The study's folder as it is on disk now, not moved: still named by its UID when
        not moved yet (to count or remove it)."""
        uid = safe_uid(study_uid)
        old = self.root / uid
        return old if old.is_dir() else self.root / self.names.study(uid)

    def current_path(self, path: str | Path) -> Path:
        """A path recorded before the cache moved to hashed names (a study's folder, a
        series' or an image under it, named by UIDs) as it is now; any other path as given."""
        path = Path(path)
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return path
        if not parts or not UID_NAME.match(parts[0]) or len(parts) > 3 or not all(
                UID_NAME.match(Path(p).stem if n == 2 else p) for n, p in enumerate(parts)):
            return path
        now = self.study_dir(parts[0])
        if len(parts) > 1:
            now /= self.names.series(parts[1])
        if len(parts) > 2:
            now /= f"{self.names.instance(Path(parts[2]).stem)}.dcm"
        return now

    def instance_path(self, study_uid: str, series_uid: str, sop_uid: str) -> Path:
        """Where an image of the study is cached."""
        return (self.study_dir(study_uid) / self.names.series(safe_uid(series_uid))
                / f"{self.names.instance(safe_uid(sop_uid))}.dcm")

    def _ensure(self, study_uid: str) -> Path:
        """The study's folder, made with its UID record."""
        folder = self.study_dir(study_uid)
        if not (folder / RECORD).exists():
            folder.mkdir(parents=True, exist_ok=True)
            write_bytes_atomic(folder / RECORD, self.names.record(study_uid, folder.name))
            self._uids[folder.name] = study_uid
        return folder

    def study_key(self, study_uid: str) -> bytes | None:
        """The data key new files of the study are sealed with (made on first use), or None
        when encryption at rest is off."""
        folder = self._ensure(study_uid)
        keys = vault.current()
        if keys is None:
            return None
        return keys.folder_dek(folder, create=True)

    def has_study(self, study_uid: str) -> bool:
        return (self.study_dir(study_uid) / COMPLETE).exists()

    def lacks_volume_entry(self, study_uid: str) -> bool:
        """A cached sealed study with no decoded-volume entry yet (``studies.volume_cache``;
        two names looked at, no key needed): the background writes one before it is opened."""
        folder = self.study_dir(study_uid)
        return (self.has_study(study_uid) and (folder / vault.FOLDER_KEY).is_file()
                and not (folder / vault.VOLUME_ENTRY).is_file())

    def touch(self, study_uid: str) -> None:
        marker = self.study_dir(study_uid) / COMPLETE
        if marker.exists():
            os.utime(marker)

    def _uid_of(self, folder: Path) -> str | None:
        """The study UID of a cached study's folder (None: its record cannot be read)."""
        if UID_NAME.match(folder.name):  # not moved yet: named by it
            return folder.name
        if folder.name not in self._uids:
            names = self._known_names()
            uid = names.read_record(folder) if names is not None else None
            if uid is None or names is None or names.study(uid) != folder.name:
                return None
            self._uids[folder.name] = uid
        return self._uids[folder.name]

    def studies(self) -> list[str]:
        """Cached studies (complete or partly fetched), least recently used first."""
        found = []
        for folder in self.root.iterdir():
            if not folder.is_dir() or not (HASHED.match(folder.name)
                                           or UID_NAME.match(folder.name)):
                continue
            uid = self._uid_of(folder)
            if uid is not None:
                marker = folder / COMPLETE
                used = marker.stat().st_mtime if marker.exists() else folder.stat().st_mtime
                found.append((used, uid))
        return [uid for _, uid in sorted(found)]

    def orphans(self, older_than_s: float = ORPHAN_AGE_S) -> list[Path]:
        """Study folders whose UID cannot be read (their naming key was set aside with the
        other keys, or a record is damaged), older than ``older_than_s``: only a wipe
        removes them."""
        now = time.time()
        return [f for f in self.root.iterdir()
                if f.is_dir() and HASHED.match(f.name) and self._uid_of(f) is None
                and now - f.stat().st_mtime >= older_than_s]

    def size(self) -> int:
        return sum(stored_bytes(f) for f in self.root.iterdir() if f.is_dir())

    def _lock(self, study_uid: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(study_uid, threading.Lock())

    def remove_study(self, study_uid: str) -> bool:
        """Delete a study's cached files unless it is being fetched now (then False)."""
        lock = self._lock(study_uid)
        if not lock.acquire(blocking=False):
            return False
        try:
            with self.moving:
                shutil.rmtree(self.where(study_uid), ignore_errors=True)
            self._uids.pop(self.names.study(study_uid), None)
        finally:
            lock.release()
        return True

    def study_state(self, study_uid: str) -> CacheState:
        """How much of a study is on this station (the worklist shows a partly cached one)."""
        folder = self.study_dir(study_uid)
        if not folder.is_dir():
            return CacheState(ABSENT, 0, None)
        expected = None
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            expected = int(json.loads((folder / MANIFEST).read_text("utf-8"))["instances"])
        if (folder / COMPLETE).exists():  # not counted: the worklist asks for every row
            return CacheState(COMPLETE_STATE, expected or 0, expected)
        cached = sum(1 for _ in folder.glob("*/*.dcm"))
        return CacheState(PARTIAL if cached else ABSENT, cached, expected)

    def note_expected(self, study_uid: str, instances: int) -> None:
        """Record how many instances the study has (before fetching them)."""
        folder = self._ensure(study_uid)
        write_json_atomic(folder / MANIFEST, {"instances": int(instances)})

    def fetch_study(self, client: DicomWebClient, study_uid: str,
                    progress: Callable[[float], None] | None = None,
                    cancel: threading.Event | None = None, workers: int | None = None,
                    keep: Iterable[str] = (), retries: int = RETRIES) -> Path:
        """The study's folder, downloading what is missing (resumable, parallel).

        ``workers`` concurrent requests (default: the client's ``parallel`` setting) share
        the client's keep-alive session. An instance whose transfer fails because the
        archive is unreachable is tried again ``retries`` times with a growing pause, so a
        VPN that drops for a few seconds costs only the pause; if it stays down the error is
        raised and what arrived stays cached: the next call fetches only the rest.
        """
        folder = self.study_dir(study_uid)
        with self._lock(study_uid):
            if self.has_study(study_uid):
                self.touch(study_uid)
                return folder
            wanted = self._list_study(client, study_uid)
            self.note_expected(study_uid, len(wanted))
            todo = [item for item in wanted if not item[2].exists()]
            key = self.study_key(study_uid) if todo else None
            total, done = max(1, len(wanted)), len(wanted) - len(todo)
            stop = threading.Event()  # one instance gave up: the others stop too
            failure: list[BaseException] = []

            def one(item: tuple[str, str, Path]) -> None:
                try:
                    fetch_instance(client, study_uid, item, retries, cancel, stop, key)
                except FetchCancelled:
                    raise
                except BaseException as err:
                    failure.append(err)
                    stop.set()
                    raise

            pool = ThreadPoolExecutor(max(1, workers or client.config.parallel))
            try:
                for future in [pool.submit(one, item) for item in todo]:
                    future.result()
                    done += 1
                    if progress:
                        progress(done / total)
            except FetchCancelled:
                stop.set()
                if failure and not (cancel is not None and cancel.is_set()):
                    raise failure[0] from None  # the cause, not the stopped neighbours
                raise
            except BaseException:
                stop.set()
                raise
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
            if progress and not todo:
                progress(1.0)
            (folder / COMPLETE).touch()
        self.evict(keep={study_uid, *keep})
        return folder

    def _list_study(self, client: DicomWebClient, study_uid: str
                    ) -> list[tuple[str, str, Path]]:
        """Every instance of the study (QIDO-RS) with the path it is cached at."""
        wanted = []
        all_series = client.search_series(study_uid)
        if not all_series:
            raise ArchiveRejected("the archive has no images for this study")
        for series in all_series:
            series_uid = safe_uid(tag_value(series, SERIES_UID))
            for inst in client.search_instances(study_uid, series_uid=series_uid):
                sop_uid = safe_uid(tag_value(inst, SOP_UID))
                wanted.append((series_uid, sop_uid,
                               self.instance_path(study_uid, series_uid, sop_uid)))
        return wanted

    def evict(self, keep: Iterable[str] = ()) -> list[str]:
        """Remove least recently used studies until the cache fits; returns what went.
        ``keep``, the pinned studies and one being fetched now stay."""
        keep = set(keep) | set(self.pinned())
        removed: list[str] = []
        size = self.size()
        for uid in self.studies():
            if size <= self.max_bytes:
                break
            if uid in keep:
                continue
            folder = self.where(uid)
            freed = stored_bytes(folder)
            if self.remove_study(uid):
                size -= freed
                removed.append(uid)
        return removed


def stored_bytes(folder: Path) -> int:
    """The bytes a study's folder holds: its images and its decoded-volume entry."""
    entry = folder / vault.VOLUME_ENTRY
    extra = entry.stat().st_size if entry.is_file() else 0
    return extra + sum(f.stat().st_size for f in folder.rglob("*.dcm"))


def fetch_instance(client: DicomWebClient, study_uid: str, item: tuple[str, str, Path],
                   retries: int = RETRIES, cancel: threading.Event | None = None,
                   stop: threading.Event | None = None, key: bytes | None = None) -> None:
    """One instance ``(series UID, SOP UID, path)`` into the cache, retried while the archive
    is unreachable; ``stop`` (or ``cancel``) ends the waiting early. With ``key`` (the
    study's data key) the file is sealed before it touches the disk."""
    stop = stop or threading.Event()
    series_uid, sop_uid, path = item

    def stopped() -> bool:
        return stop.is_set() or (cancel is not None and cancel.is_set())

    given_up_at = None  # a link that hangs (each try waits for the timeout) is not tried long
    for attempt in range(retries + 1):
        if stopped():
            raise FetchCancelled("the download was cancelled")
        try:
            data = client.retrieve_instance(study_uid, series_uid, sop_uid)
            break
        except ArchiveUnavailable:
            now = time.monotonic()
            given_up_at = given_up_at or now + RETRY_WINDOW_S
            if attempt == retries or now >= given_up_at:
                raise
            log.info("archive unreachable during a fetch; retry %d", attempt + 1)
            pause_until = now + min(RETRY_MAX_S, RETRY_FIRST_S * 2**attempt)
            while time.monotonic() < pause_until and not stopped():
                stop.wait(0.05)
    if key is not None:  # associated data: the file's (hashed) name
        data = crypto.seal(key, data, path.stem.encode())
    else:
        vault.note_plain_write()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".part{threading.get_ident()}")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class Prefetcher:
    """Fetches the next studies of the worklist in the background, one at a time, on a
    thread of lower OS priority (Linux). :meth:`pause` while the reader's own study is
    fetched (the link and the CPU are its): the study being prefetched stops at the next
    instance and goes back to the front of the queue; :meth:`resume` fetches only what is
    missing."""

    def __init__(self, cache: ImageCache, client: DicomWebClient,
                 on_fetched: Callable[[str], None] | None = None) -> None:
        """``on_fetched(study_uid)`` is called on the fetching thread as each study is in."""
        self.cache, self.client, self.on_fetched = cache, client, on_fetched
        self._queue: list[str] = []
        self._wake = threading.Condition()
        self._stop = threading.Event()
        self.fetched: list[str] = []
        self._busy = False
        self._held = False
        self._current = threading.Event()  # set: the study being fetched stops
        self._thread = threading.Thread(target=self._run, name="luch-prefetch", daemon=True)
        self._thread.start()

    def prefetch(self, study_uids: Iterable[str]) -> None:
        """Replace the queue (the worklist order changed)."""
        with self._wake:
            self._queue = [u for u in study_uids if not self.cache.has_study(u)]
            self._wake.notify()

    def pause(self) -> None:
        """Stop fetching (the study under way stops at its next instance) until
        :meth:`resume`."""
        with self._wake:
            self._held = True
            self._current.set()

    def resume(self) -> None:
        with self._wake:
            self._held = False
            self._wake.notify()

    @property
    def paused(self) -> bool:
        return self._held

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
            self._current.set()
            self._wake.notify()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        if sys.platform == "linux":  # a thread's own nice value (Linux: a thread is a task)
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                               max(PREFETCH_NICE, os.getpriority(os.PRIO_PROCESS, 0)))
        while not self._stop.is_set():
            with self._wake:
                while (not self._queue or self._held) and not self._stop.is_set():
                    self._wake.wait()
                if self._stop.is_set():
                    return
                uid = self._queue.pop(0)
                self._busy = True
                self._current = threading.Event()
                cancel = self._current
            try:
                self.cache.fetch_study(self.client, uid, cancel=cancel, workers=2)
                self.fetched.append(uid)
                if self.on_fetched is not None:
                    self.on_fetched(uid)
            except FetchCancelled:
                with self._wake:
                    if self._held and uid not in self._queue:  # paused: later, from here
                        self._queue.insert(0, uid)
            except (ArchiveError, OSError) as err:
                log.warning("prefetch of a study failed: %s", err)
            finally:
                self._busy = False
