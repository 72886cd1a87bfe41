"""Training logs come out as they are written, not at the end: a run's log is read from a
file or pipe while it trains (``python -m inference.training.train > log``, ``luch train
--site`` under a service), where a plain print is held in the buffer until the process ends.
Real processes: each trainer's default log writes into a pipe that is read at once."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

WRITER = """
import inspect, sys, time
from inference import site_training
from inference.training import train
for fn in (train.build_dataset, train.train, site_training.build_dataset,
           site_training.fine_tune, site_training.gate_and_activate):
    inspect.signature(fn).parameters["log"].default(fn.__module__ + "." + fn.__name__)
time.sleep(60)  # still training
"""


def test_each_trainers_log_line_arrives_while_it_runs():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("PYTHONUNBUFFERED", None)
    proc = subprocess.Popen([sys.executable, "-c", WRITER], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE)
    try:
        out = b""
        while out.count(b"\n") < 5 and select.select([proc.stdout], [], [], 40)[0]:
            chunk = os.read(proc.stdout.fileno(), 4096)
            if not chunk:
                break
            out += chunk
        assert proc.poll() is None, "the writer ended before its lines were read"
        assert out.count(b"\n") == 5, f"only {out!r} arrived while it ran"
    finally:
        proc.kill()
        proc.wait()
