"""The key hierarchy: KEK in the OS keyring only, DEKs wrapped on disk, the private-file seam."""

from __future__ import annotations

import json
from pathlib import Path

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


def test_ai_files_are_sealed_with_their_studys_key(encrypted_home):
    """Two studies' files in one flat folder: each names its study's key; forgetting one
    study makes its files unreadable and leaves the other's as they are."""
    folder = encrypted_home / "ai-dicom"
    a = vault.write_folder_file(folder / "a.seg.dcm", b"study A's SEG", study_uid="1.2.3.1")
    a2 = vault.write_folder_file(folder / "a.labels.nii.gz", b"A's map", study_uid="1.2.3.1")
    b = vault.write_folder_file(folder / "b.seg.dcm", b"study B's SEG", study_uid="1.2.3.2")
    keys = vault.current()
    ids = [crypto.key_id(p.read_bytes()) for p in (a, a2, b)]
    assert ids[0] == ids[1] == keys.study_key_id("1.2.3.1") != ids[2]
    assert not (folder / vault.FOLDER_KEY).exists()
    for f in (encrypted_home / "keys").rglob("*"):  # key files are named by id, no UID
        assert "1.2.3" not in f.name
    assert vault.read_folder_file(a) == b"study A's SEG"
    assert keys.forget_study("1.2.3.1")
    vault.clear_cache()
    with pytest.raises(SealError, match="key is missing"):
        vault.read_folder_file(a)
    assert vault.read_folder_file(b) == b"study B's SEG"
    # a study key is re-wrapped by a key reset like the other data keys
    vault.rotate_kek(encrypted_home)
    assert vault.read_folder_file(b) == b"study B's SEG"


def test_folder_keyed_files_move_to_their_studys_key(encrypted_home):
    """Files sealed with their folder's key (before study keys) and a plain one are
    resealed with their study's key, nothing lost; one whose study is unknown keeps the
    folder's key, and the folder key goes once no file needs it."""
    folder = encrypted_home / "corrections"
    folder.mkdir()
    keys = vault.current()
    old = keys.folder_dek(folder, create=True)
    content = {f"{n}.npz": f"maps {n}".encode() for n in range(3)}
    for name, data in content.items():  # as the last release wrote them
        (folder / name).write_bytes(crypto.seal(old, data, name.removesuffix(".npz").encode()))
    (folder / "plain.npz").write_bytes(b"plain maps")
    content["plain.npz"] = b"plain maps"
    studies = {"0.npz": "1.2.9.0", "1.npz": "1.2.9.1", "plain.npz": "1.2.9.0"}
    seen = {}

    def study_of(path, data):
        seen[path.name] = data
        return studies.get(path.name)

    assert vault.seal_folder_files(folder, keys, study_of) == 3
    assert seen == content  # each file's plaintext was handed over
    for name, data in content.items():
        assert vault.read_folder_file(folder / name) == data
    assert crypto.key_id((folder / "0.npz").read_bytes()) == keys.study_key_id("1.2.9.0")
    assert crypto.key_id((folder / "plain.npz").read_bytes()) == keys.study_key_id("1.2.9.0")
    assert crypto.key_id((folder / "2.npz").read_bytes()) is None  # unknown: folder key
    assert (folder / vault.FOLDER_KEY).exists()
    studies["2.npz"] = "1.2.9.2"
    assert vault.seal_folder_files(folder, keys, study_of) == 1
    assert not (folder / vault.FOLDER_KEY).exists()
    assert vault.seal_folder_files(folder, keys, study_of) == 0
    assert vault.read_folder_file(folder / "2.npz") == b"maps 2"


def test_a_study_key_no_file_names_is_dropped(encrypted_home):
    folder = encrypted_home / "ai-dicom"
    kept = vault.write_folder_file(folder / "k.sr.dcm", b"kept", study_uid="1.2.5.1")
    gone = vault.write_folder_file(folder / "g.sr.dcm", b"gone", study_uid="1.2.5.2")
    keys = vault.current()
    gone.unlink()
    assert vault.drop_unused_study_keys(keys, [folder]) == 0  # too new: may be in use
    assert vault.drop_unused_study_keys(keys, [folder], min_age_s=0) == 1
    assert keys.study_dek("1.2.5.2", create=False)[1] is None
    assert vault.read_folder_file(kept) == b"kept"


def test_the_anonymisation_key_is_plain_only_while_encryption_is_off(luch_home,
                                                                     memory_keyring):
    """Off: kept for the owner only, the home marked; on: the same secret wrapped in place by
    the station key (exports keep their pseudonyms), and re-wrapped by a key reset."""
    path = luch_home / vault.KEYS_DIR / f"{vault.ANONYMIZE_KEY}.key"
    vault.clear_cache()
    secret = vault.station_secret(vault.ANONYMIZE_KEY)
    assert path.read_bytes() == secret and len(secret) == 32
    assert path.stat().st_mode & 0o077 == 0 and vault.needs_sealing()
    assert vault.station_secret(vault.ANONYMIZE_KEY) == secret
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    assert vault.station_secret(vault.ANONYMIZE_KEY) == secret
    raw = path.read_bytes()
    assert crypto.is_wrapped(raw) and secret not in raw
    assert vault.rotate_kek() >= 1
    assert vault.station_secret(vault.ANONYMIZE_KEY) == secret
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: False}))
    vault.clear_cache()
    assert vault.station_secret(vault.ANONYMIZE_KEY) == secret  # read whichever way it stands
    assert crypto.is_wrapped(path.read_bytes())
    vault.clear_cache()


def test_no_core_dumps_sets_the_limit_for_the_process_and_its_children():
    import subprocess
    import sys

    code = ("import resource, subprocess, sys; from core import vault; "
            "assert vault.no_core_dumps(); print(resource.getrlimit(resource.RLIMIT_CORE)); "
            "subprocess.run([sys.executable, '-c', 'import resource; "
            "print(resource.getrlimit(resource.RLIMIT_CORE))'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2]).stdout
    assert out.split("\n")[:2] == ["(0, 0)", "(0, 0)"]
