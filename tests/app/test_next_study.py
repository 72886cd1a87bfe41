"""Next study (Ctrl+N) walks down the worklist as shown; at its end it goes on to the first
study still unread from the top, and says when none is left."""

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
    signed = [WorklistRow(r.study_instance_uid, r.priority, r.patient, r.study_date,
                          r.modality, "CT-0", "final") for r in ROWS]
    flow.panel.set_rows(signed)
    flow.open_next(None)
    flow.open_next("1.1")
    flow.open_next("1.2")
    assert opened == ["1.1", "1.2", "1.3"]
    flow.open_next("1.3")  # the last, all signed: not round to the first (read twice)
    assert opened == ["1.1", "1.2", "1.3"]
    assert "No more unread" in window.statusBar().currentMessage()
    flow.panel.search.setText("PATIENT^1.2")  # one shown, and it is open: nothing to go to
    flow.open_next("1.2")
    assert opened[-1] == "1.3" and len(opened) == 3
    flow.panel.search.setText("nobody")
    flow.open_next("1.2")
    assert "no study" in window.statusBar().currentMessage()


def test_next_study_at_the_end_of_a_filtered_list_wraps_to_the_first_unread(qtbot, luch_home):
    """Seen at a busy station: Ctrl+N on the last study of a filtered worklist said the list
    had ended while an unread study stood above; it goes on to the first unread study from
    the top (skipping signed ones and the open one), saying so, and says "no more unread"
    only when none is left."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    opened: list[str] = []
    flow.open_study = opened.append
    flow.panel.set_rows([
        WorklistRow("2.1", "routine", "SIGNED^A", "20260101", "CT", "CT-1", "final"),
        WorklistRow("2.2", "routine", "UNREAD^B", "20260101", "CT", "", "unread"),
        WorklistRow("2.3", "routine", "DRAFT^C", "20260101", "CT", "", "draft"),
        WorklistRow("2.4", "routine", "UNREAD^D", "20260101", "CT", "", "unread")])
    flow.panel.status_filter.setCurrentIndex(flow.panel.status_filter.findData("unread"))
    assert flow.panel.visible_study_uids() == ["2.2", "2.4"]
    flow.open_next("2.4")  # the last shown: round to the unread one above
    assert opened == ["2.2"]
    assert "first unread study from the top" in window.statusBar().currentMessage()
    flow.panel.status_filter.setCurrentIndex(0)  # all studies: the first unsigned, not 2.1
    flow.open_next("2.4")
    assert opened == ["2.2", "2.2"]
    flow.panel.set_rows([
        WorklistRow("2.1", "routine", "SIGNED^A", "20260101", "CT", "CT-1", "final"),
        WorklistRow("2.4", "routine", "UNREAD^D", "20260101", "CT", "", "unread")])
    flow.open_next("2.4")  # only the open one is left to read
    assert opened == ["2.2", "2.2"]
    assert "No more unread" in window.statusBar().currentMessage()


def test_after_signing_the_next_unsigned_study_opens_wherever_triage_put_it(qtbot, luch_home):
    """Sign-and-next: the triage order moved the signed study (now graded) below the one
    still unread, so "the study after it" was none and the reader was told the list had
    ended; it opens the next unsigned study, below first, else above."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    opened: list[str] = []
    flow.open_study = opened.append
    rows = [WorklistRow("1.1", "routine", "A", "20260101", "CT", "", "unread"),
            WorklistRow("1.2", "routine", "B", "20260101", "CT", "CT-0", "final"),
            WorklistRow("1.3", "routine", "C", "20260101", "CT", "CT-0", "draft"),
            WorklistRow("1.4", "routine", "D", "20260101", "CT", "CT-0", "final")]
    flow.panel.set_rows(rows)
    flow.open_next_unsigned("1.2")
    assert opened == ["1.3"]  # below it, a draft: not signed yet
    flow.open_next_unsigned("1.4")  # the last row: the unread one above
    assert opened == ["1.3", "1.1"]
    flow.panel.set_rows([rows[1], rows[3]])
    flow.open_next_unsigned("1.2")
    assert opened == ["1.3", "1.1"]
    assert "is signed" in window.statusBar().currentMessage()


def test_a_study_begun_and_not_signed_is_a_draft_on_the_worklist(qtbot, luch_home):
    """Seen in the app: a study with dictated text (kept in its draft) still read "unread",
    so the reader could not tell it from one never opened, nor filter for it."""
    from app.panels.drafts import Draft, save_draft

    _, workflow = windows.station(qtbot, "dr.smirnova")
    for uid in ("2.1", "2.2"):
        workflow.store.upsert_study(uid, study_date="20260101")
    save_draft(Draft("2.1", free_text="Ground glass in the right lower lobe."))
    flow = workflow.worklist_flow
    flow.refresh()
    statuses = {r.study_instance_uid: r.status for r in flow.panel.rows}
    assert statuses["2.1"] == "draft" and statuses["2.2"] != "draft"
    flow.panel.status_filter.setCurrentIndex(flow.panel.status_filter.findData("draft"))
    assert flow.panel.visible_study_uids() == ["2.1"]
