"""AI feedback (the AI pre-read against the expert) and turnaround times on a generated set
of 500 reviews, against counts, medians, percentiles and Wilson intervals worked by hand;
then the same read from the store and printed by ``luch audit-stats``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from records import open_store
from records.audit_stats import (
    ai_feedback,
    discrepancy_rates,
    grade_agreement,
    turnaround,
    turnaround_rows,
    wilson,
)
from records.errors import RecordsError
from records.referral import ReviewFields
from records.referral_store import SignedReview

GRADES = ("CT-0", "CT-1", "CT-2", "CT-3", "CT-4")
START = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _off(g: int, steps: int) -> str:
    """A grade ``steps`` away from CT-g (upwards where there is room)."""
    return GRADES[g + steps if g + steps <= 4 else g - steps]


def generated() -> list[SignedReview]:
    """500 reviews, i = 0..499, m = i // 5, j = m % 10:

    - expert grade CT-(i % 5): 100 each; the AI's: the same for j 0-5, one grade off for
      j 6-7, two off for j 8, none for j 9. So per grade (and per month, each month's 100
      cover every j twice for each grade) 90 pairs: 60 agree, 20 partly, 10 disagree.
    - the expert's verdict in the AI panel: agree for j 0-2, partly for j 6, disagree for
      j 8, none otherwise: 30, 10, 10 per grade.
    - urgency by i % 5: 0 stat, 1 urgent, 2-4 routine (100, 100, 300). Hours to the first
      signing, with k the review's index within its urgency: stat 1 + k % 10 (1..10, ten
      each), urgent 12, 24, 36 by k % 3 (34, 33, 33), routine 24, 48, 72, 96 by k % 4 (75
      each). An amendment 200 h later (every tenth) must not count.
    - month signed (the amendment's): January to May by i // 100.
    - RADPEER score by i % 20: 1 for 0-13, 2 for 14-16, 3 for 17-18, 4 for 19; the first
      reader's grade the expert's, but one grade off (upwards where there is room) for a
      score of 3 or 4.
    """
    reviews, seen = [], {"stat": 0, "urgent": 0, "routine": 0}
    for i in range(500):
        g, m = i % 5, i // 5
        j = m % 10
        ai = GRADES[g] if j <= 5 else _off(g, 1) if j <= 7 else _off(g, 2) if j == 8 else ""
        verdict = "agree" if j <= 2 else "partly" if j == 6 else "disagree" if j == 8 else ""
        urgency = ("stat", "urgent", "routine", "routine", "routine")[g]
        k = seen[urgency]
        seen[urgency] += 1
        hours = {"stat": 1 + k % 10, "urgent": 12 * (1 + k % 3),
                 "routine": 24 * (1 + k % 4)}[urgency]
        month_start = datetime(2026, 1 + i // 100, 1, tzinfo=UTC)
        requested = month_start + timedelta(days=2)
        answered = requested + timedelta(hours=hours)
        signed = answered + timedelta(hours=200) if i % 10 == 0 else answered  # same month
        score = 1 if i % 20 <= 13 else 2 if i % 20 <= 16 else 3 if i % 20 <= 18 else 4
        reviews.append(SignedReview(
            f"2.25.{i}", "second_opinion", f"Reader {i % 7}", "Clinic 1", "Expert E", score,
            "" if score == 1 else "perception", _off(g, 1) if score >= 3 else GRADES[g],
            GRADES[g], requested, signed,
            ai, urgency, answered, verdict))
    return reviews


# Wilson 95 % intervals worked by hand (z = 1.96), e.g. 40/100: p = 0.4, centre
# (0.4 + 0.019207) / 1.038415 = 0.40370, half 1.96 sqrt(0.0024 + 0.000096) / 1.038415 =
# 0.09430 -> (0.3094, 0.4980).
HAND = {(40, 100): (0.3094, 0.4980), (67, 100): (0.5731, 0.7544),
        (225, 300): (0.6980, 0.7956), (332, 500): (0.6215, 0.7040),
        (60, 90): (0.5642, 0.7555), (300, 450): (0.6219, 0.7086),
        (150, 500): (0.2615, 0.3416), (75, 500): (0.1214, 0.1840)}


@pytest.mark.parametrize(("k", "n"), sorted(HAND))
def test_the_intervals_used_below(k: int, n: int) -> None:
    assert wilson(k, n) == pytest.approx(HAND[k, n], abs=1e-4)


def test_rates_and_kappa_on_the_generated_set() -> None:
    """Scores: 25 blocks of 20 give 350 ones, 75 twos, 50 threes, 25 fours: 150 (30 %) at
    2 or more, 75 (15 %) at 3 or more.

    Kappa, first reader vs expert: the 75 reviews scored 3+ have i % 20 in 17..19, so the
    expert's CT-2, CT-3, CT-4 (25 each), first read CT-3, CT-4, CT-3: one grade off each,
    observed weighted disagreement 75. Margins: expert 100 per grade; first 100, 100, 75,
    125, 100. With S_i = sum_j (i - j)^2 = 30, 15, 10, 15, 30 the expected disagreement is
    100 / 500 x (100x30 + 100x15 + 75x10 + 125x15 + 100x30) = 2025; kappa = 1 - 75/2025 =
    26/27."""
    reviews = generated()
    (total,) = discrepancy_rates(reviews)
    assert (total.reviews, total.score2, total.score3) == (500, 150, 75)
    assert total.ci2 == pytest.approx(HAND[150, 500], abs=1e-4)
    assert total.ci3 == pytest.approx(HAND[75, 500], abs=1e-4)
    assert grade_agreement(reviews) == (pytest.approx(26 / 27), 500)


def test_ai_feedback_by_grade_and_month() -> None:
    for by, groups in (("grade", list(GRADES)),
                       ("month", [f"2026-0{n}" for n in range(1, 6)])):
        rows = ai_feedback(generated(), by)
        assert [r.group for r in rows] == [*groups, "all"]
        for row in rows[:-1]:
            assert (row.reviews, row.pairs, row.agree, row.partly, row.disagree) == (
                100, 90, 60, 20, 10)
            assert row.verdicts == (30, 10, 10)
            assert row.rate == pytest.approx(60 / 90)
            assert row.ci == pytest.approx(HAND[60, 90], abs=1e-4)
        total = rows[-1]
        assert (total.reviews, total.pairs, total.agree, total.partly, total.disagree) == (
            500, 450, 300, 100, 50)
        assert total.verdicts == (150, 50, 50)
        assert total.ci == pytest.approx(HAND[300, 450], abs=1e-4)
    with pytest.raises(RecordsError):
        ai_feedback(generated(), "reader")


def test_turnaround_by_urgency() -> None:
    """Stat: 1..10 h ten times each: median 5.5 (the 50th value 5, the 51st 6), 90th
    percentile the 90th value 9, 40 within 4 h. Urgent: 34 x 12, 33 x 24, 33 x 36 h:
    median 24, p90 36, 67 within 24 h. Routine: 75 each of 24, 48, 72, 96 h: median
    (48 + 72) / 2 = 60, p90 the 270th value 96, 225 within 72 h. All 500 (cumulative):
    <= 10 h 100, 12 h 134, 24 h 242, 36 h 275, 48 h 350, 72 h 425, 96 h 500: median 36,
    p90 (450th) 96, 332 on time."""
    stat, urgent, routine, total = turnaround(generated())
    assert (stat.group, stat.reviews, stat.median_h, stat.p90_h, stat.on_time) == (
        "stat", 100, 5.5, 9, 40)
    assert (urgent.group, urgent.reviews, urgent.median_h, urgent.p90_h, urgent.on_time) == (
        "urgent", 100, 24, 36, 67)
    assert (routine.group, routine.median_h, routine.p90_h, routine.on_time) == (
        "routine", 60, 96, 225)
    assert (total.group, total.reviews, total.median_h, total.p90_h, total.on_time) == (
        "all", 500, 36, 96, 332)
    for row, key in ((stat, (40, 100)), (urgent, (67, 100)), (routine, (225, 300)),
                     (total, (332, 500))):
        assert row.ci == pytest.approx(HAND[key], abs=1e-4)
    assert turnaround_rows([stat])[0] == ("stat", 100, 5.5, 9, 40, 0.4, 0.3094, 0.498)
    assert turnaround([]) == [turnaround([])[0]] and turnaround([])[0].median_h is None


def test_the_store_and_the_command(qapp, luch_home: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture) -> None:
    """From the store: the urgency, the first signing (an amendment does not move it) and
    the expert's own newest verdict (not the first reader's) on the study's pre-read."""
    store = open_store()
    requested = datetime(2026, 3, 2, 8, tzinfo=UTC)
    plan = [("stat", 3, "CT-2", "CT-2", "agree"), ("urgent", 30, "CT-1", "CT-2", "partly"),
            ("routine", 50, "CT-3", "CT-1", None)]
    try:
        for i, (urgency, hours, ai, expert, verdict) in enumerate(plan):
            study = f"1.2.826.0.1.3680043.8.498.7{i}"
            version = store.save_report(study, author="Reader A", fields={"grade": "CT-2"},
                                        text="x", status="final")
            ai_id = store.save_ai_result(study, model_name="covid-seg", model_version="1",
                                         values={"grade": ai}, sync=False)
            store.save_ai_feedback(ai_id, reader="Reader A", verdict="disagree")
            if verdict:
                store.save_ai_feedback(ai_id, reader="Expert E", verdict="disagree")
                store.save_ai_feedback(ai_id, reader="Expert E", verdict=verdict)
            ref = store.request_referral(version.id, kind="second_opinion", reason="doubt",
                                         urgency=urgency, requester="Reader A",
                                         requested_at=requested)
            fields = ReviewFields(grade=expert, score=1)
            store.save_review(ref, expert="Expert E", fields=fields, sign=True,
                              signed_at=requested + timedelta(hours=hours))
            if i == 0:  # amended two days later: the turnaround stays 3 h
                store.save_review(ref, expert="Expert E", fields=fields, sign=True,
                                  reason="dispute answered",
                                  signed_at=requested + timedelta(hours=51))
        reviews = sorted(store.signed_reviews(), key=lambda r: r.urgency)
    finally:
        store.close()
    assert [(r.urgency, r.ai_verdict) for r in reviews] == [
        ("routine", ""), ("stat", "agree"), ("urgent", "partly")]
    stat, urgent, routine, total = turnaround(reviews)
    assert (stat.median_h, stat.on_time) == (3, 1)
    assert (urgent.median_h, urgent.on_time) == (30, 0)
    assert (routine.median_h, routine.on_time) == (50, 1)
    assert (total.median_h, total.p90_h, total.on_time) == (30, 50, 2)
    (*_, feedback) = ai_feedback(reviews)
    assert (feedback.pairs, feedback.agree, feedback.partly, feedback.disagree) == (3, 1, 1, 1)
    assert feedback.verdicts == (1, 1, 0)
    assert main(["audit-stats"]) == 0
    out = capsys.readouterr().out
    assert "AI feedback" in out and "turnaround" in out.lower()
    assert main(["audit-stats", "--csv", "--table", "turnaround"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("urgency,reviews,median_hours,p90_hours,on_time,on_time_rate,"
                        "ci_low,ci_high")
    assert lines[1].startswith("stat,1,3.0,3.0,1,1.0,")
    assert lines[-1].startswith("all,3,30.0,50.0,2,0.6667,")
    assert main(["audit-stats", "--csv", "--table", "ai", "--by", "month"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group,reviews,pairs,agree,partly,disagree,agree_rate")
    assert lines[1].startswith("2026-03,3,3,1,1,1,0.3333,")
    # the plots: AI within one grade (blue) and the same grade (red); turnaround one bar
    from PySide6.QtGui import QImage

    for table, colours in (("ai", {"#1f77b4", "#d62728"}), ("turnaround", {"#1f77b4"})):
        png = tmp_path / f"{table}.png"
        assert main(["audit-stats", "--table", table, "--plot", str(png)]) == 0
        image = QImage(str(png))
        assert (image.width(), image.height()) == (1600, 900)
        seen = {image.pixelColor(x, y).name() for x in range(0, 1600, 4)
                for y in range(60, 780, 4)}
        assert seen & {"#1f77b4", "#d62728"} == colours, table
