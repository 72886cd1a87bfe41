"""Before signing: the report as it will be stored, the checks' problems, and a confirmation;
and the reason asked for an addendum to a signed report."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from core.errors import LuchError
from records.protocol import Protocol
from records.report_checks import Problem

MESSAGES = {
    "empty-conclusion": QT_TRANSLATE_NOOP("SignPreview", "The conclusion is empty."),
    "normal-with-side": QT_TRANSLATE_NOOP(
        "SignPreview", "%1 (normal), yet the distribution is “%2”."),
    "normal-with-percent": QT_TRANSLATE_NOOP(
        "SignPreview", "%1 (normal), yet the involvement is %3%."),
    "normal-with-signs": QT_TRANSLATE_NOOP(
        "SignPreview", "%1 (normal), yet main signs of pneumonia are ticked."),
    "normal-with-probability": QT_TRANSLATE_NOOP(
        "SignPreview", "%1 (normal), yet the COVID-19 probability is “%7”."),
    "grade-without-involvement": QT_TRANSLATE_NOOP(
        "SignPreview", "%1, yet the involvement of both lungs is 0%."),
    "grade-vs-percent": QT_TRANSLATE_NOOP(
        "SignPreview", "%1 does not fit the involvement (%3% in the worse lung)."),
    "side-vs-percent": QT_TRANSLATE_NOOP(
        "SignPreview", "The distribution is “%2”, yet the percentages of the two lungs say "
        "otherwise."),
    "text-side-normal": QT_TRANSLATE_NOOP(
        "SignPreview", "The text says “%2” next to %1 (normal)."),
    "text-side": QT_TRANSLATE_NOOP(
        "SignPreview", "The text says “%2”, the distribution field says otherwise."),
    "text-grade": QT_TRANSLATE_NOOP("SignPreview", "The text names %4, the grade field is %1."),
    "ai-focus-not-mentioned": QT_TRANSLATE_NOOP(
        "SignPreview", "The AI flagged a solid focus (%5, slices %6) that the report does not "
        "mention."),
}


def problem_text(problem: Problem, protocol: Protocol, lang: str) -> str:
    """A check's problem as a sentence in the interface language ``lang``."""
    d = problem.details
    code = problem.code
    if code == "text-side" and d.get("grade") == "CT-0":
        code = "text-side-normal"
    template = MESSAGES.get(code)
    if template is None:
        return problem.code
    side = _option(protocol, "distribution_side", d.get("side", ""), lang)
    probability = _option(protocol, "covid_probability", d.get("probability", ""), lang)
    text = QCoreApplication.translate("SignPreview", template)
    for mark, value in (("%1", terms.grade(d.get("grade"))), ("%2", side),
                        ("%3", _percent(d.get("percent", ""))), ("%4", terms.grade(d.get("said"))),
                        ("%5", terms.lung(d.get("side", ""))), ("%6", d.get("slices", "?")),
                        ("%7", probability)):
        text = text.replace(mark, value)
    return text


def _option(protocol: Protocol, key: str, value: str, lang: str) -> str:
    """The label of option ``value`` of field ``key`` in ``lang`` (the value if unknown)."""
    try:
        names = protocol.field(key).options.get(value) or {}
    except LuchError:
        names = {}
    return names.get(lang) or names.get("en") or value


def _percent(value: str) -> str:
    text = terms.number(value, 1) if value else ""
    return text[:-2] if text.endswith((".0", ",0")) else text


