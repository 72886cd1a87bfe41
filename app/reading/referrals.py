"""Second opinions in the app: "Request second opinion" on a signed report (reading
station) and, with the setting ``referral.role`` = ``reference_centre``, the expert's queue
read from the archive in the background (records.referral_store, records.referral_queue)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow

from app.panels.referral_panel import ReferralDialog, ReferralQueuePanel, ReviewAnswerDialog
from app.panels.review_dialog import ReviewDialog
from app.reading.archive_link import ArchiveLink
from app.shell.error_text import error_text, localize
from app.shell.tasks import Task
from core.errors import LuchError
from records import Store

ROLE, CENTRE, REFERENCE_CENTRE = "referral.role", "referral.centre", "referral.reference_centre"
READER_ROLE, REFERENCE_ROLE = "reader", "reference_centre"
SIGNED = ("final", "amended")


class ReferralFlow(QObject):
    """Requests from this station and, at a reference centre, the queue dock."""

    def __init__(self, window: QMainWindow, store: Store, reader: str,
                 report_uid: Callable[[], str | None], link: ArchiveLink, settings) -> None:
        super().__init__(window)
        self.window, self.store, self.reader, self.link = window, store, reader, link
        self.report_uid = report_uid
        self.centre = str(settings.get(CENTRE, "") or "")
        self.reference_centre = str(settings.get(REFERENCE_CENTRE, "") or "")
        self.panel: ReferralQueuePanel | None = None
        self.dock: QDockWidget | None = None
        self._task: Task | None = None
        self._reviews_task: Task | None = None
        if settings.get(ROLE, READER_ROLE) == REFERENCE_ROLE:
            self.panel = ReferralQueuePanel()
            self.panel.refresh_requested.connect(self.refresh)
            self.panel.open_requested.connect(self.review)
            self.dock = QDockWidget(self.tr("Reference centre queue"), window)
            self.dock.setObjectName("dock-referral-queue")
            self.dock.setWidget(self.panel)
            self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                  | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
            window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text)

    def request(self, values: dict[str, str] | None = None) -> int | None:
        """Ask for a second opinion on the signed report being read (``values`` from the
        dialog when not given); returns the request's id, None when nothing was asked."""
        uid = self.report_uid()
        versions = self.store.report_versions(uid) if uid else []
        signed = [v for v in versions if v.status.value in SIGNED]
        if not signed:
            self._say(self.tr("Sign the report first: only a signed report can be sent "
                              "for review"))
            return None
        if values is None:
            dialog = ReferralDialog(self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        try:
            referral_id = self.store.request_referral(
                signed[-1].id, kind=values["kind"], reason=values["reason"],
                urgency=values["urgency"], requester=self.reader, centre=self.centre,
                addressed_to=self.reference_centre, note=values.get("note", ""))
        except LuchError as err:
            self._say(error_text(err))
            return None
        self._say(self.tr("Second opinion requested; it goes to the archive with the "
                          "report"))
        self.link.sync()
        return referral_id

    # -- the reading station: reviews of its own requests ---------------------------------------
    def fetch_reviews(self) -> Task | None:
        """Import the reviews of this station's requests from the archive in the background;
        new ones are announced in the status bar."""
        if self.link.archive is None or self._reviews_task is not None:
            return None
        if not self.store.referrals(origin="local"):
            return None
        from records.referral_queue import import_reviews  # deferred: loads highdicom (start-up)

        client, store = self.link.archive, self.store
        task = Task(lambda progress, cancel: import_reviews(store, client),
                    QT_TRANSLATE_NOOP("Task", "reviews of your reports"))
        task.succeeded.connect(self._reviews_fetched)
        task.failed.connect(lambda _error: setattr(self, "_reviews_task", None))
        self._reviews_task = task
        return task.start()

    def _reviews_fetched(self, new: int) -> None:
        self._reviews_task = None
        if new:
            self._say(self.tr("New reviews of your reports: %1").replace("%1", str(new)))

    def reviews(self) -> list:
        """The signed reviews of the report being read (newest last), with its first grade."""
        uid = self.report_uid()
        sops = {v.sop_instance_uid: v for v in self.store.report_versions(uid)} if uid else {}
        found = []
        for ref in self.store.referrals(origin="local"):
            if ref.report_sop_uid in sops:
                grade = str(sops[ref.report_sop_uid].fields.get("grade", ""))
                found += [(r, grade) for r in self.store.reviews_of(ref.id)
                          if r.status in SIGNED]
        return found

    def answer(self, action: str | None = None, comment: str = "") -> int | None:
        """Show the newest review of the report being read; acknowledge or dispute it (the
        answer is queued for the archive). Returns the answer's id, None when none."""
        found = self.reviews()
        if not found:
            self._say(self.tr("No review of this report has arrived"))
            return None
        review, first_grade = found[-1]
        if action is None:
            dialog = ReviewAnswerDialog(review, first_grade, self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.action is None:
                return None
            action, comment = dialog.action, dialog.comment.text()
        try:
            answer_id = self.store.respond_to_review(review.id, reader=self.reader,
                                                     action=action, comment=comment)
        except LuchError as err:
            self._say(error_text(err))
            return None
        self._say(self.tr("Your answer to the review is queued for the archive"))
        self.link.sync()
        return answer_id

    def refresh(self) -> Task | None:
        """Read the queue from the archive in the background (reference centre only)."""
        if self.panel is None or self._task is not None:
            return None
        if self.link.archive is None:
            self.panel.show_error(self.tr("no archive configured"))
            return None
        # deferred: loads highdicom (start-up)
        from records.referral_queue import refresh_disputes, refresh_queue

        client, store, centre = self.link.archive, self.store, self.centre  # its own name
        task = Task(lambda progress, cancel: (refresh_queue(store, client, centre),
                                              refresh_disputes(store, client)),
                    QT_TRANSLATE_NOOP("Task", "reference centre queue"))
        task.succeeded.connect(self._refreshed)
        task.failed.connect(self._failed)
        self._task = task
        return task.start()

    def review(self, referral_id: int) -> ReviewDialog:
        """Open one request for review (the opening is audited); a signed review is synced
        and the queue refreshed."""
        dialog = ReviewDialog(self.store, referral_id, self.reader, self.window)
        dialog.signed.connect(lambda _version: (self.link.sync(), self.refresh()))
        dialog.show()
        return dialog

    def _refreshed(self, found: tuple[list, list]) -> None:
        self._task = None
        if self.panel is not None:
            self.panel.show_entries(*found)

    def _failed(self, error: str) -> None:
        self._task = None
        if self.panel is not None:
            self.panel.show_error(localize(error))
