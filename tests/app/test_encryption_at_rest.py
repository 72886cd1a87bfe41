"""Encryption at rest end to end: a real flow leaves no plain PHI under LUCH_HOME; a plain
home is converted with its data kept; the key reset is refused while work is unsent."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import numpy as np
import pydicom
import pytest
import soundfile as sf
from pydicom.uid import generate_uid

from app.cli import main
from app.commands._sealing import reset_keys, seal_home
from app.panels.drafts import Draft, discard_draft, load_draft, save_draft
from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from core import crypto, vault
from core.logging import setup_logging
from core.paths import app_subdir
from core.private_names import uid_name
from dictation.recording import DictationRecording
from dictation.results import Word
from records import open_store
from records.db import DB_FILE, is_plain_database
from studies import open_volume
from tests.app import windows
from viewer.key_images import KeyImages, key_image_of

NAME, PATIENT_ID = "Шифрова^Анна", "PHI-SCAN-4242"
REPORT = "Матовое стекло в нижней доле справа"


@pytest.fixture(scope="module")
def named_study(orthanc, shared_data, tmp_path_factory) -> tuple[str, Path]:
    """8 real CT slices given a patient name and ID to look for, uploaded to Orthanc."""
    folder = tmp_path_factory.mktemp("named")
    study, series = generate_uid(), generate_uid()
    for n, src in enumerate(sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:8]):
        ds = pydicom.dcmread(src)
        ds.SpecificCharacterSet = "ISO_IR 192"
        ds.PatientName, ds.PatientID = NAME, PATIENT_ID
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.save_as(folder / f"{n:03d}.dcm")
    orthanc.upload(sorted(folder.glob("*.dcm")))
    return study, folder


def _client(server) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(server.dicomweb_url, server.user, server.password))


def _speech(shared_data: Path) -> np.ndarray:
    samples, rate = sf.read(shared_data / "speech" / "ru-voxforge" / "ru_0002.wav", dtype="int16")
    assert rate == 16000
    return samples


def _reading(study_uid: str, shared_data: Path) -> None:
    """What a reader leaves behind: the study in the records, a signed report queued, a
    draft of the next one, the dictation audio with its words, a log line."""
    store = open_store()
    store.upsert_study(study_uid, patient_id=PATIENT_ID, patient_name=NAME)
    version = store.save_report(study_uid, author="Dr A", text=REPORT, fields={"grade": "CT-1"},
                                status="final")
    store.enqueue("report_version", version.id, study_uid)
    audio = app_subdir("dictations") / uid_name(study_uid) / "report.flac"
    recording = DictationRecording(_speech(shared_data), (Word("Шифрова", 0.2, 0.7, 0.9),))
    recording.save(audio)
    store.save_dictation(study_uid, audio_path=audio, transcript=REPORT, timings=[])
    store.close()
    save_draft(Draft(study_uid, {"impression": REPORT}, free_text=f"patient {NAME}"))
    logging.getLogger("luch.test").info("opened %s for %s", study_uid, NAME)


def _ai_reading(study_uid: str, volume, source: Path) -> dict:
    """What the AI leaves behind: a pre-read's SEG, SR and label map under ai-dicom, stored
    (and queued) with its result, and a reader's correction: its maps and corrected SEG
    under corrections."""
    from app.panels.ai_files import write_dicom_outputs, write_label_map
    from app.reading.label_correction import write_corrected_seg
    from inference.corrections import build_correction
    from inference.preread import PreReadOptions, analyze

    result = analyze(volume, PreReadOptions(engine="classical"))
    files = [*write_dicom_outputs(result, volume, source),
             write_label_map(result.labels, volume)]
    corrected = result.labels.copy()
    corrected[3, 200:230, 100:130][corrected[3, 200:230, 100:130] > 0] = 3  # GGO, right
    folder = app_subdir("corrections")
    correction = build_correction(volume, result.labels, corrected, result.to_json(), "Dr A",
                                  folder)
    seg = write_corrected_seg(corrected, volume, source, files[0], result.model_version,
                              "Dr A", folder)
    store = open_store()
    rid = store.save_ai_result(study_uid, model_name="luch-classical",
                               model_version=result.model_version, values=result.to_json(),
                               mask_files=files,
                               series_instance_uid=volume.info.series_instance_uid)
    cid = store.save_ai_correction(rid, **correction.record(), source_path=str(source),
                                   files=[str(seg)])
    store.close()
    return {"result": result, "files": files, "corrected": corrected, "seg": seg,
            "correction": correction, "ids": (rid, cid)}


PHI = [NAME.encode(), NAME.encode("utf-8").replace(b"^", b" "), "Шифрова".encode(),
       PATIENT_ID.encode(), REPORT.encode(), b"DICM", b"SQLite format 3", b"fLaC"]


def _assert_ai_files_read(study_uid: str, volume, ai: dict) -> None:
    """The stored pre-read and the correction's corrected map read back as written."""
    from app.panels.ai_files import find_stored
    from inference.corrections import load_label_maps

    store = open_store()
    stored = find_stored(store, study_uid, volume, ai["result"].model_version)
    store.close()
    assert stored is not None and np.array_equal(stored.labels, ai["result"].labels)
    assert np.array_equal(load_label_maps(ai["correction"].labels_file)[1], ai["corrected"])


