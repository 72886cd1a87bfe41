"""One app window per profile: the app holds a lock on its data folder while it runs.

Two windows on one ``LUCH_HOME`` would write the same drafts, settings and outbox, and a
reader typing in one would lose what the other saved. The lock is an OS file lock on
``<app data>/luch.lock`` (``flock`` on POSIX, ``msvcrt.locking`` on Windows): the OS lets
it go when the process ends, however it ends (a killed app leaves no stale lock). The file
holds the holder's process ID for the message.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from core.errors import LuchError
from core.paths import app_home

LOCK_NAME = "luch.lock"


class ProfileInUse(LuchError):
    """Another Luch process holds this profile."""


class ProfileLock:
    """The lock on a profile, held from :func:`hold_profile` until :meth:`release` or exit."""

    def __init__(self, path: Path, handle) -> None:
        self.path = path
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file lets the lock go
            self._handle = None


def hold_profile(home: Path | None = None) -> ProfileLock:
    """Lock the profile in ``home`` (the app data folder) for this process.

    Raises :class:`ProfileInUse` naming the holder when another process has it."""
    path = (home or app_home()) / LOCK_NAME
    handle = open(path, "a+b")  # noqa: SIM115 - held open for the process's lifetime
    try:
        _lock(handle)
    except OSError:
        handle.seek(0)
        holder = handle.read(32).decode("ascii", "replace").strip() or "?"
        handle.close()
        raise ProfileInUse(
            f"Luch is already running with this profile (process {holder}); use its window, "
            "or close it before starting another") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()).encode())
    handle.flush()
    return ProfileLock(path, handle)


def _lock(handle) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows
        import msvcrt  # deferred: Windows only

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
    else:
        import fcntl  # deferred: POSIX only

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
