"""The local store: migrations, pragmas, report workflow, append-only audit, outbox, AI."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from records import ReportStatus, Store, db, open_store
from records.errors import InvalidTransition, RecordsError


def test_open_store_under_luch_home_migrates_and_sets_pragmas(luch_home: Path) -> None:
    store = open_store()
    assert (luch_home / "records.sqlite3").exists()
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            db.head_revision())
    store.close()
    open_store().close()  # re-opening an up-to-date database is a no-op


def test_audit_log_is_append_only(store: Store, tmp_path: Path) -> None:
    store.audit("dr A", "opened", "1.2.3", source="worklist")
    [event] = store.audit_events("1.2.3")
    assert (event.actor, event.action, event.detail) == ("dr A", "opened", {"source": "worklist"})
    raw = sqlite3.connect(tmp_path / "records.sqlite3")
    for sql in ("UPDATE audit_event SET actor='x'", "DELETE FROM audit_event"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(sql)
    raw.close()
    assert len(store.audit_events()) == 1


def test_report_versions_and_status_workflow(store: Store) -> None:
    v1 = store.save_report("1.2.3", author="A B", text="draft", fields={"grade": "CT-1"})
    assert v1.status is ReportStatus.DRAFT and v1.signed_at is None
    v2 = store.save_report("1.2.3", author="A B", text="final", fields={"grade": "CT-2"},
                           status="final", report_uid=v1.report_uid)
    assert v2.version == 2 and v2.signed_at is not None
    with pytest.raises(InvalidTransition):
        store.save_report("1.2.3", author="A B", text="x", fields={}, status="draft",
                          report_uid=v1.report_uid)
    with pytest.raises(InvalidTransition):  # signing again never amends silently
        store.save_report("1.2.3", author="C D", text="amended", fields={"grade": "CT-3"},
                          status="amended", report_uid=v1.report_uid)
    v3 = store.save_report("1.2.3", author="C D", text="amended", fields={"grade": "CT-3"},
                           status="amended", reason=" Grade corrected ", report_uid=v1.report_uid)
    assert v3.fields == {"grade": "CT-3", "_addendum_reason": "Grade corrected"}
    history = store.report_versions(v1.report_uid)
    assert [(v.version, v.status.value, v.text) for v in history] == [
        (1, "draft", "draft"), (2, "final", "final"), (3, "amended", "amended")]
    assert len({v.sop_instance_uid for v in history}) == 3
    # Only signed-off versions go to the outbox; each exactly once.
    assert store.outbox_counts()["pending"] == 2
    store.enqueue("report_version", v3.id, "1.2.3")
    assert store.outbox_counts()["pending"] == 2
    with pytest.raises(RecordsError):
        store.save_report("9.9.9", author="A B", text="", fields={}, report_uid=v1.report_uid)


@pytest.mark.parametrize("sql", [
    "UPDATE report_version SET text='changed'",
    "DELETE FROM report_version",
    "UPDATE audit_event SET actor='x'",
    "DELETE FROM audit_event",
])
def test_versions_and_audit_rows_are_refused_at_the_database(store: Store, tmp_path: Path,
                                                             sql: str) -> None:
    """The triggers refuse the change whoever asks: the app's engine and a raw connection."""
    version = store.save_report("1.2.3", author="A B", text="t", fields={}, status="final")
    store.audit("dr A", "opened", "1.2.3")
    table = sql.split()[1] if sql.startswith("UPDATE") else sql.split()[2]
    message = {"report_version": "report_version is immutable",
               "audit_event": "audit_event is append-only"}[table]
    with pytest.raises(IntegrityError, match=message) as refused, store.session() as s:
        s.execute(text(sql))
    assert isinstance(refused.value.orig, sqlite3.IntegrityError)
    raw = sqlite3.connect(tmp_path / "records.sqlite3")
    with pytest.raises(sqlite3.IntegrityError, match=message):
        raw.execute(sql)
    raw.close()
    [kept] = store.report_versions(version.report_uid)
    assert kept.text == "t"
    assert [e.actor for e in store.audit_events("1.2.3") if e.action == "opened"] == ["dr A"]


