"""``luch import-reports FILE.jsonl``: import legacy reports, each queued for the archive."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import-reports", help="import reports from a legacy system (JSON Lines)",
        description='One JSON object a line: {"study": {"study_instance_uid", "patient_id", '
                    '"patient_name", "study_date", "accession_number"}, "fields": {...}, '
                    '"text": "...", "status": "final", "author": "..."}. Importing the same '
                    "file again adds nothing.")
    parser.add_argument("file", type=Path, metavar="FILE.jsonl")
    parser.add_argument("--protocol", metavar="ID",
                        help="check fields against this protocol (and write missing text)")
    parser.add_argument("--actor", default="import", help="who imports, for the audit log")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from records import open_store
    from records.errors import ImportFormatError
    from records.legacy import import_reports
    from records.protocol import load_protocol

    if not args.file.is_file():
        raise ImportFormatError(f"{args.file} does not exist")
    protocol = load_protocol(args.protocol) if args.protocol else None
    store = open_store()
    try:
        summary = import_reports(store, args.file, protocol=protocol, actor=args.actor)
        counts = store.outbox_counts()
    finally:
        store.close()
    print(f"imported {summary.imported}, already imported {summary.skipped}; "
          f"{counts['pending']} waiting to be sent")
    return 0
