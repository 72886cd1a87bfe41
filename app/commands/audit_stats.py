"""``luch audit-stats [--from --to] [--by reader|centre|month] [--csv] [--plot OUT.png]``:
discrepancy rates, grade agreement (first reader and AI against the expert), a plot."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta
from pathlib import Path


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
                    "between first reader and expert and between the AI pre-read and the "
                    "expert (quadratic weighted kappa), per group.")
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed on or after this day (UTC)")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed before the end of this day (UTC)")
    parser.add_argument("--by", choices=("reader", "centre", "month"), default="all",
                        help="one row per first reader, requesting centre or month")
    parser.add_argument("--csv", action="store_true", help="print CSV")
    parser.add_argument("--plot", type=Path, metavar="OUT.png",
                        help="also draw the rates with their intervals as a PNG")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from records import open_store
    from records.audit_stats import agreement_by_group, as_csv, as_table, discrepancy_rates

    store = open_store()
    try:
        end = args.end + timedelta(days=1) if args.end else None
        reviews = store.signed_reviews(args.start, end)
    finally:
        store.close()
    rates = discrepancy_rates(reviews, args.by)
    agreement = agreement_by_group(reviews, args.by)
    if args.plot:
        from app.panels.audit_plot import plot_rates  # deferred: loads Qt

        plot_rates(rates, args.plot, f"Discrepancy rates by {args.by}" if args.by != "all"
                   else "Discrepancy rates")
    if args.csv:
        print(as_csv(rates, agreement), end="")
        return 0
    print(as_table(rates))
    (kappa, n), (ai_kappa, ai_n) = agreement.get("all", ((None, 0), (None, 0)))
    print(f"grade agreement, first reader vs expert: weighted kappa {_k(kappa)} (n={n})")
    print(f"grade agreement, AI vs expert: weighted kappa {_k(ai_kappa)} (n={ai_n})")
    if args.by != "all":
        for group in sorted(g for g in agreement if g != "all"):
            (k1, n1), (k2, n2) = agreement[group]
            print(f"  {group}: reader vs expert {_k(k1)} (n={n1}), "
                  f"AI vs expert {_k(k2)} (n={n2})")
    if args.plot:
        print(f"plot: {args.plot}")
    return 0


def _k(kappa: float | None) -> str:
    return "-" if kappa is None else f"{kappa:.3f}"
