"""The records commands end to end: import-reports, sync --once, worklist --json."""

from __future__ import annotations

import json
from pathlib import Path

import pydicom
import pytest

from app.cli import main
from records import open_store


@pytest.fixture
def archive_env(orthanc_factory, monkeypatch: pytest.MonkeyPatch, luch_home: Path):
    server = orthanc_factory()
    monkeypatch.setenv("LUCH_ARCHIVE_URL", server.dicomweb_url)
    monkeypatch.setenv("LUCH_ARCHIVE_USER", server.user)
    monkeypatch.setenv("LUCH_ARCHIVE_PASSWORD", server.password)
    return server


def _legacy_line(study_uid: str, grade: str) -> str:
    return json.dumps({
        "study": {"study_instance_uid": study_uid, "patient_id": "LEG-1",
                  "patient_name": "Legacy^Patient", "study_date": "20200415",
                  "accession_number": "ACC1"},
        "fields": {"grade": grade}, "text": f"Legacy report {grade}", "status": "final",
        "author": "Sidorov S.S."}, ensure_ascii=False)


def test_import_sync_and_worklist(archive_env, shared_data: Path, tmp_path: Path,
                                  capsys: pytest.CaptureFixture) -> None:
    server = archive_env
    ct = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:2]
    server.upload(ct)
    ct_study = str(pydicom.dcmread(ct[0], stop_before_pixels=True).StudyInstanceUID)
    reported = str(pydicom.uid.generate_uid())
    legacy = tmp_path / "legacy.jsonl"
    legacy.write_text(_legacy_line(reported, "CT-2") + "\n\n" + _legacy_line(reported, "CT-3")
                      + "\n", encoding="utf-8")

    assert main(["import-reports", str(legacy)]) == 0
    assert "imported 2, already imported 0; 2 waiting" in capsys.readouterr().out
    assert main(["import-reports", str(legacy)]) == 0  # idempotent
    assert "imported 0, already imported 2" in capsys.readouterr().out

    assert main(["sync", "--once"]) == 0
    assert "sent 2" in capsys.readouterr().out
    assert len(server.sop_instance_uids()) == 4  # 2 CT + 2 report SRs
    assert main(["sync", "--once", "--prefetch", "1"]) == 0
    assert "sent 0" in capsys.readouterr().out
    from archive.cache import ImageCache
    assert ImageCache().has_study(ct_study)  # the top of the worklist is cached

    assert main(["worklist", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    assert [i["study_instance_uid"] for i in items] == [ct_study]
    store = open_store()
    assert store.study(ct_study).modalities == "CT"  # cached by the worklist pull
    assert {e.action for e in store.audit_events(reported)} >= {"changed", "sent"}
    store.close()


def test_bad_import_file_is_a_clear_error(luch_home: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(_legacy_line("1.2.3", "CT-1") + "\n{not json\n"
                   + json.dumps({"study": {}, "author": "x"}) + "\n", encoding="utf-8")
    assert main(["import-reports", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "nothing imported" in err and "line 2" in err and "line 3" in err
    assert "Traceback" not in err
    assert main(["import-reports", str(tmp_path / "absent.jsonl")]) == 2
    assert open_store().outbox_counts()["pending"] == 0


def test_sync_offline_keeps_everything_and_says_so(luch_home: Path, monkeypatch,
                                                   capsys: pytest.CaptureFixture) -> None:
    from tests.plugins.orthanc import free_port

    monkeypatch.setenv("LUCH_ARCHIVE_URL", f"http://127.0.0.1:{free_port()}/dicom-web")
    store = open_store()
    store.save_report("1.2.3", author="A B", text="t", fields={}, status="final")
    assert main(["sync", "--once"]) == 3
    assert "waiting 1" in capsys.readouterr().out
    assert store.outbox_counts()["pending"] == 1
    store.close()


def test_sync_without_archive_config(luch_home: Path, monkeypatch,
                                     capsys: pytest.CaptureFixture) -> None:
    monkeypatch.delenv("LUCH_ARCHIVE_URL", raising=False)
    assert main(["sync", "--once"]) == 2
    assert "no archive configured" in capsys.readouterr().err


def test_sync_service_sends_new_reports_until_stopped(archive_env, luch_home: Path) -> None:
    import argparse
    import threading
    import time

    from app.commands import sync

    server = archive_env
    stop = threading.Event()
    args = argparse.Namespace(once=False, interval=0.2, batch=50, prefetch=0)
    runner = threading.Thread(target=sync.run, args=(args, stop))
    runner.start()
    try:
        store = open_store()
        v = store.save_report(str(pydicom.uid.generate_uid()), author="A B", text="t",
                              fields={}, status="final")
        deadline = time.monotonic() + 30
        while v.sop_instance_uid not in server.sop_instance_uids():
            assert time.monotonic() < deadline, "the running sync did not send the report"
            time.sleep(0.1)
    finally:
        stop.set()
        runner.join(30)
    assert not runner.is_alive()
    store.close()
