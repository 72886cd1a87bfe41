"""Dictated audio plays back through the real audio layer (PulseAudio null sink)."""

from __future__ import annotations

import time

import numpy as np

from app.playback import Player
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
