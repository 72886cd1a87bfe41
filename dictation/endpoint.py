"""Voice-activity endpointing shared by engines: where an utterance starts and ends.

Wraps PocketSphinx's WebRTC-style ``Endpointer``: it needs ``window * ratio`` seconds of
silence (0.27 s by default) before it calls the end of speech, on top of its VAD's own
hangover (~0.15 s in the loose mode), so an utterance ends ~0.45 s after the last word.
Engines whose own endpoint rules wait longer (Vosk waits 0.5-1 s) use it to finalise
sooner. :class:`PauseTimer` hears a pause much sooner (an aggressive VAD on 10 ms frames,
~0.085 s hangover); engines give a tentative final there (see ``Result.tentative``).
"""

from __future__ import annotations

from dictation.pcm import SAMPLE_RATE

WINDOW = 0.3
RATIO = 0.9
FRAME = 0.03  # seconds per VAD frame
PAUSE_FRAME = 0.01  # seconds per frame of the pause timer's VAD
PAUSE_VAD_MODE = 3  # WebRTC "very aggressive": the shortest hangover after speech


def ratio_for(window: float, ratio: float = RATIO) -> float:
    """The largest usable ratio <= ``ratio``: at most N-1 of the window's N frames."""
    frames = max(2, round(window / FRAME))
    return min(ratio, (frames - 1) / frames)


class SpeechEndpointer:
    """Feed PCM of any size; :meth:`feed` says whether an utterance ended within it."""

    def __init__(self, window: float = WINDOW, ratio: float = RATIO) -> None:
        # deferred: PocketSphinx loads only when it is the engine
        import pocketsphinx

        self._ep = pocketsphinx.Endpointer(
            window=window, ratio=ratio_for(window, ratio), sample_rate=SAMPLE_RATE
        )
        self._frame = self._ep.frame_bytes
        self._pending = b""

    @property
    def in_speech(self) -> bool:
        return self._ep.in_speech

    def feed(self, pcm: bytes) -> bool:
        """True when speech ended somewhere in ``pcm`` (after having started)."""
        data = self._pending + pcm
        n = len(data) - len(data) % self._frame
        self._pending = data[n:]
        ended = False
        for i in range(0, n, self._frame):
            was = self._ep.in_speech
            self._ep.process(data[i : i + self._frame])
            ended |= was and not self._ep.in_speech
        return ended


class PauseTimer:
    """Seconds of non-speech since the last speech frame, from a fast 10 ms VAD."""

    def __init__(self, mode: int = PAUSE_VAD_MODE) -> None:
        # deferred: PocketSphinx loads only when it is the engine
        import pocketsphinx

        self._vad = pocketsphinx.Vad(mode=mode, sample_rate=SAMPLE_RATE, frame_length=PAUSE_FRAME)
        self._frame = self._vad.frame_bytes
        self._seconds = self._frame / (2 * SAMPLE_RATE)
        self._pending = b""
        self.silence = 0.0  # seconds of pause so far (0.0 while speech is heard)

    def feed(self, pcm: bytes) -> float:
        """Update with ``pcm``; the pause at its end, in seconds."""
        data = self._pending + pcm
        n = len(data) - len(data) % self._frame
        self._pending = data[n:]
        for i in range(0, n, self._frame):
            if self._vad.is_speech(data[i : i + self._frame]):
                self.silence = 0.0
            else:
                self.silence += self._seconds
        return self.silence
