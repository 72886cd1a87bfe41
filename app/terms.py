"""Radiology values as the reader sees them in the interface language (data stays in English).

Grades are stored as ``CT-0``..``CT-4`` and shown as ``КТ-0``..``КТ-4`` in Russian; urgency,
the AI's probability pattern and report statuses are shown in words.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def grade(value: str | None) -> str:
    if not value:
        return "—"
    if value == "not-assessable":
        return QCoreApplication.translate("Terms", "not assessable")
    return value.replace("CT-", QCoreApplication.translate("Terms", "CT-"))


def term(value: str | None) -> str:
    """Urgency, probability pattern or report status in the interface language."""
    words = {
        "stat": QCoreApplication.translate("Terms", "stat"),
        "urgent": QCoreApplication.translate("Terms", "urgent"),
        "routine": QCoreApplication.translate("Terms", "routine"),
        "high": QCoreApplication.translate("Terms", "high"),
        "medium": QCoreApplication.translate("Terms", "medium"),
        "low": QCoreApplication.translate("Terms", "low"),
        "atypical": QCoreApplication.translate("Terms", "atypical"),
        "draft": QCoreApplication.translate("Terms", "draft"),
        "preliminary": QCoreApplication.translate("Terms", "preliminary"),
        "final": QCoreApplication.translate("Terms", "final"),
        "amended": QCoreApplication.translate("Terms", "amended"),
    }
    return words.get(value or "", value or "")
