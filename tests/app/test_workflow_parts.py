"""The workflow's parts share one state through :class:`app.workflow.Workflow`: what is set on
it (a new archive from the settings, a player, the study) is what every part uses."""

from __future__ import annotations

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from core.settings import Settings
from records import open_store
from tests.app.test_playback import RecordingPlayer


def make_workflow(qtbot) -> Workflow:
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    return Workflow(window, open_store(), reader="dr.parts")


def test_an_archive_set_after_start_is_the_one_the_worklist_and_sync_use(qtbot, luch_home):
    workflow = make_workflow(qtbot)
    assert workflow.reachable is None and "offline" in workflow.online.text()
    assert workflow.sync() is None  # offline: nothing to drain to
    # Settings saved with an archive address (luch open does this): the parts see it at once.
    workflow.archive = DicomWebClient(ArchiveConfig(url="http://127.0.0.1:9/dicom-web",
                                                    timeout_s=2))
    workflow.refresh_worklist()
    qtbot.waitUntil(lambda: workflow.reachable is False, timeout=30_000)
    assert "offline" in workflow.online.text()
    assert "Archive unreachable" in workflow.window.statusBar().currentMessage()
    task = workflow.sync()
    assert task is not None
    qtbot.waitUntil(task.done.is_set, timeout=30_000)


def test_the_player_set_on_the_workflow_is_the_one_the_transport_plays(qtbot, luch_home):
    from tests.app.test_playback import ten_seconds

    workflow = make_workflow(qtbot)
    player = RecordingPlayer()
    workflow.player = player
    recording = ten_seconds()
    workflow.dictation.recorded.emit(recording, "PocketSphinxRecognizer")  # a session ended
    assert player.last is recording  # kept for "play back" by the dictation glue
    workflow.play_back()  # F10: the transport plays it on this player
    assert player.sounded == [(0.0, 10.0)]
    player.now += 2.0
    workflow.rewind()
    assert player.sounded[-1] == (0.0, 10.0)  # 2 s - 3 s: from the start again
    workflow.study_uid = "1.2.826.0.1.3680043.10.1.5"
    assert workflow.study_flow.study_uid == "1.2.826.0.1.3680043.10.1.5"
