"""Opening and scrolling a study while the background pre-read runs, against the same with
nothing running, in the same run (and, for reference, against a pre-read on a plain thread
of the app's own process, which does not give way).

The station is the real one (window + workflow, offscreen): a real chest CT is opened
(``open_path`` until ``volume_loaded``) and scrolled with real wheel events through the
application's event filter (one frame each). Modes, interleaved:

- ``none``: nothing else runs;
- ``background``: the workflow's background queue pre-reads another real chest CT (it is
  computing, past its start-up, when each measurement starts);
- ``thread`` (reference): the same pre-read on a thread of this process, at normal
  priority with torch's default threads, as a naive background task would run.

    .venv/bin/python benchmarks/background_preread.py [--open PATH] [--preread PATH] [--rounds 3]

Prints medians and ratios to ``none``. The box may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-"))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "ct"
SCROLLS = 40


def wait(app, done, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not done() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    return done()


def open_time(app, window, path: Path) -> float:
    loaded = []
    window.volume_loaded.connect(loaded.append)
    t0 = time.perf_counter()
    window.open_path(path)
    if not wait(app, lambda: loaded, 120):
        raise SystemExit("the study did not open")
    took = time.perf_counter() - t0
    window.volume_loaded.disconnect(loaded.append)
    return took


def scroll_times(app, window) -> list[float]:
    """Seconds per wheel step (event in, frame rendered), up and down through the series."""
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent

    view, times = window.view, []
    for n in range(SCROLLS):
        delta = QPoint(0, 120 if (n // 10) % 2 == 0 else -120)
        wheel = QWheelEvent(QPointF(200, 200), QPointF(200, 200), QPoint(0, 0), delta,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        t0 = time.perf_counter()
        app.sendEvent(view.interactor, wheel)
        app.processEvents()
        times.append(time.perf_counter() - t0)
    return times


class ThreadPreread:
    """The reference: the pre-read over and over on a plain thread of this process."""

    def __init__(self, path: Path) -> None:
        from studies import open_volume

        self.volume = open_volume(path)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from inference.errors import AnalysisCancelled
        from inference.preread import analyze

        while not self.stop.is_set():
            try:
                analyze(self.volume, None, None, self.stop)
            except AnalysisCancelled:
                return

    def close(self) -> None:
        self.stop.set()
        self.thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=Path, default=DATA / "lidc-idri-0001")
    parser.add_argument("--preread", type=Path, default=DATA / "lidc-idri-0003")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from core.settings import Settings
    from records import open_store

    app = QApplication.instance() or QApplication([])
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    window.resize(1400, 900)
    workflow = Workflow(window, open_store(), reader="bench")
    window.show()
    background = workflow.worklist_flow.background
    open_time(app, window, args.open)  # warm: readers, VTK, the first layout

    queued = [0]

    def computing() -> None:
        """The background queue is pre-reading (past the worker's start and the series'
        loading): queue the study again under a new UID when the last one finished."""
        if not background.busy():
            queued[0] += 1
            background.set_queue([(f"2.25.{os.getpid()}{queued[0]}", str(args.preread))])
        if not wait(app, lambda: any(f > 0 for f in background.progress.values()), 300):
            raise SystemExit("the background pre-read did not start")

    results: dict[str, dict[str, list[float]]] = {
        m: {"open": [], "scroll": []} for m in ("none", "background", "thread")}
    try:
        for _ in range(args.rounds):
            for mode in ("none", "background", "thread"):
                reference = None
                if mode == "background":
                    background.release("bench")
                    computing()
                else:  # the queue's worker stopped (SIGSTOP): it takes no CPU
                    background.hold("bench")
                if mode == "thread":
                    reference = ThreadPreread(args.preread)
                    time.sleep(2.0)  # into the computation
                try:
                    results[mode]["open"].append(open_time(app, window, args.open))
                    wait(app, lambda: False, 0.3)
                    results[mode]["scroll"] += scroll_times(app, window)
                finally:
                    if reference is not None:
                        reference.close()
                if mode == "background" and not background.busy():
                    print("note: the background pre-read ended during a measurement")
                if mode == "background":  # the worker must not be left stopped
                    wait(app, lambda: not background.paused, 5)
    finally:
        workflow.stop()

    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    print(f"open {args.open.name}, background pre-read of {args.preread.name}; "
          f"{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    base_open = statistics.median(results["none"]["open"])
    base_frame = statistics.median(results["none"]["scroll"])
    for mode, r in results.items():
        o, f = statistics.median(r["open"]), statistics.median(r["scroll"])
        p95 = sorted(r["scroll"])[int(0.95 * (len(r["scroll"]) - 1))]
        print(f"{mode:>10}: open {o:6.2f} s (x{o / base_open:4.2f})   scroll frame median "
              f"{1000 * f:6.1f} ms (x{f / base_frame:4.2f}), p95 {1000 * p95:6.1f} ms")
    print(f"background results stored: {background.read_count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
