"""The Alembic migrations build exactly the schema the models describe, and go down cleanly."""

from __future__ import annotations

import sqlite3
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


def _migrate(engine, direction: str, revision: str) -> None:
    cfg = db.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, direction)(cfg, revision)


def test_0002_marks_existing_studies_real_and_goes_down(tmp_path: Path) -> None:
    """A database of the first schema keeps its studies; they are not derived (false)."""
    engine = db.make_engine(tmp_path / "m.sqlite3")
    _migrate(engine, "upgrade", "0001")
    assert "uid_derived" not in {c["name"] for c in inspect(engine).get_columns("study")}
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO study (study_instance_uid, study_date, study_time, accession_number,"
            " description, modalities, priority, local_path, created_at) VALUES"
            " ('1.2.3', '20240101', '', 'A1', 'CT chest', 'CT', 'routine', NULL,"
            " '2026-11-30 10:00:00')")
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT study_instance_uid, accession_number, uid_derived FROM study").all()
    assert [tuple(r) for r in rows] == [("1.2.3", "A1", 0)]
    _migrate(engine, "downgrade", "0001")
    assert "uid_derived" not in {c["name"] for c in inspect(engine).get_columns("study")}
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT study_instance_uid FROM study").scalar() == "1.2.3"


def test_0006_drops_the_unused_second_opinion_table_or_keeps_its_rows(tmp_path: Path) -> None:
    """Empty (as every station's is: nothing in the app wrote it), it goes; with a row it
    is kept as ``second_opinion_retired``; down again, it is back either way."""
    for rows in (0, 1):
        engine = db.make_engine(tmp_path / f"m{rows}.sqlite3")
        _migrate(engine, "upgrade", "0005")
        raw = sqlite3.connect(tmp_path / f"m{rows}.sqlite3")  # foreign keys off: no report
        for _ in range(rows):
            raw.execute("INSERT INTO second_opinion (report_version_pk, expert, first_reader,"
                        " first_grade, expert_grade, discrepancy, comment, created_at) VALUES"
                        " (1, 'E', 'R', 'CT-1', 'CT-2', 1, '', '2026-11-30 10:00:00')")
        raw.commit()
        raw.close()
        db.upgrade(engine)
        tables = set(inspect(engine).get_table_names())
        assert "second_opinion" not in tables
        assert ("second_opinion_retired" in tables) == bool(rows)
        _migrate(engine, "downgrade", "0005")
        assert "second_opinion" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM second_opinion").scalar() == rows
