"""The Second opinions tab: the station's role (reading station or reference centre) and the
names that address requests (this centre, the reference centre asked)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLineEdit

from app.reading.referrals import (
    AUDIT_SHARE,
    CENTRE,
    EXPERTS,
    READER_ROLE,
    REFERENCE_CENTRE,
    REFERENCE_ROLE,
    ROLE,
    experts,
)
from app.settings_dialog.base import Page, _combo, _hint
from core.settings import Settings


class ReferralPage(Page):
    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.initial = {ROLE: settings.get(ROLE) or READER_ROLE,
                        CENTRE: str(settings.get(CENTRE) or ""),
                        REFERENCE_CENTRE: str(settings.get(REFERENCE_CENTRE) or ""),
                        AUDIT_SHARE: round(float(settings.get(AUDIT_SHARE) or 0.05), 4),
                        EXPERTS: experts(settings)}
        self.role = _combo([(READER_ROLE, self.tr("Reading station")),
                            (REFERENCE_ROLE, self.tr("Reference centre (expert queue)"))],
                           self.initial[ROLE])
        self.role.setObjectName("referral-role")
        self.experts = QLineEdit(", ".join(self.initial[EXPERTS]))
        self.experts.setObjectName("referral-experts")
        self.experts.setToolTip(self.tr("User names (the login), separated by commas: when one "
                                        "of them is signed in, this station shows the "
                                        "reference centre's queue and menus"))
        self.centre = QLineEdit(self.initial[CENTRE])
        self.reference_centre = QLineEdit(self.initial[REFERENCE_CENTRE])
        self.audit_share = QDoubleSpinBox()  # in per cent; stored as a share
        self.audit_share.setObjectName("referral-audit-share")
        self.audit_share.setRange(0.1, 100.0)
        self.audit_share.setDecimals(1)
        self.audit_share.setSuffix(" %")
        self.audit_share.setValue(self.initial[AUDIT_SHARE] * 100)
        form = QFormLayout(self)
        form.addRow(self.tr("Station &role:"), self.role)
        form.addRow(self.tr("&Experts (the reference centre's role):"), self.experts)
        form.addRow(self.tr("This &centre:"), self.centre)
        form.addRow(self.tr("Reference centre &asked:"), self.reference_centre)
        form.addRow(self.tr("Audit &share per centre and week:"), self.audit_share)
        form.addRow(_hint(self.tr(
            "Requests for a second opinion or an audit go through the archive, addressed to "
            "the reference centre; a reference-centre station lists those addressed to its own "
            "name; a reference centre draws its audit sample from each centre's reports of a "
            "week. The role is the station's, or the signed-in user's when listed as an expert; it "
            "applies the next time Luch starts.")))
        self.apply_policy(form, {ROLE: self.role, EXPERTS: self.experts, CENTRE: self.centre,
                                 REFERENCE_CENTRE: self.reference_centre,
                                 AUDIT_SHARE: self.audit_share})

    def title(self) -> str:
        return self.tr("Second opinions")

    def values(self) -> dict[str, Any]:
        return {ROLE: self.role.currentData(),
                EXPERTS: [n.strip() for n in self.experts.text().split(",") if n.strip()],
                CENTRE: self.centre.text().strip(),
                REFERENCE_CENTRE: self.reference_centre.text().strip(),
                AUDIT_SHARE: round(self.audit_share.value() / 100, 4)}
