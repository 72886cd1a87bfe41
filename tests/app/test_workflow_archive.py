"""The workflow with a real archive: the worklist from QIDO-RS, a study opened through the
image cache (audited), the next study prefetched; and a prior study offered for comparison."""

from __future__ import annotations

import itertools
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.cache import FetchCancelled, ImageCache
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from core.paths import DEMO_STUDY
from core.settings import Settings
from records import open_store
from studies import open_volume
from tests.app.signing import confirm_signing
from tests.archive.test_progressive import stacked_at_one_place
from viewer.compare import ComparisonLayout


def slow_archive(orthanc, link_proxy) -> DicomWebClient:
    """A client of ``orthanc`` through a proxy that delays each way by 0.1 s (a 200 ms
    round trip), one request at a time."""
    proxy = link_proxy(("127.0.0.1", orthanc.http_port), delay_s=0.1)
    return DicomWebClient(ArchiveConfig(url=f"http://127.0.0.1:{proxy.port}/dicom-web",
                                        user=orthanc.auth[0], password=orthanc.auth[1],
                                        parallel=1))


def make_station(qtbot, archive=None):
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    store = open_store()
    workflow = Workflow(window, store, reader="dr.home", report_lang="ru", archive=archive)
    window.resize(1400, 900)
    window.show()
    return window, workflow, store


def test_archive_worklist_open_and_prefetch(qtbot, luch_home, orthanc_factory, orthanc_ct):
    # An archive of its own: the session's Orthanc also holds other tests' studies, and which
    # study comes next on the worklist (the one prefetched) must be one of these.
    orthanc = orthanc_factory()
    orthanc.upload([f for files in orthanc_ct.values() for f in files])
    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    window, workflow, store = make_station(qtbot, client)
    uploaded = set(orthanc_ct)
    qtbot.waitUntil(lambda: uploaded <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    assert workflow.reachable is True
    assert "online" in workflow.online.text()

    first = workflow.worklist.visible_study_uids()[0]
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        workflow.open_study(first)
    assert window.volume.shape[0] == len(orthanc_ct[first])
    assert "Fetching" not in window.statusBar().currentMessage(), "a stale fetching message"
    events = store.audit_events(first)
    assert any(e.action == "opened" and e.detail.get("source") == "archive" for e in events)

    others = [u for u in workflow.worklist.visible_study_uids() if u != first]
    qtbot.waitUntil(lambda: workflow._prefetcher is not None
                    and workflow._image_cache().has_study(others[0]), timeout=120_000)
    workflow.stop()


def test_the_study_asked_for_last_is_the_one_that_opens(qtbot, luch_home, orthanc,
                                                       orthanc_ct):
    """A row clicked twice fetches once; another study asked for while the first is still
    coming is the one that opens: the first, fetched later, does not open over it (before,
    every click fetched and each fetch opened its study when it arrived)."""
    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    window, workflow, _store = make_station(qtbot, client)
    uploaded = set(orthanc_ct)
    qtbot.waitUntil(lambda: uploaded <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    first, second = sorted(uploaded, key=lambda u: -len(orthanc_ct[u]))  # the bigger first
    loaded = []
    window.volume_loaded.connect(lambda v: loaded.append(v.info.study_instance_uid))
    fetch = workflow.open_study(first)
    assert fetch is not None and workflow.open_study(first) is fetch, "a second fetch"
    ended = []
    fetch.cancelled.connect(lambda: ended.append("cancelled"))
    fetch.succeeded.connect(lambda _folder: ended.append("fetched"))
    workflow.open_study(second)
    qtbot.waitUntil(lambda: second in loaded, timeout=120_000)
    qtbot.waitUntil(lambda: bool(ended), timeout=120_000)
    qtbot.wait(500)
    assert loaded == [second], f"opened {loaded}"
    assert window.volume.info.study_instance_uid == second
    workflow.stop()


def test_a_partly_cached_study_says_so_on_the_worklist(qtbot, luch_home, orthanc,
                                                      orthanc_ct):
    """A fetch a dropped link left half done shows as such (the next open fetches the rest)."""
    client = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                          password=orthanc.auth[1]))
    study = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    stop = threading.Event()
    with pytest.raises(FetchCancelled):
        ImageCache().fetch_study(client, study, cancel=stop, workers=1,
                                 progress=lambda f: stop.set() if f >= 0.25 else None)
    cached = ImageCache().study_state(study).cached
    _window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    panel = workflow.worklist
    row = next(r for r in range(panel.table.rowCount())
               if panel.table.item(r, 5).data(Qt.ItemDataRole.UserRole) == study)
    assert panel.table.item(row, 5).toolTip().endswith(f"partly cached ({cached} of 20 images)")
    others = [r for r in range(panel.table.rowCount()) if r != row]
    assert not any("partly" in panel.table.item(r, 5).text() for r in others)
    workflow.stop()


