"""Opening a study while the next one is prefetched, over a VPN-like link: does the
prefetch slow the reader's own fetch, and does holding it (``Prefetcher.pause``, what the
worklist flow does when the reader opens a study) give the link back?

A real Orthanc in its own network namespace (needs root), shaped to ``--rate`` Mbit/s both
ways (``tc ... tbf``), the round trip from the delaying proxy of
``tests/plugins/link_proxy.py``, as ``vpn_fetch.py``. The reader opens lidc-idri-0001 (133
real slices) while the prefetcher fetches the 300-slice study of ``vpn_study.py``, started
``--lead`` seconds before. Conditions, interleaved ``--rounds`` times, each into fresh
caches: alone (no prefetch), prefetching (as before: it goes on), held (paused as the
reader's fetch starts, resumed after). The reader's fetch is ``ImageCache.fetch_study``
with the default lossless order and 4 parallel requests.

    .venv/bin/python benchmarks/prefetch_contention.py [--rate 50] [--rtt-ms 40] [--rounds 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pydicom

from archive.cache import ImageCache, Prefetcher
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from benchmarks.vpn_study import build_study, shaped_archive
from tests.plugins.link_proxy import LinkProxy
from tests.plugins.orthanc import OrthancServer

SHARED = Path(os.environ.get("LUCH_SHARED_DATA",
                             Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def _client(server: OrthancServer, proxy: LinkProxy) -> DicomWebClient:
    host, port = proxy.address
    return DicomWebClient(ArchiveConfig(url=f"http://{host}:{port}/dicom-web",
                                        user=server.auth[0], password=server.auth[1]))


def one(server, proxy, reader_uid: str, next_uid: str, root: Path, mode: str,
        lead_s: float) -> tuple[float, int]:
    """The reader's fetch in seconds, and the instances the prefetch had by its end."""
    prefetch_cache = ImageCache(root / f"prefetch-{mode}")
    prefetcher = None
    if mode != "alone":
        prefetcher = Prefetcher(prefetch_cache, _client(server, proxy))
        prefetcher.prefetch([next_uid])
        time.sleep(lead_s)
    try:
        if mode == "held":
            prefetcher.pause()
        start = time.perf_counter()
        ImageCache(root / f"reader-{mode}").fetch_study(_client(server, proxy), reader_uid)
        took = time.perf_counter() - start
        if mode == "held":
            prefetcher.resume()
    finally:
        if prefetcher is not None:
            prefetcher.stop()
    got = len(list(prefetch_cache.study_dir(next_uid).rglob("*.dcm"))) if prefetcher else 0
    shutil.rmtree(root / f"prefetch-{mode}", ignore_errors=True)
    shutil.rmtree(root / f"reader-{mode}", ignore_errors=True)
    return took, got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="link Mbit/s")
    parser.add_argument("--rtt-ms", type=float, default=40.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--lead", type=float, default=3.0, help="prefetch head start, s")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (network namespaces)")
        return 2
    root = Path(tempfile.mkdtemp(prefix="luch-bench-prefetch-"))
    try:
        stack = build_study(SHARED, root / "next")
        reader_files = sorted((SHARED / "ct" / "lidc-idri-0001").glob("*.dcm"))
        next_uid = str(pydicom.dcmread(stack[0], stop_before_pixels=True).StudyInstanceUID)
        reader_uid = str(pydicom.dcmread(reader_files[0],
                                         stop_before_pixels=True).StudyInstanceUID)
        with shaped_archive(root, [*stack, *reader_files], args.rate) as server:
            proxy = LinkProxy((server.host, server.http_port),
                              delay_s=args.rtt_ms / 2000).start()
            print(f"link {args.rate:g} Mbit/s, round trip {args.rtt_ms:g} ms; reader's study "
                  f"{len(reader_files)} slices, prefetched {len(stack)}; load "
                  f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            times: dict[str, list[float]] = {"alone": [], "prefetching": [], "held": []}
            got: dict[str, list[int]] = {k: [] for k in times}
            try:
                for _ in range(args.rounds):
                    for mode in times:
                        took, n = one(server, proxy, reader_uid, next_uid, root, mode, args.lead)
                        times[mode].append(took)
                        got[mode].append(n)
                        print(f"  {mode}: {took:.1f} s (prefetched by then: {n})", flush=True)
            finally:
                proxy.stop()
            alone = statistics.median(times["alone"])
            print("| reader's fetch while | median s | runs s | vs alone |")
            print("|---|---|---|---|")
            for mode, values in times.items():
                m = statistics.median(values)
                print(f"| {mode} | {m:.1f} | {', '.join(f'{v:.1f}' for v in values)} | "
                      f"{m / alone:.2f} |")
            print(f"load at end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
