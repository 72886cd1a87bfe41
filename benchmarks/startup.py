"""Start-up: time from launching ``luch`` until its window (worklist, viewer, report panel) is
shown and the event loop runs, against a bare PySide6 window in the same run.

    .venv/bin/python benchmarks/startup.py [--runs 5] [--frozen dist/luch]

Both are timed from outside as whole processes (interpreter start to exit), offscreen, with a
fresh app data dir, median of the runs. Goal: a usable window within 2 s. With ``--frozen``
the PyInstaller app (``installer/freeze.sh``) is timed too, interleaved, against this venv's
(goal: within 1.5x), and the folder's size is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1600, 1000)
window.show()
QTimer.singleShot(0, app.quit)
app.exec()
"""


def timed(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def folder_mib(folder: Path) -> float:
    """The folder's size on disk in MiB, links counted once and not followed (as du -s)."""
    seen, blocks = set(), 0
    for path in folder.rglob("*"):
        info = path.lstat()
        if (info.st_dev, info.st_ino) not in seen:
            seen.add((info.st_dev, info.st_ino))
            blocks += info.st_blocks
    return blocks * 512 / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--frozen", type=Path, metavar="DIR",
                        help="a frozen app's folder (installer/freeze.sh): time it too")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "VTK_DEFAULT_OPENGL_WINDOW": "vtkEGLRenderWindow"}
    bare, luch, frozen = [], [], []
    frozen_cmd = [str(args.frozen / "luch"), "--startup-probe"] if args.frozen else None
    with tempfile.TemporaryDirectory() as home:
        env["LUCH_HOME"] = home
        timed([sys.executable, "main.py", "--startup-probe"], env)  # first run: creates the DB
        if frozen_cmd:
            timed(frozen_cmd, env)  # and reads the frozen app's files once (page cache)
        for _ in range(args.runs):
            bare.append(timed([sys.executable, "-c", BARE], env))
            luch.append(timed([sys.executable, "main.py", "--startup-probe"], env))
            if frozen_cmd:
                frozen.append(timed(frozen_cmd, env))
    b, a = statistics.median(bare), statistics.median(luch)
    print(f"start-up, {os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}), median of "
          f"{args.runs}")
    print(f"bare PySide6 window   {b:6.2f} s")
    print(f"luch window           {a:6.2f} s   ratio {a / b:.2f}   goal <= 2 s: "
          f"{'met' if a <= 2 else 'NOT met'}")
    if frozen:
        f = statistics.median(frozen)
        print(f"luch, frozen app      {f:6.2f} s   frozen/venv {f / a:.2f}   goal <= 1.5: "
              f"{'met' if f <= 1.5 * a else 'NOT met'}")
        print(f"frozen app folder     {folder_mib(args.frozen):6.0f} MiB  {args.frozen}")


if __name__ == "__main__":
    main()
