"""The shared observer list: each listener once, in order, and safe to leave while called."""

from __future__ import annotations

from core.observable import Observable


def test_listeners_are_called_once_each_in_order_and_may_leave_while_called():
    model, heard = Observable(), []

    def first(*args):
        heard.append(("first", args))
        model.unsubscribe(first)

    model.subscribe(first)
    model.subscribe(first)  # twice: still once
    model.subscribe(lambda *args: heard.append(("second", args)))
    model._emit("point", 1)
    model._emit()
    assert heard == [("first", ("point", 1)), ("second", ("point", 1)), ("second", ())]
