"""Second opinions in the app: "Request second opinion" on a signed report (reading
station) and, with the setting ``referral.role`` = ``reference_centre`` or for a signed-in
user listed in ``referral.experts``, the expert's queue read from the archive in the
background (records.referral_store, records.referral_queue)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QDockWidget, QMainWindow, QPushButton

from app.panels.audit_dashboard import AuditStatsDialog
from app.panels.referral_panel import (
    AuditSampleDialog,
    ReferralDialog,
    ReferralQueuePanel,
    ReviewAnswerDialog,
)
from app.panels.review_dialog import ReviewDialog
from app.reading.archive_link import ArchiveLink
from app.shell.error_text import error_text, localize
from app.shell.tasks import Task
from core.errors import LuchError
from records import Store
from records.audit_sample import week_of
from records.directory import (
    CENTRE,
    EXPERTS,
    READER_ROLE,
    REFERENCE_ROLE,
    ROLE,
    Directory,
    reference_role,
)

REFERENCE_CENTRE = "referral.reference_centre"
AUDIT_SHARE = "referral.audit_share"  # the share of each centre's reports audited a week
__all__ = ["CENTRE", "EXPERTS", "READER_ROLE", "REFERENCE_ROLE", "ROLE", "ReferralFlow",
           "experts", "is_reference_centre"]


def experts(settings) -> list[str]:
    """The user names of ``referral.experts`` (a list, or one comma-separated text)."""
    value = settings.get(EXPERTS) or []
    names = value.split(",") if isinstance(value, str) else value
    return [str(n).strip() for n in names if str(n).strip()]


def is_reference_centre(settings, user: str) -> bool:
    """The reference centre's role: the station's (``referral.role``) or the signed-in
    user's (an expert of the directory, records.directory; compared without case)."""
    return reference_role(settings, user)
STATS_OPENED = "audit-stats-opened"  # audit: the statistics dashboard opened (no one study)
STATS_EXPORTED = "audit-stats-exported"  # audit: its CSV or plot written
SIGNED = ("final", "amended")


