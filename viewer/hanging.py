"""Hanging protocols: how a study is laid out when it opens, chosen from modality and body part.

Protocols are data (``resources/viewer/hanging_protocols.json``, or the user's copy in
settings); the first whose ``match`` fits the series wins. An empty match fits everything.
A series without Body Part Examined (many scanners leave it out) is placed by its study and
series descriptions (:func:`body_region`): "CT ABD AND PELVIS" is no chest.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from core.paths import RESOURCES
from studies import SeriesInfo

DEFAULT_FILE = RESOURCES / "viewer" / "hanging_protocols.json"
SETTINGS_KEY = "viewer.hanging_protocols"


@dataclass(frozen=True)
class HangingProtocol:
    name: str
    layout: str
    preset: str
    overlay: bool = True
    match: dict[str, list[str]] = field(default_factory=dict)
    description: str = ""

    def fits(self, info: SeriesInfo) -> bool:
        values = {"modality": info.modality, "body_part": body_region(info)}
        return all(values.get(key, "").upper() in [v.upper() for v in allowed]
                   for key, allowed in self.match.items())


# Words of study and series descriptions, English and Russian (with their usual short forms).
_CHEST = re.compile(r"CHEST|THORA|LUNG|PULM|\bCTA?\s*PE\b|ГРУД|ЛЁГК|ЛЕГК|\bОГК\b|ОРГАНОВ ГРУДНОЙ")
_OTHER = (("ABDOMEN", re.compile(r"\bABD|ABDOM|LIVER|KIDNEY|RENAL|УРОГР|БРЮШН|ЖИВОТ|ПЕЧЕН|ПОЧК")),
          ("PELVIS", re.compile(r"PELV|ТАЗ")),
          ("HEAD", re.compile(r"\bHEAD\b|BRAIN|SKULL|ГОЛОВ|МОЗГ")),
          ("SPINE", re.compile(r"SPINE|ПОЗВОН")))


def body_region(info: SeriesInfo) -> str:
    """Body Part Examined, else the region the study and series descriptions name: CHEST when
    either names the chest (a chest-abdomen-pelvis study is read for its lungs too), else
    ABDOMEN, PELVIS, HEAD or SPINE, else "" (not known)."""
    if info.body_part:
        return info.body_part
    text = f"{info.study_description} {info.series_description}".upper()
    if _CHEST.search(text):
        return "CHEST"
    for region, words in _OTHER:
        if words.search(text):
            return region
    return ""


def is_chest(info: SeriesInfo) -> bool | None:
    """Whether the series is of the chest: True (a chest named, a chest-abdomen study too),
    False (only another region named: abdomen, pelvis, head, spine), None (nothing known,
    or a name not recognised: nothing said either way)."""
    region = body_region(info).upper().replace("_", " ")
    if not region:
        return None
    if _CHEST.search(region) or region in ("WHOLEBODY", "WHOLE BODY"):
        return True
    if any(words.search(region) for _name, words in _OTHER):
        return False
    return None


def load_protocols(settings=None, path: Path = DEFAULT_FILE) -> list[HangingProtocol]:
    """The user's protocols from settings if any, else the shipped ones."""
    raw = settings.get(SETTINGS_KEY) if settings is not None else None
    if not raw:
        raw = json.loads(path.read_text(encoding="utf-8"))
    return [HangingProtocol(**item) for item in raw]


def choose_protocol(info: SeriesInfo, protocols: list[HangingProtocol]) -> HangingProtocol:
    for protocol in protocols:
        if protocol.fits(info):
            return protocol
    return HangingProtocol("fallback", "1x1", "lung", False)
