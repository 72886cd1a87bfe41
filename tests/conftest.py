"""Suite-wide set-up: offscreen Qt and VTK, a throwaway LUCH_HOME, no station policy, the
shared test data."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Before anything imports Qt or VTK: render offscreen through EGL unless a test asks for X.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
os.environ["LUCH_HOME"] = tempfile.mkdtemp(prefix="luch-test-home-")
# No station policy of the machine running the tests (/etc/luch/policy.json) applies to them.
os.environ["LUCH_POLICY"] = os.path.join(os.environ["LUCH_HOME"], "no-policy.json")

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Shared fixtures for real services (Orthanc, PulseAudio, Xvfb...) live in tests/plugins/.
pytest_plugins = sorted(
    f"tests.plugins.{p.stem}"
    for p in (Path(__file__).parent / "plugins").glob("*.py")
    if not p.name.startswith("_")
)


def _shared_data_dir() -> Path:
    return Path(os.environ.get("LUCH_SHARED_DATA", PROJECT_ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``: skipped with a reason when absent, an error in CI where it must exist."""
    from tests.plugins.ci_guard import require  # after pytest registered the plugin

    path = _shared_data_dir()
    require((path / "README.md").exists(), f"shared test data at {path}",
            "the project's shared data there, or set LUCH_SHARED_DATA")
    return path


@pytest.fixture
def luch_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty app data dir for one test."""
    home = tmp_path / "luch-home"
    monkeypatch.setenv("LUCH_HOME", str(home))
    return home


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The package test (minutes, ~10 GB of disk for a moment) runs last: the quick results
    come first. The frozen app's package test runs only where ``LUCH_FROZEN_DIR`` names a
    freeze made before (installer/freeze.sh, ~17 min): deselected elsewhere, not skipped."""
    if not os.environ.get("LUCH_FROZEN_DIR"):
        frozen = [item for item in items if item.get_closest_marker("frozen")]
        if frozen:
            config.hook.pytest_deselected(items=frozen)
            items[:] = [item for item in items if item not in frozen]
    items.sort(key=lambda item: item.get_closest_marker("package") is not None)
