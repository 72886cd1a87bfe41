"""Measurements kept with their series, so they are there when the study reopens.

One JSON file per series under the app data dir; the file name is a hash of the Series
Instance UID, so no identifier appears in the file system.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from core.paths import app_subdir
from viewer.measurements import Measurement


def _file(series_uid: str) -> Path:
    digest = hashlib.sha256(series_uid.encode()).hexdigest()[:32]
    return app_subdir("measurements") / f"{digest}.json"


def load_measurements(series_uid: str) -> list[Measurement]:
    path = _file(series_uid)
    if not series_uid or not path.exists():
        return []
    try:
        return [Measurement.from_dict(d) for d in json.loads(path.read_text("utf-8"))]
    except (ValueError, KeyError, TypeError):
        path.replace(path.with_suffix(".broken.json"))  # keep it for recovery, start clean
        return []


def save_measurements(series_uid: str, measurements: list[Measurement]) -> None:
    if not series_uid:
        return
    path = _file(series_uid)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".m-")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump([m.to_dict() for m in measurements], f)
    os.replace(tmp, path)
