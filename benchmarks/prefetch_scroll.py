"""Scrolling while the next studies prefetch over a VPN-like link: the frame time of the app's
axial view with the prefetch running, against the same view idle, in the same run.

A real Orthanc in its own network namespace (needs root), shaped to ``--rate`` Mbit/s both
ways (``tc ... tbf``), the round trip from the delaying proxy of
``tests/plugins/link_proxy.py``, as ``prefetch_contention.py``. The reader scrolls
lidc-idri-0001 (133 real slices, in memory) in the app's axial view (Qt + VTK offscreen,
corner text, crosshair, scale bar: ``viewer_frame.AppView``), slice by slice through the
series ``--passes`` times, events processed after each slice as the event loop would. The
prefetcher (``archive.cache.Prefetcher``: its threads at nice 10, 2 requests, the default
lossless order) fetches the 300-slice study of ``vpn_study.py`` and then lidc-idri-0003
into a fresh cache, started ``--lead`` seconds before the scroll. Conditions, interleaved
``--rounds`` times: idle (no prefetch), prefetching into a plain cache, prefetching into an
encrypted cache (sealing on its threads; in-memory keyring as ``encryption.py``); with
``--nice0`` also a plain prefetch whose threads run at nice 0.

    .venv/bin/python benchmarks/prefetch_scroll.py [--rate 50] [--rtt-ms 40] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


NICE = 10  # the prefetch's nice value as shipped (archive.cache.PREFETCH_NICE)


def _instances(cache, uids: list[str]) -> int:
    return sum(len(list(cache.study_dir(u).rglob("*.dcm"))) for u in uids)


def one(view, mode: str, server, proxy, uids: list[str], root: Path, lead_s: float,
        passes: int) -> tuple[list[float], list[float], int, bool]:
    """Per-frame wall and UI-thread CPU seconds of ``passes`` scrolls through the series;
    the instances prefetched during the scroll; whether the prefetch was still going."""
    from archive import cache as image_cache
    from archive.cache import ImageCache, Prefetcher
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from core import vault

    home = Path(os.environ["LUCH_HOME"])
    (home / "settings.json").write_text(json.dumps({vault.SETTING: mode == "encrypted"}))
    image_cache.PREFETCH_NICE = 0 if mode == "plain, nice 0" else NICE
    cache = ImageCache(root / f"prefetch-{mode}")
    prefetcher = None
    if mode != "idle":
        host, port = proxy.address
        client = DicomWebClient(ArchiveConfig(url=f"http://{host}:{port}/dicom-web",
                                              user=server.auth[0], password=server.auth[1]))
        prefetcher = Prefetcher(cache, client)
        prefetcher.prefetch(uids)
        time.sleep(lead_s)
    before = _instances(cache, uids)
    frames: list[float] = []
    cpu: list[float] = []
    try:
        for _ in range(passes):
            for k in range(view.count):
                start, own = time.perf_counter(), time.thread_time()
                view.show(k)
                view.app.processEvents()
                frames.append(time.perf_counter() - start)
                cpu.append(time.thread_time() - own)
        got = _instances(cache, uids) - before
        going = prefetcher is not None and len(prefetcher.fetched) < len(uids)
    finally:
        if prefetcher is not None:
            prefetcher.stop()
    if mode == "encrypted" and got:
        from core.crypto import is_sealed

        sample = next(cache.study_dir(uids[0]).rglob("*.dcm"))
        assert is_sealed(sample.read_bytes()[:8]), "the prefetch wrote a plain file"
    shutil.rmtree(root / f"prefetch-{mode}", ignore_errors=True)
    return frames, cpu, got, going


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="link Mbit/s")
    parser.add_argument("--rtt-ms", type=float, default=40.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--passes", type=int, default=2, help="scrolls through the series")
    parser.add_argument("--lead", type=float, default=2.0, help="prefetch head start, s")
    parser.add_argument("--nice0", action="store_true",
                        help="also a plain prefetch with its threads at nice 0")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (network namespaces)")
        return 2
    root = Path(tempfile.mkdtemp(prefix="luch-bench-scroll-"))
    os.environ["LUCH_HOME"] = str(root / "home")
    os.environ["LUCH_POLICY"] = str(root / "no-policy.json")
    (root / "home").mkdir()
    from benchmarks.encryption import _keyring

    _keyring()
    import pydicom

    import studies
    from benchmarks.viewer_frame import AppView
    from benchmarks.vpn_study import build_study, shaped_archive
    from tests.plugins.link_proxy import LinkProxy

    try:
        stack = build_study(SHARED, root / "next")
        other = sorted((SHARED / "ct" / "lidc-idri-0003").rglob("*.dcm"))
        uids = [str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)
                for files in (stack, other)]
        with shaped_archive(root, [*stack, *other], args.rate) as server:
            proxy = LinkProxy((server.host, server.http_port),
                              delay_s=args.rtt_ms / 2000).start()
            volume = studies.open_volume(SHARED / "ct" / "lidc-idri-0001")
            view = AppView(volume)
            for k in range(view.count):  # warm: the first pass draws the textures in
                view.show(k)
            print(f"link {args.rate:g} Mbit/s, round trip {args.rtt_ms:g} ms; scrolling "
                  f"{view.count} slices x {args.passes}; prefetching {len(stack)} + {len(other)} "
                  f"slices; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
            modes = ("idle", "plain", "encrypted") + (("plain, nice 0",) if args.nice0 else ())
            frames: dict[str, list[float]] = {m: [] for m in modes}
            cpus: dict[str, list[float]] = {m: [] for m in modes}
            medians: dict[str, list[float]] = {m: [] for m in modes}
            got: dict[str, list[int]] = {m: [] for m in modes}
            try:
                for _ in range(args.rounds):
                    for mode in modes:
                        f, c, n, going = one(view, mode, server, proxy, uids, root, args.lead,
                                             args.passes)
                        frames[mode] += f
                        cpus[mode] += c
                        medians[mode].append(statistics.median(f))
                        got[mode].append(n)
                        print(f"  {mode}: median {statistics.median(f) * 1000:.1f} ms, max "
                              f"{max(f) * 1000:.0f} ms, prefetched meanwhile {n}"
                              f"{'' if going or mode == 'idle' else ' (the prefetch had ended)'}; "
                              f"load {os.getloadavg()[0]:.1f}", flush=True)
            finally:
                proxy.stop()
                view.close()
            idle = statistics.median(frames["idle"])
            print("| while scrolling | frame median ms | p95 ms | max ms | frames > 50 ms | "
                  "median vs idle | rounds' medians ms | UI thread CPU ms a frame | "
                  "instances prefetched meanwhile |")
            print("|---|---|---|---|---|---|---|---|---|")
            for mode in modes:
                f = sorted(frames[mode])
                p95 = f[int(0.95 * (len(f) - 1))]
                slow = sum(1 for t in f if t > 0.05)
                print(f"| {mode} | {statistics.median(f) * 1000:.1f} | {p95 * 1000:.1f} | "
                      f"{f[-1] * 1000:.0f} | {slow} of {len(f)} | "
                      f"{statistics.median(f) / idle:.2f} | "
                      f"{', '.join(f'{m * 1000:.0f}' for m in medians[mode])} | "
                      f"{statistics.median(cpus[mode]) * 1000:.1f} | "
                      f"{', '.join(str(n) for n in got[mode])} |")
            print(f"load at end {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
