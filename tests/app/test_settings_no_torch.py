"""Opening Settings does not load torch (about 2 s): the model row reads only the sidecar."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_settings_dialog_and_the_model_registry_import_without_torch():
    code = ("import sys; import app.settings_dialog, inference.registry; "
            "from inference.registry import ModelRegistry; "
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "False", "torch is loaded by Settings"
