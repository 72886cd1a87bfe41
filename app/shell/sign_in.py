"""The sign-in dialog: a login of the user directory and its PIN (``records.sign_in``).

Shown at start and after *File > Sign out* when the setting ``app.sign_in`` is on. The login
is picked from the directory's logins or typed (compared without case); the PIN is checked
against its salted hash in the OS keyring, wrong ones throttled as at the idle lock. Every
attempt is audited through ``audit(actor, action, detail)``; the PIN never leaves the dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core import unlock_pin
from records import sign_in
from records.directory import Directory

Audit = Callable[[str, str, dict[str, Any]], None]


class SignInDialog(QDialog):
    """Asks who reads; :attr:`login` is the directory's login once accepted."""

    def __init__(self, directory: Directory, audit: Audit, parent: QWidget | None = None,
                 load_hash: Callable[[str], str | None] = unlock_pin.load_pin_hash) -> None:
        super().__init__(parent)
        self.setObjectName("sign-in")
        self.setWindowTitle(self.tr("Sign in to Luch"))
        self.directory, self._audit, self._load_hash = directory, audit, load_hash
        self.throttle = unlock_pin.Throttle()
        self.login = ""
        self.user = QComboBox()
        self.user.setObjectName("sign-in-login")
        self.user.setEditable(True)
        self.user.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        people = sorted(directory.people.values(), key=lambda p: p.login.casefold())
        for person in people:
            self.user.addItem(person.login, person.login)
        self.user.setCurrentIndex(-1)
        self.user.setEditText("")
        self.who = QLabel()  # the name and centre of the login typed or picked
        self.user.currentTextChanged.connect(self._show_who)
        self.pin = QLineEdit()
        self.pin.setObjectName("sign-in-pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("sign-in-message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(self.tr("&Sign in"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)
        buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("&Login:"), self.user)
        form.addRow("", self.who)
        form.addRow(self.tr("&PIN:"), self.pin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if not people:
            self.sign_in_button.setEnabled(False)
            self.message.setText(self.tr(
                "The user directory is empty, so no one can sign in: IT fills it in (the "
                "setting referral.directory) or turns sign-in off (app.sign_in)."))
        self.user.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_who(self, text: str) -> None:
        person = self.directory.person(text.strip())
        self.who.setText("" if person is None else ", ".join(
            p for p in (person.shown, person.centre) if p))

    def accept(self) -> None:
        """Check the login and PIN; sign in, or say why not (audited either way)."""
        wait = self.throttle.wait_s()
        if wait > 0:
            self.message.setText(self.tr("Too many wrong PINs: try again in %1 s.")
                                 .replace("%1", str(int(wait + 0.999))))
            self.pin.clear()
            return
        attempt = sign_in.check(self.directory, self.user.currentText(), self.pin.text(),
                                self._load_hash)
        self.pin.clear()
        if not attempt.ok:
            self._audit(attempt.login, sign_in.SIGN_IN_REFUSED, attempt.audit_detail())
            if attempt.refused in (sign_in.WRONG_PIN, sign_in.UNKNOWN):
                self.throttle.failed()
            self.message.setText(self._refusal(attempt))
            self.pin.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.throttle.succeeded()
        self._audit(attempt.login, sign_in.SIGNED_IN, attempt.audit_detail())
        self.login = attempt.login
        super().accept()

    def _refusal(self, attempt: sign_in.Attempt) -> str:
        if attempt.refused == sign_in.NO_PIN:
            return self.tr("No PIN is set for %1: IT sets a first one with "
                           "'luch pin %1' on this station.").replace("%1", attempt.login)
        if attempt.refused == sign_in.KEYRING:
            return self.tr("The OS keyring cannot be read, so the PIN cannot be checked.")
        return self.tr("Wrong login or PIN.")


def ask_who_reads(directory: Directory, audit: Audit, parent: QWidget | None = None) -> str | None:
    """The signed-in login, or None when the reader quits the dialog."""
    dialog = SignInDialog(directory, audit, parent)
    return dialog.login if dialog.exec() == QDialog.DialogCode.Accepted else None


def sign_out_text() -> str:
    return QCoreApplication.translate("SignInDialog", "Sign &out")
