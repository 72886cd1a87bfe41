"""Fetching a 300-slice CT study over a VPN-like link: compressed transfer vs today's.

A real Orthanc runs in its own network namespace (needs root), joined by a veth pair shaped
to ``--rate`` Mbit/s both ways with ``tc ... tbf``; the round trip (and, in a second
profile, 1% segment loss) comes from the delaying proxy of ``tests/plugins/link_proxy.py``,
since this kernel has no netem. The study is 300 real CT slices stacked into one series
(``benchmarks/vpn_study.py`` says how). In one run, per link profile:

  1. today: ``transfer-syntax=*`` (what the archive stored: uncompressed), 4 parallel requests;
  2. Luch: the default lossless order (Orthanc makes JPEG-LS), 4 parallel requests;
  3. Luch progressive (``archive.progressive``): the same, the headers first, then the
     slices middle outwards decoded into the volume as they come;
  4. the app (offscreen Qt + VTK, AI off) opening the study from its worklist: first image
     when the window shows it, whole when ``volume_loaded`` fires;

each into a fresh image cache, opened as a volume (3: built while it streams) and checked
voxel for voxel against the uploaded slices. The time to the first image is when the middle
slice is in the volume (3), or when the whole study is fetched and opened (1, 2).
Prints those, the time to the whole study, bytes on the wire (the proxy's count, both
ways; Orthanc gzips today's uncompressed answers), the ratio to today's time (goal <= 0.6;
first image: goal <= 1.5 s), the same with the volume's opening (decoding) added, and the
load average.

    .venv/bin/python benchmarks/vpn_fetch.py [--rate 50] [--rtt-ms 40] [--loss 0.01]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
import pydicom

from archive.cache import ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from archive.progressive import ProgressiveStudy
from benchmarks.vpn_study import build_study, shaped_archive
from studies import open_volume
from tests.plugins.link_proxy import LinkProxy
from tests.plugins.orthanc import OrthancServer

GOAL_RATIO = 0.6
SHARED = Path(os.environ.get("LUCH_SHARED_DATA",
                             Path(__file__).resolve().parent.parent.parent / "shared" / "data"))


def fetch(server: OrthancServer, proxy: LinkProxy, study_uid: str, root: Path,
          compressed: bool, progressive: bool = False) -> dict:
    host, port = proxy.address
    kwargs = {} if compressed else {"transfer_syntaxes": ()}
    client = DicomWebClient(ArchiveConfig(f"http://{host}:{port}/dicom-web", server.user,
                                          server.password, **kwargs))
    cache = ImageCache(root / ("progressive" if progressive else
                               "compressed" if compressed else "today"))
    down0, up0 = proxy.bytes_down, proxy.bytes_up
    t0 = time.perf_counter()
    if progressive:
        study, first = ProgressiveStudy(client, cache, study_uid), []
        study.subscribe(lambda kind, _v: first.append(time.perf_counter() - t0)
                        if kind == "first" else None)
        volume = study.stream(workers=4)
        fetched, opened = time.perf_counter() - t0, 0.0
        folder = cache.study_dir(study_uid)
    else:
        folder = cache.fetch_study(client, study_uid, workers=4)
        fetched = time.perf_counter() - t0
        t1 = time.perf_counter()
        volume = open_volume(folder)
        opened = time.perf_counter() - t1
        first = [fetched + opened]  # the study opens when the whole of it is here
    syntax = str(pydicom.dcmread(next(folder.rglob("*.dcm")),
                                 stop_before_pixels=True).file_meta.TransferSyntaxUID)
    shutil.rmtree(cache.root)
    return {"fetch_s": fetched, "open_s": opened, "syntax": syntax, "first_s": first[0],
            "wire_mb": (proxy.bytes_down - down0 + proxy.bytes_up - up0) / 1e6,
            "voxels": volume.voxels}


def app_open(server: OrthancServer, proxy: LinkProxy, study_uid: str, root: Path) -> dict:
    """The app itself (offscreen Qt + VTK, AI off): worklist -> open; the first image is when
    the window shows the study (its views drawn), the whole when ``volume_loaded`` comes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    os.environ["LUCH_HOME"] = str(root / "app-home")
    from PySide6.QtWidgets import QApplication

    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from core.settings import Settings
    from records import open_store

    qt = QApplication.instance() or QApplication([])
    host, port = proxy.address
    client = DicomWebClient(ArchiveConfig(f"http://{host}:{port}/dicom-web", server.user,
                                          server.password))
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    workflow = Workflow(window, open_store(), reader="bench", report_lang="en", archive=client)
    window.resize(1400, 900)
    window.show()
    whole: list[float] = []
    window.volume_loaded.connect(lambda _v: whole.append(time.perf_counter()))

    def wait(done, timeout: float = 300.0) -> None:
        deadline = time.perf_counter() + timeout
        while not done():
            if time.perf_counter() > deadline:
                raise RuntimeError("the app did not get there in time")
            qt.processEvents()
            time.sleep(0.005)

    wait(lambda: study_uid in workflow.worklist.visible_study_uids())
    t0 = time.perf_counter()
    workflow.open_study(study_uid)
    wait(lambda: window.volume is not None)
    first = time.perf_counter() - t0
    wait(lambda: bool(whole))
    result = {"first_s": first, "whole_s": whole[0] - t0, "voxels": window.volume.voxels}
    workflow.stop()
    window.close()
    qt.processEvents()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=50.0, help="link Mbit/s")
    parser.add_argument("--rtt-ms", type=float, default=40.0)
    parser.add_argument("--loss", type=float, default=0.01, help="second profile's loss")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (network namespaces)")
        return 2
    root = Path(tempfile.mkdtemp(prefix="luch-bench-vpn-"))
    try:
        files = build_study(SHARED, root / "study")
        reference = open_volume(root / "study").voxels
        study_uid = str(pydicom.dcmread(files[0], stop_before_pixels=True).StudyInstanceUID)
        with shaped_archive(root, files, args.rate) as server:
            size_mb = sum(f.stat().st_size for f in files) / 1e6
            print(f"study: {len(files)} real CT slices, {size_mb:.1f} MB as stored; link "
                  f"{args.rate:g} Mbit/s (tbf), round trip {args.rtt_ms:g} ms (proxy); "
                  f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
            print("| link | fetch | syntax | first image s | whole study s | open s | wire MB | "
                  "ratio to today | fetch+open ratio |")
            print("|---|---|---|---|---|---|---|---|---|")
            for profile, loss in enumerate((0.0, args.loss)):
                proxy = LinkProxy((server.host, server.http_port), delay_s=args.rtt_ms / 2000,
                                  loss=loss).start()
                try:
                    today = fetch(server, proxy, study_uid, root, compressed=False)
                    luch = fetch(server, proxy, study_uid, root, compressed=True)
                    stream = fetch(server, proxy, study_uid, root, compressed=True,
                                   progressive=True)
                    # a fresh cache
                    app = app_open(server, proxy, study_uid, root / f"app{profile}")
                finally:
                    proxy.stop()
                for run in (today, luch, stream, app):
                    assert np.array_equal(run["voxels"], reference), "pixels differ"
                link = f"{args.rate:g} Mbit/s, {args.rtt_ms:g} ms, loss {loss:.0%}"
                for name, run in (("today (*)", today), ("Luch", luch),
                                  ("Luch progressive", stream)):
                    ratio = run["fetch_s"] / today["fetch_s"]
                    both = (run["fetch_s"] + run["open_s"]) / (today["fetch_s"] + today["open_s"])
                    print(f"| {link} | {name} | {run['syntax']} | {run['first_s']:.2f} | "
                          f"{run['fetch_s']:.1f} | "
                          f"{run['open_s']:.2f} | {run['wire_mb']:.1f} | {ratio:.2f} | "
                          f"{both:.2f} |")
                print(f"| {link} | the app (progressive) | | {app['first_s']:.2f} | "
                      f"{app['whole_s']:.1f} (shown) | | | "
                      f"{app['whole_s'] / today['fetch_s']:.2f} | "
                      f"{app['whole_s'] / (today['fetch_s'] + today['open_s']):.2f} |")
            print(f"goal: whole study <= {GOAL_RATIO}x today's; volumes voxel-identical to the "
                  f"uploaded slices; load now {os.getloadavg()[0]:.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
