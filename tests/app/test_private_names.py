"""Drafts, dictations and log tags named by a keyed hash of the UID; the unkeyed names of
before moved (kill-safe) and still found."""

from __future__ import annotations

import json
import logging
import os

import pytest

from app.commands._sealing import NAMES_KEYED, key_private_names
from app.panels.drafts import Draft, load_draft, save_draft
from core import crypto, private_names, vault
from core.logging import PhiFilter
from core.paths import app_subdir
from core.private_names import find_moved, private_path, retag_logs, uid_name, unkeyed_name

UID = "1.2.826.0.1.3680043.8.498.77777777777777"
OTHER = "1.2.826.0.1.3680043.8.498.88888888888888"


def test_names_are_keyed_by_the_station_secret(encrypted_home, tmp_path, monkeypatch):
    name = uid_name(UID)
    assert len(name) == 32 and name != unkeyed_name(UID) and uid_name(UID) == name
    assert name[:12] not in unkeyed_name(UID)
    record = logging.LogRecord("t", logging.INFO, "", 0, "opened %s", (UID,), None)
    PhiFilter().filter(record)
    assert record.getMessage() == f"opened uid:{name[:12]}"
    # another station (another naming secret): another name for the same UID
    monkeypatch.setenv("LUCH_HOME", str(tmp_path / "other"))
    assert uid_name(UID) != name


def test_a_draft_of_before_is_found_and_moved_sealed_anew(encrypted_home):
    drafts = app_subdir("drafts")
    old = drafts / f"{unkeyed_name(UID)}.json"
    vault.write_private(old, json.dumps({"study_instance_uid": UID,
                                         "free_text": "Ivanov"}).encode())
    assert crypto.is_sealed(old.read_bytes())
    draft = load_draft(UID)
    assert draft is not None and draft.free_text == "Ivanov"
    new = drafts / f"{uid_name(UID)}.json"
    assert not old.exists() and crypto.is_sealed(new.read_bytes())
    save_draft(Draft(UID, free_text="again"))
    assert load_draft(UID).free_text == "again" and sorted(p.name for p in drafts.iterdir()
                                                          ) == [new.name]


def test_a_killed_move_is_settled_at_the_next_look_up(encrypted_home):
    drafts = app_subdir("drafts")
    old = drafts / f"{unkeyed_name(UID)}.json"
    vault.write_private(old, b'{"study_instance_uid": "%s", "free_text": "kept"}' % UID.encode())
    new = private_path(drafts, UID, ".json")
    vault.write_private(old, b'{"study_instance_uid": "%s", "free_text": "kept"}' % UID.encode())
    os.utime(old, ns=(1, 1))  # killed after the copy was written, before the old was deleted
    assert load_draft(UID).free_text == "kept" and not old.exists() and new.exists()
    # a dictation folder half moved: the files moved are not moved again, the rest follow
    dictations = app_subdir("dictations")
    before = dictations / unkeyed_name(OTHER)
    before.mkdir()
    for n in range(3):
        vault.write_private(before / f"{n}.flac", b"audio %d" % n)
    after = dictations / uid_name(OTHER)
    after.mkdir()
    os.replace(before / "0.flac", after / "0.flac")
    assert private_path(dictations, OTHER) == after and not before.exists()
    assert [vault.read_private(after / f"{n}.flac") for n in range(3)] == [
        b"audio 0", b"audio 1", b"audio 2"]
    # the records' path of before (the old folder) still finds the audio
    assert find_moved(before / "2.flac") == after / "2.flac"


def test_the_start_moves_known_studies_and_retags_old_log_lines(encrypted_home):
    drafts, dictations = app_subdir("drafts"), app_subdir("dictations")
    vault.write_private(drafts / f"{unkeyed_name(UID)}.json", b"{}")
    (dictations / unkeyed_name(UID)).mkdir()
    vault.write_private(dictations / unkeyed_name(UID) / "a.flac", b"audio")
    stranger = drafts / f"{unkeyed_name(OTHER)}.json"  # a study the records do not know
    vault.write_private(stranger, b"{}")
    logs = app_subdir("logs") / "luch.log"
    logs.write_text(
        f"2026-12-01 10:00:00,000 INFO x: opened uid:{unkeyed_name(UID)[:12]}\n"
        "Traceback (most recent call last):\n"
        f"  seen uid:{unkeyed_name(OTHER)[:12]} too\n"
        f"2099-01-01 10:00:00,000 INFO x: this process: uid:{uid_name(OTHER)[:12]}\n")
    assert key_private_names([UID]) == 2
    assert sorted(p.name for p in drafts.iterdir()) == sorted(
        [f"{uid_name(UID)}.json", stranger.name])
    assert (dictations / uid_name(UID) / "a.flac").is_file()
    text = logs.read_text()
    assert f"opened uid:{uid_name(UID)[:12]}\n" in text
    assert "seen uid:???????????? too" in text and unkeyed_name(OTHER)[:12] not in text
    assert f"this process: uid:{uid_name(OTHER)[:12]}" in text
    assert (encrypted_home / vault.KEYS_DIR / NAMES_KEYED).exists()
    assert key_private_names([UID]) == 0  # once
    assert retag_logs([logs], [UID], "2026-01-01 00:00:00") == 0
    assert private_path(drafts, OTHER, ".json").exists() and not stranger.exists()


def test_no_naming_key_hides_the_uid_in_the_log(encrypted_home, memory_keyring):
    vault.station_secret(vault.CACHE_NAMES_KEY)  # made, then the station key lost
    memory_keyring.passwords.clear()
    vault.clear_cache()
    private_names.forget()
    assert private_names.log_tag(UID) == "?" * 12
    with pytest.raises(vault.KeyMissing):
        uid_name(UID)


def test_a_damaged_draft_of_before_is_kept_aside_under_a_keyed_name(encrypted_home):
    drafts = app_subdir("drafts")
    old = drafts / f"{unkeyed_name(UID)}.json"
    vault.write_private(old, b"{}")
    bad = bytearray(old.read_bytes())
    bad[-1] ^= 1
    old.write_bytes(bytes(bad))
    assert load_draft(UID) is None  # no error: the reader starts a new draft
    assert [p.name for p in drafts.iterdir()] == [f"{uid_name(UID)}.json.broken"]
