"""What a station's worklist refresh costs the archive: the QIDO-RS requests and seconds of
``prereads.station.fill_from_archive`` (the archive's pre-reads read into the worklist).

Starts a private Orthanc (DICOMweb, basic auth, loopback), stores ``--studies`` CT studies
of one real slice each (LIDC-IDRI-0001, new UIDs, dated today), the first ``--preread`` of
them graded in the worklist already (the refresh skips them), and refreshes the worklist
``--rounds`` times: requests a refresh (counted on the client's HTTP session), median
seconds, and what 100 stations refreshing every 60 s would send. The studies without a
pre-read are the costly case: each is asked again at every refresh.

    .venv/bin/python benchmarks/preread_refresh.py [--studies 50] [--rounds 5]
"""

from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import pydicom

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LUCH_HOME", tempfile.mkdtemp(prefix="luch-bench-home-"))

from archive.credentials import ArchiveConfig  # noqa: E402
from archive.dicomweb import DicomWebClient  # noqa: E402
from prereads.station import FILL_LIMIT, fill_from_archive  # noqa: E402
from records.store import open_store  # noqa: E402
from records.uids import derived_uid  # noqa: E402
from records.worklist import WorklistItem  # noqa: E402
from tests.plugins.orthanc import OrthancServer  # noqa: E402

DATA = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))
VERSION = "bench-version"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--studies", type=int, default=FILL_LIMIT)
    parser.add_argument("--preread", type=int, default=0)
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
        requests: list[float] = []
        client.session.hooks["response"].append(
            lambda r, *a, **k: requests.append(r.elapsed.total_seconds()))
        items = [WorklistItem(uid, "", f"{date.today():%Y%m%d}", "", "", "routine",
                              "CT-1" if i < args.preread else None)
                 for i, uid in enumerate(uids)]
        seconds, counts = [], []
        for _ in range(args.rounds):
            requests.clear()
            t = time.perf_counter()
            fill_from_archive(store, client, items, VERSION)
            seconds.append(time.perf_counter() - t)
            counts.append(len(requests))
        med, per = float(np.median(seconds)), int(np.median(counts))
        ungraded = min(args.studies - args.preread, FILL_LIMIT)
        print(f"worklist refresh, {args.studies} studies ({ungraded} ungraded, "
              f"{args.preread} graded), Orthanc on loopback: {per} requests, "
              f"{med * 1000:.0f} ms (median of {args.rounds}; rounds "
              f"{[round(s * 1000) for s in seconds]} ms), {med / max(1, per) * 1000:.1f} ms "
              f"a request; load average {os.getloadavg()[0]:.1f}")
        print(f"100 stations refreshing every 60 s: {100 * per / 60:.0f} requests/s to the "
              f"archive, {100 * med / 60:.1f} archive-seconds per second at this latency")
        store.close()
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
