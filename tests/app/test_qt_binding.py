"""The Qt binding must survive a long reading session (regression: PySide6 6.12.0)."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Source(QObject):
    changed = Signal(int)

app = QCoreApplication([])
source = Source()
received = []
source.changed.connect(received.append)
before = sys.getrefcount(True)
for n in range(20000):  # about a day of scrolling through slices
    source.changed.emit(n)
assert len(received) == 20000
print(sys.getrefcount(True) - before)
"""


def test_signal_emission_does_not_leak_or_abort():
    proc = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, f"Qt binding aborted after many signals: {proc.stderr[-400:]}"
    assert abs(int(proc.stdout.strip())) < 100, "Signal.emit() changes the refcount of True"
