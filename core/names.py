"""DICOM values as people read them: a person name (``IVANOV^PETR^S`` -> ``IVANOV PETR S``)
and a date (``20201117`` -> ``17.11.2020``)."""

from __future__ import annotations


def person_name(value: str) -> str:
    """The alphabetic group of ``value`` with its components (family, given, middle, prefix,
    suffix) joined by spaces; text that is no PN comes back trimmed."""
    alphabetic = (value or "").split("=", 1)[0]
    return " ".join(part.strip() for part in alphabetic.split("^") if part.strip())


def dicom_date(value: str) -> str:
    """A DICOM date (DA, ``YYYYMMDD``) as ``DD.MM.YYYY``; anything else comes back trimmed."""
    d = (value or "").strip()
    return f"{d[6:8]}.{d[4:6]}.{d[:4]}" if len(d) == 8 and d.isdigit() else d
