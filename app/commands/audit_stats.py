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
                    "expert (quadratic weighted kappa), per group; the AI feedback (the AI "
                    "pre-read's grade against the expert's: the same, one grade off, more; "
                    "the expert's verdicts) by grade and month; the turnaround from request "
                    "to signed review by urgency against the due time.")
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed on or after this day (UTC)")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="reviews signed before the end of this day (UTC)")
    parser.add_argument("--by", choices=("reader", "centre", "month"), default="all",
                        help="one row per first reader, requesting centre or month")
    parser.add_argument("--csv", action="store_true", help="print CSV (of --table)")
    parser.add_argument("--table", choices=("rates", "ai", "turnaround"), default="rates",
                        help="the table --csv prints and --plot draws: discrepancy rates "
                             "and kappas (default), AI feedback (by the expert's grade, or "
                             "by month with --by month) or turnaround times by urgency")
    parser.add_argument("--plot", type=Path, metavar="OUT.png",
                        help="also draw --table's plot as a PNG (rates: both rates per "
                             "group; ai: within one grade and the same grade; turnaround: "
                             "signed by the due time; each with its 95%% Wilson interval)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from records import audit_stats as st
    from records import open_store

    store = open_store()
    try:
        end = args.end + timedelta(days=1) if args.end else None
        reviews = store.signed_reviews(args.start, end)
    finally:
        store.close()
    rates = st.discrepancy_rates(reviews, args.by)
    agreement = st.agreement_by_group(reviews, args.by)
    feedback = st.ai_feedback(reviews, "month" if args.by == "month" else "grade")
    times = st.turnaround(reviews)
    if args.plot:
        _plot(args, rates, feedback, times)
    if args.csv:
        print(st.as_csv(rates, agreement) if args.table == "rates" else
              st.table_csv(st.AI_COLUMNS, st.ai_rows(feedback)) if args.table == "ai" else
              st.table_csv(st.TURNAROUND_COLUMNS, st.turnaround_rows(times)), end="")
        return 0
    print(st.as_table(rates))
    (kappa, n), (ai_kappa, ai_n) = agreement.get("all", ((None, 0), (None, 0)))
    print(f"grade agreement, first reader vs expert: weighted kappa {_k(kappa)} (n={n})")
    print(f"grade agreement, AI vs expert: weighted kappa {_k(ai_kappa)} (n={ai_n})")
    if args.by != "all":
        for group in sorted(g for g in agreement if g != "all"):
            (k1, n1), (k2, n2) = agreement[group]
            print(f"  {group}: reader vs expert {_k(k1)} (n={n1}), "
                  f"AI vs expert {_k(k2)} (n={n2})")
    print()
    print(_ai_table(feedback, "month" if args.by == "month" else "expert grade"))
    print()
    print(_turnaround_table(times))
    if args.plot:
        print(f"plot: {args.plot}")
    return 0


def _k(kappa: float | None) -> str:
    return "-" if kappa is None else f"{kappa:.3f}"


def _ai_table(feedback: list, by: str) -> str:
    lines = [f"AI feedback by {by}: the AI pre-read's grade against the expert's "
             "(same / one grade off / more), and the expert's verdicts in the AI panel",
             f"{'group':<8}  reviews  pairs  same  1 off  more  same rate (95% CI)"
             "      verdicts agree/partly/disagree"]
    for f in feedback:
        rate = f"{f.rate:6.1%} ({f.ci[0]:5.1%} - {f.ci[1]:5.1%})" if f.pairs else "-"
        lines.append(f"{f.group:<8}  {f.reviews:7d}  {f.pairs:5d}  {f.agree:4d}  "
                     f"{f.partly:5d}  {f.disagree:4d}  {rate:<24}  "
                     f"{'/'.join(str(v) for v in f.verdicts)}")
    return "\n".join(lines)


def _turnaround_table(times: list) -> str:
    def h(value: float | None) -> str:
        return "-" if value is None else f"{value:.1f}"

    lines = ["Turnaround, request to the review's first signing (hours), by urgency",
             f"{'urgency':<8}  reviews  median   p90  on time (95% CI)"]
    lines += [f"{t.group:<8}  {t.reviews:7d}  {h(t.median_h):>6}  {h(t.p90_h):>5}  "
              f"{t.on_time:4d} {t.rate:6.1%} ({t.ci[0]:5.1%} - {t.ci[1]:5.1%})" for t in times]
    return "\n".join(lines)


def _plot(args: argparse.Namespace, rates: list, feedback: list, times: list) -> None:
    from app.panels import audit_plot as ap  # deferred: loads Qt

    if args.table == "ai":
        ap.plot_rates(ap.ai_bars(feedback), args.plot, "AI pre-read against the expert, by "
                      + ("month" if args.by == "month" else "the expert's grade"),
                      ap.AI_LEGEND)
    elif args.table == "turnaround":
        ap.plot_rates(ap.turnaround_bars(times), args.plot,
                      "Reviews signed by the due time, by urgency", ap.TURNAROUND_LEGEND,
                      series=1)
    else:
        ap.plot_rates(rates, args.plot, f"Discrepancy rates by {args.by}"
                      if args.by != "all" else "Discrepancy rates")
