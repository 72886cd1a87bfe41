"""One windowed station of tests/app/test_referral_two_windows.py, run as its own process.

    python -m tests.app.referral_window_station request|review|feedback|disputes STUDY_UID

The process opens Luch's main window (offscreen Qt) with the workflow of the user in
``LOGNAME``, the LUCH_HOME and archive of its environment, drives one phase through the
widgets (QTest clicks and keys), prints what it saw as one JSON line, and exits:

- ``request`` (the reader): STUDY_UID is opened from the worklist (click, Enter), its report
  written (the grade chosen by keys, the conclusion clicked into and typed) and signed by
  Report > Sign report and the preview's Sign button, then Report > Request a second
  opinion is filled by keys (urgency) and clicked OK; the request and the report are synced;
- ``review`` (the expert): the queue is refreshed by its button, the request opened by a
  double-click (its images and the review dialog), the own read chosen by keys and saved
  (blind until then), then scored 3 and signed; the result is told, then the review is
  synced (with ``DIE_AFTER_STORE=1`` the process is killed by SIGKILL right after the
  archive stored it);
- ``sync``: the station started again; what was left unsent, then Sync now (F5) until done;
- ``feedback`` (the reader): the worklist's refresh fetches the review; the notice in the
  status bar is clicked and the worklist shows the study under the "Reviewed" filter; the
  study clicked, Report > Answer the review opens the comparison, a comment is typed and
  Dispute clicked; the dispute is synced;
- ``disputes`` (the expert): the queue's refresh lists the reader's dispute.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QPushButton,
    QScrollArea,
)


def wait_until(condition: Callable[[], object], timeout_s: float,
               what: str | Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what() if callable(what) else what}")
        QTest.qWait(50)


def choose(combo: QComboBox, data: object) -> None:
    """Pick the item with ``data`` by keys: Home, then Down until it is current."""
    combo.setFocus()
    QTest.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentData() == data:
            return
        QTest.keyClick(combo, Qt.Key.Key_Down)
    raise AssertionError(f"no item {data!r} in the list")


def station():
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient
    from core.settings import Settings
    from records import open_store

    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    store = open_store()
    workflow = Workflow(window, store, reader=os.environ["LOGNAME"],
                        archive=DicomWebClient(load_config()))
    window.resize(1400, 900)
    window.show()
    return window, workflow, store


def synced(store) -> Callable[[], bool]:
    """Every outbox job done (by the syncs the app itself started)."""
    return lambda: all(j.state.value == "done" for j in store.jobs())


def sent(window, store) -> Callable[[], bool]:
    """:func:`synced`; a job the archive did not take (it could not be reached: Orthanc
    slow under the CI's load) is sent again with Sync now (F5), as a reader who sees
    "unsent: 1" in the status bar does, rather than after the outbox's back-off."""
    last = [time.monotonic()]

    def check() -> bool:
        if synced(store)():
            return True
        failed = any(j.state.value != "done" and getattr(j, "last_error", "")
                     for j in store.jobs())
        if failed and time.monotonic() - last[0] > 5:
            last[0] = time.monotonic()
            window.actions["sync"].trigger()
        return False
    return check


def jobs(store) -> str:
    return ", ".join(f"{j.kind}:{j.state.value}:{getattr(j, 'last_error', '')}"
                     for j in store.jobs())


def open_from_worklist(window, workflow, study: str) -> None:
    panel = workflow.worklist
    wait_until(lambda: study in panel.visible_study_uids(), 60, "the study on the worklist")
    row = panel._visible_rows()[panel.visible_study_uids().index(study)]
    rect = panel.table.visualItemRect(panel.table.item(row, 0))
    loaded: list = []
    window.volume_loaded.connect(loaded.append)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.keyClick(panel.table, Qt.Key.Key_Return)  # opens it
    wait_until(lambda: loaded, 120, "the study's images")


def when_modal(name: str | type, act: Callable) -> None:
    """Once the modal dialog ``name`` (its object name, or its class) opens, ``act(dialog)``."""
    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or (dialog.objectName() != name if isinstance(name, str)
                              else not isinstance(dialog, name)):
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)


