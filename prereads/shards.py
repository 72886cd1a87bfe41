"""Which studies a service process owns: shard ``K/N`` takes the studies whose UID hash is
``K-1`` modulo ``N`` (unkeyed, so that every machine agrees). The logs name a study by
:func:`study_tag`, a keyed hash (:func:`core.private_names.log_tag`, as the station's logs
do): anyone can compute the unkeyed one from a UID and so confirm a study in a log."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from core.logging import UID_MARK
from core.private_names import log_tag
from prereads.errors import PreReadServiceError


def _digest(study_uid: str) -> str:
    return hashlib.sha256(study_uid.encode()).hexdigest()


def study_tag(study_uid: str) -> str:
    """What the logs call a study: ``uid:`` and a short keyed hash of its UID under this
    home's naming key, never the UID itself nor an unkeyed hash of it."""
    return UID_MARK + log_tag(study_uid)


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` of ``count`` (1-based); ``1/1`` owns everything."""

    index: int = 1
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 1 <= self.index <= self.count:
            raise PreReadServiceError(f"A shard is K/N with 1 <= K <= N, not {self}")

    @classmethod
    def parse(cls, text: str) -> Shard:
        index, sep, count = text.partition("/")
        try:
            return cls(int(index), int(count)) if sep else cls(int(index), 0)
        except ValueError as err:
            raise PreReadServiceError(f"A shard is K/N with 1 <= K <= N, not {text}") from err

    def owns(self, study_uid: str) -> bool:
        return int(_digest(study_uid)[:16], 16) % self.count == self.index - 1

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
