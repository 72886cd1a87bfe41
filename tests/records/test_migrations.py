"""The Alembic migrations build exactly the schema the models describe, and go down cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from records import db
from records.models import Base


def test_migrations_match_the_models(tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "m.sqlite3")
    db.upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(tmp_path: Path) -> None:
    engine = db.make_engine(tmp_path / "m.sqlite3")
    db.upgrade(engine)
    cfg = db.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert "audit_event" in inspect(engine).get_table_names()
