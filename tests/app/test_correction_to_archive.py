"""A reader's corrected SEG goes to a real Orthanc with its AI result, through the outbox,
exactly once, referencing the AI's own SEG."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PySide6.QtCore import Qt

from app.reading.label_correction import write_corrected_seg
from archive.dicomweb import read_dataset, tag_value
from inference.corrections import build_correction
from inference.dicom_out import make_seg, source_datasets
from inference.labels import Label
from inference.measures import Measures
from inference.preread import PreReadResult
from records import Store, open_store
from records.outbox import KIND_AI_CORRECTION, KIND_AI_RESULT
from tests.records.conftest import client_for, engine_for


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "records.sqlite3")
    yield s
    s.close()


def test_corrected_seg_goes_once_with_the_queued_result(store: Store, orthanc_factory,
                                                        shared_data: Path, tmp_path: Path):
    import studies

    server = orthanc_factory()
    files = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[40:43]
    folder = tmp_path / "ct"
    folder.mkdir()
    for f in files:
        shutil.copy(f, folder / f.name)
    server.upload(files)
    volume = studies.open_volume(folder)
    study = volume.info.study_instance_uid
    labels = np.zeros(volume.shape, np.uint8)
    lung = volume.voxels < -500
    lung[:, :100], lung[:, 400:] = False, False
    labels[:, :, :256][lung[:, :, :256]] = Label.LUNG_RIGHT
    labels[:, :, 256:][lung[:, :, 256:]] = Label.LUNG_LEFT
    labels[1, 200:230, 300:330][lung[1, 200:230, 300:330]] = Label.GGO_LEFT  # a false lesion
    sources = source_datasets(folder, volume)
    placeholder = Measures("", "", "", "", {}, {}, "")
    original = make_seg(PreReadResult(labels, placeholder, "unet", "v2+post6", "cpu", 0.0),
                        sources)
    original_path = tmp_path / "ai.seg.dcm"
    original.save_as(original_path)
    rid = store.save_ai_result(study, model_name="unet", model_version="v2+post6",
                               values={"grade": "CT-1", "model_version": "v2+post6"},
                               mask_files=[original_path], sync=False)
    corrected = labels.copy()
    corrected[corrected == Label.GGO_LEFT] = Label.LUNG_LEFT

    def save(reader: str) -> tuple[int, str]:
        correction = build_correction(volume, labels, corrected, store.ai_result(rid).values,
                                      reader, tmp_path / "corrections")
        seg = write_corrected_seg(corrected, volume, folder, original_path, "v2+post6", reader,
                                  tmp_path / "corrections")
        cid = store.save_ai_correction(rid, **correction.record(), source_path=str(folder),
                                       files=[str(seg)])
        return cid, str(pydicom.dcmread(seg, stop_before_pixels=True).SOPInstanceUID)

    first, first_uid = save("dr-a")
    client = client_for(server)
    assert engine_for(store, client).drain().sent == 0  # nothing queued before signing
    store.enqueue(KIND_AI_RESULT, rid, study)  # what signing the report does
    claimed = store.claim_jobs(10)
    store.release_jobs([j.id for j in claimed])
    assert {(j.kind, j.object_pk) for j in claimed} == {(KIND_AI_RESULT, rid),
                                                         (KIND_AI_CORRECTION, first)}
    report = engine_for(store, client).drain()
    assert (report.sent, report.done) == (3, 2)  # the SR, the AI's SEG, the corrected SEG
    counts = server.store_counts()
    assert counts[first_uid] == 1 and counts[str(original.SOPInstanceUID)] == 1
    found = {tag_value(i, "00080018"): i for i in client.search_instances(study)}
    back = read_dataset(client.retrieve_instance(
        study, tag_value(found[first_uid], "0020000E"), first_uid))
    refs = {str(i.ReferencedSOPInstanceUID) for s in back.ReferencedSeriesSequence
            for i in s.ReferencedInstanceSequence}
    assert str(original.SOPInstanceUID) in refs and back.ContentLabel == "CORRECTED"
    assert str(back.ContentCreatorName) == "dr-a"

    # a newer correction of a result already sent goes at once; nothing goes twice
    second, second_uid = save("dr-b")
    store.enqueue(KIND_AI_RESULT, rid, study)
    report = engine_for(store, client).drain()
    assert report.sent == 1 and report.done == 1
    store.enqueue(KIND_AI_RESULT, rid, study)
    assert engine_for(store, client).drain().sent == 0
    counts = server.store_counts()
    assert counts[first_uid] == counts[second_uid] == counts[str(original.SOPInstanceUID)] == 1
    assert store.ai_correction(second).files == [str(Path(tmp_path / "corrections" /
                                                          f"{second_uid}.seg.dcm"))]


def test_the_viewer_saves_a_corrected_seg_and_signing_sends_it_once(qtbot, luch_home,
                                                                   orthanc_factory):
    """The whole app path on the demo chest (DICOM): paint ground glass with the brush in the
    viewer, save; the correction lists a corrected SEG referencing the pre-read's SEG; signing
    the report sends both to the archive, each once."""
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from archive.credentials import ArchiveConfig
    from archive.dicomweb import DicomWebClient
    from core.paths import DEMO_STUDY
    from core.settings import Settings
    from tests.app.signing import confirm_signing
    from tests.app.test_label_editing import lung_voxel, qt_point

    orthanc = orthanc_factory()
    store = open_store()
    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, store, reader="dr.seg", ui_lang="en", report_lang="en",
                        archive=DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url,
                                                             user=orthanc.auth[0],
                                                             password=orthanc.auth[1])))
    window.resize(1400, 900)
    window.show()
    try:
        uid = workflow.add_local_study(DEMO_STUDY)
        with qtbot.waitSignal(workflow.ai.result_ready, timeout=300_000):
            workflow.open_study(uid)
        ai_seg = next(p for p in workflow.ai.dicom_files if str(p).endswith(".seg.dcm"))
        editor = window.label_tools.editor
        k, j, i = lung_voxel(editor.labels, 1)  # deep in the right lung
        window.go_to_voxel((i, j, k))
        axial = next(v for v in window.reading.views if v.plane.name == "axial")
        window.actions["tool-paint"].trigger()
        qtbot.mouseClick(axial.interactor, Qt.MouseButton.LeftButton,
                         pos=qt_point(axial, window.volume.index_to_lps([i, j, k])))
        assert editor.labels[k, j, i] == 3  # ground glass, right
        with qtbot.waitSignal(workflow.label_correction.saved, timeout=120_000) as saved:
            window.actions["label-save"].trigger()
        correction = store.ai_correction(saved.args[0])
        (seg_file,) = correction.files
        seg = pydicom.dcmread(seg_file)
        original = pydicom.dcmread(ai_seg, stop_before_pixels=True)
        refs = {str(i.ReferencedSOPInstanceUID) for s in seg.ReferencedSeriesSequence
                for i in s.ReferencedInstanceSequence}
        assert str(original.SOPInstanceUID) in refs and seg.ContentLabel == "CORRECTED"
        assert correction.values["corrected"] and correction.changes["labels"]["ggo_right"][
            "added"] > 0
        assert store.outbox_counts()["pending"] == 0  # nothing goes before signing

        workflow.ai.accept()
        confirm_signing(qtbot)
        with qtbot.waitSignal(workflow.report.signed, timeout=10_000):
            workflow.report.sign()
        wanted = {str(seg.SOPInstanceUID), str(original.SOPInstanceUID)}
        qtbot.waitUntil(lambda: wanted <= set(orthanc.sop_instance_uids()), timeout=60_000)
        qtbot.waitUntil(lambda: store.outbox_counts()["pending"] == 0, timeout=20_000)
        workflow.sync()  # once more: nothing is sent twice
        qtbot.waitUntil(lambda: workflow.archive_link._sync_task is None, timeout=20_000)
        counts = orthanc.store_counts()
        assert all(counts[u] == 1 for u in wanted)
    finally:
        workflow.ai.cancel()
        store.close()