def test_a_slow_fetch_shows_progress_keeps_the_ui_live_and_can_be_cancelled(
        qtbot, luch_home, orthanc, orthanc_ct, link_proxy):
    """Over a slow link (a 200 ms round trip, one request at a time) the fetch runs off the
    UI thread: the status bar shows its progress and Cancel; the event loop never stalls;
    Cancel stops it, and the study then shows as partly cached."""
    study = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    client = slow_archive(orthanc, link_proxy)
    window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    workflow.open_study(study)
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    qtbot.waitUntil(lambda: window.progress.value() >= 20, timeout=60_000)
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=30_000)
    # The worker's "cancelled" reaches each listener as its own queued call: the bar may
    # hide one event before the flow answers (fresh-clone CI saw the check fall between).
    qtbot.waitUntil(lambda: "stopped" in window.statusBar().currentMessage(), timeout=5_000)
    timer.stop()
    state = ImageCache().study_state(study)
    assert state.partial and 0 < state.cached < 20
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert len(ticks) > 20 and max(gaps) < 1.0, f"the UI stalled for {max(gaps):.2f} s"
    panel = workflow.worklist
    qtbot.waitUntil(lambda: any("partly cached" in panel.table.item(r, 5).toolTip()
                                for r in range(panel.table.rowCount())), timeout=30_000)
    # In the cell a mark, the note in the tooltip: the long note was cut to "unr…ages)".
    assert any(panel.table.item(r, 5).text() == "unread ◐"
               for r in range(panel.table.rowCount()))
    workflow.stop()


def test_an_archive_study_opens_at_its_middle_slice_and_fills_in(
        qtbot, luch_home, orthanc, orthanc_ct, link_proxy):
    """Progressive open over a slow link: the study is on screen before it is whole, a slice
    not yet here says so (grey, not black), the reading and AI start only when it is whole,
    and the volume is then the loader's of the cached files."""
    study = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    client = slow_archive(orthanc, link_proxy)
    window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    announced: list = []
    window.volume_loaded.connect(announced.append)
    workflow.open_study(study)
    qtbot.waitUntil(lambda: window.volume is not None, timeout=60_000)
    assert workflow.worklist_flow._fetch_task is not None, "shown before it was whole"
    assert not announced, "the reading (and AI) must wait for the whole study"
    axial = next(v for v in window.reading.views if v.plane.name == "axial")
    assert axial.acquired_index() == 10 and axial.note_text() == ""  # the middle is here
    axial.set_slice_index(0)  # an end slice comes last
    k = axial.acquired_index()
    assert k in (0, 19) and not bool(axial.arrived[k]), "the link was too fast to look"
    assert axial.note_text() == "This slice has not arrived yet"
    assert (window.volume.voxels[k] == 0).all()  # 0 HU: grey in any window, not black
    reformats = [v for v in window.reading.views if v.plane.name != "axial"]
    assert reformats and all(v._pending.active for v in reformats)  # missing slices hatched
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        pass
    assert announced == [window.volume] and axial.note_text() == ""
    assert not any(v._pending.active for v in window.reading.views)
    folder = ImageCache().study_dir(study)
    assert np.array_equal(window.volume.voxels, open_volume(folder).voxels)
    assert window.current_path == folder
    # The series browser lists the whole series (listed while arriving, it said 63 of 141
    # slices for the rest of the reading).
    browser = window.series_browser

    def labels() -> list[str]:
        return [browser.item(n).text() for n in range(browser.count())]
    qtbot.waitUntil(lambda: bool(labels()), timeout=60_000)
    assert any("20x" in label for label in labels()), labels()
    workflow.stop()