def _plain_phi(home: Path) -> list[tuple[str, bytes]]:
    found = []
    for path in home.rglob("*"):
        if path.is_file():
            raw = path.read_bytes()
            found += [(str(path.relative_to(home)), p) for p in PHI if p in raw]
    return found


def test_a_real_flow_leaves_no_plain_phi_under_luch_home(orthanc, named_study, encrypted_home,
                                                         shared_data, capsys, orthanc_factory):
    study_uid, originals = named_study
    setup_logging()
    folder = ImageCache().fetch_study(_client(orthanc), study_uid)
    volume = open_volume(folder)
    assert np.array_equal(volume.voxels, open_volume(originals).voxels)
    _reading(study_uid, shared_data)
    marks = KeyImages(study_uid)
    marks.toggle(key_image_of(volume, 3, 1))  # kept with the study, sealed
    assert crypto.is_sealed(next((encrypted_home / "key-images").glob("*.json")).read_bytes())
    ai = _ai_reading(study_uid, volume, folder)
    ai_files = [*ai["files"], ai["seg"], ai["correction"].labels_file]
    assert all(crypto.is_sealed(Path(f).read_bytes()) for f in ai_files)
    # ... each with its study's key, named in its header (no key per folder)
    study_key = vault.current().study_key_id(study_uid)
    assert {crypto.key_id(Path(f).read_bytes()) for f in ai_files} == {study_key}
    assert not [p for p in encrypted_home.rglob(vault.FOLDER_KEY) if "cache" not in p.parts]
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert _plain_phi(encrypted_home) == []
    # the AI's files read back: the stored pre-read, the correction's maps, the archive's copy
    from app.panels.ai_files import find_stored
    from inference.corrections import load_label_maps
    from records.sync import SyncEngine

    store = open_store()
    stored = find_stored(store, study_uid, volume, ai["result"].model_version)
    assert stored is not None and np.array_equal(stored.labels, ai["result"].labels)
    original, corrected = load_label_maps(ai["correction"].labels_file)
    assert np.array_equal(corrected, ai["corrected"])
    assert np.array_equal(original, ai["result"].labels)
    client = _client(orthanc_factory())  # an archive of its own: the study's stays as it is
    SyncEngine(store, client).drain()
    assert {k: n for k, n in store.outbox_counts().items() if n and k != "done"} == {}
    store.close()
    archived = {str(i["00080018"]["Value"][0]) for i in client.search_instances(study_uid)}
    sent = {pydicom.dcmread(io.BytesIO(vault.read_folder_file(f))).SOPInstanceUID
            for f in (*ai["files"][:2], ai["seg"])}
    assert sent <= archived
    assert _plain_phi(encrypted_home) == []
    # ... and the app reads it all back the same
    assert load_draft(study_uid).fields == {"impression": REPORT}
    again = KeyImages()
    again.load(study_uid)
    assert len(again) == 1
    audio = app_subdir("dictations") / uid_name(study_uid) / "report.flac"
    assert np.array_equal(DictationRecording.load(audio).samples, _speech(shared_data))
    assert DictationRecording.load(audio).words[0].word == "Шифрова"
    store = open_store()
    assert store.study_header_info(study_uid)[0]["name"] == NAME
    store.close()
    assert main(["cache", "--status"]) == 0
    assert "encryption      on, 8 images encrypted, 0 plain" in capsys.readouterr().out
    assert main(["encryption", "--status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["on"] and status["key_in_keyring"] and status["database"] == "encrypted"
    assert status["plain_files"] == 0


def test_a_plain_home_is_converted_with_its_data(orthanc, named_study, luch_home, memory_keyring,
                                                 shared_data, capsys):
    study_uid, originals = named_study
    vault.clear_cache()
    folder = ImageCache().fetch_study(_client(orthanc), study_uid)
    _reading(study_uid, shared_data)
    volume = open_volume(folder)
    ai = _ai_reading(study_uid, volume, folder)  # SEG, SR, label map; maps, corrected SEG
    assert {p for _, p in _plain_phi(luch_home)} >= {NAME.encode(), b"DICM", b"SQLite format 3"}
    assert not crypto.is_sealed(ai["seg"].read_bytes())
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    assert main(["encryption", "--convert", "--json"]) == 0
    # + 1: the image cache's naming key, wrapped (the same secret: the same names)
    assert json.loads(capsys.readouterr().out) == {"files": 3 + 5 + 1, "images": 8}
    assert crypto.is_wrapped((luch_home / vault.KEYS_DIR / "cache-names.key").read_bytes())
    assert _plain_phi(luch_home) == []
    _assert_ai_files_read(study_uid, volume, ai)
    assert not is_plain_database(luch_home / DB_FILE)
    assert seal_home() == {"files": 0, "images": 0}  # once: the start reads nothing now
    assert not vault.needs_sealing()
    assert load_draft(study_uid).free_text == f"patient {NAME}"
    assert np.array_equal(open_volume(ImageCache().study_dir(study_uid)).voxels,
                          open_volume(originals).voxels)
    store = open_store()
    assert store.unsent_study_uids() == {study_uid}
    store.close()
    # off again, a draft written in plain marks the home; on again, the start seals it
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: False}))
    vault.clear_cache()
    save_draft(Draft("1.2.3.4", free_text=f"patient {NAME}"))
    assert vault.needs_sealing()
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    assert seal_home() == {"files": 1, "images": 0} and not vault.needs_sealing()
    assert _plain_phi(luch_home) == []
    vault.clear_cache()


