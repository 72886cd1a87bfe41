"""Ctrl+P (compare with the prior) always answers: it compares, or it says why it cannot."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.app import windows


def test_compare_with_no_study_or_no_prior_says_so(qtbot, luch_home):
    window, workflow = windows.station(qtbot, "dr.smirnova")
    window.actions["compare-prior"].trigger()  # the menu item, nothing open yet
    assert "open a study" in window.statusBar().currentMessage().lower()
    windows.open_demo(qtbot, window)
    qtbot.waitUntil(lambda: workflow.study_flow.study_uid is not None, timeout=10_000)
    window.statusBar().clearMessage()
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert "no earlier study" in window.statusBar().currentMessage().lower()
    assert workflow.study_flow.prior_path is None
