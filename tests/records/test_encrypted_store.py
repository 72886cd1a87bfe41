"""The records database under SQLCipher: unreadable without the key, converted once from plain."""

from __future__ import annotations

import json
import sqlite3

import pytest

from core import crypto, vault
from records import open_store
from records.db import DB_FILE, is_plain_database
from records.errors import StoreError

NAME = "Шифрова^Анна"


def _fill(store) -> None:
    store.upsert_study("1.2.826.0.1.9", patient_id="PID-CRYPT-77", patient_name=NAME)
    version = store.save_report("1.2.826.0.1.9", author="Dr A", text="Anna: GGO right lower lobe",
                                fields={"grade": "CT-2"}, status="final")
    store.enqueue("report_version", version.id, "1.2.826.0.1.9")


def _files(home):
    return [p for p in home.rglob(DB_FILE + "*") if p.is_file()]


def test_encrypted_store_works_and_no_file_reads_plain(encrypted_home):
    store = open_store()
    _fill(store)
    assert store.unsent_study_uids() == {"1.2.826.0.1.9"}
    files = _files(encrypted_home)  # the database and its WAL while open
    assert len(files) >= 2
    for f in files:
        raw = f.read_bytes()
        assert b"SQLite format 3" not in raw and b"PID-CRYPT-77" not in raw
        assert NAME.encode() not in raw and b"GGO right lower" not in raw
    store.close()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(encrypted_home / DB_FILE).execute("SELECT * FROM sqlite_master").fetchall()
    again = open_store()
    assert again.unsent_study_uids() == {"1.2.826.0.1.9"}
    again.close()


def test_plain_database_is_converted_once_with_its_data(luch_home, memory_keyring):
    vault.clear_cache()
    store = open_store()  # encryption off: plain SQLite
    _fill(store)
    store.close()
    assert is_plain_database(luch_home / DB_FILE)
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    store = open_store()
    assert not is_plain_database(luch_home / DB_FILE)
    assert store.unsent_study_uids() == {"1.2.826.0.1.9"}
    assert store.study_header_info("1.2.826.0.1.9")[0]["name"] == NAME
    assert [v.text for r in store.reports_for_study("1.2.826.0.1.9")
            for v in store.report_versions(r.uid)] == ["Anna: GGO right lower lobe"]
    store.close()
    assert not list(luch_home.glob("*.encrypting"))
    for f in _files(luch_home):
        assert NAME.encode() not in f.read_bytes()
    # encryption turned off again: the encrypted database is still opened with its key
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: False}))
    vault.clear_cache()
    store = open_store()
    assert store.unsent_study_uids() == {"1.2.826.0.1.9"}
    store.close()
    vault.clear_cache()


def test_another_key_is_a_clear_error_and_the_file_is_kept(encrypted_home):
    store = open_store()
    _fill(store)
    store.close()
    before = (encrypted_home / DB_FILE).read_bytes()
    keys = vault.current()
    wrong = crypto.wrap_key(keys._kek, crypto.new_key(), vault.RECORDS_KEY)
    (encrypted_home / vault.KEYS_DIR / "records.key").write_bytes(wrong)
    vault.clear_cache()
    with pytest.raises(StoreError, match="cannot be decrypted"):
        open_store()
    assert (encrypted_home / DB_FILE).read_bytes() == before
