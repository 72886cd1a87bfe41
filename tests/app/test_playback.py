"""Dictated audio plays back through the real audio layer (PulseAudio null sink)."""

from __future__ import annotations

import time

import numpy as np
import pytest

from app.playback.player import Player
from dictation.recording import DictationRecording


def test_a_dictation_plays_in_real_time_on_the_output_device(pulse_mic):
    tone = (np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    recording = DictationRecording(samples=np.concatenate([tone, tone]))  # 2 s
    player = Player(device="pulse")
    start = time.perf_counter()
    assert player.play(recording, start=0.5, end=1.5) == 1.0
    player.wait()
    assert time.perf_counter() - start >= 0.8, "the clip was not clocked out by a device"


def test_nothing_to_play_is_not_an_error():
    assert Player().play() == 0.0


class RecordingPlayer(Player):
    """Below the sounddevice seam: records what would sound, on a clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0
        super().__init__(clock=lambda: self.now)
        self.sounded: list[tuple[float, float]] = []  # (from, to) seconds of the recording
        self.halts = 0

    def _output(self, clip: np.ndarray) -> None:
        start = self._pending_from
        self.sounded.append((round(start, 3), round(start + clip.size / 16000, 3)))

    def _sound(self, at: float) -> float:
        self._pending_from = at
        return super()._sound(at)

    def _halt(self) -> None:
        self.halts += 1


def ten_seconds() -> DictationRecording:
    return DictationRecording(samples=np.arange(160_000, dtype=np.int16))


def test_rewind_and_fast_forward_seek_within_the_playback():
    player = RecordingPlayer()
    player.play(ten_seconds())
    assert player.sounded == [(0.0, 10.0)] and player.playing
    player.now += 4.0
    assert player.position() == pytest.approx(4.0)
    assert player.seek(-3.0) == pytest.approx(1.0)  # rewind: plays on from 1 s
    assert player.sounded[-1] == (1.0, 10.0)
    player.now += 2.0
    assert player.seek(3.0) == pytest.approx(6.0)  # fast-forward from 3 s to 6 s
    assert player.sounded[-1] == (6.0, 10.0)
    assert player.seek(-30.0) == 0.0  # not before the start
    player.now += 1.0
    assert player.seek(30.0) == 10.0 and not player.playing  # to the end: stops
    assert player.halts >= 1


def test_pause_keeps_the_position_and_play_resumes_there():
    player = RecordingPlayer()
    player.play(ten_seconds(), start=2.0, end=8.0)
    player.now += 1.5
    assert player.pause() == pytest.approx(3.5) and not player.playing
    player.now += 60  # time passes while paused
    assert player.position() == pytest.approx(3.5)
    assert player.seek(-1.0) == pytest.approx(2.5)  # seeking while paused only moves
    assert len(player.sounded) == 1
    player.resume()
    assert player.sounded[-1] == (2.5, 8.0)
    player.now += 10  # played to its end: play starts it again
    assert not player.playing
    player.resume()
    assert player.sounded[-1] == (2.0, 8.0)


def test_a_missing_output_device_is_a_clear_error_not_a_crash():
    player = Player(device="no such loudspeaker")
    with pytest.raises(OSError, match="cannot play the dictation"):
        player.play(ten_seconds())
    assert not player.playing


def test_seeking_a_real_playback_on_the_output_device(pulse_mic):
    tone = (np.sin(np.arange(16000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    recording = DictationRecording(samples=np.tile(tone, 6))  # 6 s
    player = Player(device="pulse")
    start = time.perf_counter()
    assert player.play(recording) == 6.0
    time.sleep(0.5)
    sought = time.perf_counter()
    assert player.seek(4.0) == pytest.approx(4.5, abs=0.2)  # fast-forward 4 s
    assert time.perf_counter() - sought < 0.5, "a seek must not wait for the old sound"
    assert player.playing
    assert player.wait(20)
    elapsed = time.perf_counter() - start
    # The device clocks out samples in real time: all 6 s would take at least 6 s.
    assert 1.5 <= elapsed < 5.5, f"{elapsed:.2f} s: the seek did not skip on the device"
