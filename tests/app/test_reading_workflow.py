"""The day of a radiologist, end to end, with real parts: a study from the worklist, the AI
pre-fill, dictation through the audio layer, signing, and the SR arriving in a real Orthanc."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PySide6.QtCore import Qt

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from core.paths import DEMO_STUDY
from core.settings import Settings
from dictation.engines import create_recognizer
from dictation.session import DictationSession
from dictation.transcribe import read_audio
from dictation.transcript import DictationProcessor
from dictation.wer import word_error_rate
from records import open_store
from tests.app.signing import confirm_signing
from tests.app.windows import archive_station

# The real human voice of ../shared/data/speech/digits-en-16k.wav, as dictation writes it.
DIGITS = "1 0 0 0 1 9 0 2 1 0 0 1 8 0 3"


@pytest.fixture
def archive(orthanc_factory):
    """A private, empty archive: what this test sends is all that is there."""
    return orthanc_factory()


@pytest.fixture
def station(qtbot, luch_home, archive, pulse_mic):
    orthanc = archive
    store = open_store()
    archive = DicomWebClient(ArchiveConfig(url=orthanc.dicomweb_url, user=orthanc.auth[0],
                                           password=orthanc.auth[1]))

    def session_factory(on_event, hands_free=True):
        return DictationSession(create_recognizer("pocketsphinx"), DictationProcessor("en"),
                                on_event, device=pulse_mic.device, hands_free=hands_free)

    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, store, reader="dr.test", ui_lang="en", report_lang="en",
                        session_factory=session_factory, archive=archive)
    window.resize(1400, 900)
    window.show()
    yield window, workflow, store
    workflow.dictation.stop()
    workflow.ai.cancel()


def test_worklist_to_signed_report_in_the_archive(station, qtbot, archive, pulse_mic,
                                                 shared_data):
    orthanc = archive
    window, workflow, store = station
    uid = workflow.add_local_study(DEMO_STUDY)

    # Open the study from the worklist with the keyboard.
    table = workflow.worklist.table
    assert uid in workflow.worklist.visible_study_uids()
    workflow.worklist.select_study(uid)
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=180_000):
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.volume is not None and window.volume.shape == (67, 256, 256)
    assert window.overlay_layers, "the AI label map is drawn over the CT"
    # The demo chest's solitary nodule is not graded; the panel's link puts the crosshair on it.
    link = re.search(r'href="(voxel:[0-9,]+)"', workflow.ai.findings.text())
    assert link, workflow.ai.result_json["quality_flags"]
    workflow.ai.findings.linkActivated.emit(link.group(1))
    ijk = np.array([float(x) for x in link.group(1)[6:].split(",")])
    assert 43 <= ijk[2] <= 47
    assert np.allclose(window.reading.views[0].cursor, window.volume.index_to_lps(ijk))

    # Accept the AI values: the grade is pre-filled from the AI.
    ai_grade = workflow.ai.result_json["grade"]
    assert ai_grade.startswith("CT-")
    qtbot.mouseClick(workflow.ai.accept_button, Qt.MouseButton.LeftButton)
    form = workflow.report.form
    assert form.values()["grade"] == ai_grade

    # Dictate into a field through the microphone (PulseAudio pipe source -> sounddevice).
    form.focus_field("recommendations")
    speech = read_audio(shared_data / "speech" / "digits-en-16k.wav")
    qtbot.mouseClick(workflow.dictation.record, Qt.MouseButton.LeftButton)
    session = workflow.dictation.session
    assert session is not None
    heard_before = session.capture.captured_bytes
    pulse_mic.play(speech)
    pulse_mic.play(np.zeros(16000, np.int16))
    assert pulse_mic.wait_played(30)
    # Dictation stops only once all that was said has reached the app (the microphone runs
    # in real time; 1 s of silence after the words covers the audio path's latency), the
    # recogniser has taken it, and the words are in the field. Stopping sooner cut the last
    # digit group off (the flake of 2026-12-06).
    said = 2 * (len(speech) + 16000)
    qtbot.waitUntil(lambda: session.capture.captured_bytes - heard_before >= said,
                    timeout=15_000)
    qtbot.waitUntil(lambda: len(session.queue) == 0, timeout=30_000)
    qtbot.waitUntil(lambda: bool(form.values().get("recommendations")), timeout=30_000)
    qtbot.mouseClick(workflow.dictation.record, Qt.MouseButton.LeftButton)  # stop: flushes
    qtbot.wait(500)
    assert session.capture.overflows == 0, "the microphone's audio overflowed: words lost"
    dictated = form.values()["recommendations"]
    # The voice reached the field through the real microphone path; accuracy itself is
    # measured in benchmarks/dictation.py.
    assert word_error_rate(DIGITS, dictated) <= 0.3, dictated

    # The audio is kept as FLAC with its word times, on record for the study.
    from sqlalchemy import select

    from dictation.recording import DictationRecording
    from records.models import Dictation

    with store.session() as s:
        kept = s.scalars(select(Dictation)).all()
        assert len(kept) == 1 and kept[0].timings
        audio_path, words = kept[0].audio_path, len(kept[0].timings)
    saved = DictationRecording.load(audio_path)
    assert saved.duration >= 8.0 and len(saved.words) == words

    # Sign: the preview is confirmed, a final version is stored and its SR reaches the
    # archive exactly once.
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed, timeout=10_000) as signed:
        qtbot.mouseClick(workflow.report.sign_button, Qt.MouseButton.LeftButton)
    record = signed.args[0]
    assert record.status.value == "final" and record.fields["grade"] == ai_grade
    deadline = time.monotonic() + 60
    while record.sop_instance_uid not in orthanc.sop_instance_uids():
        assert time.monotonic() < deadline, "the signed report never reached the archive"
        qtbot.wait(250)
    assert orthanc.store_counts()[record.sop_instance_uid] == 1
    qtbot.waitUntil(lambda: store.outbox_counts()["pending"] == 0, timeout=10_000)

    # The verdict on the AI and every access are on record.
    feedback = store.ai_result(workflow.ai.ai_result_id)
    assert feedback.values["grade"] == ai_grade
    actions = [e.action for e in store.audit_events(uid)]
    assert "opened" in actions and "signed" in actions


def _archived(orthanc, client, study_uid: str, sop_uid: str):
    """The instance as the archive returns it."""
    from archive.dicomweb import read_dataset, tag_value

    item = next(i for i in client.search_instances(study_uid)
                if tag_value(i, "00080018") == sop_uid)
    return read_dataset(client.retrieve_instance(study_uid, tag_value(item, "0020000E"),
                                                 sop_uid))


def test_signed_report_sends_the_ai_pre_read_with_the_verdict(qtbot, luch_home, archive):
    """The AI pre-read stays local until a report on its study is signed; then its flat SR,
    with the reader's verdict, and its SEG and TID 1500 SR reach the archive exactly once
    (an amendment adds no resend)."""
    from records.outbox import KIND_AI_RESULT
    from records.sr import ai_result_sop_instance_uid, read_ai_verdicts

    orthanc = archive
    window, workflow, uid = archive_station(qtbot, orthanc, DEMO_STUDY)
    store, client = workflow.store, workflow.archive
    with qtbot.waitSignal(workflow.ai.result_ready, timeout=180_000):
        window.actions["ai-run"].trigger()
    ai_id = workflow.ai.ai_result_id
    assert ai_id is not None
    workflow.ai.accept()
    workflow.report.form.set_value("conclusion", "Checked")
    # Pre-read and accepted, not signed: nothing of it is queued.
    assert not [j for j in store.jobs() if j.kind == KIND_AI_RESULT]
    # Its DICOM SEG and TID 1500 SR are written under LUCH_HOME, listed with the result.
    files = [Path(f) for f in store.ai_result(ai_id).mask_files]
    # (and its label map, to show the result when the study is opened again)
    dicom = [f for f in files if f.suffix == ".dcm"]
    assert [f.name.rsplit(".", 2)[1] for f in dicom] == ["seg", "sr"]
    assert [f for f in files if f.name.endswith(".labels.nii.gz")] == [files[0]]
    assert all(f.is_relative_to(luch_home) for f in files)
    seg_uid, tid_uid = (str(pydicom.dcmread(f, stop_before_pixels=True).SOPInstanceUID)
                        for f in dicom)
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed, timeout=10_000) as signed:
        workflow.report.sign()
    assert signed.args[0].status.value == "final"
    assert [j.object_pk for j in store.jobs() if j.kind == KIND_AI_RESULT] == [ai_id]

    sr_uid = ai_result_sop_instance_uid(store.ai_result(ai_id).uid)
    qtbot.waitUntil(lambda: sr_uid in orthanc.sop_instance_uids(), timeout=60_000)
    qtbot.waitUntil(lambda: store.outbox_counts()["pending"] == 0, timeout=10_000)
    # A sign during a running drain is not drained until the next sync: let this one end.
    qtbot.waitUntil(lambda: workflow.archive_link._sync_task is None, timeout=30_000)
    sr = _archived(orthanc, client, uid, sr_uid)
    assert sr.StudyInstanceUID == uid
    assert [(v["reader"], v["verdict"]) for v in read_ai_verdicts(sr)] == [
        ("Petrov^P.P.", "agree")]
    # The pre-read's DICOM SEG and TID 1500 SR went with it; the archive holds them now, so
    # the local copies are gone. Its label map (never sent) stays, so the signed study
    # opened again shows its pre-read without reading the study again.
    assert not any(f.exists() for f in dicom)
    assert [f.exists() for f in files if f not in dicom] == [True]
    seg = _archived(orthanc, client, uid, seg_uid)
    assert seg.Modality == "SEG" and seg.StudyInstanceUID == uid
    labels = [s.SegmentLabel for s in seg.SegmentSequence]
    assert labels[2:4] == ["Ground-glass opacity", "Consolidation"]
    assert len(labels) == 4 + len(workflow.ai.result.foci)  # and a segment per solid focus
    tid = _archived(orthanc, client, uid, tid_uid)
    assert tid.ContentTemplateSequence[0].TemplateIdentifier == "1500"
    counts = orthanc.store_counts()
    assert [counts[u] for u in (sr_uid, seg_uid, tid_uid)] == [1, 1, 1]

    # An amendment with another grade: a partial verdict is recorded, no second AI job.
    grade = workflow.report.form.values()["grade"]
    other = "CT-4" if grade != "CT-4" else "CT-3"
    assert workflow.report.start_addendum("Grade revised on review")
    workflow.report.form.set_value("grade", other)
    confirm_signing(qtbot)
    with qtbot.waitSignal(workflow.report.signed, timeout=10_000) as amended:
        workflow.report.sign()
    assert amended.args[0].status.value == "amended"
    assert [f.verdict.value for f in store.ai_feedback(ai_id)] == ["agree", "partly"]
    assert [j.object_pk for j in store.jobs() if j.kind == KIND_AI_RESULT] == [ai_id]
    qtbot.waitUntil(lambda: amended.args[0].sop_instance_uid in orthanc.sop_instance_uids(),
                    timeout=60_000)
    counts = orthanc.store_counts()
    assert [counts[u] for u in (sr_uid, seg_uid, tid_uid)] == [1, 1, 1]
    workflow.ai.cancel()


def test_dictation_started_from_the_images_lands_in_the_additional_text(
        station, qtbot, pulse_mic, shared_data):
    """Dictation started with the keys on the images, no field chosen yet, through the real
    microphone path: the words went nowhere ("Choose a field to dictate into"); they land
    in the additional text, highlighted as dictated into."""
    window, workflow, _store = station
    window.settings.set("ai.autorun", False)
    uid = workflow.add_local_study(DEMO_STUDY)
    with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
        workflow.open_study(uid)
    window.focus_image()
    form = workflow.report.form
    assert form.current is None  # no field chosen
    messages: list[str] = []
    workflow.dictation.message.connect(messages.append)
    qtbot.mouseClick(workflow.dictation.record, Qt.MouseButton.LeftButton)
    session = workflow.dictation.session
    assert session is not None and form.current == "free_text"
    pulse_mic.play(read_audio(shared_data / "speech" / "digits-en-16k.wav"))
    pulse_mic.play(np.zeros(16000, np.int16))
    assert pulse_mic.wait_played(30)
    text = workflow.report.free_text
    qtbot.waitUntil(lambda: len(text.toPlainText().split()) >= 12, timeout=60_000)
    qtbot.mouseClick(workflow.dictation.record, Qt.MouseButton.LeftButton)  # stop: flushes
    qtbot.wait(500)
    assert word_error_rate(DIGITS, text.toPlainText()) <= 0.3, text.toPlainText()
    assert not any("Choose a field" in m for m in messages)
