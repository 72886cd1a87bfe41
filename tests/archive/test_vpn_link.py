"""Fetching over a thin VPN-like link that drops: a real Orthanc in its own network
namespace behind a 50 Mbit/s veth (tc tbf) and a delaying proxy (40 ms round trip)."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path

import numpy as np
import pydicom
import pytest

from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveUnavailable
from studies import open_volume
from tests.plugins.netns import NetNamespace, require_netns
from tests.plugins.orthanc import start_in_namespace

SLICES = 40


@pytest.fixture
def vpn_archive(netns, link_proxy, shared_data, tmp_path: Path):
    """(server, proxy, uploaded files, study UID): Orthanc in the namespace, 50 Mbit/s."""
    server = start_in_namespace(tmp_path / "orthanc", netns)
    try:
        files = sorted((shared_data / "ct" / "lidc-idri-0003").glob("*.dcm"))[:SLICES]
        server.upload(files)
        netns.shape(50)
        proxy = link_proxy((server.host, server.http_port), delay_s=0.02)
        study_uid = str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)
        yield server, proxy, files, study_uid
    finally:
        server.stop()


def _client(server, proxy) -> DicomWebClient:
    host, port = proxy.address
    return DicomWebClient(ArchiveConfig(f"http://{host}:{port}/dicom-web", server.user,
                                        server.password, timeout_s=3))


def _sop_of(request_path: str) -> str | None:
    parts = request_path.split("/")
    return parts[-1] if len(parts) > 2 and parts[-2] == "instances" else None


def _assert_volume_is_the_archives(folder: Path, files: list[Path], tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    for f in files:
        (plain / f.name).symlink_to(f.resolve())
    assert np.array_equal(open_volume(folder).voxels, open_volume(plain).voxels)


def test_a_short_drop_mid_study_is_ridden_out_without_refetching(vpn_archive, netns,
                                                                tmp_path: Path) -> None:
    server, proxy, files, study_uid = vpn_archive
    cache = ImageCache(tmp_path / "cache")
    cut_at: dict[str, object] = {}

    def drop_once(fraction: float) -> None:
        if fraction >= 0.3 and not cut_at:
            cut_at["cached"] = {p.stem for p in cache.study_dir(study_uid).rglob("*.dcm")}
            cut_at["request"] = len(proxy.requests)
            proxy.cut()  # the VPN drops: open connections die, new ones are reset ...
            threading.Timer(1.5, proxy.restore).start()  # ... for 1.5 s

    folder = cache.fetch_study(_client(server, proxy), study_uid, progress=drop_once)
    cached_before = cut_at["cached"]
    assert 0 < len(cached_before) < SLICES
    asked_after = {_sop_of(r) for r in proxy.requests[cut_at["request"]:]} - {None}
    assert asked_after and not asked_after & cached_before  # nothing cached was asked again
    assert cache.has_study(study_uid)
    _assert_volume_is_the_archives(folder, files, tmp_path)


def test_a_long_drop_fails_then_the_next_fetch_resumes(vpn_archive, netns,
                                                       tmp_path: Path) -> None:
    server, proxy, files, study_uid = vpn_archive
    cache = ImageCache(tmp_path / "cache")
    cut: dict[str, int] = {}

    def pull_the_cable(fraction: float) -> None:
        if fraction >= 0.3 and not cut:
            cut["at"] = 1
            netns.link(False)  # the veth goes down: requests in flight time out

    with pytest.raises(ArchiveUnavailable):
        cache.fetch_study(_client(server, proxy), study_uid, progress=pull_the_cable,
                          retries=1)
    state = cache.study_state(study_uid)
    assert state.partial and state.expected == SLICES and 0 < state.cached < SLICES
    cached = {p.stem for p in cache.study_dir(study_uid).rglob("*.dcm")}
    netns.link(True)
    first = len(proxy.requests)
    folder = cache.fetch_study(_client(server, proxy), study_uid)
    asked = [s for s in map(_sop_of, proxy.requests[first:]) if s]
    assert sorted(map(cache.names.instance, asked)) == sorted(
        {p.stem for p in folder.rglob("*.dcm")} - cached)
    assert cache.study_state(study_uid).state == "complete"
    _assert_volume_is_the_archives(folder, files, tmp_path)


def test_the_namespace_is_removed_even_when_a_test_fails(tmp_path: Path) -> None:
    require_netns()
    ns = NetNamespace()
    with pytest.raises(RuntimeError):
        try:
            ns.create()
            start_in_namespace(tmp_path / "o", ns)
            raise RuntimeError("the test failed here")
        finally:
            ns.remove()
    assert not ns.exists()
    assert ns.here not in subprocess.run(["ip", "link"], capture_output=True, text=True).stdout
