"""Shards split the studies between processes, each study to exactly one."""

from __future__ import annotations

import hashlib

import pytest

from core.private_names import log_tag, unkeyed_name
from prereads.errors import PreReadServiceError
from prereads.shards import Shard, study_tag
from records.uids import derived_uid


def test_every_study_falls_in_exactly_one_shard_and_all_shards_get_some():
    uids = [derived_uid("study", str(n)) for n in range(300)]
    for count in (1, 2, 3, 5):
        owners = [[k for k in range(1, count + 1) if Shard(k, count).owns(u)] for u in uids]
        assert all(len(o) == 1 for o in owners)
        shares = [sum(o == [k] for o in owners) for k in range(1, count + 1)]
        assert min(shares) > 300 / count / 2  # roughly even


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "a/b", "2"])
def test_a_bad_shard_is_refused_clearly(text):
    with pytest.raises(PreReadServiceError, match="K/N"):
        Shard.parse(text)


def test_logs_name_a_study_by_a_keyed_hash_not_its_uid(luch_home):
    uid = derived_uid("study", "x")
    assert Shard.parse("2/3") == Shard(2, 3) and str(Shard(2, 3)) == "2/3"
    assert study_tag(uid) == "uid:" + log_tag(uid) and uid not in study_tag(uid)
    # not the unkeyed hash anyone can compute from the UID (the tag of before)
    assert hashlib.sha256(uid.encode()).hexdigest()[:10] not in study_tag(uid)
    assert unkeyed_name(uid)[:12] not in study_tag(uid)


def test_since_is_now_or_a_date():
    from datetime import date

    from prereads.watch import parse_since

    assert parse_since("now") is None and parse_since(" NOW ") is None
    assert parse_since("2026-12-06") == parse_since("20261206") == date(2026, 12, 6)
    for bad in ("yesterday", "2026-13-01", "202612"):
        with pytest.raises(ValueError):
            parse_since(bad)
