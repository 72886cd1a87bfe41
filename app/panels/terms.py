"""Radiology values as the reader sees them in the interface language (data stays in English).

Grades are stored as ``CT-0``..``CT-4`` and shown as ``КТ-0``..``КТ-4`` in Russian; urgency,
the AI's probability pattern, report statuses and the AI's quality flags are shown in words.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.shell.i18n import translated
from viewer.numbers import decimal


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
        "unread": QCoreApplication.translate("Terms", "unread"),
        "draft": QCoreApplication.translate("Terms", "draft"),
        "preliminary": QCoreApplication.translate("Terms", "preliminary"),
        "final": QCoreApplication.translate("Terms", "signed"),  # as the worklist filter says
        "amended": QCoreApplication.translate("Terms", "amended"),
    }
    return words.get(value or "", value or "")


SOLID_FOCUS = "solid-focus-not-graded"  # inference.foci.FLAG (not imported: scipy stays unloaded)
_FLAGS = {
    "not-assessable:lungs-missing-or-barely-in-view":
        QT_TRANSLATE_NOOP("Terms", "not assessable: lungs missing or barely in view"),
    "not-assessable:too-little-lung-coverage":
        QT_TRANSLATE_NOOP("Terms", "not assessable: too little of the lungs is covered"),
    "not-assessable:one-lung-not-found":
        QT_TRANSLATE_NOOP("Terms", "not assessable: one lung not found"),
    "lungs-cut-off-at-first-slice": QT_TRANSLATE_NOOP("Terms", "lungs cut off at the first slice"),
    "lungs-cut-off-at-last-slice": QT_TRANSLATE_NOOP("Terms", "lungs cut off at the last slice"),
    "thick-slices":
        QT_TRANSLATE_NOOP("Terms", "slices over 5 mm: percentages are less reliable"),
    "few-slices": QT_TRANSLATE_NOOP("Terms", "fewer than 10 slices"),
    "no-air-in-view": QT_TRANSLATE_NOOP("Terms", "no air in view: the HU scale may be wrong"),
    "classical-fallback":
        QT_TRANSLATE_NOOP("Terms", "AI weights unusable: classical method used; reinstall Luch"),
}


def quality_flag(code: str) -> str:
    """An AI quality flag (``thick-slices``, ``classical-fallback: <why>``) as a short phrase."""
    name, _, detail = code.partition(":")
    if name == SOLID_FOCUS:
        return _solid_focus(_parts(detail))
    key = f"{name}:{detail.strip()}" if name == "not-assessable" else name
    return translated("Terms", _FLAGS, key, code)


def _solid_focus(parts: dict[str, str]) -> str:
    """A solid focus set aside (``side=right slices=43-50 ml=9.7 mm=20 ...``) as a sentence."""
    side = lung(parts.get("side", ""))
    text = QCoreApplication.translate(
        "Terms", "solitary solid focus not graded as pneumonia (nodule or atelectasis?): "
        "%1, slices %2, %3 mL, %4 mm; review it")
    return (text.replace("%1", side).replace("%2", parts.get("slices", "?"))
            .replace("%3", number(parts.get("ml", "?"))).replace("%4", parts.get("mm", "?")))


def lung(side: str) -> str:
    """``left`` / ``right`` as the lung's name."""
    return (QCoreApplication.translate("Terms", "left lung") if side == "left"
            else QCoreApplication.translate("Terms", "right lung"))


def _parts(detail: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in detail.split() if "=" in p)


def _focus_parts(code: str) -> dict[str, str] | None:
    name, _, detail = code.partition(":")
    return _parts(detail) if name == SOLID_FOCUS else None


def finding_voxel(code: str) -> tuple[int, int, int] | None:
    """The voxel index (i, j, k) a finding flag points at, if it names one."""
    parts = _focus_parts(code)
    try:
        i, j, k = (int(v) for v in parts["at"].split(","))
    except (TypeError, KeyError, ValueError):
        return None
    return i, j, k


def finding_slices(code: str) -> str:
    return (_focus_parts(code) or {}).get("slices", "?")


