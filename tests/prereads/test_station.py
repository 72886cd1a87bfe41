"""A station takes the central service's pre-read from the archive without running the model."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pydicom
import pytest

from inference.preread import PreReadOptions
from prereads.station import FROM_ARCHIVE, active_model_version, import_archived_preread
from prereads.worker import Outcome, preread_study
from records import open_store
from records.sr import ai_result_to_sr, study_header
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
        asked = _count_requests(client)
        not_ours: dict = {}  # the worklist flow keeps it between refreshes
        items = with_archived_prereads(store, client, items, not_ours)  # the refresh's hook
        assert {i.study_instance_uid: i.ai_grade for i in items} == \
            {read: central.grade, unread: None}
        # One request asks which studies have an AI result at all; the one found costs two
        # more searches (its series' identity, its objects) and the retrievals, once.
        assert len(_searches(asked)) == 3 and len(asked) >= 6, asked
        # A refresh afterwards: one request, however many studies are ungraded.
        asked.clear()
        assert with_archived_prereads(store, client, items, not_ours) == items
        assert len(asked) == 1, asked
        # An AI result of another kind in the archive (a station's own, sent with its report):
        # looked at once (its series' identity), then not again until the study's AI results
        # change.
        header = study_header(unread, {"patient_id": "P"}, {"study_date": "20261207"})
        client.store([ai_result_to_sr(str(uuid.uuid4()), "luch-unet", version,
                                      {"grade": "CT-1"}, datetime.now(UTC), header)])
        for expected in (2, 1):
            asked.clear()
            assert with_archived_prereads(store, client, items, not_ours) == items
            assert len(asked) == expected, asked
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


def _searches(urls: list[str]) -> list[str]:
    """The QIDO-RS searches among request URLs (a retrieval ends with an instance's UID)."""
    return [u for u in urls if urlsplit(u).path.rsplit("/", 1)[-1] in
            ("studies", "series", "instances")]


def _count_requests(client) -> list[str]:
    """The URLs of the requests ``client`` sends from now on."""
    asked: list[str] = []
    client.session.hooks["response"].append(lambda r, *_a, **_k: asked.append(r.url))
    return asked
