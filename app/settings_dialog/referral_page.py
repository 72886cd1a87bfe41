"""The Second opinions tab: the station's role (reading station or reference centre) and the
names that address requests (this centre, the reference centre asked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLineEdit

from app.reading.referrals import CENTRE, READER_ROLE, REFERENCE_CENTRE, REFERENCE_ROLE, ROLE
from app.settings_dialog.base import Page, _combo, _hint
from core.settings import Settings


class ReferralPage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.initial = {ROLE: settings.get(ROLE) or READER_ROLE,
                        CENTRE: str(settings.get(CENTRE) or ""),
                        REFERENCE_CENTRE: str(settings.get(REFERENCE_CENTRE) or "")}
        self.role = _combo([(READER_ROLE, self.tr("Reading station")),
                            (REFERENCE_ROLE, self.tr("Reference centre (expert queue)"))],
                           self.initial[ROLE])
        self.role.setObjectName("referral-role")
        self.centre = QLineEdit(self.initial[CENTRE])
        self.reference_centre = QLineEdit(self.initial[REFERENCE_CENTRE])
        form = QFormLayout(self)
        form.addRow(self.tr("Station &role:"), self.role)
        form.addRow(self.tr("This &centre:"), self.centre)
        form.addRow(self.tr("Reference centre &asked:"), self.reference_centre)
        form.addRow(_hint(self.tr(
            "Requests for a second opinion or an audit go through the archive, addressed to "
            "the reference centre; a reference-centre station lists those addressed to its own "
            "name. The role applies the next time Luch starts.")))
        self.apply_policy(form, {ROLE: self.role, CENTRE: self.centre,
                                 REFERENCE_CENTRE: self.reference_centre})

    def title(self) -> str:
        return self.tr("Second opinions")

    def values(self) -> dict[str, Any]:
        return {ROLE: self.role.currentData(), CENTRE: self.centre.text().strip(),
                REFERENCE_CENTRE: self.reference_centre.text().strip()}
