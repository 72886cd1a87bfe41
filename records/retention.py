"""How long the station keeps what it never sent: a pre-read whose study has no report signed
here keeps its DICOM SEG/SR copies (about 11 MB a study) ``ai.unsent_keep_days`` days, a
setting (default 7; the Settings dialog's General tab); then the copies are released, the
result and its verdicts kept (:meth:`records.Store.release_unsent_ai_files`, called by the
app after each sync)."""

from __future__ import annotations

import logging

from core.settings import Settings

log = logging.getLogger(__name__)

UNSENT_KEEP_DAYS_KEY = "ai.unsent_keep_days"
UNSENT_KEEP_DAYS = 7
#: a day at least (a study read over several sessions keeps its pre-read); a year at most
MIN_DAYS, MAX_DAYS = 1, 365


def unsent_keep_days(settings: Settings | None = None) -> float:
    """The setting in days; the default when it is unset, or not a number in
    ``MIN_DAYS..MAX_DAYS`` (said in the log, so a typo in settings.json loses nothing)."""
    value = (settings if settings is not None else Settings()).get(
        UNSENT_KEEP_DAYS_KEY, UNSENT_KEEP_DAYS)
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not MIN_DAYS <= value <= MAX_DAYS):
        log.warning("setting %s=%r is not a number of days in %d..%d; using %d",
                    UNSENT_KEEP_DAYS_KEY, value, MIN_DAYS, MAX_DAYS, UNSENT_KEEP_DAYS)
        return float(UNSENT_KEEP_DAYS)
    return float(value)

