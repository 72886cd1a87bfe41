"""The pre-read runtime: threaded job, progress, cancel, fallback, refusal of non-CT."""

import threading

import numpy as np
import pytest
import torch

from inference.errors import AnalysisCancelled, InferenceError, WeightsError
from inference.labels import LEFT, RIGHT
from inference.preread import FALLBACK_FLAG, AnalysisJob, PreReadOptions, analyze
from inference.weights import DEFAULT_WEIGHTS, load_model
from tests.inference.conftest import make_phantom

CLASSICAL = PreReadOptions(engine="classical")


def test_classical_preread_of_phantom(phantom):
    result = analyze(phantom, CLASSICAL)
    data = result.to_json()
    # Clear lungs: the partial-volume rings at the lung tips are flat specks, not GGO.
    assert data["involvement_percent"] == {"left": 0.0, "right": 0.0, "total": 0.0}
    assert data["grade"] == "CT-0"
    assert data["investigational"] is True
    assert set(data) >= {"grade", "involvement_percent", "volumes_ml", "probability",
                         "quality_flags", "device", "seconds"}
    assert set(data["volumes_ml"]) == {"lung_left", "lung_right", "ggo", "consolidation"}
    assert 900 < data["volumes_ml"]["lung_right"] < 1500


def test_job_runs_off_the_calling_thread_with_progress(phantom):
    seen: list[tuple[float, str]] = []
    job = AnalysisJob(phantom, CLASSICAL,
                      progress=lambda f: seen.append((f, threading.current_thread().name)))
    result = job.start().result(timeout=120)
    assert job.done and result.measures.volumes_ml["lung_left"] > 900
    assert seen and seen[-1][0] == 1.0
    assert all(name == "luch-ai-preread" for _, name in seen)
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_cancel_stops_the_unet_between_slabs():
    volume = make_phantom()
    volume.voxels = np.concatenate([volume.voxels] * 3)  # 120 slices: several slabs
    fractions: list[float] = []
    job = AnalysisJob(volume, PreReadOptions(engine="unet", device="cpu", fallback=False))

    def progress(f: float) -> None:
        fractions.append(f)
        job.cancel()  # the user presses Cancel after the first slab

    job._progress = progress
    with pytest.raises(AnalysisCancelled):
        job.start().result(timeout=120)
    assert len(fractions) == 1 and fractions[0] < 0.5


def test_cancel_before_start(phantom):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(AnalysisCancelled):
        analyze(phantom, CLASSICAL, cancel=cancel)


def test_missing_weights_fall_back_to_classical_clearly_labelled(phantom, tmp_path):
    options = PreReadOptions(engine="unet", weights=tmp_path / "missing.pt")
    result = analyze(phantom, options)
    assert result.engine == FALLBACK_FLAG
    assert any(f.startswith(FALLBACK_FLAG) for f in result.measures.quality_flags)
    assert result.to_json()["engine"] == FALLBACK_FLAG


def test_corrupt_weights_are_a_clear_error(tmp_path):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a torch file")
    bad.with_suffix(".json").write_text("{}")
    with pytest.raises(WeightsError, match="cannot be loaded"):
        load_model(bad)
    with pytest.raises(WeightsError, match="checksum"):
        side = DEFAULT_WEIGHTS.with_suffix(".json").read_text()
        bad.with_suffix(".json").write_text(side)  # right sidecar, wrong bytes
        load_model(bad)


def test_non_ct_is_refused(phantom):
    phantom.info.modality = "MR"
    with pytest.raises(InferenceError, match="CT only"):
        analyze(phantom, CLASSICAL)


def test_cuda_request_without_gpu_is_a_clear_error(phantom, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)  # a GPU box runs it too
    with pytest.raises(InferenceError, match="CUDA"):
        analyze(phantom, PreReadOptions(device="cuda", fallback=False))


def test_shipped_unet_is_deterministic_and_finds_real_lungs(shared_data):
    import studies
    from inference.segmenters import UNetSegmenter

    volume = studies.open_volume(shared_data / "ct" / "lidc-idri-0003")
    volume.voxels = volume.voxels[60:76].copy()  # 16 mid-chest slices
    seg = UNetSegmenter(device="cpu")
    a = seg.segment(volume)
    b = seg.segment(volume)
    assert np.array_equal(a, b)
    from inference.geometry import Orientation
    from inference.lungs import segment_lungs

    right, left = segment_lungs(volume.voxels, volume.spacing, Orientation.of(volume))
    for pred, ref in ((np.isin(a, RIGHT), right), (np.isin(a, LEFT), left)):
        dice = 2 * (pred & ref).sum() / (pred.sum() + ref.sum())
        assert dice > 0.9


def test_demo_chest_solitary_nodule_is_named_not_graded_as_pneumonia(demo_preread):
    """The bundled demo is a real LIDC chest with a 2.5 cm solid nodule in the left lower lobe
    (k 43-46 of 67, slices 21-24 counted from the head as the viewer counts them) and no
    pneumonia: CT-0, with the nodule named in a flag to review."""
    from inference.foci import FLAG
    from inference.geometry import voxel_ml

    volume, result = demo_preread
    assert result.measures.grade == "CT-0"
    assert result.to_json()["lesions"] == []  # the nodule is a focus, not a lesion to review
    foci = [f for f in result.measures.quality_flags if f.startswith(FLAG)]
    assert len(foci) == 1 and "side=left" in foci[0]
    first, last = map(int, foci[0].split("slices=")[1].split()[0].split("-"))
    assert first <= 22 and last >= 21  # numbered from the head: 67 - k
    # The result carries the focus itself (for the SEG and SR) with where it lies.
    (focus,) = result.foci
    assert focus.flag() == foci[0] and focus.mask.shape == result.labels[focus.box].shape
    assert focus.ml == pytest.approx(focus.mask.sum() * voxel_ml(volume.spacing), abs=0.05)


def test_the_json_carries_each_solid_focus_set_aside(demo_preread):
    """``to_json`` (what the store keeps and ``luch analyze --json`` writes) names the demo's
    nodule as structured data, the same values its flag says, and survives a JSON round trip."""
    import json

    from inference.labels import Label

    _, result = demo_preread
    (focus,) = result.foci
    (entry,) = json.loads(json.dumps(result.to_json()))["foci"]
    assert entry["side"] == "left"
    i, j, k = entry["at"]
    assert focus.flag().endswith(f"side=left slices={entry['slices']} ml={entry['ml']:.1f} "
                                 f"mm={entry['mm']} at={i},{j},{k}")
    assert result.labels[k, j, i] == Label.LUNG_LEFT  # its core, read as lung
