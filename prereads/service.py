"""``luch preread-service``: pre-read every new CT study of the archive once.

Design (several processes, no coordinator):
- Each process owns a shard ``K/N`` and takes only the studies whose UID hash falls in it
  (:mod:`prereads.shards`); on one machine a lock file keeps a second process off a shard.
- What is done lives in the archive: a pre-read's three objects have UIDs fixed by study,
  series and model version (:mod:`prereads.archived`); a study whose three objects are all
  there is skipped, and a half-stored one gets only the missing ones.
- Each process reads the feed (:mod:`prereads.watch`) from its own cursor and moves the
  cursor past a study only once the study is done, found done, not CT, or failed
  ``MAX_ATTEMPTS`` times; after kill -9 it starts again from the cursor, so at most the
  studies in flight are read again, and they send only what the archive lacks.
- A shard's owner is replaced by starting a process with the same shard anywhere (the old
  one dead, e.g. a service manager restarting it elsewhere): the cursor is a hint, the
  archive decides, so a new machine without the old state starts from the feed's beginning
  and re-checks, never re-reads. Two live owners of one shard waste work, but the fixed UIDs
  still leave one copy of each object in the archive.
The log says, per study, its keyed tag (``uid:`` and a keyed hash, as the station's logs
name a study: :func:`prereads.shards.study_tag`), outcome, grade and seconds, and every
``REPORT_EVERY_S`` studies/hour, queue length and failures with reasons; no UIDs or PHI.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.dicomweb import DicomWebClient
from archive.errors import ArchiveAuthError, ArchiveUnavailable
from core.errors import LuchError
from inference.preread import PreReadOptions, load_segmenter
from prereads.shards import Shard, study_tag
from prereads.state import ServiceState
from prereads.watch import Batch, Watcher, start_cursor
from prereads.worker import Outcome, StudyResult, preread_study

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3  # failures (not archive outages) before a study is passed over
REPORT_EVERY_S = 60.0


@dataclass
class ServiceOptions:
    shard: Shard = field(default_factory=Shard)
    workers: int = 1
    device: str = "auto"
    engine: str = "unet"
    poll_s: float = 10.0
    since: str | None = None  # "now" or a date: where a shard without a cursor starts


@dataclass
class Tally:
    """What the process did since it started."""

    started: float = field(default_factory=time.monotonic)
    done: int = 0
    present: int = 0
    not_ct: int = 0
    other_shards: int = 0
    failed: int = 0
    queue: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def per_hour(self) -> float:
        return self.done * 3600.0 / max(1e-6, time.monotonic() - self.started)

    def line(self) -> str:
        reasons = "; ".join(f"{r} x{n}" for r, n in self.reasons.items())
        return (f"{self.per_hour():.1f} studies/h, pre-read {self.done}, already in the "
                f"archive {self.present}, not CT {self.not_ct}, queue {self.queue}, "
                f"failed {self.failed}" + (f" ({reasons})" if reasons else ""))


class PreReadService:
    """One service process: its shard's studies from ``watcher``, pre-read into ``client``."""

    def __init__(self, client: DicomWebClient, watcher: Watcher, state_dir: Path,
                 options: ServiceOptions | None = None) -> None:
        self.client, self.watcher = client, watcher
        self.options = options or ServiceOptions()
        self.preread = PreReadOptions(engine=self.options.engine, device=self.options.device)
        self.state = ServiceState(state_dir, self.options.shard)
        if self.options.since and self.state.cursor() is None:
            try:
                self.state.save_cursor(start_cursor(watcher, self.options.since))
            except BaseException:
                self.state.close()
                raise
            log.info("pre-read service: starting from %s", self.options.since)
        elif self.options.since:
            log.info("pre-read service: continuing from its kept cursor (--since ignored)")
        self.model_version = load_segmenter(self.preread)[0].version
        self.tally = Tally()
        self._reported = time.monotonic()
        self._pool = ThreadPoolExecutor(max(1, self.options.workers),
                                        thread_name_prefix="luch-preread")
        log.info("pre-read service: shard %s, %d worker(s), model %s, feed %s",
                 self.options.shard, self.options.workers, self.model_version, watcher.name)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self.state.close()

    # -- the loop ----------------------------------------------------------------------------
    def run(self, stop: threading.Event | None = None, once: bool = False) -> Tally:
        """Read the feed to its end and handle it; with ``once`` return then, else poll on
        until ``stop`` is set (archive outages are waited out)."""
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                more = self.pass_once(stop)
            except ArchiveAuthError:
                raise
            except ArchiveUnavailable as err:
                log.warning("archive unavailable, waiting: %s", err)
                more = False
                if once:
                    raise
            self._report()
            if once and not more:
                break
            if not more:
                stop.wait(self.options.poll_s)
        self._report(force=True)
        return self.tally

    def pass_once(self, stop: threading.Event) -> bool:
        """One batch of the feed; True when the feed has more right away."""
        batch = self.watcher.poll(self.state.cursor())
        mine = self._mine(batch)
        self.tally.queue = len(mine)
        finished = self._handle_all(mine, stop)
        cursor = self._cursor_after(batch, mine, finished)
        if cursor is not None and cursor != self.state.cursor():
            self.state.save_cursor(cursor)
        return batch.more and all(finished.values())

    def _mine(self, batch: Batch) -> list[tuple[Any, str, str]]:
        mine = []
        for position, uid, seen in batch.studies:
            if not self.options.shard.owns(uid):
                self.tally.other_shards += 1
            elif not (self.state.is_done(uid, self.model_version, seen)
                      or self.state.attempts(uid, self.model_version) >= MAX_ATTEMPTS):
                mine.append((position, uid, seen))
        return mine

    def _handle_all(self, mine: list[tuple[Any, str, str]], stop: threading.Event
                    ) -> dict[str, bool]:
        """Handle the studies on the worker pool; study UID -> finished (the cursor may pass)."""
        futures = {uid: self._pool.submit(self._handle, uid, seen, stop)
                   for _pos, uid, seen in mine}
        finished = {}
        for uid, future in futures.items():
            finished[uid] = future.result()
            self.tally.queue = max(0, self.tally.queue - 1)
            self._report()
        return finished

    @staticmethod
    def _cursor_after(batch: Batch, mine: list[tuple[Any, str, str]],
                      finished: dict[str, bool]) -> Any:
        """The batch's cursor when all is finished, else just before the first unfinished."""
        for position, uid, _seen in mine:
            if not finished[uid]:
                return None if position is None else position - 1
        return batch.cursor

    # -- one study ---------------------------------------------------------------------------
    def _handle(self, uid: str, seen: str, stop: threading.Event) -> bool:
        """Pre-read one study; True when the cursor may pass it."""
        if stop.is_set():
            return False
        tag, t0 = study_tag(uid), time.monotonic()
        log.info("study %s: pre-reading", tag)
        try:
            result = preread_study(self.client, uid, self.model_version, self.preread, stop)
        except ArchiveUnavailable as err:  # not the study's fault: try again, uncounted
            log.warning("study %s: archive unavailable (%s); will retry", tag, err)
            return False
        except ArchiveAuthError:
            raise
        except LuchError as err:
            if stop.is_set():  # stopped mid-study: not a failure, read it again next time
                return False
            return self._failed(uid, tag, f"{type(err).__name__}: {err}")
        except Exception as err:  # a bug must not stop the service: count it like a failure
            log.exception("study %s: unexpected error", tag)
            return self._failed(uid, tag, type(err).__name__)
        self._count(result)
        self.state.mark_done(uid, self.model_version, seen)
        log.info("study %s: %s%s, %d object(s) stored, %.1f s (pre-read %.1f s)", tag,
                 result.outcome.value, f" {result.grade}" if result.grade else "", result.sent,
                 time.monotonic() - t0, result.seconds)
        return True

    def _count(self, result: StudyResult) -> None:
        if result.outcome is Outcome.DONE:
            self.tally.done += 1
        elif result.outcome is Outcome.PRESENT:
            self.tally.present += 1
        else:
            self.tally.not_ct += 1

    def _failed(self, uid: str, tag: str, reason: str) -> bool:
        attempts = self.state.failed(uid, self.model_version, reason)
        self.tally.failed += 1
        short = reason.split(":", 1)[0]
        self.tally.reasons[short] = self.tally.reasons.get(short, 0) + 1
        log.warning("study %s: failed (attempt %d of %d): %s", tag, attempts, MAX_ATTEMPTS,
                    reason)
        return attempts >= MAX_ATTEMPTS

    def _report(self, force: bool = False) -> None:
        if force or time.monotonic() - self._reported >= REPORT_EVERY_S:
            self._reported = time.monotonic()
            log.info("pre-read service shard %s: %s", self.options.shard, self.tally.line())
