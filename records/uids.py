"""Deterministic DICOM UIDs: the same inputs always give the same UID.

A UID is ``2.25.`` followed by the integer value of a name-based (version 5) UUID of the
inputs (DICOM PS3.5 B.2), so a report version resent after a crash is the same object.
"""

from __future__ import annotations

import uuid

NAMESPACE = uuid.UUID("0b9a5f1e-3c57-5d7e-9f2a-6c1d4e8b7a30")


def derived_uid(*parts: str) -> str:
    return f"2.25.{uuid.uuid5(NAMESPACE, '|'.join(parts)).int}"
