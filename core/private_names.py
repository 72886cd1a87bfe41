"""Keyed names of a study's private files and of UIDs in the log, and the move from unkeyed ones.

A study's drafts, dictation audio, measurements, key images and word links are named, and a
DICOM UID in the log is tagged, by HMAC-SHA256 of the UID under a key derived from the
station's naming secret (``keys/cache-names.key``, the image cache's: wrapped by the station
key when encryption at rest is on), so that nobody who knows a Study UID can confirm from the
disk that this laptop holds that study. Releases before named them by an unkeyed SHA-256 of
the UID (:func:`unkeyed_name`): :func:`private_path` moves such a file or folder to its
keyed name when it is first looked up (re-sealed, since a sealed file authenticates its
name; the old one deleted only after the new one is written, so a killed move loses
nothing), and :func:`move_all` does it at the start for the studies the records know.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path

from core import crypto, vault
from core.files import write_bytes_atomic
from core.paths import app_home

log = logging.getLogger(__name__)
_LABEL = b"luch-private-names"
_keys: dict[Path, bytes] = {}
_busy = threading.local()
HEX = re.compile(r"^[0-9a-f]{32}$")


def unkeyed_name(uid: str) -> str:
    """The name releases before this one gave a UID's files (anyone can compute it)."""
    return hashlib.sha256(uid.encode()).hexdigest()[:32]


def _key() -> bytes:
    """The naming key of this home (no lock held here while the secret is read: the log
    filter calls this from any thread; :func:`core.vault.station_secret` makes the secret
    one thread at a time)."""
    home = app_home()
    key = _keys.get(home)
    if key is None:
        secret = vault.station_secret(vault.CACHE_NAMES_KEY)
        key = _keys[home] = hmac.new(secret, _LABEL, hashlib.sha256).digest()
    return key


def forget() -> None:
    """Forget the keys held (a key reset set the naming secret aside; tests)."""
    _keys.clear()


def uid_name(uid: str) -> str:
    """A file name for a DICOM UID: 32 hex characters of its keyed hash."""
    return hmac.new(_key(), uid.encode(), hashlib.sha256).hexdigest()[:32]


def log_tag(uid: str) -> str:
    """The first 12 characters of :func:`uid_name` (the log's ``uid:`` tag); question marks
    when the naming key cannot be had now (no keyring, a lost station key, or the log
    written while the key is being read): never the UID, nor its unkeyed hash."""
    if getattr(_busy, "on", False):
        return "?" * 12
    _busy.on = True
    try:
        return uid_name(uid)[:12]
    except Exception:
        return "?" * 12
    finally:
        _busy.on = False


def private_path(folder: Path, uid: str, suffix: str = "") -> Path:
    """``folder/<keyed name><suffix>``, a file or folder of before (the unkeyed name) moved to
    it first."""
    new = folder / f"{uid_name(uid)}{suffix}"
    old = folder / f"{unkeyed_name(uid)}{suffix}"
    if old.exists() or old.is_symlink():
        try:
            _move(old, new)
        except (crypto.SealError, ValueError):  # damaged: kept for recovery by hand
            log.warning("a private file of before cannot be read; kept as .broken")
            os.replace(old, new.with_name(new.name + ".broken"))
    return new


def _move(old: Path, new: Path) -> None:
    """Move one file or folder of before to its keyed name (kill-safe: nothing is deleted
    before its copy is in place; a copy and its original both present at the next call are
    settled then)."""
    if old.is_dir():
        new.mkdir(exist_ok=True)
        for item in sorted(old.iterdir()):
            target = new / item.name
            if item.name.startswith(".") and item.name.endswith(".tmp"):
                item.unlink(missing_ok=True)  # a temp a killed writer left
            elif not target.exists():
                os.replace(item, target)  # a file's name is kept: its seal stays valid
            else:
                item.unlink()  # moved before a kill: the copy is in place
        old.rmdir()
        return
    if new.exists() and new.stat().st_mtime_ns >= old.stat().st_mtime_ns:
        old.unlink()  # written (or moved) after the old one: the newer is kept
        return
    data = old.read_bytes()
    if crypto.is_sealed(data):  # sealed with its name as associated data: sealed anew
        plain = vault.read_private(old)
        keys = vault.reader()
        data = crypto.seal(keys.dek(vault.HOME_KEY), plain, new.name.encode())
    write_bytes_atomic(new, data)
    old.unlink()


def find_moved(path: Path) -> Path:
    """A file recorded by its path before its folder was moved to a keyed name (a dictation's
    audio in the records or a word link): found by its own name in the folder beside it;
    ``path`` itself when it is there or not found."""
    path = Path(path)
    if path.exists() or not HEX.match(path.parent.name):
        return path
    for candidate in path.parent.parent.glob(f"*/{path.name}"):
        return candidate
    return path


def move_all(uids: Iterable[str], folders: dict[str, str]) -> int:
    """Move the files and folders of before of the given UIDs (``folders``: name -> suffix,
    e.g. ``{"drafts": ".json", "dictations": ""}``); returns how many moved."""
    home, moved = app_home(), 0
    wanted = {unkeyed_name(uid): uid for uid in uids}
    for name, suffix in folders.items():
        folder = home / name
        if not folder.is_dir():
            continue
        for item in sorted(folder.iterdir()):
            stem = item.name[:-len(suffix)] if suffix and item.name.endswith(suffix) else (
                item.name if not suffix else None)
            if stem in wanted:
                with contextlib.suppress(OSError, crypto.SealError):
                    private_path(folder, wanted[stem], suffix)
                    moved += 1
    return moved


#: a log line's time stamp (``core.logging``'s format): ``2026-12-07 15:44:02,123``
_STAMP = re.compile(r"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}),\d{3} ")
_OLD_TAG = re.compile(r"uid:([0-9a-f]{12})(?![0-9a-f])")


def retag_logs(paths: Iterable[Path], uids: Iterable[str], before: str) -> int:
    """Rewrite the ``uid:`` tags of the log lines stamped before ``before`` (the local time
    this process started, as the log writes it): an unkeyed tag of a known UID becomes its
    keyed one, any other becomes question marks (an unkeyed tag confirms a guessed UID).
    Lines of this process keep their (keyed) tags. Returns how many files changed."""
    known = {unkeyed_name(uid)[:12]: log_tag(uid) for uid in uids}
    changed = 0
    for path in paths:
        text = path.read_text("utf-8", errors="replace")
        lines, old = text.splitlines(keepends=True), True
        for n, line in enumerate(lines):
            stamp = _STAMP.match(line)
            if stamp:  # a line without one continues the record above (a traceback)
                old = stamp[1] < before
            if old:
                lines[n] = _OLD_TAG.sub(lambda m: "uid:" + known.get(m[1], "?" * 12), line)
        rewritten = "".join(lines)
        if rewritten != text:  # in place: an open handler appends to this same file
            with open(path, "r+b") as f:
                f.write(rewritten.encode("utf-8"))
                f.truncate()
            changed += 1
    return changed
