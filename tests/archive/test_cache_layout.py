"""The image cache's hashed names, and the move of a cache named by UID (issue 23): nothing
lost, no UID left in a name, a killed move (SIGKILL at each step) finished by the next."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest

from archive.cache import ImageCache
from archive.cache_layout import RECORD, migrate_layout, start_migration
from archive.cache_policy import wipe
from core import crypto, vault
from studies import open_volume

ROOT = Path(__file__).resolve().parents[2]


def _slices(shared_data: Path, n: int = 6) -> list[Path]:
    return sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:n]


def old_layout(root: Path, files: list[Path], sealed: bool) -> tuple[str, list[str]]:
    """A study cached as the releases before wrote it: ``<Study>/<Series>/<SOP>.dcm``, sealed
    with the SOP UID as associated data and a key wrapped for the UID-named folder."""
    head = pydicom.dcmread(files[0], stop_before_pixels=True)
    study, series = str(head.StudyInstanceUID), str(head.SeriesInstanceUID)
    folder = root / study
    key = vault.current().folder_dek(folder, create=True) if sealed else None
    sops = []
    for f in files:
        sop = str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID)
        data = f.read_bytes()
        if key is not None:
            data = crypto.seal(key, data, sop.encode())
        (folder / series).mkdir(parents=True, exist_ok=True)
        (folder / series / f"{sop}.dcm").write_bytes(data)
        sops.append(sop)
    (folder / ".manifest.json").write_text(json.dumps({"instances": len(files)}))
    (folder / ".complete").touch()
    os.utime(folder / ".complete", (1_000_000, 1_000_000))  # last used long ago
    return study, [series, *sops]


def _uids_in_names(root: Path, uids: list[str]) -> list[str]:
    return [str(p) for p in root.rglob("*") if any(u in p.name for u in uids)]


@pytest.mark.parametrize("sealed", [False, True], ids=["plain", "sealed"])
def test_a_cache_named_by_uid_moves_to_hashed_names(encrypted_home, shared_data, tmp_path,
                                                    sealed):
    files = _slices(shared_data)
    cache = ImageCache()
    study, others = old_layout(cache.root, files, sealed)
    assert migrate_layout(cache) == 1
    assert _uids_in_names(encrypted_home, [study, *others]) == []
    folder = ImageCache().study_dir(study)  # a new process: the names from the sealed record
    assert ImageCache().studies() == [study] and ImageCache().has_study(study)
    assert (folder / ".complete").stat().st_mtime == 1_000_000  # its last use kept (LRU)
    assert study.encode() not in (folder / RECORD).read_bytes()
    images = sorted(folder.rglob("*.dcm"))
    assert len(images) == len(files)
    assert all(crypto.is_sealed(p.read_bytes()) == sealed for p in images)
    assert np.array_equal(open_volume(folder).voxels, _plain_volume(files, tmp_path))
    assert migrate_layout(cache) == 0


def _plain_volume(files: list[Path], tmp_path: Path) -> np.ndarray:
    plain = tmp_path / "plain"
    plain.mkdir(exist_ok=True)
    for f in files:
        shutil.copy(f, plain / f.name)
    return open_volume(plain).voxels


def test_a_study_named_by_uid_moves_when_first_asked_for(encrypted_home, shared_data, tmp_path):
    files = _slices(shared_data, 3)
    cache = ImageCache()
    study, _ = old_layout(cache.root, files, sealed=True)
    assert cache.studies() == [study]  # listed before it moved
    assert cache.has_study(study)  # asking for it moves it
    assert not (cache.root / study).exists()
    assert np.array_equal(open_volume(cache.study_dir(study)).voxels,
                          _plain_volume(files, tmp_path))


def test_names_hide_uids_and_depend_on_the_station(encrypted_home, tmp_path):
    uid = "1.2.826.0.1.3680043.8.498.12345"
    name = ImageCache().names.study(uid)
    assert uid not in name and len(name) == 33 and ImageCache().names.study(uid) == name
    key_file = encrypted_home / vault.KEYS_DIR / f"{vault.CACHE_NAMES_KEY}.key"
    assert crypto.is_wrapped(key_file.read_bytes())  # wrapped by the station key
    key_file.unlink()
    vault.clear_cache()
    assert ImageCache().names.study(uid) != name  # another station's key: other names


def test_a_wipe_removes_folders_whose_naming_key_was_set_aside(encrypted_home, shared_data):
    files = _slices(shared_data, 2)
    cache = ImageCache()
    old_layout(cache.root, files, sealed=True)
    migrate_layout(cache)
    (encrypted_home / vault.KEYS_DIR / f"{vault.CACHE_NAMES_KEY}.key").unlink()
    fresh = ImageCache()
    assert fresh.studies() == []
    old = time.time() - 3600
    for folder in fresh.root.iterdir():
        os.utime(folder, (old, old))
    assert wipe(fresh).images == 2 and [p for p in fresh.root.iterdir()
                                        if not p.name.startswith(".")] == []


KILLER = """
import os, signal, sys
import keyring
sys.path.insert(0, {root!r})
from tests.plugins.keyrings import MemoryKeyring
ring = MemoryKeyring()
ring.passwords = {{tuple(k.split("|")): v for k, v in {passwords!r}.items()}}
keyring.set_keyring(ring)
import archive.cache_layout as layout
from archive.cache import ImageCache
step, where = int(sys.argv[1]), sys.argv[2]
calls = [0]
def die_after(fn):
    def wrapped(*a, **k):
        out = fn(*a, **k)
        calls[0] += 1
        if calls[0] == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return out
    return wrapped
