"""Label values shared by the segmenters, the measures and the outputs."""

from __future__ import annotations

from enum import IntEnum


class Label(IntEnum):
    """Voxel labels of a pre-read label map (``uint8``)."""

    BACKGROUND = 0
    LUNG_RIGHT = 1  # aerated right lung
    LUNG_LEFT = 2  # aerated left lung
    GGO_RIGHT = 3
    GGO_LEFT = 4
    CONSOLIDATION_RIGHT = 5
    CONSOLIDATION_LEFT = 6


RIGHT = (Label.LUNG_RIGHT, Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT)
LEFT = (Label.LUNG_LEFT, Label.GGO_LEFT, Label.CONSOLIDATION_LEFT)
GGO = (Label.GGO_RIGHT, Label.GGO_LEFT)
CONSOLIDATION = (Label.CONSOLIDATION_RIGHT, Label.CONSOLIDATION_LEFT)

# The model's per-pixel classes (side is assigned afterwards from the lung components).
CLASS_BACKGROUND, CLASS_LUNG, CLASS_GGO, CLASS_CONSOLIDATION = 0, 1, 2, 3
N_CLASSES = 4
