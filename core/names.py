"""A DICOM person name (PN) as people read it: ``IVANOV^PETR^S`` -> ``IVANOV PETR S``."""

from __future__ import annotations


def person_name(value: str) -> str:
    """The alphabetic group of ``value`` with its components (family, given, middle, prefix,
    suffix) joined by spaces; text that is no PN comes back trimmed."""
    alphabetic = (value or "").split("=", 1)[0]
    return " ".join(part.strip() for part in alphabetic.split("^") if part.strip())
