"""A station takes the central service's pre-read from the archive without running the model."""

from __future__ import annotations

from pathlib import Path

import pydicom
import pytest

from inference.preread import PreReadOptions
from prereads.station import FROM_ARCHIVE, active_model_version, import_archived_preread
from prereads.worker import Outcome, preread_study
from records import open_store
from records.worklist import build_worklist
from tests.prereads.conftest import client_for

pytestmark = pytest.mark.slow


@pytest.fixture
def no_model(monkeypatch):
    """Running the model (or the pre-read around it) fails the test."""
    import inference.preread
    import inference.segmenters

    def refuse(*_args, **_kwargs):
        raise AssertionError("the model was run")

    active_model_version()  # the version is known before: loading the weights is not a run
    monkeypatch.setattr(inference.preread, "analyze", refuse)
    monkeypatch.setattr(inference.segmenters.UNetSegmenter, "segment", refuse)
    monkeypatch.setattr(inference.segmenters.ClassicalSegmenter, "segment", refuse)


def test_a_station_imports_the_archived_grade_without_running_the_model(
        archive, studies, tmp_path: Path, qapp, request):
    read, unread = studies(archive, ["station-read", "station-unread"])
    client = client_for(archive)
    version = active_model_version()
    central = preread_study(client, read, version, PreReadOptions(device="cpu"))
    assert central.outcome is Outcome.DONE and central.grade.startswith("CT-")

    request.getfixturevalue("no_model")
    from app.reading.worklist import with_archived_prereads

    store = open_store(tmp_path / "station.sqlite3")
    try:
        items = build_worklist(store, client, include_reported=True)
        assert {i.study_instance_uid: i.ai_grade for i in items} == {read: None, unread: None}
        items = with_archived_prereads(store, client, items)  # the worklist refresh's hook
        assert {i.study_instance_uid: i.ai_grade for i in items} == \
            {read: central.grade, unread: None}
        again = build_worklist(store, None, include_reported=True)  # kept in the store
        assert {i.study_instance_uid: i.ai_grade for i in again}[read] == central.grade

        result_id = import_archived_preread(store, client, read)
        result = store.ai_result(result_id)
        assert import_archived_preread(store, client, read) == result_id  # imported once
        assert import_archived_preread(store, client, unread) is None
        values = result.values
        assert values[FROM_ARCHIVE] is True and values["model_version"] == version
        assert values["grade"] == central.grade
        assert set(values["volumes_ml"]) >= {"lung_right", "lung_left", "ggo", "consolidation"}
        assert values["volumes_ml"]["lung_right"] > 100  # the real lungs' mL, not text
        assert isinstance(values["quality_flags"], list)
        seg, sr = (pydicom.dcmread(f) for f in result.mask_files)
        assert seg.Modality == "SEG" and seg.StudyInstanceUID == read
        assert sr.Modality == "SR" and str(seg.SOPInstanceUID) in str(sr)
        assert store.jobs() == []  # it came from the archive: nothing to send back
    finally:
        store.close()
