"""The reading window's geometry: the worklist shows every column, and opening a study or
changing the layout keeps the viewer and the side panels where they are."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QTabBar

from app.panels.report_panel import PREFERRED_WIDTH
from app.panels.worklist_panel import WorklistPanel, WorklistRow
from app.workflow import Workflow
from core.paths import DEMO_STUDY
from core.settings import Settings
from records import open_store
from tests.app import windows


def test_worklist_columns_fit_without_a_horizontal_scroll_bar(qtbot):
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.resize(300, 400)
    panel.show()
    panel.set_rows([WorklistRow("1.2.3", "urgent", "Konstantinopolskaya^Anastasia^Vladimirovna",
                                "20260301", "CT", "CT-3", "draft"),
                    WorklistRow("1.2.4", "routine", "Ivanov^Ivan", "20260302", "CT",
                                "not-assessable", "unread")])
    panel.resize(300, 400)  # as narrow as the panel lets itself be
    QApplication.processEvents()
    table = panel.table
    assert table.horizontalScrollBar().maximum() == 0, "columns hide behind a scroll bar"
    header = table.horizontalHeader()
    # 440: the AI grade column fits "↻ not assessable" whole (an outdated grade; it was
    # elided at 420)
    assert panel.width() < 440, "the worklist takes too much of the screen"
    for column in (4, 5):  # AI grade, status
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width() + 1, f"column {column} is cut off"
        assert header.sectionSize(column) >= header.sectionSizeHint(column) - 1


@pytest.fixture
def station(qtbot, luch_home):
    settings = Settings()
    settings.set("ai.autorun", False)
    window = windows.shown_window(qtbot, settings, (1400, 900))
    workflow = Workflow(window, open_store(), reader="dr.geometry")
    window.show()
    qtbot.waitExposed(window)
    return window, workflow


def _geometry(window, workflow):
    return (workflow.worklist_dock.width(), workflow.report_dock.width(),
            window.centralWidget().geometry())


def test_opening_a_study_and_changing_layout_keep_the_panels_in_place(station, qtbot):
    window, workflow = station
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="1x1")
    QApplication.processEvents()
    before = _geometry(window, workflow)
    for layout in ("2x2", "1x2"):
        window.set_layout(layout)
        assert window.reading.isVisible() and window.reading.size() == before[2].size(), \
            "the new views are not in place at once"
        QApplication.processEvents()
        assert _geometry(window, workflow) == before, f"{layout}: panels moved"
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="mpr")
    QApplication.processEvents()
    assert _geometry(window, workflow) == before, "opening a study moved the panels"


def _panels(window):
    """Each docked panel: shown, where, how big, and which tab of a tab group is in front."""
    docks = sorted((d for d in window.findChildren(QDockWidget) if d.parent() is window),
                   key=lambda d: d.objectName())
    return [(d.objectName(), d.isVisible(), not d.visibleRegion().isEmpty(),
             d.geometry().getRect()) for d in docks]


def test_images_only_hides_the_panels_and_brings_them_back(station, qtbot):
    """F11 in the image: every side panel goes, the images take the window; F11 again: the
    same panels come back as they were (sizes, the tab in front), the keys in the image."""
    window, workflow = station
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="1x2")
    QApplication.processEvents()
    before, panels = _geometry(window, workflow), _panels(window)
    shown = {workflow.worklist_dock, workflow.report_dock, window.series_dock}
    assert all(d.isVisible() for d in shown)
    window.activateWindow()
    window.focus_image()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_F11)
    QApplication.processEvents()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget)), "a panel stayed"
    wide = window.centralWidget().geometry()
    assert wide.width() > before[2].width() + 500, "the images did not get the room"
    assert window.actions["images-only"].isChecked()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_F11)
    QApplication.processEvents()
    assert _panels(window) == panels, "the panels came back changed"
    assert _geometry(window, workflow) == before
    assert not window.actions["images-only"].isChecked()
    assert window.view.interactor.hasFocus()


def test_the_worklist_gets_most_of_the_left_column(station, qtbot):
    """At 1400x900 the worklist showed 7 rows over an empty measurement list; it now has
    half of the left column, and the report panel keeps its width."""
    window, workflow = station
    column = [workflow.worklist_dock, window.measurement_dock, window.series_dock]
    qtbot.waitUntil(lambda: workflow.worklist_dock.height()
                    >= 0.45 * sum(d.height() for d in column), timeout=5_000)
    assert workflow.worklist_dock.height() > 2 * window.measurement_dock.height()
    assert workflow.report_dock.width() >= PREFERRED_WIDTH - 20


def test_with_the_panels_hidden_the_status_bar_says_the_ai_result_is_there(station, qtbot):
    """In "images only" the AI panel is hidden: its result is announced in the status bar
    (a reader would not know it had come)."""
    window, workflow = station
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="1x1")
    window.toggle_images_only()
    assert window.images_only
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=120_000):
        workflow.ai.run(window.volume, "1.2.826.0.1.3680043.10.1.77")
    QApplication.processEvents()
    grade = workflow.ai.grade.text()
    assert window.statusBar().currentMessage().startswith(f"AI pre-read ready: {grade}")


def test_the_empty_viewer_says_how_to_open_a_study_until_one_opens(station, qtbot):
    """Before any study the view was never drawn: it kept whatever the screen showed there
    (in the walkthrough, another window's lock panel); it says what to do now."""
    window, _workflow = station
    view = window.reading.views[0]
    qtbot.waitUntil(lambda: view.note_text().startswith("No study open"), timeout=5000)
    assert "worklist" in view.note_text()
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY, layout="1x1")
    assert all(v.note_text() == "" for v in window.reading.views)


@pytest.mark.parametrize("size", [(1400, 900), (1920, 1080)])
def test_the_measurement_and_key_image_tabs_read_cleanly(qtbot, luch_home, size):
    """The left column's tab group shows one tab bar, above the measurements (it sat under
    the list); a second one, left behind when the column was split, lay over the series
    panel's title."""
    settings = Settings()
    settings.set("ai.autorun", False)
    window = windows.shown_window(qtbot, settings, size)
    Workflow(window, open_store(), reader="dr.geometry")
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    inside = window.rect()
    bars = [b for b in window.findChildren(QTabBar) if b.isVisible()
            and inside.intersects(QRect(b.mapTo(window, QPoint(0, 0)), b.size()))]
    assert [[b.tabText(i) for i in range(b.count())] for b in bars] \
        == [["Measurements", "Key images"]], "one tab bar for the tab group"
    bar = QRect(bars[0].mapTo(window, QPoint(0, 0)), bars[0].size())
    for dock in window.findChildren(QDockWidget):
        if dock.isVisible() and dock.parent() is window:
            area = QRect(dock.mapTo(window, QPoint(0, 0)), dock.size())
            assert not bar.intersects(area), f"the tabs lie over {dock.objectName()}"
    assert bar.bottom() < window.measurement_dock.geometry().top(), "tabs above the list"
    window.key_image_dock.raise_()
    QApplication.processEvents()
    assert bar.bottom() < window.key_image_dock.geometry().top()