class SignPreview(QDialog):
    """The text to be signed and the problems found; ``exec()`` is Accepted to sign."""

    def __init__(self, text: str, problems: list[str], addendum_reason: str | None = None,
                 parent: QWidget | None = None, sign_keys: list[str] = (),
                 patient: str = "", hold: str = "") -> None:
        super().__init__(parent)
        # Why the key that opened the preview and a spoken "sign" may not sign (a value said
        # by voice still to be checked); empty: they sign. The Sign button still does.
        self.hold = hold
        self.setObjectName("sign-preview")
        self.setWindowTitle(self.tr("Sign the addendum") if addendum_reason
                            else self.tr("Sign the report"))
        self.resize(640, 560)
        self.text = QTextBrowser()
        self.text.setObjectName("sign-text")
        self.text.setPlainText(text)
        layout = QVBoxLayout(self)
        self.patient = QLabel(patient)  # whose report this is, read before signing
        self.patient.setObjectName("sign-patient")
        self.patient.setStyleSheet("font-weight: bold")
        self.patient.setVisible(bool(patient))
        layout.addWidget(self.patient)
        if addendum_reason:
            layout.addWidget(QLabel(self.tr("Addendum; reason: %s") % addendum_reason))
        layout.addWidget(self.text, 1)
        self.problems = QLabel()
        self.problems.setObjectName("sign-problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #a33a00")
        if problems:
            self.problems.setText(self.tr("Check before signing:") + "\n"
                                  + "\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        layout.addWidget(self.problems)
        self.held = QLabel()  # said when a sign key or "sign" is refused (:attr:`hold`)
        self.held.setObjectName("sign-held")
        self.held.setWordWrap(True)
        self.held.setStyleSheet("color: #b00020; font-weight: bold")
        self.held.hide()
        layout.addWidget(self.held)
        self.back_button = QPushButton(self.tr("&Back to the report"))
        self.sign_button = QPushButton(self.tr("&Sign anyway") if problems else self.tr("&Sign"))
        self.sign_button.setObjectName("sign-confirm")
        self.back_button.clicked.connect(self.reject)
        self.sign_button.clicked.connect(self.accept)
        # With problems, Enter goes back to the report; signing needs the Sign button (Alt+S).
        default = self.back_button if problems else self.sign_button
        default.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.sign_button)
        layout.addLayout(buttons)
        default.setFocus()
        # The key that opened the preview signs in it (as "sign" said does).
        self._sign_keys = [QKeySequence(k) for k in sign_keys if k]

    def keyPressEvent(self, event) -> None:
        pressed = QKeySequence(event.keyCombination())
        if any(pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch
               for k in self._sign_keys):
            self.try_sign()
            return
        super().keyPressEvent(event)

    def try_sign(self) -> bool:
        """Sign as a key or the voice asks (not the Sign button): refused, and said in the
        dialog, while :attr:`hold` says why. True if it signed."""
        if self.hold:
            self.held.setText(self.hold)
            self.held.show()
            return False
        self.accept()
        return True


class AddendumDialog(QDialog):
    """Asks why a signed report is being changed; ``reason()`` once Accepted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addendum-reason")
        self.setWindowTitle(self.tr("Addendum to a signed report"))
        self.edit = QLineEdit()  # one line: Enter starts the addendum
        self.edit.setObjectName("addendum-reason-text")
        self.edit.setMinimumWidth(420)
        self.edit.setPlaceholderText(self.tr("Why is the signed report being changed?"))
        self.ok_button = QPushButton(self.tr("&Start the addendum"))
        self.ok_button.setObjectName("addendum-start")
        self.ok_button.setEnabled(False)
        self.ok_button.setDefault(True)
        cancel = QPushButton(self.tr("&Cancel"))
        self.edit.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.reason())))
        self.ok_button.clicked.connect(self.accept)
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The signed version stays as it is; the change is "
                                        "signed as a new version with this reason.")))
        layout.addWidget(self.edit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok_button)
        layout.addLayout(buttons)
        self.edit.setFocus()

    def reason(self) -> str:
        return self.edit.text().strip()


def discard_addendum(parent: QWidget) -> bool:
    """Asks whether the text written in an addendum may be discarded; True to discard."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("AddendumDialog", "Cancel the addendum"),
        QCoreApplication.translate("AddendumDialog", "Discard the text written in this "
                                   "addendum? The signed report stays as it is."),
        parent=parent)
    box.setObjectName("discard-addendum")
    discard = box.addButton(QCoreApplication.translate("AddendumDialog", "&Discard the addendum"),
                            QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(QCoreApplication.translate("AddendumDialog", "&Keep writing"),
                         QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
