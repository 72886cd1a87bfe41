"""Names of the viewer's layouts and default window presets in the interface language (the
data keeps its identifiers: ``mpr``, ``soft-tissue``)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.shell.i18n import translated

LAYOUT_TITLES = {
    "1x1": QT_TRANSLATE_NOOP("ViewNames", "1×1 (the plane acquired)"),
    "1x2": QT_TRANSLATE_NOOP("ViewNames", "1×2 (acquired + axial or coronal)"),
    "mpr": QT_TRANSLATE_NOOP("ViewNames", "MPR (axial, coronal, sagittal)"),
    "2x2": QT_TRANSLATE_NOOP("ViewNames", "2×2 with 3D"),
    "compare": QT_TRANSLATE_NOOP("ViewNames", "compare with prior"),
}
PRESET_TITLES = {
    "lung": QT_TRANSLATE_NOOP("ViewNames", "lung"),
    "mediastinum": QT_TRANSLATE_NOOP("ViewNames", "mediastinum"),
    "bone": QT_TRANSLATE_NOOP("ViewNames", "bone"),
    "soft-tissue": QT_TRANSLATE_NOOP("ViewNames", "soft tissue"),
}


def layout_title(name: str) -> str:
    return translated("ViewNames", LAYOUT_TITLES, name)


def preset_title(name: str) -> str:
    """A default window preset's name; a user's own preset keeps the name it was given."""
    return translated("ViewNames", PRESET_TITLES, name)
