"""Second opinions in the window: the request dialog (reading station) and the expert's
queue (reference-centre station). The state lives in records (records.referral_store)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from app.shell.error_text import error_text, localize
from app.shell.tasks import Task
from core.errors import LuchError
from records.directory import FOR_CENTRE, FOR_EXPERT, Directory
from records.referral import Kind, Reason, Urgency
from records.referral_compare import compare, differing


def kind_name(kind: str) -> str:
    return terms.referral_term(kind)


def reason_name(reason: str) -> str:
    return terms.referral_term(reason)


def urgency_name(urgency: str) -> str:
    return terms.term(urgency)  # stat, urgent, routine: the worklist's words


class ReferralDialog(QDialog):
    """Kind, reason, urgency, the addressee and a note for a request on the signed report.

    The reference centre is chosen among the user directory's centres with an expert (or
    typed), ``reference_centre`` first; the expert is any expert of that centre or one of
    them by name (records.directory)."""

    def __init__(self, parent: QWidget | None = None, directory: Directory | None = None,
                 reference_centre: str = "") -> None:
        super().__init__(parent)
        self.directory = directory or Directory([])
        self.setWindowTitle(self.tr("Request a second opinion"))
        self.kind, self.reason, self.urgency = QComboBox(), QComboBox(), QComboBox()
        for combo, members, name in ((self.kind, Kind, kind_name),
                                     (self.reason, Reason, reason_name),
                                     (self.urgency, Urgency, urgency_name)):
            for member in members:
                combo.addItem(name(member.value), member.value)
        self.urgency.setCurrentIndex(self.urgency.findData(Urgency.ROUTINE.value))
        self.kind.setObjectName("referral-kind")
        self.reason.setObjectName("referral-reason")
        self.urgency.setObjectName("referral-urgency")
        self.centre = QComboBox()
        self.centre.setObjectName("referral-to")
        self.centre.setEditable(True)
        centres = self.directory.centres()
        if reference_centre and reference_centre.casefold() not in {
                c.casefold() for c in centres}:
            centres.insert(0, reference_centre)
        self.centre.addItems(centres)
        if reference_centre:
            self.centre.setCurrentText(reference_centre)
        self.expert = QComboBox()
        self.expert.setObjectName("referral-expert")
        self.centre.currentTextChanged.connect(self._list_experts)
        self._list_experts(self.centre.currentText())
        self.note = QLineEdit()
        self.note.setObjectName("referral-note")
        form = QFormLayout()
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(self.tr("&Urgency:"), self.urgency)
        form.addRow(self.tr("Reference &centre:"), self.centre)
        form.addRow(self.tr("&Expert:"), self.expert)
        form.addRow(self.tr("&Note:"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _list_experts(self, centre: str) -> None:
        self.expert.clear()
        self.expert.addItem(self.tr("Any expert of the centre") if centre.strip()
                            else self.tr("No one named (unaddressed)"), "")
        for person in self.directory.experts(centre.strip()) if centre.strip() else ():
            self.expert.addItem(person.shown, person.login)

    def values(self) -> dict[str, str]:
        return {"kind": self.kind.currentData(), "reason": self.reason.currentData(),
                "urgency": self.urgency.currentData(), "to": self.centre.currentText().strip(),
                "expert": self.expert.currentData() or "", "note": self.note.text().strip()}


class ReferralQueuePanel(QWidget):
    """The open requests addressed to this reference centre, most urgent first."""

    refresh_requested = Signal()
    open_requested = Signal(int)  # a request's id (double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 6)
        self.table.setObjectName("referral-queue")
        self.table.setHorizontalHeaderLabels([
            self.tr("Urgency"), self.tr("Due"), self.tr("Kind"), self.tr("Reason"),
            self.tr("Centre"), self.tr("Addressed to")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.cellDoubleClicked.connect(
            lambda row, _col: self.open_requested.emit(self.entries[row].referral.id))
        # Disputed reviews come back here until an amended review answers them.
        self.disputes = QListWidget()
        self.disputes.setObjectName("referral-disputes")
        self.disputes.setMaximumHeight(90)
        self.disputes.hide()
        self.disputes.itemDoubleClicked.connect(
            lambda item: self.open_requested.emit(self.dispute_entries[
                self.disputes.row(item)].referral.id))
        self.dispute_entries: list = []
        self.status = QLabel()
        self.status.setObjectName("referral-queue-status")
        self.status.setWordWrap(True)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh_requested)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.disputes)
        layout.addLayout(row)
        self.entries: list = []
        self.shown: Callable[[str], str] = str  # a login's name (the user directory's)

    def show_entries(self, entries: list, disputes: list = ()) -> None:
        """``entries``: records.referral_queue.QueueEntry, in queue order; ``disputes``:
        records.referral.ResponseRecord of the open disputes."""
        self.dispute_entries = list(disputes)
        self.disputes.clear()
        for dispute in self.dispute_entries:
            self.disputes.addItem(self.tr("%1 disputes your review: %2")
                                  .replace("%1", self.shown(dispute.reader))
                                  .replace("%2", dispute.comment))
        self.disputes.setVisible(bool(self.dispute_entries))
        self.entries = list(entries)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            ref = entry.referral
            due = entry.due_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for col, text in enumerate((urgency_name(ref.urgency), due, kind_name(ref.kind),
                                        reason_name(ref.reason), ref.centre,
                                        self._addressee(entry))):
                self.table.setItem(row, col, QTableWidgetItem(text))
            if entry.unaddressed:  # said, not hidden: the asking station named no one
                item = self.table.item(row, 5)
                item.setForeground(QColor("#c62828"))
                item.setToolTip(self.tr("The request names no reference centre and no "
                                        "expert: it is shown to every reference centre"))
        self.table.resizeColumnsToContents()
        self.status.setText(self.tr("Open requests: %1").replace("%1", str(len(self.entries))))

    def _addressee(self, entry) -> str:
        if entry.addressee == FOR_EXPERT:
            return self.tr("you")
        if entry.addressee == FOR_CENTRE:
            return entry.referral.addressed_to
        return self.tr("unaddressed")

    def show_error(self, message: str) -> None:
        self.status.setText(self.tr("Queue not refreshed: %1").replace("%1", message))


def _compare_label(field: str) -> str:
    return {"grade": QCoreApplication.translate("Referral", "Grade"),
            "findings": QCoreApplication.translate("Referral", "Findings / conclusion"),
            "score": QCoreApplication.translate("Referral", "Discrepancy score"),
            "category": QCoreApplication.translate("Referral", "Category"),
            "technique": QCoreApplication.translate("Referral", "Technique"),
            "comment": QCoreApplication.translate("Referral", "Comment")}[field]


def _technique_text(technique: dict[str, str]) -> str:
    return ", ".join(f"{terms.referral_term(a)}: "
                     f"{terms.referral_term(r)}" for a, r in technique.items())


class ReviewAnswerDialog(QDialog):
    """The first reader's view of an expert's review of their report: the two reports side
    by side, field by field, the differing fields marked (records.referral_compare), with
    the expert's score and comment; acknowledge, or dispute with a comment."""

    DIFFERS = QColor("#ffd7d7")

    def __init__(self, review, first_fields: dict, first_text: str = "",
                 parent: QWidget | None = None,
                 shown: Callable[[str], str] | None = None) -> None:
        """``review``: a records.referral.ReviewVersionRecord (signed); ``first_fields``
        and ``first_text``: the first report version it reviews; ``shown``: a login's name
        (records.directory.Directory.shown)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review of your report"))
        self.action: str | None = None
        f = review.fields
        first_grade = str(first_fields.get("grade", "") or "")
        self.rows = compare(first_fields, first_text, f)
        grades = QLabel(self.tr("Your grade: %1 · expert's grade: %2")
                        .replace("%1", terms.grade(first_grade))
                        .replace("%2", terms.grade(f.grade)))
        grades.setObjectName("review-grades")
        if first_grade != f.grade:
            grades.setStyleSheet("color: #c62828; font-weight: bold")
        score = QLabel(self.tr("Expert %1: score %2 %3")
                       .replace("%1", (shown or str)(review.expert))
                       .replace("%2", str(f.score))
                       .replace("%3", f"({terms.referral_term(f.category)})"
                                if f.category else ""))
        score.setObjectName("review-score")
        self.table = QTableWidget(len(self.rows), 3)
        self.table.setObjectName("review-compare")
        self.table.setHorizontalHeaderLabels(["", self.tr("Your report"),
                                              self.tr("Expert's review")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, row in enumerate(self.rows):
            expert = row.expert
            if row.field == "grade":
                first, expert = terms.grade(row.first), terms.grade(row.expert)
            else:
                first = row.first
            if row.field == "category":
                expert = terms.referral_term(row.expert)
            elif row.field == "technique":
                expert = _technique_text(f.technique)
            elif row.field == "score" and f.score is not None:
                expert = terms.score_name(f.score)
            name = _compare_label(row.field) + (" ≠" if row.differs else "")
            for c, text in enumerate((name, first, expert)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if row.differs:  # a colour and bold and the sign: not by hue alone
                    item.setBackground(self.DIFFERS)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        self.table.setMinimumWidth(560)
        self.table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read-only: no current cell shown
        self.comment = QLineEdit()
        self.comment.setObjectName("review-answer-comment")
        self.comment.setPlaceholderText(self.tr("Your comment (needed to dispute)"))
        self.acknowledge_button = QPushButton(self.tr("&Acknowledge"))
        self.dispute_button = QPushButton(self.tr("&Dispute"))
        self.acknowledge_button.clicked.connect(lambda: self._answer("acknowledge"))
        self.dispute_button.clicked.connect(lambda: self._answer("dispute"))
        self.note = QLabel()
        self.note.setObjectName("review-answer-note")
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.acknowledge_button)
        row.addWidget(self.dispute_button)
        row.addWidget(self.note, 1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (grades, score, self.table, self.comment):
            layout.addWidget(widget)
        layout.addLayout(row)

    def differing(self) -> list[str]:
        """The fields marked as differing."""
        return differing(self.rows)

    def _answer(self, action: str) -> None:
        if action == "dispute" and not self.comment.text().strip():
            self.note.setText(self.tr("Write what you dispute first"))
            self.comment.setFocus()
            return
        self.action = action
        self.accept()


class AuditSampleDialog(QDialog):
    """The reference centre draws a week's audit sample (records.audit_sample) and asks for
    the audits: the week and the share, the draw shown per centre, then "Request audits".
    With an archive, the pool is every centre's signed report SRs in it, read in the
    background (records.audit_archive); offline, or ticked, this station's own reports."""

    def __init__(self, store, default_week: str, share: float, requester: str,
                 addressed_to: str, parent: QWidget | None = None, archive=None) -> None:
        super().__init__(parent)
        self.store, self.requester, self.addressed_to = store, requester, addressed_to
        self.archive = archive  # a DicomWebClient, or None
        self.drawn: list = []
        self.asked: set[str] = set()  # drawn reports already requested in the archive
        self.requested: list[int] = []
        self._task: Task | None = None
        self.setWindowTitle(self.tr("Audit sample"))
        self.week = QLineEdit(default_week)
        self.week.setObjectName("audit-week")
        self.share = QDoubleSpinBox()
        self.share.setObjectName("audit-share")
        self.share.setRange(0.1, 100.0)
        self.share.setDecimals(1)
        self.share.setSuffix(" %")
        self.share.setValue(share * 100)
        self.from_store = QCheckBox(self.tr("Draw from this station's reports only"))
        self.from_store.setObjectName("audit-from-store")
        self.from_store.setChecked(archive is None)
        self.from_store.setEnabled(archive is not None)
        self.result = QLabel()
        self.result.setObjectName("audit-result")
        self.result.setWordWrap(True)
        self.draw_button = QPushButton(self.tr("&Draw"))
        self.request_button = QPushButton(self.tr("&Request audits"))
        self.request_button.setEnabled(False)
        self.draw_button.clicked.connect(self.draw)
        self.request_button.clicked.connect(self.request)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("ISO &week (YYYY-Www):"), self.week)
        form.addRow(self.tr("&Share of each centre's reports:"), self.share)
        form.addRow("", self.from_store)
        row = QHBoxLayout()
        row.addWidget(self.draw_button)
        row.addWidget(self.request_button)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addLayout(row)

    def draw(self) -> bool:
        """Draw the sample of the week shown (from the archive in the background, the
        result shown when read); False with the reason shown when refused."""
        from records.audit_archive import (  # deferred: Qt-free, small
            already_requested,
            archive_candidates,
        )
        from records.audit_sample import draw, week_bounds  # deferred: Qt-free, small

        week, share = self.week.text().strip(), self.share.value() / 100
        self.request_button.setEnabled(False)
        try:
            start, end = week_bounds(week)
            if self.archive is None or self.from_store.isChecked():
                pool = self.store.audit_candidates(start, end)
                self._show((pool, draw(pool, week, share), set()))
                return True
        except LuchError as err:
            self.result.setText(error_text(err))
            return False
        client = self.archive

        def work(progress, cancel) -> tuple[list, list, set[str]]:
            pool = archive_candidates(client, start, end)
            drawn = draw(pool, week, share)
            return pool, drawn, already_requested(client, drawn)

        self.result.setText(self.tr("Reading the week's signed reports from the archive…"))
        self.draw_button.setEnabled(False)
        task = Task(work, QT_TRANSLATE_NOOP("Task", "audit sample"))
        task.succeeded.connect(self._show)
        task.failed.connect(self._offline)
        self._task = task.start()
        return True

    def _show(self, found: tuple[list, list, set[str]]) -> None:
        pool, self.drawn, self.asked = found
        self._task = None
        self.draw_button.setEnabled(True)
        centres: dict[str, list[int]] = {}
        for c in pool:
            centres.setdefault(c.centre or "—", [0, 0])[0] += 1
        for c in self.drawn:
            centres[c.centre or "—"][1] += 1
        lines = [self.tr("%1 of %2 reports drawn").replace("%1", str(len(self.drawn)))
                 .replace("%2", str(len(pool)))]
        lines += [self.tr("%1: %2 of %3").replace("%1", name).replace("%2", str(n))
                  .replace("%3", str(total)) for name, (total, n) in sorted(centres.items())]
        if self.asked:
            lines.append(self.tr("Already requested: %1").replace("%1", str(len(self.asked))))
        self.result.setText("\n".join(lines))
        self.request_button.setEnabled(len(self.drawn) > len(self.asked))

    def _offline(self, error: str) -> None:
        self._task = None
        self.draw_button.setEnabled(True)
        self.result.setText(self.tr(
            "The archive cannot be reached (%1). The sample is drawn from every centre's "
            "signed reports in the archive, so none was drawn: try again when it is back, "
            "or tick \"Draw from this station's reports only\".").replace("%1", localize(error)))

    def request(self) -> None:
        """An audit request for each report drawn and not yet requested (the same request
        if already asked here)."""
        try:
            self.requested = self.store.request_audits(
                [c for c in self.drawn if c.report_sop_uid not in self.asked],
                requester=self.requester, addressed_to=self.addressed_to)
        except LuchError as err:  # e.g. a report gone from the store since the draw
            self.result.setText(error_text(err))
            return
        self.result.setText(self.result.text() + "\n" + self.tr(
            "Audit requests queued for the archive: %1").replace("%1", str(len(self.requested))))
        self.request_button.setEnabled(False)
        self.accept()
