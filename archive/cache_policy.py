"""What the image cache holds and how it is kept small on a home laptop.

``cache_status`` counts studies, images and bytes (study UIDs only as short hashes: no
PHI); ``wipe`` removes the cached images and nothing else (the database, drafts, dictation
audio and the unsent outbox live elsewhere under ``LUCH_HOME``); ``prune`` applies the
``cache.max_gb`` and ``cache.max_age_days`` settings (0 = no limit), least recently used
complete studies first, never a study that is open or has unsent work. ``seal_cache``
encrypts images cached before encryption at rest was turned on (each study with its key).
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from archive.cache import COMPLETE, ORPHAN_AGE_S, ImageCache, stored_bytes
from core import crypto, vault
from core.private_names import log_tag
from core.settings import Settings

log = logging.getLogger(__name__)
MAX_GB_KEY, MAX_AGE_DAYS_KEY = "cache.max_gb", "cache.max_age_days"
WIPE_ON_EXIT_KEY = "cache.wipe_on_exit"
CACHE_WIPED = "cache-wiped"  # audit action: a study's cached images removed by a wipe
DAY_S = 86400.0


def uid_hash(study_uid: str) -> str:
    """A short stable tag for a study in output and logs (not its UID): the log's keyed
    ``uid:`` tag (:func:`core.private_names.log_tag`)."""
    return log_tag(study_uid)


@dataclass(frozen=True)
class PartialStudy:
    study: str  # uid_hash of the study UID
    cached: int
    expected: int | None


@dataclass(frozen=True)
class CacheStatus:
    folder: str
    studies: int
    complete: int
    images: int
    bytes: int
    oldest_age_days: float | None  # since its last use
    partial: list[PartialStudy] = field(default_factory=list)
    encryption: bool = False  # encryption at rest is on (new images are written sealed)
    plain_images: int = 0  # images not encrypted (cached before it was turned on)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Freed:
    studies: int
    images: int
    bytes: int

    def as_dict(self) -> dict:
        return asdict(self)


def _last_use(folder: Path) -> float:
    marker = folder / COMPLETE
    return (marker if marker.exists() else folder).stat().st_mtime


def _files(folder: Path) -> list[Path]:
    return [f for f in folder.rglob("*.dcm") if f.is_file()]


def cache_status(cache: ImageCache, now: float | None = None) -> CacheStatus:
    """Counts of what is cached; partly cached studies by hash with their counts."""
    now = time.time() if now is None else now
    uids = cache.studies()
    images = size = complete = 0
    partial: list[PartialStudy] = []
    oldest, plain = None, 0
    for uid in uids:
        folder = cache.where(uid)
        files = _files(folder)
        plain += sum(1 for f in files if not _sealed(f))
        images += len(files)
        size += stored_bytes(folder)
        state = cache.study_state(uid)
        if state.state == "complete":
            complete += 1
        else:
            partial.append(PartialStudy(uid_hash(uid), len(files), state.expected))
        used = _last_use(folder)
        oldest = used if oldest is None else min(oldest, used)
    age = None if oldest is None else round(max(0.0, now - oldest) / DAY_S, 2)
    return CacheStatus(str(cache.root), len(uids), complete, images, size, age, partial,
                       vault.encryption_enabled(Settings()), plain)


def _sealed(path: Path) -> bool:
    with open(path, "rb") as f:
        return crypto.is_sealed(f.read(len(crypto.MAGIC)))


def seal_cache(cache: ImageCache, keys: vault.Vault) -> int:
    """Encrypt every plain cached image in place with its study's key (made as needed);
    returns how many. A study being fetched now is left for the next call."""
    sealed = 0
    for uid in cache.studies():
        lock = cache._lock(uid)
        if not lock.acquire(blocking=False):
            continue
        try:
            folder = cache.study_dir(uid)
            plain = [f for f in _files(folder) if not _sealed(f)]
            if not plain:
                continue
            key = keys.folder_dek(folder, create=True)
            for path in plain:
                data = crypto.seal(key, path.read_bytes(), path.stem.encode())
                tmp = path.with_suffix(".sealing")
                tmp.write_bytes(data)
                os.replace(tmp, path)
                sealed += 1
        finally:
            lock.release()
    return sealed


def _remove(cache: ImageCache, uid: str) -> Freed:
    """What removing the study freed; nothing when it is being fetched now."""
    folder = cache.where(uid)
    files = _files(folder)
    freed = Freed(1, len(files), stored_bytes(folder))
    return freed if cache.remove_study(uid) else Freed(0, 0, 0)


def _total(parts: Iterable[Freed]) -> Freed:
    parts = list(parts)
    return Freed(sum(p.studies for p in parts), sum(p.images for p in parts),
                 sum(p.bytes for p in parts))


def wipe(cache: ImageCache, keep: Iterable[str] = (), orphan_age_s: float = ORPHAN_AGE_S
         ) -> Freed:
    """Remove every cached study but ``keep`` (open now), and the study folders whose UID
    cannot be read any more (:meth:`ImageCache.orphans`, older than ``orphan_age_s``: a
    younger one may be a study being made now); only image folders under the cache root
    are touched."""
    keep = set(keep)
    parts = [_remove(cache, uid) for uid in cache.studies() if uid not in keep]
    for folder in cache.orphans(orphan_age_s):
        files = _files(folder)
        parts.append(Freed(1, len(files), stored_bytes(folder)))
        shutil.rmtree(folder, ignore_errors=True)
    return _total(parts)


def _gone(cache: ImageCache, uid: str) -> bool:
    return _remove(cache, uid).studies == 1


def wipe_on_exit(settings: Settings, cache: ImageCache, keep: Iterable[str]) -> Freed | None:
    """At quit, when ``cache.wipe_on_exit`` is set (home laptops): the wipe, sparing ``keep``
    (studies with unsent work); None when the setting is off."""
    if settings.get(WIPE_ON_EXIT_KEY, False) is not True:
        return None
    freed = wipe(cache, keep)
    log.info("cache wiped at exit: %d studies, %d bytes", freed.studies, freed.bytes)
    return freed


@dataclass(frozen=True)
class CacheLimits:
    max_bytes: int  # 0: no limit
    max_age_s: float  # 0: no limit

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> CacheLimits:
        """``cache.max_gb`` and ``cache.max_age_days``; a value that is not a number >= 0 is
        said in the log and means no limit (a typo must not wipe the cache)."""
        settings = settings if settings is not None else Settings()
        return cls(int(limit_setting(settings, MAX_GB_KEY) * 1024**3),
                   limit_setting(settings, MAX_AGE_DAYS_KEY) * DAY_S)


def limit_setting(settings: Settings, key: str) -> float:
    """A limit setting's value (0: none, also for a value that is not a number >= 0)."""
    value = settings.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        log.warning("setting %s=%r is not a number >= 0; no limit", key, value)
        return 0.0
    return float(value)


