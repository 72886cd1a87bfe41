"""PHI audit (issue 23): a whole reading with encryption at rest on, then every byte of every
file under ``LUCH_HOME`` (temp files, caches, WAL/journal, keys, logs included) and of the
temporary folder the app writes to is scanned for the patient.

The study is 8 real CT slices of ../shared/data (LIDC-IDRI-0001) given a patient name, ID,
accession number and birth date, served by a real Orthanc. The reading goes through the app
(offscreen window, the progressive encrypted open, the report's draft, dictation kept with its
words, signing to the outbox) and the Qt-free APIs the app calls (the AI's pre-read files and a
correction, a second-opinion request, an anonymised export, the open dialog's folder, logs).
The scan looks for each identifier as UTF-8, UTF-16 (both byte orders), the single-byte
Cyrillic encodings DICOM allows (ISO-IR 144) and Windows-1251, percent-encoded (URLs), the
name with ``^`` or spaces, the birth date as DICOM, ISO and Russian dates; for a DICOM
preamble (``DICM``), an SQLite header or FLAC outside sealed envelopes; for a key file that
is not wrapped; and in the files' names, with the study's series and SOP Instance UIDs (the
image cache names its files by keyed hashes of them).
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import tempfile
from pathlib import Path
from urllib.parse import quote

import numpy as np
import pydicom
import pytest
from pydicom.uid import generate_uid

from app.cli import main
from archive.cache import ImageCache
from core import crypto, vault
from core.logging import setup_logging
from core.paths import app_subdir
from core.private_names import uid_name, unkeyed_name
from dictation.recording import DictationRecording
from dictation.results import Word
from studies import open_volume, volume_cache
from tests.app import windows
from tests.app.test_encryption_at_rest import _ai_reading, _client, _speech

FAMILY, GIVEN = "Аудитова", "Вера"
NAME = f"{FAMILY}^{GIVEN}^Павловна"
PATIENT_ID, ACCESSION = "AUD-7719-PID", "ACC90817Q"
BIRTH = "19510422"


@pytest.fixture(scope="module")
def audited_study(orthanc, shared_data, tmp_path_factory) -> tuple[str, Path]:
    """8 real CT slices with the identifiers the scan looks for, uploaded to Orthanc."""
    folder = tmp_path_factory.mktemp("audited") / f"{PATIENT_ID} {FAMILY}"
    folder.mkdir()
    study, series = generate_uid(), generate_uid()
    for n, src in enumerate(sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:8]):
        ds = pydicom.dcmread(src)
        ds.SpecificCharacterSet = "ISO_IR 192"
        ds.PatientName, ds.PatientID, ds.PatientBirthDate = NAME, PATIENT_ID, BIRTH
        ds.AccessionNumber = ACCESSION
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.save_as(folder / f"{n:03d}.dcm")
    orthanc.upload(sorted(folder.glob("*.dcm")))
    return study, folder


def _forms(text: str) -> set[bytes]:
    forms = {text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be"),
             quote(text).encode("ascii")}  # as a file URL keeps it
    for codec in ("iso8859_5", "cp1251"):
        with contextlib.suppress(UnicodeEncodeError):  # not in that code page
            forms.add(text.encode(codec))
    return forms


def identifiers(study_uid: str, other_uids: tuple[str, ...] = ()) -> dict[bytes, str]:
    """Each byte pattern the scan looks for, with what it is (``other_uids``: the study's
    series and SOP Instance UIDs)."""
    y, m, d = BIRTH[:4], BIRTH[4:6], BIRTH[6:]
    texts = {NAME: "name", NAME.replace("^", " "): "name", FAMILY: "family name",
             f"{GIVEN}^": "given name", PATIENT_ID: "patient ID", ACCESSION: "accession",
             BIRTH: "birth date", f"{y}-{m}-{d}": "birth date", f"{d}.{m}.{y}": "birth date",
             study_uid: "study UID", **{uid: "series or SOP UID" for uid in other_uids},
             # a name or log tag anyone who knows the UID can compute (no station key)
             unkeyed_name(study_uid): "unkeyed hash of the study UID",
             f"uid:{unkeyed_name(study_uid)[:12]}": "unkeyed hash of the study UID",
             **{f"uid:{unkeyed_name(uid)[:12]}": "unkeyed hash of a series or SOP UID"
                for uid in other_uids}}
    return {form: what for text, what in texts.items() for form in _forms(text)}


PLAIN_FORMATS = {b"DICM": "DICOM", b"SQLite format 3": "SQLite", b"fLaC": "FLAC",
                 b"RIFF": "WAV"}


def scan(folders: list[Path], study_uid: str, other_uids: tuple[str, ...] = ()) -> list[str]:
    """Every finding under ``folders``: ``path: what``."""
    found = []
    patterns = identifiers(study_uid, other_uids)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            raw = path.read_bytes()
            sealed = crypto.is_sealed(raw[:crypto.HEADER_BYTES])
            where = f"{folder.name}/{path.relative_to(folder)}"
            found += [f"{where}: {what}" for form, what in patterns.items() if form in raw]
            name = str(path.relative_to(folder)).encode("utf-8")
            found += [f"{where}: {what} in its name" for form, what in patterns.items()
                      if form in name]
            if not sealed:
                found += [f"{where}: {kind} in plain" for magic, kind in PLAIN_FORMATS.items()
                          if magic in raw]
            if vault.KEYS_DIR in path.relative_to(folder).parts[:1] and raw and not (
                    raw.startswith(b"LUCHKEY1") or sealed):
                found += [f"{where}: a key not wrapped by the station key"]
    return sorted(set(found))


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """The temporary folder of this process and its children, to scan after the reading."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return tmp


