"""The image cache's names: keyed hashes of the DICOM UIDs, and the move from UID names.

A cached image is ``<root>/s<hash>/r<hash>/i<hash>.dcm`` (study, series, instance): each
hash is HMAC-SHA256 of the UID under the station secret ``keys/cache-names.key``
(:func:`core.vault.station_secret`: wrapped by the station key when encryption at rest is
on), 128 bits in hex. No UID shows in a name, and without the key nobody can test a guessed
UID against the names. Each study folder holds its UID in ``.study``, sealed (AES-256-GCM
under a key derived from the same secret, the folder's name as associated data), so the
cache can say which studies it holds. A sealed image's associated data is its file's stem,
as before (files cannot be swapped).

Caches of before (``<StudyUID>/<SeriesUID>/<SOPUID>.dcm``) are moved study by study
(:func:`migrate_study`, at the app's start for all, else when a study is first asked for),
so that a killed move loses nothing and the next one goes on:

1. the UID record is written into the old folder;
2. each image is re-sealed for its new name (same study key, its new stem as associated
   data; a plain or unreadable one renamed as it is) into its new path, then the old one
   deleted (a crash in between: the old one is moved again);
3. the study key is wrapped again for the new folder name, beside the old one
   (``.luch-key.next``);
4. the folder is renamed (atomic), then the new wrapping replaces the old
   (:func:`finish_study`, also at the next start if the process died between).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from core import crypto, vault
from core.crypto import SealError
from core.files import write_bytes_atomic
from core.paths import app_home

log = logging.getLogger(__name__)
RECORD = ".study"  # in a study's folder: its UID, sealed
UID_NAME = re.compile(r"^[0-9]+(\.[0-9]+)*$")  # a folder or file named by a UID (before)
HASHED = re.compile(r"^[sri][0-9a-f]{32}$")
_RECORD_LABEL = b"luch-cache-record"
_SECRET_LOCK = threading.Lock()
MOVE_NICE = 10  # the moving thread's nice value: the reading comes first


class ImageCache(Protocol):
    """What a move needs of :class:`archive.cache.ImageCache` (which imports this module)."""

    root: Path
    moving: threading.Lock

    @property
    def names(self) -> CacheNames: ...

    def _lock(self, study_uid: str) -> threading.Lock: ...


def names_secret(create: bool) -> bytes | None:
    """The naming key (made on first use when ``create``; None when there is none)."""
    path = app_home() / vault.KEYS_DIR / f"{vault.CACHE_NAMES_KEY}.key"
    with _SECRET_LOCK:  # two threads making it at once would name the cache two ways
        if not create and not path.is_file():
            return None
        return vault.station_secret(vault.CACHE_NAMES_KEY)


class CacheNames:
    """The names of one station's cache (its naming key in memory)."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret
        self._record_key = hmac.new(secret, _RECORD_LABEL, hashlib.sha256).digest()

    def _hash(self, kind: str, uid: str) -> str:
        digest = hmac.new(self._secret, f"{kind}:{uid}".encode(), hashlib.sha256).digest()
        return kind + digest[:16].hex()

    def study(self, uid: str) -> str:
        return self._hash("s", uid)

    def series(self, uid: str) -> str:
        return self._hash("r", uid)

    def instance(self, uid: str) -> str:
        """The stem of an image's file (``.dcm`` added by the caller)."""
        return self._hash("i", uid)

    def record(self, study_uid: str, folder_name: str) -> bytes:
        data = json.dumps({"study": study_uid}).encode()
        return crypto.seal(self._record_key, data, folder_name.encode())

    def read_record(self, folder: Path) -> str | None:
        """The study UID a folder's record names; None when missing or damaged."""
        try:
            data = crypto.open_sealed(self._record_key, (folder / RECORD).read_bytes(),
                                      folder.name.encode(), RECORD)
            uid = json.loads(data)["study"]
        except (OSError, SealError, ValueError, KeyError, TypeError):
            return None
        return uid if isinstance(uid, str) and UID_NAME.match(uid) else None


def legacy_folders(root: Path) -> list[Path]:
    """The study folders still named by their UID."""
    return sorted(p for p in root.iterdir() if p.is_dir() and UID_NAME.match(p.name))


def _old_key(folder: Path) -> bytes | None:
    """The data key of a folder of before (None: none, or it cannot be unwrapped)."""
    if not (folder / vault.FOLDER_KEY).is_file():
        return None
    try:
        return vault.reader().folder_dek(folder, create=False)
    except (vault.KeyMissing, vault.KeyringUnavailable, SealError):
        return None


