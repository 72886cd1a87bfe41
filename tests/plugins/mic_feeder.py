"""The virtual microphone's clock, in a process of its own (run by tests/plugins/pulseaudio.py).

Writes s16le blocks of TICK seconds into the PulseAudio pipe source's FIFO at real-time pace:
the speech it is sent, silence otherwise. It runs outside the test process, as a real
microphone does, so the app's work (its GIL, an AI pre-read) cannot stall it; and it never
writes faster than real time to make up for time it lost (a real microphone does not: that
time is gone), so the audio reaches the app as live audio does.

stdin: chunks, each a 4-byte little-endian length and that many bytes of int16 samples.
stdout: one byte ``p`` each time a chunk has been written out completely.
"""

from __future__ import annotations

import os
import struct
import sys
import threading
import time
from collections import deque

RATE = 16_000
TICK = 0.02  # seconds of audio per FIFO write
MAX_LAG = 0.1  # seconds behind the clock after which the clock restarts (no burst)


def main(fifo: str) -> None:
    pending: deque[bytearray] = deque()
    lock = threading.Lock()
    done = threading.Event()

    def read() -> None:
        stream = sys.stdin.buffer
        while True:
            head = stream.read(4)
            if len(head) < 4:
                done.set()
                return
            (size,) = struct.unpack("<I", head)
            data = stream.read(size)
            with lock:
                pending.append(bytearray(data))

    threading.Thread(target=read, daemon=True).start()
    fd = os.open(fifo, os.O_WRONLY)
    block = int(RATE * TICK) * 2
    out = sys.stdout.buffer
    started, n = time.monotonic(), 0
    try:
        while not done.is_set():
            chunk = bytearray()
            finished = 0
            with lock:
                while len(chunk) < block and pending:
                    head = pending[0]
                    take = head[: block - len(chunk)]
                    chunk += take
                    del head[: len(take)]
                    if not head:
                        pending.popleft()
                        finished += 1
            chunk += bytes(block - len(chunk))
            try:
                os.write(fd, chunk)
            except BrokenPipeError:
                return
            if finished:
                out.write(b"p" * finished)
                out.flush()
            n += 1
            delay = started + n * TICK - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            elif delay < -MAX_LAG:  # stalled (a loaded box): go on from now, no burst
                started, n = time.monotonic(), 0
    finally:
        os.close(fd)


if __name__ == "__main__":
    main(sys.argv[1])
