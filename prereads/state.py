"""What a service process keeps between runs, in ``<state dir>/shard-K-of-N/``: the feed
cursor, the studies it finished and the failures it counted, all safe against kill -9.

The archive is the record of what is done (a study is pre-read when its three objects are
there); this state only saves work: the cursor where to read the feed on, the done list
which studies need no archive check. Losing the folder costs a re-check, never a result.
A lock file keeps a second process with the same shard off this folder on one machine.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from core.files import write_json_atomic
from prereads.errors import PreReadServiceError
from prereads.shards import Shard

CURSOR, DONE, FAILURES, LOCK = "cursor.json", "done.txt", "failures.json", "lock"


def _key(study_uid: str, model_version: str, seen: str = "") -> str:
    """A study, model version and sight of it as a file key (no UID written in clear)."""
    return hashlib.sha256(f"{study_uid}|{model_version}|{seen}".encode()).hexdigest()[:32]


class ServiceState:
    """The state of one shard's owner; :meth:`close` releases the shard."""

    def __init__(self, root: Path, shard: Shard) -> None:
        self.folder = root / f"shard-{shard.index}-of-{shard.count}"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._lock = (self.folder / LOCK).open("a+")
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            self._lock.close()
            raise PreReadServiceError(
                f"Another pre-read service process on this machine holds shard {shard}") from err
        self._done = self._read_done()
        self._failures: dict[str, Any] = self._read_json(FAILURES, {})

    def close(self) -> None:
        self._lock.close()  # the kernel drops the lock with the file, and on kill -9 too

    # -- cursor ------------------------------------------------------------------------------
    def cursor(self) -> Any:
        return self._read_json(CURSOR, {}).get("cursor")

    def save_cursor(self, cursor: Any) -> None:
        write_json_atomic(self.folder / CURSOR, {"cursor": cursor})

    # -- done --------------------------------------------------------------------------------
    def _read_done(self) -> set[str]:
        path = self.folder / DONE
        if not path.exists():
            return set()
        lines = path.read_text(encoding="ascii", errors="replace").split("\n")
        return {line for line in lines if len(line) == 32}  # a torn last line is dropped

    def is_done(self, study_uid: str, model_version: str, seen: str = "") -> bool:
        return _key(study_uid, model_version, seen) in self._done

    def mark_done(self, study_uid: str, model_version: str, seen: str = "") -> None:
        key = _key(study_uid, model_version, seen)
        if key in self._done:
            return
        with (self.folder / DONE).open("a", encoding="ascii") as f:
            f.write(f"\n{key}\n")  # a line of its own even after a torn one
            f.flush()
            os.fsync(f.fileno())
        self._done.add(key)

    # -- failures ----------------------------------------------------------------------------
    def failed(self, study_uid: str, model_version: str, reason: str) -> int:
        """Count a failure of the study; returns how many it has had."""
        key = _key(study_uid, model_version)
        entry = self._failures.setdefault(key, {"attempts": 0})
        entry["attempts"] += 1
        entry["reason"] = reason
        write_json_atomic(self.folder / FAILURES, self._failures)
        return entry["attempts"]

    def attempts(self, study_uid: str, model_version: str) -> int:
        return self._failures.get(_key(study_uid, model_version), {}).get("attempts", 0)

    def _read_json(self, name: str, default: Any) -> Any:
        try:
            return json.loads((self.folder / name).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return default
        except (OSError, ValueError):  # damaged: start again; the archive says what is done
            return default
