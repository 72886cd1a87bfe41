"""Compressed slices decoded in worker processes: same values, and a crashing decoder
fails the load cleanly instead of taking the app down."""

from __future__ import annotations

import os

import numpy as np
import pytest
from pydicom.uid import JPEG2000Lossless, RLELossless

import studies
from studies import decode_pool, frame_decoders
from studies.synthetic import phantom


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)
    monkeypatch.setenv("LUCH_DECODE_PROCESSES", "1")
    assert decode_pool.enabled()
    yield
    decode_pool.reset()


@pytest.mark.parametrize("syntax", [RLELossless, JPEG2000Lossless], ids=["rle", "j2k"])
def test_worker_processes_decode_the_same_values(make_series, processes, syntax,
                                                 monkeypatch) -> None:
    monkeypatch.setattr(frame_decoders, "for_syntax", lambda syntax: None)  # pydicom's path
    folder = make_series(slices=decode_pool.MIN_SLICES + 2, transfer_syntax=syntax)
    seen: list[float] = []
    volume = studies.open_volume(folder, progress=seen.append)
    np.testing.assert_array_equal(volume.voxels, phantom(decode_pool.MIN_SLICES + 2, 64, 64))
    assert seen[-1] == pytest.approx(1.0)


def test_a_crashing_decoder_fails_the_load_not_the_app(make_series, processes,
                                                      monkeypatch) -> None:
    folder = make_series(slices=decode_pool.MIN_SLICES + 2, transfer_syntax=RLELossless)
    monkeypatch.setattr(decode_pool, "submit",
                        lambda ref, frame, syntax: decode_pool.pool().submit(os._exit, 3))
    with pytest.raises(studies.DamagedFile, match="crashed"):
        studies.open_volume(folder)
    monkeypatch.undo()
    monkeypatch.setattr(decode_pool, "MIN_CPUS", 1)
    assert studies.open_volume(folder).shape[0] == decode_pool.MIN_SLICES + 2  # pool renewed


def _imported_after(code: str, wanted: list[str]) -> bool:
    import subprocess
    import sys

    code += f"; import sys; print(all(m in sys.modules for m in {wanted!r}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "LUCH_DECODE_PROCESSES": "0"}, timeout=60)
    assert out.stdout.strip() in ("True", "False"), out.stderr
    return out.stdout.strip() == "True"


def _decoders() -> list[str]:
    import importlib.util

    return ["pydicom", "studies.pydicom_decoder"] + (
        ["imagecodecs"] if importlib.util.find_spec("imagecodecs") else [])


def test_warm_up_imports_the_readers_and_decoders() -> None:
    assert not _imported_after("import studies", ["studies.readers"])
    assert _imported_after("import studies; studies.warm_up()", ["studies.readers", *_decoders()])


def test_the_pools_warm_up_imports_the_decoders_beneath_it() -> None:
    """``decode_pool`` lies below the readers (import-linter): its warm-up loads what it owns."""
    assert _imported_after("from studies import decode_pool; decode_pool.warm_up()", _decoders())
