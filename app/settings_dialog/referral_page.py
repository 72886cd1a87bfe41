"""The Second opinions tab: the station's role (reading station or reference centre), the
names that address requests (this centre, the reference centre asked) and the user
directory (records.directory: who is an expert, of which centre)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.reading.referrals import (
    AUDIT_SHARE,
    CENTRE,
    EXPERTS,
    READER_ROLE,
    REFERENCE_CENTRE,
    REFERENCE_ROLE,
    ROLE,
)
from app.settings_dialog.base import InvalidSetting, Page, _combo, _hint
from core.settings import Settings
from records.directory import DIRECTORY, SERVES, Directory, Person, parse_serves, to_setting
from records.sign_in import SETTING as SIGN_IN

LOGIN, NAME, PLACE, EXPERT = range(4)  # the directory table's columns


class DirectoryTable(QWidget):
    """The user directory as a table: login, name, centre, expert (a check box); rows are
    added and removed with the buttons under it."""

    def __init__(self, people: list[Person]) -> None:
        super().__init__()
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("referral-directory")
        self.table.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Name"),
                                              self.tr("Centre"), self.tr("Expert")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        for person in people:
            self.add(person)
        add, remove = QPushButton(self.tr("Add a person")), QPushButton(self.tr("Remove"))
        add.setObjectName("referral-directory-add")
        remove.setObjectName("referral-directory-remove")
        add.clicked.connect(lambda: self.add(Person("")))
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def add(self, person: Person) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in ((LOGIN, person.login), (NAME, person.name), (PLACE, person.centre)):
            self.table.setItem(row, col, QTableWidgetItem(text))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                       | Qt.ItemFlag.ItemIsSelectable)
        check.setCheckState(Qt.CheckState.Checked if person.expert else Qt.CheckState.Unchecked)
        self.table.setItem(row, EXPERT, check)
        return row

    def people(self) -> list[Person]:
        """The rows with a login; a login twice is refused."""
        found: dict[str, Person] = {}
        for row in range(self.table.rowCount()):
            text = [(self.table.item(row, c).text() if self.table.item(row, c) else "").strip()
                    for c in (LOGIN, NAME, PLACE)]
            if not text[0]:
                continue
            if text[0].casefold() in found:
                raise InvalidSetting(self.tr("The login %1 is in the directory twice")
                                     .replace("%1", text[0]), self.table)
            found[text[0].casefold()] = Person(
                text[0], text[1], text[2],
                self.table.item(row, EXPERT).checkState() == Qt.CheckState.Checked)
        return list(found.values())


def serves_text(serves: dict[str, list[str]]) -> str:
    """``referral.serves`` as one line: "RC: Clinic 1, Clinic 2; RC 2: Clinic 3"."""
    return "; ".join(f"{reference}: {', '.join(centres)}"
                     for reference, centres in serves.items())


def parse_serves_text(text: str) -> dict[str, list[str]]:
    """The line :func:`serves_text` writes, back; ValueError naming a part without a
    reference centre and its centres."""
    found: dict[str, list[str]] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        reference, colon, centres = part.partition(":")
        names = [c.strip() for c in centres.split(",") if c.strip()]
        if not colon or not reference.strip() or not names:
            raise ValueError(part)
        found.setdefault(reference.strip(), []).extend(names)
    return found


class ReferralPage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        # The older expert list (logins only) shows in the directory as experts with no
        # centre; saving writes them into the directory and empties the list.
        people = list(Directory.from_settings(settings).people.values())
        self.initial = {ROLE: settings.get(ROLE) or READER_ROLE,
                        CENTRE: str(settings.get(CENTRE) or ""),
                        REFERENCE_CENTRE: str(settings.get(REFERENCE_CENTRE) or ""),
                        AUDIT_SHARE: round(float(settings.get(AUDIT_SHARE) or 0.05), 4),
                        DIRECTORY: to_setting(people),
                        SERVES: parse_serves(settings.get(SERVES) or {}),
                        EXPERTS: list(settings.get(EXPERTS) or []),
                        SIGN_IN: bool(settings.get(SIGN_IN, False))}
        self.sign_in = QCheckBox(self.tr("Ask who reads: a login of the directory and its PIN"))
        self.sign_in.setObjectName("sign-in-required")
        self.sign_in.setChecked(self.initial[SIGN_IN])
        self.sign_in.setToolTip(self.tr(
            "At start and after File > Sign out, the reader signs in with a login of the "
            "directory and the PIN of Settings > General (IT sets a first one with 'luch pin "
            "LOGIN'); the signed-in user is the reader of the reports and the audit log, and "
            "an expert gets the reference centre's menus. Applies the next time Luch starts."))
        self.role = _combo([(READER_ROLE, self.tr("Reading station")),
                            (REFERENCE_ROLE, self.tr("Reference centre (expert queue)"))],
                           self.initial[ROLE])
        self.role.setObjectName("referral-role")
        self.directory = DirectoryTable(people)
        self.directory.setToolTip(self.tr(
            "Who reads where: the login Luch reads as the user's name, the name shown, the "
            "centre, and whether the person is an expert of that reference centre (an expert "
            "gets the reference centre's queue and menus on any station)"))
        self.centre = QLineEdit(self.initial[CENTRE])
        self.reference_centre = QLineEdit(self.initial[REFERENCE_CENTRE])
        self.serves = QLineEdit(serves_text(self.initial[SERVES]))
        self.serves.setObjectName("referral-serves")
        self.serves.setPlaceholderText(self.tr("RC: Clinic 1, Clinic 2; RC 2: Clinic 3"))
        self.serves.setToolTip(self.tr(
            "A request addressed to no one goes only to the experts of the reference centres "
            "named here for the requesting centre; from a centre named for none, to every "
            "expert"))
        self.audit_share = QDoubleSpinBox()  # in per cent; stored as a share
        self.audit_share.setObjectName("referral-audit-share")
        self.audit_share.setRange(0.1, 100.0)
        self.audit_share.setDecimals(1)
        self.audit_share.setSuffix(" %")
        self.audit_share.setValue(self.initial[AUDIT_SHARE] * 100)
        form = QFormLayout(self)
        form.addRow(self.tr("Station &role:"), self.role)
        form.addRow(self.tr("This &centre:"), self.centre)
        form.addRow(self.tr("Reference centre &asked:"), self.reference_centre)
        form.addRow(self.tr("Audit &share per centre and week:"), self.audit_share)
        form.addRow(self.tr("Centres each reference centre &serves:"), self.serves)
        form.addRow(self.tr("&Directory (who is an expert, of which centre):"), self.directory)
        form.addRow(self.tr("Sign-&in:"), self.sign_in)
        form.addRow(_hint(self.tr(
            "Requests for a second opinion or an audit go through the archive, addressed to "
            "a reference centre and, if chosen, one of its experts; an expert's queue lists "
            "the requests addressed to their centre or to them, and those addressed to no one "
            "(marked so) from a centre their reference centre serves. A person's centre in "
            "the directory wins over this centre. The role "
            "is the station's, or the signed-in user's when an expert; it applies the next "
            "time Luch starts. IT can set the directory for every station in the station "
            "policy.")))
        self.apply_policy(form, {ROLE: self.role, DIRECTORY: self.directory,
                                 CENTRE: self.centre, REFERENCE_CENTRE: self.reference_centre,
                                 AUDIT_SHARE: self.audit_share, SERVES: self.serves,
                                 SIGN_IN: self.sign_in})
        if self.settings.is_locked(EXPERTS):
            self.locked.add(EXPERTS)

    def title(self) -> str:
        return self.tr("Second opinions")

    def values(self) -> dict[str, Any]:
        return {ROLE: self.role.currentData(),
                DIRECTORY: to_setting(self.directory.people()),
                EXPERTS: [] if self.directory_changed() else self.initial[EXPERTS],
                CENTRE: self.centre.text().strip(),
                REFERENCE_CENTRE: self.reference_centre.text().strip(),
                AUDIT_SHARE: round(self.audit_share.value() / 100, 4),
                SERVES: self._serves(), SIGN_IN: self.sign_in.isChecked()}

    def _serves(self) -> dict[str, list[str]]:
        try:
            return parse_serves_text(self.serves.text())
        except ValueError as err:
            raise InvalidSetting(self.tr(
                "Not a reference centre with the centres it serves: %1 (e.g. RC: Clinic 1, "
                "Clinic 2)").replace("%1", str(err)), self.serves) from None

    def directory_changed(self) -> bool:
        return to_setting(self.directory.people()) != self.initial[DIRECTORY]
