"""``luch worklist [--json]``: unreported CT studies in triage order."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worklist", help="list unreported studies in triage order",
        description="Unreported CT studies from the archive, ordered by urgency, AI grade "
                    "and age. Offline, the cached list is shown.")
    parser.add_argument("--json", action="store_true", help="print JSON (one array)")
    parser.add_argument("--offline", action="store_true", help="use the local cache only")
    parser.add_argument("--all", action="store_true", help="include reported studies")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import sys

    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient
    from archive.errors import ArchiveUnavailable
    from records import open_store
    from records.worklist import build_worklist

    store = open_store()
    try:
        client = None if args.offline else DicomWebClient(load_config())
        try:
            items = build_worklist(store, client, include_reported=args.all)
        except ArchiveUnavailable as err:
            print(f"luch: {err}; showing the cached worklist", file=sys.stderr)
            items = build_worklist(store, None, include_reported=args.all)
    finally:
        store.close()
    if args.json:
        print(json.dumps([i.as_dict() for i in items], ensure_ascii=False, indent=1))
        return 0
    for i in items:
        print(f"{i.priority:8} {i.ai_grade or '-':5} {i.study_date:8} {i.accession_number:16} "
              f"{i.description}")
    return 0
