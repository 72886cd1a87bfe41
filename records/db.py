"""The SQLite engine: WAL, foreign keys, busy timeout, durable commits, Alembic at open."""

from __future__ import annotations

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


def make_engine(path: Path) -> Engine:
    """An engine whose connections use WAL, enforce foreign keys and wait on locks.

    Every transaction starts with ``BEGIN IMMEDIATE`` so that two processes (the app and
    ``luch sync``) never deadlock upgrading a read lock to a write lock; the busy timeout
    then makes the second writer wait instead of failing.
    """
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        cur = dbapi_conn.cursor()
        _enter_wal(cur)
        cur.execute("PRAGMA synchronous=FULL")  # a commit survives power loss, not just a crash
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _enter_wal(cur: sqlite3.Cursor) -> None:
    """``PRAGMA journal_mode=WAL``, waiting like any other statement: SQLite answers "locked"
    at once, without its busy handler, while another connection writes to a database not yet
    in WAL mode (a first start of the app and ``luch sync`` together)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
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
