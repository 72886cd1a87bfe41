"""The observer list shared by the Qt-free models that widgets observe (reading state, key
images, label editor): ``subscribe``/``unsubscribe`` and ``_emit`` to every listener."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Observable:
    """Keeps listeners once each, in subscription order; ``_emit(*args)`` calls each of them
    (a listener may unsubscribe while being called)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[..., Any]] = []

    def subscribe(self, listener: Callable[..., Any]) -> None:
        if listener not in self._listeners:
            self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[..., Any]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, *args: Any) -> None:
        for listener in tuple(self._listeners):
            listener(*args)
