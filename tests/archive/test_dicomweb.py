"""The DICOMweb client against a real Orthanc (basic auth) with real CT uploaded."""

from __future__ import annotations

import time

import pydicom
import pytest

from archive.credentials import ArchiveConfig, load_config
from archive.dicomweb import DicomWebClient, iter_multipart, read_dataset, tag_value
from archive.errors import ArchiveAuthError, ArchiveConfigError, ArchiveUnavailable
from archive.worklist import query_studies
from tests.plugins.orthanc import free_port


def _client(server, password: str | None = None) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(server.dicomweb_url, server.user,
                                        password or server.password, timeout_s=10))


def test_config_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("LUCH_ARCHIVE_URL", "https://pacs.example.org/dicom-web/")
    monkeypatch.setenv("LUCH_ARCHIVE_USER", "reader")
    monkeypatch.setenv("LUCH_ARCHIVE_PASSWORD", "s3cret")
    config = load_config()
    assert (config.url, config.user, config.password, config.verify) == (
        "https://pacs.example.org/dicom-web", "reader", "s3cret", True)
    assert "s3cret" not in repr(config)
    bundle = tmp_path / "hospital-ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    monkeypatch.setenv("LUCH_ARCHIVE_CA_BUNDLE", str(bundle))
    assert load_config().verify == str(bundle)


@pytest.mark.parametrize("url", ["http://pacs.example.org/dicom-web", "ftp://x", "pacs"])
def test_unsafe_or_bad_addresses_are_refused(url: str) -> None:
    with pytest.raises(ArchiveConfigError):
        ArchiveConfig(url)


def test_missing_config_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, luch_home) -> None:
    monkeypatch.delenv("LUCH_ARCHIVE_URL", raising=False)
    with pytest.raises(ArchiveConfigError, match="no archive configured"):
        load_config()


def test_multipart_parsing_keeps_binary_bodies() -> None:
    body = b"\r\n--b1\r\nContent-Type: application/dicom\r\n\r\n\x00\r\n\x01\r\n--b1--\r\n"
    assert list(iter_multipart(body, 'multipart/related; boundary="b1"')) == [b"\x00\r\n\x01"]


def test_wrong_password_and_down_archive(orthanc) -> None:
    with pytest.raises(ArchiveAuthError):
        _client(orthanc, password="wrong").search_studies()
    down = DicomWebClient(ArchiveConfig(f"http://127.0.0.1:{free_port()}/dicom-web", timeout_s=2))
    with pytest.raises(ArchiveUnavailable):
        down.search_studies()




def test_worklist_query_and_instance_retrieval(orthanc, orthanc_ct) -> None:
    client = _client(orthanc)
    studies = {s.study_instance_uid: s for s in query_studies(client)}
    assert set(orthanc_ct) <= set(studies)
    for study_uid, files in orthanc_ct.items():
        assert "CT" in studies[study_uid].modalities
        original = pydicom.dcmread(files[0])
        [hit] = client.search_instances(study_uid, {"SOPInstanceUID": original.SOPInstanceUID})
        data = client.retrieve_instance(study_uid, tag_value(hit, "0020000E"),
                                        original.SOPInstanceUID)
        got = read_dataset(data)
        assert got.SOPInstanceUID == original.SOPInstanceUID
        # Asked for JPEG-LS lossless first (archive.transfer_syntax), which Orthanc makes.
        assert got.file_meta.TransferSyntaxUID == "1.2.840.10008.1.2.4.80"
        assert (got.pixel_array == original.pixel_array).all()


def test_password_from_the_os_keyring(monkeypatch: pytest.MonkeyPatch, luch_home,
                                      memory_keyring) -> None:
    from archive.credentials import save_password
    from core.settings import Settings

    monkeypatch.delenv("LUCH_ARCHIVE_URL", raising=False)
    settings = Settings()
    settings.set("archive.url", "https://pacs.example.org/dicom-web")
    settings.set("archive.user", "reader")
    with pytest.raises(ArchiveConfigError, match="no archive password"):
        load_config(settings)
    save_password("https://pacs.example.org/dicom-web/", "reader", "from-keyring")
    config = load_config(settings)
    assert (config.user, config.password) == ("reader", "from-keyring")
    assert "from-keyring" not in (luch_home / "settings.json").read_text()


def test_the_test_archive_counts_resends(orthanc_factory, shared_data) -> None:
    """The fixture's store log sees a resend (so the fault tests' "sent once" can fail)."""
    server = orthanc_factory()
    f = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[0]
    server.upload([f, f])
    uid = str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID)
    deadline = time.monotonic() + 20  # the log is written after Orthanc answers
    while server.store_counts(settle_s=0.1).get(uid, 0) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.store_counts() == {uid: 2} and server.sop_instance_uids() == [uid]
