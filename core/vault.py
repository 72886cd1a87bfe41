"""Encryption at rest under ``LUCH_HOME``: the key hierarchy and the private-file seam.

- The key-encryption key (KEK): 256 random bits per installation (per ``LUCH_HOME``) in the
  OS keyring, service ``luch-records``. Never in a file: with no usable OS keyring the vault
  refuses (:class:`KeyringUnavailable`) instead of keeping the key in plain.
- Data keys (DEKs): random, stored only wrapped by the KEK (AES-GCM, labelled by use):
  ``keys/<name>.key`` (``records`` for the database, ``home`` for drafts and dictation
  audio), ``.luch-key`` in a cached study's folder (its images; evicting the study
  deletes its key with it) and ``keys/studies/<id>.key`` per study for the AI's files
  (``ai-dicom``, ``corrections``: flat folders, so each sealed file names its key's id in
  its header; the id is a keyed hash of the Study Instance UID, no UID on disk). Forgetting
  a study (:meth:`Vault.forget_study`) deletes its key: its files are unreadable after.
- On or off: the setting ``security.encrypt_at_rest``; unset, it is on when
  ``station.profile`` is ``home``. The station policy can lock either.

:func:`current` is the vault when encryption is on (else None); :func:`write_private` and
:func:`read_private` are the seam PHI files go through (drafts, dictation audio: the home
key); :func:`write_folder_file` and :func:`read_folder_file` the seam of the AI's files
(``ai-dicom``, ``corrections``), sealed as cached images are (AES-256-GCM chunks, the file's
stem as associated data) with the data key of their study; files sealed before with their
folder's key (``.luch-key``) are read with it until :func:`seal_folder_files` moves them to
their study's key. Either way sealed when on, plain when off, and
a sealed file is read whichever way the setting stands.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import tempfile
import threading
import time
from pathlib import Path

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from core import crypto
from core.crypto import SealError
from core.errors import LuchError
from core.files import write_bytes_atomic
from core.paths import app_home
from core.settings import ENV_POLICY, POLICY_FILE, SETTINGS_FILE, Settings

KEYRING_SERVICE = "luch-records"
SETTING, PROFILE_SETTING, HOME_PROFILE = "security.encrypt_at_rest", "station.profile", "home"
KEYS_DIR = "keys"
CHECK_FILE = "station.check"  # a known key wrapped by the KEK: tells "lost" from "never made"
PLAIN_MARK = ".plain-data"  # in LUCH_HOME: PHI was written in plain since the last sealing
CONVERTED = "converted"  # in keys/: the whole home was sealed once
FOLDER_KEY = ".luch-key"
NEXT_FOLDER_KEY = ".luch-key.next"  # the folder's key wrapped for its next name (a renaming)
#: a sealed cached study's decoded volume, sealed with its key (studies.volume_cache)
VOLUME_ENTRY = ".volume"
HOME_KEY, RECORDS_KEY = "home", "records"
ANONYMIZE_KEY = "anonymize"  # keys/anonymize.key: a station secret (station_secret)
CACHE_NAMES_KEY = "cache-names"  # keys/cache-names.key: the image cache's names are hashed with it
SECRETS = (ANONYMIZE_KEY, CACHE_NAMES_KEY)  # station secrets: wrapped when encryption is on
STUDY_KEYS = "studies"  # in keys/: one wrapped data key per study of the AI's files
STUDY_IDS_KEY = "study-ids"  # the data key the study keys' ids are hashed with
_FOLDER_LEVELS = 3  # a cached image is <study>/<series>/<sop>.dcm: its key 2 levels up


class KeyringUnavailable(LuchError):
    """No usable OS keyring: the station key cannot be kept, so nothing is encrypted."""


class KeyMissing(LuchError):
    """Encrypted data exists but the station key is not in this OS keyring."""


def encryption_enabled(settings) -> bool:
    """Whether the station setting (or policy, or the home profile) turns encryption on."""
    value = settings.get(SETTING)
    if value is None:
        return settings.get(PROFILE_SETTING, "station") == HOME_PROFILE
    return bool(value)


def _account(home: Path) -> str:
    """The keyring account of one data folder's KEK (two ``LUCH_HOME``s, two keys)."""
    return "kek-" + hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]