def test_the_report_is_the_arriving_studys_from_its_first_image(
        qtbot, luch_home, orthanc, orthanc_ct, link_proxy):
    """While a study arrives (its images already on screen) the report and the AI panel are
    that study's, not the last study's: what the reader dictates then goes into the right
    report and stays when the study is whole (it went into the previous patient's report)."""
    study = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    client = slow_archive(orthanc, link_proxy)
    window, workflow, _store = make_station(qtbot, client)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.open_path(DEMO_STUDY)
    last = workflow.study_uid
    form = workflow.report.form
    form.set_value("conclusion", "the last patient's conclusion")
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    workflow.open_study(study)
    qtbot.waitUntil(lambda: window.volume is not None
                    and window.volume.info.study_instance_uid == study, timeout=60_000)
    assert workflow.worklist_flow._fetch_task is not None, "the link was too fast to look"
    assert workflow.study_uid == study != last
    assert workflow.report.study_uid == study
    assert form.values().get("conclusion", "") == ""
    assert workflow.ai.result is None and not workflow.ai.run_button.isEnabled()
    assert "whole study" in workflow.ai.details.text()
    # On screen now, whatever happens to the fetch: the access is audited, once.
    assert [e.action for e in _store.audit_events(study)].count("opened") == 1
    form.set_value("conclusion", "dictated while it arrived")
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        pass
    assert workflow.report.study_uid == study
    assert form.values()["conclusion"] == "dictated while it arrived"
    assert workflow.ai.run_button.isEnabled()  # whole now: the reader may run it
    assert [e.action for e in _store.audit_events(study)
            if e.detail.get("source") != "archive"].count("opened") == 1
    workflow.stop()


def test_a_study_it_cannot_stream_is_fetched_whole_and_opened_as_before(
        qtbot, luch_home, orthanc_factory, shared_data, tmp_path):
    server = orthanc_factory()
    study, files = stacked_at_one_place(shared_data, tmp_path)
    server.upload(files)
    client = DicomWebClient(ArchiveConfig(url=server.dicomweb_url, user=server.auth[0],
                                          password=server.auth[1]))
    window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    folder = ImageCache().study_dir(study)
    workflow.open_study(study)
    qtbot.waitUntil(lambda: window.current_path == folder, timeout=60_000)
    assert ImageCache().has_study(study)
    assert "unreachable" not in window.statusBar().currentMessage()
    workflow.stop()


def test_dead_archive_leaves_a_working_offline_station(qtbot, luch_home):
    dead = DicomWebClient(ArchiveConfig(url="http://127.0.0.1:9/dicom-web", timeout_s=2))
    _window, workflow, _store = make_station(qtbot, dead)
    qtbot.waitUntil(lambda: workflow.reachable is False, timeout=30_000)
    assert "offline" in workflow.online.text()
    uid = workflow.add_local_study(DEMO_STUDY)
    assert uid in workflow.worklist.visible_study_uids(), "local studies stay readable"


def test_a_prior_in_the_archive_is_fetched_and_compared(qtbot, luch_home, orthanc_factory,
                                                       shared_data):
    """The patient's earlier study is on the archive's worklist but not on the station:
    Ctrl+P fetches it (audited) and compares (it said no earlier study was on the station
    while the worklist showed it a row above)."""
    import pydicom

    server = orthanc_factory()
    files = sorted((shared_data / "covid-slices" / "A027284").rglob("*.dcm"))
    server.upload(files)
    dates = {str(pydicom.dcmread(f, stop_before_pixels=True).StudyDate):
             str(pydicom.dcmread(f, stop_before_pixels=True).StudyInstanceUID) for f in files}
    earlier, later = (dates[d] for d in sorted(dates))
    client = DicomWebClient(ArchiveConfig(url=server.dicomweb_url, user=server.user,
                                          password=server.password))
    window, workflow, store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: {earlier, later} <= set(workflow.worklist.visible_study_uids()),
                    timeout=30_000)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(later)
    assert workflow.study_flow.prior_uid == earlier and workflow.prior_path is None
    assert "in the archive" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.prior_loaded, timeout=120_000):
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(window.reading, ComparisonLayout)
    assert window.reading.prior.volume.info.study_instance_uid == earlier
    assert any(e.action == "opened" for e in store.audit_events(earlier))
    workflow.stop()


