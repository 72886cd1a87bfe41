"""The background pre-read of the studies the worklist prefetched, with a real Orthanc and
real CT: queued and marked in the worklist, read in a worker process at the lowest priority,
stopped while the reader opens and scrolls a study (the viewer keeps rendering), stored, and
shown when the study is opened without running the model again.

The series are small on purpose (the shared Orthanc holds 12 slices of LIDC-IDRI-0001 and 20
of LIDC-IDRI-0003, ``orthanc_ct``): a pre-read takes a few seconds, so the test stays short.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.panels import terms
from app.panels.ai_files import current_model_version
from app.panels.worklist_panel import WorklistPanel, WorklistRow
from app.reading.background_preread import RUNNING, BackgroundPreread
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from records import open_store
from records.models import AIResult
from tests.app.windows import station

# Opening a study while a background pre-read runs may take at most this much longer than
# the same open with none running (the worker is stopped for the open; the rest is the
# shared box's noise).
OPEN_SLOWDOWN_BOUND = 2.0
OPEN_SLACK_S = 1.0
SCROLLS = 10


def _grade_cell(panel: WorklistPanel, uid: str) -> str:
    for r in range(panel.table.rowCount()):
        if panel.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == uid:
            return panel.table.item(r, 4).text()
    raise AssertionError("the study is not in the worklist")


def _open_timed(qtbot, window, path: Path) -> float:
    t0 = time.perf_counter()
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(path)
    return time.perf_counter() - t0


def _wheel(view, steps: int) -> None:
    """Real wheel events, up and down in turn (a small series has few slices to go)."""
    for n in range(steps):
        delta = QPoint(0, 120 if n % 2 == 0 else -120)
        wheel = QWheelEvent(QPointF(200, 200), QPointF(200, 200), QPoint(0, 0), delta,
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(view.interactor, wheel)  # through the app's event filter
        QApplication.processEvents()


def _state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[0]


def _stopped(pid: int) -> bool:
    """Whether the process is stopped (state T in /proc)."""
    return _state(pid) in ("T", "t")


def test_prefetched_studies_are_pre_read_in_the_background_and_reused_on_open(
        qtbot, luch_home, orthanc, orthanc_ct):
    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    window, workflow = station(qtbot, "dr.bg", archive=client)
    store = workflow.store
    background = workflow.worklist_flow.background
    qtbot.waitUntil(lambda: set(orthanc_ct) <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    first = workflow.worklist.visible_study_uids()[0]
    other = next(u for u in orthanc_ct if u != first)
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        workflow.open_study(first)
    first_folder = window.current_path
    baseline_s = _open_timed(qtbot, window, first_folder)  # no background pre-read yet
    try:
        # The next study is prefetched, then queued: the worklist marks it.
        qtbot.waitUntil(lambda: background.states.get(other) == RUNNING, timeout=120_000)
        assert _grade_cell(workflow.worklist, other) == terms.preread_marker(RUNNING)
        assert first not in background.states  # the one being read is the panel's
        pid = background.pid
        nice = int(Path(f"/proc/{pid}/stat").read_text().split(")")[1].split()[16])
        assert nice == 19
        # Wait until it computes (past the worker's start-up), then open a study meanwhile.
        qtbot.waitUntil(lambda: background.progress.get(other, 0) > 0, timeout=120_000)
        frames = []
        during_s = _open_timed(qtbot, window, first_folder)
        assert background.states.get(other) == RUNNING, "it finished: the test proves nothing"
        view = window.view
        view.render_window.AddObserver("EndEvent", lambda *_: frames.append(
            background.states.get(other) == RUNNING))
        seen = []
        view.render_window.AddObserver("StartEvent", lambda *_: seen.append(view.slice_index))
        _wheel(view, SCROLLS)
        assert len(set(seen)) >= 2  # the slices moved
        assert background.paused  # it gave way to the scrolling
        qtbot.waitUntil(lambda: _stopped(pid), timeout=2000)
        rendered_while_running = sum(frames)
        assert rendered_while_running >= SCROLLS, frames  # a frame per scroll step
        assert during_s <= OPEN_SLOWDOWN_BOUND * baseline_s + OPEN_SLACK_S, (
            f"open {during_s:.2f} s during a background pre-read, {baseline_s:.2f} s without")
        # After the reader stops, it goes on and finishes; the result is stored.
        qtbot.waitUntil(lambda: not background.paused, timeout=10_000)
        assert not _stopped(pid)
        qtbot.waitUntil(lambda: other not in background.states, timeout=180_000)
        results = store.ai_results_of(other)
        assert len(results) == 1 and results[0].model_version == current_model_version()
        assert any(f.endswith(".labels.nii.gz") for f in results[0].mask_files)
        grade = results[0].values["grade"]
        qtbot.waitUntil(lambda: _grade_cell(workflow.worklist, other) == terms.grade(grade),
                        timeout=10_000)

        # Opened, the stored result is shown: the model is not run again.
        window.settings.set("ai.autorun", True)
        runs = []
        workflow.ai.running.connect(lambda on: on and runs.append(on))
        with qtbot.waitSignal(workflow.ai.result_ready, timeout=120_000):
            workflow.open_study(other)
        assert runs == [] and len(store.ai_results_of(other)) == 1
        assert workflow.ai.ai_result_id == results[0].id
        assert workflow.ai.result.labels.shape == window.volume.shape
        assert "stored" in workflow.ai.details.text()
        # "Run AI pre-read" reads it again on demand.
        with qtbot.waitSignal(workflow.ai.result_ready, timeout=120_000):
            window.actions["ai-run"].trigger()
        assert runs == [True] and len(store.ai_results_of(other)) == 2
    finally:
        workflow.stop()
    print(f"open {baseline_s:.2f} s without, {during_s:.2f} s during a background pre-read; "
          f"{rendered_while_running} frames rendered while it ran")


def test_the_queue_reads_in_order_and_a_stopped_setting_stops_it(qtbot, luch_home, shared_data):
    """Two real series queued (a 20-slice JPEG 2000 one, then a NIfTI crop): read in that
    order and stored; turned off, the queue and the worker go."""
    store = open_store()
    background = BackgroundPreread(store)
    order = []
    background.stored.connect(order.append)
    j2k = shared_data / "ct" / "siemens-j2k-abdomen"
    crop = shared_data / "ct" / "chest-crop-a.nii.gz"
    try:
        background.set_queue([("2.25.1", str(j2k)), ("2.25.2", str(crop))])
        assert background.states == {"2.25.1": RUNNING, "2.25.2": "pending"}
        assert background.wait_idle(300)
        assert order == ["2.25.1", "2.25.2"] and background.read_count == 2
        for uid in order:
            (result,) = store.ai_results_of(uid)
            assert result.values["grade"] and result.series_instance_uid
        background.set_queue([("2.25.3", str(j2k))])
        assert background.pid is not None
        background.enabled = False
        background.set_queue([("2.25.3", str(j2k))])
        assert background.states == {} and background.pid is None and not background.busy()
    finally:
        background.stop()


def test_worklist_marks_pending_and_running_pre_reads_without_colour_alone(qtbot):
    panel = WorklistPanel()
    qtbot.addWidget(panel)
    panel.set_rows([WorklistRow("1", "routine", "A", "20260101", "CT", "CT-3", "unread"),
                    WorklistRow("2", "routine", "B", "20260101", "CT", "", "unread",
                                preread="running"),
                    WorklistRow("3", "routine", "C", "20260101", "CT", "", "unread",
                                preread="pending"),
                    WorklistRow("4", "routine", "D", "20260101", "CT", "", "unread")])
    cells = [panel.table.item(r, 4) for r in range(4)]
    assert [c.text() for c in cells] == [
        "CT-3", "\u25d4 AI reading", "\u25cc AI queued", "—"]
    assert cells[0].font().bold()  # severe: bold as well as red
    assert "background" in cells[1].toolTip() and "pending" in cells[2].toolTip()
    assert panel.visible_study_uids() == ["1", "2", "3", "4"]


def test_a_stored_seg_from_elsewhere_is_reused_and_another_version_is_not(
        qtbot, luch_home, shared_data, tmp_path):
    """A result stored by something else (here: only a DICOM SEG and SR, as an import of the
    archive's pre-read would list) is shown on open without running the model; one of
    another model version is not: the model runs."""
    import shutil

    import pydicom

    from app.panels.ai_files import write_dicom_outputs
    from app.panels.ai_panel import AiPanel
    from inference.preread import analyze
    from studies import open_volume

    series = tmp_path / "series"  # 12 adjacent real slices: a short pre-read
    series.mkdir()
    files = sorted((shared_data / "ct" / "lidc-idri-0001").rglob("*.dcm"), key=lambda f: float(
        pydicom.dcmread(f, stop_before_pixels=True).ImagePositionPatient[2]))
    for f in files[60:72]:
        shutil.copy(f, series / f.name)
    volume = open_volume(series)
    uid = volume.info.study_instance_uid
    result = analyze(volume)
    seg, sr = write_dicom_outputs(result, volume, series)
    store = open_store()
    values = result.to_json()
    store.save_ai_result(uid, model_name="central", model_version="0.9+post1", values=values,
                         mask_files=[str(seg), str(sr)],
                         series_instance_uid=volume.info.series_instance_uid, sync=False)
    imported = store.save_ai_result(
        uid, model_name="central", model_version=result.model_version, values=values,
        mask_files=[str(seg), str(sr)], series_instance_uid=volume.info.series_instance_uid,
        sync=False)
    panel = AiPanel(store, "dr.a")
    qtbot.addWidget(panel)
    runs = []
    panel.running.connect(lambda on: on and runs.append(on))
    with qtbot.waitSignal(panel.result_ready, timeout=60_000) as shown:
        panel.open_study(volume, uid, source=series)
    assert runs == [] and panel.ai_result_id == imported
    assert (shown.args[0].labels == result.labels).all()  # from the SEG, on this grid
    assert panel.dicom_files == [seg, sr]
    # Only a result of another version: the model runs.
    with store.session() as s:
        s.delete(s.get(AIResult, imported))
    with qtbot.waitSignal(panel.result_ready, timeout=120_000):
        panel.open_study(volume, uid, source=series)
    (new,) = store.ai_results_of(uid, result.model_version)
    assert runs == [True] and panel.ai_result_id == new.id and new.model_name != "central"
    # Another study with nothing stored and no autorun: nothing of the last study's result
    # stays (its grade was shown, and "Accept" would have filled the new report with it).
    other = open_volume(series)
    panel.open_study(other, "2.25.4242", run=False)
    qtbot.wait(500)  # the lookup finds nothing stored
    assert panel.result is None and panel.grade.text() == "—"
    assert not panel.accept_button.isEnabled() and panel.run_button.isEnabled()


def test_a_stopped_worker_ends_with_its_station(qtbot, luch_home, shared_data):
    """The window (the queue's owner) goes while the worker is stopped: it is ended too."""
    from PySide6.QtCore import QCoreApplication, QEvent, QObject

    owner = QObject()
    background = BackgroundPreread(open_store(), owner)
    background.set_queue([("2.25.9", str(shared_data / "ct" / "siemens-j2k-abdomen"))])
    pid = background.pid
    background.hold("reader")
    qtbot.waitUntil(lambda: _stopped(pid), timeout=5000)
    owner.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    stat = Path(f"/proc/{pid}/stat")
    qtbot.waitUntil(lambda: not stat.exists(), timeout=10_000)  # killed and reaped
