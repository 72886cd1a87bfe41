"""The background pre-read's worker process ends when its station goes, even when the
station is killed (kill -9) before the worker could ask the kernel to end it with its
parent (``PR_SET_PDEATHSIG``): its stdin closes, and that cancels the pre-read running and
drops the queued ones (before, it crashed at its first answer into the closed pipe, having
loaded the study and run the network on its first slabs). Real processes: a station that
starts the worker, hands it a real chest and is gone at once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The station: starts the worker as BackgroundPreread does, queues two pre-reads and ends
# at once without a word (as kill -9 would end it), before the worker has started up.
STATION = """
import json, os, subprocess, sys
proc = subprocess.Popen([sys.executable, "-m", "app.reading.preread_worker"],
                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                        stderr=open(sys.argv[2], "w"), text=True)
for n in (1, 2):
    proc.stdin.write(json.dumps({"read": f"2.25.{n}", "path": sys.argv[1]}) + "\\n")
proc.stdin.flush()
print(proc.pid, flush=True)
os._exit(0)
"""


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended (the orphan's new parent reaps it)


def test_the_worker_ends_when_its_station_is_killed(luch_home, shared_data):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    stderr = luch_home.parent / "worker-stderr.txt"
    station = subprocess.run([sys.executable, "-c", STATION,
                              str(shared_data / "ct" / "lidc-idri-0001"), str(stderr)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    pid = int(station.stdout.split()[0])
    t0 = time.monotonic()
    try:
        while _running(pid) and time.monotonic() - t0 < 180:
            time.sleep(0.2)
        ended = time.monotonic() - t0
        assert not _running(pid), "the worker outlived its station by 3 minutes"
    finally:
        if _running(pid):
            os.kill(pid, 9)
    ai_files = list((luch_home / "ai-dicom").glob("*")) if (luch_home / "ai-dicom").exists() \
        else []
    assert ai_files == [], "the orphaned worker went on pre-reading"
    assert ended < 60, f"the worker took {ended:.0f} s to end"
    assert "Traceback" not in stderr.read_text(), "it ended by crashing on the closed pipe"
