"""Measurements kept with their series, so they are there when the study reopens.

One JSON file per series under the app data dir; the file name is a hash of the Series
Instance UID, so no identifier appears in the file system; sealed when encryption at rest
is on (:mod:`core.vault`).
"""

from __future__ import annotations

from pathlib import Path

from core.crypto import SealError
from core.paths import app_subdir
from core.private_names import private_path
from core.vault import read_private_json, write_private_json
from viewer.measurements import Measurement


def _file(series_uid: str) -> Path:
    return private_path(app_subdir("measurements"), series_uid, ".json")


def load_measurements(series_uid: str) -> list[Measurement]:
    path = _file(series_uid)
    if not series_uid or not path.exists():
        return []
    try:
        return [Measurement.from_dict(d) for d in read_private_json(path)]
    except (ValueError, KeyError, TypeError, SealError):
        path.replace(path.with_suffix(".broken.json"))  # keep it for recovery, start clean
        return []


def save_measurements(series_uid: str, measurements: list[Measurement]) -> None:
    if not series_uid:
        return
    write_private_json(_file(series_uid), [m.to_dict() for m in measurements])
