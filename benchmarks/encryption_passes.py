"""Where the encrypted open's extra time goes: each pass of ``studies.open_volume`` timed
on a plain and a sealed copy of one series, interleaved in one process, beside the bare
AES-256-GCM decryption of the same bytes (the floor no reader can go under).

Run: ``.venv/bin/python benchmarks/encryption_passes.py [--rounds 25] [--series DIR]``

Passes: listing (``list_files``: the study key found), header (``scan_files``: GDCM, for
sealed files through memory files holding the decrypted first chunk's header bytes), pixels
(``load``: native slices read, or decrypted, straight into the volume; sealed slices start
from the first chunk the header pass decrypted). CPU seconds are of all threads; the page
cache is warm (the files were just written). Medians of the rounds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("LUCH_SHARED_DATA", ROOT.parent / "shared" / "data"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--series", type=Path, default=SHARED / "ct" / "lidc-idri-0001")
    args = parser.parse_args()
    from benchmarks.encryption import plain_and_sealed, private_home

    home = private_home("luch-bench-passes-")
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    import studies
    from core import crypto, vault
    from studies.loader import choose, load
    from studies.scan import scan_files
    from studies.sources import list_files

    files = sorted(args.series.glob("*.dcm"))
    plain, sealed = plain_and_sealed(files, home)
    studies.warm_up()
    paths = sorted(sealed.rglob("*.dcm"))
    blobs = [(p.read_bytes(), p.stem.encode()) for p in paths]
    key = vault.reader().folder_dek(sealed, create=False)

    def decrypt_only() -> None:  # every chunk of every file, one thread, no file access
        gcm = AESGCM(key)
        step = (1 << crypto.DEFAULT_EXP) + crypto.TAG
        out = memoryview(bytearray(1 << crypto.DEFAULT_EXP))
        for blob, stem in blobs:
            header = blob[:crypto.HEADER_BYTES]
            body = memoryview(blob)[crypto.HEADER_BYTES:]
            starts = range(0, len(body), step)
            for index, at in enumerate(starts):
                piece = body[at:at + step]
                nonce = crypto._nonce(header[-7:], index, index == len(starts) - 1)
                gcm.decrypt_into(nonce, piece, header + stem, out[:len(piece) - crypto.TAG])

    def passes(folder: Path) -> list[tuple[float, float]]:
        marks = [(time.perf_counter(), time.process_time())]
        refs = list_files(folder)
        marks.append((time.perf_counter(), time.process_time()))
        result = scan_files(refs)
        marks.append((time.perf_counter(), time.process_time()))
        load(choose(result))
        marks.append((time.perf_counter(), time.process_time()))
        return [(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(marks)]

    for folder in (plain, sealed):
        passes(folder)
    runs: dict[str, list] = {"plain": [], "sealed": [], "decrypt": []}
    load_start = os.getloadavg()[0]
    for _ in range(args.rounds):
        runs["plain"].append(passes(plain))
        runs["sealed"].append(passes(sealed))
        t, c = time.perf_counter(), time.process_time()
        decrypt_only()
        runs["decrypt"].append([(time.perf_counter() - t, time.process_time() - c)])
    mb = sum(len(b) for b, _ in blobs) / 1e6
    print(f"{args.series.name}: {len(files)} files, {mb:.0f} MB; load {load_start:.1f} -> "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; {args.rounds} rounds")
    print("| | list | header | pixels | total |")
    print("|---|---|---|---|---|")
    for kind in ("plain", "sealed"):
        for n, unit in ((1, "CPU ms"), (0, "wall ms")):
            cells = [statistics.median(r[i][n] for r in runs[kind]) * 1000 for i in range(3)]
            total = statistics.median(sum(p[n] for p in r) for r in runs[kind]) * 1000
            print(f"| {kind}, {unit} | " + " | ".join(f"{v:.1f}" for v in cells)
                  + f" | {total:.1f} |")
    d = statistics.median(r[0][1] for r in runs["decrypt"]) * 1000
    print(f"| AES-256-GCM alone (one thread), CPU ms | | | | {d:.1f} |")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
