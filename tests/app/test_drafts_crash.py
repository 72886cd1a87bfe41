"""Drafts survive kill -9: a child process autosaves in a loop and is SIGKILLed at random
moments; the draft left is always a whole one (old or new) and no temp file remains."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STUDY = "1.2.826.0.1.3680043.8.498.22"

# Each draft is big enough (many fields, as json.dump streams them) that a write takes a few
# milliseconds, so random kills land inside writes. Field "n" and the text say which draft.
WRITER = """
import sys
from app.panels.drafts import Draft, save_draft
n = int(sys.argv[1])
while True:
    n += 1
    fields = {f"field{i}": f"{n}-{i}" for i in range(3000)}
    fields["n"] = n
    save_draft(Draft(sys.argv[2], fields, free_text=f"draft {n}"))
    print(n, flush=True)
"""


def _whole(draft_file: Path) -> int:
    """The draft's number, after checking that every part of it belongs to that draft."""
    data = json.loads(draft_file.read_text(encoding="utf-8"))
    n = data["fields"]["n"]
    assert data["free_text"] == f"draft {n}"
    assert all(data["fields"][f"field{i}"] == f"{n}-{i}" for i in range(3000))
    return n


def test_draft_is_old_or_new_after_sigkill_mid_write(luch_home: Path) -> None:
    from app.panels.drafts import _path, load_draft

    draft_file = _path(STUDY)
    rng = random.Random(22)
    last = 0
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "LUCH_HOME": str(luch_home)}
    for _ in range(8):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(last), STUDY], env=env,
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None
        child.stdout.readline()  # one whole draft written: now kill it somewhere in the loop
        time.sleep(rng.uniform(0.0, 0.25))
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
        child.stdout.close()
        n = _whole(draft_file)  # before anything tidies up: a torn file fails here
        assert n > last
        restored = load_draft(STUDY)  # what the app does when the study is opened again
        assert restored is not None and restored.fields["n"] == n
        assert sorted(p.name for p in draft_file.parent.iterdir()) == [draft_file.name], \
            "a temp or .broken file was left"
        last = n
