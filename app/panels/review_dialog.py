"""The expert's review of one request: own read first (grade, findings), saved, and only
then the first reader's report beside it; then the RADPEER score with its category, the
technique for an audit, a comment, and signing. Blind first is the store's rule
(records.referral.BlindCase); this dialog only shows what it is given."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from app.shell.error_text import error_text
from core.errors import LuchError
from records import Store
from records.referral import (
    TECHNIQUE_ASPECTS,
    TECHNIQUE_RATINGS,
    Category,
    Kind,
    ReviewFields,
)

GRADES = ("CT-0", "CT-1", "CT-2", "CT-3", "CT-4")


def _category_name(category: str) -> str:
    return terms.referral_term(category)


def _rating_name(rating: str) -> str:
    return terms.referral_term(rating)


def _aspect_label(aspect: str) -> str:
    return {"protocol": QCoreApplication.translate("Referral", "Technique: &protocol:"),
            "coverage": QCoreApplication.translate("Referral", "Technique: co&verage:"),
            "artefacts": QCoreApplication.translate("Referral", "Technique: &artefacts:")
            }[aspect]


class ReviewDialog(QDialog):
    """One expert's review of one request; ``signed`` when a version was signed."""

    signed = Signal(int)
    read_saved = Signal()  # the expert's own read is saved: the first report may be shown

    def __init__(self, store: Store, referral_id: int, expert: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.referral_id, self.expert = store, referral_id, expert
        self.case = store.open_case(referral_id, expert)  # audited
        self.setWindowTitle(self.tr("Review"))
        self.grade = QComboBox()
        self.grade.addItem("—", "")
        for grade in GRADES:
            self.grade.addItem(terms.grade(grade), grade)
        self.findings = QPlainTextEdit()
        self.score = QComboBox()
        self.score.addItem("—", None)
        for score in (1, 2, 3, 4):
            self.score.addItem(terms.score_name(score), score)
        self.category = QComboBox()
        self.category.addItem("—", "")
        for category in Category:
            self.category.addItem(_category_name(category.value), category.value)
        self.technique: dict[str, QComboBox] = {}
        self.comment = QPlainTextEdit()
        for editor in (self.findings, self.comment):  # the workflow hands them dictation
            editor.setToolTip(self.tr("Type, or dictate (F9) as into a report"))
        self.first = QLabel()
        self.first.setObjectName("review-first-report")
        self.first.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("review-status")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Your &grade:"), self.grade)
        form.addRow(self.tr("Your &findings:"), self.findings)
        form.addRow(self.tr("Discrepancy &score:"), self.score)
        form.addRow(self.tr("&Category:"), self.category)
        if self.case.kind == Kind.AUDIT:
            for aspect in TECHNIQUE_ASPECTS:
                combo = QComboBox()
                combo.addItem("—", "")
                for rating in TECHNIQUE_RATINGS:
                    combo.addItem(_rating_name(rating), rating)
                self.technique[aspect] = combo
                form.addRow(_aspect_label(aspect), combo)
        form.addRow(self.tr("C&omment:"), self.comment)
        self.save_button = QPushButton(self.tr("&Save my read"))
        self.sign_button = QPushButton(self.tr("Sig&n review"))
        self.save_button.clicked.connect(lambda: self.save(sign=False))
        self.sign_button.clicked.connect(lambda: self.save(sign=True))
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.save_button, self.sign_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.first)
        layout.addLayout(buttons)
        if self.case.own_read is not None:
            self._show(self.case.own_read)
        self._show_first()

    def _show(self, fields: ReviewFields) -> None:
        self.grade.setCurrentIndex(max(0, self.grade.findData(fields.grade)))
        self.findings.setPlainText(fields.findings)
        self.score.setCurrentIndex(max(0, self.score.findData(fields.score)))
        self.category.setCurrentIndex(max(0, self.category.findData(fields.category)))
        for aspect, combo in self.technique.items():
            combo.setCurrentIndex(max(0, combo.findData(fields.technique.get(aspect, ""))))
        self.comment.setPlainText(fields.comment)

    def _show_first(self) -> None:
        """The first report once the own read is saved; a note until then."""
        if not self.case.own_read_saved:
            self.first.setText(self.tr("The first reader's report is shown after you save "
                                       "your own read."))
            return
        first = self.case.first_report()
        self.first.setText(self.tr("First reader %1: grade %2. %3")
                           .replace("%1", self.case.first_reader)
                           .replace("%2", terms.grade(first.get("grade")))
                           .replace("%3", first.get("conclusion") or first.get("text", "")))

    def fields(self) -> ReviewFields:
        technique = {a: c.currentData() for a, c in self.technique.items() if c.currentData()}
        return ReviewFields(self.grade.currentData() or "", self.findings.toPlainText(),
                            self.score.currentData(), self.category.currentData() or "",
                            technique, self.comment.toPlainText())

    def save(self, sign: bool) -> bool:
        """Save the read (a draft) or sign it; False with the reason shown when refused."""
        try:
            version = self.store.save_review(self.referral_id, expert=self.expert,
                                             fields=self.fields(), sign=sign)
        except LuchError as err:
            self.status.setText(error_text(err))
            return False
        self.case = self.store.open_case(self.referral_id, self.expert, audit=False)
        self._show_first()
        self.read_saved.emit()
        if sign:
            self.status.setText(self.tr("Review signed; it goes to the archive"))
            self.save_button.setEnabled(False)
            self.sign_button.setEnabled(False)
            self.signed.emit(version.id)
        else:
            self.status.setText(self.tr("Your read is saved"))
        return True