def die_moving(fn):
    def wrapped(src, dst):
        if str(src).endswith(".moving"):  # the re-sealed image written, not in place yet
            os.kill(os.getpid(), signal.SIGKILL)
        return fn(src, dst)
    return wrapped
if where == "image":
    layout._move_image = die_after(layout._move_image)
elif where == "record":
    layout.write_bytes_atomic = die_after(layout.write_bytes_atomic)
elif where == "rewrap":
    layout.vault.Vault.rewrap_folder_key = die_after(layout.vault.Vault.rewrap_folder_key)
elif where == "rename":
    layout.os.rename = die_after(layout.os.rename)
elif where == "write":  # inside one image's move: the new file half written
    layout.os.replace = die_moving(layout.os.replace)
layout.migrate_layout(ImageCache())
print("finished")
"""


@pytest.mark.parametrize("step,where", [(1, "record"), (1, "image"), (4, "image"), (1, "write"),
                                        (1, "rewrap"), (1, "rename")])
def test_a_killed_move_loses_nothing(encrypted_home, memory_keyring, shared_data, tmp_path,
                                     step, where):
    files = _slices(shared_data)
    cache = ImageCache()
    study, others = old_layout(cache.root, files, sealed=True)
    passwords = {"|".join(k): v for k, v in memory_keyring.passwords.items()}
    run = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT),
                                                              passwords=passwords),
                          str(step), where], cwd=ROOT, capture_output=True, text=True,
                         env={**os.environ, "LUCH_HOME": str(encrypted_home)}, timeout=120)
    assert run.returncode == -9, run.stderr  # killed mid-move
    vault.clear_cache()
    cache = ImageCache()
    assert cache.studies() == [study]  # still known, half moved
    migrate_layout(cache)
    assert _uids_in_names(encrypted_home, [study, *others]) == []
    folder = cache.study_dir(study)
    assert sorted(p.name for p in folder.iterdir() if p.name.startswith(".")) == [
        ".complete", vault.FOLDER_KEY, ".manifest.json", RECORD]
    assert len(list(folder.rglob("*.dcm"))) == len(files)
    assert cache.has_study(study)
    assert np.array_equal(open_volume(folder).voxels, _plain_volume(files, tmp_path))


def test_a_path_recorded_before_the_move_is_found_after_it(encrypted_home, shared_data):
    files = _slices(shared_data, 2)
    cache = ImageCache()
    study, (series, sop, _) = old_layout(cache.root, files, sealed=True)
    before = [cache.root / study, cache.root / study / series,
              cache.root / study / series / f"{sop}.dcm"]
    migrate_layout(cache)
    now = [cache.current_path(p) for p in before]
    assert all(p.exists() for p in now) and now[0] == cache.study_dir(study)
    assert now[2] == cache.instance_path(study, series, sop)
    elsewhere = encrypted_home / "studies" / study
    assert cache.current_path(elsewhere) == elsewhere


def test_the_start_moves_the_cache_in_the_background(encrypted_home, shared_data, tmp_path):
    files = _slices(shared_data, 3)
    cache = ImageCache()
    study, others = old_layout(cache.root, files, sealed=True)
    mover = start_migration(cache)
    assert mover is not None
    folder = ImageCache().study_dir(study)  # asked for meanwhile: moved once, either way
    mover.join(60)
    assert not mover.is_alive() and _uids_in_names(encrypted_home, [study, *others]) == []
    assert np.array_equal(open_volume(folder).voxels, _plain_volume(files, tmp_path))
    assert start_migration(cache) is None  # nothing left to move
