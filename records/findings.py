"""The AI's flagged findings (solid foci set aside from the grade, the largest lesions) read
from a pre-read's JSON, and each as a report sentence in Russian or English.

The pre-read JSON is :meth:`inference.preread.PreReadResult.to_json`; a solid focus is a
quality flag ``solid-focus-not-graded: side=left slices=44-47 ml=10.2 mm=20 at=i,j,k``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOLID_FOCUS = "solid-focus-not-graded"  # inference.foci.FLAG (not imported: no scipy here)

_SIDE = {"ru": {"right": "правом лёгком", "left": "левом лёгком"},
         "en": {"right": "right lung", "left": "left lung"}}


@dataclass(frozen=True)
class Finding:
    """A solid focus (``kind`` "focus") or a lesion ("lesion"); slices 1-based, "a-b"."""

    kind: str
    side: str
    slices: str
    ml: float
    mm: float | None = None
    ggo_share: float | None = None


def _parts(detail: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in detail.split() if "=" in p)


def _number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def ai_findings(ai: dict[str, Any] | None) -> list[Finding]:
    """The solid foci, then the largest lesions, of a pre-read; none when it could not
    assess the study (its percentages and lesions then mean nothing)."""
    if not ai or not str(ai.get("grade", "")).startswith("CT-"):
        return []
    found = []
    for flag in ai.get("quality_flags", []):
        name, _, detail = str(flag).partition(":")
        if name.strip() == SOLID_FOCUS:
            parts = _parts(detail)
            found.append(Finding("focus", parts.get("side", ""), parts.get("slices", "?"),
                                 _number(parts.get("ml")) or 0.0, _number(parts.get("mm"))))
    for lesion in ai.get("lesions", []):
        found.append(Finding("lesion", lesion.get("side", ""), str(lesion.get("slices", "?")),
                             float(lesion.get("ml", 0.0)), None, _number(lesion.get("ggo_share"))))
    return found


def _num(value: float, lang: str) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return text.replace(".", ",") if lang == "ru" else text


def _slices(slices: str, lang: str) -> str:
    first, _, last = slices.partition("-")
    if not last or first == last:
        return ("срез " if lang == "ru" else "slice ") + first
    return ("срезы " if lang == "ru" else "slices ") + f"{first}–{last}"


def finding_sentence(finding: Finding, lang: str) -> str:
    """One report sentence for ``finding`` in ``lang`` ("ru" or "en")."""
    lang = "ru" if lang == "ru" else "en"
    side = _SIDE[lang].get(finding.side, _SIDE[lang]["right"])
    where = _slices(finding.slices, lang)
    ml = _num(finding.ml, lang)
    if finding.kind == "focus":
        size = f"{_num(finding.mm, lang)} мм, " if lang == "ru" and finding.mm else \
            f"{_num(finding.mm, lang)} mm, " if finding.mm else ""
        if lang == "ru":
            return (f"В {side} определяется солитарный солидный очаг ({size}{ml} мл; {where}), "
                    f"не типичный для вирусной пневмонии (узел или ателектаз?): требует оценки.")
        return (f"Solitary solid focus in the {side} ({size}{ml} mL; {where}), not typical of "
                f"viral pneumonia (nodule or atelectasis?): to be assessed.")
    share = finding.ggo_share if finding.ggo_share is not None else 1.0
    if lang == "ru":
        kind = ("участок уплотнения по типу «матового стекла»" if share >= 0.8 else
                "участок консолидации" if share <= 0.2 else
                "участок уплотнения по типу «матового стекла» с консолидацией")
        return f"В {side} определяется {kind} объёмом {ml} мл ({where})."
    kind = ("ground-glass opacity" if share >= 0.8 else "consolidation" if share <= 0.2 else
            "ground-glass opacity with consolidation")
    return f"{kind[0].upper()}{kind[1:]} in the {side}, {ml} mL ({where})."


def findings_text(ai: dict[str, Any] | None, lang: str,
                  kinds: tuple[str, ...] = ("focus", "lesion")) -> str:
    """The sentences of the pre-read's findings of ``kinds``, one per line."""
    return "\n".join(finding_sentence(f, lang) for f in ai_findings(ai) if f.kind in kinds)
