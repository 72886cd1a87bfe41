"""Microphone capture with sounddevice: 16 kHz mono int16, nothing dropped.

The PortAudio callback only appends the block to a :class:`SpillQueue`; a recogniser thread
drains it (:mod:`dictation.session`). The queue is unbounded: past a memory limit it spills
to a temporary file (unnamed, sealed with AES-GCM under a key held only in memory: the
dictated voice is PHI and the temp folder is outside ``LUCH_HOME``), so a lagging recogniser
never loses captured audio. A watchdog notices
a microphone that stops delivering (unplugged) and reports it; :meth:`AudioCapture.restart`
reopens a device and capture goes on into the same queue.
"""

from __future__ import annotations

import collections
import logging
import math
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from dictation.errors import AudioDeviceError
from dictation.pcm import SAMPLE_RATE

log = logging.getLogger(__name__)

BLOCK_SECONDS = 0.02  # 20 ms: a final can follow the end of speech sooner
# No audio for this long while capturing = the device is lost. On a loaded 2-core box (load
# 10-12) the callbacks came up to 3.1 s late (1.6 s typical worst) and then delivered the
# audio whole (no overflow), so 1 s stopped working dictations; an unplugged device is still
# told within ~5 s.
STALL_SECONDS = 5.0


class SpillQueue:
    """A FIFO of byte chunks, in memory up to ``memory_limit`` bytes and on disk beyond."""

    def __init__(self, memory_limit: int = 16 * 1024 * 1024) -> None:
        self.memory_limit = memory_limit
        self._memory: collections.deque[bytes | str] = collections.deque()
        self._memory_bytes = 0
        self._file = None
        self._read_pos = 0
        self._write_pos = 0
        self._spilled: collections.deque[int | str] = collections.deque()  # sizes on disk, markers
        self._sealer: AESGCM | None = None  # spilled audio is sealed: the voice is PHI
        self._sealed = self._opened = 0  # chunks written and read: their nonces
        self._cond = threading.Condition()
        self.spilled_bytes = 0  # total ever written to disk (for tests and diagnostics)

    def put(self, chunk: bytes) -> None:
        with self._cond:
            if self._spilled or self._memory_bytes + len(chunk) > self.memory_limit:
                if self._file is None:
                    self._file = tempfile.TemporaryFile(prefix="luch-audio-")  # noqa: SIM115
                    self._sealer = AESGCM(AESGCM.generate_key(bit_length=256))
                self._file.seek(self._write_pos)
                self._sealed += 1  # a fresh nonce per chunk, the key never leaves memory
                data = self._sealer.encrypt(self._sealed.to_bytes(12, "big"), chunk, None)
                self._file.write(data)
                self._write_pos += len(data)
                self._spilled.append(len(data))
                self.spilled_bytes += len(chunk)
            else:
                self._memory.append(chunk)
                self._memory_bytes += len(chunk)
            self._cond.notify()

    def put_marker(self, name: str) -> None:
        """A control marker (e.g. record start/stop), kept in order with the audio."""
        with self._cond:
            if self._spilled:
                self._spilled.append(name)
            else:
                self._memory.append(name)
            self._cond.notify()

    def get(self, timeout: float | None = None) -> bytes | str | None:
        """The oldest chunk (bytes) or marker (str), or None after ``timeout`` seconds."""
        with self._cond:
            if not self._cond.wait_for(lambda: self._memory or self._spilled, timeout):
                return None
            if self._memory:
                chunk = self._memory.popleft()
                if isinstance(chunk, bytes):
                    self._memory_bytes -= len(chunk)
                return chunk
            size = self._spilled.popleft()
            if isinstance(size, str):  # a marker
                return size
            self._file.seek(self._read_pos)
            self._opened += 1
            chunk = self._sealer.decrypt(self._opened.to_bytes(12, "big"),
                                         self._file.read(size), None)
            self._read_pos += size
            if not self._spilled:  # drained: reuse the file from its start
                self._file.seek(0)
                self._file.truncate()
                self._read_pos = self._write_pos = 0
            return chunk

    def __len__(self) -> int:
        with self._cond:
            return len(self._memory) + len(self._spilled)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


@dataclass(frozen=True)
class InputDevice:
    index: int
    name: str
    channels: int
    default: bool


def _sounddevice():
    try:
        # deferred: PortAudio loads only when a microphone opens
        import sounddevice
    except (ImportError, OSError) as err:
        raise AudioDeviceError(
            f"audio input is unavailable ({err}); install PortAudio (Debian: libportaudio2)"
        ) from err
    return sounddevice


