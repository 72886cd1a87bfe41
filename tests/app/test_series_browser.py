"""A folder with two series shows both as thumbnails; a click opens the other one."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.shell.main_window import MainWindow
from core.settings import Settings
from studies.synthetic import write_ct_series
from viewer.series_browser import thumbnail


@pytest.fixture
def two_series(tmp_path):
    folder = tmp_path / "study"
    write_ct_series(folder, slices=12, series_uid="1.2.826.0.1.3680043.10.77.1",
                    study_uid="1.2.826.0.1.3680043.10.77", name_prefix="A")
    write_ct_series(folder, slices=30, series_uid="1.2.826.0.1.3680043.10.77.2",
                    study_uid="1.2.826.0.1.3680043.10.77", name_prefix="B",
                    slice_spacing=1.0)
    return folder


def test_a_folder_with_two_series_shows_both_and_switches(qtbot, luch_home, two_series):
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    with qtbot.waitSignal(window.series_listed, timeout=60_000) as listed:
        window.open_path(two_series, layout="1x1")
    assert listed.args == [2]
    browser = window.series_browser
    uids = browser.series_uids()
    assert sorted(uids) == ["1.2.826.0.1.3680043.10.77.1", "1.2.826.0.1.3680043.10.77.2"]
    shown = window.volume.info.series_instance_uid
    assert browser.currentItem().data(Qt.ItemDataRole.UserRole) == shown
    assert not browser.item(0).icon().isNull() and not browser.item(1).icon().isNull()
    other = next(u for u in uids if u != shown)
    row = uids.index(other)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        rect = browser.visualItemRect(browser.item(row))
        qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.volume.info.series_instance_uid == other
    assert browser.count() == 2  # the list stays; the shown series is marked
    assert browser.currentItem().data(Qt.ItemDataRole.UserRole) == other


def test_thumbnail_is_the_slice_in_the_lung_window():
    image = np.full((40, 80), -1000, np.int16)
    image[:, 40:] = 400  # air left, bone right
    thumb = thumbnail(image)
    assert (thumb.width(), thumb.height()) == (96, 48)
    assert thumb.pixelColor(10, 24).value() < 70 and thumb.pixelColor(85, 24).value() > 245
