"""Central pre-read service throughput: studies/hour for 1 and 2 service processes.

Starts a private Orthanc (DICOMweb, basic auth, loopback, StableAge 1 s), stores N whole
real chests under new UIDs (LIDC-IDRI-0001, -0003 and POPI in turn, 133-141 slices of
512x512; the same chest under a new UID is a new study to the service) and runs in one go:
  0. reference: the bare pre-read (inference.preread.analyze) of each chest, in this process;
  1. one `luch preread-service --once` process on N studies;
  2. two processes at once, shards 1/2 and 2/2, on N other studies (split evenly);
each wall time from the processes' start (model load included) to the last one's exit,
and prints studies/hour, the ratio to the bare pre-read and the box's load average.

    .venv/bin/python benchmarks/preread_service.py [--studies 4] [--decimate] [--device cuda]

``--stages``: where one study's time goes in the service apart from the pre-read itself, in
this process (``prereads.worker.preread_study`` with each step timed: QIDO-RS look-ups, the
WADO-RS fetch, opening the series, reading the source headers, building the SEG and SRs,
their bytes, STOW-RS), wall, this process's CPU (all threads) and Orthanc's CPU per step,
``--rounds`` rounds over the three chests, the fetch's transfer syntax as configured by
default (JPEG-LS first) and as stored (gzip allowed, as the client asks, or not),
interleaved. Each chest is pre-read once (kept in ``--results DIR`` for later runs); the
rounds reuse its result (the pre-read is not what is measured here).
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pydicom  # noqa: E402

from prereads.shards import Shard  # noqa: E402
from records.uids import derived_uid  # noqa: E402
from tests.plugins.orthanc import OrthancServer  # noqa: E402

CHESTS = ("lidc-idri-0001", "lidc-idri-0003", "popi-philips-phase00")


def _chest(data: Path, name: str, decimate: bool) -> list[pydicom.Dataset]:
    files = sorted(p for p in (data / "ct" / name).iterdir() if p.suffix == ".dcm")
    slices = sorted((pydicom.dcmread(f) for f in files),
                    key=lambda d: float(d.ImagePositionPatient[2]))
    if decimate:  # the tests' small chest: every 4th slice, 256x256
        slices = slices[::4]
        for ds in slices:
            pixels = ds.pixel_array[::2, ::2].copy()
            ds.PixelData, (ds.Rows, ds.Columns) = pixels.tobytes(), pixels.shape
            ds.PixelSpacing = [float(v) * 2 for v in ds.PixelSpacing]
    return slices


def _store(server: OrthancServer, slices: list[pydicom.Dataset], name: str) -> str:
    study, series = derived_uid("bench-study", name), derived_uid("bench-series", name)
    for n, ds in enumerate(slices):
        ds = copy.deepcopy(ds)
        ds.StudyInstanceUID, ds.SeriesInstanceUID = study, series
        ds.SOPInstanceUID = derived_uid("bench-image", name, str(n))
        ds.file_meta.MediaStorageSOPInstanceUID = ds.SOPInstanceUID
        ds.StudyDate = f"{date.today():%Y%m%d}"
        with tempfile.TemporaryFile() as f:
            ds.save_as(f)
            f.seek(0)
            server.rest("POST", "/instances", data=f.read())
    return study


def _names(prefix: str, n: int, shards: int) -> list[str]:
    """n study names split evenly over the shards."""
    per = {k: [] for k in range(1, shards + 1)}
    i = 0
    while sum(len(v) for v in per.values()) < n:
        name = f"{prefix}{i}"
        k = next(k for k in per if Shard(k, shards).owns(derived_uid("bench-study", name)))
        if len(per[k]) < n // shards + (k <= n % shards):
            per[k].append(name)
        i += 1
    return [name for names in per.values() for name in names]


def _wait_stable(server: OrthancServer, study_uids: list[str]) -> None:
    """Until Orthanc calls each study stable now that all its images are in."""
    ids = [server.rest("POST", "/tools/lookup", data=uid).json()[0]["ID"] for uid in study_uids]
    while not all(server.rest("GET", f"/studies/{i}").json()["IsStable"] for i in ids):
        time.sleep(0.5)


def _run(server: OrthancServer, state: Path, shards: list[str], device: str
         ) -> tuple[float, list[str]]:
    env = {**os.environ, "LUCH_ARCHIVE_URL": server.dicomweb_url,
           "LUCH_ARCHIVE_USER": server.user, "LUCH_ARCHIVE_PASSWORD": server.password}
    t0 = time.perf_counter()
    procs = [subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "preread-service", "--once", "--device", device,
         "--state", str(state), "--shard", shard], env=env, stdout=subprocess.PIPE,
        stderr=(state.parent / f"service-{n}-of-{len(shards)}.log").open("w"), text=True)
        for n, shard in enumerate(shards, 1)]
    outs = [p.communicate()[0].strip() for p in procs]
    if any(p.returncode for p in procs):
        raise SystemExit(f"a service process failed: {outs}")
    return time.perf_counter() - t0, outs


def _reference(chests: dict[str, list], device: str) -> float:
    from inference.preread import PreReadOptions, analyze
    from studies import open_volume

    seconds = []
    for name, slices in chests.items():
        with tempfile.TemporaryDirectory() as tmp:
            for n, ds in enumerate(slices):
                ds.save_as(Path(tmp) / f"{n:04d}.dcm")
            volume = open_volume(tmp)
            if not seconds:
                analyze(volume, PreReadOptions(device=device))  # model load and warm-up
            t0 = time.perf_counter()
            analyze(volume, PreReadOptions(device=device))
            seconds.append(time.perf_counter() - t0)
            print(f"  bare pre-read {name} {volume.shape}: {seconds[-1]:.1f} s", flush=True)
    return sum(seconds) / len(seconds)


STEPS = ("locate", "present", "fetch_series", "open_volume", "source_datasets",
         "build_outputs", "dataset_bytes", "store")


def _stages(server: OrthancServer, chests: dict[str, list], rounds: int, device: str,
            results_dir: Path | None = None) -> None:
    """The service's steps of one study, timed (see the docstring)."""
    import pickle

    import numpy as np
    import psutil

    import prereads.worker as worker
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from inference.preread import PreReadOptions, analyze
    from inference.segmenters import active_model_version

    orthanc = psutil.Process(server.proc.pid)
    spent: dict[str, dict[str, list[float]]] = {}
    results: dict[tuple, object] = {}
    current = {"arm": ""}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            w, c, o = time.perf_counter(), time.process_time(), sum(orthanc.cpu_times()[:2])
            try:
                return fn(*args, **kwargs)
            finally:
                row = spent.setdefault(current["arm"], {}).setdefault(name, [0.0, 0.0, 0.0])
                row[0] += time.perf_counter() - w
                row[1] += time.process_time() - c
                row[2] += sum(orthanc.cpu_times()[:2]) - o
        return wrapper

    def cached_analyze(volume, options, cancel=None):  # each chest pre-read once
        key = (volume.shape, float(np.asarray(volume.voxels[volume.shape[0] // 2]).mean()))
        kept = results_dir / f"{'x'.join(map(str, key[0]))}-{key[1]:.3f}.pkl" \
            if results_dir else None
        if key not in results and kept is not None and kept.is_file():
            results[key] = pickle.loads(kept.read_bytes())
        if key not in results:
            results[key] = analyze(volume, options, cancel=cancel)
            if kept is not None:
                kept.write_bytes(pickle.dumps(results[key]))
        return results[key]

    for name in STEPS:
        if name == "store":
            continue
        setattr(worker, name, timed(name, getattr(worker, name)))
    worker.analyze = cached_analyze
    config = {"url": server.dicomweb_url, "user": server.user, "password": server.password}
    arms = {"JPEG-LS first (default)": ArchiveConfig(**config),
            "as stored, gzip allowed": ArchiveConfig(**config, transfer_syntaxes=()),
            "as stored, not gzipped": ArchiveConfig(**config)}
    version = active_model_version()
    options = PreReadOptions(device=device)
    uids = {(arm, r, chest): _store(server, slices, f"stage-{n}-{r}-{chest}")
            for r in range(rounds + 1) for n, arm in enumerate(arms)
            for chest, slices in chests.items()}
    for r in range(rounds + 1):  # round 0 pre-reads each chest once: not counted
        order = list(arms) if r % 2 == 0 else list(arms)[::-1]
        for arm in order:
            client = worker.service_client(arms[arm]) if "not gzipped" in arm \
                else DicomWebClient(arms[arm])  # the service's own client (now) or not
            client.store = timed("store", client.store)
            current["arm"] = arm if r else "warm-up"
            for chest in chests:
                worker.preread_study(client, uids[arm, r, chest], version, options)
        print(f"  round {r}: load {os.getloadavg()[0]:.1f}", flush=True)
    studies = rounds * len(chests)
    for arm in arms:
        rows = spent[arm]
        print(f"{arm}: per study, wall / service CPU / Orthanc CPU, s ({studies} studies, "
              f"the pre-read itself left out)")
        total = [0.0, 0.0, 0.0]
        for name in STEPS:
            w, c, o = (x / studies for x in rows.get(name, [0.0, 0.0, 0.0]))
            total = [total[0] + w, total[1] + c, total[2] + o]
            print(f"  {name:16s} {w:6.2f} {c:6.2f} {o:6.2f}")
        print(f"  {'all':16s} {total[0]:6.2f} {total[1]:6.2f} {total[2]:6.2f}  "
              f"(CPU both sides {total[1] + total[2]:.2f} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=4, help="studies per configuration")
    parser.add_argument("--decimate", action="store_true",
                        help="the tests' decimated chests (34 slices of 256x256)")
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--stages", action="store_true", help="where a study's time goes")
    parser.add_argument("--rounds", type=int, default=2, help="with --stages")
    parser.add_argument("--results", type=Path,
                        help="with --stages: keep the chests' pre-read results here, reused")
    args = parser.parse_args()
    chests = {name: _chest(args.data, name, args.decimate) for name in CHESTS}
    print(f"load average before: {os.getloadavg()}; {os.cpu_count()} CPUs", flush=True)
    if args.stages:
        root = Path(tempfile.mkdtemp(prefix="luch-bench-stages-"))
        server = OrthancServer(root / "orthanc", count_stores=False)
        server.start()
        try:
            _stages(server, chests, args.rounds, args.device, args.results)
        finally:
            server.stop()
        return 0
    bare = _reference(chests, args.device)
    root = Path(tempfile.mkdtemp(prefix="luch-bench-preread-"))
    server = OrthancServer(root / "orthanc", count_stores=False)
    config = json.loads(server.config.read_text())
    server.config.write_text(json.dumps({**config, "StableAge": 1}))
    server.start()
    results = {}
    try:
        for label, shards in (("1 process", ["1/1"]), ("2 processes", ["1/2", "2/2"])):
            names = _names(label[0] + "p", args.studies, len(shards))
            uids = [_store(server, chests[CHESTS[n % len(CHESTS)]], name)
                    for n, name in enumerate(names)]
            _wait_stable(server, uids)
            load0 = os.getloadavg()[0]
            wall, outs = _run(server, root / f"state-{len(shards)}", shards, args.device)
            rate = args.studies * 3600 / wall
            results[label] = rate
            print(f"{label}: {args.studies} studies in {wall:.0f} s = {rate:.0f} studies/h "
                  f"(load {load0:.1f} -> {os.getloadavg()[0]:.1f}); " + " | ".join(outs),
                  flush=True)
    finally:
        server.stop()
    print(f"bare pre-read: {bare:.1f} s a study = {3600 / bare:.0f} studies/h (one at a time)")
    for label, rate in results.items():
        print(f"{label}: {rate:.0f} studies/h, {rate * bare / 3600:.2f} x the bare pre-read")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