def test_ai_result_feedback_and_dictation(store: Store, tmp_path: Path) -> None:
    ai = store.save_ai_result("1.2.3", model_name="covid-seg", model_version="1.0",
                              values={"grade": "CT-2", "right_percent": 21.5},
                              mask_files=[tmp_path / "mask.nii.gz"])
    assert store.ai_result(ai).values["right_percent"] == 21.5
    store.save_ai_feedback(ai, reader="A B", verdict="partly", corrected_grade="CT-1")
    with pytest.raises(ValueError):
        store.save_ai_feedback(ai, reader="A B", verdict="maybe")
    with pytest.raises(RecordsError):
        store.save_ai_feedback(999, reader="A B", verdict="agree")
    d = store.save_dictation("1.2.3", audio_path=tmp_path / "a.flac", transcript="норма",
                             timings=[{"word": "норма", "start": 0.1, "end": 0.6}], engine="vosk")
    assert d > 0
    assert store.outbox_counts()["pending"] == 1  # the AI result


def test_two_processes_share_the_database(tmp_path: Path) -> None:
    """A second handle (as the sync process has) sees commits at once and can write."""
    a, b = open_store(tmp_path / "r.sqlite3"), open_store(tmp_path / "r.sqlite3")
    v = a.save_report("1.2.3", author="A B", text="t", fields={}, status="final")
    [job] = b.claim_jobs()
    b.complete_job(job.id)
    assert a.outbox_counts()["done"] == 1 and a.report_version(v.id).text == "t"
    a.close()
    b.close()


def test_head_revision_read_from_scripts_matches_alembic(luch_home):
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from records.db import MIGRATIONS, head_revision

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(cfg).get_current_head()


def test_worklist_details_in_bulk(luch_home):
    from records import open_store

    store = open_store()
    store.upsert_study("1.2.3.1", patient_id="P1", patient_name="IVANOV^I", modalities="CT")
    store.upsert_study("1.2.3.2", patient_id="P2")
    store.save_report("1.2.3.1", author="dr.a", fields={"grade": "CT-1"}, text="x",
                      status="draft")
    details = store.worklist_details({"1.2.3.1", "1.2.3.2", "9.9.9"})
    assert details == {"1.2.3.1": ("IVANOV^I", "CT", "draft"), "1.2.3.2": ("P2", "", None)}


def test_opening_waits_while_another_connection_writes_a_fresh_database(tmp_path: Path) -> None:
    """The app and `luch sync` starting together on a new database: SQLite refuses the switch
    to WAL at once (no busy wait) while the other writes; opening must wait, not fail."""
    import threading
    import time

    from records.db import make_engine

    path = tmp_path / "records.sqlite3"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE t (i)")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO t VALUES (1)")
    threading.Timer(0.4, lambda: other.execute("COMMIT")).start()
    started = time.monotonic()
    with make_engine(path).connect() as conn:
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    assert mode == "wal" and time.monotonic() - started >= 0.3
    other.close()


def test_a_study_adopts_its_new_uid_with_reports_and_unsent_jobs(store: Store) -> None:
    signed = store.save_report("2.25.1", author="A B", text="t", fields={}, status="final")
    store.audit("A B", "opened", "2.25.1")
    assert store.adopt_study_uid("2.25.1", "2.25.2", actor="A B")
    assert [r.uid for r in store.reports_for_study("2.25.2")] == [signed.report_uid]
    assert store.reports_for_study("2.25.1") == []
    assert {j.study_instance_uid for j in store.jobs()} == {"2.25.2"}  # syncs under the new
    assert "opened" in [e.action for e in store.audit_events("2.25.1")]  # history kept
    adopted = store.audit_events("2.25.2")[-1]
    assert adopted.action == "uid-adopted" and adopted.detail == {"previous_uid": "2.25.1"}
    assert not store.adopt_study_uid("2.25.1", "2.25.3")  # nothing left under the old UID
    store.save_report("2.25.4", author="A B", text="", fields={})
    assert not store.adopt_study_uid("2.25.2", "2.25.4")  # never merged into another study
    assert len(store.reports_for_study("2.25.4")) == 1
