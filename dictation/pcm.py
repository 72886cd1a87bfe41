"""The audio every dictation part exchanges: 16-bit little-endian PCM, 16 kHz, mono."""

SAMPLE_RATE = 16_000
SAMPLE_WIDTH = 2  # bytes, int16
