"""``luch audit-sample --week YYYY-Www --share 0.05 [--request] [--from-store] [--json]``: the
week's audit sample, stratified by grade and reader per centre (records.audit_sample), drawn
from every centre's signed report SRs in the archive (records.audit_archive), or with
``--from-store`` from the reports held on this station."""

from __future__ import annotations

import argparse
import json


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share (e.g. 0.05): {text}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"a share is above 0 and at most 1: {text}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit-sample", help="draw the week's audit sample of signed reports",
        description="A share of each centre's reports signed in an ISO week, stratified by "
                    "grade and reader, drawn deterministically (seeded by the week and the "
                    "centre: every reference station holding the same reports draws the "
                    "same ones). The pool is every centre's signed report SRs in the archive "
                    "(--from-store: this station's reports). With --request, an audit "
                    "request (quality sample) is queued for each report not requested yet; "
                    "`luch sync` sends them.")
    parser.add_argument("--week", required=True, metavar="YYYY-Www",
                        help="the ISO week, e.g. 2026-W49")
    parser.add_argument("--share", type=_share, default=0.05,
                        help="the share of each centre's reports (default 0.05)")
    parser.add_argument("--request", action="store_true",
                        help="queue an audit request for each report drawn")
    parser.add_argument("--from-store", action="store_true",
                        help="draw from the reports held on this station (e.g. imported "
                             "with import-reports), not from the archive")
    parser.add_argument("--requester", default="audit",
                        help="who asks, for the requests and the audit log")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import getpass

    from core.settings import Settings
    from records import open_store
    from records.audit_archive import already_requested, archive_candidates
    from records.audit_sample import draw, week_bounds
    from records.directory import Directory

    start, end = week_bounds(args.week)
    store = open_store()
    try:
        client = None if args.from_store else _client()
        pool = (store.audit_candidates(start, end) if client is None
                else _offline(archive_candidates, client, start, end))
        drawn = draw(pool, args.week, args.share)
        asked = (_offline(already_requested, client, drawn)
                 if client is not None and args.request else set())
        requested = store.request_audits(
            [c for c in drawn if c.report_sop_uid not in asked], requester=args.requester,
            # this reference centre: the user's in the directory, else the station's
            addressed_to=Directory.from_settings(Settings()).centre_of(getpass.getuser())) \
            if args.request else []
    finally:
        store.close()
    if args.json:
        print(json.dumps({"week": args.week, "share": args.share, "reports": len(pool),
                          "drawn": [{"report_sop_uid": c.report_sop_uid, "centre": c.centre,
                                     "reader": c.reader, "grade": c.grade,
                                     "signed_at": c.signed_at.isoformat()} for c in drawn],
                          "source": "store" if args.from_store else "archive",
                          "requested": len(requested), "already_requested": len(asked)},
                         ensure_ascii=False, indent=1))
        return 0
    centres: dict[str, list[int]] = {}
    for c in pool:
        centres.setdefault(c.centre, [0, 0])[0] += 1
    for c in drawn:
        centres[c.centre][1] += 1
    where = "this station's store" if args.from_store else "the archive"
    print(f"week {args.week}, share {args.share:g}: {len(drawn)} of {len(pool)} reports "
          f"in {where}")
    for centre in sorted(centres):
        print(f"  {centre or '-'}: {centres[centre][1]} of {centres[centre][0]}")
    for c in drawn:
        print(f"  {c.centre or '-'}\t{c.reader}\t{c.grade or '-'}\t{c.report_sop_uid}")
    if args.request:
        print(f"{len(requested)} audit requests queued; `luch sync` sends them")
        if asked:
            print(f"{len(asked)} already requested (in the archive), not asked again")
    return 0


OFFLINE = ("the archive cannot be reached ({reason}); the audit sample is drawn from every "
           "centre's signed reports in the archive, so none was drawn. Try again when the "
           "archive is back, or draw from the reports held on this station with --from-store")


def _offline(call, *args):
    """``call(*args)`` with the archive's errors said as OFFLINE (exit status 2)."""
    from archive.errors import ArchiveError  # deferred: only when the archive is asked
    from core.errors import LuchError  # deferred: with it

    try:
        return call(*args)
    except ArchiveError as err:
        raise LuchError(OFFLINE.format(reason=err)) from err


def _client():
    # deferred: `luch --help` does not load the archive client
    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient

    return _offline(lambda: DicomWebClient(load_config()))
