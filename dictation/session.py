"""A dictation session: microphone -> queue -> recogniser thread -> text and commands.

Hands-free, all audio is recognised and the engine's endpointing cuts utterances. With a
push-to-talk or toggle button, only audio between :meth:`record_start` and
:meth:`record_stop` is (plus 0.3 s of pre-roll so the first syllable is not lost), and a
release ends the utterance at once. Events go to one callback (the Qt adapter turns them
into signals): partial text, final results with the commands they held, audio errors. The
recognised audio is kept, with word times, for the FLAC saved with the report.

Early finals (``Result.tentative``) are shown at once and taken back if a revising final
follows (a ``confirmed`` event when it only brings the words' exact times); one holding a
command waits for its confirmation, and is reported (``unconfirmed``) if dictation ends
before that. An engine fault does not end dictation: a new recogniser is fed the unfinished
utterance again (``restarted`` event, once); only repeated faults stop it, and the audio is
kept either way. The recogniser is closed when the session's thread ends.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from dictation.audio import AudioCapture, SpillQueue
from dictation.commands import Command, CommandSet, moves_field
from dictation.engines import Recognizer
from dictation.errors import AudioDeviceError, RecognizerFailedError
from dictation.pcm import SAMPLE_RATE
from dictation.recording import DictationRecording
from dictation.results import APPEND, CONFIRM, REPLACE, Result, Word, revision
from dictation.transcript import EDITS, REDO, UNDO, DictationProcessor, Transcript

log = logging.getLogger(__name__)

RECORD_START, RECORD_STOP = "record_start", "record_stop"
NEW_FIELD = "new_field"
TEXT_EDITS = set(EDITS)  # commands that only edit the transcript
PRE_ROLL_SECONDS = 0.3  # audio before a record press that is still recognised
BYTES_PER_SECOND = SAMPLE_RATE * 2
MAX_FAILURES = 5  # recogniser faults within FAILURE_WINDOW that end dictation
FAILURE_WINDOW = 30.0  # seconds
MAX_REPLAY_BYTES = 60 * BYTES_PER_SECOND  # unfinished audio fed again to a restarted recogniser


@dataclass(frozen=True)
class DictationEvent:
    # "partial" | "final" | "confirmed" (the last tentative final stands as shown; ``result``
    # has its words' exact times, ``text`` the field's transcript, unchanged) | "field" (the
    # audio of the field chosen by the next pending new_field() call, or by the field move
    # in the final just before, begins here) |
    # "unconfirmed" (a command heard in a tentative final that dictation ended before
    # confirming; ``commands`` were not run) | "restarted" | "error" | "stopped" | "notice"
    # (the app's factory: Whisper could not start, ``error`` says why, ``text`` names the
    # engine that serves instead)
    kind: str
    # A final may come early, at a short pause (Result.tentative); if speech resumes, a later
    # final with ``revises`` replaces its text. One holding a command waits to be confirmed.
    result: Result | None = None
    commands: tuple[Command, ...] = ()
    text: str = ""
    error: Exception | None = None
    revises: bool = False  # a final whose text replaces the previous final's (not appended)


class DictationSession:
    """Runs a recogniser over live audio on its own thread."""

    def __init__(
        self,
        recognizer: Recognizer,
        processor: DictationProcessor,
        on_event: Callable[[DictationEvent], None],
        device: int | str | None = None,
        queue: SpillQueue | None = None,
        hands_free: bool = True,
        new_recognizer: Callable[[], Recognizer] | None = None,
    ) -> None:
        self.recognizer = recognizer
        # Builds a replacement after an engine fault (default: one like ``recognizer``).
        self._new_recognizer = new_recognizer or (lambda: self.recognizer.fresh())
        self.processor = processor
        self.on_event = on_event
        self.queue = queue if queue is not None else SpillQueue()
        self.capture = AudioCapture(self.queue, device, on_error=self._audio_error)
        self.audio = bytearray()  # everything recognised, for the saved recording
        self.words: list[Word] = []  # final words, times relative to the start of `audio`
        self.hands_free = hands_free  # else only audio between record_start and record_stop
        self._pre_roll: collections.deque[bytes] = collections.deque()
        # What the recogniser was fed since its last final (replayed to a replacement),
        # where that starts in `audio` (bytes), and where the recogniser's time 0 is (s).
        self._unfinished = bytearray()
        self._unfinished_at = 0
        self._offset = 0.0
        self._failures: collections.deque[float] = collections.deque()
        self._announced_restart = False
        self._pending: _Pending | None = None  # the last tentative final, until it is revised
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Open the microphone and start recognising."""
        self.capture.start()
        self.start_recogniser()

    def start_recogniser(self) -> None:
        """Only the recogniser thread; audio comes from whoever fills :attr:`queue` (a file)."""
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="luch-recogniser", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop capture, recognise what is still queued, flush the last utterance."""
        self.capture.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def record_start(self) -> None:
        """Push-to-talk pressed (or toggled on): recognise from now, with a short pre-roll."""
        self.queue.put_marker(RECORD_START)

    def record_stop(self) -> None:
        """Push-to-talk released: the utterance ends here and its final result follows."""
        self.queue.put_marker(RECORD_STOP)

    def new_field(self) -> None:
        """Another field has focus: later results start a fresh transcript.

        Thread-safe: the reset happens on the recogniser thread, in order with the audio,
        so a result already being recognised is not split between two fields. An early final
        already shown (speech paused) is ended in the old field; speech after it goes to
        the new one. A ``field`` event marks the point: events before it belong to the old
        field, events after it to the new one."""
        self.queue.put_marker(NEW_FIELD)

    def undo(self) -> None:
        """Take back the last change to the field being dictated, as "undo that" does (the
        keyboard's Ctrl+Z there). Thread-safe, in order with the audio: an utterance being
        shown early is ended first; a ``final`` event with the ``undo`` command follows."""
        self.queue.put_marker(UNDO)

    def redo(self) -> None:
        """Make again what the last undo took back (a ``final`` event with ``redo``)."""
        self.queue.put_marker(REDO)

    def recording(self) -> DictationRecording:
        """The audio heard so far with its words, to keep with the report as FLAC."""
        return DictationRecording.from_pcm(bytes(self.audio), self.words)

    def _audio_error(self, err: AudioDeviceError) -> None:
        self.on_event(DictationEvent("error", error=err, text=str(err)))

    def _run(self) -> None:
        recording = self.hands_free
        try:
            while True:
                item = self.queue.get(timeout=0.1)
                if item is None:
                    if self._stop.is_set():
                        break
                    continue
                if item == RECORD_START and not recording:
                    recording = True
                    pre_roll, self._pre_roll = b"".join(self._pre_roll), collections.deque()
                    self._feed(pre_roll)
                elif item == RECORD_STOP and recording and not self.hands_free:
                    recording = False
                    self._flush()
                elif item == NEW_FIELD:
                    if self._pending is not None:  # its text is in the old field: end it there
                        self._flush()
                    self._settle()
                    self.processor.transcript = Transcript()
                    self.on_event(DictationEvent("field"))  # later results: the new field
                elif item in (UNDO, REDO):  # an early final shown stands, then is undone
                    if self._pending is not None:
                        self._flush()
                    self._settle()
                    command = self.processor.undo() if item == UNDO else self.processor.redo()
                    self.on_event(DictationEvent("final", commands=(command,),
                                                 text=self.processor.transcript.text))
                elif isinstance(item, bytes):
                    if recording:
                        self._feed(item)
                    else:
                        self._keep_pre_roll(item)
            if recording:
                self._flush()
        except RecognizerFailedError as gave_up:
            log.error("speech recogniser failed %d times; dictation stopped", MAX_FAILURES)
            self._report_unconfirmed()
            self.on_event(DictationEvent("error", error=gave_up, text=str(gave_up)))
            self._keep_audio(recording)
        except Exception as err:
            log.exception("dictation failed")
            self._report_unconfirmed()
            self.on_event(DictationEvent("error", error=err, text=f"dictation failed: {err}"))
            self._keep_audio(recording)
        finally:
            self._report_unconfirmed()
            self._close_recognizer()
            self.on_event(DictationEvent("stopped", text=self.processor.transcript.text))

    def _report_unconfirmed(self) -> None:
        """A held tentative final (a command waiting for its confirmation) that will never
        be confirmed: say so, with its commands, rather than drop it unseen."""
        pending, self._pending = self._pending, None
        if pending is None or pending.shown:
            return
        spoken = [w.word for w in pending.result.words] or pending.result.text.split()
        commands = tuple(p for p in self.processor.commands.parse(spoken) if isinstance(p, Command))
        log.warning("%d voice command(s) heard but not confirmed; not run", len(commands))
        self.on_event(
            DictationEvent(
                "unconfirmed", result=pending.result, commands=commands, text=pending.result.text
            )
        )

    def _close_recognizer(self) -> None:
        try:
            self.recognizer.close()
        except Exception:
            log.debug("closing the recogniser failed", exc_info=True)

    def _keep_audio(self, recording: bool) -> None:
        """After a fatal failure: keep what is still captured, unrecognised, until stop()."""
        while not (self._stop.is_set() and not len(self.queue)):
            item = self.queue.get(timeout=0.1)
            if item == RECORD_START:
                recording = True
            elif item == RECORD_STOP and not self.hands_free:
                recording = False
            elif isinstance(item, bytes) and recording:
                self.audio += item

    # -- recognition, with restarts -------------------------------------------------------
    def _feed(self, chunk: bytes) -> None:
        if chunk:
            self.audio += chunk
            self._recognise(chunk)

    def _recognise(self, chunk: bytes) -> None:
        for _attempt in range(2):
            try:
                results = self.recognizer.accept(chunk)
            except Exception as err:  # an engine fault: restart, replay, try once more
                self._restart(err)
                continue
            self._unfinished += chunk
            self._emit_all(results)
            if len(self._unfinished) > MAX_REPLAY_BYTES:  # an endless utterance: replay its end
                cut = len(self._unfinished) - MAX_REPLAY_BYTES
                del self._unfinished[:cut]
                self._unfinished_at += cut
            return
        # The same block failed twice: recognise silence in its place (its audio is kept).
        log.warning("a %d-byte audio block failed twice; recognised as silence", len(chunk))
        self._recognise(bytes(len(chunk)))

    def _emit_all(self, results: list[Result]) -> None:
        """Emit results; after a final, the unfinished utterance starts where the
        recogniser's stream is now."""
        finals = False
        for result in results:
            self._emit(result)
            finals |= result.final
        if finals:
            self._unfinished_at += len(self._unfinished)
            self._unfinished = bytearray()

    def _flush(self) -> None:
        for _attempt in range(2):
            try:
                last = self.recognizer.finish()
            except Exception as err:
                self._restart(err)
                continue
            self._emit_all([last] if last is not None else [])
            break
        self._unfinished_at += len(self._unfinished)
        self._unfinished = bytearray()

    def _restart(self, err: Exception) -> None:
        """A new recogniser in place of one that raised, fed the unfinished utterance again.

        Gives up (:class:`RecognizerFailedError`) after ``MAX_FAILURES`` within
        ``FAILURE_WINDOW`` seconds; the first restart is announced with a ``restarted`` event."""
        while True:
            now = time.monotonic()
            self._failures.append(now)
            while self._failures and now - self._failures[0] > FAILURE_WINDOW:
                self._failures.popleft()
            log.warning("speech recogniser failed (%s); restarting it", type(err).__name__)
            if len(self._failures) >= MAX_FAILURES:
                raise RecognizerFailedError(
                    f"the speech recogniser failed {len(self._failures)} times within "
                    f"{FAILURE_WINDOW:.0f} s ({err}); dictation stopped, the audio is kept"
                ) from err
            if not self._announced_restart:
                self._announced_restart = True
                self.on_event(
                    DictationEvent(
                        "restarted",
                        error=err,
                        text="the speech recogniser had a fault and was restarted; "
                        "dictation goes on and no audio was lost",
                    )
                )
            self._settle()
            try:
                self.recognizer.close()
            except Exception:
                log.debug("closing a failed recogniser failed", exc_info=True)
            try:
                self.recognizer = self._new_recognizer()
                self._offset = self._unfinished_at / BYTES_PER_SECOND
                replay = bytes(self._unfinished)
                results = self.recognizer.accept(replay) if replay else []
            except Exception as again:
                err = again
                continue
            self._emit_all(results)
            return

    def _keep_pre_roll(self, chunk: bytes) -> None:
        self._pre_roll.append(chunk)
        while sum(map(len, self._pre_roll)) > PRE_ROLL_SECONDS * SAMPLE_RATE * 2:
            self._pre_roll.popleft()

    def _emit(self, result: Result) -> None:
        if not result.final:
            self.on_event(DictationEvent("partial", result=result, text=result.text))
            return
        if self._offset and result.words:  # the recogniser's clock -> the session's audio
            words = tuple(
                replace(w, start=w.start + self._offset, end=w.end + self._offset)
                for w in result.words
            )
            result = replace(result, words=words)
        pending, self._pending = self._pending, None
        kind = APPEND
        if pending is not None:
            kind = revision(result, pending.result, pending.shown)
        if kind != APPEND:
            self.processor.transcript = pending.before  # take the tentative final back
            del self.words[pending.words :]
        if kind == CONFIRM:  # as shown: only the word times change
            self.words.extend(result.words)
            self.processor.process(result)
            text = self.processor.transcript.text
            self.on_event(DictationEvent("confirmed", result=result, text=text))
            return
        revises = kind == REPLACE and (pending.shown or pending.replaces)
        if not result.tentative:
            self._apply(result, revises)
            return
        before, words = _copy(self.processor.transcript), len(self.words)
        if acts_beyond_the_text(result, self.processor.commands):
            # Field moves, signing, templates cannot be taken back: they wait to be confirmed.
            self._pending = _Pending(result, before, words, shown=False, replaces=revises)
            self.on_event(DictationEvent("partial", result=result, text=result.text))
            return
        self._pending = _Pending(result, before, words, shown=True, replaces=revises)
        self._apply(result, revises)

    def _apply(self, result: Result, revises: bool = False, heard: bool = False) -> None:
        """``heard``: ``result`` is the rest of an utterance whose words are counted."""
        if not heard:
            self.words.extend(result.words)
        done = self.processor.process(result)
        self.on_event(
            DictationEvent(
                "final",
                result=result,
                commands=done.commands,
                text=self.processor.transcript.text,
                revises=revises,
            )
        )
        if moves_field(done.commands):
            # "next field", "go to conclusion": what is said after it is the next field's,
            # from here in the audio, not from whenever the app gets round to the command
            # (audio queued meanwhile was heard into the old field). The app takes the
            # final's commands as its own new_field().
            self.processor.transcript = Transcript()
            self.on_event(DictationEvent("field"))
            if done.rest is not None:  # «Заключение. Без патологии.»: the new field's text
                self._apply(done.rest, heard=True)

    def _settle(self) -> None:
        """The tentative final stands as it is (a new field, a new recogniser)."""
        pending, self._pending = self._pending, None
        if pending is not None and not pending.shown:
            self._apply(pending.result, pending.replaces)


def acts_beyond_the_text(result: Result, commands: CommandSet) -> bool:
    """Whether ``result`` holds a command that cannot be taken back (a field move, signing,
    a template), unlike dictated words, punctuation, "scratch that"."""
    spoken = [w.word for w in result.words] or result.text.split()
    return any(
        isinstance(part, Command) and part.value is None and part.name not in TEXT_EDITS
        for part in commands.parse(spoken)
    )


@dataclass(frozen=True)
class _Pending:
    """A tentative final: the transcript and word count before it, whether it was shown
    (one holding a command is not, until it is confirmed), and whether it took back text
    that was shown (so the final that settles it replaces rather than appends)."""

    result: Result
    before: Transcript
    words: int
    shown: bool
    replaces: bool = False


def _copy(transcript: Transcript) -> Transcript:
    return transcript.copy()


__all__ = ["AudioDeviceError", "DictationEvent", "DictationSession", "RecognizerFailedError"]
