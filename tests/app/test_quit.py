"""Quitting while background work runs: the window goes at once and the process ends within
seconds (it took 10-30 s under load while a cancelled AI pre-read finished its pass), with
what the reader wrote kept and no decoding process left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# ``luch --demo`` in a child process (``run_app`` as the console script calls it); once the
# AI pre-read runs, the report gets a line and the window is closed (File > Quit).
SCRIPT = """
import inspect, json, sys, time
from PySide6.QtCore import QTimer
import app.commands.open as op
from app.shell.main_window import MainWindow

shown = MainWindow.show

def show(self):
    shown(self)
    def running(on):
        if not on:
            return
        def close():
            self.workflow.report.free_text.setPlainText("Quit while the AI read.")
            print(json.dumps({"close": time.time(), "study": self.workflow.report.study_uid}),
                  flush=True)
            self.close()
            print(json.dumps({"hidden": not self.isVisible()}), flush=True)
        QTimer.singleShot(1000, close)
    self.workflow.ai.running.connect(running)

MainWindow.show = show
if __name__ == "__main__":
    given = {"end_process": True} if "end_process" in inspect.signature(op.run_app).parameters \
        else {}  # (the code before had no such switch: it waited)
    sys.exit(op.run_app(None, demo=True, **given))
"""


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads Linux's /proc")
def test_quitting_while_the_ai_reads_ends_the_process_at_once(luch_home, tmp_path):
    script = tmp_path / "quit_demo.py"
    script.write_text(SCRIPT, encoding="utf-8")
    marker = f"LUCH_QUIT_TEST={tmp_path}"  # in the environment of every process it starts
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "LUCH_HOME": str(luch_home), "LUCH_QUIT_TEST": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines = []
    try:
        for line in proc.stdout:
            if line.startswith("{"):
                lines.append(json.loads(line))
        proc.wait(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    ended = time.time()
    assert lines, "the AI pre-read never ran"
    closed = lines[0]["close"]
    assert lines[1]["hidden"], "the window goes as soon as it is closed"
    assert proc.returncode == 0
    # the cancelled pre-read's pass is not waited for: 2.5 s of grace, then the process ends
    assert ended - closed < 10, f"quitting took {ended - closed:.1f} s"
    time.sleep(3)  # the ending processes' own exit
    assert not _started_by(marker), "decoding or worker processes were left behind"
    # nothing the reader wrote is lost; the profile is free at once
    from app.panels.drafts import load_draft
    from core.profile_lock import hold_profile

    draft = load_draft(lines[0]["study"])
    assert draft is not None and draft.free_text == "Quit while the AI read."
    hold_profile().release()


def _started_by(marker: str) -> list[int]:
    """The live processes whose environment holds ``marker`` (Linux /proc)."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found
