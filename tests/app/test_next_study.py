"""Next study (Ctrl+N) goes to the next study shown that is not signed, below the open one;
at the end of the list to the first such from the top, and says when none is left."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.panels.worklist_panel import WorklistRow
from tests.app import windows

ROWS = [WorklistRow(uid, "routine", f"PATIENT^{uid}", "20260101", "CT", "", "unread")
        for uid in ("1.1", "1.2", "1.3")]


def ctrl_n(qtbot, window) -> None:
    """The reader presses Ctrl+N with the keyboard on the image."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    window.focus_image()
    qtbot.waitUntil(window.view.interactor.hasFocus, timeout=5000)
    qtbot.keyClick(window.view.interactor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)


def test_next_study_skips_signed_studies_in_the_middle_of_the_list(qtbot, luch_home):
    """Walkthrough: Ctrl+N in the middle of the worklist opened the next row though it was
    signed (only the end of the list went round to unsigned ones); it goes to the next study
    not signed below, as sign-and-next does, and says when none is left."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    flow.refresh = lambda: None  # the model version read at start refreshes: rows stay
    opened: list[str] = []
    flow.open_study = lambda uid, note="": opened.append(uid)
    flow.panel.set_rows([
        WorklistRow("3.1", "routine", "A", "20260101", "CT", "", "unread"),
        WorklistRow("3.2", "routine", "B", "20260101", "CT", "CT-1", "final"),
        WorklistRow("3.3", "routine", "C", "20260101", "CT", "CT-0", "amended"),
        WorklistRow("3.4", "routine", "D", "20260101", "CT", "", "draft"),
        WorklistRow("3.5", "routine", "E", "20260101", "CT", "", "unread")])
    workflow.study_uid = "3.1"
    ctrl_n(qtbot, window)
    assert opened == ["3.4"], "a signed study opened to be read twice"
    workflow.study_uid = "3.4"
    ctrl_n(qtbot, window)
    assert opened == ["3.4", "3.5"]
    workflow.study_uid = "3.5"
    ctrl_n(qtbot, window)  # the end: round to the first one not signed
    assert opened[-1] == "3.1"
    flow.panel.set_rows([
        WorklistRow("3.2", "routine", "B", "20260101", "CT", "CT-1", "final"),
        WorklistRow("3.5", "routine", "E", "20260101", "CT", "", "unread"),
        WorklistRow("3.3", "routine", "C", "20260101", "CT", "CT-0", "final")])
    ctrl_n(qtbot, window)  # only the open one is left to read
    assert len(opened) == 3
    assert "No more unread" in window.statusBar().currentMessage()


def test_next_study_stops_when_every_study_is_signed(qtbot, luch_home):
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    opened: list[str] = []
    flow.open_study = lambda uid, note="": opened.append(uid)
    signed = [WorklistRow(r.study_instance_uid, r.priority, r.patient, r.study_date,
                          r.modality, "CT-0", "final") for r in ROWS]
    flow.panel.set_rows(signed)
    flow.open_next(None)
    flow.open_next("1.2")
    assert opened == []  # all signed: none opened to be read twice
    assert "No more unread" in window.statusBar().currentMessage()
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
    flow.open_study = lambda uid, note="": opened.append(uid) or window.statusBar().showMessage(
        note)
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
    flow.open_study = lambda uid, note="": opened.append(uid)
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


class _Cached:
    """An image cache that holds every study (the fetch itself is stubbed)."""

    pinned = None

    def has_study(self, _uid: str) -> bool:
        return True


def test_ctrl_n_says_it_went_round_beside_fetching_not_over_it(qtbot, luch_home,
                                                              monkeypatch):
    """Ctrl+N's "went on to the first unread study" replaced "Fetching the study from the
    archive…" in the status bar: the reader saw no word of the fetch going on. Both show."""
    import threading

    import records.access

    release = threading.Event()

    def fetch(*_args, **_kwargs):  # the archive is slow: the fetch is still running
        release.wait(30)
        raise OSError("stopped by the test")

    monkeypatch.setattr(records.access, "open_archive_study", fetch)
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    flow.refresh = lambda: None  # the rows below stay (no archive to ask, no store rows)
    flow.link.archive, flow.cache = object(), _Cached()
    flow.panel.set_rows([
        WorklistRow("4.1", "routine", "A", "20260101", "CT", "", "unread"),
        WorklistRow("4.2", "routine", "B", "20260101", "CT", "", "unread")])
    workflow.study_uid = "4.2"  # the last row: Ctrl+N goes round to 4.1, fetched
    try:
        ctrl_n(qtbot, window)
        message = window.statusBar().currentMessage()
        assert "Fetching the study" in message, message
        assert "first unread study from the top" in message, message
    finally:
        task = flow._fetch_task
        release.set()
        if task is not None:
            task.done.wait(10)
    qtbot.waitUntil(lambda: flow._fetch_task is None, timeout=10_000)


