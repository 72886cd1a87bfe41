"""The reading window in a real X window (Xvfb): the coronal reference line follows the axial
scroll on screen, Ctrl+2 keeps the place and the focus, and the corner text is drawn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.xvfb
def test_reading_in_a_real_x_window(xvfb_display: str, tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "VTK_DEFAULT_OPENGL_WINDOW"}
    env.update(DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb", LUCH_HOME=str(tmp_path / "home"),
               LUCH_LANG="en", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "app" / "x11_reading.py")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stderr[-2000:]
    out = json.loads(lines[-1][len("RESULT "):])
    assert out["slice_before"] - out["slice_after"] == 10  # Up: towards the head, slice 1
    before, after = out["coronal_line_before"], out["coronal_line_after"]
    assert before > 0 and after > 0, f"no reference line on screen: {out}"
    assert before - after > 5, f"the coronal reference line did not move up: {out}"
    assert out["layout"] == "1x2" and out["slice_after_layout"] == out["slice_after"]
    assert out["focus_in_view"] and out["search_text"] == ""
    assert out["window"] == [300, 1500], "3 did not apply the bone window"
    assert out["corner_dark_share"] > 0.3 and out["corner_bright_share"] > 0.01, out