def test_a_whole_reading_leaves_no_plain_phi(qtbot, orthanc, audited_study, encrypted_home,
                                             private_tmp, shared_data, tmp_path):
    from tests.app.signing import confirm_signing

    study_uid, originals = audited_study
    setup_logging()
    logging.getLogger("luch.audit").warning("opened %s for %s", study_uid, NAME)
    window, workflow = windows.home_station(qtbot, _client(orthanc), study_uid)
    store = workflow.store
    volume = window.volume
    assert np.array_equal(volume.voxels, open_volume(originals).voxels)
    window._remember_open_dir(str(originals))  # what the open dialog does: a folder of CDs
    # dictation: the audio and its words kept with the report, as the panel's recording does
    recording = DictationRecording(_speech(shared_data), (Word(FAMILY, 0.2, 0.7, 0.9),
                                                          Word(PATIENT_ID, 0.8, 1.2, 0.9)))
    workflow.dictation_glue.keep_recording(recording, "whisper")
    workflow.insert_template("normal")
    workflow.report.save_now()  # the draft
    assert next((encrypted_home / "drafts").glob("*.json")).is_file()
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed, timeout=30_000) as signed:
        workflow.report.sign()
    version = signed.args[0]
    # the AI's files (pre-read SEG, SR, label map; a correction's maps and SEG)
    _ai_reading(study_uid, volume, ImageCache().study_dir(study_uid))
    # a second opinion on the signed report, queued with it
    store.request_referral(version.id, kind="second_opinion", reason="doubt",
                           urgency="routine", requester="dr.home", note=f"see {FAMILY}")
    assert {k for k, n in store.outbox_counts().items() if n and k != "done"}
    # an anonymised copy for a colleague, written outside LUCH_HOME
    out = tmp_path / "export"
    assert main(["export", str(originals), str(out), "--dicom", "--anonymize"]) == 0
    shutil.rmtree(out)  # the copy is the user's; its key stays with the station
    workflow.stop()
    store.close()
    window.close()
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = (app_subdir("logs") / "luch.log").read_text("utf-8")
    assert f"opened uid:{uid_name(study_uid)[:12]} for ***" in log_text  # masked, not dropped
    heads = [pydicom.dcmread(f, stop_before_pixels=True) for f in sorted(originals.glob("*.dcm"))]
    other_uids = (str(heads[0].SeriesInstanceUID), *(str(h.SOPInstanceUID) for h in heads))
    cached = ImageCache().study_dir(study_uid)
    assert any(cached.rglob("*.dcm"))  # the images cached
    # the study opened again from the cache: its decoded volume kept beside the images
    assert np.array_equal(open_volume(cached).voxels, volume.voxels)
    volume_cache.wait_written()
    assert (cached / volume_cache.NAME).is_file()
    found = scan([encrypted_home, private_tmp], study_uid, other_uids)
    assert not found, "\n".join(found)


