"""Progressive open from a real Orthanc: headers first, the middle slice, then outwards."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pydicom
import pytest

from archive.cache import FetchCancelled, ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.progressive import ProgressiveStudy, middle_out
from studies import open_volume
from studies.errors import UnsupportedData


class CountingClient(DicomWebClient):
    """The real client, counting which instances it fetched over the network."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fetched: list[str] = []

    def retrieve_instance(self, study_uid: str, series_uid: str, sop_uid: str) -> bytes:
        self.fetched.append(sop_uid)
        return super().retrieve_instance(study_uid, series_uid, sop_uid)


def _client(server) -> CountingClient:
    return CountingClient(ArchiveConfig(server.dicomweb_url, server.user, server.password))


def test_middle_out_order() -> None:
    assert middle_out(5) == [2, 3, 1, 4, 0]
    assert middle_out(4) == [2, 3, 1, 0]
    assert sorted(middle_out(301)) == list(range(301)) and middle_out(1) == [0]


def test_the_study_opens_at_the_middle_slice_and_fills_in(orthanc, orthanc_ct,
                                                          tmp_path: Path) -> None:
    study_uid = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    cache = ImageCache(tmp_path / "cache")
    study = ProgressiveStudy(_client(orthanc), cache, study_uid)
    events: list[tuple[str, object]] = []
    seen_arrived: list[int] = []

    def listen(kind: str, value: object) -> None:
        events.append((kind, value))
        if kind == "first":
            seen_arrived.append(int(study.arrived.sum()))

    study.subscribe(listen)
    volume = study.open()
    assert volume.shape == (20, 512, 512) and not study.arrived.any()
    assert events == [("headers", volume)]
    study.stream(workers=1, decoders=1)  # one at a time: the order is exactly middle out
    slices = [v for k, v in events if k == "slice"]
    assert slices == middle_out(20)
    assert [k for k, _ in events].index("first") == 2  # right after the middle slice
    assert seen_arrived == [1] and events[-1] == ("complete", volume)
    assert study.complete and cache.has_study(study_uid)
    # The same volume the loader makes of the cached files, voxel for voxel and in geometry.
    loaded = open_volume(cache.study_dir(study_uid))
    assert np.array_equal(volume.voxels, loaded.voxels)
    assert np.allclose(volume.spacing, loaded.spacing)
    assert np.allclose(volume.origin, loaded.origin)
    assert np.allclose(volume.direction, loaded.direction)
    assert volume.info.series_instance_uid == loaded.info.series_instance_uid


def test_cached_slices_are_not_fetched_again(orthanc, orthanc_ct, tmp_path: Path) -> None:
    study_uid = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    cache = ImageCache(tmp_path / "cache")
    stop = threading.Event()
    with pytest.raises(FetchCancelled):
        cache.fetch_study(_client(orthanc), study_uid, cancel=stop, workers=1,
                          progress=lambda f: stop.set() if f >= 0.4 else None)
    cached = {p.stem for p in cache.study_dir(study_uid).rglob("*.dcm")}
    client = _client(orthanc)
    study = ProgressiveStudy(client, cache, study_uid)
    volume = study.stream()
    assert cached and not cached & {cache.names.instance(sop) for sop in client.fetched}
    assert len(client.fetched) == 20 - len(cached)
    assert np.array_equal(volume.voxels, open_volume(cache.study_dir(study_uid)).voxels)


def test_a_stopped_stream_goes_on_in_its_volume(orthanc, orthanc_ct, tmp_path: Path) -> None:
    """Taken up again, a stopped stream's volume and arrival array are the new stream's (a
    view showing them stays): the slices decoded are not decoded again, the rest fill in.
    A stream of another study keeps to its own volume."""
    study_uid, other_uid = (next(u for u, f in orthanc_ct.items() if len(f) == n)
                            for n in (20, 12))
    cache = ImageCache(tmp_path / "cache")
    stop = threading.Event()
    earlier = ProgressiveStudy(_client(orthanc), cache, study_uid)
    earlier.subscribe(lambda kind, _v: stop.set()
                      if kind == "slice" and earlier.arrived.sum() >= 8 else None)
    with pytest.raises(FetchCancelled):
        earlier.stream(cancel=stop, workers=1, decoders=1)
    done = earlier.arrived.copy()
    assert 8 <= done.sum() < 20
    study = ProgressiveStudy(_client(orthanc), cache, study_uid)
    study.continue_from(earlier)
    decoded: list[int] = []
    study.subscribe(lambda kind, k: decoded.append(k) if kind == "slice" else None)
    volume = study.stream(workers=1, decoders=1)
    assert volume is earlier.volume and study.arrived is earlier.arrived and study.complete
    assert sorted(decoded) == [k for k in range(20) if not done[k]]
    assert np.array_equal(volume.voxels, open_volume(cache.study_dir(study_uid)).voxels)
    another = ProgressiveStudy(_client(orthanc), cache, other_uid)
    another.continue_from(earlier)
    assert another.open() is not volume and another.volume.shape[0] == 12


def stacked_at_one_place(shared_data: Path, out: Path, n: int = 3) -> tuple[str, list[Path]]:
    """``n`` real slices rewritten into one new series, all at the same position."""
    from pydicom.uid import generate_uid

    study, series = generate_uid(), generate_uid()
    files = []
    for i, src in enumerate(sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:n]):
        ds = pydicom.dcmread(src)
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        ds.ImagePositionPatient = [0, 0, 0]
        ds.InstanceNumber = i + 1
        path = out / f"{i}.dcm"
        ds.save_as(path, enforce_file_format=True)
        files.append(path)
    return str(study), files


def test_a_series_it_cannot_place_is_refused_before_any_fetch(orthanc_factory, shared_data,
                                                              tmp_path: Path) -> None:
    server = orthanc_factory()
    study_uid, files = stacked_at_one_place(shared_data, tmp_path)
    server.upload(files)
    client = _client(server)
    with pytest.raises(UnsupportedData, match="same position"):
        ProgressiveStudy(client, ImageCache(tmp_path / "cache"), study_uid).open()
    assert client.fetched == []


def test_a_study_of_single_images_opens_on_its_axial_image(orthanc_factory, shared_data,
                                                          tmp_path: Path) -> None:
    """Axial, coronal and sagittal series of one image each (the real COVID slices): the
    tie on image count goes to the axial series, whatever order the archive lists them in
    (it opened on the sagittal reformat)."""
    server = orthanc_factory()
    files = sorted(p for p in (shared_data / "covid-slices" / "A027284").rglob("*.dcm"))
    server.upload(files)
    study_uid = str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)
    volume = ProgressiveStudy(_client(server), ImageCache(tmp_path / "cache"), study_uid).open()
    assert abs(float(np.asarray(volume.direction, float)[2, 2])) > 0.99, \
        volume.info.series_description
