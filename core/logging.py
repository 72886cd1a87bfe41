"""Rotating file logging under the app data dir, with a filter that keeps PHI out.

Log messages must never carry patient data. Code logs UIDs only where unavoidable and
never names, IDs or birth dates; :class:`PhiFilter` is a second line of defence that
masks the values of DICOM person/identity attributes if one slips into a message.
"""

from __future__ import annotations

import logging
import logging.handlers
import re

from core.paths import app_subdir

LOG_FILE = "luch.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Attribute names whose values count as PHI when they appear as ``Name=value`` / ``Name: value``.
_PHI_KEYS = (
    "PatientName",
    "PatientID",
    "PatientBirthDate",
    "PatientAddress",
    "OtherPatientIDs",
    "OtherPatientNames",
    "ReferringPhysicianName",
    "AccessionNumber",
    "patient_name",
    "patient_id",
    "birth_date",
)
_PHI_RE = re.compile(
    r"(?P<key>" + "|".join(_PHI_KEYS) + r")(?P<sep>\s*[=:]\s*)(?P<val>'[^']*'|\"[^\"]*\"|[^\s,;)]+)"
)


class PhiFilter(logging.Filter):
    """Masks ``PatientName=...``-style values in log records."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _PHI_RE.sub(lambda m: f"{m['key']}{m['sep']}***", message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def setup_logging(level: int = logging.INFO) -> logging.Handler:
    """Attach a rotating file handler (5 x 2 MB) to the root logger; idempotent.

    A handler left from an earlier data dir (``LUCH_HOME`` changed) is replaced.
    """
    root = logging.getLogger()
    path = app_subdir("logs") / LOG_FILE
    for handler in list(root.handlers):
        if getattr(handler, "_luch", False):
            if handler.baseFilename == str(path):
                return handler
            root.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler._luch = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(PhiFilter())
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    return handler