def _check_backend() -> None:
    backend = keyring.get_keyring()
    if type(backend).__module__.startswith(("keyring.backends.fail", "keyring.backends.null")):
        raise KeyringUnavailable(
            "no OS keyring is available (Secret Service, KWallet, macOS Keychain or Windows "
            "Credential Manager); the encryption key cannot be kept safely, so Luch does not "
            "encrypt and does not store it in a file: start a keyring service and try again")


def _load_kek(home: Path) -> str | None:
    _check_backend()
    try:
        return keyring.get_password(KEYRING_SERVICE, _account(home))
    except KeyringError as err:
        raise KeyringUnavailable(
            f"the OS keyring cannot be read ({type(err).__name__})") from err


class Vault:
    """The keys of one ``LUCH_HOME``; unwrapped DEKs are kept in memory only."""

    def __init__(self, home: Path, kek: bytes) -> None:
        self.home, self._kek = Path(home), kek
        self._deks: dict[Path, bytes] = {}
        self._lock = threading.Lock()

    @classmethod
    def open(cls, home: Path | None = None, create: bool = True) -> Vault:
        """The vault of ``home``; a new KEK is made when ``create`` and none exists.

        KeyringUnavailable with no usable keyring; KeyMissing when the keyring holds no key
        for this folder and ``create`` is False."""
        home = Path(home or app_home())
        stored = _load_kek(home)
        check = home / KEYS_DIR / CHECK_FILE
        if stored is None:
            if not create or check.exists():
                raise KeyMissing(
                    "the encryption key of this station's data is not in the OS keyring "
                    "(another OS profile, or the keyring was reset); cached images can be "
                    "fetched again from the archive once the keys are reset")
            stored = base64.b64encode(crypto.new_key()).decode()
            try:
                keyring.set_password(KEYRING_SERVICE, _account(home), stored)
            except KeyringError as err:
                raise KeyringUnavailable(
                    f"the OS keyring cannot keep the encryption key ({type(err).__name__})"
                ) from err
            check.parent.mkdir(parents=True, exist_ok=True)
            _write_new(check, crypto.wrap_key(base64.b64decode(stored), bytes(32), CHECK_FILE))
        kek = base64.b64decode(stored)
        if check.exists():
            try:
                crypto.unwrap_key(kek, check.read_bytes(), CHECK_FILE)
            except SealError:
                raise KeyMissing(
                    "the encryption key in the OS keyring is not the one this station's data "
                    "was encrypted with; restore the right key or reset the keys") from None
        return cls(home, kek)

    def _key_at(self, path: Path, label: str, create: bool) -> bytes | None:
        with self._lock:
            if path in self._deks and path.exists():
                return self._deks[path]
            if not path.exists():
                if not create:
                    return None
                path.parent.mkdir(parents=True, exist_ok=True)
                _write_new(path, crypto.wrap_key(self._kek, crypto.new_key(), label))
            dek = crypto.unwrap_key(self._kek, path.read_bytes(), label)
            self._deks[path] = dek
            return dek

    def dek(self, name: str, create: bool = True) -> bytes | None:
        """The data key ``keys/<name>.key`` (made on first use when ``create``)."""
        return self._key_at(self.home / KEYS_DIR / f"{name}.key", name, create)

    def folder_dek(self, folder: Path, create: bool = True) -> bytes | None:
        """The data key of a cached study's folder (``<folder>/.luch-key``)."""
        return self._key_at(Path(folder) / FOLDER_KEY, f"folder:{Path(folder).name}", create)

    def rewrap_folder_key(self, folder: Path, new_name: str) -> Path | None:
        """Write ``<folder>/.luch-key.next``: the folder's data key wrapped for the folder
        name ``new_name`` (a folder about to be renamed; the caller moves it over
        ``.luch-key`` after the rename). None when the folder has no key."""
        folder = Path(folder)
        if not (folder / FOLDER_KEY).is_file():
            return None
        dek = self.folder_dek(folder, create=False)
        assert dek is not None
        target = folder / NEXT_FOLDER_KEY
        write_bytes_atomic(target, crypto.wrap_key(self._kek, dek, f"folder:{new_name}"))
        return target

    def study_key_id(self, study_uid: str) -> bytes:
        """The id of a study's key: a keyed hash of its UID (the same for the life of the
        station's data: the hashing key is a data key, kept through a key reset)."""
        ids = self.dek(STUDY_IDS_KEY)
        return hmac.new(ids, study_uid.encode(), hashlib.sha256).digest()[:crypto.KEY_ID_BYTES]

    def _study_path(self, kid: bytes) -> Path:
        return self.home / KEYS_DIR / STUDY_KEYS / f"{kid.hex()}.key"

    def study_dek(self, study_uid: str, create: bool = True) -> tuple[bytes, bytes | None]:
        """``(id, data key)`` of a study's AI files (the key made on first use when
        ``create``; None when it does not exist)."""
        kid = self.study_key_id(study_uid)
        return kid, self._key_at(self._study_path(kid), f"study:{kid.hex()}", create)

    def study_dek_by_id(self, kid: bytes) -> bytes | None:
        """The study key a sealed file names (:func:`core.crypto.key_id`), or None when it
        was forgotten."""
        return self._key_at(self._study_path(kid), f"study:{kid.hex()}", False)

    def forget_study(self, study_uid: str) -> bool:
        """Delete a study's key (a wiped or retired study): its AI files, wherever they are,
        cannot be read after. Returns whether there was one."""
        return self.forget_key_id(self.study_key_id(study_uid))

    def forget_key_id(self, kid: bytes) -> bool:
        path = self._study_path(kid)
        with self._lock:
            self._deks.pop(path, None)
            existed = path.exists()
            path.unlink(missing_ok=True)
        return existed

    def drop_folder_key(self, folder: Path) -> None:
        """Forget a folder key deleted from disk."""
        with self._lock:
            self._deks.pop(Path(folder) / FOLDER_KEY, None)

    def forget(self) -> None:
        """Drop the unwrapped keys held in memory."""
        with self._lock:
            self._deks.clear()


