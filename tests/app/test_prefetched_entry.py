"""A prefetched sealed study opens from its decoded-volume entry at the reader's first open:
the background's worker process (a real one, at the lowest priority) writes the entry before
anyone opens the study, with the AI pre-read switched off too, and loads no model for it.

Before, only an open (the reader's, or the AI pre-read's when it ran) wrote the entry, so
the reader's first open of a prefetched sealed study read every sealed image (1.3-1.5x a
plain open: benchmarks/README.md)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from app.reading.background_preread import BackgroundPreread
from archive.cache import COMPLETE, ImageCache
from core import crypto, vault
from records import open_store
from studies import loader, open_volume, volume_cache
from studies.synthetic import write_ct_series

UID = "1.2.826.0.1.3680043.8.498.77"


def _prefetched(cache: ImageCache, plain: Path) -> Path:
    """``plain``'s images as a finished fetch leaves them: sealed under the folder's key,
    the study marked complete."""
    folder = cache.study_dir(UID)
    key = vault.current().folder_dek(folder, create=True)
    (folder / "r1").mkdir(parents=True)
    for n, path in enumerate(sorted(p for p in plain.iterdir() if p.is_file())):
        target = folder / "r1" / f"i{n:03d}.dcm"
        target.write_bytes(crypto.seal(key, path.read_bytes(), target.stem.encode()))
    (folder / COMPLETE).touch()
    return folder


def test_the_worker_writes_a_prefetched_studys_entry_before_the_first_open(
        shared_encrypted_home, tmp_path, qapp, monkeypatch):
    plain = tmp_path / "plain"
    write_ct_series(plain, slices=16, patient_name="Petrov^Petr")
    cache = ImageCache(shared_encrypted_home / "cache" / "images")
    folder = _prefetched(cache, plain)
    assert cache.lacks_volume_entry(UID)
    assert not ImageCache(tmp_path / "other").lacks_volume_entry(UID)  # not cached

    background = BackgroundPreread(open_store())
    background.enabled = False  # the AI pre-read off: the warm-up still runs
    try:
        background.set_queue([("2.25.1", str(plain))], warm=[(UID, str(folder))])
        assert background.states == {}  # the AI's column shows nothing for a warm-up
        assert background.wait_idle(40), "the warm-up did not finish"
        assert background.warm_count == 1 and background.read_count == 0
        pid = background.pid
        assert pid is not None
        maps = Path(f"/proc/{pid}/maps").read_text()
        assert "libtorch" not in maps, "the worker loaded torch for a warm-up"
    finally:
        background.stop()
    assert not cache.lacks_volume_entry(UID)
    raw = (folder / volume_cache.NAME).read_bytes()
    assert crypto.is_sealed(raw) and b"Petrov" not in raw and UID.encode() not in raw

    def refuse(*args, **kwargs):
        raise AssertionError("the sealed images were read at the first open")

    want = open_volume(plain)
    with monkeypatch.context() as m:
        m.setattr(loader, "scan_files", refuse)
        got = open_volume(folder)
    assert np.array_equal(got.voxels, want.voxels) and got.info == want.info


def test_a_study_prefetched_from_the_archive_opens_from_its_entry_the_first_time(
        qtbot, shared_encrypted_home, orthanc, orthanc_ct, monkeypatch):
    """The whole way with a real Orthanc: a study opened, the next one prefetched (sealed),
    queued for a warm-up by the worklist (the AI pre-read off), and the reader's first open
    of it reads no image."""
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from tests.app.windows import station

    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    window, workflow = station(qtbot, "dr.warm", archive=client)
    window.settings.set("ai.background", False)
    background = workflow.worklist_flow.background
    warmed: list[str] = []
    background.warmed.connect(warmed.append)
    qtbot.waitUntil(lambda: set(orthanc_ct) <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    first = workflow.worklist.visible_study_uids()[0]
    other = next(u for u in orthanc_ct if u != first)
    try:
        with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
            workflow.open_study(first)
        qtbot.waitUntil(lambda: other in warmed, timeout=120_000)
        assert background.read_count == 0  # no AI pre-read: only the warm-up ran
        folder = workflow.worklist_flow.image_cache().study_dir(other)
        raw = (folder / volume_cache.NAME).read_bytes()
        assert crypto.is_sealed(raw) and other.encode() not in raw and b"DICM" not in raw

        def refuse(*args, **kwargs):
            raise AssertionError("the sealed images were read at the first open")

        monkeypatch.setattr(loader, "scan_files", refuse)
        with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
            workflow.open_study(other)
        assert window.volume.shape[0] == len(orthanc_ct[other])
    finally:
        workflow.stop()