def fill_report(workflow) -> None:
    """The report's grade chosen by keys and its conclusion clicked into and typed, as a
    reader fills the form."""
    form = workflow.report.form
    choose(form.editors["grade"], "CT-1")
    conclusion = form.editors["conclusion"]
    for scroll in _ancestors(conclusion, QScrollArea):
        scroll.ensureWidgetVisible(conclusion)  # what the reader scrolls to
    QTest.mouseClick(conclusion.viewport(), Qt.MouseButton.LeftButton,
                     pos=conclusion.viewport().rect().center())
    QTest.keyClicks(conclusion, "first-read secret")


def _ancestors(widget, kind) -> list:
    found, parent = [], widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kind):
            found.append(parent)
        parent = parent.parentWidget()
    return found


def sign(window, workflow) -> None:
    """The report written and signed as a reader does: the form's grade and conclusion by
    keys and a click, Report > Sign report, the preview's Sign button."""
    report = workflow.report
    fill_report(workflow)
    signed: list = []
    report.signed.connect(signed.append)
    when_modal("sign-preview", lambda d: QTest.mouseClick(d.sign_button,
                                                          Qt.MouseButton.LeftButton))
    window.actions["sign"].trigger()
    wait_until(lambda: signed, 30, "the signed report")


def request(study: str) -> dict:
    from app.panels.referral_panel import ReferralDialog

    window, workflow, store = station()
    open_from_worklist(window, workflow, study)
    sign(window, workflow)
    [version] = [v for v in store.report_versions(workflow.report.report_uid)
                 if v.status.value == "final"]
    seen: dict = {}

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReferralDialog):
            QTimer.singleShot(50, fill)
            return
        choose(dialog.urgency, "urgent")
        seen["values"] = dialog.values()
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    window.actions["request-second-opinion"].trigger()  # Report > Request a second opinion…
    [ref] = store.referrals()
    wait_until(sent(window, store), 60,
               lambda: f"the request and the report in the archive ({jobs(store)})")
    workflow.stop()
    return {"report_sop": version.sop_instance_uid, "report_fields": version.fields,
            "uid": ref.uid, "addressed_to": ref.addressed_to, "urgency": ref.urgency,
            "centre": ref.centre, "dialog": seen["values"],
            "said": window.statusBar().currentMessage()}


def review(study: str) -> dict:
    from app.panels.review_dialog import ReviewDialog

    window, workflow, store = station()
    flow = workflow.referrals
    [refresh] = [b for b in flow.panel.findChildren(QPushButton) if b.text() == "Refresh"]
    QTest.mouseClick(refresh, Qt.MouseButton.LeftButton)
    table = flow.panel.table
    wait_until(lambda: table.rowCount() == 1, 60, "the request on the queue")
    queue = [table.item(0, c).text() for c in range(table.columnCount())]
    referral_id = flow.panel.entries[0].referral.id
    loaded: list = []
    window.volume_loaded.connect(loaded.append)
    rect = table.visualItemRect(table.item(0, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_until(lambda: [w for w in QApplication.topLevelWidgets()
                        if isinstance(w, ReviewDialog) and w.isVisible()], 30, "the review")
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, ReviewDialog) and w.isVisible()]
    wait_until(lambda: loaded, 120, "the request's images")
    blind = dialog.first.text()
    choose(dialog.grade, "CT-3")
    dialog.findings.setFocus()
    QTest.keyClicks(dialog.findings, "Consolidation in the right lower lobe")
    QTest.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # the own read
    after_own_read = dialog.first.text()
    choose(dialog.score, 3)
    choose(dialog.category, "perception")
    signed: list = []
    dialog.signed.connect(signed.append)
    QTest.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: signed, 10, "the signed review")
    [version] = [v for v in store.reviews_of(referral_id) if v.status == "final"]
    tell({"queue": queue, "study": workflow.study_uid, "blind": blind,
          "after_own_read": after_own_read, "score": version.fields.score,
          "grade": version.fields.grade, "sop": version.sop_instance_uid})
    wait_until(synced(store), 60,  # the app's own sync (killed here with DIE_AFTER_STORE)
               lambda: f"the review in the archive ({jobs(store)})")
    workflow.stop()
    return None