def prune(cache: ImageCache, limits: CacheLimits, keep: Iterable[str] = (),
          now: float | None = None) -> list[str]:
    """Remove studies past ``limits``: first any unused longer than the age limit, then,
    while over the size limit, the least recently used complete studies, then partly cached
    ones. ``keep`` and ``cache.pinned()`` (open studies, studies with unsent work) and a
    study being fetched now are never removed. Returns the removed study UIDs."""
    now = time.time() if now is None else now
    keep = set(keep) | set(cache.pinned())
    candidates = [uid for uid in cache.studies() if uid not in keep]  # LRU first
    removed: list[str] = []
    if limits.max_age_s > 0:
        for uid in candidates:
            if now - _last_use(cache.where(uid)) > limits.max_age_s and _gone(cache, uid):
                removed.append(uid)
    if limits.max_bytes > 0:
        left = [uid for uid in candidates if uid not in removed]
        ordered = ([u for u in left if cache.has_study(u)]
                   + [u for u in left if not cache.has_study(u)])
        size = cache.size()
        for uid in ordered:
            if size <= limits.max_bytes:
                break
            freed = _remove(cache, uid)
            if freed.studies:
                size -= freed.bytes
                removed.append(uid)
    if removed:
        log.info("cache pruned: %d studies removed", len(removed))
    return removed
