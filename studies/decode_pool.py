"""Compressed slices decoded in worker processes.

pydicom's JPEG / RLE decoder plugins hold the GIL, so threads do not scale; worker processes
do (lossless JPEG-family syntaxes go to :mod:`studies.frame_decoders` on threads instead),
and they also isolate the app from a decoder that crashes on a corrupt file (the pool breaks,
the load fails with a clear message, the app lives on). Workers return the stored values of
one slice (:func:`studies.pydicom_decoder.decode_file`); the caller rescales them into the
preallocated volume. The pool is created on first use and kept warm (``warm_up()`` at app
start hides its start-up; :func:`studies.warm_up` also imports the readers).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from studies import frame_decoders
from studies.pydicom_decoder import decode_file
from studies.sources import FileRef

log = logging.getLogger(__name__)

#: below this many compressed slices, decoding in-process is quicker than shipping work
MIN_SLICES = 8
#: with one CPU the workers only compete with the app for it; on two, JPEG 2000 series decoded
#: by pydicom loaded in 0.87x SimpleITK's time in worker processes against 1.15-1.5x on threads
MIN_CPUS = 2
_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
_workers_start: bool | None = None  # None until tried


def enabled() -> bool:
    """Off with ``LUCH_DECODE_PROCESSES=0``, below ``MIN_CPUS`` CPUs, or when workers cannot
    start (a ``__main__`` read from stdin, or a script without a ``__main__`` guard, cannot be
    re-imported by them): then decoding stays in this process, on threads."""
    global _workers_start
    if os.environ.get("LUCH_DECODE_PROCESSES", "1") == "0" or (os.cpu_count() or 1) < MIN_CPUS:
        return False
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    if main_file is not None and not os.path.isfile(main_file):
        return False
    if _workers_start is None:  # checked once: can a worker start and answer?
        try:
            pool().submit(os.getpid).result(timeout=120)
            _workers_start = True
        except Exception as err:  # BrokenProcessPool, RuntimeError from a re-imported script
            log.info("decoding in worker processes is off: %s", type(err).__name__)
            reset()
            _workers_start = False
    return _workers_start


def pool() -> ProcessPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            method = "forkserver" if sys.platform.startswith("linux") else "spawn"
            context = multiprocessing.get_context(method)
            if method == "forkserver":
                context.set_forkserver_preload(["studies.pydicom_decoder"])
            workers = max(1, min(8, os.cpu_count() or 1))
            _pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        return _pool


def shut_down() -> None:
    """At a quick exit: the worker processes end now (queued decodes dropped); a process
    that ends without this leaves them behind (``os._exit`` runs no exit handlers)."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def reset() -> None:
    """Drop a broken pool; the next use starts a fresh one."""
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
        _pool = None


def warm_up() -> None:
    """Import the decoders (pydicom and its plugins take ~0.3 s, imagecodecs' too) and start
    the worker processes now (e.g. at app start, on a background thread) so that the first
    load is fast. :func:`studies.warm_up` does this and imports the readers as well."""
    frame_decoders.load_all()
    if enabled():
        futures = [pool().submit(os.getpid) for _ in range(pool()._max_workers)]
        for f in futures:
            f.result()


def submit(ref: FileRef, frame: int | None, syntax: str) -> Future[np.ndarray]:
    return pool().submit(decode_file, ref, frame, syntax)


__all__ = ["MIN_SLICES", "BrokenProcessPool", "enabled", "reset", "submit", "warm_up"]
