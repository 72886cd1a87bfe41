"""An AI grade arriving re-sorts the worklist (grades sort it): the reader's row, the part of
the list in view and the keyboard stay where they were."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.panels.worklist_panel import WorklistPanel
from core.paths import DEMO_STUDY
from records import open_store
from tests.app import windows

UNGRADED = [f"2.25.70{n:02d}" for n in range(24)]
GRADED = [f"2.25.71{n:02d}" for n in range(8)]  # CT-0: below the ungraded ones


def _place(panel: WorklistPanel, uid: str) -> int:
    """The study's row's top in the list's view, in pixels."""
    return panel.table.rowViewportPosition(panel.visible_study_uids().index(uid))


def _wheel_down(panel: WorklistPanel, notches: int) -> None:
    viewport = panel.table.viewport()
    at = QPointF(viewport.rect().center())
    for _ in range(notches):
        event = QWheelEvent(at, QPointF(viewport.mapToGlobal(at.toPoint())), QPoint(0, 0),
                            QPoint(0, -120), Qt.MouseButton.NoButton,
                            Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)


def _click(qtbot, panel: WorklistPanel, uid: str) -> None:
    table = panel.table
    rect = table.visualRect(table.model().index(panel.visible_study_uids().index(uid), 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _open(qtbot, window, panel: WorklistPanel, uid: str) -> None:
    """The reader clicks the study's row and presses Enter: it opens."""
    _click(qtbot, panel, uid)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        qtbot.keyClick(panel.table, Qt.Key.Key_Return)


def _grade(flow, store, uid: str, grade: str) -> None:
    """A pre-read of ``uid`` stored (the background's or the panel's): the list re-sorts."""
    store.save_ai_result(uid, model_name="unet", model_version=flow.model_version,
                         values={"grade": grade}, sync=False)
    flow.background.stored.emit(uid)


def _studies(store, version: str) -> None:
    """24 ungraded studies, half older than the demo chest (20000101), and 8 graded CT-0
    by the current model ``version``."""
    for n, uid in enumerate(UNGRADED):
        store.upsert_study(uid, patient_name=f"PATIENT^{n:02d}",
                           study_date="19990101" if n < 12 else "20010101",
                           study_time=f"08{n:02d}00", modalities="CT")
    for n, uid in enumerate(GRADED):
        store.upsert_study(uid, patient_name=f"GRADED^{n:02d}", study_date="20260101",
                           modalities="CT")
        store.save_ai_result(uid, model_name="unet", model_version=version,
                             values={"grade": "CT-0"}, sync=False)


def test_a_grade_arriving_keeps_the_readers_row_and_place_and_keyboard(qtbot, luch_home):
    """Walkthrough: the reader scrolled down the worklist, opened a study and went on in the
    report; a background pre-read stored a CT-4 for a study further down, which jumped to
    the top: every row between shifted under the reader's eyes, and a grade for the study
    read itself scrolled the list to wherever it went. The study read stays selected at the
    same place in the view, and the report (or the image) keeps the keyboard."""
    store = open_store()
    window, workflow = windows.station(qtbot, "dr.flow")
    flow, panel = workflow.worklist_flow, workflow.worklist
    qtbot.waitUntil(lambda: flow.model_version is not None, timeout=60_000)
    _studies(store, flow.model_version)
    read = workflow.add_local_study(DEMO_STUDY)  # refreshes the list
    assert len(panel.visible_study_uids()) == 33
    assert panel.visible_study_uids().index(read) == 12
    qtbot.waitUntil(lambda: panel.table.verticalScrollBar().maximum() > 3, timeout=5000)
    row_height = panel.table.rowHeight(0)
    for _ in range(12):  # the reader scrolls down to it
        if _place(panel, read) <= 3 * row_height:
            break
        _wheel_down(panel, 1)
    assert panel.table.verticalScrollBar().value() > 0
    _open(qtbot, window, panel, read)
    assert panel.selected_study() == read
    place = _place(panel, read)
    editor = workflow.report.free_text
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.hasFocus, timeout=5000)

    below = panel.visible_study_uids()[panel.visible_study_uids().index(read) + 6]
    _grade(flow, store, below, "CT-4")
    assert panel.visible_study_uids()[0] == below  # it did re-sort
    assert panel.selected_study() == read
    assert _place(panel, read) == place, "the reader's row moved in the view"
    assert editor.hasFocus(), "the worklist took the keyboard from the report"

    _grade(flow, store, read, "CT-1")  # its own grade: after the ungraded, before CT-0
    shown = panel.visible_study_uids()
    assert shown.index(read) == len(UNGRADED)
    assert panel.selected_study() == read
    assert panel.table.currentRow() == shown.index(read)
    assert _place(panel, read) == place, "the list scrolled away from where it was"
    assert editor.hasFocus()

    window.focus_image()
    qtbot.waitUntil(window.view.interactor.hasFocus, timeout=5000)
    _grade(flow, store, UNGRADED[0], "CT-3")
    assert _place(panel, read) == place
    assert window.view.interactor.hasFocus(), "the worklist took the keyboard from the image"


def test_a_grade_arriving_keeps_the_top_of_the_list_in_view_with_nothing_in_view_picked(
        qtbot, luch_home):
    """The reader scrolled the list to look further down, the study being read out of view:
    a re-sort keeps the rows looked at in view (the top one stays the top one)."""
    _window, workflow = windows.station(qtbot, "dr.flow")
    flow, panel = workflow.worklist_flow, workflow.worklist
    qtbot.waitUntil(lambda: flow.model_version is not None, timeout=60_000)
    store = open_store()
    _studies(store, flow.model_version)
    flow.refresh()
    qtbot.waitUntil(lambda: len(panel.visible_study_uids()) == 32, timeout=10_000)
    qtbot.waitUntil(lambda: panel.table.verticalScrollBar().maximum() > 3, timeout=5000)
    _click(qtbot, panel, UNGRADED[0])
    _wheel_down(panel, 3)
    qtbot.waitUntil(lambda: panel.table.rowAt(0) > 3, timeout=5000)
    top = panel.visible_study_uids()[panel.table.rowAt(0)]
    _grade(flow, store, UNGRADED[-1], "CT-4")  # from below the view to the top
    assert panel.visible_study_uids()[panel.table.rowAt(0)] == top
    assert panel.selected_study() == UNGRADED[0]