def test_prior_study_of_the_patient_is_offered_and_compared(qtbot, luch_home, shared_data):
    window, workflow, store = make_station(qtbot)
    current = workflow.add_local_study(DEMO_STUDY)
    prior_path = shared_data / "ct" / "lidc-idri-0003"
    # The same patient scanned a year earlier (records say so; the files are another study).
    store.upsert_study("1.2.826.0.1.3680043.10.99.1", patient_id="LIDC-IDRI-0001",
                       study_date="19990101", local_path=str(prior_path))
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(current)
    assert workflow.prior_path == prior_path
    assert "01.01.1999" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.prior_loaded, timeout=120_000):
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        assert isinstance(window.reading, ComparisonLayout)  # at once, the prior loading
    assert window.reading.prior.volume.shape[0] == 140
    # The offer ("Ctrl+P compares") is gone: it stood over the status for the whole read.
    assert window.statusBar().currentMessage() == ""
    assert "Prior study aligned" in window.status_label.text()
    # The files are another patient's (LIDC-IDRI-0003): the reader is warned.
    assert window.reading.warning.isVisible() and "LIDC-IDRI-0003" in window.reading.warning.text()
    assert "Prior · " in window.reading.headers[1].text()


def test_anonymize_hides_names_in_the_worklist_and_the_views(qtbot, luch_home):
    window, workflow, _store = make_station(qtbot)
    workflow.add_local_study(DEMO_STUDY)
    assert workflow.worklist.table.item(0, 1).text() == "LIDC-IDRI-0001"
    window.actions["anonymize"].trigger()
    assert workflow.worklist.table.item(0, 1).text() != "LIDC-IDRI-0001"
    assert all(view.anonymize for view in window.reading.views)


def test_templates_from_the_menu_and_by_voice(qtbot, luch_home):
    from dictation.commands import Command
    from dictation.session import DictationEvent

    window, workflow, _ = make_station(qtbot)
    workflow.report.begin("1.2.826.0.1.3680043.10.1.9")
    window.actions["template-normal"].trigger()
    values = workflow.report.form.values()
    assert values["grade"] == "CT-0" and values["covid_probability"] == "none"
    assert values["conclusion"] == "КТ-признаков вирусной пневмонии не выявлено."  # ru report
    workflow.dictation._event.emit(DictationEvent(
        "final", commands=(Command("insert_template", "covid"),)))
    qtbot.waitUntil(lambda: workflow.report.form.values().get("covid_probability") == "high")
    assert workflow.report.form.values()["distribution_side"] == "bilateral"
    # a template's text is replaced by the next template's
    assert workflow.report.form.values()["conclusion"].startswith("КТ-картина")


def test_the_normal_template_clears_the_signs_and_keeps_the_readers_own_words(qtbot, luch_home):
    """Accepted AI values (bilateral, ground glass) then the normal template: a normal report
    must not still say "bilateral ground glass", and the conclusion the reader typed stays."""
    window, workflow, _ = make_station(qtbot)
    workflow.report.begin("1.2.826.0.1.3680043.10.1.9")
    form = workflow.report.form
    for key, value in {"distribution_side": "bilateral",
                       "main_signs": ["ggo_irregular", "consolidation"],
                       "additional_findings": ["fibrosis"], "lower_lobe": True, "grade": "CT-1",
                       "conclusion": "Солитарный узел левого лёгкого."}.items():
        form.set_value(key, value)
    window.actions["template-normal"].trigger()
    values = form.values()
    assert values["grade"] == "CT-0"
    assert not values.get("distribution_side") and not values.get("main_signs")
    assert not values.get("additional_findings") and not values.get("lower_lobe")
    assert values["conclusion"] == "Солитарный узел левого лёгкого."
    assert "Conclusion" in window.statusBar().currentMessage()  # the UI of the tests is English
    text = workflow.report.protocol.render(values, "ru")
    assert "двусторонн" not in text and "матового" not in text


