"""The reader's first open of a prefetched study, sealed against plain, in the same run.

Run: ``.venv/bin/python benchmarks/encryption_prefetched.py [--rounds 7] [--series both]``

The series of ``encryption.py`` (the 300-slice stack, lidc-idri-0001), each cached plain and
sealed in one throwaway ``LUCH_HOME`` (encryption at rest on; the station key in a keyring
file that the worker process shares, standing in for the OS keyring). Each round, in turn,
all through ``studies.open_volume`` after ``studies.warm_up()``, warm page cache (a
prefetched study has just been written):

- plain: the first open of a plain prefetched study (encryption off);
- sealed, not warmed: the entry removed, the first open reads every sealed image (a study
  the background has not reached, or one opened while it still arrives); its entry is then
  written on a background thread, waited for outside the timing;
- sealed, warmed: the entry removed, the background's real worker process
  (``app.reading.preread_worker``, nice 19) sent ``{"warm": ...}`` as the station sends it
  for a prefetched study, its answer awaited; then the reader's first open.

Medians of the rounds: wall s and this process's CPU s per open; the worker's wall and CPU
(its ``/proc`` times) per warm-up, its first one (loading the readers) apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def _home() -> Path:
    home = Path(tempfile.mkdtemp(prefix="luch-bench-prefetched-"))
    os.environ.update(LUCH_HOME=str(home), LUCH_POLICY=str(home / "no-policy.json"),
                      LUCH_TEST_KEYRING=str(home / "keyring.json"),
                      PYTHON_KEYRING_BACKEND="tests.plugins.keyrings.FileKeyring",
                      PYTHONPATH=os.pathsep.join(
                          p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
    return home


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Worker:
    """The background's worker process, spoken to as the station speaks to it."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "app.reading.preread_worker"],
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        assert "ready" in json.loads(self.proc.stdout.readline())

    def warm(self, folder: Path) -> tuple[float, float]:
        cpu, t = _cpu_of(self.proc.pid), time.perf_counter()
        self.proc.stdin.write(json.dumps({"warm": "2.25.1", "path": str(folder)}) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        assert "warmed" in answer, answer
        return time.perf_counter() - t, _cpu_of(self.proc.pid) - cpu

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(30)


def _time(fn) -> tuple[float, float]:
    t, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t, time.process_time() - cpu


def _median(values, i: int) -> float:
    return statistics.median(v[i] for v in values)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--series", choices=("both", "stack", "lidc"), default="both")
    args = parser.parse_args()
    home = _home()
    import numpy as np

    import studies
    from benchmarks.encryption import bench_series, plain_and_sealed
    from studies import volume_cache

    series = bench_series(args.series)
    from core import vault

    (home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    studies.warm_up()
    worker = Worker()
    print(f"load at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; warm page "
          f"cache; {args.rounds} rounds, medians; wall s (CPU s)")
    first = True
    try:
        for name, files in series.items():
            (home / name[:3]).mkdir()
            plain, sealed = plain_and_sealed(files, home / name[:3])
            entry = sealed / volume_cache.NAME
            want = studies.open_volume(plain)
            first_warm = worker.warm(sealed)  # the worker loads the readers on its first job
            got = studies.open_volume(sealed)
            assert np.array_equal(got.voxels, want.voxels)
            times: dict[str, list] = {"plain": [], "sealed, not warmed": [],
                                      "sealed, warmed by the background": []}
            warms = []

            def open_plain(folder=plain) -> None:
                studies.open_volume(folder)

            def open_sealed(folder=sealed) -> None:
                studies.open_volume(folder)

            for _ in range(args.rounds):
                times["plain"].append(_time(open_plain))
                entry.unlink()
                times["sealed, not warmed"].append(_time(open_sealed))
                volume_cache.wait_written()
                entry.unlink()
                warms.append(worker.warm(sealed))
                assert entry.is_file()
                times["sealed, warmed by the background"].append(_time(open_sealed))
            base, base_cpu = _median(times["plain"], 0), _median(times["plain"], 1)
            print(f"\n{name}, load {os.getloadavg()[0]:.1f}")
            print("| reader's first open | wall s | / plain | CPU s | / plain |")
            print("|---|---|---|---|---|")
            for arm, values in times.items():
                wall, cpu = _median(values, 0), _median(values, 1)
                print(f"| {arm} | {wall:.3f} | **{wall / base:.2f}** | {cpu:.3f} | "
                      f"{cpu / base_cpu:.2f} |")
            print(f"background warm-up (worker, nice 19): {_median(warms, 0):.3f} s wall, "
                  f"{_median(warms, 1):.2f} CPU s; the first of this series "
                  f"{first_warm[0]:.3f} s, {first_warm[1]:.2f} CPU s"
                  + (" (the worker's first job: loading the readers)" if first else ""))
            first = False
    finally:
        worker.close()
    print(f"\nload at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
