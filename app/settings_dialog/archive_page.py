"""The Archive tab: DICOMweb address, user, password (to the OS keyring), CA bundle, test;
the transfer syntaxes to ask for and the parallel requests (a home reader's thin link)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring
from keyring.errors import KeyringError
from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)

from app.settings_dialog.base import (
    ARCHIVE_CA_KEY,
    ARCHIVE_URL_KEY,
    ARCHIVE_USER_KEY,
    InvalidSetting,
    Page,
    _folder_row,
    _hint,
)
from app.settings_dialog.transfer_list import TransferList
from app.shell.error_text import error_text
from app.shell.tasks import Task
from archive.cache_policy import MAX_AGE_DAYS_KEY, MAX_GB_KEY, WIPE_ON_EXIT_KEY, limit_setting
from archive.credentials import KEYRING_SERVICE, ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveConfigError
from archive.transfer_syntax import (
    DEFAULT_ORDER,
    DEFAULT_PARALLEL,
    LOSSLESS,
    MAX_PARALLEL,
    PARALLEL_KEY,
    TRANSFER_SYNTAXES_KEY,
)
from core import vault
from core.settings import Settings


class ArchivePage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.initial = {ARCHIVE_URL_KEY: settings.get(ARCHIVE_URL_KEY, "") or "",
                        ARCHIVE_USER_KEY: settings.get(ARCHIVE_USER_KEY, "") or "",
                        ARCHIVE_CA_KEY: settings.get(ARCHIVE_CA_KEY, "") or ""}
        chosen = settings.get(TRANSFER_SYNTAXES_KEY)
        chosen = list(DEFAULT_ORDER) if not isinstance(chosen, list) else chosen
        parallel = settings.get(PARALLEL_KEY, DEFAULT_PARALLEL)
        self.initial[TRANSFER_SYNTAXES_KEY] = [n for n in chosen if n in LOSSLESS]
        self.initial[PARALLEL_KEY] = parallel if isinstance(parallel, int) \
            and 1 <= parallel <= MAX_PARALLEL else DEFAULT_PARALLEL
        self.transfer = TransferList(self.initial[TRANSFER_SYNTAXES_KEY])
        self.parallel = QSpinBox()
        self.parallel.setRange(1, MAX_PARALLEL)
        self.parallel.setValue(self.initial[PARALLEL_KEY])
        self._cache_fields(settings)
        self.url = QLineEdit(self.initial[ARCHIVE_URL_KEY])
        self.url.setPlaceholderText("https://pacs.example.org/dicom-web")
        self.user = QLineEdit(self.initial[ARCHIVE_USER_KEY])
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if self.initial[ARCHIVE_USER_KEY] and self._stored_password(
                self.initial[ARCHIVE_URL_KEY], self.initial[ARCHIVE_USER_KEY]):
            self.password.setPlaceholderText(self.tr("stored in the OS keyring; type to replace"))
        self.ca_bundle = QLineEdit(self.initial[ARCHIVE_CA_KEY])
        self.ca_bundle.setPlaceholderText(self.tr("system certificates"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._choose_ca_bundle)
        self.test_button = QPushButton(self.tr("&Test connection"))
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setObjectName("archive-test-result")
        self.test_result.setWordWrap(True)
        self._test_task = None

        form = QFormLayout(self)
        form.addRow(self.tr("DICOMweb &address:"), self.url)
        form.addRow(self.tr("&User:"), self.user)
        form.addRow(self.tr("&Password:"), self.password)
        ca_row = _folder_row(self.ca_bundle, browse)
        form.addRow(self.tr("&CA bundle (optional):"), ca_row)
        form.addRow(_hint(self.tr("The password is kept in the operating system's keyring, "
                                  "never in the settings file.")))
        form.addRow(self.test_button, self.test_result)
        form.addRow(self.tr("Compr&essed transfer:"), self.transfer)
        form.addRow(_hint(self.tr("Lossless only: the images are the same, the bytes fewer. "
                                  "The archive is asked for the checked kinds from the top; "
                                  "what it cannot send is skipped, and with none left it "
                                  "sends the images as it stores them.")))
        form.addRow(self.tr("Parallel &requests:"), self.parallel)
        form.addRow(self.tr("Image cache si&ze:"), self.cache_gb)
        form.addRow(self.tr("Keep cached studies &unused for:"), self.cache_days)
        form.addRow(self.cache_wipe)
        form.addRow(_hint(self.tr("Studies fetched from the archive are kept on this computer "
                                  "for the next opening; over the limits, the least recently "
                                  "used go first. An open study, one with unsent work, the "
                                  "database, drafts and dictations are never deleted.")))
        form.addRow(self.encrypt)
        form.addRow(_hint(self.tr("The database, cached images, drafts and dictation audio "
                                  "are encrypted (AES-256); the key is kept in the operating "
                                  "system's keyring. New data is encrypted at once, data "
                                  "already here at the next start.")))
        self.apply_policy(form, {ARCHIVE_URL_KEY: self.url, ARCHIVE_USER_KEY: self.user,
                                 ARCHIVE_CA_KEY: ca_row, MAX_GB_KEY: self.cache_gb,
                                 MAX_AGE_DAYS_KEY: self.cache_days,
                                 WIPE_ON_EXIT_KEY: self.cache_wipe,
                                 vault.SETTING: self.encrypt})

    def _cache_fields(self, settings: Settings) -> None:
        """The image cache's size and age limits (0 = none) and the wipe at quit."""
        self.initial[MAX_GB_KEY] = limit_setting(settings, MAX_GB_KEY)
        self.initial[MAX_AGE_DAYS_KEY] = int(limit_setting(settings, MAX_AGE_DAYS_KEY))
        self.initial[WIPE_ON_EXIT_KEY] = settings.get(WIPE_ON_EXIT_KEY, False) is True
        self.cache_gb = QDoubleSpinBox()
        self.cache_gb.setRange(0, 10_000)
        self.cache_gb.setDecimals(1)
        self.cache_gb.setSuffix(self.tr(" GB"))
        self.cache_gb.setSpecialValueText(self.tr("no limit"))
        self.cache_gb.setValue(self.initial[MAX_GB_KEY])
        self.cache_days = QSpinBox()
        self.cache_days.setRange(0, 3650)
        self.cache_days.setSuffix(self.tr(" days"))
        self.cache_days.setSpecialValueText(self.tr("no limit"))
        self.cache_days.setValue(self.initial[MAX_AGE_DAYS_KEY])
        self.cache_wipe = QCheckBox(self.tr("&Delete the cached images when Luch quits "
                                            "(a home computer)"))
        self.cache_wipe.setChecked(self.initial[WIPE_ON_EXIT_KEY])
        self.initial[vault.SETTING] = vault.encryption_enabled(settings)
        self.encrypt = QCheckBox(self.tr("&Encrypt patient data on this computer"))
        self.encrypt.setChecked(self.initial[vault.SETTING])

    def title(self) -> str:
        return self.tr("Archive")

    def values(self) -> dict[str, Any]:
        url = self.url.text().strip().rstrip("/")
        user = self.user.text().strip()
        ca = self.ca_bundle.text().strip()
        if url:
            self._config(url, user, "", ca)  # validates address and CA bundle
        elif user or self.password.text():
            raise InvalidSetting(self.tr("Enter the archive address, or clear the user and "
                                         "password."), self.url)
        if self.password.text() and not user:
            raise InvalidSetting(self.tr("Enter the archive user the password belongs to."),
                                 self.user)
        changed = (url, user) != (self.initial[ARCHIVE_URL_KEY], self.initial[ARCHIVE_USER_KEY])
        if url and user and changed and not self.password.text() \
                and not self._stored_password(url, user):
            raise InvalidSetting(self.tr("Enter the password for this user and address: none "
                                         "is stored in the OS keyring."), self.password)
        return {ARCHIVE_URL_KEY: url, ARCHIVE_USER_KEY: user, ARCHIVE_CA_KEY: ca,
                TRANSFER_SYNTAXES_KEY: self.transfer.names(), PARALLEL_KEY: self.parallel.value(),
                MAX_GB_KEY: self.cache_gb.value(), MAX_AGE_DAYS_KEY: self.cache_days.value(),
                WIPE_ON_EXIT_KEY: self.cache_wipe.isChecked(),
                vault.SETTING: self.encrypt.isChecked()}

    def new_password(self) -> tuple[str, str, str] | None:
        """``(url, user, password)`` to put in the keyring, if one was typed."""
        if not self.password.text():
            return None
        return self.url.text().strip().rstrip("/"), self.user.text().strip(), self.password.text()

    def _config(self, url: str, user: str, password: str, ca: str):
        if ca and not Path(ca).is_file():
            raise InvalidSetting(self.tr("The CA bundle file does not exist."), self.ca_bundle)
        try:
            return ArchiveConfig(url=url, user=user, password=password, verify=ca or True)
        except ArchiveConfigError as err:
            raise InvalidSetting(error_text(err), self.url) from err

    @staticmethod
    def _stored_password(url: str, user: str) -> str | None:
        try:
            return keyring.get_password(KEYRING_SERVICE, f"{user}@{url.rstrip('/')}")
        except KeyringError:
            return None

    def _choose_ca_bundle(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("CA bundle"), "", self.tr("Certificates (*.pem *.crt *.cer);;All (*)"))
        if path:
            self.ca_bundle.setText(path)

    def test_connection(self):
        """Ask the archive for one study with the entered values, off the UI thread."""
        url = self.url.text().strip().rstrip("/")
        user = self.user.text().strip()
        try:
            if not url:
                raise InvalidSetting(self.tr("Enter the archive address first."), self.url)
            password = self.password.text() or (self._stored_password(url, user) if user else "")
            config = self._config(url, user, password or "", self.ca_bundle.text().strip())
        except InvalidSetting as err:
            self.test_result.setText(str(err))
            return None

        def work(progress, cancel) -> int:
            return len(DicomWebClient(config).search_studies({"limit": "1"}))

        self.test_button.setEnabled(False)
        self.test_result.setText(self.tr("Connecting…"))
        task = Task(work, QT_TRANSLATE_NOOP("Task", "archive connection test"))
        task.succeeded.connect(lambda _n: self._tested(self.tr("Connected: the archive answered.")))
        task.failed.connect(lambda message: self._tested(self.tr("Failed: %1")
                                                         .replace("%1", message)))
        self._test_task = task
        return task.start()

    def _tested(self, message: str) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(message)
        self._test_task = None


