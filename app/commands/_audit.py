"""Every study a command reads or writes is recorded in the local audit log."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Iterable

log = logging.getLogger(__name__)


def audit_access(action: str, study_uids: Iterable[str], **detail) -> None:
    """Record ``action`` (``inspected``, ``exported``, ``analyzed``...) on each study.

    Files without a Study Instance UID (NIfTI) are recorded under their path's hash by the
    caller, or not at all. A store that cannot be opened is logged, not fatal: the command's
    own work has been done and its output is the user's record.
    """
    uids = sorted({uid for uid in study_uids if uid})
    if not uids:
        return
    try:
        from records import open_store  # deferred: `luch --help` does not load the store

        store = open_store()
        for uid in uids:
            store.audit(getpass.getuser(), action, uid, source="cli", **detail)
    except Exception as err:  # the audit must not hide the result the user asked for
        log.warning("audit of %s not written: %s", action, type(err).__name__)
