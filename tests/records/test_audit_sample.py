"""The audit sample: a share of each centre's signed reports per ISO week, stratified by
grade and reader, the same on every reference station; requests sent once to a real Orthanc
by two stations that draw the same sample."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from records import Store, open_store
from records.audit_sample import Candidate, allocate, draw, sample_size, week_bounds, week_of
from records.errors import ReferralError
from records.outbox import KIND_REFERRAL
from tests.records.conftest import client_for, engine_for

WEEK = "2026-W49"  # Monday 30 November .. Sunday 6 December 2026
MONDAY = datetime(2026, 11, 30, tzinfo=UTC)
# Per centre: (reader, grade) -> reports that week. Sizes chosen so the quotas at 10 % have
# fractions that need the largest-remainder step (e.g. 7 -> 0.7 of a seat).
CENTRES = {
    "Clinic 1": {("Reader A", "CT-0"): 40, ("Reader A", "CT-2"): 17, ("Reader B", "CT-0"): 23,
                 ("Reader B", "CT-3"): 7, ("Reader C", "CT-1"): 13},
    "Clinic 2": {("Reader D", "CT-1"): 9, ("Reader D", "CT-4"): 2, ("Reader E", "CT-0"): 31},
}


def _pool(week_start: datetime = MONDAY) -> list[Candidate]:
    pool, n = [], 0
    for centre, strata in CENTRES.items():
        for (reader, grade), size in strata.items():
            for i in range(size):
                n += 1
                pool.append(Candidate(n, f"2.25.{1000 + n}", centre, reader, grade,
                                      week_start + timedelta(hours=(7 * n) % 160 + i % 3)))
    return pool


def test_each_centre_gets_its_share_split_over_grade_and_reader() -> None:
    pool = _pool()
    drawn = draw(pool, WEEK, 0.1)
    for centre, strata in CENTRES.items():
        total = sum(strata.values())
        mine = [c for c in drawn if c.centre == centre]
        assert len(mine) == math.ceil(0.1 * total)  # 10 of 100, 5 of 42
        got = Counter((c.reader, c.grade) for c in mine)
        for stratum, size in strata.items():
            quota = len(mine) * size / total
            assert got[stratum] in (math.floor(quota), math.ceil(quota)), (stratum, quota)
    # Clinic 1: quotas 4.0, 1.7, 2.3, 0.7, 1.3 -> floors 4+1+2+0+1 = 8, two seats left to
    # the largest remainders (0.7 and 0.7): Reader A CT-2 and Reader B CT-3.
    clinic1 = Counter((c.reader, c.grade) for c in drawn if c.centre == "Clinic 1")
    assert clinic1 == {("Reader A", "CT-0"): 4, ("Reader A", "CT-2"): 2,
                       ("Reader B", "CT-0"): 2, ("Reader B", "CT-3"): 1,
                       ("Reader C", "CT-1"): 1}
    assert len({c.report_sop_uid for c in drawn}) == len(drawn)


def test_the_draw_is_the_same_whatever_the_order_and_differs_by_week_and_centre() -> None:
    pool = _pool()
    first = [c.report_sop_uid for c in draw(pool, WEEK, 0.1)]
    for seed in range(5):
        shuffled = pool[:]
        random.Random(seed).shuffle(shuffled)
        assert [c.report_sop_uid for c in draw(shuffled, WEEK, 0.1)] == first
    later = [Candidate(c.version_id, c.report_sop_uid, c.centre, c.reader, c.grade,
                       c.signed_at + timedelta(days=7)) for c in pool]
    next_week = [c.report_sop_uid for c in draw(later, "2026-W50", 0.1)]
    assert len(next_week) == len(first) and next_week != first  # the week seeds the draw
    renamed = [Candidate(c.version_id, c.report_sop_uid, c.centre + "x", c.reader, c.grade,
                         c.signed_at) for c in pool]
    assert [c.report_sop_uid for c in draw(renamed, WEEK, 0.1)] != first  # so does the centre


def test_only_the_weeks_reports_count_and_bad_input_is_refused() -> None:
    pool = [*_pool(), Candidate(9999, "2.25.9999", "Clinic 2", "Reader D", "CT-4",
                                MONDAY - timedelta(seconds=1))]  # Sunday of the week before
    assert "2.25.9999" not in {c.report_sop_uid for c in draw(pool, WEEK, 1.0)}
    assert len(draw(pool, WEEK, 1.0)) == len(pool) - 1
    assert week_bounds(WEEK) == (MONDAY, MONDAY + timedelta(days=7))
    assert week_of(MONDAY + timedelta(days=6, hours=23)) == WEEK
    assert sample_size(1, 0.05) == 1 and sample_size(0, 0.05) == 0
    assert sample_size(100, 0.05) == 5 and sample_size(20, 0.05) == 1
    for bad in ("2026-49", "2026-W54", "W49"):
        with pytest.raises(ReferralError, match="ISO week"):
            week_bounds(bad)
    with pytest.raises(ReferralError, match="share"):
        sample_size(10, 0)
    assert allocate({("a", "x"): 3, ("b", "y"): 3}, 1, "s") in (
        {("a", "x"): 1, ("b", "y"): 0}, {("a", "x"): 0, ("b", "y"): 1})


def _signed_week(store: Store, order: list[int]) -> None:
    """The same 60 reports (same report UIDs, so the same SR UIDs) in ``order``; two of
    them amended later, one signed the week before."""
    for n in order:
        study = f"1.2.826.0.1.3680043.8.498.{5000 + n}"
        store.upsert_study(study, patient_id=f"AS-{n}", patient_name="Audit^Sample")
        when = MONDAY + timedelta(hours=2 * n) - (timedelta(days=7) if n == 59 else
                                                  timedelta(0))
        store.save_report(study, author=f"Reader {'AB'[n % 2]}", text="x",
                          fields={"grade": f"CT-{n % 3}", "_centre": f"Clinic {1 + n % 2}"},
                          status="final", signed_at=when, new_report_uid=f"audit-{n}",
                          legacy=True)
        if n in (3, 4):
            store.save_report(study, author=f"Reader {'AB'[n % 2]}", text="y",
                              fields={"grade": "CT-3", "_centre": f"Clinic {1 + n % 2}"},
                              status="amended", report_uid=f"audit-{n}", reason="typo",
                              signed_at=when + timedelta(days=9))


def test_two_reference_stations_draw_the_same_and_send_each_request_once(
        orthanc_factory, tmp_path: Path) -> None:
    server = orthanc_factory()
    client = client_for(server)
    order = list(range(60))
    stations = []
    for name, seed in (("rc1", 1), ("rc2", 2)):
        store = open_store(tmp_path / f"{name}.sqlite3")
        random.Random(seed).shuffle(order)
        _signed_week(store, order)
        stations.append(store)
    start, end = week_bounds(WEEK)
    pools = [s.audit_candidates(start, end) for s in stations]
    assert [len(p) for p in pools] == [59, 59]  # one signed the week before; amended once
    draws = [draw(p, WEEK, 0.1) for p in pools]
    assert [c.report_sop_uid for c in draws[0]] == [c.report_sop_uid for c in draws[1]]
    assert Counter(c.centre for c in draws[0]) == {"Clinic 1": 3, "Clinic 2": 3}
    requested = [s.request_audits(d, requester="Head H", addressed_to="RC")
                 for s, d in zip(stations, draws, strict=True)]
    uids = [sorted(s.referral(i).uid for i in ids)
            for s, ids in zip(stations, requested, strict=True)]
    assert uids[0] == uids[1] and len(uids[0]) == 6
    for store in stations:
        engine = engine_for(store, client)
        for _ in range(20):
            engine.drain()
            if store.outbox_counts()["pending"] == 0:
                break
    counts = server.store_counts()
    assert all(counts[u] == 1 for u in uids[0])  # each request in the archive once
    assert max(counts.values()) == 1
    for store in stations:
        store.close()


def test_the_command_draws_and_requests_once(luch_home: Path, capsys) -> None:
    """From this station's store (--from-store; the archive's pool: test_audit_archive)."""
    store = open_store()
    _signed_week(store, list(range(60)))
    store.close()
    args = ["audit-sample", "--week", WEEK, "--share", "0.1", "--from-store", "--json"]
    assert main(args) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["reports"], len(shown["drawn"]), shown["requested"]) == (59, 6, 0)
    assert main([*args, "--request"]) == 0
    assert json.loads(capsys.readouterr().out)["requested"] == 6
    assert main([*args, "--request"]) == 0  # drawn again: the same requests, nothing new
    capsys.readouterr()
    store = open_store()
    refs = store.referrals()
    assert len(refs) == 6 and {(r.kind, r.reason, r.urgency) for r in refs} == {
        ("audit", "quality_sample", "routine")}
    assert sorted(r.report_sop_uid for r in refs) == sorted(
        c["report_sop_uid"] for c in shown["drawn"])
    assert [j.kind for j in store.jobs()].count(KIND_REFERRAL) == 6
    store.close()
    assert main(["audit-sample", "--week", "2026-49"]) == 2  # a clear error, exit 2
    assert "ISO week" in capsys.readouterr().err
