"""``luch sync [--once]``: send queued reports and AI results to the archive, pull the worklist."""

from __future__ import annotations

import argparse
import logging
import signal
import threading
import time
from datetime import UTC, datetime

log = logging.getLogger(__name__)
INCOMPLETE = 3  # exit status of --once when work is left (archive down, conflicts, failures)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync", help="send queued reports and AI results to the archive",
        description="Drain the outbox to the archive (LUCH_ARCHIVE_URL/USER/PASSWORD or "
                    "settings + keyring) and refresh the worklist. Safe to stop at any time.")
    parser.add_argument("--once", action="store_true",
                        help="drain what is due once and exit (3 if work is left)")
    parser.add_argument("--interval", type=float, default=30.0, metavar="S",
                        help="seconds between worklist refreshes when running (default 30)")
    parser.add_argument("--batch", type=int, default=50, help="objects per STOW-RS request")
    parser.add_argument("--prefetch", type=int, default=0, metavar="N",
                        help="also fetch the first N worklist studies into the image cache")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from archive.cache import FetchCancelled, ImageCache
    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient
    from archive.errors import ArchiveError, ArchiveUnavailable
    from records import open_store
    from records.sync import SyncEngine
    from records.worklist import build_worklist

    store = open_store()
    client = DicomWebClient(load_config())
    engine = SyncEngine(store, client, batch_size=args.batch)
    if stop is None:
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            # A service manager's SIGTERM ends the current batch cleanly (SIGKILL is safe too).
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
    next_pull = 0.0
    try:
        while True:
            report = engine.drain(cancel=stop)
            counts = store.outbox_counts()
            print(f"sent {report.sent}, already in archive {report.already_there}, "
                  f"waiting {counts['pending']}, conflicts {counts['conflict']}, "
                  f"failed {counts['failed']}"
                  + (f", kept local (no such study in the archive) {report.kept_local}"
                     if report.kept_local else ""), flush=True)
            if time.monotonic() >= next_pull:
                try:
                    items = build_worklist(store, client)
                    log.info("worklist refreshed: %d studies", len(items))
                    if args.prefetch:
                        cache = ImageCache()
                        for item in items[:args.prefetch]:
                            cache.fetch_study(client, item.study_instance_uid, cancel=stop)
                except ArchiveUnavailable as err:
                    log.warning("worklist not refreshed: %s", err)
                except (ArchiveError, FetchCancelled) as err:
                    log.warning("prefetch stopped: %s", err)
                next_pull = time.monotonic() + args.interval
            if args.once:
                left = counts["pending"] + counts["in_progress"] + counts["conflict"]
                return INCOMPLETE if left or counts["failed"] else 0
            due = store.next_due()
            wait = args.interval if due is None else (due - datetime.now(UTC)).total_seconds()
            if stop.wait(min(args.interval, max(0.2, wait))):
                return 0
    finally:
        store.close()
