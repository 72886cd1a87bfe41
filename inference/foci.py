"""Lesion components that are not viral pneumonia: flat partial-volume specks and isolated
solid foci.

* A **flat speck**: a lesion component thinner than :data:`FLAT_MM` through-plane (one or
  two 2.5 mm slices) yet centimetres wide in-plane is partial volume where the lung surface
  runs nearly parallel to the slices (diaphragm domes, apices, fissures); a real opacity of
  that width spans more slices. Components touching the first or last slice are kept (their
  depth is unknown), so single slices and lesions cut by the scan range are never dropped.
* An **isolated solid focus**: a component whose solid core is one focal lesion
  (:data:`FOCUS_DIAMETER_MM`, equivalent-sphere diameter) and whose ground glass is only a
  rim within :data:`HALO_MM` of that core (:data:`HALO_SHARE`): a nodule, a band of
  atelectasis or a scar. When the rest of the lesion in both lungs is under
  :data:`SOLITARY_ML`, the chest shows no viral pneumonia besides these foci, so they are
  not graded (CT-0 stays CT-0) but named in a quality flag for the radiologist to review.
  Where there is pneumonia elsewhere they count as involvement like any opacity.
* A **round solid mass**: one solid core at least :data:`MASS_DIAMETER_MM` wide and round
  (its shortest principal axis at least :data:`MASS_ROUNDNESS` of its longest), with ground
  glass only as a rim within :data:`MASS_HALO_MM` of it (:data:`HALO_SHARE`: a spiculated
  nodule's halo reaches further than a small focus's), is a nodule or tumour, not pneumonia,
  whatever else the lungs hold: it is set aside and named even beside other lesion
  (post-processing 7: a 23 mm lung tumour beside 300 mL of false lesion on the Philips
  chest; post-processing 8: from 17 mm, a 10 mm halo). The limits were set on simulated
  lesion and the training chest's nodule (docs/model-card.md, "Masses from 17 mm").

Chosen on training-side cases only (``benchmarks/ai_eval.py --set tuning``); see the model
card.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage as ndi

from inference.findings import slice_range
from inference.geometry import voxel_ml as voxel_ml_of
from inference.labels import CONSOLIDATION, GGO, LEFT, Label
from inference.morphology import Components

FLAT_MM = 6.0
FOCUS_DIAMETER_MM = (5.0, 30.0)
HALO_MM = 7.0
HALO_SHARE = 0.9
SOLITARY_ML = 5.0
SOLITARY_PERCENT = 0.0  # the limit is at least this % of both lungs (0: SOLITARY_ML alone)
MASS_DIAMETER_MM = 17.0  # a round focus with a core this wide or wider is set aside always
MASS_HALO_MM = 10.0  # a mass's ground glass lies within this of its core (HALO_SHARE of it)
MASS_ROUNDNESS = 0.7  # shortest / longest principal axis (s.d.) of its core; > 1: rule off
FLAG = "solid-focus-not-graded"
# Sided label -> the aerated lung of that side (a focus set aside is read as lung).
_AS_LUNG = np.array([Label.BACKGROUND, Label.LUNG_RIGHT, Label.LUNG_LEFT, Label.LUNG_RIGHT,
                     Label.LUNG_LEFT, Label.LUNG_RIGHT, Label.LUNG_LEFT], np.uint8)
_CONNECT = np.ones((3, 3, 3), bool)


@dataclass(frozen=True)
class SolidFocus:
    """An isolated solid focus set aside from grading (slices are 0-based, inclusive)."""

    side: str  # "right" | "left"
    first_slice: int
    last_slice: int
    ml: float
    diameter_mm: float
    center: tuple[int, int, int]  # voxel index (column i, row j, slice k) of its core
    # Where it lies, for the DICOM SEG: the component within its (slice, row, column) box.
    box: tuple[slice, slice, slice] = field(compare=False, repr=False)
    mask: np.ndarray = field(compare=False, repr=False)
    count: int = 0  # slices in the volume, and whether k grows toward the head: numbering
    head_up: bool = False

    def to_dict(self) -> dict:
        """JSON form, as the flag says it: ``slices`` 1-based from the head, "a-b"; ``at``
        the core's centre as a 0-based voxel index ``[i, j, k]``."""
        return {"side": self.side,
                "slices": slice_range(self.first_slice, self.last_slice, self.count,
                                      self.head_up),
                "ml": round(float(self.ml), 1), "mm": round(float(self.diameter_mm)),
                "at": [int(v) for v in self.center]}

    def flag(self) -> str:
        """The quality flag naming it (slices 1-based, as the viewer counts them: from the
        head; ``at`` the core's centre as a 0-based voxel index i,j,k, to go to)."""
        slices = slice_range(self.first_slice, self.last_slice, self.count, self.head_up)
        return (f"{FLAG}: side={self.side} slices={slices} "
                f"ml={self.ml:.1f} mm={self.diameter_mm:.0f} "
                f"at={self.center[0]},{self.center[1]},{self.center[2]}")


