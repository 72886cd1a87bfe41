"""Run long work (loading, AI, sync) off the UI thread with progress and cancel."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from app.shell.error_text import error_text
from core.errors import LuchError

log = logging.getLogger(__name__)


class Task(QObject):
    """Calls ``work(progress=..., cancel=...)`` on the thread pool.

    ``progress(fraction)`` may be called from the worker; ``cancel`` is a ``threading.Event``
    the work should check. Results come back on the UI thread through the signals.

    ``name`` says what the work is, in English, marked for translation in the ``Task``
    context at the call site (``QT_TRANSLATE_NOOP("Task", "loading")``): the log gets it as
    it is, the user the interface language's (:meth:`display_name`).
    """

    progress = Signal(float)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Callable[..., Any], name: str = "task") -> None:
        super().__init__()
        self.name = name
        self._work = work
        self.cancel_event = threading.Event()
        self.done = threading.Event()

    def display_name(self) -> str:
        """The name in the interface language."""
        return QCoreApplication.translate("Task", self.name)

    def start(self, pool: QThreadPool | None = None) -> Task:
        (pool or QThreadPool.globalInstance()).start(_Runner(self))
        return self

    def cancel(self) -> None:
        self.cancel_event.set()

    def _run(self) -> None:
        try:
            result = self._work(progress=self._progress, cancel=self.cancel_event)
        except Exception as err:
            if self.cancel_event.is_set():  # work stopped by raising its own "cancelled" error
                self._emit(self.cancelled)
            elif isinstance(err, LuchError):
                self._emit(self.failed, error_text(err))
            else:  # a bug: log it, tell the user something short
                log.exception("%s failed", self.name)
                message = QCoreApplication.translate(
                    "Task", "%1 failed unexpectedly (%2); see the log")
                self._emit(self.failed, message.replace("%1", self.display_name())
                           .replace("%2", type(err).__name__))
        else:
            if self.cancel_event.is_set():
                self._emit(self.cancelled)
            else:
                self._emit(self.succeeded, result)
        finally:
            self.done.set()

    def _progress(self, fraction: float) -> None:
        self._emit(self.progress, fraction)

    def _emit(self, signal, *args) -> None:
        """Emit unless the receiving side is gone (the window closed while work ran)."""
        try:
            signal.emit(*args)
        except RuntimeError:
            self.cancel_event.set()


def wait_for_background_work(timeout_ms: int = 10_000) -> bool:
    """At exit: give running tasks time to see their cancel flag and finish."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


class _Runner(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task

    def run(self) -> None:
        self.task._run()