def _move_image(old: Path, new: Path, key: bytes | None) -> None:
    """One image to its new name: re-sealed for it when it is sealed and can be opened, else
    renamed as it is; the old file deleted after the new one is in place."""
    data = None
    if key is not None:
        with open(old, "rb") as f:
            sealed = crypto.is_sealed(f.read(len(crypto.MAGIC)))
        if sealed:
            try:
                plain = crypto.open_sealed(key, old.read_bytes(), old.stem.encode(), old.name)
                data = crypto.seal(key, plain, new.stem.encode())
            except SealError:  # damaged before: stays so (opening it says so)
                data = None
    new.parent.mkdir(parents=True, exist_ok=True)
    if data is None:
        os.replace(old, new)
        return
    tmp = new.with_name(f".{new.name}.moving")
    tmp.write_bytes(data)
    os.replace(tmp, new)
    old.unlink()


def migrate_study(cache: ImageCache, old: Path) -> Path:
    """Move the study folder ``old`` (named by its UID) to the hashed layout; returns its
    new folder. Safe to run again after it was killed at any point."""
    names = cache.names
    uid = old.name
    new = cache.root / names.study(uid)
    if new.exists():  # the same study in both layouts (should not happen): keep one
        if (new / ".complete").exists():
            shutil.rmtree(old)
            return finish_study(new)
        shutil.rmtree(new)
    for leftover in old.glob(".*.tmp"):  # a key or record write killed half way
        leftover.unlink(missing_ok=True)
    write_bytes_atomic(old / RECORD, names.record(uid, new.name))
    key = _old_key(old)
    moved = 0
    for series in sorted(p for p in old.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for path in sorted(series.iterdir()):
            if path.name.startswith("."):  # a temp file of a killed write or move
                path.unlink(missing_ok=True)
                continue
            if path.suffix != ".dcm" or not UID_NAME.match(path.stem):
                continue  # moved already (or not an image)
            target_series = (old / names.series(series.name)
                             if UID_NAME.match(series.name) else series)
            _move_image(path, target_series / f"{names.instance(path.stem)}.dcm", key)
            moved += 1
        if UID_NAME.match(series.name):
            for leftover in series.iterdir():  # a fetch or sealing killed mid-write
                if leftover.suffix != ".dcm":
                    leftover.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                series.rmdir()  # empty once every image moved
    if key is not None:
        vault.reader().rewrap_folder_key(old, new.name)
    os.rename(old, new)
    log.info("image cache: a study moved to hashed names (%d images)", moved)
    return finish_study(new)


def finish_study(folder: Path) -> Path:
    """The last step of a move: the study key's new wrapping replaces the old one."""
    pending = folder / vault.NEXT_FOLDER_KEY
    if pending.exists():
        os.replace(pending, folder / vault.FOLDER_KEY)
        with contextlib.suppress(vault.KeyMissing, vault.KeyringUnavailable):
            vault.reader().drop_folder_key(folder)
    return folder


@contextlib.contextmanager
def moving_lock(root: Path) -> Iterator[None]:
    """Held while a study moves: another process (``luch cache`` beside the app) waits
    (``flock`` on ``<root>/.moving.lock``; on Windows only this process's lock holds)."""
    try:
        import fcntl  # deferred: POSIX only
    except ImportError:
        yield
        return
    with open(root / ".moving.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_migration(cache: ImageCache) -> threading.Thread | None:
    """:func:`migrate_layout` on a background thread of low OS priority (the app's start
    does not wait; a study asked for meanwhile moves first, on the asking thread); None
    when nothing is named by UID. Stopped by the app's exit, it goes on at the next start."""
    if not any(UID_NAME.match(f.name) or (HASHED.match(f.name) and (
            f / vault.NEXT_FOLDER_KEY).exists()) for f in cache.root.iterdir()):
        return None

    def run() -> None:
        if sys.platform == "linux":  # a thread's own nice value (Linux: a thread is a task)
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, threading.get_native_id(),
                               max(MOVE_NICE, os.getpriority(os.PRIO_PROCESS, 0)))
        try:
            moved = migrate_layout(cache)
        except Exception as err:  # the next start (or the study's first use) tries again
            log.warning("image cache: moving to hashed names stopped: %s", type(err).__name__)
            return
        if moved:
            log.info("image cache: %d studies moved to hashed names", moved)

    thread = threading.Thread(target=run, name="luch-cache-move", daemon=True)
    thread.start()
    return thread


def migrate_layout(cache: ImageCache) -> int:
    """Move every study still named by UID (and finish moves a killed process left);
    returns how many studies moved. A study being fetched now is left for later."""
    moved = 0
    for folder in cache.root.iterdir():
        if HASHED.match(folder.name) and (folder / vault.NEXT_FOLDER_KEY).exists():
            finish_study(folder)
    for old in legacy_folders(cache.root):
        lock = cache._lock(old.name)
        if not lock.acquire(blocking=False):
            continue
        try:
            with cache.moving, moving_lock(cache.root):
                if old.is_dir():
                    migrate_study(cache, old)
                    moved += 1
        finally:
            lock.release()
    return moved
