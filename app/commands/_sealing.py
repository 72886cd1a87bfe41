"""Encryption at rest for a whole ``LUCH_HOME``: what is still plain, sealing it once, and the
key reset (refused while work is unsent), for ``luch encryption`` and the app's start.

The database is converted by :func:`records.open_store` itself; this seals the files: the
cached images (a key per study), report drafts, dictation audio and its word times, where
series were left and the folder last opened from (moved out of ``settings.json``) (the home
key), the anonymisation key and the image cache's naming key (wrapped by the station key),
UIDs in the logs of before
(masked once), the AI's SEG, SR and label maps
and the readers' corrections (a key per study, :data:`FOLDER_SEALED`; those sealed before
with their folder's key move to their study's key at the first start after the update,
:func:`study_of_files`).
"""

from __future__ import annotations

import io
import logging
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from app.shell.open_dir import OPEN_DIR_KEY, seal_open_dir
from core import crypto, private_names, vault
from core.logging import LOG_FILE, STARTED, mask_uids_in_logs
from core.paths import app_home
from core.settings import Settings

log = logging.getLogger(__name__)
#: folders under LUCH_HOME whose files go through core.vault.write_private
PRIVATE_FOLDERS = ("drafts", "dictations", "measurements", "key-images", "word-links", "reading")
#: folders under LUCH_HOME whose files go through core.vault.write_folder_file (its own key)
FOLDER_SEALED = ("ai-dicom", "corrections")
SET_ASIDE = "set-aside"
LOGS_MASKED = "logs-masked"  # in keys/: the logs of before were rewritten with UIDs masked
NAMES_KEYED = "names-keyed"  # in keys/: the unkeyed names of before moved, the logs retagged
#: the private folders whose files are named by a UID, and their suffixes
NAMED_BY_UID = {"drafts": ".json", "dictations": "", "key-images": ".json",
                "word-links": ".json", "measurements": ".json"}


def private_files(home: Path) -> list[Path]:
    """The files of the private folders (not temporary ones)."""
    return [p for name in PRIVATE_FOLDERS for p in sorted((home / name).rglob("*"))
            if p.is_file() and not p.name.startswith(".")]


def folder_sealed_files(home: Path) -> list[Path]:
    """The files of the AI's folders (not the key, not temporary ones)."""
    return [p for name in FOLDER_SEALED if (home / name).is_dir()
            for p in sorted((home / name).iterdir())
            if p.is_file() and not p.name.startswith(".")]


def _plain_secrets(home: Path) -> list[str]:
    """The station secrets (the anonymisation key, the cache's naming key) kept in plain
    (made while encryption was off)."""
    paths = {name: home / vault.KEYS_DIR / f"{name}.key" for name in vault.SECRETS}
    return [name for name, path in paths.items()
            if path.is_file() and not crypto.is_wrapped(path.read_bytes())]


def _plain(path: Path) -> bool:
    with open(path, "rb") as f:
        return not crypto.is_sealed(f.read(len(crypto.MAGIC)))


def seal_home(keys: vault.Vault | None = None, force: bool = False) -> dict[str, int]:
    """Seal what was written before encryption was on; counts of files sealed. Without
    ``force`` nothing is read unless plain data may be there (:func:`vault.needs_sealing`:
    a plain write since, or never converted), so the app's start stays quick."""
    from archive.cache import ImageCache  # deferred: `luch --help` does not load it
    from archive.cache_policy import seal_cache

    keys = keys or vault.current()
    if keys is None:
        return {"files": 0, "images": 0}
    folder_keyed = any((keys.home / name / vault.FOLDER_KEY).exists() for name in FOLDER_SEALED)
    settings = Settings()
    logs_masked = keys.home / vault.KEYS_DIR / LOGS_MASKED
    plain_left = (bool(_plain_secrets(keys.home)) or isinstance(settings.get(OPEN_DIR_KEY), str)
                  or not logs_masked.exists())
    if not (force or folder_keyed or plain_left or vault.needs_sealing(keys.home)):
        return {"files": 0, "images": 0}
    files = vault.seal_plain_files([p for p in private_files(keys.home) if _plain(p)], keys)
    for name in _plain_secrets(keys.home):  # wrapped, the same secret
        vault.station_secret(name, keys)
        files += 1
    files += seal_open_dir(settings, keys)
    if mask_uids_in_logs():  # written before the log masked UIDs
        log.info("encryption at rest: UIDs masked in the logs of before")
    logs_masked.parent.mkdir(parents=True, exist_ok=True)
    logs_masked.touch()
    study_of = study_of_files()
    files += sum(vault.seal_folder_files(keys.home / name, keys, study_of)
                 for name in FOLDER_SEALED)
    images = seal_cache(ImageCache(), keys)
    vault.sealed_all(keys.home)
    if files or images:
        log.info("encryption at rest: %d files and %d cached images sealed", files, images)
    return {"files": files, "images": images}


