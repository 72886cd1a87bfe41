"""The model registry: the shipped model read-only, the gate, activate, rollback."""

from __future__ import annotations

import hashlib
import json

import pytest

from inference.registry import ModelRegistry, RegistryError, active_weights
from inference.site_training import _write_candidate
from inference.weights import DEFAULT_WEIGHTS


def _candidate(registry: ModelRegistry, passed: bool, base: str | None = None):
    import torch

    version = registry.next_site_version()
    state = torch.load(DEFAULT_WEIGHTS, weights_only=True)
    meta = json.loads(DEFAULT_WEIGHTS.with_suffix(".json").read_text())
    side = {"name": meta["name"], "architecture": meta["architecture"], "version": version,
            "base_version": base or registry.shipped().version,
            "parent_version": registry.shipped().version,
            "gate": {"passed": passed, "state": "passed" if passed else "failed"}}
    return _write_candidate(registry, version, state, side)


def test_activate_only_what_passed_and_roll_back_step_by_step(luch_home):
    shipped_sha = hashlib.sha256(DEFAULT_WEIGHTS.read_bytes()).hexdigest()
    registry = ModelRegistry()
    assert registry.active().shipped and active_weights() == DEFAULT_WEIGHTS
    with pytest.raises(RegistryError):
        registry.rollback()  # nothing to roll back
    good1, bad, good2 = (_candidate(registry, True), _candidate(registry, False),
                         _candidate(registry, True))
    base = registry.shipped().version
    assert [v.version for v in registry.versions()] == [
        base, f"{base}-site.1", f"{base}-site.2", f"{base}-site.3"]
    with pytest.raises(RegistryError):
        registry.activate(bad.version)
    registry.activate(good1.version)
    registry.activate(good2.version)
    assert registry.active().version == good2.version and active_weights() == good2.weights
    assert registry.rollback().version == good1.version
    assert registry.rollback().version == base
    assert registry.history() == [base]
    with pytest.raises(RegistryError):
        registry.update_sidecar(base, gate={"passed": True})  # read-only
    assert hashlib.sha256(DEFAULT_WEIGHTS.read_bytes()).hexdigest() == shipped_sha
    events = json.loads((luch_home / "models" / "registry.json").read_text())["events"]
    assert [e["action"] for e in events] == ["activate", "activate", "rollback", "rollback"]


def test_a_site_model_of_another_shipped_version_is_not_used(luch_home):
    registry = ModelRegistry()
    old = _candidate(registry, True, base="1.0.0")
    with pytest.raises(RegistryError):
        registry.activate(old.version)
    # as if the shipped weights were updated after it was activated
    (luch_home / "models" / "registry.json").write_text(json.dumps(
        {"history": [registry.shipped().version, old.version]}))
    assert registry.active().shipped


def test_a_damaged_registry_file_falls_back_to_the_shipped_model(luch_home):
    registry = ModelRegistry()
    (luch_home / "models").mkdir(parents=True, exist_ok=True)
    (luch_home / "models" / "registry.json").write_text("{not json")
    assert active_weights() == DEFAULT_WEIGHTS
    with pytest.raises(RegistryError):
        registry.active()


def test_model_list_cli(luch_home, capsys):
    from app.cli import main

    bad = _candidate(ModelRegistry(), False)
    base = ModelRegistry().shipped().version
    assert main(["model", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["version"], r["active"], r["gate"]) for r in rows] == [
        (base, True, "shipped"), (bad.version, False, "failed")]
    assert main(["model", "activate", bad.version]) == 2
    assert "did not pass the gate" in capsys.readouterr().err


def test_evaluate_and_train_refuse_clearly(luch_home, tmp_path, capsys):
    from app.cli import main

    assert main(["evaluate", str(tmp_path), "--model", "9.9.9"]) == 2
    assert "9.9.9 is not in this station's registry" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path)]) == 2  # an empty folder
    assert "No studies with truth found" in capsys.readouterr().err
    assert main(["train", "--site", "--device", "cpu"]) == 2  # nothing held apart
    assert "No held-apart studies" in capsys.readouterr().err
    assert main(["train", "--site", "--device", "cpu", "--no-activate"]) == 2
    assert "No corrected study can be used" in capsys.readouterr().err
    assert [v.version for v in ModelRegistry().versions()] == [ModelRegistry().shipped().version]


def test_the_signature_moves_with_what_the_active_version_is_read_from(luch_home):
    registry = ModelRegistry()
    before = registry.signature()
    assert registry.signature() == before  # nothing changed: callers keep their version
    site = _candidate(registry, True)  # a site version added to the models folder
    added = registry.signature()
    assert added != before and registry.active().shipped
    registry.activate(site.version)
    activated = registry.signature()
    assert activated != added and registry.active().version == site.version
    registry.rollback()
    assert registry.signature() != activated and registry.active().shipped
