"""The key hierarchy: KEK in the OS keyring only, DEKs wrapped on disk, the private-file seam."""

from __future__ import annotations

import json

import keyring
import pytest

from core import crypto, vault
from core.crypto import SealError
from core.settings import Policy, Settings


def test_setting_home_profile_and_policy(luch_home):
    s = Settings(luch_home / "s.json", Policy())
    assert not vault.encryption_enabled(s)
    s.set(vault.PROFILE_SETTING, "home")
    assert vault.encryption_enabled(s)
    s.set(vault.SETTING, False)
    assert not vault.encryption_enabled(s)
    locked = Settings(luch_home / "s.json", Policy(locked={vault.SETTING: True}))
    assert vault.encryption_enabled(locked)


def test_private_files_are_sealed_and_read_back(encrypted_home, memory_keyring):
    path = encrypted_home / "drafts" / "a.json"
    vault.write_private(path, "Иванов Иван".encode())
    raw = path.read_bytes()
    assert crypto.is_sealed(raw) and "Иванов".encode() not in raw
    assert vault.read_private(path).decode() == "Иванов Иван"
    # the KEK is only in the keyring; the data key only wrapped
    assert len(memory_keyring.passwords) == 1
    kek = next(iter(memory_keyring.passwords.values()))
    for f in encrypted_home.rglob("*"):
        if f.is_file():
            assert kek.encode() not in f.read_bytes()


def test_tampered_private_file_fails_clearly_and_stays(encrypted_home):
    path = encrypted_home / "drafts" / "a.json"
    vault.write_private(path, b"report text")
    bad = bytearray(path.read_bytes())
    bad[-1] ^= 1
    path.write_bytes(bytes(bad))
    with pytest.raises(SealError, match="changed"):
        vault.read_private(path)
    assert path.read_bytes() == bytes(bad)  # nothing removed


def test_lost_kek_is_a_clear_error(encrypted_home, memory_keyring):
    path = encrypted_home / "x.json"
    vault.write_private(path, b"text")
    memory_keyring.passwords.clear()
    vault.clear_cache()
    (encrypted_home / "settings.json").write_text(json.dumps({vault.SETTING: False}))
    with pytest.raises(vault.KeyMissing):
        vault.read_private(path)


def test_no_keyring_says_so_and_stores_nothing(luch_home, failing_keyring):
    luch_home.mkdir(parents=True, exist_ok=True)
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    with pytest.raises(vault.KeyringUnavailable, match="no OS keyring"):
        vault.write_private(luch_home / "d.json", b"Ivanov")
    assert not (luch_home / "d.json").exists()
    assert not (luch_home / vault.KEYS_DIR).exists()
    vault.clear_cache()


def test_two_homes_have_two_keks(tmp_path, memory_keyring):
    a, b = vault.Vault.open(tmp_path / "a"), vault.Vault.open(tmp_path / "b")
    assert a.dek("home") != b.dek("home")
    assert keyring.get_password(vault.KEYRING_SERVICE, vault._account(tmp_path / "a"))
