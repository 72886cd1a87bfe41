"""Standard reading planes as camera geometry in LPS patient space (radiological convention).

Axial is seen from the feet (patient's right on screen left, anterior up); coronal from the
front (patient's right on screen left, superior up); sagittal from the patient's left
(anterior on screen left, superior up).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Plane:
    name: str
    normal: tuple[float, float, float]  # direction of projection (camera looks along it)
    view_up: tuple[float, float, float]


AXIAL = Plane("axial", (0.0, 0.0, 1.0), (0.0, -1.0, 0.0))
CORONAL = Plane("coronal", (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))
SAGITTAL = Plane("sagittal", (-1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
PLANES = {p.name: p for p in (AXIAL, CORONAL, SAGITTAL)}


def acquisition_plane(direction: np.ndarray, max_tilt_degrees: float = 20.0) -> Plane:
    """The plane a volume with ``direction`` (columns: the LPS unit vectors of ``i``, ``j``,
    ``k``) was acquired in: the nearest standard plane, turned onto the slices themselves when
    they are a little oblique (a coronal reformat 1 degree off). A standard plane cuts such a
    thin slab in a strip; the acquired slices are read whole. Beyond ``max_tilt_degrees`` the
    standard plane stays (a strongly oblique series is read as reformats)."""
    normal = np.asarray(direction, dtype=float)[:, 2]
    normal = normal / np.linalg.norm(normal)
    nearest = max((AXIAL, CORONAL, SAGITTAL), key=lambda p: abs(float(np.dot(p.normal, normal))))
    cosine = float(np.dot(nearest.normal, normal))
    if abs(cosine) > 1 - 1e-9 or abs(cosine) < np.cos(np.radians(max_tilt_degrees)):
        return nearest
    normal = normal if cosine > 0 else -normal  # looking the standard way
    up = np.asarray(nearest.view_up, dtype=float)
    up = up - float(up @ normal) * normal
    up = up / np.linalg.norm(up)
    return Plane(nearest.name, tuple(float(v) for v in normal), tuple(float(v) for v in up))


def orientation_letters(plane: Plane) -> dict[str, str]:
    """Patient-direction letters at the four screen edges of ``plane``."""
    up = np.array(plane.view_up)
    right = np.cross(np.array(plane.normal), up)

    def letter(v: np.ndarray) -> str:
        axis = int(np.argmax(np.abs(v)))
        positive = v[axis] > 0
        pairs = (("R", "L"), ("A", "P"), ("I", "S"))  # (negative, positive) LPS directions
        return pairs[axis][int(positive)]

    return {"top": letter(up), "bottom": letter(-up),
            "right": letter(right), "left": letter(-right)}


def counts_up(plane: Plane) -> bool:
    """True when slice numbers grow with the view's slice index (along its normal).

    Slices are numbered as radiologists read them: axial from the head, coronal from the
    front, sagittal from the patient's right; number 1 is the first of these.
    """
    first_to_last = {"axial": (0.0, 0.0, -1.0), "coronal": (0.0, 1.0, 0.0),
                     "sagittal": (1.0, 0.0, 0.0)}.get(plane.name, plane.normal)
    return float(np.dot(plane.normal, first_to_last)) > 0