def number(value: float | str, decimals: int = 1) -> str:
    """A measured value with the interface's decimal separator (``10,2`` in Russian), as
    the images write theirs (:func:`viewer.numbers.decimal`); text that is no number as is."""
    try:
        return decimal(float(value), decimals)
    except (TypeError, ValueError):
        return str(value)


_ENGINES = {
    "unet": QT_TRANSLATE_NOOP("Terms", "U-Net neural network"),
    "classical": QT_TRANSLATE_NOOP("Terms", "classical method"),
}


def engine(name: str) -> str:
    """The AI engine (``unet``, ``classical``) in words."""
    return translated("Terms", _ENGINES, name)


def device(name: str) -> str:
    """Where the AI ran (``cpu``, ``cuda:0``) in words."""
    if name.startswith("cuda"):
        return QCoreApplication.translate("Terms", "GPU")
    if name == "cpu":
        return QCoreApplication.translate("Terms", "CPU")
    return name


def preread_marker(state: str) -> str:
    """The worklist's AI grade cell of a study the background pre-read has not graded yet:
    a symbol and a word, so it is told apart from a grade without colour."""
    if state == "running":
        return "\u25d4 " + QCoreApplication.translate("Terms", "AI reading")
    return "\u25cc " + QCoreApplication.translate("Terms", "AI queued")


def preread_tooltip(state: str) -> str:
    if state == "running":
        return QCoreApplication.translate("Terms", "The AI pre-read of this study is running "
                                          "in the background")
    return QCoreApplication.translate("Terms", "AI pre-read pending: queued in the background")


def outdated_grade(value: str, state: str = "") -> str:
    """The worklist's AI grade cell of a grade computed by an older model version: the grade
    behind a symbol (being read again, else to be read again), so it is not taken for
    the current model's."""
    return ("\u25d4 " if state == "running" else "\u21bb ") + grade(value)


def outdated_tooltip(made_by: str, current: str, state: str = "") -> str:
    """Why the grade is greyed: which model computed it, which one is current, and whether
    the background pre-read is reading it again."""
    text = QCoreApplication.translate(
        "Terms", "Outdated: computed by model %1, the current model is %2").replace(
        "%1", made_by).replace("%2", current)
    if state == "running":
        return text + "\n" + QCoreApplication.translate(
            "Terms", "The AI pre-read of this study is running in the background")
    if state:
        return text + "\n" + QCoreApplication.translate(
            "Terms", "Queued to be read again by the current model")
    return text + "\n" + QCoreApplication.translate(
        "Terms", "Read again when the study is opened or prefetched")


def referral_term(value: str | None) -> str:
    """A second-opinion kind, reason, discrepancy category or technique rating in words."""
    words = {
        "second_opinion": QCoreApplication.translate("Referral", "second opinion"),
        "audit": QCoreApplication.translate("Referral", "audit"),
        "doubt": QCoreApplication.translate("Referral", "doubt"),
        "complex_case": QCoreApplication.translate("Referral", "complex case"),
        "patient_request": QCoreApplication.translate("Referral", "patient request"),
        "quality_sample": QCoreApplication.translate("Referral", "quality sample"),
        "perception": QCoreApplication.translate("Referral", "perception"),
        "interpretation": QCoreApplication.translate("Referral", "interpretation"),
        "communication": QCoreApplication.translate("Referral", "communication"),
        "technique": QCoreApplication.translate("Referral", "technique"),
        "good": QCoreApplication.translate("Referral", "good"),
        "acceptable": QCoreApplication.translate("Referral", "acceptable"),
        "poor": QCoreApplication.translate("Referral", "poor"),
        "protocol": QCoreApplication.translate("Referral", "protocol"),
        "coverage": QCoreApplication.translate("Referral", "coverage"),
        "artefacts": QCoreApplication.translate("Referral", "artefacts"),
    }
    return words.get(value or "", value or "")


def score_name(score: int) -> str:
    """A RADPEER-style discrepancy score in words."""
    return {
        1: QCoreApplication.translate("Referral", "1: concur"),
        2: QCoreApplication.translate("Referral", "2: discrepancy unlikely to matter"),
        3: QCoreApplication.translate("Referral", "3: discrepancy likely to matter"),
        4: QCoreApplication.translate("Referral", "4: should be made almost every time"),
    }.get(score, str(score))
