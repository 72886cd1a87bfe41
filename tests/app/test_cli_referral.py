"""``luch referral`` in-process: whom a stored request is open to, the first reader's
acknowledgement, the directory, and the clear errors (the two-process round trip is
tests/app/test_referral_two_stations.py)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.cli import main
from core.settings import Settings
from records import open_store

DIRECTORY = {"e": {"name": "Dr E", "centre": "RC", "expert": True},
             "f": {"name": "Dr F", "centre": "RC", "expert": True},
             "reader.a": {"name": "Dr A", "centre": "Clinic 1"}}


@pytest.fixture
def station(luch_home: Path, monkeypatch):
    Settings(luch_home / "settings.json").set("referral.directory", DIRECTORY)

    def as_user(login: str) -> None:
        monkeypatch.setenv("LOGNAME", login)
        monkeypatch.setenv("USER", login)
    return as_user


def _json(capsys, *args: str) -> object:
    assert main(["referral", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_request_for_another_expert_is_refused_to_this_one(station, capsys) -> None:
    store = open_store()
    ref_id = store.import_referral({
        "uid": "2.25.777", "study_instance_uid": "2.25.778", "report_sop_uid": "2.25.779",
        "kind": "second_opinion", "reason": "doubt", "urgency": "urgent",
        "first_reader": "reader.a", "centre": "Clinic 1", "addressed_to": "RC",
        "addressed_expert": "f", "requested_at": datetime.now(UTC).isoformat()},
        {"grade": "CT-2", "conclusion": "c", "text": "t"})
    store.close()
    station("e")
    assert _json(capsys, "queue", "--offline")["requests"] == []
    assert main(["referral", "open", str(ref_id)]) == 2
    assert "another centre or expert" in capsys.readouterr().err
    assert main(["referral", "review", str(ref_id), "--grade", "CT-1"]) == 2
    capsys.readouterr()
    station("f")
    [entry] = _json(capsys, "queue", "--offline")["requests"]
    assert (entry["id"], entry["addressee"]) == (ref_id, "expert")
    assert _json(capsys, "open", str(ref_id))["first_report"] is None  # blind
    saved = _json(capsys, "review", str(ref_id), "--grade", "CT-1")
    assert saved["first_report"]["grade"] == "CT-2"
    station("reader.a")  # not an expert
    assert main(["referral", "queue", "--offline"]) == 2
    assert "not an expert" in capsys.readouterr().err


def test_the_first_reader_acknowledges_a_review(station, capsys) -> None:
    store = open_store()
    version = store.save_report("2.25.900", author="reader.a", fields={"grade": "CT-1"},
                                text="x", status="final")
    store.close()
    station("reader.a")
    asked = _json(capsys, "request", "--study", "2.25.900", "--expert", "e")
    assert (asked["addressed_to"], asked["addressed_expert"]) == ("RC", "e")  # e's centre
    store = open_store()
    from records.referral import ReviewFields

    ref = store.referral(asked["id"])
    assert ref.centre == "Clinic 1" and ref.report_sop_uid == version.sop_instance_uid
    store.import_review({"referral_uid": ref.uid, "review_uid": "2.25.901", "version": 1,
                         "expert": "e", "status": "final",
                         "signed_at": datetime.now(UTC).isoformat(),
                         "fields": ReviewFields(grade="CT-1", score=1)})
    store.close()
    [review] = _json(capsys, "reviews", "--offline")
    assert (review["score"], review["answer"]) == (1, "")
    assert not any(c["differs"] for c in review["compare"])
    assert _json(capsys, "answer", str(review["version_id"]), "--acknowledge")["action"] == \
        "acknowledge"
    assert _json(capsys, "reviews", "--offline")[0]["answer"] == "acknowledge"


def test_the_directory_and_the_clear_errors(station, capsys) -> None:
    station("reader.a")
    people = {p["login"]: p for p in _json(capsys, "directory")}
    assert people["e"] == {"login": "e", "name": "Dr E", "centre": "RC", "expert": True}
    assert main(["referral", "request", "--study", "2.25.1"]) == 2
    assert "no signed report" in capsys.readouterr().err
    store = open_store()
    store.save_report("2.25.1", author="reader.a", fields={}, text="x", status="final")
    store.close()
    assert main(["referral", "request", "--study", "2.25.1", "--expert", "reader.a"]) == 2
    assert "not an expert" in capsys.readouterr().err


def test_a_request_to_no_one_is_shown_to_the_centres_serving_the_requester(
        station, luch_home: Path, capsys) -> None:
    """``referral.serves``: RC serves Clinic 1, RC 2 serves Clinic 2; Clinic 9 is named for
    neither, so its request to no one stays open to every expert (records.directory)."""
    settings = Settings(luch_home / "settings.json")
    settings.set("referral.directory", {**DIRECTORY, "g": {"centre": "RC 2", "expert": True}})
    settings.set("referral.serves", {"RC": ["Clinic 1"], "RC 2": ["Clinic 2"]})
    store = open_store()
    ids = {}
    for n, centre in enumerate(("Clinic 1", "Clinic 2", "Clinic 9")):
        ids[centre] = store.import_referral({
            "uid": f"2.25.90{n}", "study_instance_uid": f"2.25.91{n}",
            "report_sop_uid": f"2.25.92{n}", "kind": "second_opinion", "reason": "doubt",
            "urgency": "routine", "first_reader": "reader.a", "centre": centre,
            "addressed_to": "", "requested_at": datetime.now(UTC).isoformat()},
            {"grade": "CT-1", "conclusion": "c", "text": "t"})
    store.close()
    shown = {}
    for expert in ("e", "g"):
        station(expert)
        shown[expert] = {r["id"]: r["addressee"]
                         for r in _json(capsys, "queue", "--offline")["requests"]}
    assert shown == {"e": {ids["Clinic 1"]: "unaddressed", ids["Clinic 9"]: "unaddressed"},
                     "g": {ids["Clinic 2"]: "unaddressed", ids["Clinic 9"]: "unaddressed"}}
    assert main(["referral", "open", str(ids["Clinic 1"])]) == 2  # g: not RC 2's clinic
    assert "another centre or expert" in capsys.readouterr().err
