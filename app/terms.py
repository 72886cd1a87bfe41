"""Radiology values as the reader sees them in the interface language (data stays in English).

Grades are stored as ``CT-0``..``CT-4`` and shown as ``КТ-0``..``КТ-4`` in Russian; urgency,
the AI's probability pattern, report statuses and the AI's quality flags are shown in words.
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


def quality_flag(code: str) -> str:
    """An AI quality flag (``thick-slices``, ``classical-fallback: <why>``) as a short phrase."""
    name, _, detail = code.partition(":")
    t = QCoreApplication.translate
    words = {
        "not-assessable": {
            "lungs-missing-or-barely-in-view": t("Terms", "not assessable: lungs missing or "
                                                 "barely in view"),
            "too-little-lung-coverage": t("Terms", "not assessable: too little of the lungs "
                                          "is covered"),
            "one-lung-not-found": t("Terms", "not assessable: one lung not found"),
        },
        "lungs-cut-off-at-first-slice": t("Terms", "lungs cut off at the first slice"),
        "lungs-cut-off-at-last-slice": t("Terms", "lungs cut off at the last slice"),
        "thick-slices": t("Terms", "thick slices (over 5 mm): percentages are less reliable"),
        "few-slices": t("Terms", "fewer than 10 slices"),
        "no-air-in-view": t("Terms", "no air in view: the HU scale may be wrong"),
        "classical-fallback": t("Terms", "the AI model's weights are missing or damaged, so "
                                "the less accurate classical method was used; reinstall Luch"),
    }.get(name)
    if isinstance(words, dict):
        return words.get(detail.strip(), code)
    return words or code
