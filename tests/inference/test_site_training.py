"""The learn-from-corrections loop on a real chest: correct, train --site, gate, rollback."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from scipy import ndimage as ndi

from inference.corrections import build_correction, label_changes, load_label_maps
from inference.gate import decide
from inference.labels import CONSOLIDATION, GGO, Label
from inference.preread import PreReadOptions, analyze
from inference.registry import ModelRegistry, RegistryError
from inference.site_training import SiteSample, TrainingCancelled, fine_tune
from tests.inference import truth_folders as tf


@pytest.fixture(scope="module")
def crop(shared_data):
    return tf.chest_crop(shared_data)


def erase_components(labels: np.ndarray) -> np.ndarray:
    """What "erase this component" does to every lesion component: lung of its side."""
    out = labels.copy()
    comps, n = ndi.label(np.isin(labels, GGO + CONSOLIDATION))
    for k in range(1, n + 1):
        sel = comps == k
        right = np.isin(labels[sel], (Label.GGO_RIGHT, Label.CONSOLIDATION_RIGHT))
        out[sel] = np.where(right, Label.LUNG_RIGHT, Label.LUNG_LEFT)
    return out


def test_label_changes_count_voxels_added_and_removed_per_label():
    a = np.zeros((2, 4, 4), np.uint8)
    a[0, :2] = Label.LUNG_RIGHT
    a[0, 0, 0] = Label.GGO_RIGHT
    b = a.copy()
    b[0, 0, 0] = Label.LUNG_RIGHT
    b[1, 0, :3] = Label.CONSOLIDATION_LEFT
    c = label_changes(a, b)
    assert c["voxels_changed"] == 4
    assert c["labels"] == {"background": {"added": 0, "removed": 3},
                           "lung_right": {"added": 1, "removed": 0},
                           "ggo_right": {"added": 0, "removed": 1},
                           "consolidation_left": {"added": 3, "removed": 0}}


@pytest.fixture(scope="module")
def corrected_chest(crop, tmp_path_factory):
    """The chest crop as a NIfTI study, its stored pre-read, and the reader's correction
    (every false lesion component erased) saved through the records API."""
    import records
    import studies

    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("LUCH_HOME", str(home))
    ct = home / "chest.nii.gz"
    tf._write_nifti(ct, crop.volume.voxels, crop.volume)
    volume = studies.open_volume(ct)
    result = analyze(volume, PreReadOptions(device="cpu"))
    assert result.measures.grade == "CT-1"  # the shipped model's false lesion on this chest
    store = records.open_store()
    rid = store.save_ai_result(volume.info.study_instance_uid, model_name="luch-unet",
                               model_version=result.model_version, values=result.to_json(),
                               sync=False, study_uid_derived=True)
    corrected = erase_components(result.labels)
    correction = build_correction(volume, result.labels, corrected, result.to_json(), "dr-test",
                                  home / "corrections")
    cid = store.save_ai_correction(rid, **correction.record(), source_path=str(ct))
    store.close()
    yield SimpleNamespace(home=home, ct=ct, volume=volume, result=result, rid=rid, cid=cid,
                          correction=correction)
    mp.undo()


def test_correction_is_stored_with_who_what_and_the_corrected_grade(corrected_chest):
    import records

    c = corrected_chest
    ct, result, rid = c.ct, c.result, c.rid
    store = records.open_store(c.home / "records.sqlite3")
    (saved,) = store.ai_corrections(rid)
    assert saved.id == c.cid and saved.reader == "dr-test" and saved.source_path == str(ct)
    assert saved.values["corrected"] is True and saved.values["ai_grade"] == "CT-1"
    assert saved.values["grade"] == "CT-0"  # recomputed from the corrected map
    assert "corrected-by-reader" in saved.values["quality_flags"]
    removed = sum(v["removed"] for k, v in saved.changes["labels"].items() if "lung" not in k)
    assert removed == int(np.isin(result.labels, GGO + CONSOLIDATION).sum()) > 0
    original, corrected = load_label_maps(saved.labels_file)
    assert np.array_equal(original, result.labels) and not np.isin(corrected, GGO).any()
    assert store.ai_result(rid).values["grade"] == "CT-1"  # the AI result stays as it was
    assert [e.action for e in store.audit_events()][-1] == "ai-corrected"
    store.close()


def test_train_site_evaluate_gate_and_rollback(corrected_chest, crop, monkeypatch, tmp_path):
    from app.cli import main

    home, volume = corrected_chest.home, corrected_chest.volume
    monkeypatch.setenv("LUCH_HOME", str(home))
    hold = tf.mosmed_folder(tmp_path / "hold", crop, [(0, 31, "full"), (2, 32, "full")])
    out = tmp_path / "candidate.json"
    assert main(["train", "--site", "--device", "cpu", "--budget-steps", "3", "--holdout",
                 str(hold), "--json", str(out)]) == 0
    registry = ModelRegistry(home / "models")
    side = json.loads(out.read_text())
    version, base = side["version"], registry.shipped().version
    assert version == f"{base}-site.1" and side["parent_version"] == base
    t = side["training"]
    assert t["steps"] == 3 and t["seed"] and t["recipe"] == "site-v2"
    assert t["replay_grades"] == [1, 2, 3, 4]  # simulated lesions in its own lungs too
    assert [d["changed_slices"] > 0 for d in t["data"]] == [True]
    gate = side["gate"]
    assert gate["state"] in ("passed", "failed") and gate["studies"] == ["study_0001",
                                                                         "study_0002"]
    again = decide(side["metrics"]["held_apart"], gate["against_metrics"])
    assert again.passed == gate["passed"] and again.reasons == gate["reasons"]
    if gate["passed"]:
        assert registry.active().version == version
        # the active version is what new pre-reads carry (result JSON, SEG, SR)
        assert analyze(volume, PreReadOptions(device="cpu")).model_version.startswith(
            version + "+post")
        assert main(["model", "rollback"]) == 0
    else:
        assert main(["model", "activate", version]) == 2  # refused
    assert registry.active().version == base
    assert analyze(volume, PreReadOptions(device="cpu")).model_version.startswith(base + "+post")
    assert (registry.shipped().weights.parent.name == "models"
            and registry.shipped().sidecar["sha256"] == json.loads(
                registry.shipped().weights.with_suffix(".json").read_text())["sha256"])


def test_fine_tuning_is_reproducible_and_a_cancel_writes_nothing(corrected_chest, tmp_path):
    import threading

    c = corrected_chest
    registry = ModelRegistry(tmp_path / "models")
    sample = [SiteSample("c1", str(c.ct), str(c.correction.labels_file))]
    a = fine_tune(sample, registry, steps=2, device="cpu", log=lambda _: None)
    b = fine_tune(sample, registry, steps=2, device="cpu", log=lambda _: None)
    base = registry.shipped().version
    assert (a.version, b.version) == (f"{base}-site.1", f"{base}-site.2")
    assert a.sidecar["sha256"] == b.sidecar["sha256"] != registry.shipped().sidecar["sha256"]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(TrainingCancelled):
        fine_tune(sample, registry, steps=2, device="cpu", cancel=cancel, log=lambda _: None)

    def ctrl_c(fraction: float) -> None:
        if fraction >= 0.5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        fine_tune(sample, registry, steps=2, device="cpu", progress=ctrl_c, log=lambda _: None)
    assert sorted(p.name for p in (tmp_path / "models").iterdir()) == [a.version, b.version]
    with pytest.raises(RegistryError):  # never gated
        registry.activate(a.version)


def test_correct_cli_saves_a_correction_made_in_another_tool(corrected_chest, monkeypatch,
                                                             tmp_path, capsys):
    """A NIfTI label map edited elsewhere: ``luch correct`` stores it like the viewer would."""
    import records
    from app.cli import main

    c = corrected_chest
    monkeypatch.setenv("LUCH_HOME", str(c.home))
    original, edited = tmp_path / "ai.nii.gz", tmp_path / "edited.nii.gz"
    tf._write_nifti(original, c.result.labels, c.volume)
    tf._write_nifti(edited, erase_components(c.result.labels), c.volume)
    assert main(["correct", str(c.rid), str(edited), "--study", str(c.ct), "--reader",
                 "dr-cli"]) == 2  # the result lists no NIfTI mask of the AI's own
    assert "--original" in capsys.readouterr().err
    assert main(["correct", str(c.rid), str(edited), "--study", str(c.ct), "--original",
                 str(original), "--reader", "dr-cli"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["grade"], out["ai_grade"]) == ("CT-0", "CT-1")
    assert out["changes"]["labels"] == c.correction.changes["labels"]
    store = records.open_store(c.home / "records.sqlite3")
    newest = store.ai_corrections(c.rid, latest_only=True)[0]
    assert newest.id == out["correction_id"] and newest.reader == "dr-cli"
    store.close()