def test_a_plain_open_folder_and_anonymisation_key_are_sealed_at_the_start(encrypted_home):
    """A home sealed by an earlier release kept the folder last opened in settings.json, the
    anonymisation key in plain and UIDs in its logs: the start moves the folder into a sealed
    file, wraps the key (the same secret) and masks the UIDs, though the home was converted
    before."""
    from app.commands._sealing import seal_home
    from app.shell.open_dir import OPEN_DIR_KEY, last_open_dir, remember_open_dir
    from core.settings import Settings

    folder = encrypted_home.parent / f"{PATIENT_ID} {FAMILY}"
    folder.mkdir()
    uid = "1.2.826.0.1.3680043.8.498.1095812283195845319718846926399680339"
    (app_subdir("logs") / "luch.log.1").write_text(f"opened {uid}\n")  # an older release's
    Settings().set(OPEN_DIR_KEY, str(folder))
    secret = bytes(range(32))
    (encrypted_home / vault.KEYS_DIR).mkdir(parents=True, exist_ok=True)
    (encrypted_home / vault.KEYS_DIR / "anonymize.key").write_bytes(secret)
    vault.sealed_all()
    assert seal_home() == {"files": 2, "images": 0}
    assert Settings().get(OPEN_DIR_KEY) is None and last_open_dir(Settings()) == str(folder)
    assert vault.station_secret(vault.ANONYMIZE_KEY) == secret
    assert scan([encrypted_home], uid) == []
    assert (app_subdir("logs") / "luch.log.1").read_text() == f"opened uid:{uid_name(uid)[:12]}\n"
    assert seal_home() == {"files": 0, "images": 0}  # once
    remember_open_dir(Settings(), str(folder.parent))
    assert last_open_dir(Settings()) == str(folder.parent) and scan([encrypted_home],
                                                                    "1.2.3.4.5.6") == []


def test_qt_file_dialog_history_outside_luch_home_is_wiped(qapp, tmp_path):
    """Qt's own file dialog writes the folders it showed to ~/.config/QtProject.conf as it
    closes; the app removes them after each dialog."""
    from PySide6.QtCore import QSettings, QStandardPaths, QTimer
    from PySide6.QtWidgets import QFileDialog

    from app.shell.open_dir import forget_dialog_history

    config = tmp_path / "config"
    folder = tmp_path / f"{PATIENT_ID} {FAMILY}"
    folder.mkdir()
    native = QSettings.Format.NativeFormat
    user = QSettings.Scope.UserScope
    QSettings.setPath(native, user, str(config))
    try:
        def accept():
            for widget in qapp.topLevelWidgets():
                if isinstance(widget, QFileDialog):
                    widget.accept()

        QTimer.singleShot(300, accept)
        assert QFileDialog.getExistingDirectory(None, "Open", str(folder)) == str(folder)
        written = (config / "QtProject.conf").read_bytes()
        assert FAMILY.encode() in written or b"%D0%90" in written  # Qt kept it, URL-encoded
        forget_dialog_history()
        written = (config / "QtProject.conf").read_bytes()
        assert PATIENT_ID.encode() not in written and b"%D0%90" not in written
    finally:
        QSettings.setPath(native, user, QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.GenericConfigLocation))
