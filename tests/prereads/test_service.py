"""The central pre-read service against a real Orthanc, on small real chests (conftest)."""

from __future__ import annotations

import copy
import hashlib
import subprocess
import threading
import time
from pathlib import Path

import pydicom
import pytest

from archive.dicomweb import read_dataset
from core import crypto, private_names
from prereads.archived import PreReadIds, locate, present
from prereads.service import PreReadService, ServiceOptions
from prereads.shards import Shard
from prereads.watch import OrthancChanges, QidoByDate, open_watcher
from records.sr import read_ai_values
from tests.prereads.conftest import client_for, kill, service_cmd

pytestmark = pytest.mark.slow


def _service(server, state: Path, shard: str = "1/1") -> PreReadService:
    client = client_for(server)
    return PreReadService(client, open_watcher(client), state,
                          ServiceOptions(shard=Shard.parse(shard), device="cpu"))


def _ids(server, study_uid: str, version: str) -> PreReadIds:
    ids = locate(client_for(server), study_uid, version)
    assert ids is not None
    return ids


def test_new_studies_are_preread_once_and_their_sr_and_seg_arrive(archive, studies, tmp_path):
    uids = studies(archive, ["a", "b"])
    archive.wait_stable(uids)
    before = set(archive.sop_instance_uids())
    service = _service(archive, tmp_path / "state")
    try:
        assert isinstance(service.watcher, OrthancChanges)
        tally = service.run(once=True)
    finally:
        service.close()
    assert (tally.done, tally.failed, tally.present) == (2, 0, 0)
    client = client_for(archive)
    for uid in uids:
        ids = _ids(archive, uid, service.model_version)
        assert present(client, ids) == set(ids.objects)
        seg_uid, sr_uid, flat_uid = ids.objects
        seg = read_dataset(client.retrieve_instance(uid, ids.seg_uids[1], seg_uid))
        assert seg.Modality == "SEG" and seg.StudyInstanceUID == uid
        assert seg.ReferencedSeriesSequence[0].SeriesInstanceUID == ids.series_uid
        sr = read_dataset(client.retrieve_instance(uid, ids.sr_uids[1], sr_uid))
        assert sr.Modality == "SR" and seg_uid in str(sr)  # the SR cites its SEG
        flat = client.search_instances(uid, {"SOPInstanceUID": flat_uid})[0]
        values = read_ai_values(read_dataset(client.retrieve_instance(
            uid, flat["0020000E"]["Value"][0], flat_uid)))
        assert values["model_version"] == service.model_version
        assert values["grade"].startswith("CT-")
    new = set(archive.sop_instance_uids()) - before
    assert len(new) == 6
    assert all(archive.store_counts()[u] == 1 for u in new)

    # Again, and as a new owner of the shard without the state: nothing is read or sent.
    for state in ("state", "elsewhere"):
        again = _service(archive, tmp_path / state)
        try:
            tally = again.run(once=True)
        finally:
            again.close()
        assert tally.done == 0 and tally.failed == 0
    assert tally.present == 2  # the archive, not local state, said so
    assert all(archive.store_counts()[u] == 1 for u in new)


def test_a_half_stored_preread_gets_only_what_is_missing(archive, studies, tmp_path):
    """As after kill -9 between stores: the SEG is there, the SRs are not."""
    [uid] = studies(archive, ["half"])
    archive.wait_stable([uid])
    service = _service(archive, tmp_path / "state")
    try:
        service.run(once=True)
        ids = _ids(archive, uid, service.model_version)
        for sop in ids.objects[1:]:
            [found] = archive.rest("POST", "/tools/lookup", data=sop).json()
            archive.rest("DELETE", f"/instances/{found['ID']}")
    finally:
        service.close()
    client = client_for(archive)
    assert present(client, ids) == {ids.objects[0]}
    again = _service(archive, tmp_path / "fresh")
    try:
        assert again.run(once=True).done == 1
    finally:
        again.close()
    assert present(client, ids) == set(ids.objects)
    counts = archive.store_counts()
    assert counts[ids.objects[0]] == 1  # the SEG was not sent again
    assert counts[ids.objects[1]] == counts[ids.objects[2]] == 2  # stored, deleted, stored


