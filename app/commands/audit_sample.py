"""``luch audit-sample --week YYYY-Www --share 0.05 [--request] [--json]``: the week's audit
sample, stratified by grade and reader per centre (records.audit_sample)."""

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
                    "same ones). With --request, an audit request (quality sample) is queued "
                    "for each; `luch sync` sends them.")
    parser.add_argument("--week", required=True, metavar="YYYY-Www",
                        help="the ISO week, e.g. 2026-W49")
    parser.add_argument("--share", type=_share, default=0.05,
                        help="the share of each centre's reports (default 0.05)")
    parser.add_argument("--request", action="store_true",
                        help="queue an audit request for each report drawn")
    parser.add_argument("--requester", default="audit",
                        help="who asks, for the requests and the audit log")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import getpass

    from core.settings import Settings
    from records import open_store
    from records.audit_sample import draw, week_bounds
    from records.directory import Directory

    start, end = week_bounds(args.week)
    store = open_store()
    try:
        pool = store.audit_candidates(start, end)
        drawn = draw(pool, args.week, args.share)
        requested = store.request_audits(
            drawn, requester=args.requester,
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
                          "requested": len(requested)}, ensure_ascii=False, indent=1))
        return 0
    centres: dict[str, list[int]] = {}
    for c in pool:
        centres.setdefault(c.centre, [0, 0])[0] += 1
    for c in drawn:
        centres[c.centre][1] += 1
    print(f"week {args.week}, share {args.share:g}: {len(drawn)} of {len(pool)} reports")
    for centre in sorted(centres):
        print(f"  {centre or '-'}: {centres[centre][1]} of {centres[centre][0]}")
    for c in drawn:
        print(f"  {c.centre or '-'}\t{c.reader}\t{c.grade or '-'}\t{c.report_sop_uid}")
    if args.request:
        print(f"{len(requested)} audit requests queued; `luch sync` sends them")
    return 0
