"""Discrepancy rates with Wilson intervals against hand-computed values, and the command."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from records import open_store
from records.audit_stats import discrepancy_rates, weighted_kappa, wilson
from records.errors import RecordsError
from records.referral import ReviewFields
from records.referral_store import SignedReview

# Wilson 95 % intervals worked by hand (z = 1.96): centre (p + z^2/2n) / (1 + z^2/n),
# half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n). 3/10 -> (0.1078, 0.6032) is the
# textbook example; 0/5 -> (0, z^2/(n + z^2)) = (0, 0.4345).
HAND = {(3, 10): (0.1078, 0.6032), (2, 10): (0.0567, 0.5098), (1, 5): (0.0362, 0.6245),
        (0, 5): (0.0, 0.4345), (10, 10): (0.7225, 1.0)}


@pytest.mark.parametrize(("k", "n"), sorted(HAND))
def test_wilson_matches_the_hand_computed_interval(k: int, n: int) -> None:
    low, high = wilson(k, n)
    assert low == pytest.approx(HAND[k, n][0], abs=1e-4)
    assert high == pytest.approx(HAND[k, n][1], abs=1e-4)


def _review(reader: str, score: int, month: int, centre: str = "Clinic 1") -> SignedReview:
    when = datetime(2026, month, 10, tzinfo=UTC)
    return SignedReview("2.25.1", "second_opinion", reader, centre, "Expert E", score,
                        "" if score == 1 else "perception", "CT-1", "CT-2", when, when)


# Reader A: 10 reviews, scores 2, 3, 4 once each (3 at >= 2, 2 at >= 3); reader B: 5 reviews,
# one score 2 (1 at >= 2, none at >= 3). All: 15, 4 at >= 2, 2 at >= 3.
EXAMPLE = ([_review("Reader A", s, 1 if i < 6 else 2) for i, s in enumerate(
    [1, 1, 1, 1, 1, 1, 1, 2, 3, 4])] + [_review("Reader B", s, 2, "Clinic 2")
                                         for s in [1, 1, 1, 1, 2]])


def test_rates_by_reader_match_the_hand_count() -> None:
    a, b, total = discrepancy_rates(EXAMPLE, "reader")
    assert (a.group, a.reviews, a.score2, a.score3) == ("Reader A", 10, 3, 2)
    assert (b.group, b.reviews, b.score2, b.score3) == ("Reader B", 5, 1, 0)
    assert (total.group, total.reviews, total.score2, total.score3) == ("all", 15, 4, 2)
    assert a.rate2 == pytest.approx(0.3) and total.rate3 == pytest.approx(2 / 15)
    assert a.ci2 == pytest.approx(HAND[3, 10], abs=1e-4)
    assert a.ci3 == pytest.approx(HAND[2, 10], abs=1e-4)
    assert b.ci2 == pytest.approx(HAND[1, 5], abs=1e-4)
    assert b.ci3 == pytest.approx(HAND[0, 5], abs=1e-4)


def test_rates_by_month_and_centre() -> None:
    jan, feb, _ = discrepancy_rates(EXAMPLE, "month")
    assert (jan.group, jan.reviews, jan.score2) == ("2026-01", 6, 0)  # A's first six: all 1
    assert (feb.group, feb.reviews, feb.score2, feb.score3) == ("2026-02", 9, 4, 2)
    clinics = [(r.group, r.reviews) for r in discrepancy_rates(EXAMPLE, "centre")]
    assert clinics == [("Clinic 1", 10), ("Clinic 2", 5), ("all", 15)]
    with pytest.raises(RecordsError):
        discrepancy_rates(EXAMPLE, "weekday")
    many = [_review(f"Reader {n}", 1, 3) for n in (10, 2, 1)]
    assert [r.group for r in discrepancy_rates(many, "reader")] == [
        "Reader 1", "Reader 2", "Reader 10", "all"]


def test_the_command_prints_csv_from_the_store(luch_home: Path,
                                               capsys: pytest.CaptureFixture) -> None:
    """Three signed reviews in the store (scores 1, 2, 3; one amended from 4 to 3, counted
    once); one signed outside the dates and one draft not counted."""
    store = open_store()
    try:
        for i, (score, month) in enumerate([(1, 3), (2, 3), (4, 3), (3, 5)]):
            study = f"1.2.826.0.1.3680043.8.498.9{i}"
            version = store.save_report(study, author="Reader A", fields={"grade": "CT-1"},
                                        text="x", status="final")
            ref = store.request_referral(version.id, kind="second_opinion", reason="doubt",
                                         urgency="routine", requester="Reader A",
                                         centre="Clinic 1")
            fields = ReviewFields(grade="CT-2", score=score,
                                  category="" if score == 1 else "interpretation")
            store.save_review(ref, expert="Expert E", fields=fields, sign=True,
                              signed_at=datetime(2026, month, 2, tzinfo=UTC))
            if score == 4:
                store.save_review(ref, expert="Expert E", reason="re-scored", sign=True,
                                  fields=ReviewFields(**{**fields.as_dict(), "score": 3}),
                                  signed_at=datetime(2026, month, 3, tzinfo=UTC))
        draft_ref = store.request_referral(version.id, kind="audit", reason="quality_sample",
                                           urgency="routine", requester="Head H")
        store.save_review(draft_ref, expert="Expert E", fields=ReviewFields(grade="CT-4"))
    finally:
        store.close()
    assert main(["audit-stats", "--from", "2026-03-01", "--to", "2026-03-31", "--by", "reader",
                 "--csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("group,reviews,score>=2,rate2,ci2_low")
    assert lines[0].endswith(",kappa_reader_expert,n_reader_expert,kappa_ai_expert,n_ai_expert")
    # CT-1 against CT-2 throughout: kappa 0 on 3 pairs; no AI grade in this store.
    assert [line.split(",")[10:] for line in lines[1:]] == [["0.0", "3", "", "0"]] * 2
    lines = [",".join(line.split(",")[:10]) for line in lines]
    low, high = (round(x, 4) for x in wilson(2, 3))
    assert lines[1:] == [f"Reader A,3,2,0.6667,{low},{high},1,0.3333,"
                         f"{round(wilson(1, 3)[0], 4)},{round(wilson(1, 3)[1], 4)}",
                         f"all,3,2,0.6667,{low},{high},1,0.3333,"
                         f"{round(wilson(1, 3)[0], 4)},{round(wilson(1, 3)[1], 4)}"]
    assert main(["audit-stats"]) == 0
    table = capsys.readouterr().out
    assert "all" in table and " 4 " in table  # four reviews without dates
    # Every first grade CT-1, every expert grade CT-2: no better than chance.
    assert "weighted kappa 0.000 (n=4)" in table


def test_weighted_kappa_matches_a_hand_computed_table() -> None:
    """(first, expert): (1,1), (1,2), (2,2), (2,2). Quadratic weights: disagreement by one
    grade weighs 1 (over (k-1)^2, which cancels). Observed weighted disagreement 1; expected
    from the margins (first 2+2, expert 1+3 over n = 4): E(1,2) = 1.5 and E(2,1) = 0.5, so 2.
    Kappa = 1 - 1/2 = 0.5."""
    pairs = [("CT-1", "CT-1"), ("CT-1", "CT-2"), ("CT-2", "CT-2"), ("CT-2", "CT-2")]
    assert weighted_kappa(pairs) == (pytest.approx(0.5), 4)
    assert weighted_kappa([*pairs, ("not-assessable", "CT-2")]) == (pytest.approx(0.5), 4)
    assert weighted_kappa([("CT-0", "CT-0"), ("CT-4", "CT-4")]) == (pytest.approx(1.0), 2)
    # Systematic one-grade disagreement on two grades: worse than chance.
    assert weighted_kappa([("CT-1", "CT-2"), ("CT-2", "CT-1")])[0] == pytest.approx(-1.0)
    assert weighted_kappa([("CT-2", "CT-2")] * 3) == (None, 3)  # one grade only: undefined
    assert weighted_kappa([]) == (None, 0)


def test_ai_against_the_expert_per_reader_and_the_plot(qapp, luch_home: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    """The AI's grade (the study's newest pre-read in the store) against the expert's, per
    first reader, hand-counted below; reader B's one study has no pre-read and is left out
    of the AI pairs. Then the PNG: both rates drawn for each group."""
    from PySide6.QtGui import QColor, QImage

    store = open_store()
    plan = [("Reader A", "CT-1", "CT-1", "CT-1"), ("Reader A", "CT-2", "CT-2", "CT-2"),
            ("Reader A", "CT-1", "CT-1", "CT-2"), ("Reader B", "CT-0", None, "CT-1")]
    try:
        for i, (reader, first, ai, expert) in enumerate(plan):
            study = f"1.2.826.0.1.3680043.8.498.8{i}"
            version = store.save_report(study, author=reader, fields={"grade": first},
                                        text="x", status="final")
            if ai:
                store.save_ai_result(study, model_name="covid-seg", model_version="1",
                                     values={"grade": "CT-4"}, sync=False)
                store.save_ai_result(study, model_name="covid-seg", model_version="2",
                                     values={"grade": ai}, sync=False)  # the newest counts
            ref = store.request_referral(version.id, kind="second_opinion", reason="doubt",
                                         urgency="routine", requester=reader)
            score = 1 if first == expert else 3
            store.save_review(ref, expert="Expert E", sign=True, fields=ReviewFields(
                grade=expert, score=score, category="" if score == 1 else "perception"))
    finally:
        store.close()
    # AI vs expert for reader A: pairs (1,1), (2,2), (1,2); AI margins CT-1: 2, CT-2: 1;
    # expert CT-1: 1, CT-2: 2. Observed weighted disagreement 1; expected
    # (2*2 + 1*1) / 3 = 5/3; kappa = 1 - 3/5 = 0.4.
    expected = weighted_kappa([("CT-1", "CT-1"), ("CT-2", "CT-2"), ("CT-1", "CT-2")])
    assert expected == (pytest.approx(0.4), 3)
    png = tmp_path / "slide" / "rates.png"
    assert main(["audit-stats", "--by", "reader", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "AI vs expert: weighted kappa 0.400 (n=3)" in out
    assert "Reader A: reader vs expert" in out and "AI vs expert 0.400 (n=3)" in out
    # one pair (CT-0, CT-1): expected weighted disagreement 1*1*1/1 = observed: kappa 0
    assert "Reader B: reader vs expert 0.000 (n=1), AI vs expert - (n=0)" in out
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 900)
    colours = {image.pixelColor(x, y).name() for x in range(0, 1600, 4)
               for y in range(60, 780, 4)}
    assert {"#1f77b4", "#d62728"} <= colours  # both bars drawn
    # three groups (A, B, all), each with a score>=2 bar: blue columns in three places
    blue = [x for x in range(0, 1600) if image.pixelColor(x, 735) == QColor("#1f77b4")]
    runs = sum(1 for a, b in itertools.pairwise(blue) if b - a > 1) + bool(blue)
    assert runs == 3
