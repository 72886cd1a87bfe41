"""Rotating file logging under the app data dir, with a filter that keeps PHI out.

Log messages must never carry patient data. Code logs UIDs only where unavoidable and
never names, IDs or birth dates (where one must be referred to, pass :func:`masked`);
:class:`PhiFilter` is a second line of defence that masks what it can recognise if one slips
into a message: ``Name=value`` pairs of DICOM person/identity attributes, person-name values
passed as arguments (pydicom ``PersonName``), and ``Family^Given`` DICOM-style names. DICOM
UIDs (a study's, a series', an instance's) are replaced by a short keyed hash (``uid:`` + 12
hex characters of :func:`core.private_names.uid_name`, the name of the study's drafts and
dictations; nobody without the station's naming key can test a UID against it), so the log,
which stays plain when encryption at rest is on, names no study.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import time

from core.paths import app_subdir

LOG_FILE = "luch.log"
#: when this process started, as a log line is stamped (its lines are newer)
STARTED = time.strftime("%Y-%m-%d %H:%M:%S")
# Libraries whose INFO messages carry DICOM UIDs and nothing the reader or support needs.
QUIET_LIBRARIES = ("highdicom",)
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


# A DICOM UID: digits and dots, 5 or more components (an IP address has 4), or the 2.25 UUID
# form. Logged as ``uid:`` and the first 12 characters of core.private_names.uid_name (keyed),
# which names the same study's files (drafts, dictations) and never shows the UID.
_UID_RE = re.compile(r"(?<![\w.])(?:[0-2](?:\.(?:0|[1-9]\d*)){4,}|2\.25\.\d{10,})(?![\w.])")
UID_MARK = "uid:"

# A DICOM person name: components joined by carets (``Family^Given^Middle``).
_CARET_NAME_RE = re.compile(r"[^\s\^=:,;()'\"]*(?:\^[^\s\^,;()'\"]*)+")
MASK = "***"
_TRACEBACK = logging.Formatter()


def masked(value: object) -> str:
    """What code logs in place of a patient identifier: a mask, never the value."""
    return MASK if value else ""


def _is_person_name(value: object) -> bool:
    return type(value).__name__ == "PersonName" or (
        isinstance(value, str) and "^" in value and _CARET_NAME_RE.fullmatch(value) is not None)


class PhiFilter(logging.Filter):
    """Masks identifiers it recognises in log records (see the module docstring)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and any(_is_person_name(a) for a in args):
            record.args = tuple(MASK if _is_person_name(a) else a for a in args)
        elif isinstance(args, dict) and any(_is_person_name(a) for a in args.values()):
            record.args = {k: MASK if _is_person_name(a) else a for k, a in args.items()}
        message = record.getMessage()
        masked_text = _PHI_RE.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", message)
        masked_text = _CARET_NAME_RE.sub(MASK, masked_text)
        masked_text = mask_uids(masked_text)
        if masked_text != message:
            record.msg, record.args = masked_text, None
        if record.exc_info:  # a traceback's message may name one (formatted once, kept)
            record.exc_text = mask_uids(record.exc_text
                                        or _TRACEBACK.formatException(record.exc_info))
        return True


def mask_uids(text: str) -> str:
    """``text`` with each DICOM UID replaced as :class:`PhiFilter` writes it."""
    from core.private_names import log_tag  # deferred: it reads the vault (keyring) only

    return _UID_RE.sub(lambda m: UID_MARK + log_tag(m[0]), text)


def mask_uids_in_logs() -> int:
    """Rewrite the log files written before UIDs were masked (``luch.log`` and its rotated
    copies), UIDs replaced; returns how many changed."""
    changed = 0
    for path in sorted(app_subdir("logs").glob(LOG_FILE + "*")):
        text = path.read_text("utf-8", errors="replace")
        masked_text = mask_uids(text)
        if masked_text != text:  # in place: an open handler appends to this same file
            with open(path, "r+b") as f:
                f.write(masked_text.encode("utf-8"))
                f.truncate()
            changed += 1
    return changed


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
    for name in QUIET_LIBRARIES:  # their INFO names every source dataset by its UID
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return handler
