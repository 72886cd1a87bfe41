"""The SQLite engine: WAL, foreign keys, busy timeout, durable commits, Alembic at open.

With a key, the engine is SQLCipher (``sqlcipher3``; the raw 256-bit key, no passphrase
derivation at each connect) and :func:`encrypt_plain_database` converts a plain file once.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError

from records.errors import StoreError

DB_FILE = "records.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000


PLAIN_HEADER = b"SQLite format 3\x00"


def is_plain_database(path: Path) -> bool:
    """Whether ``path`` is an unencrypted SQLite file (an encrypted one starts at random)."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == PLAIN_HEADER
    except OSError:
        return False


def _key_pragma(key: bytes) -> str:
    return f"PRAGMA key = \"x'{key.hex()}'\""


def make_engine(path: Path, key: bytes | None = None) -> Engine:
    """An engine whose connections use WAL, enforce foreign keys and wait on locks.

    With ``key`` the file is a SQLCipher database opened with that raw key.

    Every transaction starts with ``BEGIN IMMEDIATE`` so that two processes (the app and
    ``luch sync``) never deadlock upgrading a read lock to a write lock; the busy timeout
    then makes the second writer wait instead of failing.
    """
    options = {}
    if key is not None:
        from sqlcipher3 import dbapi2  # deferred: only an encrypted station loads SQLCipher

        options["module"] = dbapi2
    engine = create_engine(f"sqlite:///{path}",
                           connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, **options)

    @event.listens_for(engine, "connect", insert=True)
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        if key is not None:
            cur.execute(_key_pragma(key))  # before anything reads the file
            _check_key(cur)
        _enter_wal(cur)
        cur.execute("PRAGMA synchronous=FULL")  # a commit survives power loss, not just a crash
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _check_key(cur) -> None:
    """StoreError (not SQLCipher's "file is not a database") when the key is another."""
    try:
        cur.execute("SELECT count(*) FROM sqlite_master")
    except Exception as err:  # sqlcipher3's DatabaseError: the key does not open the file
        raise StoreError("the local records database cannot be decrypted with this "
                         "station's key; it was left unchanged") from err


def encrypt_plain_database(path: Path, key: bytes) -> None:
    """Convert the plain SQLite database at ``path`` to SQLCipher, once, keeping its data.

    The encrypted copy is written beside it (``sqlcipher_export``), checked, and renamed
    over the plain file; a failure leaves the plain file as it was."""
    from sqlcipher3 import dbapi2  # deferred: only an encrypted station loads SQLCipher

    path = Path(path)
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    plain = dbapi2.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    try:
        plain.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(tmp),))
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    except Exception as err:
        tmp.unlink(missing_ok=True)
        raise StoreError("the local records database could not be encrypted "
                         f"({type(err).__name__}); it was left unchanged") from err
    finally:
        plain.close()
    check = dbapi2.connect(str(tmp))
    try:
        check.execute(_key_pragma(key))
        ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        check.close()
    if not ok:
        tmp.unlink(missing_ok=True)
        raise StoreError("the encrypted copy of the records database failed its check; "
                         "the plain database was left unchanged")
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _enter_wal(cur: sqlite3.Cursor) -> None:
    """``PRAGMA journal_mode=WAL``, waiting like any other statement: SQLite answers "locked"
    at once, without its busy handler, while another connection writes to a database not yet
    in WAL mode (a first start of the app and ``luch sync`` together)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as err:  # sqlite3's or sqlcipher3's OperationalError
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def alembic_config(engine: Engine):
    from alembic.config import Config  # deferred: alembic loads on first use (start-up time)

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", str(engine.url))
    return cfg


_REVISION = re.compile(r'^(down_)?revision\b[^=]*=\s*(?:"([^"]*)"|None)', re.M)


def head_revision() -> str:
    """The newest migration's revision, read from the scripts (no alembic import needed)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (parents if down else revisions).add(value)
    heads = revisions - parents
    if len(heads) != 1:
        raise StoreError("the records migrations have no single head; reinstall Luch")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except SQLAlchemyError:
            return None


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (idempotent; safe with a second process waiting).

    A database already at the head revision is left alone without loading alembic, which
    keeps it off the start-up path.
    """
    if current_revision(engine) == head_revision():
        return
    from alembic import command  # deferred: alembic loads on first use (start-up time)

    cfg = alembic_config(engine)
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as err:
        raise StoreError("the local records database could not be upgraded "
                         f"({err.__class__.__name__}); it was left unchanged") from err
