"""``luch open`` and ``luch --demo`` end to end: a real process, real VTK pixels in the PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.screens import chest_fractions, read_gray

ROOT = Path(__file__).resolve().parents[2]


def run_luch(*args: str, env: dict | None = None,
             timeout: int = 180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


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
    assert black > 0.25, f"a mediastinal window shows the lungs black ({black:.0%} black)"


def test_demo_screenshot_shows_the_demo_ct(tmp_path: Path):
    png = tmp_path / "demo.png"
    proc = run_luch("--demo", "--screenshot", str(png))
    assert proc.returncode == 0, proc.stderr
    assert_chest_in_lung_window(png)


@pytest.mark.xvfb
def test_open_in_a_real_x_window(shared_data: Path, tmp_path: Path, xvfb_display: str):
    png = tmp_path / "x11.png"
    env = {"DISPLAY": xvfb_display, "QT_QPA_PLATFORM": "xcb"}
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
    proc = run_luch("--help")
    assert proc.returncode == 0
    commands = [line.split()[0] for line in proc.stdout.split("COMMAND")[-1].splitlines()
                if line.startswith("    ") and line.split()]
    assert "open" in commands
    for command in commands:
        sub = run_luch(command, "--help")
        assert sub.returncode == 0, f"{command} --help failed: {sub.stderr}"
        assert "usage:" in sub.stdout
