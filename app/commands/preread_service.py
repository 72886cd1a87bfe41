"""``luch preread-service``: the central pre-read service (headless, e.g. a GPU server)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

INCOMPLETE = 3  # exit status of --once when a study failed (the log says why)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "preread-service", help="pre-read every new CT study of the archive once",
        description="Watch the archive (Orthanc's changes feed, else QIDO-RS by date) and "
                    "pre-read each new CT study once, storing its DICOM SEG, TID 1500 SR and "
                    "flat AI SR back with STOW-RS. Several processes share the work by "
                    "shard; kill -9 and restart lose and duplicate nothing. The archive comes "
                    "from LUCH_ARCHIVE_URL/USER/PASSWORD or settings + keyring.")
    parser.add_argument("--once", action="store_true",
                        help="handle what the feed holds now, then exit")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="studies pre-read at once in this process (default 1)")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"),
                        help="where the model runs (default auto)")
    parser.add_argument("--shard", default="1/1", metavar="K/N",
                        help="take only the studies of shard K of N (default 1/1: all)")
    parser.add_argument("--engine", default="unet", choices=("unet", "classical"),
                        help=argparse.SUPPRESS)
    parser.add_argument("--poll", type=float, default=10.0, metavar="S",
                        help="seconds between looks at the feed when idle (default 10)")
    parser.add_argument("--feed", default="auto", choices=("auto", "qido"),
                        help="where new studies come from: Orthanc's changes feed when the "
                             "archive is an Orthanc (auto), or QIDO-RS by date (qido)")
    parser.add_argument("--days", type=int, default=2,
                        help="without Orthanc's feed: CT studies of the last DAYS days")
    parser.add_argument("--orthanc-url", metavar="URL",
                        help="Orthanc's REST root (default: the DICOMweb root without "
                             "/dicom-web, or LUCH_ORTHANC_URL)")
    parser.add_argument("--since", metavar="now|DATE",
                        help="a new service (no kept cursor) starts here instead of at the "
                             "feed's beginning: now, or a date YYYY-MM-DD; a restart "
                             "continues from its kept cursor")
    parser.add_argument("--fetch", default="stored", choices=("stored", "compressed"),
                        help="images fetched as the archive stored them, not recompressed "
                             "(default: the least CPU beside the archive), or compressed "
                             "losslessly as the settings order (fewer bytes on a slow link)")
    parser.add_argument("--state", type=Path, metavar="DIR",
                        help="where the cursor and done list are kept "
                             "(default LUCH_HOME/preread-service)")
    parser.set_defaults(run=run)


def _log_to_stderr() -> None:
    import logging  # deferred: only this command logs to the console too

    from core.logging import PhiFilter

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(PhiFilter())
    logger = logging.getLogger("prereads")
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)


def run(args: argparse.Namespace, stop: threading.Event | None = None) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from archive.credentials import load_config
    from core.paths import app_subdir
    from prereads.service import PreReadService, ServiceOptions
    from prereads.shards import Shard
    from prereads.watch import open_watcher, parse_since
    from prereads.worker import service_client

    _log_to_stderr()
    if args.since:
        try:
            parse_since(args.since)
        except ValueError as err:
            print(err, file=sys.stderr)
            return 2
    options = ServiceOptions(shard=Shard.parse(args.shard), workers=max(1, args.workers),
                             device=args.device, engine=args.engine, poll_s=args.poll,
                             since=args.since)
    client = service_client(load_config(), args.fetch)
    watcher = open_watcher(client, args.orthanc_url, args.days, args.feed)
    service = PreReadService(client, watcher, args.state or app_subdir("preread-service"),
                             options)
    if stop is None:
        stop = threading.Event()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: stop.set())  # ends after the study
    try:
        tally = service.run(stop, once=args.once)
    finally:
        service.close()
    print(tally.line(), flush=True)
    return INCOMPLETE if args.once and tally.failed else 0
