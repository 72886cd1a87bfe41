"""Where Luch keeps its data: one folder, overridable with ``LUCH_HOME``."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "luch"
ENV_HOME = "LUCH_HOME"

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESOURCES = PROJECT_ROOT / "resources"
DEMO_STUDY = RESOURCES / "demo" / "chest-ct"


def app_home() -> Path:
    """The app data dir (database, caches, logs, settings), created on first use."""
    override = os.environ.get(ENV_HOME)
    home = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))
    home.mkdir(parents=True, exist_ok=True)
    return home


def app_subdir(name: str) -> Path:
    """A named folder under :func:`app_home` (``logs``, ``cache``, ``models``...)."""
    path = app_home() / name
    path.mkdir(parents=True, exist_ok=True)
    return path