def study_of_files():
    """``study_of(path, plaintext)`` for :func:`core.vault.seal_folder_files`: the study an
    AI file belongs to, as the records list it, else as a DICOM file says (None: unknown)."""
    import pydicom  # deferred: only a conversion reads DICOM here

    from records import open_store  # deferred: `luch --help` does not load the store

    try:
        store = open_store()
    except (vault.KeyMissing, crypto.SealError):
        listed: dict[str, str] = {}
    else:
        try:
            listed = {str(Path(f).resolve()): uid for f, uid in store.ai_file_studies().items()}
        finally:
            store.close()

    def study_of(path: Path, data: bytes) -> str | None:
        uid = listed.get(str(Path(path).resolve()))
        if uid is None and data[128:132] == b"DICM":
            try:
                ds = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True,
                                     specific_tags=["StudyInstanceUID"])
                uid = str(ds.StudyInstanceUID) or None
            except Exception:  # not readable as DICOM: the folder's key stays its key
                uid = None
        return uid

    return study_of


@dataclass(frozen=True)
class EncryptionStatus:
    on: bool
    locked_by_policy: bool
    key_in_keyring: bool | None  # None: no usable keyring
    database: str  # "encrypted", "plain" or "absent"
    plain_files: int  # drafts, dictation and AI files not encrypted
    keyring_note: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def encryption_status() -> EncryptionStatus:
    from records.db import DB_FILE, is_plain_database  # deferred: `luch --help` does not load it

    home, settings = app_home(), Settings()
    note, present = "", None
    try:
        vault.Vault.open(home, create=False)
        present = True
    except vault.KeyMissing:
        present = False
    except vault.KeyringUnavailable as err:
        note = str(err)
    db = home / DB_FILE
    state = "absent" if not db.exists() else "plain" if is_plain_database(db) else "encrypted"
    plain = sum(1 for p in (*private_files(home), *folder_sealed_files(home)) if _plain(p))
    return EncryptionStatus(vault.encryption_enabled(settings), settings.is_locked(vault.SETTING),
                            present, state, plain, note)


def unsent_work() -> int | None:
    """Outbox items not yet in the archive; None when the records cannot be read (the key
    is lost)."""
    from records import open_store  # deferred: `luch --help` does not load the store

    try:
        store = open_store()
    except (vault.KeyMissing, crypto.SealError):
        return None
    try:
        counts = store.outbox_counts()
    finally:
        store.close()
    return sum(n for state, n in counts.items() if state != "done")


def reset_keys(set_aside: bool = False) -> dict[str, object]:
    """A new station key. Refused (KeyResetRefused) while the outbox holds unsent work or
    drafts are unsigned. With the old key lost the records cannot be checked: refused unless
    ``set_aside``, which moves the encrypted records, drafts, dictations and keys into
    ``LUCH_HOME/set-aside/<time>`` (kept, not deleted). Cached images are removed either way:
    the archive holds them and they are fetched again."""
    from archive.cache import ImageCache  # deferred: `luch --help` does not load it
    from archive.cache_policy import wipe
    from records.db import DB_FILE

    home = app_home()
    drafts = sum(1 for p in private_files(home) if p.parent.name == "drafts")
    unsent = unsent_work()
    moved: Path | None = None
    if unsent is None and set_aside:
        moved = home / SET_ASIDE / time.strftime("%Y%m%d-%H%M%S")
        moved.mkdir(parents=True)
        for name in (DB_FILE, f"{DB_FILE}-wal", f"{DB_FILE}-shm", *PRIVATE_FOLDERS,
                     *FOLDER_SEALED, vault.KEYS_DIR):
            if (home / name).exists():
                shutil.move(str(home / name), str(moved / name))
    else:
        vault.check_reset_allowed(unsent, drafts)
    freed = wipe(ImageCache(), orphan_age_s=0)  # with the naming key aside: every folder
    if moved is None:
        vault.rotate_kek(home)
    else:
        vault.delete_kek(home)
    vault.clear_cache()
    private_names.forget()  # the naming secret may have gone aside with the keys
    log.info("encryption keys reset; %d cached studies removed", freed.studies)
    return {"images_removed": freed.images, "set_aside": str(moved) if moved else None}


def key_private_names(study_uids: list[str]) -> int:
    """Once: the drafts, dictations and the rest named by the unkeyed hash of a known
    study's UID moved to keyed names, and the log lines written before retagged
    (:mod:`core.private_names`); a file of no known study is moved when first looked up.
    Returns how many moved."""
    marker = app_home() / vault.KEYS_DIR / NAMES_KEYED
    if marker.exists():
        return 0
    moved = private_names.move_all(study_uids, NAMED_BY_UID)
    logs = sorted((app_home() / "logs").glob(LOG_FILE + "*"))
    if private_names.retag_logs(logs, study_uids, STARTED):
        log.info("file names: the logs of before retagged with keyed UID tags")
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()
    if moved:
        log.info("file names: %d files of before moved to keyed names", moved)
    return moved
