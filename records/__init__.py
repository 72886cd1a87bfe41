"""Qt-free records: the local SQLite store of reports, AI results, feedback, audit and sync."""