def test_ai_files_sealed_with_their_folders_key_move_to_their_studys_key(
        orthanc, named_study, encrypted_home, shared_data):
    """The last release sealed the AI's files with one key per folder: the first start
    reseals each with its study's key (from the records, or the DICOM itself), nothing
    lost, and the folder keys go; forgetting the study then makes them unreadable."""
    study_uid, _ = named_study
    folder = ImageCache().fetch_study(_client(orthanc), study_uid)
    volume = open_volume(folder)
    ai = _ai_reading(study_uid, volume, folder)
    keys = vault.current()
    files = [Path(f) for f in (*ai["files"], ai["seg"], ai["correction"].labels_file)]
    content = {f: vault.read_folder_file(f) for f in files}
    for f in files:  # as the last release sealed them: the folder's key, no key id
        f.write_bytes(crypto.seal(keys.folder_dek(f.parent), content[f], f.stem.encode()))
    keys.forget_study(study_uid)
    vault.sealed_all()  # that home was converted once already
    assert seal_home() == {"files": len(files), "images": 0}
    assert {crypto.key_id(f.read_bytes()) for f in files} == {keys.study_key_id(study_uid)}
    assert all(vault.read_folder_file(f) == content[f] for f in files)
    assert not (encrypted_home / "ai-dicom" / vault.FOLDER_KEY).exists()
    assert not (encrypted_home / "corrections" / vault.FOLDER_KEY).exists()
    assert seal_home() == {"files": 0, "images": 0}
    assert _plain_phi(encrypted_home) == []
    _assert_ai_files_read(study_uid, volume, ai)
    assert keys.forget_study(study_uid)  # a wiped study: its AI files go with its key
    vault.clear_cache()
    with pytest.raises(crypto.SealError, match="key is missing"):
        vault.read_folder_file(files[0])