def test_a_second_process_with_another_shard_takes_only_its_own(archive, studies, tmp_path):
    uids = studies(archive, ["s1", "s2", "s3", "s4"])
    owners = {uid: next(k for k in (1, 2) if Shard(k, 2).owns(uid)) for uid in uids}
    assert set(owners.values()) == {1, 2}, "pick names that fall in both shards"
    archive.wait_stable(uids)
    procs = []
    for k in (1, 2):
        cmd, env = service_cmd(archive, tmp_path / "state", "--once", "--shard", f"{k}/2")
        procs.append(subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    for k, (out, err) in zip((1, 2), outputs, strict=True):
        mine = [u for u in uids if owners[u] == k]
        assert f"pre-read {len(mine)}," in out, (out, err)
        assert "studies/h" in out
        for uid in uids:  # no UID in the log: studies go by a keyed tag
            assert uid not in err and "TEST-" not in err
    client = client_for(archive)
    version = _version_from_log(outputs[0][1])
    for uid in uids:
        ids = _ids(archive, uid, version)
        assert present(client, ids) == set(ids.objects)
    assert all(n == 1 for n in archive.store_counts().values())


def _version_from_log(log: str) -> str:
    line = next(x for x in log.splitlines() if "pre-read service: shard" in x)
    return line.split("model ", 1)[1].split(",", 1)[0]


def test_kill_9_mid_study_then_restart_loses_and_duplicates_nothing(archive, studies, tmp_path):
    uids = studies(archive, ["k1", "k2", "k3"])
    archive.wait_stable(uids)
    cmd, env = service_cmd(archive, tmp_path / "state")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 180
        while sum(": pre-reading" in x for x in lines) < 2:  # the first study is done
            assert proc.poll() is None and time.monotonic() < deadline, "".join(lines)
            time.sleep(0.05)
        # Killed at once: inside the second study's fetch or pre-read (1 s after its start,
        # the faster pre-read had sometimes finished and stored it).
    finally:
        kill(proc)
    version = _version_from_log("".join(lines))
    client = client_for(archive)
    done = [u for u in uids if present(client, _ids(archive, u, version))
            == set(_ids(archive, u, version).objects)]
    assert len(done) == 1, "killed mid-study: one study done, the second not"

    result = subprocess.run([*cmd, "--once"], env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert "pre-read 2, already in the archive 0" in result.stdout and "failed 0" in \
        result.stdout, "".join(lines) + result.stderr  # the unfinished two, not the finished
    for uid in uids:
        ids = _ids(archive, uid, version)
        assert present(client, ids) == set(ids.objects)
    counts = archive.store_counts()
    ours = [sop for uid in uids for sop in _ids(archive, uid, version).objects]
    assert [counts[sop] for sop in ours] == [1] * 9


def test_without_orthanc_the_service_asks_qido_by_date(archive, studies):
    uids = studies(archive, ["q1"])
    client = client_for(archive)
    watcher = open_watcher(client, orthanc_url=archive.dicomweb_url)  # no /system there
    assert isinstance(watcher, QidoByDate)
    assert isinstance(open_watcher(client, feed="qido"), QidoByDate)
    assert [uid for _pos, uid, _seen in watcher.poll(None).studies] == uids


def test_a_study_without_ct_is_passed_over(archive, tmp_path, chest_slices):
    ds = copy.deepcopy(chest_slices[0])
    ds.Modality = "MR"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = "1.2.826.0.1.99.1", "1.2.826.0.1.99.2"
    ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = "1.2.826.0.1.99.3"
    path = tmp_path / "mr.dcm"
    pydicom.dcmwrite(path, ds)
    archive.upload([path])
    archive.wait_stable([ds.StudyInstanceUID])
    service = _service(archive, tmp_path / "state")
    try:
        tally = service.run(once=True)
    finally:
        service.close()
    assert (tally.not_ct, tally.done, tally.failed) == (1, 0, 0)


def test_a_series_that_grows_after_its_preread_is_read_again(archive, chest_slices, tmp_path):
    """Images sent late (the study called stable too early): the grown series is a new
    pre-read with UIDs of its own; the early one stays, the stations take the new one."""
    from tests.prereads.conftest import make_study

    uid, files = make_study(chest_slices, "grow", tmp_path / "grow")
    archive.upload(files[:20])
    archive.wait_stable([uid])
    service = _service(archive, tmp_path / "state")
    try:
        assert service.run(once=True).done == 1
        early = _ids(archive, uid, service.model_version)
        assert early.images == 20
        archive.upload(files[20:])
        archive.wait_stable([uid])  # Orthanc calls the grown study stable again
        # Its StableStudy change may enter the feed a moment after IsStable turns true (seen
        # on the loaded CI box): the service polls the feed again, as it does when running.
        deadline = time.monotonic() + 30
        while service.run(once=True).done < 2 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert service.tally.done == 2  # the tally counts since the start
    finally:
        service.close()
    client = client_for(archive)
    grown = _ids(archive, uid, service.model_version)
    assert grown.images == len(files) and set(grown.objects).isdisjoint(early.objects)
    assert present(client, grown) == set(grown.objects)
    assert present(client, early) == set(early.objects)


def test_since_now_skips_the_archive_history_and_a_restart_continues(archive, studies,
                                                                     chest_slices, tmp_path):
    """``--since now``: the studies already there are not read; one that arrives later is;
    the service restarted on its state reads on from its cursor, not from "now" again."""
    from datetime import date, timedelta

    old = studies(archive, ["history"])
    archive.wait_stable(old)
    client = client_for(archive)
    watcher = open_watcher(client)
    last = watcher.start(None)
    assert last > 0
    assert watcher.start(date.today() + timedelta(days=1)) == last  # nothing that late
    assert watcher.start(date.today() - timedelta(days=1)) == 0  # all of it is today's
    qido = QidoByDate(client)
    assert [u for _p, u, _s in qido.poll(qido.start(None)).studies] == old
    assert qido.poll(qido.start(date.today() + timedelta(days=1))).studies == []

    def run_once() -> tuple[int, int]:
        service = PreReadService(client, open_watcher(client), tmp_path / "state",
                                 ServiceOptions(device="cpu", since="now"))
        try:
            tally = service.run(once=True)
        finally:
            service.close()
        return tally.done, tally.present

    assert run_once() == (0, 0)
    new = studies(archive, ["arrived"])
    archive.wait_stable(new)
    assert run_once() == (1, 0)  # restarted: from its kept cursor, so the new study is read
    assert len(client.search_instances(old[0], {})) == len(chest_slices)  # nothing added


def test_a_study_is_never_plain_on_the_servers_disk(archive, studies, tmp_path, monkeypatch):
    """The fetched slices wait for the pre-read sealed under a key in memory only."""
    import prereads.worker as worker

    seen: list[bytes] = []
    opened = worker.open_volume

    def spy(folder, **kwargs):
        seen.extend(p.read_bytes() for p in sorted(Path(folder).iterdir()))
        return opened(folder, **kwargs)

    monkeypatch.setattr(worker, "open_volume", spy)
    uids = studies(archive, ["sealed"])
    archive.wait_stable(uids)
    service = _service(archive, tmp_path / "state")
    try:
        assert service.run(once=True).done == 1
    finally:
        service.close()
    assert seen and all(crypto.is_sealed(raw) and b"DICM" not in raw for raw in seen)


def test_the_service_fetches_images_as_stored_unless_asked_to_compress(archive, studies,
                                                                       chest_slices, tmp_path):
    """By default the service asks for the images as the archive stored them, not gzipped
    (no transcoding there, no decoding here); --fetch compressed asks for JPEG-LS as a
    station does. The same pixels either way."""
    import numpy as np

    from prereads.worker import FETCH_COMPRESSED, FETCH_STORED, fetch_series, service_client

    (uid,) = studies(archive, ["fetch"])
    ids = locate(client_for(archive), uid, "test-version")
    stored_syntax = chest_slices[0].file_meta.TransferSyntaxUID
    pixels = {}
    for fetch, syntax in ((FETCH_STORED, stored_syntax),
                          (FETCH_COMPRESSED, pydicom.uid.JPEGLSLossless)):
        client = service_client(client_for(archive).config, fetch)
        assert (client.session.headers["Accept-Encoding"] == "identity") == (
            fetch == FETCH_STORED)
        folder = tmp_path / fetch
        folder.mkdir()
        assert fetch_series(client, ids, folder) == len(chest_slices)
        files = [pydicom.dcmread(f) for f in sorted(folder.iterdir())]
        assert {ds.file_meta.TransferSyntaxUID for ds in files} == {syntax}
        pixels[fetch] = np.stack([ds.pixel_array for ds in files])
    assert stored_syntax != pydicom.uid.JPEGLSLossless
    assert np.array_equal(pixels[FETCH_STORED], pixels[FETCH_COMPRESSED])


def test_the_service_logs_name_studies_by_keyed_tags_only(archive, studies, tmp_path,
                                                          luch_home, monkeypatch):
    """Its stderr and its log file: no UID, nor the unkeyed hash of one that anyone can
    compute from a UID (the tag of before); each study as the station's logs name it."""
    luch_home.mkdir(parents=True, exist_ok=True)
    uids = studies(archive, ["k1"])
    archive.wait_stable(uids)
    cmd, env = service_cmd(archive, tmp_path / "state", "--once")
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    logs = result.stderr + "".join(p.read_text() for p in (luch_home / "logs").glob("luch.log*"))
    private_names.forget()  # the service's naming key, read from the same home
    for uid in uids:
        assert uid not in logs
        assert hashlib.sha256(uid.encode()).hexdigest()[:10] not in logs
        assert private_names.unkeyed_name(uid)[:12] not in logs
        assert f"study uid:{private_names.log_tag(uid)}: pre-reading" in result.stderr