def _write_new(path: Path, data: bytes) -> None:
    """Write ``path`` only if it does not exist (another process may create it first)."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileExistsError):
            os.link(tmp, path)  # atomic "create if absent"
    finally:
        os.unlink(tmp)


_cache: dict[Path, tuple[tuple, Vault | None]] = {}
_cache_lock = threading.Lock()
_SECRET_LOCK = threading.RLock()  # station secrets made one at a time


def _settings_stamp(home: Path) -> tuple:
    stamps = []
    for path in (home / SETTINGS_FILE, Path(os.environ.get(ENV_POLICY) or POLICY_FILE)):
        try:
            stamps.append(path.stat().st_mtime_ns)
        except OSError:
            stamps.append(None)
    return tuple(stamps)


def current() -> Vault | None:
    """The vault of this ``LUCH_HOME`` when encryption is on, else None (settings re-read
    when the settings or policy file changes). KeyringUnavailable when on but no keyring."""
    home = app_home()
    stamp = _settings_stamp(home)
    with _cache_lock:
        cached = _cache.get(home)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        vault = Vault.open(home) if encryption_enabled(Settings()) else None
        _cache[home] = (stamp, vault)
        return vault


def reader() -> Vault:
    """The vault for reading sealed data, whether encryption is on now or not."""
    return current() or Vault.open(app_home(), create=False)


def clear_cache() -> None:
    """Forget the vaults opened in this process (after a key reset, or in tests)."""
    with _cache_lock:
        for _, vault in _cache.values():
            if vault is not None:
                vault.forget()
        _cache.clear()


def write_private(path: Path, data: bytes, vault: Vault | None = None) -> None:
    """Write PHI to ``path`` atomically: sealed with the home key when encryption is on."""
    path = Path(path)
    vault = vault or current()
    if vault is not None:
        data = crypto.seal(vault.dek(HOME_KEY), data, path.name.encode())
    else:
        note_plain_write()
    write_bytes_atomic(path, data)


def note_plain_write(home: Path | None = None) -> None:
    """Mark that PHI was written unencrypted (encryption off), so that turning it on seals
    it; the app's start looks for the mark instead of reading every file."""
    mark = Path(home or app_home()) / PLAIN_MARK
    if not mark.exists():
        with contextlib.suppress(OSError):
            mark.touch()


