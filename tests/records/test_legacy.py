"""Legacy report import: checked first, idempotent, queued for the archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from records import ReportStatus, Store
from records.errors import ImportFormatError
from records.legacy import import_reports
from records.protocol import load_protocol


def _line(**overrides) -> str:
    obj = {"study": {"study_instance_uid": "1.2.3", "patient_id": "P1", "patient_name": "A^B",
                     "study_date": "20200101", "accession_number": "X1"},
           "fields": {"grade": "CT-1"}, "text": "", "status": "amended", "author": "Old RIS",
           "signed_at": "2020-01-02T10:00:00+03:00"}
    obj.update(overrides)
    return json.dumps(obj, ensure_ascii=False)


def test_import_with_protocol_writes_text_and_keeps_status(store: Store, tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(_line() + "\n", encoding="utf-8")
    summary = import_reports(store, f, protocol=load_protocol("moscow-chest-ct-covid"))
    assert (summary.imported, summary.skipped) == (1, 0)
    [report] = store.reports_for_study("1.2.3")
    [v] = store.report_versions(report.uid)
    assert v.status is ReportStatus.AMENDED and v.text.startswith("Степень поражения: КТ-1")
    assert v.signed_at.isoformat() == "2020-01-02T07:00:00+00:00"
    assert store.outbox_counts()["pending"] == 1
    assert import_reports(store, f).skipped == 1 and store.outbox_counts()["pending"] == 1


@pytest.mark.parametrize(("line", "message"), [
    (_line(status="signed"), "unknown status"),
    (_line(author=""), "author is missing"),
    (_line(fields={"grade": "CT-9"}), "not one of"),
    (_line(signed_at="2020-01-02T10:00:00"), "time zone"),
    ("[1, 2]", "expected a JSON object"),
])
def test_bad_lines_import_nothing(store: Store, tmp_path: Path, line: str, message: str) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(_line(study={"study_instance_uid": "9.9"}) + "\n" + line + "\n",
                 encoding="utf-8")
    with pytest.raises(ImportFormatError, match=f"line 2: .*{message}"):
        import_reports(store, f, protocol=load_protocol("moscow-chest-ct-covid"))
    assert store.reports_for_study("9.9") == []
