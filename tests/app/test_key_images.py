"""Key images in the real reading window: K marks the slice of the active view, the view and
the key image list show it, the report names it, and signing sends it to a real Orthanc as a
Key Object Selection document, once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.shell.main_window import MainWindow
from archive.dicomweb import read_dataset, tag_value
from core.paths import DEMO_STUDY
from records.key_objects import KEY_IMAGES, key_images_of, kos_sop_instance_uid
from records.outbox import KIND_KEY_OBJECTS
from tests.app import windows
from tests.app.signing import confirm_signing
from tests.records.conftest import client_for, engine_for

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def station(qtbot, luch_home):
    window, workflow = windows.station(qtbot, "dr.key", ui_lang="en", report_lang="en")
    windows.open_demo(qtbot, window, layout="1x2", preset="lung")
    yield window, workflow
    workflow.report.save_now()


def _key(qtbot, view) -> None:
    """K with the keys in ``view`` (as the reader presses it over the image)."""
    view.interactor.setFocus()
    qtbot.keyClick(view.interactor, Qt.Key.Key_K)


def _text_rows(view) -> int:
    """Rows of the view's bottom-left quarter holding corner-text pixels (pale yellow)."""
    from viewer.screenshot import render_window_pixels

    rgb = render_window_pixels(view.render_window).astype(int)
    h, w, _ = rgb.shape
    corner = rgb[h // 2:, : w // 2]
    text = (corner[..., 0] > 180) & (corner[..., 1] > 180) & (corner[..., 2] < 170)
    return int((text.sum(axis=1) > 0).sum())


def test_k_marks_the_slice_shown_and_the_view_and_list_say_so(station, qtbot):
    window, workflow = station
    axial, coronal = window.reading.views
    volume = window.volume
    plain = _text_rows(axial)
    _key(qtbot, axial)
    assert _text_rows(axial) > plain + 5, "no 'Key image' line drawn in the view"
    [first] = window.key_images.items
    k = axial.acquired_index()
    assert first.sop_instance_uid == volume.info.sop_instance_uids[k]
    assert first.slice == axial.slice_number and first.index == k
    assert axial.corner_text.text(0).startswith("Key image")
    assert window.key_image_list.list.item(0).text() == \
        f"Series {volume.info.series_number}, slice {axial.slice_number}"
    qtbot.keyClick(axial.interactor, Qt.Key.Key_Up)  # another slice: not a key image
    assert not axial.corner_text.text(0).startswith("Key image")
    _key(qtbot, axial)
    second = axial.slice_number
    assert len(window.key_images) == 2
    assert (f"Key images: series {volume.info.series_number}, slices {second}, {first.slice}"
            in workflow.report.preview.toPlainText())
    # A reformat has no stored image of its own: K there marks nothing and says why.
    _key(qtbot, coronal)
    assert len(window.key_images) == 2
    assert "plane the images were taken in" in window.statusBar().currentMessage()
    # K again on a marked slice unmarks it.
    _key(qtbot, axial)
    assert [m.slice for m in window.key_images.items] == [first.slice]
    assert window.key_image_list.list.count() == 1


def test_the_list_jumps_to_a_key_image_and_removes_it(station, qtbot):
    window, _ = station
    axial = window.reading.views[0]
    _key(qtbot, axial)
    marked = axial.slice_number
    for _ in range(5):
        qtbot.keyClick(axial.interactor, Qt.Key.Key_Down)
    assert axial.slice_number != marked
    row = window.key_image_list.list
    rect = row.visualItemRect(row.item(0))
    qtbot.mouseClick(row.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert axial.slice_number == marked and axial.corner_text.text(0).startswith("Key image")
    qtbot.keyClick(row, Qt.Key.Key_Delete)
    assert len(window.key_images) == 0 and not axial.corner_text.text(0).startswith("Key")
    # Kept with the study: a new window on the same study shows the same marks.
    _key(qtbot, axial)
    again = MainWindow(window.settings)
    again.setProperty("headless", True)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.volume_loaded, timeout=60_000):
        again.open_path(DEMO_STUDY, layout="1x1")
    assert [m.slice for m in again.key_images.items] == [marked]


def test_k_is_in_the_menu_toolbar_right_click_menu_and_hotkeys(station, qtbot):
    window, _ = station
    action = window.actions["key-image"]
    assert action.shortcut().toString() == "K"
    assert action in window.toolbar.actions() and "(K)" in action.toolTip()
    assert action in window.context_menu().actions()
    from app.settings_dialog.hotkeys_page import HotkeysPage
    page = HotkeysPage(window.settings, window.actions)
    assert page.table.item(page.rows["key-image"], 1).text() == "K"
    # The right-click menu marks the view it was opened on.
    axial = window.reading.views[0]
    point = QPoint(axial.interactor.width() // 2, axial.interactor.height() // 2)
    qtbot.mouseClick(axial.interactor, Qt.MouseButton.RightButton, pos=point)
    menu = QApplication.activePopupWidget()
    assert menu is not None and action in menu.actions()
    menu.close()
    action.trigger()
    assert len(window.key_images) == 1


def test_signing_sends_the_key_images_to_the_archive_once(station, qtbot, orthanc_factory):
    window, workflow = station
    axial = window.reading.views[0]
    _key(qtbot, axial)
    for _ in range(3):
        qtbot.keyClick(axial.interactor, Qt.Key.Key_Up)
    _key(qtbot, axial)
    uids = {m.sop_instance_uid for m in window.key_images.items}
    report = workflow.report
    report.form.set_values({"grade": "CT-0", "conclusion": "No signs of viral pneumonia."})
    report.form.focus_field("conclusion")
    seen: list = []
    confirm_signing(qtbot, seen)
    with qtbot.waitSignal(report.signed) as signed:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL_SHIFT)
    version = signed.args[0]
    line = f"Key images: series {window.volume.info.series_number}, slices"
    assert line in seen[0].text.toPlainText(), "the preview names the key images"
    assert line in version.text
    assert {m["sop_instance_uid"] for m in version.fields[KEY_IMAGES]} == uids
    assert [j.kind for j in workflow.store.jobs()].count(KIND_KEY_OBJECTS) == 1

    server = orthanc_factory()
    client = client_for(server)
    drained = engine_for(workflow.store, client).drain()
    assert drained.failed == 0, drained.errors
    study = version.study_instance_uid
    kos_uid = kos_sop_instance_uid(version.sop_instance_uid)
    found = {tag_value(i, "00080018"): i for i in client.search_instances(study)}
    kos = read_dataset(client.retrieve_instance(study, tag_value(found[kos_uid], "0020000E"),
                                                kos_uid))
    assert set(key_images_of(kos)) == uids
    assert engine_for(workflow.store, client).drain().sent == 0
    assert server.store_counts()[kos_uid] == 1


def test_the_worklist_stays_on_top_and_key_images_share_the_measurements_place(station):
    """The key image list is a tab beside the measurements, below the worklist; it does not
    take the top of the left side (it did, once the worklist split the docks)."""
    window, workflow = station
    assert window.key_image_dock in window.tabifiedDockWidgets(window.measurement_dock)
    top = workflow.worklist_dock.mapTo(window, QPoint(0, 0)).y()
    for dock in (window.measurement_dock, window.series_dock):
        assert dock.mapTo(window, QPoint(0, 0)).y() > top
