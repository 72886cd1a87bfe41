"""``luch open`` and ``luch --demo`` end to end: a real process, real VTK pixels in the PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screens import chest_fractions, read_gray, split_views

ROOT = Path(__file__).resolve().parents[2]


def viewer_home() -> str:
    """A fresh LUCH_HOME with the AI auto-run off, so screenshots show the CT alone."""
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="luch-viewer-home-"))
    (home / "settings.json").write_text('{"ai.autorun": false}')
    return str(home)


def run_luch(*args: str, env: dict | None = None,
             timeout: int = 180) -> subprocess.CompletedProcess:
    env = {"LUCH_HOME": viewer_home(), **(env or {})}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


def assert_chest_in_lung_window(png: Path) -> None:
    lung, black, bright = chest_fractions(read_gray(png))
    assert lung > 0.25, f"lungs not shown dark-grey in the lung window ({lung:.0%} of the chest)"
    assert black < 0.05, f"lung window must not crush the lungs to black ({black:.0%})"
    assert bright > 0.15, f"soft tissue not shown bright ({bright:.0%} of the chest)"


def test_open_screenshot_shows_lungs_dark_and_body_bright(shared_data: Path, tmp_path: Path):
    png = tmp_path / "shot.png"
    proc = run_luch("open", str(shared_data / "ct" / "lidc-idri-0003"), "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    assert_chest_in_lung_window(png)


def test_mediastinum_preset_blackens_the_lungs(shared_data: Path, tmp_path: Path):
    png = tmp_path / "shot.png"
    proc = run_luch("open", str(shared_data / "ct" / "lidc-idri-0003"), "--preset",
                    "mediastinum", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    _, black, _ = chest_fractions(read_gray(png))
    assert black > 0.10, f"a mediastinal window shows the lungs black ({black:.0%} black)"


def test_mpr_layout_shows_three_correct_non_blank_views(shared_data: Path, tmp_path: Path):
    png = tmp_path / "mpr.png"
    proc = run_luch("open", str(shared_data / "ct" / "lidc-idri-0003"), "--layout", "mpr",
                    "--preset", "lung", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    views = split_views(read_gray(png))
    assert len(views) == 3
    for view in views:
        assert view.std() > 40, "a view is blank"
        assert (view > 200).mean() > 0.05, "no bright tissue in a view"
        assert ((view > 20) & (view < 130)).mean() > 0.05, "no lung parenchyma in a view"
    assert_chest_in_lung_window(png)


def test_chest_hanging_protocol_shows_axial_and_coronal(tmp_path: Path):
    png = tmp_path / "hanging.png"
    proc = run_luch("--demo", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    views = split_views(read_gray(png))
    assert len(views) == 2, "chest CT hangs as axial + coronal"
    axial, coronal = views
    assert axial.shape[1] == pytest.approx(coronal.shape[1], abs=4)


def test_overlay_is_drawn_from_a_mask_file(tmp_path: Path):
    import numpy as np
    import SimpleITK as sitk
    from PIL import Image

    from core.paths import DEMO_STUDY
    from studies import open_volume

    volume = open_volume(DEMO_STUDY)
    labels = np.zeros(volume.shape, dtype=np.uint8)
    labels[:, 100:160, 40:110] = 5  # consolidation label over the patient's right lung
    image = sitk.GetImageFromArray(labels)
    image.SetSpacing(volume.spacing)
    image.SetOrigin(volume.origin)
    image.SetDirection(tuple(volume.direction.ravel()))
    sitk.WriteImage(image, str(tmp_path / "mask.nii.gz"))
    png = tmp_path / "overlay.png"
    home = tmp_path / "home"
    home.mkdir()
    (home / "settings.json").write_text('{"ai.autorun": false}')  # only the given mask
    proc = run_luch("open", str(DEMO_STUDY), "--layout", "1x1", "--overlay",
                    str(tmp_path / "mask.nii.gz"), "--screenshot", str(png),
                    env={"LUCH_HOME": str(home)})
    assert proc.returncode == 0, proc.stderr
    rgb = np.asarray(Image.open(png).convert("RGB")).astype(int)
    gray = rgb.mean(axis=2)
    left, right = view_columns(gray)
    red = (rgb[:, left:right, 0] - rgb[:, left:right, 1]) > 40
    ys, xs = np.nonzero(red)
    assert ys.size > 500, "the mask is not drawn"
    assert xs.mean() < (right - left) / 2, "patient's right is on the screen's left"


def view_columns(gray) -> tuple[int, int]:
    """The column span of the (single) VTK view: black-backed columns in the middle row."""
    import numpy as np

    row = gray[gray.shape[0] // 2]
    dark = np.nonzero(row < 5)[0]
    return int(dark.min()), int(dark.max()) + 1


def test_prior_comparison_opens_side_by_side(shared_data: Path, tmp_path: Path):
    png = tmp_path / "compare.png"
    proc = run_luch("open", str(shared_data / "ct" / "lidc-idri-0003"), "--prior",
                    str(shared_data / "ct" / "lidc-idri-0001"), "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    views = split_views(read_gray(png))
    assert len(views) == 2 and all(view.std() > 40 for view in views)


def test_demo_screenshot_shows_the_demo_ct(tmp_path: Path):
    png = tmp_path / "demo.png"
    proc = run_luch("--demo", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    assert_chest_in_lung_window(png)


@pytest.mark.xvfb
def test_open_in_a_real_x_window(shared_data: Path, tmp_path: Path, xvfb_display: str):
    png = tmp_path / "x11.png"
    env = {"DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb", "LUCH_HOME": viewer_home()}
    env_without_egl = {k: v for k, v in os.environ.items() if k != "VTK_DEFAULT_OPENGL_WINDOW"}
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "open", str(shared_data / "ct" / "lidc-idri-0001"),
         "--screenshot", str(png)],
        cwd=ROOT, capture_output=True, text=True, timeout=180, env={**env_without_egl, **env})
    assert proc.returncode == 0, proc.stderr
    assert_chest_in_lung_window(png)


def test_missing_path_is_a_clear_error_without_traceback(tmp_path: Path):
    proc = run_luch("open", str(tmp_path / "nowhere"), "--screenshot", str(tmp_path / "x.png"))
    assert proc.returncode == 2
    assert "not found" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_folder_without_dicom_is_a_clear_error(tmp_path: Path):
    (tmp_path / "notes.txt").write_text("not an image")
    proc = run_luch("open", str(tmp_path), "--screenshot", str(tmp_path / "x.png"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip(), "the user must be told why nothing opened"
    assert not (tmp_path / "x.png").exists()


def test_every_command_has_help():
    import argparse

    from app.cli import build_parser

    proc = run_luch("--help")
    assert proc.returncode == 0
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    commands = list(sub.choices)
    assert "open" in commands
    for command in commands:
        sub = run_luch(command, "--help")
        assert sub.returncode == 0, f"{command} --help failed: {sub.stderr}"
        assert "usage:" in sub.stdout


def test_the_app_wires_the_lock_the_microphone_and_activity(qapp, luch_home, memory_keyring,
                                                            monkeypatch, pulse_mic):
    """``luch --demo`` in this process, offscreen: once the demo study is up, the idle lock
    has its settings and hooks, speech and controller buttons count as activity, locking
    ends a dictation and the microphone buttons do nothing while locked."""
    import time

    from PySide6.QtCore import QEvent

    from app.commands.open import reader_name
    from app.shell.input_router import input_router
    from app.shell.lock import IdleLock
    from app.shell.main_window import MainWindow
    from core.settings import Settings
    from tests.app import windows

    monkeypatch.setenv("LUCH_LANG", "en")
    settings = Settings()
    settings.set("ai.autorun", False)
    settings.set("app.autolock_minutes", 7)
    settings.set("dictation.device", pulse_mic.device)
    started, seen, messages = time.monotonic(), {}, []

    def lock_notices(lock, act) -> bool:
        before = lock._last_input
        time.sleep(0.002)
        act()
        return lock._last_input > before

    def inspect(window: MainWindow) -> None:
        workflow, lock, adapter = window.workflow, window.idle_lock, window.voice_controller
        router = input_router()
        adapter.status.connect(messages.append)
        seen["lock"] = (isinstance(lock, IdleLock), lock.timeout_ms, lock.user)
        seen["actions"] = {"lock", "settings"} <= set(window.actions)
        seen["routed"] = (lock._on_event in router.handlers(QEvent.Type.MouseMove),
                          adapter._on_key in router.handlers(QEvent.Type.KeyPress))
        seen["speech is activity"] = lock_notices(lock, workflow.dictation.activity.emit)
        seen["buttons are activity"] = lock_notices(lock, lambda: adapter._perform("rewind"))
        workflow.report.form.focus_field("conclusion")
        workflow.dictation.start()
        seen["dictating"] = workflow.dictation.session is not None
        lock.lock()
        seen["locking ends it"] = workflow.dictation.session is None
        adapter._perform("record_start")
        seen["no microphone while locked"] = (workflow.dictation.session is None,
                                              "record_start" not in adapter.performed,
                                              "locked" in (messages or [""])[-1])
        lock.unlock()
        lock.set_timeout_ms(0)  # the closed window's lock fires in no later test

    def ready(window: MainWindow | None) -> bool:
        # After the decoder warm-up timer (1.5 s) too, so none is left for later tests.
        if window is None or window.volume is None or time.monotonic() - started < 2.0:
            return False
        inspect(window)
        return True

    assert windows.run_app_until(qapp, ready, demo=True) == 0
    assert seen.get("lock") == (True, 7 * 60_000, reader_name()), seen
    assert seen["actions"] and seen["routed"] == (True, True)
    assert seen["speech is activity"] and seen["buttons are activity"]
    assert seen["dictating"] and seen["locking ends it"]
    assert seen["no microphone while locked"] == (True, True, True), messages


def test_a_second_window_on_one_profile_is_refused(tmp_path: Path):
    """Two windows on one LUCH_HOME would overwrite each other's drafts and settings."""
    from core.profile_lock import hold_profile

    home = Path(viewer_home())
    lock = hold_profile(home)  # the first window
    try:
        proc = run_luch("--demo", "--screenshot", str(tmp_path / "x.png"),
                        env={"LUCH_HOME": str(home)})
    finally:
        lock.release()
    assert proc.returncode == 3
    assert "already running with this profile" in proc.stderr
    assert not (tmp_path / "x.png").exists()