def _mm(spacing) -> np.ndarray:
    """(slice, row, column) voxel size in mm from a Volume's (x, y, z) spacing."""
    return np.array([spacing[2], spacing[1], spacing[0]], float)


def drop_flat_lesions(lesion: np.ndarray, spacing, flat_mm: float = FLAT_MM) -> np.ndarray:
    """``lesion`` without components under ``flat_mm`` deep through-plane (see above)."""
    comps = Components.of(lesion)
    if not comps.n:
        return lesion
    return lesion & ~comps.select(flat_components(comps, spacing, flat_mm))


def flat_components(comps: Components, spacing, flat_mm: float = FLAT_MM) -> np.ndarray:
    """Per label, whether the component is a flat speck (see above)."""
    dz = float(_mm(spacing)[0])
    last = comps.shape[0] - 1
    drop = np.zeros(comps.n + 1, bool)
    for idx, sl in enumerate(comps.objects, 1):
        k = sl[0]
        drop[idx] = (k.stop - k.start) * dz < flat_mm and k.start > 0 and k.stop - 1 < last
    return drop


def set_aside_solid_foci(labels: np.ndarray, spacing, k_head_up: bool = False,
                        ) -> tuple[np.ndarray, list[SolidFocus]]:
    """A sided label map with isolated solid foci read as lung, and the foci (round solid
    masses first); ``labels`` itself when there is none, or no mass and the rest of the
    lesion is :data:`SOLITARY_ML` or more (``k_head_up``: the slice axis points to the head,
    for the slice numbers)."""
    # One labelling inside the lesions' bounding box (lesion labels follow the lung labels).
    whole = Components.of(labels >= min(GGO + CONSOLIDATION))
    n = whole.n
    if n == 0:
        return labels, []
    box, comps = whole.box, whole.labels
    off = np.array([s.start for s in box])
    labels_box = labels[box]
    cons = labels_box >= min(CONSOLIDATION)
    mm = _mm(spacing)
    voxel_ml = voxel_ml_of(spacing)
    sizes = whole.sizes
    cores = np.bincount(comps[cons], minlength=n + 1)
    max_core = np.pi / 6.0 * FOCUS_DIAMETER_MM[1] ** 3 / 1000.0 / voxel_ml
    candidate = (cores > 0) & (cores <= max_core)
    candidate[0] = False
    limit = solitary_limit_ml(labels, voxel_ml)
    objects = ndi.find_objects(comps)
    foci, ids = [], []

    def add(idx, focus):
        first, last, ml, diameter, centre, local, mask = focus
        side = ("left" if np.isin(labels_box[local][comps[local] == idx], LEFT).mean() > 0.5
                else "right")
        foci.append(SolidFocus(side, first + int(off[0]), last + int(off[0]), ml, diameter,
                               tuple(int(c + o) for c, o in zip(centre, off[::-1],
                                                                strict=True)),
                               tuple(slice(s.start + o, s.stop + o)
                                     for s, o in zip(local, off, strict=True)),
                               mask, count=labels.shape[0], head_up=k_head_up))
        ids.append(int(idx))

    # Round solid masses first: set aside whatever the rest of the lesion is.
    min_mass = np.pi / 6.0 * MASS_DIAMETER_MM ** 3 / 1000.0 / voxel_ml
    masses = set()
    for idx in np.nonzero(candidate & (cores >= min_mass))[0]:
        focus = _solid_focus(comps, cons, int(idx), objects[idx - 1], mm, voxel_ml,
                             MASS_HALO_MM)
        if focus is not None and _round_mass(focus, cons, mm):
            add(idx, focus)
            masses.add(int(idx))
    n_masses = len(foci)
    # Cheap first: components without a core of focus size are the rest; stop once it is
    # too much (diseased lungs cost almost nothing).
    rest_ml = float(sizes[1:][~candidate[1:]].sum()) * voxel_ml
    for idx in sorted(np.nonzero(candidate)[0], key=lambda i: sizes[i]):
        if rest_ml >= limit:
            break
        if int(idx) in masses:
            continue
        focus = _solid_focus(comps, cons, int(idx), objects[idx - 1], mm, voxel_ml)
        if focus is None:
            rest_ml += float(sizes[idx]) * voxel_ml
            continue
        add(idx, focus)
    if rest_ml >= limit:  # the small foci count as lesion; the masses stay set aside
        foci, ids = foci[:n_masses], ids[:n_masses]
    if not foci:
        return labels, []
    aside = np.isin(comps, ids)
    out = labels.copy()
    out_box = out[box]
    out_box[aside] = _AS_LUNG[labels_box[aside]]
    return out, foci


