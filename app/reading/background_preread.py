"""The background pre-read: the studies the worklist prefetched are pre-read before anyone
opens them, in worklist order (unread, most urgent first), and stored like a pre-read run
in the panel, so the result is waiting when the study is opened.

The work runs in a worker process of its own (:mod:`app.reading.preread_worker`) at the
lowest OS priority with one torch thread: the viewer keeps its interpreter lock and its
cores. It gives way at once to the reader: while a study loads, while the panel's own
pre-read runs, and for :data:`QUIET_MS` after each scroll, key or click the worker is
stopped (SIGSTOP on POSIX; elsewhere it waits at its next checkpoint between slabs) and
resumed after. The setting ``ai.background`` turns it off.

Before any pre-read, the same worker writes the decoded-volume entry of each prefetched
sealed study that has none (a *warm-up*, :func:`studies.keep_decoded`; not shown in the
worklist, and done with the setting off too: no model is loaded for it), so that with
encryption at rest the reader's first open of a prefetched study is one decryption, not a
read of every sealed image."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from shiboken6 import isValid

from app.reading.preread_worker import LOWEST_PRIORITY
from records import Store

log = logging.getLogger(__name__)
QUIET_MS = 1500  # the reader's input holds the worker this long after the last event
PENDING, RUNNING = "pending", "running"
READ, WARM = "read", "warm"  # a job: a pre-read, or a prefetched study's volume entry
SETTING = "ai.background"
_ROOT = Path(__file__).resolve().parents[2]  # where ``app`` is importable from


class BackgroundPreread(QObject):
    """``states``: study UID -> ``pending``/``running``; ``changed()`` when they change,
    ``stored(study_uid)`` when a result was stored, ``warmed(study_uid)`` after a warm-up."""

    changed = Signal()
    stored = Signal(str)
    warmed = Signal(str)  # a study's decoded-volume entry is written (or was there)
    _message = Signal(dict)  # from the thread reading the worker's answers

    def __init__(self, store: Store, parent: QObject | None = None,
                 quiet_ms: int = QUIET_MS) -> None:
        super().__init__(parent)
        self.store = store
        self.enabled = True
        self.states: dict[str, str] = {}
        self.read_count = 0  # results stored by this queue (tests and the benchmark)
        self.progress: dict[str, float] = {}  # the running pre-read's last checkpoint
        self._queue: list[tuple[str, str, str]] = []  # (study UID, folder, READ or WARM)
        self._running: str | None = None
        self._running_kind = READ
        self.warm_count = 0  # volume entries the worker has seen to (tests, the benchmark)
        self._proc: subprocess.Popen | None = None
        self._holds: set[str] = set()
        self._paused = False
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(quiet_ms)
        self._quiet.timeout.connect(lambda: self.release("input"))
        self._message.connect(self._answer)
        started = self._started = []  # the worker processes, ended with this object too
        self.destroyed.connect(lambda *_: _end_all(started))

    # -- the queue ---------------------------------------------------------------------------
    def set_queue(self, studies: list[tuple[str, str]],
                  warm: Sequence[tuple[str, str]] = ()) -> None:
        """Warm up ``warm`` then pre-read ``studies`` (UID, folder), in this order; replaces
        what waits (the running one goes on; with the AI pre-read off only warm-ups are
        kept, and a pre-read running is cancelled)."""
        if not self.enabled:
            studies = []
            if not warm:
                self.stop()
                return
            if self._running is not None and self._running_kind == READ:
                self._send({"cancel": self._running})  # turned off: the warm-ups go on
        running = (self._running, self._running_kind)
        self._queue = [job for job in [(uid, path, WARM) for uid, path in warm]
                       + [(uid, path, READ) for uid, path in studies]
                       if (job[0], job[2]) != running]
        self.states = {uid: PENDING for uid, _, kind in self._queue if kind == READ}
        if self._running is not None and self._running_kind == READ:
            self.states[self._running] = RUNNING
        self.changed.emit()
        self._next()

    def drop(self, study_uid: str) -> None:
        """The reader opened this study: it is read in the foreground, not here."""
        self._queue = [job for job in self._queue if job[0] != study_uid]
        if self._running == study_uid:
            self._send({"cancel": study_uid})
        if self.states.pop(study_uid, None) is not None:
            self.changed.emit()

    def busy(self) -> bool:
        return self._running is not None or bool(self._queue)

    def wait_idle(self, timeout_s: float) -> bool:
        """Process events until the queue is done (tests, the benchmark)."""
        deadline = time.monotonic() + timeout_s
        while self.busy() and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.02)
        return not self.busy()

    # -- giving way --------------------------------------------------------------------------
    def hold(self, reason: str) -> None:
        """Stop the worker until :meth:`release` of every reason (a study loading, the
        panel's pre-read)."""
        self._holds.add(reason)
        self._update_pause()

    def release(self, reason: str) -> None:
        self._holds.discard(reason)
        self._update_pause()

    def nudge(self) -> None:
        """The reader scrolled, typed or clicked: hold for :data:`QUIET_MS` from now."""
        if "input" not in self._holds:
            self.hold("input")
        self._quiet.start()

    @property
    def paused(self) -> bool:
        return self._paused

    def _update_pause(self) -> None:
        pause = bool(self._holds)
        if pause == self._paused:
            return
        self._paused = pause
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        stop = getattr(signal, "SIGSTOP", None)
        if pause:
            self._send({"pause": True})
            if stop is not None:
                os.kill(proc.pid, stop)
        else:
            if stop is not None:
                os.kill(proc.pid, signal.SIGCONT)
            self._send({"pause": False})

    # -- the worker process ------------------------------------------------------------------
    def _start_worker(self) -> subprocess.Popen:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.reading.preread_worker"], cwd=_ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        if hasattr(os, "setpriority"):  # at once, not only once the worker has started
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, proc.pid, LOWEST_PRIORITY)
        self._started[:] = [p for p in self._started if p.poll() is None] + [proc]
        threading.Thread(target=self._read_answers, args=(proc,), daemon=True,
                         name="luch-preread-answers").start()
        if self._paused and hasattr(signal, "SIGSTOP"):
            self._send_to(proc, {"pause": True})
            os.kill(proc.pid, signal.SIGSTOP)
        return proc

    def _read_answers(self, proc: subprocess.Popen) -> None:
        for line in proc.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isValid(self):
                return
            try:
                self._message.emit(message)
            except RuntimeError:  # the station closed
                return
        if isValid(self):
            with contextlib.suppress(RuntimeError):
                self._message.emit({"exited": proc.pid})

    def _send(self, message: dict) -> None:
        if self._proc is not None:
            self._send_to(self._proc, message)

    @staticmethod
    def _send_to(proc: subprocess.Popen, message: dict) -> None:
        try:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
        except (OSError, ValueError):  # the worker has gone; its exit is answered
            pass

    def _next(self) -> None:
        if not self.enabled:  # the AI pre-read off: only warm-ups
            self._queue = [job for job in self._queue if job[2] == WARM]
        if self._running is not None or not self._queue:
            return
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start_worker()
        uid, path, kind = self._queue.pop(0)
        self._running, self._running_kind = uid, kind
        if kind == READ:
            self.states[uid] = RUNNING
            self.changed.emit()
        self._send({kind: uid, "path": path})

    @property
    def pid(self) -> int | None:
        """The worker process's id while it runs."""
        return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _answer(self, message: dict) -> None:
        if "progress" in message:
            self.progress[message["progress"]] = float(message["f"])
        elif "done" in message:
            uid = message["done"]
            self.store.save_ai_result(
                uid, model_name=message["engine"], model_version=message["model_version"],
                values=message["values"], mask_files=message["files"],
                series_instance_uid=message["series"], sync=False,
                study_uid_derived=message["derived"])
            self.read_count += 1
            self._finished(uid)
            self.stored.emit(uid)
        elif "warmed" in message:
            self.warm_count += 1
            self._finished(message["warmed"])
            self.warmed.emit(message["warmed"])
        elif "failed" in message:
            log.warning("background pre-read failed: %s", message.get("error"))
            self._finished(message["failed"])
        elif "cancelled" in message:
            self._finished(message["cancelled"])
        elif "exited" in message and self._proc is not None \
                and message["exited"] == self._proc.pid:
            self._proc = None
            if self._running is not None:
                log.warning("the background pre-read worker exited")
                self._finished(self._running)

    def _finished(self, uid: str) -> None:
        self.progress.pop(uid, None)
        if self._running == uid:
            self._running = None
        if self.states.get(uid) == RUNNING and self._running_kind == READ:
            del self.states[uid]
        self.changed.emit()
        self._next()

    def stop(self) -> None:
        """Turned off, or at exit: the queue is dropped and the worker ends."""
        self._queue, self._running = [], None
        had = bool(self.states)
        self.states = {}
        proc, self._proc = self._proc, None
        if proc is not None:
            _end_all([proc])
        if had:
            self.changed.emit()


def _end_all(procs: list[subprocess.Popen]) -> None:
    """End worker processes (a stopped one is continued first, then killed)."""
    for proc in procs:
        if proc.poll() is None:
            with contextlib.suppress(OSError):
                if hasattr(signal, "SIGCONT"):
                    os.kill(proc.pid, signal.SIGCONT)
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=10)
