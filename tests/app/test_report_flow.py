"""The report as a reader drives it by keyboard inside the real main window: field flow
(Ctrl+Down/Up, voice), the field being dictated into highlighted, Space in pick lists,
a form laid out without sideways scrolling or scroll inside scroll."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from app.main_window import MainWindow
from app.workflow import Workflow
from core.settings import Settings
from records import open_store

STUDY = "1.2.826.0.1.3680043.10.1.77"
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def station(qtbot, luch_home):
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang="en", report_lang="en")
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    workflow.report.begin(STUDY)
    yield window, workflow
    workflow.report.save_now()


def focused_key(form) -> str | None:
    focus = QApplication.focusWidget()
    for key, editor in form.editors.items():
        if focus is editor or (focus is not None and editor.isAncestorOf(focus)):
            return key
    return None


def form_scroll(report) -> QScrollArea:
    return report.findChild(QScrollArea)


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def test_ctrl_down_and_up_walk_every_field_from_every_editor(station, qtbot):
    """The menu's Ctrl+Down/Up reach the next/previous field from each kind of editor
    (on main they left the cursor where it was: the action passed checked=False as the step)."""
    _, workflow = station
    form = workflow.report.form
    keys = list(form.editors)
    form.focus_field(keys[0])
    for expected in keys[1:]:
        press(qtbot, Qt.Key.Key_Down, CTRL)
        assert focused_key(form) == expected
    for expected in reversed(keys[:-1]):
        press(qtbot, Qt.Key.Key_Up, CTRL)
        assert focused_key(form) == expected


def test_the_field_being_filled_is_highlighted_and_stays_so_over_the_images(station, qtbot):
    window, workflow = station
    form = workflow.report.form
    form.focus_field("grade")
    press(qtbot, Qt.Key.Key_Down, CTRL)
    assert focused_key(form) == "covid_probability"
    assert [k for k in form.editors if form.is_highlighted(k)] == ["covid_probability"]
    window.view.setFocus()  # scrolling the images: dictation still goes to that field
    qtbot.waitUntil(lambda: focused_key(form) is None)
    assert [k for k in form.editors if form.is_highlighted(k)] == ["covid_probability"]
    press(qtbot, Qt.Key.Key_Down, CTRL)  # from the images: on to the field after it
    assert focused_key(form) == "dynamics"


def test_the_next_field_is_scrolled_into_view(station, qtbot):
    window, workflow = station
    window.resize(1366, 600)
    form = workflow.report.form
    form.focus_field("distribution_side")
    for _ in form.editors:
        press(qtbot, Qt.Key.Key_Down, CTRL)
        editor = QApplication.focusWidget()
        viewport = form_scroll(workflow.report).viewport()
        top = editor.mapTo(viewport, editor.rect().topLeft()).y()
        assert top >= 0 and top + min(editor.height(), viewport.height()) <= viewport.height() + 1


def test_space_in_an_open_drop_down_picks_and_moves_on(station, qtbot):
    """On main Space in the open list did nothing (and the list stayed open)."""
    _, workflow = station
    form = workflow.report.form
    box = form.editors["distribution_side"]
    form.focus_field("distribution_side")
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(box.view().isVisible)
    qtbot.keyClick(box.view(), Qt.Key.Key_Down)
    qtbot.keyClick(box.view(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not box.view().isVisible())
    assert form.values() == {"distribution_side": "bilateral"}
    assert focused_key(form) == "distribution_pattern", "Space does not re-open the same list"


def test_space_ticks_once_and_moves_on(station, qtbot):
    """Space on a yes/no box ticks it and goes to the next field; in a list it ticks the
    option and goes to the next option (on main a second Space un-ticked the same one)."""
    _, workflow = station
    form = workflow.report.form
    form.focus_field("lower_lobe")
    press(qtbot, Qt.Key.Key_Space)
    assert form.values() == {"lower_lobe": True}
    assert focused_key(form) == "main_signs"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_Space)
    assert form.values()["main_signs"] == ["ggo_rounded", "ggo_irregular"]


@pytest.mark.parametrize(("lang", "size"), [("en", (1920, 1080)), ("ru", (1366, 768))])
def test_the_form_reads_at_the_real_window_size(qtbot, luch_home, lang, size):
    """No sideways scroll while tabbing, no cut labels, lists and texts with no scroll bar of
    their own (on main: a horizontal scroll bar, 330 px of form and lists scrolling inside)."""
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="dr.flow", ui_lang=lang, report_lang=lang)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    report = workflow.report
    report.begin(STUDY)
    form = report.form
    form.set_value("conclusion", "Word " * 60)
    qtbot.wait(50)
    form.focus_field("distribution_side")
    for _ in form.editors:
        press(qtbot, Qt.Key.Key_Tab)
        qtbot.wait(5)
        assert form_scroll(report).horizontalScrollBar().maximum() == 0
        assert form_scroll(report).widget().x() == 0
    assert form_scroll(report).viewport().height() >= size[1] // 3
    for key, label in form.labels.items():
        assert label.width() > 40, key
        assert label.height() >= label.heightForWidth(label.width()) - 1, f"{key} label cut"
    for key, editor in form.editors.items():
        if hasattr(editor, "verticalScrollBar"):
            assert not editor.verticalScrollBar().isVisible(), f"{key} scrolls inside the form"
        if hasattr(editor, "visualItemRect"):
            rows = sum(editor.visualItemRect(editor.item(n)).height()
                       for n in range(editor.count()))
            assert editor.viewport().height() >= rows, f"{key}: options hidden"
