"""A dictation session: microphone -> queue -> recogniser thread -> text and commands.

Events go to one callback (the Qt adapter turns them into signals): partial text, final
results with the commands they held, audio errors. All captured audio is also kept, for
the FLAC saved with the report.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from dictation.audio import AudioCapture, SpillQueue
from dictation.commands import Command
from dictation.engines import Recognizer
from dictation.errors import AudioDeviceError
from dictation.recording import DictationRecording
from dictation.results import Result, Word
from dictation.transcript import DictationProcessor

log = logging.getLogger(__name__)


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
    ) -> None:
        self.recognizer = recognizer
        self.processor = processor
        self.on_event = on_event
        self.queue = queue or SpillQueue()
        self.capture = AudioCapture(self.queue, device, on_error=self._audio_error)
        self.audio = bytearray()  # everything heard, for the saved recording
        self.words: list[Word] = []  # final words, times relative to the start of `audio`
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

    def recording(self) -> DictationRecording:
        """The audio heard so far with its words, to keep with the report as FLAC."""
        return DictationRecording.from_pcm(bytes(self.audio), self.words)

    def _audio_error(self, err: AudioDeviceError) -> None:
        self.on_event(DictationEvent("error", error=err, text=str(err)))

    def _run(self) -> None:
        try:
            while True:
                chunk = self.queue.get(timeout=0.1)
                if chunk is None:
                    if self._stop.is_set():
                        break
                    continue
                self.audio += chunk
                for result in self.recognizer.accept(chunk):
                    self._emit(result)
            last = self.recognizer.finish()
            if last is not None:
                self._emit(last)
        except Exception as err:
            log.exception("recogniser failed")
            self.on_event(
                DictationEvent("error", error=err, text=f"speech recogniser failed: {err}")
            )
        finally:
            self.on_event(DictationEvent("stopped", text=self.processor.transcript.text))

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
