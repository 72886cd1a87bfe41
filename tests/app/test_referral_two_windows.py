"""Issue 21 end to end with two windowed stations: each a separate process with Luch's main
window (offscreen Qt), its own LUCH_HOME and login, against one real Orthanc holding a real
chest CT, driven through the widgets (tests/app/referral_window_station.py).

1. the reader (``reader.a``, Clinic 1) opens the study from the worklist, signs its report
   (the form's grade chosen by keys, the conclusion clicked into and typed; Report > Sign
   report, the preview's Sign button) and
   asks RC for a second opinion from the Report menu's dialog (urgency chosen by keys, OK);
2. the expert (``expert.e`` of RC) refreshes the queue, double-clicks the request (its
   images open), reads blind, saves the own read (the first grade shows only then), scores
   3 and signs; the station's sync of the review is killed by SIGKILL right after the
   archive stored it, and the station, started again, sends what was left (Sync now);
3. the reader's station, started again, fetches the review on the worklist's refresh: the
   notice in the status bar, clicked, lists the study under the "Reviewed" filter, marked;
   the study clicked, Report > Answer the review shows the two reports side by side (the
   grades differ) and the reader disputes it (a comment typed, Dispute clicked);
4. the expert's station, started again, lists the dispute on the queue's refresh.
The report, the request, the review and the dispute are each in the archive once.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pydicom
import pytest

from tests.records.conftest import PROJECT_ROOT

DIRECTORY = {"reader.a": {"name": "Dr A. Reader", "centre": "Clinic 1"},
             "expert.e": {"name": "Dr E. Expert", "centre": "RC", "expert": True}}


def _phase(home: Path, login: str, server, phase: str, study: str,
           killed: bool = False) -> dict:
    """One phase's process and what it told; ``killed``: its sync dies by SIGKILL right
    after the archive stored the batch."""
    env = {**os.environ, **({"DIE_AFTER_STORE": "1"} if killed else {}),
           "LUCH_HOME": str(home), "USER": login, "LOGNAME": login,
           "LUCH_ARCHIVE_URL": server.dicomweb_url, "LUCH_ARCHIVE_USER": server.user,
           "LUCH_ARCHIVE_PASSWORD": server.password, "PYTHONPATH": str(PROJECT_ROOT),
           "QT_QPA_PLATFORM": "offscreen", "LUCH_LANG": "en"}
    env.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")
    done = subprocess.run([sys.executable, "-m", "tests.app.referral_window_station", phase,
                           study], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == (-signal.SIGKILL if killed else 0) and lines, (
        phase, done.returncode, done.stdout[-2000:], done.stderr[-3000:])
    return json.loads(lines[-1][len("RESULT "):])


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_windowed_stations_meet_in_the_archive(orthanc_factory, tmp_path: Path,
                                                   shared_data: Path) -> None:
    server = orthanc_factory()
    ct = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:12]
    server.upload(ct)
    head = pydicom.dcmread(ct[0], stop_before_pixels=True)
    study = str(head.StudyInstanceUID)
    homes = {"reader.a": tmp_path / "clinic", "expert.e": tmp_path / "reference"}
    for home in homes.values():
        home.mkdir()
        (home / "settings.json").write_text(json.dumps({
            "referral.directory": DIRECTORY, "referral.reference_centre": "RC",
            "ai.autorun": False}), encoding="utf-8")
    asked = _phase(homes["reader.a"], "reader.a", server, "request", study)
    assert (asked["addressed_to"], asked["urgency"], asked["centre"]) == (
        "RC", "urgent", "Clinic 1")
    fields = asked["report_fields"]  # signed in the window, the centre kept at signing
    assert (fields["grade"], fields["_centre"]) == ("CT-1", "Clinic 1")
    assert fields["conclusion"] == "first-read secret"  # clicked into and typed
    assert asked["dialog"]["urgency"] == "urgent"
    assert "Second opinion requested" in asked["said"]

    reviewed = _phase(homes["expert.e"], "expert.e", server, "review", study, killed=True)
    assert reviewed["queue"][0] == "urgent" and reviewed["queue"][5] == "RC"
    assert reviewed["study"] == study  # its images opened with the request
    assert "first-read secret" not in reviewed["blind"] and "CT-1" not in reviewed["blind"]
    assert "CT-1" in reviewed["after_own_read"]  # blind first, then compare
    assert (reviewed["score"], reviewed["grade"]) == (3, "CT-3")
    resumed = _phase(homes["expert.e"], "expert.e", server, "sync", study)
    assert resumed["left"] == ["referral_review"], resumed  # stored, killed before marked

    told = _phase(homes["reader.a"], "reader.a", server, "feedback", study)
    assert told["notice"].endswith("Reviews to answer: 1")
    assert any("New reviews of your reports: 1 (scores: 3)" in m for m in told["said"])
    assert (told["filter"], told["visible"]) == ("reviewed", [study])
    assert any(name.startswith("Grade") and name.endswith("≠") for name in told["compared"])
    assert told["answers"] == [["reader.a", "dispute", "Consolidation not seen"]]

    assert "⚑" in told["marker"] and "score 3" in told["tooltip"]

    seen = _phase(homes["expert.e"], "expert.e", server, "disputes", study)
    assert seen["disputes"] == ["Dr A. Reader disputes your review: Consolidation not seen"]

    counts = server.store_counts()
    assert counts[asked["uid"]] == counts[reviewed["sop"]] == 1
    assert counts[asked["report_sop"]] == 1
    assert max(counts.values()) == 1  # every object in the archive once, the dispute too
