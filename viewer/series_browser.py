"""The series of the open study as thumbnails (the middle slice of each), to switch between
them with a click; the one on screen is selected."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QWidget

THUMB_PX = 96
_UID = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class SeriesThumb:
    """One series found at the study's location: its UID, a short label (PHI-free) and the
    middle slice in HU (any 2D array) for the thumbnail."""

    series_uid: str
    label: str
    image: np.ndarray


def thumbnail(image: np.ndarray, center: float = -600.0, width: float = 1500.0,
              size: int = THUMB_PX) -> QImage:
    """``image`` (HU) in a window as an 8-bit grey QImage, fitted into ``size`` pixels."""
    low = center - width / 2
    grey = np.clip((np.asarray(image, np.float32) - low) / width * 255.0, 0, 255)
    grey = np.ascontiguousarray(grey.astype(np.uint8))
    h, w = grey.shape
    qimage = QImage(grey.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return qimage.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                         Qt.TransformationMode.SmoothTransformation)


class SeriesBrowser(QListWidget):
    """Thumbnails of the study's series; ``series_chosen(uid)`` when one is clicked."""

    series_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("series-browser")
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWordWrap(True)
        self.setGridSize(QSize(THUMB_PX + 24, THUMB_PX + 40))
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.itemClicked.connect(self._clicked)
        self.itemActivated.connect(self._clicked)

    def set_series(self, series: list[SeriesThumb], shown_uid: str = "") -> None:
        self.clear()
        for thumb in series:
            item = QListWidgetItem(QIcon(QPixmap.fromImage(thumbnail(thumb.image))), thumb.label)
            item.setData(_UID, thumb.series_uid)
            item.setToolTip(thumb.label)
            self.addItem(item)
        self.mark_shown(shown_uid)

    def mark_shown(self, series_uid: str) -> None:
        for n in range(self.count()):
            if self.item(n).data(_UID) == series_uid:
                self.blockSignals(True)
                self.setCurrentRow(n)
                self.blockSignals(False)

    def series_uids(self) -> list[str]:
        return [self.item(n).data(_UID) for n in range(self.count())]

    def _clicked(self, item: QListWidgetItem) -> None:
        self.series_chosen.emit(item.data(_UID))
