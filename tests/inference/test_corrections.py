"""A reader's correction: values recomputed from the edited label map."""

from __future__ import annotations

import numpy as np

from inference.corrections import CORRECTED_FLAG, corrected_values
from inference.labels import Label
from studies.volume import SeriesInfo, Volume

FOCUS = "solid-focus-not-graded: side=right slices=3-5 ml=4.0 mm=18 at=4,20,20"


def test_the_runs_findings_stay_and_the_maps_flags_are_measured_again():
    """Erasing a false lesion must not lose the nodule the AI set aside and named (seen on
    the Philips chest: its tumour's link went with the correction), nor keep a coverage flag
    the corrected map no longer gives."""
    labels = np.zeros((60, 100, 200), np.uint8)  # 2 x 2.3 L of lung over 140 mm
    labels[2:58, 5:95, 5:95] = Label.LUNG_RIGHT
    labels[2:58, 5:95, 105:195] = Label.LUNG_LEFT
    labels[10:14, 20:30, 20:30] = Label.GGO_RIGHT  # the false lesion the reader erases
    corrected = labels.copy()
    corrected[corrected == Label.GGO_RIGHT] = Label.LUNG_RIGHT
    volume = Volume(np.zeros(labels.shape, np.int16), (1.5, 1.5, 2.5), (0.0, 0.0, 0.0),
                    info=SeriesInfo(modality="CT"))
    ai = {"grade": "CT-1", "quality_flags": [FOCUS, "no-air-in-view",
                                             "not-assessable:one-lung-not-found"]}
    values = corrected_values(volume, corrected, ai)
    flags = values["quality_flags"]
    assert values["grade"] == "CT-0" and values["ai_grade"] == "CT-1" and values["corrected"]
    assert flags[0] == CORRECTED_FLAG
    assert FOCUS in flags and "no-air-in-view" in flags  # about the study: they still hold
    assert "not-assessable:one-lung-not-found" not in flags  # both lungs are in this map
    assert values["involvement_percent"]["total"] == 0.0
