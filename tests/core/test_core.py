"""The app data dir, PHI-free logging and settings."""

from __future__ import annotations

import logging

from core.logging import PhiFilter, setup_logging
from core.paths import app_home, app_subdir
from core.settings import Settings


def test_luch_home_overrides_the_data_dir(luch_home):
    assert app_home() == luch_home
    assert app_subdir("logs") == luch_home / "logs"
    assert (luch_home / "logs").is_dir()


def test_phi_filter_masks_patient_attributes():
    record = logging.LogRecord("t", logging.INFO, "", 0,
                               "opened PatientName=IVANOV^IVAN PatientID: 12345 series=%s",
                               ("1.2.3",), None)
    PhiFilter().filter(record)
    message = record.getMessage()
    assert "IVANOV" not in message and "12345" not in message
    assert "series=1.2.3" in message


def test_log_file_is_written_under_luch_home_without_phi(luch_home):
    handler = setup_logging()
    try:
        logging.getLogger("luch.test").warning("study opened, patient_name='Petrov P.'")
        handler.flush()
        text = (luch_home / "logs" / "luch.log").read_text()
        assert "study opened" in text
        assert "Petrov" not in text
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_the_log_does_not_name_source_datasets_by_uid(luch_home):
    """highdicom's INFO named every source dataset of a SEG/SR by its SOP Instance UID
    ("copy Patient-related attributes from dataset 1.3.6...") in the station's log."""
    handler = setup_logging()
    try:
        logging.getLogger("highdicom.base").info(
            'copy Patient-related attributes from dataset "%s"', "1.3.6.1.4.1.14519.5")
        logging.getLogger("highdicom.seg").warning("a real problem stays visible")
        handler.flush()
        text = (luch_home / "logs" / "luch.log").read_text()
        assert "1.3.6.1.4.1.14519.5" not in text
        assert "a real problem stays visible" in text
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_settings_persist_and_survive_a_damaged_file(luch_home):
    Settings().set("viewer.layout", "mpr")
    assert Settings().get("viewer.layout") == "mpr"
    (luch_home / "settings.json").write_text("{not json")
    settings = Settings()
    assert settings.get("viewer.layout", "1x1") == "1x1"
    assert (luch_home / "settings.broken.json").exists(), "the damaged file is kept aside"


def test_atomic_json_write_keeps_the_old_file_when_a_write_fails(tmp_path):
    import json

    import pytest

    from core.files import write_json_atomic
    from core.private_names import uid_name

    path = tmp_path / "draft.json"
    write_json_atomic(path, {"grade": "CT-1"})
    with pytest.raises(TypeError):
        write_json_atomic(path, {"grade": object()})  # not JSON: fails half-way
    assert json.loads(path.read_text()) == {"grade": "CT-1"}
    assert [p.name for p in tmp_path.iterdir()] == ["draft.json"], "no temp file left behind"
    name = uid_name("1.2.840.113619.2.55")
    assert len(name) == 32 and "1.2.840" not in name


def test_phi_filter_names_uids_by_a_short_hash_only():
    """A study's UID in a log line becomes ``uid:`` + the start of the keyed hash that names
    its drafts and dictations; IP addresses, versions and short test UIDs stay as they are."""
    from core.private_names import uid_name

    study = "1.2.826.0.1.3680043.8.498.10958122831958453197188469263996803399"
    uuid_form = "2.25.329800735698586629295641978511506172918"
    record = logging.LogRecord("t", logging.INFO, "", 0, "opened %s (%s) from 10.0.0.12, "
                               "Qt 6.11.3, series 1.2.3", (study, uuid_form), None)
    PhiFilter().filter(record)
    message = record.getMessage()
    assert study not in message and uuid_form not in message
    assert f"opened uid:{uid_name(study)[:12]} (uid:{uid_name(uuid_form)[:12]})" in message
    assert message.endswith("from 10.0.0.12, Qt 6.11.3, series 1.2.3")


def test_a_traceback_logged_names_no_uid(luch_home):
    """``log.exception`` of an error whose message holds a UID (the central pre-read
    service logs its unexpected errors so): the traceback is masked too."""
    from core.private_names import log_tag

    uid = "1.2.826.0.1.3680043.8.498.5151515151"
    handler = setup_logging()
    try:
        try:
            raise KeyError(f"no series in {uid}")
        except KeyError:
            logging.getLogger("prereads.test").exception("study failed")
        handler.flush()
        text = (luch_home / "logs" / "luch.log").read_text()
        assert "study failed" in text and "Traceback" in text and "KeyError" in text
        assert uid not in text and f"uid:{log_tag(uid)}" in text
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()


def test_old_logs_are_masked_in_place_and_the_handler_keeps_writing(luch_home):
    from core.logging import mask_uids_in_logs
    from core.private_names import uid_name

    uid = "1.2.826.0.1.3680043.8.498.4242424242"
    handler = setup_logging()
    try:
        path = luch_home / "logs" / "luch.log"
        with open(path, "a", encoding="utf-8") as f:
            f.write(f"an older release logged {uid}\n")
        assert mask_uids_in_logs() == 1 and mask_uids_in_logs() == 0
        logging.getLogger("luch.test").warning("after the masking")
        handler.flush()
        text = path.read_text()
        assert uid not in text and f"logged uid:{uid_name(uid)[:12]}" in text
        assert text.rstrip().endswith("after the masking")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