def needs_sealing(home: Path | None = None) -> bool:
    """Whether plain PHI may be under ``home``: written while off, or never converted."""
    home = Path(home or app_home())
    return (home / PLAIN_MARK).exists() or not (home / KEYS_DIR / CONVERTED).exists()


def sealed_all(home: Path | None = None) -> None:
    """The conversion is done: clear the mark (a plain write after this sets it again)."""
    home = Path(home or app_home())
    (home / KEYS_DIR).mkdir(parents=True, exist_ok=True)
    (home / KEYS_DIR / CONVERTED).touch()
    (home / PLAIN_MARK).unlink(missing_ok=True)


def read_private(path: Path) -> bytes:
    """The content of a file written by :func:`write_private` (plain or sealed).

    SealError when a sealed file fails its check (the file is left as it is)."""
    path = Path(path)
    data = path.read_bytes()
    if not crypto.is_sealed(data):
        return data
    key = reader().dek(HOME_KEY, create=False)
    if key is None:
        raise SealError(f"{path.name} is encrypted but the station's data key is missing")
    return crypto.open_sealed(key, data, path.name.encode(), path.name)


def delete_kek(home: Path | None = None) -> None:
    """Remove this folder's KEK from the keyring (a key reset; callers check unsent work)."""
    home = Path(home or app_home())
    _check_backend()
    with contextlib.suppress(PasswordDeleteError):
        keyring.delete_password(KEYRING_SERVICE, _account(home))
    clear_cache()


def seal_plain_files(files, keys: Vault) -> int:
    """Encrypt in place each plain file of ``files`` (written before encryption was on);
    returns how many. Those already sealed are left as they are."""
    count = 0
    for path in files:
        path = Path(path)
        data = path.read_bytes()
        if not crypto.is_sealed(data):
            write_private(path, data, keys)
            count += 1
    return count


class KeyResetRefused(LuchError):
    """Resetting the keys would lose work that is not in the archive yet."""


def check_reset_allowed(unsent_jobs: int | None, drafts: int) -> None:
    """KeyResetRefused while work exists that only this station holds: ``unsent_jobs``
    outbox items not yet in the archive (None: the records cannot be read to tell), or
    unsigned report drafts."""
    if unsent_jobs is None:
        raise KeyResetRefused(
            "the records cannot be read without the old key, so Luch cannot tell whether "
            "work is still unsent; restore the old key to the OS keyring if you can, or "
            "reset with --set-aside to keep the old encrypted data aside")
    if unsent_jobs:
        raise KeyResetRefused(
            f"{unsent_jobs} items of work are not yet in the archive; send them first "
            "(luch sync), then reset the keys")
    if drafts:
        raise KeyResetRefused(
            f"{drafts} report drafts are not signed yet; sign or discard them first")