def solitary_limit_ml(labels: np.ndarray, voxel_ml: float) -> float:
    """The most other lesion (mL) beside which foci are still set aside."""
    if SOLITARY_PERCENT <= 0:
        return SOLITARY_ML
    lung_ml = float(np.count_nonzero(labels)) * voxel_ml
    return max(SOLITARY_ML, SOLITARY_PERCENT / 100.0 * lung_ml)


def _round_mass(focus, cons, mm) -> bool:
    """Whether a focus's core is a round mass (:data:`MASS_DIAMETER_MM`,
    :data:`MASS_ROUNDNESS`); a core on one slice is never one."""
    _, _, _, diameter, _, local, mask = focus
    if diameter < MASS_DIAMETER_MM:
        return False
    points = np.argwhere(mask & cons[local]) * mm
    if len(points) < 4:
        return False
    axes = np.sqrt(np.clip(np.linalg.eigvalsh(np.cov(points.T)), 0.0, None))
    return bool(axes[-1] > 0 and axes[0] / axes[-1] >= MASS_ROUNDNESS)


def _solid_focus(comps, cons, idx, sl, mm, voxel_ml, halo_mm: float = HALO_MM
                 ) -> tuple | None:
    """(first slice, last slice, mL, core diameter mm, core centre i,j,k, box, mask) when
    component ``idx`` is a solid focus with at most a ground-glass rim (within
    ``halo_mm``)."""
    comp = comps[sl] == idx  # the distances below need nothing outside its bounding box
    core = cons[sl] & comp
    if not core.any():
        return None
    _, n_cores = ndi.label(core, structure=_CONNECT)
    if n_cores != 1:
        return None
    diameter = (6.0 * core.sum() * voxel_ml * 1000.0 / np.pi) ** (1 / 3)
    if not FOCUS_DIAMETER_MM[0] <= diameter <= FOCUS_DIAMETER_MM[1]:
        return None
    near = ndi.distance_transform_edt(~core, sampling=mm) <= halo_mm
    if (comp & near).sum() < HALO_SHARE * comp.sum():
        return None
    k, j, i = (round(float(c)) + s.start for c, s in zip(ndi.center_of_mass(core), sl,
                                                             strict=True))
    return (sl[0].start, sl[0].stop - 1, round(float(comp.sum() * voxel_ml), 1),
            round(float(diameter), 1), (i, j, k), sl, comp)
