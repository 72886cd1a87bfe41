"""Qt-free records: the local SQLite store of reports, AI results, feedback, audit and sync.

``open_store()`` opens (and migrates) the database under ``LUCH_HOME``; see
:class:`records.store.Store` for the API the app calls.
"""

from records.models import JobState, ReportStatus, Verdict
from records.store import Store, open_store

__all__ = ["JobState", "ReportStatus", "Store", "Verdict", "open_store"]
