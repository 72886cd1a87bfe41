"""The background pre-read's worker: a separate process at the lowest OS priority with one
torch thread, so the viewer's process keeps its cores and its interpreter lock.

``python -m app.reading.preread_worker`` reads JSON lines on stdin and answers on stdout:

- ``{"read": UID, "path": P}``: pre-read the study at ``P``; answers ``{"progress": UID,
  "f": F}`` lines, then ``{"done": UID, "values": ..., "files": [...], "series": S,
  "engine": E, "model_version": V, "derived": B}`` or ``{"failed": UID, "error": NAME}``;
- ``{"warm": UID, "path": P}``: write the decoded-volume entry of a sealed cached study
  unless one of the same files is there (:func:`studies.keep_decoded`), so that the
  reader's first open of a prefetched study is one decryption; answers ``{"warmed": UID}``
  or ``{"failed": UID, "error": NAME}``; no model is loaded for it;
- ``{"cancel": UID}``: stop that pre-read or warm-up (``{"cancelled": UID}``);
- ``{"pause": true}`` / ``{"pause": false}``: wait at the next checkpoint (between slabs)
  until resumed; on POSIX the station also stops the process outright (SIGSTOP).

Files are written like the AI panel's (label map, and for a DICOM study its SEG and SR);
the station stores the result. Nothing about the patient is written to the log.

The worker ends with the station: its stdin closing (the station gone, even by kill -9)
cancels the pre-read running and drops those queued; on Linux the kernel also kills it
when the station ends (``PR_SET_PDEATHSIG``: a stopped worker cannot notice the pipe)."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import sys
import threading
from pathlib import Path

LOWEST_PRIORITY = 19
PR_SET_PDEATHSIG = 1  # prctl(2)


def lower_priority() -> None:
    """The lowest CPU priority (nice 19 on POSIX; elsewhere the priority is left as it is)."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):  # already there when the station set it
            os.nice(LOWEST_PRIORITY - os.nice(0))


class Worker:
    """Reads commands on a thread of its own (a cancel or pause arrives during a pre-read)."""

    def __init__(self, out=sys.stdout) -> None:
        self.out = out
        self.jobs: queue.Queue[dict | None] = queue.Queue()
        self.resumed = threading.Event()
        self.resumed.set()
        self.cancels: dict[str, threading.Event] = {}
        self.gone = threading.Event()  # the station has gone: nothing more is read
        self._lock = threading.Lock()

    def send(self, message: dict) -> None:
        with self._lock, contextlib.suppress(OSError, ValueError):  # no station to answer
            self.out.write(json.dumps(message) + "\n")
            self.out.flush()

    def listen(self, lines) -> None:
        for line in lines:
            try:
                command = json.loads(line)
            except ValueError:
                continue
            if "pause" in command:
                (self.resumed.clear if command["pause"] else self.resumed.set)()
            elif "cancel" in command:
                running = self.cancels.get(command["cancel"])
                if running is not None:  # one that has finished is not cancelled later
                    running.set()
            elif "read" in command or "warm" in command:
                self.jobs.put(command)
        # stdin closed: the station has gone (also when it was killed); the pre-read
        # running is cancelled and those queued are dropped, so the process ends now
        self.gone.set()
        for running in list(self.cancels.values()):
            running.set()
        self.resumed.set()
        self.jobs.put(None)

    def run(self) -> None:
        while (job := self.jobs.get()) is not None and not self.gone.is_set():
            if "warm" in job:
                self.warm(job["warm"], job["path"])
            else:
                self.read(job["read"], job["path"])

    def warm(self, uid: str, path: str) -> None:
        from studies import keep_decoded  # deferred: the readers load on the first job

        cancel = self.cancels[uid] = threading.Event()
        if self.gone.is_set():
            cancel.set()
        try:
            self.resumed.wait()
            keep_decoded(path, cancel.is_set)
            self.send({"warmed": uid})
        except Exception as err:
            self.send({"cancelled": uid} if cancel.is_set()
                      else {"failed": uid, "error": type(err).__name__})
        finally:
            self.cancels.pop(uid, None)

    def read(self, uid: str, path: str) -> None:
        # deferred: the worker process loads the readers and the AI stack once, on its first job
        from app.panels.ai_files import write_dicom_outputs, write_label_map
        from inference.preread import analyze
        from studies import open_volume
        from studies.volume_cache import wait_written

        _one_torch_thread()
        cancel = self.cancels[uid] = threading.Event()
        if self.gone.is_set():  # the station went as this one was taken
            cancel.set()

        def checkpoint(fraction: float) -> None:  # called between slabs: pause here
            self.resumed.wait()
            self.send({"progress": uid, "f": round(float(fraction), 3)})

        try:
            self.resumed.wait()
            volume = open_volume(path)
            if cancel.is_set():
                self.send({"cancelled": uid})
                return
            result = analyze(volume, None, checkpoint, cancel)
            files = [write_label_map(result.labels, volume)]
            if not volume.info.study_is_local:
                with contextlib.suppress(Exception):  # the result stands without them
                    files += write_dicom_outputs(result, volume, Path(path))
            values = result.to_json()
            wait_written(folder=Path(path))  # its decoded-volume entry, if a sealed study
            self.send({"done": uid, "values": values, "files": [str(f) for f in files],
                       "series": volume.info.series_instance_uid,
                       "engine": values["engine"], "model_version": values["model_version"],
                       "derived": bool(volume.info.study_is_local)})
        except Exception as err:
            if cancel.is_set():
                self.send({"cancelled": uid})
            else:
                self.send({"failed": uid, "error": type(err).__name__})
        finally:
            self.cancels.pop(uid, None)


def _one_torch_thread() -> None:
    """Torch loads with the first pre-read (a warm-up needs none), on one thread."""
    import torch  # deferred: only this process needs it, and after lowering its priority

    torch.set_num_threads(1)


def die_with_the_station() -> None:
    """On Linux the kernel kills this process when the station's ends, even while it is
    stopped (a stopped process cannot notice that itself)."""
    if sys.platform.startswith("linux"):
        import ctypes  # deferred: Linux only

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def main() -> int:
    die_with_the_station()
    lower_priority()
    worker = Worker()
    threading.Thread(target=worker.listen, args=(sys.stdin,), daemon=True).start()
    worker.send({"ready": os.getpid()})
    worker.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
