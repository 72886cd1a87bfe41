"""The one application-wide event filter of the station: keyboard and activity, routed.

A Python event filter on the :class:`QApplication` is called for every event of every object
(paints, timers, mouse moves), each a trip into Python. The idle lock, the shortcut guard
and the voice controller's keyboard watcher each need some of these events; they register
handlers here for the event types they want, and one :class:`InputRouter` is installed on
the application. Handlers run as Qt runs application filters, the latest registered first;
one that returns True consumes the event. A handler goes when its owner is destroyed, or
when the window it was added for is closed (a closed window is hidden, not deleted, and its
handlers would otherwise still be called for every event of their types).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

Handler = Callable[[QObject, QEvent], bool]

KEYS = frozenset({QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride})


class InputRouter(QObject):
    """Calls the handlers registered for an event's type (only those) for every event."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._handlers: dict[QEvent.Type, list[Handler]] = {}
        self._windows: dict[QWidget, list[Handler]] = {}  # window -> handlers it closes

    def add(self, owner: QObject, types: Iterable[QEvent.Type], handler: Handler,
            window: QWidget | None = None) -> None:
        """Route events of ``types`` to ``handler(watched, event)`` until ``owner`` is
        destroyed or ``window`` is closed; adding a handler again moves it to the front."""
        self.remove(handler)
        for kind in types:
            self._handlers.setdefault(kind, []).insert(0, handler)
        owner.destroyed.connect(lambda *_: self.remove(handler))
        if window is not None:
            if window not in self._windows:
                window.destroyed.connect(lambda *_: self._windows.pop(window, None))
            self._windows.setdefault(window, []).append(handler)

    def remove(self, handler: Handler) -> None:
        for kind, handlers in list(self._handlers.items()):
            kept = [h for h in handlers if h != handler]
            if kept:
                self._handlers[kind] = kept
            else:
                del self._handlers[kind]
        for handlers in self._windows.values():
            if handler in handlers:
                handlers.remove(handler)

    def _closing(self, window: QWidget) -> None:
        """A window was asked to close: once the close is done (not refused), its handlers go."""
        def closed() -> None:
            if isValid(window) and not window.isVisible():
                for handler in self._windows.pop(window, []):
                    self.remove(handler)

        QTimer.singleShot(0, self, closed)

    def handlers(self, kind: QEvent.Type) -> list[Handler]:
        """The handlers an event of ``kind`` goes to, in calling order."""
        return list(self._handlers.get(kind, ()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and self._windows and watched in self._windows:
            self._closing(watched)
        handlers = self._handlers.get(kind)
        if handlers:
            for handler in tuple(handlers):  # a handler may add or remove others
                if handler(watched, event):
                    return True
        return False


def input_router(app: QApplication | None = None) -> InputRouter:
    """The application's router, installed on first use (once per application)."""
    app = app or QApplication.instance()
    router = app.findChild(InputRouter)
    if router is None:
        router = InputRouter(app)
        app.installEventFilter(router)
    return router