def test_key_reset_is_refused_while_work_is_unsent(orthanc, named_study, encrypted_home,
                                                   memory_keyring, shared_data, capsys):
    study_uid, _ = named_study
    cache = ImageCache()
    cache.fetch_study(_client(orthanc), study_uid)
    _reading(study_uid, shared_data)
    before = dict(memory_keyring.passwords)
    assert main(["encryption", "--reset-keys"]) == 2
    assert "not yet in the archive" in capsys.readouterr().err
    assert memory_keyring.passwords == before and cache.has_study(study_uid)  # nothing changed
    store = open_store()
    store.complete_jobs([job.id for job in store.jobs()])  # the archive confirmed them
    store.close()
    with pytest.raises(vault.KeyResetRefused, match="drafts"):
        reset_keys()  # the unsigned draft is work only this station holds
    discard_draft(study_uid)
    done = reset_keys()
    assert done["images_removed"] == 8 and not cache.has_study(study_uid)
    assert memory_keyring.passwords != before  # a new station key
    store = open_store()  # the records stay readable under the new key
    assert store.study_header_info(study_uid)[0]["name"] == NAME
    store.close()


def test_a_lost_key_is_said_and_the_reset_sets_old_records_aside(orthanc, named_study,
                                                                 encrypted_home, memory_keyring,
                                                                 shared_data, capsys):
    study_uid, _ = named_study
    ImageCache().fetch_study(_client(orthanc), study_uid)
    _reading(study_uid, shared_data)
    memory_keyring.passwords.clear()  # a new OS profile: the station key is gone
    vault.clear_cache()
    assert main(["encryption", "--status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["key_in_keyring"] is False
    with pytest.raises(vault.KeyMissing, match="not in the OS keyring"):
        open_store()
    with pytest.raises(vault.KeyResetRefused, match="cannot tell"):
        reset_keys()  # unsent work cannot be ruled out
    done = reset_keys(set_aside=True)
    aside = Path(done["set_aside"])
    assert (aside / DB_FILE).is_file() and crypto.is_sealed(
        next((aside / "dictations").rglob("*.flac")).read_bytes())
    assert not ImageCache().has_study(study_uid)
    store = open_store()  # a fresh, encrypted database under a new key
    assert store.unsent_study_uids() == set()
    store.close()
    assert _plain_phi(encrypted_home) == []


def test_the_app_reads_and_signs_the_same_with_encryption_on(qtbot, orthanc, named_study,
                                                            encrypted_home):
    """The window opens an archive study through the encrypted cache (progressive open),
    the reader signs, and nothing under LUCH_HOME reads as DICOM, SQLite or the patient."""
    from tests.app.signing import confirm_signing

    study_uid, originals = named_study
    window, workflow = windows.home_station(qtbot, _client(orthanc), study_uid)
    store = workflow.store
    assert np.array_equal(window.volume.voxels, open_volume(originals).voxels)
    workflow.insert_template("normal")
    workflow.report.save_now()  # the draft, sealed
    assert crypto.is_sealed(next((encrypted_home / "drafts").glob("*.json")).read_bytes())
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed, timeout=30_000) as signed:
        workflow.report.sign()
    assert signed.args[0].status.value == "final"
    assert store.reports_for_study(study_uid)[0].status.value == "final"
    workflow.stop()
    store.close()
    assert _plain_phi(encrypted_home) == []
