"""Where each series was left, kept across restarts: one private JSON file.

The keys are hashes of the Series Instance UIDs (no identifier in the file); the file is
sealed when encryption at rest is on (:mod:`core.vault`), as the measurements are.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.crypto import SealError
from core.paths import app_subdir
from core.vault import read_private_json, write_private_json
from viewer.reading_state import Places

log = logging.getLogger(__name__)


def _file() -> Path:
    return app_subdir("reading") / "places.json"


def load_places() -> Places:
    """The places kept by :func:`save_places`; none (and the damaged file set aside) when
    the file does not read."""
    path = _file()
    if not path.exists():
        return Places()
    try:
        data = read_private_json(path)
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        return Places.from_json(data)
    except (ValueError, SealError, OSError) as exc:
        log.warning("reading places not read (%s); starting without them",
                    type(exc).__name__)
        path.replace(path.with_suffix(".broken.json"))
        return Places()


def save_places(places: Places) -> None:
    """Write ``places`` (atomically; a failure is logged, never raised: losing where a
    series was left must not stop the reading)."""
    try:
        write_private_json(_file(), places.to_json())
    except OSError as exc:
        log.warning("reading places not saved (%s)", type(exc).__name__)
