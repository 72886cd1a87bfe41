"""The warm encrypted open's CPU, part by part, on one thread: where it goes beyond the AES.

Run: ``.venv/bin/python benchmarks/encryption_parts.py [--rounds 11] [--series DIR]``

One series (default lidc-idri-0001) cached plain and sealed (as ``encryption.py``); each
part timed with ``time.thread_time`` on this thread alone, so the other helpers' load on the
shared box changes the figures far less than wall or whole-process times. Parts: the GDCM
scan of the plain files and of the sealed files' memory files; the sealed files' header copy
(``fastscan._sparse_copy``: open, decrypt the first chunk, fill the memory file); the pixel
read of every slice (``pixels._read_native``: plain ``readinto``, sealed decrypted into the
slice with what the header copy handed on, as in an open); and the floors: per file an
open, one ``preadv`` of the whole file and every chunk decrypted (what a sealed pixel read
cannot go under), AES-256-GCM over every chunk from memory, and reading the ciphertext into
a buffer (``preadv``). Medians of the rounds, ms for the whole series.
"""

from __future__ import annotations

import argparse
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
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--series", type=Path, default=SHARED / "ct" / "lidc-idri-0001")
    args = parser.parse_args()
    from benchmarks.encryption import plain_and_sealed, private_home

    home = private_home("luch-bench-parts-")
    import numpy as np

    from core import crypto
    from studies import fastscan
    from studies.pixels import SliceSource, _read_native
    from studies.sources import list_files

    files = sorted(args.series.rglob("*.dcm"))
    plain, sealed = plain_and_sealed(files, home)
    plain_refs, sealed_refs = list_files(plain), list_files(sealed)
    plain_headers = {str(h.get("SOPInstanceUID")): h  # (the sealed copy's names are hashed)
                     for h in fastscan.scan_files(plain_refs)[0]}
    sealed_headers = fastscan.scan_files(sealed_refs)[0]
    rows, columns = sealed_headers[0].rows, sealed_headers[0].columns
    out = np.empty((rows, columns), np.int16)
    blobs = [(r.path.read_bytes(), r.path.stem.encode()) for r in sealed_refs]
    key = sealed_refs[0].key
    assert key is not None
    times: dict[str, list[float]] = {}

    def timed(name: str, fn) -> None:
        start = time.thread_time()
        fn()
        times.setdefault(name, []).append((time.thread_time() - start) * 1000)

    def aes() -> None:  # every chunk of every file, from memory
        gcm, step = crypto.AESGCM(key), (1 << crypto.DEFAULT_EXP) + crypto.TAG
        target = memoryview(bytearray(1 << crypto.DEFAULT_EXP))
        for blob, stem in blobs:
            header = blob[:crypto.HEADER_BYTES + (crypto.KEY_ID_BYTES if blob[8] == 2 else 0)]
            body = memoryview(blob)[len(header):]
            starts = range(0, len(body), step)
            for index, at in enumerate(starts):
                piece = body[at:at + step]
                nonce = crypto._nonce(blob[10:17], index, index == len(starts) - 1)
                gcm.decrypt_into(nonce, piece, header + stem, target[:len(piece) - crypto.TAG])

    def ciphertext() -> None:  # the sealed files read into a buffer, as the pixel pass does
        scratch = memoryview(bytearray(1 << 20))
        for ref in sealed_refs:
            fd = os.open(ref.path, os.O_RDONLY)
            try:
                at = 0
                while got := os.preadv(fd, [scratch], at):
                    at += got
            finally:
                os.close(fd)

    dtype = np.dtype("<i2")
    whole = memoryview(bytearray(max(r.path.stat().st_size for r in sealed_refs)))
    aside = memoryview(bytearray(1 << crypto.DEFAULT_EXP))
    pixels = memoryview(out).cast("B")

    def floor_file(header) -> None:  # what a sealed slice's read cannot go under
        envelope, gcm = header.sealed, crypto.AESGCM(key)
        auth = envelope.header + header.ref.path.stem.encode()
        fd = os.open(header.ref.path, os.O_RDONLY)
        try:
            os.preadv(fd, [whole], 0)
        finally:
            os.close(fd)
        for index in range(envelope.chunks):
            size, at = envelope.chunk_size(index), envelope.offset(index)
            gcm.decrypt_into(envelope.nonce(index), whole[at:at + size + crypto.TAG], auth,
                             (pixels if index else aside)[:size])
    plain_in_order = [plain_headers[str(h.get("SOPInstanceUID"))] for h in sealed_headers]
    for _ in range(args.rounds):
        timed("GDCM scan, plain files", lambda: fastscan._scan(
            plain_refs, [str(r.path) for r in plain_refs]))
        fds = [os.memfd_create("luch-bench") for _ in sealed_refs]
        heads: dict = {}
        try:
            timed("header copy, sealed (open, first chunk, memory file)",
                  lambda fds=fds, heads=heads: heads.update(fastscan._copy_all(sealed_refs, fds)))
            timed("GDCM scan, sealed (memory files)", lambda fds=fds: fastscan._scan(
                sealed_refs, [f"/proc/self/fd/{fd}" for fd in fds]))
        finally:
            for fd in fds:
                os.close(fd)
        for h in sealed_headers:  # as scan_files hands them on
            h.sealed = heads.get(h.ref.path)
        timed("pixel read, plain", lambda: [_read_native(SliceSource(
            h, None, 1.0, 0.0), dtype, out) for h in plain_in_order])
        timed("pixel read, sealed", lambda: [_read_native(
            SliceSource(h, None, 1.0, 0.0), dtype, out) for h in sealed_headers])
        timed("floor: per file an open, one preadv, every chunk decrypted", lambda: [
            floor_file(h) for h in sealed_headers])
        timed("floor: AES-256-GCM of every chunk", aes)
        timed("floor: ciphertext read into a buffer", ciphertext)
    print(f"{args.series.name}: {len(files)} files; load {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs; one thread, CPU ms, median of {args.rounds}")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.1f} |")
    shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
