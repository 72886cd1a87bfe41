"""A dictation session: microphone -> queue -> recogniser thread -> text and commands.

Hands-free, all audio is recognised and the engine's endpointing cuts utterances. With a
push-to-talk or toggle button, only audio between :meth:`record_start` and
:meth:`record_stop` is (plus 0.3 s of pre-roll so the first syllable is not lost), and a
release ends the utterance at once. Events go to one callback (the Qt adapter turns them
into signals): partial text, final results with the commands they held, audio errors. The
recognised audio is kept, with word times, for the FLAC saved with the report.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from dictation.audio import AudioCapture, SpillQueue
from dictation.commands import Command
from dictation.engines import Recognizer
from dictation.engines.base import SAMPLE_RATE
from dictation.errors import AudioDeviceError
from dictation.recording import DictationRecording
from dictation.results import Result, Word
from dictation.transcript import DictationProcessor, Transcript

log = logging.getLogger(__name__)

RECORD_START, RECORD_STOP = "record_start", "record_stop"
NEW_FIELD = "new_field"
PRE_ROLL_SECONDS = 0.3  # audio before a record press that is still recognised


@dataclass(frozen=True)
class DictationEvent:
    kind: str  # "partial" | "final" | "error" | "stopped"
    result: Result | None = None
    commands: tuple[Command, ...] = ()
    text: str = ""
    error: Exception | None = None


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
    ) -> None:
        self.recognizer = recognizer
        self.processor = processor
        self.on_event = on_event
        self.queue = queue if queue is not None else SpillQueue()
        self.capture = AudioCapture(self.queue, device, on_error=self._audio_error)
        self.audio = bytearray()  # everything recognised, for the saved recording
        self.words: list[Word] = []  # final words, times relative to the start of `audio`
        self.hands_free = hands_free  # else only audio between record_start and record_stop
        self._pre_roll: collections.deque[bytes] = collections.deque()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self.capture.start()
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
        so a result already being recognised is not split between two fields."""
        self.queue.put_marker(NEW_FIELD)

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
                    self.processor.transcript = Transcript()
                elif isinstance(item, bytes):
                    if recording:
                        self._feed(item)
                    else:
                        self._keep_pre_roll(item)
            if recording:
                self._flush()
        except Exception as err:
            log.exception("recogniser failed")
            self.on_event(
                DictationEvent("error", error=err, text=f"speech recogniser failed: {err}")
            )
        finally:
            self.on_event(DictationEvent("stopped", text=self.processor.transcript.text))

    def _feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        self.audio += chunk
        for result in self.recognizer.accept(chunk):
            self._emit(result)

    def _flush(self) -> None:
        last = self.recognizer.finish()
        if last is not None:
            self._emit(last)

    def _keep_pre_roll(self, chunk: bytes) -> None:
        self._pre_roll.append(chunk)
        while sum(map(len, self._pre_roll)) > PRE_ROLL_SECONDS * SAMPLE_RATE * 2:
            self._pre_roll.popleft()

    def _emit(self, result: Result) -> None:
        if not result.final:
            self.on_event(DictationEvent("partial", result=result, text=result.text))
            return
        self.words.extend(result.words)
        done = self.processor.process(result)
        self.on_event(
            DictationEvent(
                "final", result=result, commands=done.commands, text=self.processor.transcript.text
            )
        )


__all__ = ["AudioDeviceError", "DictationEvent", "DictationSession"]
