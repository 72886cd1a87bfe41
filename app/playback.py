"""Playing back dictated audio (the microphone's play button, Report > Play back, F10)."""

from __future__ import annotations

import logging

from dictation.recording import SAMPLE_RATE, DictationRecording

log = logging.getLogger(__name__)


class Player:
    """Plays a recording (or the part of it between two times) on the default output device."""

    def __init__(self, device: int | str | None = None) -> None:
        self.device = device
        self.last: DictationRecording | None = None

    def play(self, recording: DictationRecording | None = None, start: float = 0.0,
             end: float | None = None) -> float:
        """Start playing; returns the seconds of audio queued. Raises OSError on no output."""
        import sounddevice as sd

        recording = recording or self.last
        if recording is None:
            return 0.0
        a = max(0, int(start * SAMPLE_RATE))
        b = len(recording.samples) if end is None else int(end * SAMPLE_RATE)
        clip = recording.samples[a:b]
        if clip.size == 0:
            return 0.0
        try:
            sd.play(clip, SAMPLE_RATE, device=self.device)
        except sd.PortAudioError as err:
            raise OSError(f"cannot play the dictation: {err}") from err
        return clip.size / SAMPLE_RATE

    @staticmethod
    def wait() -> None:
        import sounddevice as sd

        sd.wait()

    @staticmethod
    def stop() -> None:
        import sounddevice as sd

        sd.stop()