def sync(study: str) -> dict:
    """The station started again (after its sync was killed): what was left unsent, then
    Sync now (F5) until every job is done."""
    from records import open_store

    left = sorted(j.kind for j in open_store().jobs() if j.state.value != "done")
    window, workflow, store = station()
    window.actions["sync"].trigger()
    wait_until(synced(store), 60, lambda: f"every job done ({jobs(store)})")
    workflow.stop()
    return {"left": left, "jobs": jobs(store)}


def feedback(study: str) -> dict:
    from app.panels.referral_panel import ReviewAnswerDialog

    window, workflow, store = station()
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.actions["refresh-worklist"].trigger()  # fetches the reviews of its requests too
    notice = workflow.referrals.notice
    wait_until(lambda: notice.isVisible(), 60, "the notice of the review")
    QTest.mouseClick(notice, Qt.MouseButton.LeftButton)  # the worklist lists them
    panel = workflow.worklist
    wait_until(lambda: panel.visible_study_uids() == [study], 30, "the reviewed study")
    row = panel._visible_rows()[0]
    cell = panel.table.item(row, 5)
    seen = {"notice": notice.text(), "said": list(said),
            "filter": panel.status_filter.currentData(), "visible": panel.visible_study_uids(),
            "marker": cell.text(), "tooltip": cell.toolTip()}
    rect = panel.table.visualItemRect(cell)
    QTest.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def dispute(dialog) -> None:  # the two reports side by side; a comment typed, Dispute
        seen["compared"] = [dialog.table.item(r, 0).text()
                            for r in range(dialog.table.rowCount())]
        dialog.comment.setFocus()
        QTest.keyClicks(dialog.comment, "Consolidation not seen")
        QTest.mouseClick(dialog.dispute_button, Qt.MouseButton.LeftButton)

    when_modal(ReviewAnswerDialog, dispute)
    window.actions["answer-review"].trigger()  # Report > Answer the review of this report…
    wait_until(sent(window, store), 60, lambda: f"the dispute in the archive ({jobs(store)})")
    seen["answers"] = [(r.reader, r.action, r.comment) for r in store.responses("local")]
    seen["notice after"] = notice.text() if notice.isVisible() else ""
    workflow.stop()
    return seen


def disputes(study: str) -> dict:
    """The expert's station again: the queue's refresh lists the reader's dispute."""
    _window, workflow, _store = station()
    flow = workflow.referrals
    [refresh] = [b for b in flow.panel.findChildren(QPushButton) if b.text() == "Refresh"]
    QTest.mouseClick(refresh, Qt.MouseButton.LeftButton)
    wait_until(lambda: flow.panel.disputes.isVisible(), 60, "the dispute on the queue")
    listed = [flow.panel.disputes.item(n).text() for n in range(flow.panel.disputes.count())]
    workflow.stop()
    return {"disputes": listed}


PHASES = {"request": request, "review": review, "feedback": feedback, "disputes": disputes,
          "sync": sync}
TOLD = threading.Event()  # the phase's result is printed (a kill may follow)


def tell(result: dict) -> None:
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)
    TOLD.set()


def die_after_store() -> None:
    """``DIE_AFTER_STORE=1``: the archive client's first STOW-RS, once the phase has told its
    result, stores its batch and the process dies by SIGKILL before the outbox marks any
    job done (the worst moment for "exactly once")."""
    # deferred: as the phases' own imports, after QApplication
    from archive.dicomweb import DicomWebClient

    stored = DicomWebClient.store

    def store_and_die(self, objects):
        TOLD.wait(120)
        stored(self, objects)
        os.kill(os.getpid(), signal.SIGKILL)

    DicomWebClient.store = store_and_die


if __name__ == "__main__":
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if os.environ.get("DIE_AFTER_STORE") == "1":
        die_after_store()
    result = PHASES[sys.argv[1]](sys.argv[2])
    if result is not None:
        tell(result)
    os._exit(0)  # no teardown of VTK and the thread pool: the phase is done