def rotate_kek(home: Path | None = None) -> int:
    """A new station key in the keyring; every data key re-wrapped (the data stays as it
    is). Returns how many data keys were re-wrapped."""
    home = Path(home or app_home())
    old = Vault.open(home, create=False)
    wrapped = [(p, p.stem) for p in (home / KEYS_DIR).glob("*.key")
               if crypto.is_wrapped(p.read_bytes()[:8])]  # a plain secret: nothing to rewrap
    wrapped += [(p, f"folder:{p.parent.name}") for p in home.rglob(FOLDER_KEY)]
    wrapped += [(p, f"study:{p.stem}") for p in (home / KEYS_DIR / STUDY_KEYS).glob("*.key")]
    if (home / KEYS_DIR / CHECK_FILE).exists():
        wrapped.append((home / KEYS_DIR / CHECK_FILE, CHECK_FILE))
    new_kek = crypto.new_key()
    rewrapped = [(p, crypto.wrap_key(new_kek, crypto.unwrap_key(old._kek, p.read_bytes(),
                                                                 label), label))
                 for p, label in wrapped]
    # the new key first (a crash then leaves old-wrapped files the old key no longer opens:
    # so each file is rewritten before the keyring is told, and the old key kept until then)
    for path, data in rewrapped:
        tmp = path.with_name(path.name + ".rewrap")
        tmp.write_bytes(data)
    try:
        keyring.set_password(KEYRING_SERVICE, _account(home), base64.b64encode(new_kek).decode())
    except KeyringError as err:
        for path, _ in rewrapped:
            path.with_name(path.name + ".rewrap").unlink(missing_ok=True)
        raise KeyringUnavailable(
            f"the OS keyring cannot keep the new key ({type(err).__name__})") from err
    for path, _ in rewrapped:
        os.replace(path.with_name(path.name + ".rewrap"), path)
    clear_cache()
    return len(rewrapped)


def station_secret(name: str, keys: Vault | None = None) -> bytes:
    """A secret of the station kept in ``keys/<name>.key`` (:data:`ANONYMIZE_KEY`: the
    anonymisation key, with which pseudonyms and UIDs stay the same from export to export),
    made on first use (32 random bytes): wrapped by the station key when encryption is on
    (a plain one of before is wrapped in place, the same secret); plain and readable by the
    owner only when off (the home marked, so that turning encryption on wraps it). A
    wrapped one is read whichever way the setting stands."""
    with _SECRET_LOCK:  # two threads making it at once would keep two secrets
        return _station_secret(name, keys)


def _station_secret(name: str, keys: Vault | None) -> bytes:
    keys = keys or current()
    path = (keys.home if keys is not None else app_home()) / KEYS_DIR / f"{name}.key"
    raw = path.read_bytes() if path.is_file() else b""
    if crypto.is_wrapped(raw):
        secret = (keys or reader()).dek(name, create=False)
        if secret is None:
            raise SealError(f"the station secret {name} is missing")
        return secret
    secret = raw if len(raw) >= 16 else crypto.new_key()
    if keys is not None:
        write_bytes_atomic(path, crypto.wrap_key(keys._kek, secret, name))
    elif secret is not raw:
        write_bytes_atomic(path, secret)  # a temp file of the owner only, renamed
        note_plain_write(path.parent.parent)
    return secret


def no_core_dumps() -> bool:
    """Keep this process, and the decoder processes it starts, from leaving a core dump: a
    crash's memory image (decrypted images, report text, unwrapped keys) would be plain PHI
    outside ``LUCH_HOME`` (systemd-coredump keeps it under ``/var/lib/systemd/coredump``; it
    honours the limit). Returns whether the limit is set (not on Windows)."""
    try:
        import resource  # deferred: POSIX only
    except ImportError:
        return False
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    except (ValueError, OSError):
        return False
    return True


