"""The user directory (records.directory): who is an expert, of which centre, read from the
settings and the station policy; and the addressee rule of the expert's queue."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from core.settings import Policy, Settings
from records.directory import (
    FOR_CENTRE,
    FOR_EXPERT,
    UNADDRESSED,
    Directory,
    Person,
    addressee,
    parse,
    parse_serves,
    reference_role,
    to_setting,
)

PEOPLE = {"ivanova": {"name": "Dr A. Ivanova", "centre": "Reference centre", "expert": True},
          "petrov": {"name": "Dr P. Petrov", "centre": "Clinic 1"},
          "sidorov": {"centre": "Reference centre", "expert": True},
          "kuznetsov": {"name": "Dr K", "centre": "North RC", "expert": True}}


def _settings(tmp_path: Path, policy: Policy | None = None, **values) -> Settings:
    settings = Settings(tmp_path / "settings.json", policy or Policy())
    for key, value in values.items():
        settings.set(key, value)
    return settings


def test_the_directory_places_people_and_names_experts(tmp_path: Path) -> None:
    d = Directory.from_settings(_settings(tmp_path, **{"referral.directory": PEOPLE,
                                                       "referral.centre": "Station C"}))
    assert d.is_expert("IVANOVA") and not d.is_expert("petrov") and not d.is_expert("x")
    assert d.centre_of("Petrov") == "Clinic 1"
    assert d.centre_of("unknown") == "Station C"  # not in the directory: the station's
    assert d.shown("ivanova") == "Dr A. Ivanova" and d.shown("sidorov") == "sidorov"
    assert d.centres() == ["North RC", "Reference centre"]  # centres with an expert
    assert [p.login for p in d.experts("reference centre")] == ["ivanova", "sidorov"]
    assert [p.login for p in d.experts()] == ["ivanova", "kuznetsov", "sidorov"]
    assert to_setting(list(d.people.values())) == {
        k: {"name": v.get("name", ""), "centre": v["centre"], "expert": v.get("expert", False)}
        for k, v in PEOPLE.items()}


def test_the_older_expert_list_still_names_experts(tmp_path: Path) -> None:
    d = Directory.from_settings(_settings(tmp_path, **{
        "referral.experts": "Expert E, petrov", "referral.directory": PEOPLE}))
    assert d.is_expert("expert e") and d.centre_of("Expert E") == ""
    assert not d.is_expert("petrov")  # the directory's entry wins over the older list


def test_the_role_is_the_stations_or_the_directorys(tmp_path: Path) -> None:
    settings = _settings(tmp_path, **{"referral.directory": PEOPLE})
    assert reference_role(settings, "ivanova") and not reference_role(settings, "petrov")
    settings.set("referral.role", "reference_centre")
    assert reference_role(settings, "petrov")


def test_the_station_policy_keeps_one_directory_for_every_station(tmp_path: Path) -> None:
    settings = _settings(tmp_path, Policy(locked={"referral.directory": PEOPLE}))
    assert Directory.from_settings(settings).is_expert("kuznetsov")
    with pytest.raises(Exception, match="fixed by the station policy"):
        settings.set("referral.directory", {})


def test_a_damaged_directory_is_logged_and_skipped(caplog) -> None:
    with caplog.at_level(logging.ERROR):
        assert parse(["ivanova"]) == []
        assert parse({"": {"expert": True}, "a": "expert", "b": {"expert": 1}}) == [
            Person("b", expert=True)]
    assert "referral.directory" in caplog.text


@pytest.mark.parametrize(("to", "one", "centre", "expert", "why"), [
    ("RC", "", "RC", "e", FOR_CENTRE),
    ("rc", "", "RC", "e", FOR_CENTRE),  # without case
    ("Other", "", "RC", "e", None),  # another centre's
    ("RC", "e", "RC", "E", FOR_EXPERT),
    ("RC", "f", "RC", "e", None),  # another expert's, even at this centre
    ("", "", "RC", "e", UNADDRESSED),  # names no one: shown, marked
    ("RC", "", "", "e", None),  # a station with no centre name: not for it
    ("", "", "", "", UNADDRESSED),
])
def test_the_queue_shows_a_request_to_its_addressee(to, one, centre, expert, why) -> None:
    assert addressee({"addressed_to": to, "addressed_expert": one}, centre, expert) == why
    assert addressee({"addressed_to": to}, centre, expert) == (
        why if not one else (FOR_CENTRE if to.casefold() == centre.casefold() and centre
                             else None))  # an older request names no expert


SERVES = {"RC": ["Clinic 1", "Clinic 2"], "RC 2": "Clinic 2, Clinic 3"}


@pytest.mark.parametrize(("requesting", "centre", "why"), [
    ("Clinic 1", "RC", UNADDRESSED),  # served by RC
    ("clinic 1", "rc", UNADDRESSED),  # without case
    ("Clinic 1", "RC 2", None),  # another reference centre's clinic
    ("Clinic 2", "RC 2", UNADDRESSED),  # served by both
    ("Clinic 2", "RC", UNADDRESSED),
    ("Clinic 3", "RC", None),
    ("Clinic 9", "RC", UNADDRESSED),  # named for no reference centre: every expert's
    ("", "RC 2", UNADDRESSED),  # no requesting centre: every expert's
    ("Clinic 1", "", None),  # an expert of no centre serves no one named
])
def test_a_request_to_no_one_goes_to_the_centres_serving_the_requester(
        tmp_path: Path, requesting, centre, why) -> None:
    settings = _settings(tmp_path, **{"referral.serves": SERVES})
    directory = Directory.from_settings(settings)
    data = {"addressed_to": "", "addressed_expert": "", "centre": requesting}
    assert addressee(data, centre, "e", directory) == why
    assert addressee(data, centre, "e") == UNADDRESSED  # no directory: as before
    addressed = {**data, "addressed_to": centre or "RC"}  # an addressed one: unchanged
    assert addressee(addressed, centre, "e", directory) == (FOR_CENTRE if centre else None)


def test_a_damaged_service_map_is_logged_and_skipped(caplog) -> None:
    with caplog.at_level(logging.ERROR):
        assert parse_serves(["RC"]) == {}
        assert parse_serves({"RC": 3, "": ["a"], "RC 2": ["a", " "]}) == {"RC 2": ["a"]}
    assert "referral.serves" in caplog.text
