"""Next study (Ctrl+N) walks down the worklist as shown and stops at its end."""

from __future__ import annotations

from app.panels.worklist_panel import WorklistRow
from tests.app import windows

ROWS = [WorklistRow(uid, "routine", f"PATIENT^{uid}", "20260101", "CT", "", "unread")
        for uid in ("1.1", "1.2", "1.3")]


def test_next_study_goes_down_the_list_and_stops_at_its_end(qtbot, luch_home):
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    opened: list[str] = []
    flow.open_study = opened.append
    flow.panel.set_rows(ROWS)
    flow.open_next(None)
    flow.open_next("1.1")
    flow.open_next("1.2")
    assert opened == ["1.1", "1.2", "1.3"]
    flow.open_next("1.3")  # the last: not round to the first (read twice)
    assert opened == ["1.1", "1.2", "1.3"]
    assert "last study" in window.statusBar().currentMessage()
    flow.panel.search.setText("PATIENT^1.2")  # one shown, and it is open: nothing to go to
    flow.open_next("1.2")
    assert opened[-1] == "1.3" and len(opened) == 3
    flow.panel.search.setText("nobody")
    flow.open_next("1.2")
    assert "no study" in window.statusBar().currentMessage()
