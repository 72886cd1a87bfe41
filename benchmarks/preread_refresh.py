"""What a station's worklist refresh costs the archive: the requests and seconds of
``prereads.station.fill_from_archive`` (the archive's pre-reads read into the worklist),
against the per-study look-up it replaced (two QIDO-RS requests for each ungraded study,
at most 50 a refresh), in the same run, interleaved.

Starts a private Orthanc (DICOMweb, basic auth, loopback), stores ``--studies`` CT studies
of one real slice each (LIDC-IDRI-0001, new UIDs, dated today), the first ``--preread`` of
them graded in the worklist already (the refresh skips them), ``--other-ai`` of the rest
with an AI result's flat SR that is not this station's pre-read (a station's own, sent with
its report), and refreshes the worklist ``--rounds`` times each way: requests a refresh
(counted on the client's HTTP session), median seconds, and what 100 stations refreshing
every 60 s would send. The studies without a pre-read are the costly case: each was asked
again at every refresh.

    .venv/bin/python benchmarks/preread_refresh.py [--studies 50] [--rounds 5] [--other-ai 0]
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pydicom

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-home-"))

from archive.credentials import ArchiveConfig  # noqa: E402
from archive.dicomweb import DicomWebClient  # noqa: E402
from archive.errors import ArchiveError  # noqa: E402
from prereads.station import FILL_LIMIT, fill_from_archive, import_archived_preread  # noqa: E402
from records.sr import ai_result_to_sr, study_header  # noqa: E402
from records.store import open_store  # noqa: E402
from records.uids import derived_uid  # noqa: E402
from records.worklist import WorklistItem  # noqa: E402
from tests.plugins.orthanc import OrthancServer  # noqa: E402

DATA = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
VERSION = "bench-version"
OLD_LIMIT = 50  # the per-study look-up's studies a refresh


def per_study(store, client, items: list[WorklistItem], version: str) -> list[WorklistItem]:
    """The look-up before (``fill_from_archive`` at 3dff10c): each of the first 50 ungraded
    studies asked on its own (its series, then the pre-read's three objects)."""
    out, asked = [], 0
    for item in items:
        if item.ai_grade is None and asked < OLD_LIMIT:
            asked += 1
            with contextlib.suppress(ArchiveError):
                import_archived_preread(store, client, item.study_instance_uid, version)
        out.append(item)
    return out


def _store_studies(server: OrthancServer, n: int) -> list[str]:
    source = pydicom.dcmread(sorted((DATA / "ct" / "lidc-idri-0001").glob("*.dcm"))[60])
    uids = []
    for i in range(n):
        ds = copy.deepcopy(source)
        ds.StudyInstanceUID = derived_uid("refresh-study", str(i))
        ds.SeriesInstanceUID = derived_uid("refresh-series", str(i))
        ds.SOPInstanceUID = ds.file_meta.MediaStorageSOPInstanceUID = derived_uid(
            "refresh-image", str(i))
        ds.StudyDate = f"{date.today():%Y%m%d}"
        with tempfile.TemporaryFile() as f:
            ds.save_as(f)
            f.seek(0)
            server.rest("POST", "/instances", data=f.read())
        uids.append(ds.StudyInstanceUID)
    return uids


def _other_ai(client, uids: list[str]) -> None:
    """A flat AI SR in each of ``uids`` that is not this version's pre-read."""
    client.store([ai_result_to_sr(str(uuid.uuid4()), "luch-unet", VERSION, {"grade": "CT-1"},
                                  datetime.now(UTC), study_header(uid, {"patient_id": "P"}, {
                                      "study_date": f"{date.today():%Y%m%d}"}))
                  for uid in uids])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--studies", type=int, default=50)
    parser.add_argument("--preread", type=int, default=0)
    parser.add_argument("--other-ai", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="luch-refresh-"))
    server = OrthancServer(tmp / "orthanc", count_stores=False)
    server.start()
    try:
        uids = _store_studies(server, args.studies)
        store = open_store(tmp / "station.db")
        client = DicomWebClient(ArchiveConfig(url=server.dicomweb_url, user=server.user,
                                              password=server.password, timeout_s=30))
        _other_ai(client, uids[args.preread:args.preread + args.other_ai])
        requests: list[float] = []
        client.session.hooks["response"].append(
            lambda r, *a, **k: requests.append(r.elapsed.total_seconds()))
        items = [WorklistItem(uid, "", f"{date.today():%Y%m%d}", "", "", "routine",
                              "CT-1" if i < args.preread else None)
                 for i, uid in enumerate(uids)]
        not_ours: dict = {}
        ways = {"per study (before)": lambda: per_study(store, client, items, VERSION),
                "one search (now)": lambda: fill_from_archive(store, client, items, VERSION,
                                                              not_ours=not_ours)}
        seconds: dict[str, list[float]] = {w: [] for w in ways}
        counts: dict[str, list[int]] = {w: [] for w in ways}
        for _ in range(args.rounds):
            for way, refresh in ways.items():
                requests.clear()
                t = time.perf_counter()
                refresh()
                seconds[way].append(time.perf_counter() - t)
                counts[way].append(len(requests))
        ungraded = args.studies - args.preread
        print(f"worklist refresh, {args.studies} studies ({ungraded} ungraded, {args.preread} "
              f"graded, {args.other_ai} with another AI result), Orthanc on loopback, load "
              f"average {os.getloadavg()[0]:.1f}")
        for way in ways:
            limit = OLD_LIMIT if way.startswith("per") else FILL_LIMIT
            med, per = float(np.median(seconds[way])), int(np.median(counts[way]))
            print(f"  {way}: {min(ungraded, limit)} studies looked up, requests a refresh "
                  f"{counts[way]}, {med * 1000:.0f} ms median (rounds "
                  f"{[round(x * 1000) for x in seconds[way]]} ms); 100 stations every 60 s: "
                  f"{100 * per / 60:.1f} requests/s, {100 * med / 60:.2f} archive-s/s")
        store.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
