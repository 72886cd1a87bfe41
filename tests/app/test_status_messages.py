"""Messages of the report and of dictation are about the study being read: they go when
another study opens, and after a while."""

from __future__ import annotations

from app.workflow import SAID_MS
from tests.app import windows


def test_a_dictation_message_does_not_stand_on_the_next_study(qtbot, luch_home, shared_data):
    """Walkthrough: "“35%.” does not fit this field" stood in the status bar on the next
    study opened, which it is not about."""
    window, workflow = windows.station(qtbot, "dr.status")
    windows.open_demo(qtbot, window)
    said = "“35%.” does not fit this field"
    workflow.dictation.message.emit(said)
    assert window.statusBar().currentMessage() == said
    assert SAID_MS <= 30_000, "a message of the moment stays for good"
    workflow.report.message.emit("AI findings inserted into the report")
    windows.open_demo(qtbot, window, shared_data / "ct" / "chest-crop-a.nii.gz")
    assert window.statusBar().currentMessage() != "AI findings inserted into the report"
    # Said of the study now open: it stays.
    workflow.dictation.message.emit(said)
    windows.open_demo(qtbot, window, shared_data / "ct" / "chest-crop-a.nii.gz")
    assert window.statusBar().currentMessage() in (said, "")
