"""User settings as one JSON file under the app data dir.

Settings are a flat mapping of dotted keys (``viewer.presets``, ``dictation.engine``) to
JSON values. Defaults live with the code that owns them and are passed to :meth:`get`.
Secrets never go here: archive credentials live in the OS keyring.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.files import write_json_atomic
from core.paths import app_home

SETTINGS_FILE = "settings.json"


class Settings:
    """A JSON-backed key/value store, written atomically on every change."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or app_home() / SETTINGS_FILE
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                self._values = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                # A damaged settings file must not stop the app: keep it aside, start clean.
                self.path.replace(self.path.with_suffix(".broken.json"))
                self._values = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self._values[key] = value
        self._save()

    def _save(self) -> None:
        write_json_atomic(self.path, self._values)
