"""Editing an AI label map, Qt-free: the state the viewer's label tools share across views.

Segment Editor style, on the pre-read's labels (lung, ground glass, consolidation; each with
its side): a **brush** paints the chosen label in a disc of the view's plane, the **eraser**
takes the chosen label away there (a lesion back to lung of its side, lung to background),
**threshold fill** paints only the voxels in a HU range inside the lung under the brush, and
**erase component** turns the 3D connected lesion (ground glass and consolidation, 26
neighbours) under the cursor back into lung with one click. Every stroke or click is one
undo step; undo and redo replay the voxels it changed. The views observe the editor
(:meth:`LabelEditor.subscribe`) and redraw their overlays after each change; the label map
they draw is :attr:`LabelEditor.labels` itself (no copy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.observable import Observable
from inference.labels import CONSOLIDATION, GGO, LEFT, RIGHT, Label
from studies import Volume

PAINT, ERASE, THRESHOLD, ERASE_COMPONENT = "paint", "erase", "threshold", "erase-component"
TOOLS = (PAINT, ERASE, THRESHOLD, ERASE_COMPONENT)
LUNG, GGO_CLASS, CONSOLIDATION_CLASS = "lung", "ggo", "consolidation"
CLASSES = (LUNG, GGO_CLASS, CONSOLIDATION_CLASS)
# (right, left) label of each class
_VALUES = {LUNG: (Label.LUNG_RIGHT, Label.LUNG_LEFT), GGO_CLASS: GGO,
           CONSOLIDATION_CLASS: CONSOLIDATION}
# Default HU ranges of threshold fill per class (ground glass, consolidation, aerated lung).
HU_RANGES = {LUNG: (-1000, -500), GGO_CLASS: (-750, -300), CONSOLIDATION_CLASS: (-300, 100)}
MIN_RADIUS_MM, MAX_RADIUS_MM = 1.0, 50.0
MAX_UNDO = 100
_FIRST_LESION = min(GGO + CONSOLIDATION)  # lesion labels follow the lung labels


@dataclass
class Edit:
    """One undo step: the flat indices it changed, their values before and after."""

    index: np.ndarray
    before: np.ndarray
    after: np.ndarray
    serial: int = 0


class LabelEditor(Observable):
    """The edit state of one study's AI label map: the map, the active class, brush radius
    and HU range, and the undo/redo history. Listeners get ``(field, value)`` with field
    ``labels`` (value: the number of voxels changed), ``label_class``, ``radius_mm``,
    ``hu_range`` or ``history``."""

    def __init__(self, volume: Volume, labels: np.ndarray) -> None:
        if labels.shape != volume.shape:
            raise ValueError("the label map does not match the study")
        super().__init__()
        self.volume = volume
        self.original = np.array(labels, dtype=np.uint8, copy=True)
        self.labels = np.ascontiguousarray(self.original.copy())
        self.label_class = GGO_CLASS
        self.radius_mm = 5.0
        self.hu_range: tuple[float, float] = HU_RANGES[GGO_CLASS]
        self._undo: list[Edit] = []
        self._redo: list[Edit] = []
        self._stroke: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._inverse = np.linalg.inv(np.asarray(volume.direction, float)
                                      * np.asarray(volume.spacing, float))
        self._midline_x = self._find_midline()
        self._serial = 0
        self._saved_state = 0  # the history's top edit when last saved (0: none)

    # -- settings -------------------------------------------------------------------------------
    def set_label_class(self, name: str) -> None:
        """The label the tools paint or erase; the threshold range follows it."""
        if name not in CLASSES:
            raise ValueError(f"unknown label {name!r}")
        if name != self.label_class:
            self.label_class = name
            self._emit("label_class", name)
            self.set_hu_range(*HU_RANGES[name])

    def cycle_label_class(self) -> str:
        self.set_label_class(CLASSES[(CLASSES.index(self.label_class) + 1) % len(CLASSES)])
        return self.label_class

    def set_radius(self, mm: float) -> None:
        mm = float(min(MAX_RADIUS_MM, max(MIN_RADIUS_MM, mm)))
        if mm != self.radius_mm:
            self.radius_mm = mm
            self._emit("radius_mm", mm)

    def set_hu_range(self, low: float, high: float) -> None:
        hu = (float(min(low, high)), float(max(low, high)))
        if hu != self.hu_range:
            self.hu_range = hu
            self._emit("hu_range", hu)

    # -- state ----------------------------------------------------------------------------------
    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def edited(self) -> bool:
        """The map differs from the AI's."""
        return not np.array_equal(self.labels, self.original)

    @property
    def unsaved(self) -> bool:
        """Edits since the last :meth:`mark_saved` (or since the start)."""
        return self.state() != self._saved_state

    def state(self) -> int:
        """A token of the map's edit state (the newest edit in the history; 0: none)."""
        return self._undo[-1].serial if self._undo else 0

    def mark_saved(self, state: int | None = None) -> None:
        """The map as it was at ``state`` (default: now) is saved."""
        self._saved_state = self.state() if state is None else state
        self._emit("history", None)

    def restore_saved(self, corrected: np.ndarray) -> int:
        """Start from the reader's saved correction of this map (a study opened again): the
        map becomes ``corrected``, as saved, with no undo history. Returns the voxels that
        differ from the AI's map."""
        if corrected.shape != self.labels.shape:
            raise ValueError("the correction does not match the label map")
        np.copyto(self.labels, corrected, casting="unsafe")
        self._undo.clear()
        self._redo.clear()
        self._saved_state = self.state()
        changed = self.changed_voxels()
        self._emit("labels", changed)
        self._emit("history", None)
        return changed

    def changed_voxels(self) -> int:
        return int((self.labels != self.original).sum())

    # -- geometry -------------------------------------------------------------------------------
    def voxel_at(self, lps) -> tuple[int, int, int] | None:
        """(k, j, i) of the voxel containing the LPS point, or None outside the volume."""
        ijk = np.rint(self._inverse @ (np.asarray(lps, float) - np.asarray(self.volume.origin)))
        i, j, k = (int(v) for v in ijk)
        nk, nj, ni = self.labels.shape
        if 0 <= i < ni and 0 <= j < nj and 0 <= k < nk:
            return k, j, i
        return None

    def disc(self, center_lps, normal, radius_mm: float | None = None) -> np.ndarray:
        """Flat indices of the voxels within the brush radius (or ``radius_mm``) of
        ``center_lps`` in the plane through it with ``normal`` (one voxel thick along the
        normal)."""
        center = np.asarray(center_lps, float)
        normal = np.asarray(normal, float)
        normal = normal / (np.linalg.norm(normal) or 1.0)
        spacing = np.asarray(self.volume.spacing, float)
        r = self.radius_mm if radius_mm is None else radius_mm
        ijk = self._inverse @ (center - np.asarray(self.volume.origin))
        reach = np.ceil(r / spacing).astype(int) + 1
        shape = np.array(self.labels.shape[::-1])  # (ni, nj, nk)
        low = np.clip(np.floor(ijk).astype(int) - reach, 0, shape)
        high = np.clip(np.ceil(ijk).astype(int) + reach + 1, 0, shape)
        if np.any(high <= low):
            return np.empty(0, np.int64)
        ii, jj, kk = np.meshgrid(*(np.arange(a, b) for a, b in zip(low, high, strict=True)),
                                 indexing="ij")
        grid = np.stack([ii.ravel(), jj.ravel(), kk.ravel()])
        offset = (np.asarray(self.volume.direction, float) @ (grid * spacing[:, None])
                  + np.asarray(self.volume.origin)[:, None] - center[:, None])
        along = normal @ offset
        step = float(abs(np.asarray(self.volume.direction, float).T @ normal) @ spacing)
        across = np.linalg.norm(offset - np.outer(normal, along), axis=0)
        keep = (np.abs(along) <= step / 2 + 1e-6) & (across <= r)
        i, j, k = grid[:, keep]
        return np.ravel_multi_index((k, j, i), self.labels.shape)

    def _find_midline(self) -> float:
        """LPS x between the lungs (where a voxel outside both lungs changes side)."""
        lung = np.isin(self.original, RIGHT + LEFT)
        k, j, i = (np.nonzero(lung) if lung.any() else
                   [np.array([(n - 1) / 2]) for n in self.labels.shape])
        step = max(1, len(k) // 20000)
        ijk = np.stack([i[::step], j[::step], k[::step]]).astype(float)
        lps = self.volume.index_to_lps(ijk.T)
        return float(np.median(lps[:, 0]))

    def _right(self, index: np.ndarray) -> np.ndarray:
        """Whether each voxel belongs to the right lung: by its label, else by its side of
        the midline (LPS x grows to the patient's left)."""
        values = self.labels.ravel()[index]
        right = np.isin(values, RIGHT)
        other = ~right & ~np.isin(values, LEFT)
        if other.any():
            k, j, i = np.unravel_index(index[other], self.labels.shape)
            x = self.volume.index_to_lps(np.stack([i, j, k], axis=1).astype(float))[:, 0]
            right[other] = x < self._midline_x
        return right

    # -- tools ----------------------------------------------------------------------------------
    def begin_stroke(self) -> None:
        """Start one undo step (a brush stroke: press, drags, release)."""
        self._stroke = []

    def end_stroke(self) -> int:
        """Close the stroke's undo step; returns the voxels it changed."""
        parts, self._stroke = self._stroke, None
        if not parts:
            return 0
        index = np.concatenate([p[0] for p in parts])
        before = np.concatenate([p[1] for p in parts])
        index, first = np.unique(index, return_index=True)
        before = before[first]
        after = self.labels.ravel()[index]
        moved = before != after
        return self._record(Edit(index[moved], before[moved], after[moved]))

    def stroke(self, tool: str, center_lps, normal, previous_lps=None) -> int:
        """Apply the brush ``tool`` (paint, erase, threshold) at ``center_lps``, and along the
        segment from ``previous_lps`` (a drag) so a fast drag leaves no gaps."""
        if tool not in (PAINT, ERASE, THRESHOLD):
            raise ValueError(f"not a brush tool: {tool!r}")
        centers = [np.asarray(center_lps, float)]
        if previous_lps is not None:
            start = np.asarray(previous_lps, float)
            n = int(np.linalg.norm(centers[0] - start) / max(0.5, self.radius_mm / 2))
            centers = [start + (centers[0] - start) * t for t in np.linspace(0, 1, n + 2)[1:]]
        index = np.unique(np.concatenate([self.disc(c, normal) for c in centers]))
        own = self._stroke is None
        if own:
            self.begin_stroke()
        changed = self._apply(tool, index)
        if own:
            self.end_stroke()
        elif changed:
            self._emit("labels", changed)
        return changed

    def _apply(self, tool: str, index: np.ndarray) -> int:
        flat = self.labels.reshape(-1)
        values = flat[index]
        right_value, left_value = _VALUES[self.label_class]
        if tool == ERASE:
            if self.label_class == LUNG:  # lung, and any lesion in it, to background
                index = index[values != 0]
                new = np.zeros(len(index), np.uint8)
            else:  # the lesion back to lung of its side
                chosen = np.isin(values, _VALUES[self.label_class])
                index = index[chosen]
                new = np.where(np.isin(values[chosen], RIGHT), Label.LUNG_RIGHT,
                               Label.LUNG_LEFT).astype(np.uint8)
        else:
            if tool == THRESHOLD:
                hu = self.volume.voxels.reshape(-1)[index]
                inside = (hu >= self.hu_range[0]) & (hu <= self.hu_range[1])
                # lesions only inside the lung; lung only where nothing is labelled yet
                where = values == 0 if self.label_class == LUNG else values != 0
                index = index[inside & where]
            new = np.where(self._right(index), right_value, left_value).astype(np.uint8)
        return self._write(index, new)

    def erase_component(self, lps, normal=None, reach_mm: float = 0.0) -> int:
        """Turn the 3D connected lesion (ground glass and consolidation, 26 neighbours)
        under ``lps`` into lung of its side; one undo step. With ``normal`` and
        ``reach_mm``, a click beside a thin lesion takes the nearest lesion voxel within
        ``reach_mm`` in that plane (a screen pixel covers more than a voxel when zoomed
        out). Returns the voxels changed (0 when no lesion lies there)."""
        at = self.voxel_at(lps)
        if at is not None and self.labels[at] < _FIRST_LESION and normal is not None \
                and reach_mm > 0:
            at = self._nearest_lesion(lps, normal, reach_mm)
        if at is None or self.labels[at] < _FIRST_LESION:
            return 0
        box, component = self._component(at)
        where = np.nonzero(component)
        index = np.ravel_multi_index(tuple(w + b.start for w, b in zip(where, box, strict=True)),
                                     self.labels.shape)
        new = np.where(np.isin(self.labels.reshape(-1)[index], RIGHT), Label.LUNG_RIGHT,
                       Label.LUNG_LEFT).astype(np.uint8)
        self.begin_stroke()
        self._write(index, new)
        return self.end_stroke()

    def _nearest_lesion(self, lps, normal, reach_mm: float) -> tuple[int, int, int] | None:
        """The lesion voxel nearest ``lps`` within ``reach_mm`` in the plane, if any."""
        index = self.disc(lps, normal, reach_mm)
        index = index[self.labels.reshape(-1)[index] >= _FIRST_LESION]
        if not len(index):
            return None
        k, j, i = np.unravel_index(index, self.labels.shape)
        points = self.volume.index_to_lps(np.stack([i, j, k], axis=1).astype(float))
        best = int(np.argmin(((points - np.asarray(lps, float)) ** 2).sum(axis=1)))
        return int(k[best]), int(j[best]), int(i[best])

    def _component(self, at: tuple[int, int, int]) -> tuple[tuple[slice, ...], np.ndarray]:
        """The lesion component through voxel ``at``: labelled in a box around it that
        doubles until the component does not reach the box's inner faces (a lesion is
        small next to the volume, so this rarely labels the whole map)."""
        # deferred: scipy.ndimage takes ~0.4 s, and the window imports this module at start
        from scipy import ndimage as ndi

        shape, seed = np.array(self.labels.shape), np.array(at)
        half = np.array([8, 32, 32])
        while True:
            low, high = np.maximum(seed - half, 0), np.minimum(seed + half + 1, shape)
            box = tuple(slice(int(a), int(b)) for a, b in zip(low, high, strict=True))
            comps, _ = ndi.label(self.labels[box] >= _FIRST_LESION,
                                 structure=np.ones((3, 3, 3), bool))
            component = comps == comps[tuple(seed - low)]
            reaches = any((low[ax] > 0 and component.take(0, axis=ax).any())
                          or (high[ax] < shape[ax] and component.take(-1, axis=ax).any())
                          for ax in range(3))
            if not reaches:
                return box, component
            half = half * 2

    def _write(self, index: np.ndarray, new: np.ndarray) -> int:
        flat = self.labels.reshape(-1)
        moved = flat[index] != new
        index, new = index[moved], new[moved]
        if not len(index):
            return 0
        if self._stroke is not None:
            self._stroke.append((index, flat[index].copy()))
        flat[index] = new
        return len(index)

    def _record(self, edit: Edit) -> int:
        if not len(edit.index):
            return 0
        self._serial += 1
        edit.serial = self._serial
        self._undo.append(edit)
        del self._undo[:-MAX_UNDO]
        self._redo.clear()
        self._emit("labels", len(edit.index))
        self._emit("history", None)
        return len(edit.index)

    # -- history --------------------------------------------------------------------------------
    def undo(self) -> bool:
        if not self._undo:
            return False
        edit = self._undo.pop()
        self.labels.reshape(-1)[edit.index] = edit.before
        self._redo.append(edit)
        self._emit("labels", len(edit.index))
        self._emit("history", None)
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        edit = self._redo.pop()
        self.labels.reshape(-1)[edit.index] = edit.after
        self._undo.append(edit)
        self._emit("labels", len(edit.index))
        self._emit("history", None)
        return True
