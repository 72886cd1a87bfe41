"""Speech synthesis with espeak-ng, as 16 kHz mono int16 PCM.

Used for the engine self-check, the benchmark and tests: it gives reproducible speech in
any language espeak-ng has a voice for.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import soundfile as sf

from dictation.engines.base import SAMPLE_RATE
from dictation.errors import DictationError


def resample(samples: np.ndarray, rate: int, target: int = SAMPLE_RATE) -> np.ndarray:
    """Band-limited resampling (FFT) of a mono float signal."""
    if rate == target:
        return samples
    n_out = round(len(samples) * target / rate)
    spectrum = np.fft.rfft(samples)
    keep = n_out // 2 + 1
    spectrum = (
        spectrum[:keep] if len(spectrum) >= keep else np.pad(spectrum, (0, keep - len(spectrum)))
    )
    return np.fft.irfft(spectrum, n_out) * (n_out / len(samples))


def synthesize(text: str, voice: str = "en-us", speed: int = 150) -> np.ndarray:
    """``text`` spoken by espeak-ng ``voice`` as int16 samples at 16 kHz."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise DictationError("espeak-ng is not installed (apt-get install espeak-ng)")
    proc = subprocess.run(
        [exe, "-v", voice, "-s", str(speed), "--stdout", text],
        capture_output=True,
        check=False,
        timeout=60,
    )
    if proc.returncode != 0 or not proc.stdout:
        raise DictationError(f"espeak-ng failed for voice {voice!r}: {proc.stderr.decode()[:200]}")
    data, rate = sf.read(io.BytesIO(proc.stdout), dtype="float32")
    if data.ndim > 1:
        data = data.mean(axis=1)
    out = resample(data, rate)
    return np.clip(np.round(out * 32767), -32768, 32767).astype(np.int16)
