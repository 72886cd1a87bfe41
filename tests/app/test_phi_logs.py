"""No patient data in logs, end to end: a real study with known identifiers is opened,
pre-read, signed, sent to a real archive and exported with logging at DEBUG; none of its
identifiers reaches the log file, stderr or the log records the code emits."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pydicom
import pytest

from app import cli
from core.logging import LOG_FILE, PhiFilter, setup_logging
from core.paths import app_subdir
from tests.app.signing import confirm_signing
from tests.app.windows import archive_station

NAME = "Zvyagintseva^Evdokiya^Prokhorovna"
IDENTIFIERS = {
    "name": NAME,
    "family name": "Zvyagintseva",
    "given name": "Evdokiya",
    "patient id": "PID-83412-QX",
    "birth date": "19610923",
    "birth date (ISO)": "1961-09-23",
    "accession": "ACC77120934",
}


class RawRecords(logging.Handler):
    """Every record's text as the code passed it, before any handler's PHI filter masks it
    (the filter rewrites the shared record, so caplog sees it masked)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name}: {record.getMessage()} {record.exc_info or ''}")


def _leaks(text: str) -> list[str]:
    low = text.lower()
    return [what for what, value in IDENTIFIERS.items() if value.lower() in low]


@pytest.fixture
def named_study(shared_data: Path, tmp_path: Path) -> Path:
    """24 mid-chest slices of LIDC-IDRI-0003 with the identifiers above written in."""
    folder = tmp_path / "study"
    folder.mkdir()
    for src in sorted((shared_data / "ct" / "lidc-idri-0003").glob("*.dcm"))[58:82]:
        ds = pydicom.dcmread(src)
        ds.PatientName, ds.PatientID = NAME, IDENTIFIERS["patient id"]
        ds.PatientBirthDate, ds.AccessionNumber = IDENTIFIERS["birth date"], IDENTIFIERS[
            "accession"]
        ds.save_as(folder / src.name)
    return folder


def test_open_preread_sign_sync_export_log_no_identifier(
        qtbot, luch_home, orthanc_factory, named_study, tmp_path, caplog, capfd):
    orthanc = orthanc_factory()
    root = logging.getLogger()
    level = root.level
    caplog.set_level(logging.DEBUG)  # first: it puts back the level found here
    setup_logging(logging.DEBUG)
    raw = RawRecords()
    root.handlers.insert(0, raw)  # first: sees records before any filter
    try:
        _reading_flow(qtbot, orthanc, named_study, tmp_path)
    finally:
        root.removeHandler(raw)
        root.setLevel(level)
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = (app_subdir("logs") / LOG_FILE).read_text(encoding="utf-8")
    assert "DEBUG" in log_text and "studies.scan" in log_text  # the flow was logged
    stderr = capfd.readouterr().err
    records = "\n".join(f"{r.name}: {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert _leaks(log_text) == [], "identifiers in the log file"
    assert _leaks(stderr) == [], "identifiers on stderr"
    assert _leaks(records) == [], "identifiers in the captured log records"
    assert len(raw.lines) > 10
    assert _leaks("\n".join(raw.lines)) == [], "identifiers passed to the logger unmasked"


def _reading_flow(qtbot, orthanc, named_study: Path, tmp_path: Path) -> None:
    """Open, pre-read (classical), accept, sign, sync to the archive; export; analyze."""
    from records.sr import ai_result_sop_instance_uid

    window, workflow, _uid = archive_station(qtbot, orthanc, named_study)
    store = workflow.store
    assert str(window.volume.info.patient_name) == NAME  # the study really carries them
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=180_000):
        window.actions["ai-run"].trigger()
    ai_id = workflow.ai.ai_result_id
    workflow.ai.accept()
    workflow.report.form.set_value("conclusion", "Checked")
    confirm_signing(qtbot)  # the preview signing now shows (issue 16)
    with qtbot.waitSignal(workflow.report.signed, timeout=10_000):
        workflow.report.sign()
    sr_uid = ai_result_sop_instance_uid(store.ai_result(ai_id).uid)
    qtbot.waitUntil(lambda: sr_uid in orthanc.sop_instance_uids(), timeout=60_000)
    qtbot.waitUntil(lambda: store.outbox_counts()["pending"] == 0, timeout=30_000)
    qtbot.waitUntil(lambda: workflow.archive_link._sync_task is None, timeout=30_000)
    workflow.ai.cancel()
    assert cli.main(["export", str(named_study), str(tmp_path / "out.nii.gz")]) == 0
    assert cli.main(["export", str(named_study), str(tmp_path / "anon"), "--dicom",
                     "--anonymize"]) == 0
    assert cli.main(["analyze", str(named_study), "--engine", "classical", "--save"]) == 0


@pytest.mark.parametrize("msg, args", [
    ("opened %s", (pydicom.valuerep.PersonName(NAME),)),
    ("opened %s", (NAME,)),
    ("study of %s (%d slices)", ("Ivanov^Ivan", 24)),
    ("%(who)s opened", ({"who": pydicom.valuerep.PersonName("Ivanov^Ivan")},)),
    ("PatientID=%s AccessionNumber: %s", ("PID-83412-QX", "ACC77120934")),
])
def test_filter_masks_bare_positional_values_it_recognises(msg, args):
    record = logging.LogRecord("t", logging.INFO, __file__, 1, msg, args, None)
    assert PhiFilter().filter(record)
    text = record.getMessage()
    for value in ("Zvyagintseva", "Evdokiya", "Ivanov", "PID-83412-QX",
                  "ACC77120934"):
        assert value not in text
    assert "***" in text
    assert not re.search(r"\^", text)
