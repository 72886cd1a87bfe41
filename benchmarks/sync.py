"""Sync throughput into a local Orthanc: objects/s over STOW-RS and the drain time of 1,000 reports.

Starts a private Orthanc (DICOMweb plugin, basic auth, loopback), then measures in one run:
  1. reference: raw STOW-RS of ready-made report SRs (no store, no checks), 50 per request;
  2. the sync engine draining 1,000 final reports from a fresh SQLite store (SR building,
     QIDO-RS resend/conflict check, STOW-RS, bookkeeping), batch 50;
and prints reports/s and the ratio to the reference. Goal: >= 50 reports/s.

    .venv/bin/python benchmarks/sync.py [--reports 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pydicom.uid import generate_uid

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from records import open_store
from records.sr import ReportSRBuilder, report_to_sr, study_header
from records.sync import SyncEngine
from tests.plugins.orthanc import OrthancServer

GOAL = 50.0
FIELDS = {"grade": "CT-2", "involvement_right_percent": 30, "involvement_left_percent": 20,
          "main_signs": ["ggo_rounded", "consolidation"], "conclusion": "Вирусная пневмония."}
TEXT = "Изменения двусторонние, периферические. " * 8


def _fill(store, n: int, studies: int) -> list:
    uids = [str(generate_uid()) for _ in range(studies)]
    for uid in uids:
        store.upsert_study(uid, patient_id="BENCH", patient_name="Bench^Mark",
                           study_date="20240101")
    return [store.save_report(uids[i % studies], author="Reader A", text=TEXT, fields=FIELDS,
                              status="final") for i in range(n)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--studies", type=int, default=1000,
                        help="reports spread over N studies (default: one report a study)")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="luch-bench-sync-"))
    server = OrthancServer(root / "orthanc", count_stores=False)
    server.start()
    try:
        config = ArchiveConfig(server.dicomweb_url, server.user, server.password)
        # 1. reference: raw STOW-RS of pre-built SRs
        ref_store = open_store(root / "reference.sqlite3")
        versions = _fill(ref_store, args.reports, args.studies)
        t0 = time.perf_counter()
        srs = [report_to_sr(v, study_header(v.study_instance_uid, {}, {})) for v in versions]
        build_s = time.perf_counter() - t0
        fast = ReportSRBuilder()
        t0 = time.perf_counter()
        for v in versions:
            fast(v, study_header(v.study_instance_uid, {}, {}))
        fast_s = time.perf_counter() - t0
        client = DicomWebClient(config)
        t0 = time.perf_counter()
        for i in range(0, len(srs), 50):
            client.store(srs[i:i + 50])
        raw_s = time.perf_counter() - t0
        server.clear()
        # 2. the sync engine draining a fresh store
        store = open_store(root / "records.sqlite3")
        t0 = time.perf_counter()
        _fill(store, args.reports, args.studies)
        fill_s = time.perf_counter() - t0
        engine = SyncEngine(store, DicomWebClient(config), batch_size=50)
        t0 = time.perf_counter()
        report = engine.drain()
        drain_s = time.perf_counter() - t0
        stored = len(server.instances())
        counts = store.outbox_counts()
    finally:
        server.stop()
    n = args.reports
    raw_rate, drain_rate = n / raw_s, n / drain_s
    print(f"Orthanc 1.10 + DICOMweb on loopback, {n} report SRs over {args.studies} studies")
    print(f"  SR build, highdicom each:    {n / build_s:8.1f} SR/s")
    print(f"  SR build, prototype + fill:  {n / fast_s:8.1f} SR/s ({build_s / fast_s:.1f} x)")
    print(f"  saving reports to the store: {n / fill_s:8.1f} reports/s (fsync per report)")
    print(f"  reference raw STOW-RS (50/request): {raw_rate:8.1f} objects/s ({raw_s:.1f} s)")
    print(f"  sync engine drain of {n} reports:  {drain_rate:8.1f} reports/s ({drain_s:.1f} s); "
          f"{drain_rate / raw_rate:.2f} x raw STOW-RS")
    print(f"  archive holds {stored} objects; outbox {counts}; sent {report.sent}")
    ok = stored == n and counts["done"] == n and drain_rate >= GOAL
    print(f"  goal >= {GOAL:.0f} reports/s: {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