def write_private_json(path: Path, data) -> None:
    """``data`` as JSON through :func:`write_private` (sealed when encryption is on)."""
    write_private(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def read_private_json(path: Path):
    """JSON written by :func:`write_private_json` (or a plain JSON file of before).
    ValueError for damaged JSON, SealError for a sealed file that fails its check."""
    return json.loads(read_private(path).decode("utf-8"))


def write_folder_file(path: Path, data: bytes, keys: Vault | None = None, *,
                      study_uid: str) -> Path:
    """Write ``data`` to ``path`` atomically (never half a file under the final name):
    sealed with the data key of its study when encryption is on (made on first use; the
    file's header names it), as the image cache seals a study's images; plain (and the
    home marked) when off."""
    path = Path(path)
    keys = keys or current()
    if keys is not None:
        kid, key = keys.study_dek(study_uid, create=True)
        data = crypto.seal(key, data, path.stem.encode(), kid=kid)
    else:
        note_plain_write()
    write_bytes_atomic(path, data)
    return path


def folder_file_key(path: Path, head: bytes) -> bytes | None:
    """The data key of a sealed AI file whose first bytes are ``head``: its study's (the
    header names it), else its folder's (sealed before study keys); None when it is gone."""
    path = Path(path)
    kid = crypto.key_id(head)
    if kid is not None:
        return reader().study_dek_by_id(kid)
    if (path.parent / FOLDER_KEY).is_file():
        return reader().folder_dek(path.parent, create=False)
    return None


def read_folder_file(path: Path) -> bytes:
    """The content of a file written by :func:`write_folder_file`, plain or sealed.
    SealError when a sealed file fails its check or its key is missing (a forgotten
    study)."""
    path = Path(path)
    data = path.read_bytes()
    if not crypto.is_sealed(data):
        return data
    key = folder_file_key(path, data[:HEAD_BYTES])
    if key is None:
        raise SealError(f"{path.name} is encrypted but its study's data key is missing "
                        "(the study was removed from this station)")
    return crypto.open_sealed(key, data, path.stem.encode(), path.name)


HEAD_BYTES = crypto.HEADER_BYTES + crypto.KEY_ID_BYTES  # what names a sealed file's key


def seal_folder_files(folder: Path, keys: Vault, study_of) -> int:
    """Seal with its study's key each file directly in ``folder`` (not hidden ones) that is
    plain or sealed with the folder's key (before study keys), as :func:`write_folder_file`
    would have; ``study_of(path, plaintext)`` names its study (None: unknown, then the
    folder's key is used or kept). The folder's key is deleted once no file needs it.
    Returns how many files were (re)sealed."""
    count, folder = 0, Path(folder)
    if not folder.is_dir():
        return 0
    legacy = 0
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
        if crypto.key_id(head) is not None:
            continue
        data = path.read_bytes()
        if crypto.is_sealed(head):
            old = keys.folder_dek(folder, create=False)
            if old is None:  # unreadable without its key: left as it is
                legacy += 1
                continue
            data = crypto.open_sealed(old, data, path.stem.encode(), path.name)
        study_uid = study_of(path, data)
        if study_uid is not None:
            write_folder_file(path, data, keys, study_uid=study_uid)
        elif crypto.is_sealed(head):
            legacy += 1
            continue
        else:  # no study known: sealed with the folder's key, as before
            write_bytes_atomic(path, crypto.seal(keys.folder_dek(folder, create=True), data,
                                                 path.stem.encode()))
            legacy += 1
        count += 1
    if not legacy:
        (folder / FOLDER_KEY).unlink(missing_ok=True)
        keys.drop_folder_key(folder)
    return count


def study_key_ids_in_use(folders) -> set[bytes]:
    """The ids of the study keys the sealed files directly in ``folders`` name."""
    used: set[bytes] = set()
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.startswith(".") or not path.is_file():
                continue
            with contextlib.suppress(OSError), open(path, "rb") as f:
                kid = crypto.key_id(f.read(HEAD_BYTES))
                if kid is not None:
                    used.add(kid)
    return used


def drop_unused_study_keys(keys: Vault, folders, min_age_s: float = 3600.0,
                           now: float | None = None) -> int:
    """Delete the study keys no file in ``folders`` names any more (every AI file of the
    study was removed: its key goes with them), older than ``min_age_s`` (a key made for a
    file being written now is kept). Returns how many."""
    now = time.time() if now is None else now
    used = study_key_ids_in_use(folders)
    dropped = 0
    for path in sorted((keys.home / KEYS_DIR / STUDY_KEYS).glob("*.key")):
        try:
            kid = bytes.fromhex(path.stem)
            old = now - path.stat().st_mtime >= min_age_s
        except (ValueError, OSError):
            continue
        if kid not in used and old and keys.forget_key_id(kid):
            dropped += 1
    return dropped