def test_sign_and_open_next(qtbot, luch_home, shared_data):
    window, workflow, store = make_station(qtbot)
    first = workflow.add_local_study(DEMO_STUDY)
    second = workflow.add_local_study(shared_data / "ct" / "lidc-idri-0003")
    order = workflow.worklist.visible_study_uids()
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(order[0])
    workflow.insert_template("normal")
    confirm_signing(qtbot)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        window.actions["sign-next"].trigger()
    assert workflow.study_uid == order[1]
    assert {first, second} == set(order)
    assert store.reports_for_study(order[0])[0].status.value == "final"


def test_the_status_line_belongs_to_the_study_on_screen(qtbot, luch_home, shared_data):
    """"Unsigned draft restored" of one study stood under the next one, which had none."""
    window, workflow, _ = make_station(qtbot)
    workflow.add_local_study(DEMO_STUDY)
    workflow.add_local_study(shared_data / "ct" / "lidc-idri-0003")
    order = workflow.worklist.visible_study_uids()
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(order[0])
    workflow.report.form.set_value("conclusion", "Draft words.")
    workflow.report.save_now()
    for uid, message in ((order[1], ""), (order[0], "Unsigned draft restored"), (order[1], "")):
        with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
            workflow.open_study(uid)
        assert window.statusBar().currentMessage() == message


def test_the_views_are_updated_in_place_while_a_study_arrives_and_resumes(
        qtbot, luch_home, orthanc, orthanc_ct, link_proxy, monkeypatch):
    """From the first image to the whole study no view or layout is built again: the slices
    that come in are drawn in the views on screen. A fetch stopped and asked for again goes
    on in the same views and volume (the reader's slice kept, the slices already decoded not
    decoded again); it rebuilt the layout over a new volume."""
    from app.shell.main_window import MainWindow
    from viewer.layouts import ReadingLayout
    from viewer.slice_view import SliceView

    study = next(u for u, f in orthanc_ct.items() if len(f) == 20)
    client = slow_archive(orthanc, link_proxy)
    window, workflow, _store = make_station(qtbot, client)
    qtbot.waitUntil(lambda: study in workflow.worklist.visible_study_uids(), timeout=30_000)
    workflow.open_study(study)
    qtbot.waitUntil(lambda: window.volume is not None, timeout=60_000)
    volume, views = window.volume, list(window.reading.views)
    built: list[str] = []

    def counting(cls, name: str):
        method = getattr(cls, name)

        def counted(self, *args, **kwargs):
            built.append(f"{cls.__name__}.{name}")
            return method(self, *args, **kwargs)
        return counted

    for cls, name in ((SliceView, "__init__"), (ReadingLayout, "__init__"),
                      (SliceView, "set_volume"), (MainWindow, "_install_layout")):
        monkeypatch.setattr(cls, name, counting(cls, name))
    axial = next(v for v in views if v.plane.name == "axial")
    axial.set_slice_index(12)
    first = workflow.worklist_flow._fetch_task
    qtbot.waitUntil(lambda: int(volume_arrived(window).sum()) >= 13, timeout=60_000)
    with qtbot.waitSignal(first.cancelled, timeout=60_000):
        window.cancel_loading()
    assert not volume_arrived(window).all(), "the link was too fast to stop it"
    decoded = int(volume_arrived(window).sum())
    with qtbot.waitSignal(window.volume_loaded, timeout=120_000):
        workflow.open_study(study)  # asked for again: the fetch goes on
    assert built == [], built
    assert window.volume is volume and list(window.reading.views) == views
    assert axial.slice_index == 12
    assert np.array_equal(volume.voxels, open_volume(ImageCache().study_dir(study)).voxels)
    assert decoded > 1
    workflow.stop()


def volume_arrived(window) -> np.ndarray:
    """Which slices of the study on screen are in its volume (all, once it is whole)."""
    views = [v for v in window.reading.views if v.arrived is not None]
    return views[0].arrived if views else np.ones(1, dtype=bool)
