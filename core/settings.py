"""User settings as one JSON file under the app data dir, under the station's policy.

Settings are a flat mapping of dotted keys (``viewer.presets``, ``dictation.engine``) to
JSON values. Defaults live with the code that owns them and are passed to :meth:`get`.
Secrets never go here: archive credentials live in the OS keyring.

The station policy is a JSON file IT puts at ``/etc/luch/policy.json`` (``$LUCH_POLICY``
overrides the path)::

    {"defaults": {"dictation.engine": "whisper"},
     "locked": {"archive.url": "https://pacs.example/dicom-web", "ui.language": "ru"}}

A locked value wins over the user's and cannot be set; a default is used where the user has
set nothing. A damaged policy file is logged and ignored (the app still starts).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LuchError
from core.files import write_json_atomic
from core.paths import app_home

SETTINGS_FILE = "settings.json"
POLICY_FILE = Path("/etc/luch/policy.json")
ENV_POLICY = "LUCH_POLICY"

log = logging.getLogger(__name__)


class SettingLocked(LuchError):
    """The station policy fixes this setting."""


@dataclass(frozen=True)
class Policy:
    """Settings pre-set by IT for the whole station: ``defaults`` and ``locked`` values."""

    defaults: dict[str, Any] = field(default_factory=dict)
    locked: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None = None) -> Policy:
        path = path or Path(os.environ.get(ENV_POLICY) or POLICY_FILE)
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            defaults, locked = data.get("defaults", {}), data.get("locked", {})
            if not isinstance(defaults, dict) or not isinstance(locked, dict):
                raise ValueError("defaults and locked must be objects")
        except (OSError, ValueError, AttributeError) as err:
            log.error("station policy %s ignored: %s", path, err)
            return cls()
        return cls(dict(defaults), dict(locked))


class Settings:
    """A JSON-backed key/value store, written atomically on every change."""

    def __init__(self, path: Path | None = None, policy: Policy | None = None) -> None:
        self.path = path or app_home() / SETTINGS_FILE
        self.policy = policy if policy is not None else Policy.load()
        self._values: dict[str, Any] = {}
        if self.path.exists():
            try:
                self._values = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                # A damaged settings file must not stop the app: keep it aside, start clean.
                self.path.replace(self.path.with_suffix(".broken.json"))
                self._values = {}

    def get(self, key: str, default: Any = None) -> Any:
        if key in self.policy.locked:
            return self.policy.locked[key]
        if key in self._values:
            return self._values[key]
        return self.policy.defaults.get(key, default)

    def is_locked(self, key: str) -> bool:
        return key in self.policy.locked

    def set(self, key: str, value: Any) -> None:
        if self.is_locked(key):
            if value == self.policy.locked[key]:
                return
            raise SettingLocked(f"The setting {key} is fixed by the station policy")
        self._values[key] = value
        self._save()

    def unset(self, key: str) -> None:
        """Forget the user's value of ``key`` (the policy's default applies again)."""
        if self._values.pop(key, None) is not None:
            self._save()

    def _save(self) -> None:
        write_json_atomic(self.path, self._values)
