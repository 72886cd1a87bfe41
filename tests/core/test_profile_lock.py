"""One app per profile: the lock on the data folder, across real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core.profile_lock import ProfileInUse, hold_profile

HOLD = ("import sys, time; from pathlib import Path; from core.profile_lock import hold_profile;"
        "lock = hold_profile(Path(sys.argv[1])); print('held', flush=True); time.sleep(60)")
TRY = ("import sys; from pathlib import Path; from core.profile_lock import hold_profile, "
       "ProfileInUse\ntry:\n    hold_profile(Path(sys.argv[1])); print('held')\n"
       "except ProfileInUse as err:\n    print('refused:', err)")
ROOT = Path(__file__).resolve().parents[2]


def _try(home: Path) -> str:
    return subprocess.run([sys.executable, "-c", TRY, str(home)], cwd=ROOT, text=True,
                          capture_output=True, check=True, timeout=60).stdout.strip()


def test_a_second_process_is_refused_and_named_until_the_first_lets_go(tmp_path: Path):
    lock = hold_profile(tmp_path)
    said = _try(tmp_path)
    assert said.startswith("refused: Luch is already running with this profile")
    assert f"(process {os.getpid()})" in said
    lock.release()
    assert _try(tmp_path) == "held"


def test_a_killed_app_leaves_no_stale_lock(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(tmp_path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ProfileInUse, match=f"process {holder.pid}"):
            hold_profile(tmp_path)
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    hold_profile(tmp_path).release()  # the OS let it go with the process
