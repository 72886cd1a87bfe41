"""Playing back dictated audio with a transport: play/pause, seek back and forward.

A *programme* is what the reader asked to hear: a recording between two times (a whole
dictation, one word with a little padding, or from a word to the end). The microphone's play
button pauses and resumes it; rewind and fast-forward move the position by a few seconds
within it and keep playing. The position is the clock since the sound started (good to a
few tens of milliseconds after the output latency, what a reader needs to find a word again).

Sound goes to ``sounddevice``; :meth:`Player._output` and :meth:`Player._halt` are the only
calls into it, so a test can record what would have sounded.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dictation.recording import SAMPLE_RATE, DictationRecording

log = logging.getLogger(__name__)

SEEK_SECONDS = 3.0


@dataclass(frozen=True)
class Programme:
    """A recording and the part of it (seconds) being played."""

    recording: DictationRecording
    start: float
    end: float


class Player:
    """Plays recordings on an output device (None: the system default) with a transport."""

    def __init__(self, device: int | str | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.device = device
        self.last: DictationRecording | None = None  # the latest dictation, for "play back"
        self.programme: Programme | None = None
        self._clock = clock
        self._from = 0.0  # position (s) where the sound now playing began
        self._began: float | None = None  # clock time it began; None while paused or stopped
        self._stream = None  # the sounddevice output stream now open
        self._latency = 0.0  # seconds from handing samples over to hearing them
        self._done: threading.Event | None = None  # set when it has played out

    # -- transport --------------------------------------------------------------------------------
    def play(self, recording: DictationRecording | None = None, start: float = 0.0,
             end: float | None = None) -> float:
        """Play ``recording`` (default: the last dictation) from ``start`` to ``end`` seconds;
        returns the seconds queued (0 when there is nothing). Raises OSError on no output."""
        recording = recording or self.last
        if recording is None:
            return 0.0
        start = min(max(0.0, start), recording.duration)
        end = recording.duration if end is None else min(max(start, end), recording.duration)
        self.programme = Programme(recording, start, end)
        return self._sound(start)

    def position(self) -> float | None:
        """Seconds into the recording now (None when nothing was played)."""
        if self.programme is None:
            return None
        if self._began is None:
            return self._from
        heard = max(0.0, self._clock() - self._began - self._latency)
        return min(self.programme.end, self._from + heard)

    @property
    def playing(self) -> bool:
        if self._began is None or (self._done is not None and self._done.is_set()):
            return False  # paused, or the device has played it all (or failed)
        return (self.position() or 0.0) < self.programme.end

    def pause(self) -> float | None:
        """Stop the sound and keep the position; returns it."""
        position = self.position()
        if self._began is not None:
            self._halt()
        self._from, self._began = (position or 0.0), None
        return position

    def resume(self) -> float:
        """Play on from the paused position (from the start once the end was reached)."""
        if self.programme is None:
            return self.play()
        position = self.position() or 0.0
        if position >= self.programme.end:
            position = self.programme.start
        return self._sound(position)

    def seek(self, delta: float) -> float | None:
        """Move by ``delta`` seconds within the programme; keeps playing if it was."""
        if self.programme is None:
            return None
        was_playing = self.playing
        target = min(max(self.programme.start, (self.position() or 0.0) + delta),
                     self.programme.end)
        if was_playing and target < self.programme.end:
            self._sound(target)
        else:
            if self._began is not None:
                self._halt()
            self._from, self._began = target, None
        return target

    def stop(self) -> None:
        """Stop the sound (the position is kept, as :meth:`pause`)."""
        self.pause()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the sound now playing has finished; False on timeout."""
        done = self._done
        return True if done is None else done.wait(timeout)

    # -- sound ------------------------------------------------------------------------------------
    def _sound(self, at: float) -> float:
        programme = self.programme
        a = round(at * SAMPLE_RATE)
        b = round(programme.end * SAMPLE_RATE)
        clip = programme.recording.samples[a:b]
        if clip.size == 0:
            self._from, self._began = at, None
            return 0.0
        self._output(clip)
        self._from, self._began = at, self._clock()
        return clip.size / SAMPLE_RATE

    def _output(self, clip: np.ndarray) -> None:
        """Start sounding ``clip`` (int16, 16 kHz) without blocking; OSError on no output.

        Its own stream rather than ``sd.play``: a seek or pause aborts it at once, where
        ``sd.play`` would first wait for the old sound's buffers to drain (seconds on
        PulseAudio)."""
        try:
            import sounddevice as sd  # deferred: PortAudio opens with the first playback
        except OSError as err:  # no PortAudio library on this machine
            raise OSError(f"no audio output: {err}") from err
        self._halt()
        data = clip.reshape(-1, 1)
        done = threading.Event()
        at = 0

        def feed(out, frames, _time, _status) -> None:
            nonlocal at
            chunk = data[at : at + frames]
            out[: len(chunk)] = chunk
            out[len(chunk) :] = 0
            at += frames
            if len(chunk) < frames:
                raise sd.CallbackStop

        try:
            stream = sd.OutputStream(samplerate=SAMPLE_RATE, channels=1, dtype="int16",
                                     device=self.device, callback=feed,
                                     finished_callback=done.set)
            stream.start()
        except (sd.PortAudioError, ValueError) as err:  # no device, or no such device
            log.warning("playback failed: %s", err)
            raise OSError(f"cannot play the dictation: {err}") from err
        self._stream, self._done = stream, done
        self._latency = float(stream.latency or 0.0)

    def _halt(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        try:
            stream.abort()
            stream.close()
        except Exception as err:  # stopping must never take the app down
            log.warning("stopping playback failed: %s", err)