def test_the_unread_status_is_a_key_like_the_others(qtbot, qapp, luch_home, monkeypatch):
    """The worklist's rows carried "unread" already translated («не прочитано») while
    "draft" or "final" were keys the panel translates. Every status is a key; the panel
    shows it in the interface language."""
    from app.shell.i18n import install_translator, remove_translators

    _, workflow = windows.station(qtbot, "dr.smirnova")
    workflow.store.upsert_study("5.1", study_date="20260101")
    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        flow = workflow.worklist_flow
        flow.refresh()
        row = next(r for r in flow.panel.rows if r.study_instance_uid == "5.1")
        assert row.status == "unread"
        table = flow.panel.table
        assert [table.item(r, 5).text() for r in range(table.rowCount())
                if table.item(r, 0).data(Qt.ItemDataRole.UserRole) == "5.1"] == ["не прочитано"]
    finally:
        remove_translators(qapp)


def test_next_study_goes_on_from_where_the_study_read_stood_before_its_grade_moved_it(
        qtbot, luch_home):
    """Walkthrough (X, 6 studies): the reader went down the worklist with Ctrl+N; the AI's
    CT-0 for the study open sorted it to the bottom, and the next Ctrl+N went round to the
    top, to the study already looked at, skipping the one below. Next goes on from where
    the study read stood when it was opened; a study that came from below to the top (a
    CT-4) is still ahead, one already passed is not."""
    window, workflow = windows.station(qtbot, "dr.smirnova")
    flow = workflow.worklist_flow
    flow.refresh = lambda: None  # the rows as set here
    opened: list[str] = []

    def open_study(uid: str, note: str = "") -> None:  # as the flow opens one, no loading
        flow.opening(uid)
        opened.append(uid)
        workflow.study_uid = uid

    flow.open_study = open_study
    rows = {uid: WorklistRow(uid, "routine", f"P^{uid}", "20260101", "CT", "", "unread")
            for uid in ("4.1", "4.2", "4.3", "4.4")}
    flow.panel.set_rows(list(rows.values()))
    open_study("4.1")
    ctrl_n(qtbot, window)
    assert opened[-1] == "4.2"
    graded = WorklistRow("4.2", "routine", "P^4.2", "20260101", "CT", "CT-0", "unread")
    flow.panel.set_rows([rows["4.1"], rows["4.3"], rows["4.4"], graded])  # CT-0: below
    ctrl_n(qtbot, window)
    assert opened[-1] == "4.3", "Ctrl+N went back to the top past the study below"
    severe = WorklistRow("4.4", "routine", "P^4.4", "20260101", "CT", "CT-4", "unread")
    flow.panel.set_rows([severe, rows["4.1"], rows["4.3"], graded])  # CT-4: on top
    ctrl_n(qtbot, window)
    assert opened[-1] == "4.4", "the study below, now on top, was skipped"
    ctrl_n(qtbot, window)  # 4.4 was opened at the top: the next unsigned below it
    assert opened[-1] == "4.1"
