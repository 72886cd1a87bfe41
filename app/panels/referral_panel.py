"""Second opinions in the window: the request dialog (reading station) and the expert's
queue (reference-centre station). The state lives in records (records.referral_store)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from records.referral import Kind, Reason, Urgency


def kind_name(kind: str) -> str:
    return terms.referral_term(kind)


def reason_name(reason: str) -> str:
    return terms.referral_term(reason)


def urgency_name(urgency: str) -> str:
    return terms.term(urgency)  # stat, urgent, routine: the worklist's words


class ReferralDialog(QDialog):
    """Kind, reason, urgency and a note for a request on the signed report."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        self.note = QLineEdit()
        self.note.setObjectName("referral-note")
        form = QFormLayout()
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Reason:"), self.reason)
        form.addRow(self.tr("&Urgency:"), self.urgency)
        form.addRow(self.tr("&Note:"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return {"kind": self.kind.currentData(), "reason": self.reason.currentData(),
                "urgency": self.urgency.currentData(), "note": self.note.text().strip()}


class ReferralQueuePanel(QWidget):
    """The open requests addressed to this reference centre, most urgent first."""

    refresh_requested = Signal()
    open_requested = Signal(int)  # a request's id (double-click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("referral-queue")
        self.table.setHorizontalHeaderLabels([
            self.tr("Urgency"), self.tr("Due"), self.tr("Kind"), self.tr("Reason"),
            self.tr("Centre")])
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

    def show_entries(self, entries: list, disputes: list = ()) -> None:
        """``entries``: records.referral_queue.QueueEntry, in queue order; ``disputes``:
        records.referral.ResponseRecord of the open disputes."""
        self.dispute_entries = list(disputes)
        self.disputes.clear()
        for dispute in self.dispute_entries:
            self.disputes.addItem(self.tr("%1 disputes your review: %2")
                                  .replace("%1", dispute.reader)
                                  .replace("%2", dispute.comment))
        self.disputes.setVisible(bool(self.dispute_entries))
        self.entries = list(entries)
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            ref = entry.referral
            due = entry.due_at.astimezone().strftime("%Y-%m-%d %H:%M")
            for col, text in enumerate((urgency_name(ref.urgency), due, kind_name(ref.kind),
                                        reason_name(ref.reason), ref.centre)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.status.setText(self.tr("Open requests: %1").replace("%1", str(len(self.entries))))

    def show_error(self, message: str) -> None:
        self.status.setText(self.tr("Queue not refreshed: %1").replace("%1", message))


class ReviewAnswerDialog(QDialog):
    """The first reader's view of an expert's review of their report: the two grades side by
    side (a difference marked), the score and comment; acknowledge, or dispute with a
    comment."""

    def __init__(self, review, first_grade: str, parent: QWidget | None = None) -> None:
        """``review``: a records.referral.ReviewVersionRecord (signed)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review of your report"))
        self.action: str | None = None
        f = review.fields
        differs = first_grade != f.grade
        grades = QLabel(self.tr("Your grade: %1 · expert's grade: %2")
                        .replace("%1", terms.grade(first_grade))
                        .replace("%2", terms.grade(f.grade)))
        grades.setObjectName("review-grades")
        if differs:
            grades.setStyleSheet("color: #c62828; font-weight: bold")
        score = QLabel(self.tr("Expert %1: score %2 %3")
                       .replace("%1", review.expert).replace("%2", str(f.score))
                       .replace("%3", f"({terms.referral_term(f.category)})"
                                if f.category else ""))
        score.setObjectName("review-score")
        details = QLabel("\n".join(t for t in (f.findings, f.comment) if t))
        details.setWordWrap(True)
        self.comment = QLineEdit()
        self.comment.setObjectName("review-answer-comment")
        self.comment.setPlaceholderText(self.tr("Your comment (needed to dispute)"))
        acknowledge = QPushButton(self.tr("&Acknowledge"))
        dispute = QPushButton(self.tr("&Dispute"))
        acknowledge.clicked.connect(lambda: self._answer("acknowledge"))
        dispute.clicked.connect(lambda: self._answer("dispute"))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(acknowledge)
        row.addWidget(dispute)
        row.addStretch(1)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        for widget in (grades, score, details, self.comment):
            layout.addWidget(widget)
        layout.addLayout(row)

    def _answer(self, action: str) -> None:
        self.action = action
        self.accept()
