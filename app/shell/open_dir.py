"""Where the open dialogs start: the folder last opened from; Qt's own record of it wiped.

Its path may name the patient (a CD copied as ``Ivanov Ivan``), so with encryption at rest on
it is kept sealed in ``LUCH_HOME/reading/open-dir.json`` (:func:`core.vault.write_private_json`)
and never in ``settings.json``, which stays plain (it holds the switch that turns encryption
on); with encryption off it is the setting ``app.open_dir`` as before. Turning encryption on
moves the setting into the sealed file (:func:`seal_open_dir`, at the app's start).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from core import vault
from core.errors import LuchError
from core.paths import app_home

OPEN_DIR_KEY = "app.open_dir"  # settings, with encryption off
FILE = Path("reading") / "open-dir.json"

log = logging.getLogger(__name__)


def _file() -> Path:
    return app_home() / FILE


def last_open_dir(settings) -> str | None:
    """The folder last opened from, if it still exists (the setting, else the sealed file)."""
    last = settings.get(OPEN_DIR_KEY)
    if not isinstance(last, str) and _file().is_file():
        try:
            last = vault.read_private_json(_file()).get("folder")
        except (LuchError, OSError, ValueError, AttributeError) as err:
            log.warning("the last open folder is not read (%s)", type(err).__name__)
            last = None
    return last if isinstance(last, str) and Path(last).is_dir() else None


def remember_open_dir(settings, folder: str) -> None:
    """Keep ``folder`` for the next open dialog: sealed when encryption is on, else the
    setting (a failure is logged, never raised: it must not stop an open)."""
    try:
        if vault.current() is None:
            settings.set(OPEN_DIR_KEY, folder)
            return
        vault.write_private_json(_file(), {"folder": folder})
        settings.unset(OPEN_DIR_KEY)
    except (LuchError, OSError) as err:
        log.warning("the open folder is not kept (%s)", type(err).__name__)


def forget_dialog_history() -> None:
    """Remove the folders Qt's own file dialog keeps outside ``LUCH_HOME`` (``history`` and
    ``lastVisited`` in ``QtProject.conf`` under ``~/.config``, written as a dialog closes,
    whatever the platform's dialog): a folder opened may name the patient. Called after
    each file dialog of the app."""
    from PySide6.QtCore import QSettings  # deferred: `luch encryption` loads this without Qt

    qt = QSettings(QSettings.Scope.UserScope, "QtProject")
    for key in ("FileDialog/history", "FileDialog/lastVisited"):
        qt.remove(key)
    qt.sync()


def seal_open_dir(settings, keys: vault.Vault) -> int:
    """Move a folder kept in plain settings into the sealed file; 1 if one was moved."""
    folder = settings.get(OPEN_DIR_KEY)
    if not isinstance(folder, str) or settings.is_locked(OPEN_DIR_KEY):
        return 0
    path = keys.home / FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    vault.write_private(path, json.dumps({"folder": folder}).encode("utf-8"), keys)
    settings.unset(OPEN_DIR_KEY)
    return 1

