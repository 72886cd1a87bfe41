"""The audit sample drawn from the archive (records.audit_archive): two reading stations sign
a week's reports into one real Orthanc; a reference station holding none of them draws the
same stratified sample as from the reports themselves, requests each drawn report once, the
first reader's station adopts the audit, and a second reference station asks nothing again.
Offline, the draw is refused with a clear message."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveUnavailable
from records import Store, open_store
from records.audit_archive import already_requested, archive_candidates, audit_request_uid
from records.audit_sample import draw, week_bounds
from tests.plugins.orthanc import free_port
from tests.records.conftest import client_for, engine_for

WEEK = "2026-W49"  # Monday 30 November .. Sunday 6 December 2026
MONDAY = datetime(2026, 11, 30, tzinfo=UTC)
# station -> (reader, grade) -> reports signed that week
STATIONS = {
    "Clinic 1": {("reader.a", "CT-0"): 9, ("reader.a", "CT-2"): 4, ("reader.b", "CT-1"): 6,
                 ("reader.b", "CT-3"): 2},
    "Clinic 2": {("reader.c", "CT-0"): 7, ("reader.c", "CT-1"): 3, ("reader.d", "CT-4"): 1},
}


def _sign_week(store: Store, centre: str, base: int) -> None:
    """The centre's week of signed reports, plus: one signed the week before, one amended
    the next week (counts once, in its first week), one preliminary (not signed), one
    imported already amended (counts: its first signed version)."""
    n = base
    for (reader, grade), size in STATIONS[centre].items():
        for i in range(size):
            n += 1
            study = f"1.2.826.0.1.3680043.8.498.{n}"
            store.upsert_study(study, patient_id=f"AA-{n}", patient_name="Audit^Archive")
            when = MONDAY + timedelta(hours=5 * (n - base) + i)
            store.save_report(study, author=reader, text=f"read {n}",
                              fields={"grade": grade, "_centre": centre,
                                      "conclusion": f"c {n}"},
                              status="final", signed_at=when, new_report_uid=f"aa-{n}",
                              legacy=True)
            if i == 0:  # amended the next week: not a report of that week, not twice
                store.save_report(study, author=reader, text="amended",
                                  fields={"grade": "CT-4", "_centre": centre},
                                  status="amended", report_uid=f"aa-{n}", reason="typo",
                                  signed_at=when + timedelta(days=8))
    extra = [("final", MONDAY - timedelta(hours=1)), ("preliminary", MONDAY + timedelta(days=2)),
             ("amended", MONDAY + timedelta(days=3))]
    for status, when in extra:
        n += 1
        study = f"1.2.826.0.1.3680043.8.498.{n}"
        store.upsert_study(study, patient_id=f"AA-{n}", patient_name="Audit^Archive")
        store.save_report(study, author="reader.x", text="x", status=status, signed_at=when,
                          fields={"grade": "CT-1", "_centre": centre},
                          new_report_uid=f"aa-{n}", legacy=True,
                          reason="imported" if status == "amended" else "")


def _drain(store: Store, client: DicomWebClient) -> None:
    engine = engine_for(store, client)
    for _ in range(20):
        engine.drain()
        if store.outbox_counts()["pending"] == 0:
            return
    raise AssertionError("the outbox did not drain")


@pytest.mark.slow
def test_the_sample_is_drawn_from_every_stations_reports_in_the_archive(
        orthanc_factory, tmp_path: Path) -> None:
    server = orthanc_factory()
    client = client_for(server)
    readers = {}
    for base, centre in ((7000, "Clinic 1"), (8000, "Clinic 2")):
        store = open_store(tmp_path / f"{centre}.sqlite3")
        _sign_week(store, centre, base)
        _drain(store, client)
        readers[centre] = store
    start, end = week_bounds(WEEK)
    local = [c for s in readers.values() for c in s.audit_candidates(start, end)]
    # 21 + 11 and the one imported amended per centre: not the week before, not the
    # preliminary, not the amendment of the next week
    assert len(local) == 34

    pool = archive_candidates(client, start, end)
    assert sorted((c.report_sop_uid, c.centre, c.reader, c.grade, c.signed_at)
                  for c in pool) == sorted(
        (c.report_sop_uid, c.centre, c.reader, c.grade, c.signed_at) for c in local)
    assert archive_candidates(client, start + timedelta(days=7), end + timedelta(days=7)) == []
    drawn = draw(pool, WEEK, 0.2)
    assert [c.report_sop_uid for c in drawn] == [
        c.report_sop_uid for c in draw(local, WEEK, 0.2)]  # the same as from the reports
    paged = archive_candidates(client, start, end, page=5)  # 8 pages of QIDO-RS answers
    assert [c.report_sop_uid for c in draw(paged, WEEK, 0.2)] == [
        c.report_sop_uid for c in drawn]
    assert len(paged) == len(pool)
    for centre in STATIONS:  # stratified: the floor or the ceiling of each quota
        strata = Counter((c.reader, c.grade) for c in pool if c.centre == centre)
        total = sum(strata.values())
        mine = Counter((c.reader, c.grade) for c in drawn if c.centre == centre)
        assert sum(mine.values()) == math.ceil(0.2 * total)  # 5 of 22, 3 of 12
        for stratum, size in strata.items():
            quota = sum(mine.values()) * size / total
            assert mine[stratum] in (math.floor(quota), math.ceil(quota)), (stratum, quota)
    assert len({c.report_sop_uid for c in drawn}) == len(drawn) == 8

    # The reference station holds none of the reports; its requests reach the archive once.
    centre_rc = open_store(tmp_path / "rc.sqlite3")
    assert already_requested(client, drawn) == set()
    ids = centre_rc.request_audits(drawn, requester="Head H", addressed_to="RC")
    assert centre_rc.request_audits(drawn, requester="Head H", addressed_to="RC") == ids
    refs = [centre_rc.referral(i) for i in ids]
    assert {r.uid for r in refs} == {audit_request_uid(c) for c in drawn}
    first = {c.report_sop_uid: c for c in drawn}
    for r in refs:
        c = first[r.report_sop_uid]
        assert (r.kind, r.first_reader, r.centre, r.study_instance_uid) == (
            "audit", c.reader, c.centre, c.study_instance_uid)
    _drain(centre_rc, client)
    assert already_requested(client, drawn) == {c.report_sop_uid for c in drawn}
    counts = server.store_counts()
    assert all(counts[r.uid] == 1 for r in refs)

    # The first reader's station adopts the audits of its reports (the review comes back).
    clinic1 = readers["Clinic 1"]
    from records.referral_queue import import_audits  # the reading station's fetch

    assert import_audits(clinic1, client) == sum(c.centre == "Clinic 1" for c in drawn)
    # A second reference station draws the same and finds every request already there.
    again = draw(archive_candidates(client, start, end), WEEK, 0.2)
    assert already_requested(client, again) == {c.report_sop_uid for c in drawn}
    for store in (*readers.values(), centre_rc):
        store.close()


def test_offline_the_sample_is_refused_with_a_clear_message(
        luch_home: Path, monkeypatch, capsys) -> None:
    dead = f"http://127.0.0.1:{free_port()}/dicom-web"
    client = DicomWebClient(ArchiveConfig(url=dead, user="u", password="p", timeout_s=2))
    start, end = week_bounds(WEEK)
    with pytest.raises(ArchiveUnavailable):
        archive_candidates(client, start, end)
    monkeypatch.setenv("LUCH_ARCHIVE_URL", dead)
    monkeypatch.setenv("LUCH_ARCHIVE_USER", "u")
    monkeypatch.setenv("LUCH_ARCHIVE_PASSWORD", "p")
    assert main(["audit-sample", "--week", WEEK, "--request"]) == 2
    err = capsys.readouterr().err
    assert "archive cannot be reached" in err and "--from-store" in err
    store = open_store()
    assert store.outbox_counts()["pending"] == 0 and store.referrals() == []
    store.close()
    assert main(["audit-sample", "--week", WEEK, "--from-store", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["source"], out["reports"], out["drawn"]) == ("store", 0, [])