def input_devices() -> list[InputDevice]:
    """Microphones PortAudio can open."""
    sd = _sounddevice()

    try:
        default = sd.default.device[0]
        return [
            InputDevice(i, d["name"], d["max_input_channels"], i == default)
            for i, d in enumerate(sd.query_devices())
            if d["max_input_channels"] > 0
        ]
    except sd.PortAudioError as err:
        raise AudioDeviceError(f"cannot list audio devices: {err}") from err


def level_dbfs(chunk: bytes | None) -> float:
    """RMS level of an int16 chunk in dBFS (-120 for silence or nothing)."""
    if not chunk:
        return -120.0
    x = np.frombuffer(chunk, dtype=np.int16).astype(np.float32) / 32768.0
    rms = float(np.sqrt(np.mean(x * x))) if len(x) else 0.0
    return max(-120.0, 20 * math.log10(rms)) if rms > 0 else -120.0


class AudioCapture:
    """A sounddevice input stream feeding a :class:`SpillQueue`; a watchdog reports loss."""

    def __init__(
        self,
        queue: SpillQueue,
        device: int | str | None = None,
        on_error: Callable[[AudioDeviceError], None] | None = None,
    ) -> None:
        self.queue = queue
        self.device = device
        self.on_error = on_error
        self.last_chunk: bytes | None = None  # for the level meter
        self.captured_bytes = 0
        self.overflows = 0  # blocks PortAudio reported as overflowed (audio was lost)
        self.max_gap = 0.0  # the longest wait between two callbacks, seconds (diagnostics)
        self._stream = None
        self._last_audio = 0.0
        self._watchdog: threading.Thread | None = None
        self._running = threading.Event()
        self.lost = False

    def _callback(self, indata, frames, time_info, status) -> None:  # PortAudio thread
        chunk = bytes(indata)
        self.queue.put(chunk)
        self.last_chunk = chunk
        self.captured_bytes += len(chunk)
        now = time.monotonic()
        if self.captured_bytes > len(chunk):
            self.max_gap = max(self.max_gap, now - self._last_audio)
        self._last_audio = now
        if status.input_overflow:
            self.overflows += 1
            if self.overflows == 1:
                log.warning("microphone input overflowed: audio was lost (the callback ran late)")

    @property
    def level(self) -> float:
        """The current input level in dBFS, for a meter."""
        return level_dbfs(self.last_chunk)

    def start(self) -> None:
        sd = _sounddevice()

        try:
            self._stream = sd.RawInputStream(
                samplerate=SAMPLE_RATE,
                channels=1,
                dtype="int16",
                device=self.device,
                blocksize=int(SAMPLE_RATE * BLOCK_SECONDS),
                callback=self._callback,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as err:
            self._stream = None
            raise AudioDeviceError(
                f"cannot open the microphone {self.device or '(default)'}: {err}; "
                "check that it is plugged in and not used by another program"
            ) from err
        self.lost = False
        self._last_audio = time.monotonic()
        self._running.set()
        self._watchdog = threading.Thread(target=self._watch, name="luch-mic-watchdog", daemon=True)
        self._watchdog.start()

    def _watch(self) -> None:
        while self._running.is_set():
            time.sleep(0.1)
            stream = self._stream
            stalled = time.monotonic() - self._last_audio > STALL_SECONDS
            if self._running.is_set() and (stalled or stream is None or not stream.active):
                self.lost = True
                self._running.clear()
                log.warning("microphone stopped delivering audio")
                if self.on_error:
                    self.on_error(
                        AudioDeviceError(
                            "the microphone stopped delivering audio (unplugged?); what was "
                            "captured is kept; reconnect it or choose another device to go on"
                        )
                    )
                return

    def stop(self) -> None:
        self._running.clear()
        stream, self._stream = self._stream, None
        if stream is not None:
            closer = threading.Thread(target=_close_quietly, args=(stream,), daemon=True)
            closer.start()
            closer.join(2.0)  # a vanished device can hang PortAudio; never block the app

    def restart(self, device: int | str | None = None) -> None:
        """Reopen capture (same or another device) after a loss; the queue is kept."""
        self.stop()
        if device is not None:
            self.device = device
        self.start()


def _close_quietly(stream) -> None:
    try:
        stream.abort()
        stream.close()
    except Exception:
        log.debug("closing a lost audio stream failed", exc_info=True)