class ReferralFlow(QObject):
    """Requests from this station and, at a reference centre, the queue dock."""

    reviews_arrived = Signal(list)  # ids of review versions new to the store
    answered = Signal(int)  # the reader acknowledged or disputed a review (the answer's id)
    show_reviewed = Signal()  # the notice was clicked: list the reviewed studies
    # (study UID, True) while a request's study is read blind: any first report this
    # station holds (e.g. imported for the audit sample) stays out of view; False after
    blind = Signal(str, bool)
    # A review dialog's text fields (findings, comment) take dictation while it is open
    # (True) and give it back when it closes (False).
    dictation_fields = Signal(list, bool)

    def __init__(self, window: QMainWindow, store: Store, reader: str,
                 report_uid: Callable[[], str | None], link: ArchiveLink, settings,
                 selected_study: Callable[[], str | None] | None = None,
                 open_study: Callable[[str], object] | None = None) -> None:
        """``report_uid``: the report being read; ``selected_study``: the worklist's
        selected study, whose reviews are answered when no report is being read;
        ``open_study``: opens a study as the worklist does (the request's images)."""
        super().__init__(window)
        self.window, self.store, self.reader, self.link = window, store, reader, link
        self.report_uid, self.selected_study = report_uid, selected_study
        self.open_study = open_study
        self.directory = Directory.from_settings(settings)
        self.centre = self.directory.centre_of(reader)  # the user's, else the station's
        self.audit_share = float(settings.get(AUDIT_SHARE, 0.05) or 0.05)
        self.reference_centre = str(settings.get(REFERENCE_CENTRE, "") or "")
        self.panel: ReferralQueuePanel | None = None
        self.dock: QDockWidget | None = None
        self._task: Task | None = None
        self._reviews_task: Task | None = None
        self._fetch_again = False
        # The notice of reviews waiting for this reader's answer stays in the status bar
        # (a status message is soon replaced); a click lists them on the worklist.
        self.notice = QPushButton(window)
        self.notice.setObjectName("review-notice")
        self.notice.setFlat(True)
        self.notice.setToolTip(self.tr("Reviews of your reports waiting for your answer: "
                                       "click to list them on the worklist"))
        self.notice.clicked.connect(self.show_reviewed)
        window.statusBar().addPermanentWidget(self.notice)
        self.update_notice()
        if is_reference_centre(settings, reader):
            self.panel = ReferralQueuePanel()
            self.panel.shown = self.directory.shown  # readers by their directory names
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
            dialog = ReferralDialog(self.window, self.directory, self.reference_centre)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        try:
            referral_id = self.store.request_referral(
                signed[-1].id, kind=values["kind"], reason=values["reason"],
                urgency=values["urgency"], requester=self.reader, centre=self.centre,
                addressed_to=values.get("to", self.reference_centre),
                addressed_expert=values.get("expert", ""), note=values.get("note", ""))
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
        if self.link.archive is None:
            return None
        if self._reviews_task is not None:  # asked again while one runs: once more after it
            self._fetch_again = True
            return None
        if not self.store.referrals(origin="local") and not self.store.has_signed_report():
            return None  # nothing asked here and nothing to audit: no request, no thread
        # deferred: loads highdicom (start-up)
        from records.referral_queue import import_new_reviews

        client, store = self.link.archive, self.store
        task = Task(lambda progress, cancel: import_new_reviews(store, client),
                    QT_TRANSLATE_NOOP("Task", "reviews of your reports"))
        task.succeeded.connect(self._reviews_fetched)
        task.failed.connect(lambda _error: self._fetch_ended())
        self._reviews_task = task
        return task.start()

    def update_notice(self) -> int:
        """Show how many reviews of this reader's reports wait for an answer (hidden at 0)."""
        waiting = sum(1 for r in self.store.reviewed_studies().values()
                      if not r.answered and r.first_reader == self.reader)
        self.notice.setText("⚑ " + self.tr("Reviews to answer: %1").replace("%1", str(waiting)))
        self.notice.setVisible(waiting > 0)
        return waiting

    def _fetch_ended(self) -> None:
        self._reviews_task = None
        if self._fetch_again:
            self._fetch_again = False
            self.fetch_reviews()

    def _reviews_fetched(self, new: list[int]) -> None:
        self._fetch_ended()
        if not new:
            return
        mine = [v for v in map(self.store.review_version, new)
                if v.referral.first_reader == self.reader]
        if mine:  # stays until the next message: the reader may be dictating
            scores = ", ".join(str(v.fields.score) for v in mine)
            self._say(self.tr("New reviews of your reports: %1 (scores: %2). The worklist's "
                              "\"Reviewed\" filter lists them; Report > Answer the review "
                              "shows the two reports side by side.")
                      .replace("%1", str(len(mine))).replace("%2", scores))
        self.update_notice()
        self.reviews_arrived.emit(list(new))

    def _versions(self) -> list:
        """The versions of the report being read, else of the reports on the worklist's
        selected study."""
        uid = self.report_uid()
        if uid:
            return self.store.report_versions(uid)
        study = self.selected_study() if self.selected_study is not None else None
        return [v for r in (self.store.reports_for_study(study) if study else ())
                for v in self.store.report_versions(r.uid)]

    def reviews(self) -> list:
        """The signed reviews of the report being read, or of the worklist's selected study
        (newest last), each with the report version it reviews (a ReportVersionRecord)."""
        sops = {v.sop_instance_uid: v for v in self._versions()}
        found = []
        for ref in self.store.referrals(origin="local"):
            if ref.report_sop_uid in sops:
                found += [(r, sops[ref.report_sop_uid]) for r in self.store.reviews_of(ref.id)
                          if r.status in SIGNED]
        return found

    def answer(self, action: str | None = None, comment: str = "") -> int | None:
        """Show the newest review of the report being read; acknowledge or dispute it (the
        answer is queued for the archive). Returns the answer's id, None when none."""
        found = self.reviews()
        if not found:
            self._say(self.tr("No review of this report has arrived"))
            return None
        review, first = found[-1]
        if action is None:
            dialog = ReviewAnswerDialog(review, first.fields, first.text, self.window,
                                        shown=self.directory.shown)
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
        self.update_notice()
        self.answered.emit(answer_id)
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
        expert, directory = self.reader, self.directory
        task = Task(lambda progress, cancel: (refresh_queue(store, client, centre, expert,
                                                            directory),
                                              refresh_disputes(store, client)),
                    QT_TRANSLATE_NOOP("Task", "reference centre queue"))
        task.succeeded.connect(self._refreshed)
        task.failed.connect(self._failed)
        self._task = task
        return task.start()

    def audit_sample(self, week: str | None = None) -> AuditSampleDialog:
        """The week's audit sample (last week's by default): drawn, then requested and
        synced from the dialog."""
        week = week or week_of(datetime.now(UTC) - timedelta(days=7))
        dialog = AuditSampleDialog(self.store, week, self.audit_share, self.reader,
                                   self.centre, self.window, archive=self.link.archive)
        dialog.accepted.connect(lambda: (self._say(self.tr(
            "Audit requests queued: %1").replace("%1", str(len(dialog.requested)))),
            self.link.sync()))
        dialog.show()
        return dialog

    def audit_stats(self) -> AuditStatsDialog | None:
        """The statistics dashboard (reference centre only); opening it and each export are
        audited, as every open of the queue's requests is."""
        if self.panel is None:
            return None
        self.store.audit(self.reader, STATS_OPENED, "", source="dashboard")
        dialog = AuditStatsDialog(self.store, self.window)
        dialog.exported.connect(lambda what: self.store.audit(
            self.reader, STATS_EXPORTED, "", source="dashboard", what=what,
            by=dialog.grouping(), period=[str(d) if d else "" for d in dialog.period()]))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def review(self, referral_id: int) -> ReviewDialog:
        """Open one request for review (the opening is audited): its study opens in the
        viewer as from the worklist (hanging protocol, the AI pre-read shown), beside the
        review dialog, which shows the first report only once the expert's own read is
        saved. A signed review is synced and the queue refreshed."""
        dialog = ReviewDialog(self.store, referral_id, self.reader, self.window)
        study = self.store.referral(referral_id).study_instance_uid
        if not dialog.case.own_read_saved:
            self.blind.emit(study, True)
            dialog.read_saved.connect(lambda: self.blind.emit(study, False))
        if self.open_study is not None:
            self.open_study(study)
        dialog.signed.connect(lambda _version: (self.link.sync(), self.refresh()))
        fields = [dialog.findings, dialog.comment]
        self.dictation_fields.emit(fields, True)  # dictated like any report
        dialog.finished.connect(lambda _result: self.dictation_fields.emit(fields, False))
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
