"""Small, safe file helpers: atomic JSON and byte writes."""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

#: a temp file this old was left by a killed writer (a write takes milliseconds)
STALE_TEMP_S = 60.0


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def remove_stale_temps(path: Path, older_than_s: float = 0.0) -> int:
    """Delete temp files that a killed :func:`write_json_atomic` of ``path`` left behind
    (those older than ``older_than_s``); returns how many. Call it where no other writer of
    ``path`` can be running (e.g. when a draft is restored), or with an age."""
    removed, now = 0, time.time()
    for tmp in path.parent.glob(f"{_temp_prefix(path)}*.tmp"):
        try:
            if now - tmp.stat().st_mtime >= older_than_s:
                tmp.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


def write_json_atomic(path: Path, data: Any) -> None:
    """Write ``data`` as JSON so that ``path`` holds either the old or the new content, never a
    torn file (temp file in the same folder, fsync, rename), even if the process is killed.
    Temps that killed writers left more than :data:`STALE_TEMP_S` ago are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path, STALE_TEMP_S)
    write_bytes_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new bytes, never a torn
    file: a temp file in the same folder, fsync, rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temp_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
