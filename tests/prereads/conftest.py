"""Fixtures for the pre-read service: a real Orthanc that calls a study stable after 1 s,
and small real CT studies made from LIDC-IDRI-0001.

The studies are the real chest decimated to keep a pre-read short (every 4th slice, every
2nd row and column: 34 slices of 256x256 at 1.4 mm, 10 mm apart; about 5 s a pre-read on
this box instead of 25 s), each under new UIDs of its own (derived from the study's name),
dated today. Only the pixels kept, the geometry attributes and the UIDs differ from the
source files."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pydicom
import pytest

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from records.uids import derived_uid
from tests.plugins.ci_guard import require
from tests.plugins.orthanc import ORTHANC, OrthancServer

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SLICE_STEP, PIXEL_STEP = 4, 2


class StableOrthanc(OrthancServer):
    """An Orthanc of the test plugin whose studies become stable after 1 s (not 60)."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        config = json.loads(self.config.read_text(encoding="utf-8"))
        config["StableAge"] = 1
        self.config.write_text(json.dumps(config), encoding="utf-8")

    def wait_stable(self, study_uids: list[str], timeout: float = 60.0) -> None:
        """Until Orthanc calls each study stable now that all its images are in (on a loaded
        box a pause within an upload can also make it call one stable too early)."""
        ids = [self.rest("POST", "/tools/lookup", data=uid).json()[0]["ID"]
               for uid in study_uids]
        deadline = time.monotonic() + timeout
        while not all(self.rest("GET", f"/studies/{i}").json()["IsStable"] for i in ids):
            assert time.monotonic() < deadline, "Orthanc did not call the studies stable"
            time.sleep(0.3)


@pytest.fixture
def archive(tmp_path: Path):
    require(Path(ORTHANC).exists(), f"Orthanc ({ORTHANC})", "Debian orthanc")
    server = StableOrthanc(tmp_path / "orthanc")
    server.start()
    yield server
    server.stop()


def client_for(server: OrthancServer) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(url=server.dicomweb_url, user=server.user,
                                        password=server.password, timeout_s=30))


@pytest.fixture(scope="session")
def chest_slices(shared_data: Path) -> list[pydicom.Dataset]:
    """The decimated real chest (see the module docstring), head last."""
    files = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))
    slices = sorted((pydicom.dcmread(f) for f in files),
                    key=lambda d: float(d.ImagePositionPatient[2]))[::SLICE_STEP]
    for ds in slices:
        pixels = ds.pixel_array[::PIXEL_STEP, ::PIXEL_STEP].copy()
        ds.PixelData, (ds.Rows, ds.Columns) = pixels.tobytes(), pixels.shape
        ds.PixelSpacing = [float(v) * PIXEL_STEP for v in ds.PixelSpacing]
        ds.SliceThickness = float(ds.SliceThickness) * SLICE_STEP
    return slices


def make_study(slices: list[pydicom.Dataset], name: str, folder: Path) -> tuple[str, list[Path]]:
    """The chest as a study of its own named ``name``: its Study UID and files."""
    study, series = derived_uid("test-study", name), derived_uid("test-series", name)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for n, ds in enumerate(slices):
        ds = copy.deepcopy(ds)  # Dataset.copy() shares the elements with the session's slices
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = derived_uid("test-image", name, str(n))
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.PatientID, ds.StudyDate = f"TEST-{name}", f"{date.today():%Y%m%d}"
        path = folder / f"{n:03d}.dcm"
        ds.save_as(path)
        files.append(path)
    return study, files


@pytest.fixture
def studies(chest_slices, tmp_path: Path):
    """``make(names) -> [study UID]``: the chest stored into an archive as those studies."""
    def make(server: OrthancServer, names: list[str]) -> list[str]:
        uids = []
        for name in names:
            uid, files = make_study(chest_slices, name, tmp_path / "studies" / name)
            server.upload(files)
            uids.append(uid)
        return uids
    return make


def service_cmd(server: OrthancServer, state: Path, *args: str) -> tuple[list[str], dict]:
    """``python main.py preread-service`` against ``server``, and its environment."""
    env = {**os.environ, "LUCH_ARCHIVE_URL": server.dicomweb_url,
           "LUCH_ARCHIVE_USER": server.user, "LUCH_ARCHIVE_PASSWORD": server.password}
    return ([sys.executable, str(PROJECT_ROOT / "main.py"), "preread-service", "--poll", "0.5",
             "--state", str(state), *args], env)


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
