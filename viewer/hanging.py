"""Hanging protocols: how a study is laid out when it opens, chosen from modality and body part.

Protocols are data (``resources/viewer/hanging_protocols.json``, or the user's copy in
settings); the first whose ``match`` fits the series wins. An empty match fits everything.
"""

from __future__ import annotations

import json
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
        values = {"modality": info.modality, "body_part": info.body_part}
        return all(values.get(key, "").upper() in [v.upper() for v in allowed]
                   for key, allowed in self.match.items())


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
