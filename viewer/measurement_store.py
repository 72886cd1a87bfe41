"""Measurements kept with their series, so they are there when the study reopens.

One JSON file per series under the app data dir; the file name is a hash of the Series
Instance UID, so no identifier appears in the file system.
"""

from __future__ import annotations

import json
from pathlib import Path

from core.files import uid_name, write_json_atomic
from core.paths import app_subdir
from viewer.measurements import Measurement


def _file(series_uid: str) -> Path:
    return app_subdir("measurements") / f"{uid_name(series_uid)}.json"


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
    write_json_atomic(_file(series_uid), [m.to_dict() for m in measurements])
