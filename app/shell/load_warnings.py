"""What the loader warns about a series (missing slices, gantry tilt, uneven spacing, damaged
files...), said in the interface language: in a strip over the views and in the study line.

The lower layers write their warnings in English with the values inside; each known one is
matched here and said again through Qt's translation with its values (the decimal separator of
the interface). One not known here is shown as written. ``tests/app/test_load_warnings.py``
makes each from real images, so a reworded warning is caught.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

from viewer.numbers import decimal

_N = r"(\d+)"
_MM = r"([\d.]+)"
# (the English warning as the loader writes it, the sentence shown; %1.. its numbers in order)
KNOWN: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), t) for p, t in (
    (rf"^{_N} slice\(s\) appear to be missing \(gaps up to {_MM} mm where slices are {_MM} mm",
     QT_TRANSLATE_NOOP("LoadWarnings", "Missing slices: about %1 (gaps up to %2 mm where the "
                       "slices are %3 mm apart)")),
    (rf"^Gantry tilt of {_MM}°",
     QT_TRANSLATE_NOOP("LoadWarnings", "Gantry tilt %1°: shapes and distances across slices "
                       "are distorted in reformats and 3D")),
    (r"^Gantry tilt corrected",
     QT_TRANSLATE_NOOP("LoadWarnings", "Gantry tilt corrected (slices shifted in-plane, "
                       "interpolated)")),
    (rf"^Slice spacing is not uniform \({_MM}–{_MM} mm\)",
     QT_TRANSLATE_NOOP("LoadWarnings", "Uneven slice spacing (%1–%2 mm): measurements across "
                       "slices are approximate")),
    (rf"^{_N} of {_N} slice\(s\) could not be decoded",
     QT_TRANSLATE_NOOP("LoadWarnings", "Damaged files: %1 of %2 slices could not be decoded "
                       "and are shown blank")),
    (rf"^{_N} slice\(s\) held values outside",
     QT_TRANSLATE_NOOP("LoadWarnings", "Values clipped to -32768..32767 HU in %1 slice(s)")),
    (r"^Some values were outside .* clipped",
     QT_TRANSLATE_NOOP("LoadWarnings", "Some values were outside -32768..32767 HU and were "
                       "clipped")),
    (rf"^{_N} other series at this location were not opened",
     QT_TRANSLATE_NOOP("LoadWarnings", "%1 other series at this location were not opened "
                       "(the Series panel lists them)")),
    (rf"^{_N} localizer image\(s\) left out",
     QT_TRANSLATE_NOOP("LoadWarnings", "Localizer images left out: %1")),
    (rf"^Mixed series: .* split into {_N} volumes",
     QT_TRANSLATE_NOOP("LoadWarnings", "Mixed series: its images differ in geometry or "
                       "acquisition, so it was split into %1 volumes")),
    (r"^The images have no (?:Study or Series|Series) Instance UID",
     QT_TRANSLATE_NOOP("LoadWarnings", "The images lack their DICOM UIDs: they were grouped "
                       "by series number and geometry")),
    (r"^The images have no Study Instance UID$",
     QT_TRANSLATE_NOOP("LoadWarnings", "The images have no Study Instance UID")),
    (r"^No patient geometry",
     QT_TRANSLATE_NOOP("LoadWarnings", "No patient geometry: positions and distances in this "
                       "image are not reliable")),
    (r"^This NIfTI file holds several volumes",
     QT_TRANSLATE_NOOP("LoadWarnings", "This NIfTI file holds several volumes; the first is "
                       "shown")),
    (rf"^This multi-frame image holds {_N} stacks",
     QT_TRANSLATE_NOOP("LoadWarnings", "This multi-frame image holds %1 stacks of different "
                       "orientation; each is a separate volume")),
    (rf"^Resampled to {_MM} mm slices",
     QT_TRANSLATE_NOOP("LoadWarnings", "Resampled to %1 mm slices (interpolated between "
                       "acquired slices)")),
))


def warning_text(warning: str) -> str:
    """One loader warning in the interface language (as written when not known here)."""
    for pattern, template in KNOWN:
        match = pattern.search(warning)
        if match is None:
            continue
        text = QCoreApplication.translate("LoadWarnings", template)
        for n, value in enumerate(match.groups(), 1):
            whole, _, places = value.partition(".")
            shown = decimal(float(value), len(places)) if places else whole
            text = text.replace(f"%{n}", shown)
        return text
    return warning


def warnings_text(warnings: list[str]) -> list[str]:
    """The series' warnings, each once, in the interface language."""
    return list(dict.fromkeys(warning_text(w) for w in warnings))


class WarningStrip(QFrame):
    """A strip over the views naming what the loader found wrong with the series shown;
    hidden when nothing was; the reader may close it (``closed``) for this study."""

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("load-warnings")
        self.setStyleSheet("#load-warnings { background: #fff3cd; border-bottom: 1px solid "
                           "#b36b00; } #load-warnings QLabel { color: #5c3a00; }")
        self.label = QLabel()
        self.label.setObjectName("load-warnings-text")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip(self.tr("Hide these warnings for this study"))
        close.clicked.connect(self._close)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 3, 4, 3)
        layout.addWidget(self.label, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.lines: list[str] = []
        self.hide()

    def show_warnings(self, warnings: list[str]) -> None:
        """Name ``warnings`` (the loader's, in English) translated; none: hidden."""
        self.lines = warnings_text(warnings)
        self.label.setText("\n".join("⚠ " + line for line in self.lines))
        self.setVisible(bool(self.lines))

    def _close(self) -> None:
        self.hide()
        self.closed.emit()
