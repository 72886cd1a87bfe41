"""The reading state of one study, Qt-free: where the reader is and how the images look.

Like napari's ``Dims`` and ``Camera``, the state lives apart from the views: the cursor point
(every view shows the slice through it, and draws the other views' planes through it as
reference lines), the window/level, each plane's zoom and pan, and the active tool. Views observe it
and write to it; a layout rebuilt on the same state shows the same place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from core.observable import Observable
from core.private_names import uid_name, unkeyed_name

Listener = Callable[[str, Any], None]

FIELDS = ("point", "window", "zoom", "pan", "tool", "overlay", "labels")
OPACITY_STEPS = 6  # "more/less opaque" goes at most this many 1.5x steps either way


class ReadingState(Observable):
    """Observable reading state: ``point`` (LPS mm), ``window`` (centre, width), ``zoom``
    (plane name -> factor over the fitted size), ``pan`` (plane name -> the view centre's
    offset from the image centre, mm along the view's right and up), ``tool`` (a
    measurement tool or None), ``overlay`` (the label overlays shown, and filled or
    outlined) and ``labels`` (the label groups hidden, e.g. ``{"lungs"}``, and the overlays'
    opacity as a factor over their own)."""

    def __init__(self) -> None:
        super().__init__()
        self.point: np.ndarray | None = None
        self.window: tuple[float, float] | None = None
        self.zoom: dict[str, float] = {}
        self.pan: dict[str, tuple[float, float]] = {}
        self.tool: str | None = None
        self.overlay: tuple[bool, bool] = (True, True)  # (shown, filled)
        self.labels: tuple[frozenset[str], float] = (frozenset(), 1.0)  # (hidden, opacity)

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(field, value)`` after every change (``field`` in :data:`FIELDS`)."""
        super().subscribe(listener)

    def set_point(self, lps) -> None:
        point = np.asarray(lps, dtype=float).reshape(3)
        if self.point is not None and np.allclose(point, self.point, atol=1e-6):
            return
        self.point = point
        self._emit("point", point)

    def move_point(self, normal, position: float) -> None:
        """Move the point along ``normal`` (a unit vector) to ``position`` mm on that axis:
        what scrolling a view does."""
        if self.point is None:
            return
        normal = np.asarray(normal, dtype=float)
        self.set_point(self.point + (position - float(self.point @ normal)) * normal)

    def set_window(self, center: float, width: float) -> None:
        window = (float(center), float(width))
        if window != self.window:
            self.window = window
            self._emit("window", window)

    def set_zoom(self, plane: str, factor: float) -> None:
        if self.zoom.get(plane) != factor:
            self.zoom[plane] = float(factor)
            self._emit("zoom", (plane, float(factor)))

    def set_pan(self, plane: str, right_mm: float, up_mm: float) -> None:
        pan = (float(right_mm), float(up_mm))
        if self.pan.get(plane) != pan:
            self.pan[plane] = pan
            self._emit("pan", (plane, pan))

    def set_tool(self, tool: str | None) -> None:
        if tool != self.tool:
            self.tool = tool
            self._emit("tool", tool)

    def set_overlay(self, shown: bool | None = None, filled: bool | None = None) -> None:
        """Show or hide the label overlays, fill or outline them (None: as they are)."""
        overlay = (self.overlay[0] if shown is None else bool(shown),
                   self.overlay[1] if filled is None else bool(filled))
        if overlay != self.overlay:
            self.overlay = overlay
            self._emit("overlay", overlay)

    def set_label_group(self, group: str, visible: bool) -> None:
        """Show or hide one group of labels (``lungs``, ``ggo``...) in the overlays."""
        hidden, opacity = self.labels
        hidden = hidden - {group} if visible else hidden | {group}
        self._set_labels(frozenset(hidden), opacity)

    def scale_opacity(self, factor: float) -> None:
        """Make the overlays more (``factor`` > 1) or less opaque, within
        :data:`OPACITY_STEPS` steps of 1.5x from their own opacity."""
        hidden, opacity = self.labels
        bound = 1.5 ** OPACITY_STEPS
        self._set_labels(hidden, min(bound, max(1 / bound, opacity * float(factor))))

    def _set_labels(self, hidden: frozenset[str], opacity: float) -> None:
        labels = (hidden, opacity)
        if labels != self.labels:
            self.labels = labels
            self._emit("labels", labels)


class Places:
    """Where the reader left each series (point, window, zoom, pan), so a study opened again,
    or a series chosen again, comes back at that place; the oldest are forgotten beyond
    ``keep``. Keys are keyed hashes of the Series Instance UIDs
    (:func:`core.private_names.uid_name`; a place kept before under the unkeyed hash is found
    and moved), so the places can be kept on disk without an identifier
    (:mod:`viewer.place_store`)."""

    def __init__(self, keep: int = 256) -> None:
        self.keep = keep
        self._places: dict[str, tuple] = {}

    def remember(self, series_uid: str, state: ReadingState) -> None:
        if not series_uid or state.point is None:
            return
        key = uid_name(series_uid)
        self._places.pop(key, None)
        self._places.pop(unkeyed_name(series_uid), None)
        self._places[key] = (state.point.copy(), state.window, dict(state.zoom),
                             dict(state.pan))
        self._trim()

    def _trim(self) -> None:
        """Forget the oldest places beyond ``keep``."""
        while len(self._places) > self.keep:
            self._places.pop(next(iter(self._places)))

    def restore(self, series_uid: str, state: ReadingState) -> tuple[float, float] | None:
        """Put the series' place into a fresh ``state``; returns its window (to apply after
        the hanging protocol's preset), None when the series was not read here before."""
        place = None
        if series_uid:
            key = uid_name(series_uid)
            place = self._places.get(key)
            if place is None and unkeyed_name(series_uid) in self._places:  # kept before
                place = self._places[key] = self._places.pop(unkeyed_name(series_uid))
        if place is None:
            return None
        point, window, zoom, pan = place
        state.set_point(point)
        for plane, factor in zoom.items():
            state.set_zoom(plane, factor)
        for plane, (right, up) in pan.items():
            state.set_pan(plane, right, up)
        return window

    def to_json(self) -> dict:
        """The places, oldest first, as plain JSON values."""
        return {key: {"point": [float(v) for v in point],
                      "window": list(window) if window is not None else None,
                      "zoom": zoom, "pan": {plane: list(p) for plane, p in pan.items()}}
                for key, (point, window, zoom, pan) in self._places.items()}

    @classmethod
    def from_json(cls, data: dict, keep: int = 256) -> Places:
        """Places from :meth:`to_json`; an entry that does not read is skipped."""
        places = cls(keep)
        for key, place in data.items():
            try:
                point = np.asarray(place["point"], dtype=float).reshape(3)
                window = place.get("window")
                places._places[str(key)] = (
                    point, (float(window[0]), float(window[1])) if window else None,
                    {str(k): float(v) for k, v in place.get("zoom", {}).items()},
                    {str(k): (float(v[0]), float(v[1]))
                     for k, v in place.get("pan", {}).items()})
            except (KeyError, TypeError, ValueError, IndexError):
                continue
        places._trim()
        return places
