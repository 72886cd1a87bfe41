"""Voice-activity endpointing shared by engines: where an utterance starts and ends.

Wraps PocketSphinx's WebRTC-style ``Endpointer``: it needs ``window * ratio`` seconds of
silence (0.27 s by default) before it calls the end of speech. Engines whose own endpoint
rules wait longer (Vosk waits 0.5-1 s) use it to finalise sooner.
"""

from __future__ import annotations

from dictation.engines.base import SAMPLE_RATE

WINDOW = 0.3
RATIO = 0.9
FRAME = 0.03  # seconds per VAD frame


def ratio_for(window: float, ratio: float = RATIO) -> float:
    """The largest usable ratio <= ``ratio``: at most N-1 of the window's N frames."""
    frames = max(2, round(window / FRAME))
    return min(ratio, (frames - 1) / frames)


class SpeechEndpointer:
    """Feed PCM of any size; :meth:`feed` says whether an utterance ended within it."""

    def __init__(self, window: float = WINDOW, ratio: float = RATIO) -> None:
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
