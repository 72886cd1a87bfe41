"""``luch audit-stats [--from --to] [--by reader|centre|month] [--csv]``: discrepancy rates."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta


def _day(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "audit-stats", help="discrepancy rates of second opinions and audits",
        description="Discrepancy rates of the signed expert reviews in this station's store "
                    "(a reference-centre station): RADPEER score 2 or more and 3 or more, "
                    "each with its 95% Wilson confidence interval, and the grade agreement "
                    "between first reader and expert (quadratic weighted kappa).")
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed on or after this day (UTC)")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed before the end of this day (UTC)")
    parser.add_argument("--by", choices=("reader", "centre", "month"), default="all",
                        help="one row per first reader, requesting centre or month")
    parser.add_argument("--csv", action="store_true", help="print CSV")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from records import open_store
    from records.audit_stats import as_csv, as_table, discrepancy_rates, grade_agreement

    store = open_store()
    try:
        end = args.end + timedelta(days=1) if args.end else None
        reviews = store.signed_reviews(args.start, end)
    finally:
        store.close()
    rates = discrepancy_rates(reviews, args.by)
    if args.csv:
        print(as_csv(rates), end="")
        return 0
    print(as_table(rates))
    kappa, n = grade_agreement(reviews)
    shown = "-" if kappa is None else f"{kappa:.3f}"
    print(f"grade agreement, first reader vs expert: weighted kappa {shown} (n={n})")
    return 0
