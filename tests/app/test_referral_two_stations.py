"""Issue 21 end to end: two stations, each its own ``luch`` process with its own LUCH_HOME
and login, against one real Orthanc holding a real chest CT; they meet only in the archive.

A reader (``reader.a`` at Clinic 1) signs a report (``luch import-reports``) and asks the
reference centre RC for a second opinion (``luch referral request``); the request is sent
by ``luch sync`` killed by SIGKILL right after the archive stored it, then again. The
expert (``expert.e``, an expert of RC in the user directory) finds it in the queue (not
the requests for another centre or another expert; the one addressed to no one, marked
so), opens it blind, saves an own read, then sees the first grade, scores 3 and signs; the
review's sync is killed likewise. The reader's station shows the review with the differing
grade and disputes it; the dispute is back on the expert's queue. Every object is in the
archive exactly once.
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
             "expert.e": {"name": "Dr E. Expert", "centre": "RC", "expert": True},
             "expert.f": {"name": "Dr F. Expert", "centre": "RC", "expert": True},
             "expert.o": {"name": "Dr O. Other", "centre": "Other centre", "expert": True}}

# `luch sync --once`, its archive client dying by SIGKILL right after the archive stored
# the batch (before any job is marked done): the worst moment for "exactly once".
_KILLED_SYNC = """
import os, signal, sys
from archive.dicomweb import DicomWebClient
from app.cli import main

stored = DicomWebClient.store
def store_and_die(self, objects):
    stored(self, objects)
    os.kill(os.getpid(), signal.SIGKILL)
DicomWebClient.store = store_and_die
sys.exit(main(["sync", "--once"]))
"""


class Station:
    """One station: a LUCH_HOME, a login, the settings; each command its own process."""

    def __init__(self, home: Path, login: str, server, settings: dict) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "settings.json").write_text(json.dumps(
            {"referral.directory": DIRECTORY, **settings}), encoding="utf-8")
        self.env = {**os.environ, "LUCH_HOME": str(home), "USER": login, "LOGNAME": login,
                    "LUCH_ARCHIVE_URL": server.dicomweb_url,
                    "LUCH_ARCHIVE_USER": server.user, "LUCH_ARCHIVE_PASSWORD": server.password,
                    "PYTHONPATH": str(PROJECT_ROOT)}

    def as_user(self, login: str) -> Station:
        other = object.__new__(Station)
        other.env = {**self.env, "USER": login, "LOGNAME": login}
        return other

    def run(self, *args: str, code: int = 0) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, str(PROJECT_ROOT / "main.py"), *args],
                              cwd=PROJECT_ROOT, env=self.env, capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == code, (args, done.stdout[-2000:], done.stderr[-2000:])
        return done

    def json(self, *args: str) -> object:
        return json.loads(self.run(*args, "--json").stdout)

    def killed_sync(self) -> None:
        child = subprocess.run([sys.executable, "-c", _KILLED_SYNC], cwd=PROJECT_ROOT,
                               env=self.env, capture_output=True, timeout=300)
        assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]

    def sync(self) -> None:
        self.run("sync", "--once")


def _report(study: str, patient: tuple[str, str], grade: str) -> dict:
    return {"study": {"study_instance_uid": study, "patient_id": patient[0],
                      "patient_name": patient[1], "study_date": "20261201",
                      "accession_number": "ACC-" + study[-6:]},
            "fields": {"grade": grade, "conclusion": f"Pneumonia, {grade}"},
            "text": "first read", "status": "final", "author": "reader.a"}


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_two_luch_processes_meet_in_the_archive(orthanc_factory, tmp_path: Path,
                                                 shared_data: Path) -> None:
    server = orthanc_factory()
    ct = sorted((shared_data / "ct" / "lidc-idri-0001").glob("*.dcm"))[:2]
    server.upload(ct)
    head = pydicom.dcmread(ct[0], stop_before_pixels=True)
    study = str(head.StudyInstanceUID)
    patient = (str(head.PatientID), str(head.PatientName))
    reader = Station(tmp_path / "clinic", "reader.a", server,
                     {"referral.centre": "Clinic 1", "referral.reference_centre": "RC"})
    expert = Station(tmp_path / "reference", "expert.e", server, {})
    others = {to: pydicom.uid.generate_uid() for to in ("other", "expert.f", "no one")}

    # 1. The reader signs and asks; three more requests elsewhere test the addressee.
    reports = tmp_path / "reports.jsonl"
    reports.write_text("\n".join(json.dumps(_report(uid, ("P-" + uid[-4:], "Other^P"), "CT-1"))
                                 for uid in [*others.values()])
                       + "\n" + json.dumps(_report(study, patient, "CT-2")) + "\n",
                       encoding="utf-8")
    reader.run("import-reports", str(reports))
    asked = reader.json("referral", "request", "--study", study, "--reason", "doubt",
                        "--urgency", "stat")
    assert (asked["addressed_to"], asked["addressed_expert"]) == ("RC", "")
    to_other = reader.json("referral", "request", "--study", others["other"],
                           "--to", "Other centre")
    to_f = reader.json("referral", "request", "--study", others["expert.f"], "--expert",
                       "expert.f")
    assert (to_f["addressed_to"], to_f["addressed_expert"]) == ("RC", "expert.f")
    to_none = reader.json("referral", "request", "--study", others["no one"], "--to", "")
    reader.killed_sync()  # stored by the archive, not yet marked sent
    assert asked["uid"] in server.sop_instance_uids()
    reader.sync()  # asks the archive, resends nothing
    assert reader.json("referral", "request", "--study", study, "--reason", "doubt",
                       "--urgency", "stat")["id"] == asked["id"]  # asked again: the same
    reader.sync()

    # 2. The expert's queue: this centre's request and the unaddressed one, most urgent
    # first; not another centre's, not another expert's.
    queue = expert.json("referral", "queue")
    assert [(r["uid"], r["addressee"]) for r in queue["requests"]] == [
        (asked["uid"], "centre"), (to_none["uid"], "unaddressed")]
    assert queue["requests"][0]["urgency"] == "stat" and queue["disputes"] == []
    assert to_other["uid"] not in {r["uid"] for r in queue["requests"]}
    f_queue = expert.as_user("expert.f").json("referral", "queue", "--offline")
    assert to_f["uid"] not in {r["uid"] for r in f_queue["requests"]}  # never stored here
    f_queue = expert.as_user("expert.f").json("referral", "queue")
    assert {r["uid"]: r["addressee"] for r in f_queue["requests"]}[to_f["uid"]] == "expert"
    refused = expert.as_user("reader.a").run("referral", "queue", code=2)
    assert "not an expert" in refused.stderr

    # 3. Blind first: the first grade only after the expert's own read is saved.
    ref_id = queue["requests"][0]["id"]
    case = expert.json("referral", "open", str(ref_id))
    assert case["first_report"] is None and case["study"] == study
    own = expert.json("referral", "review", str(ref_id), "--grade", "CT-3",
                      "--findings", "Consolidation in the right lower lobe")
    assert own["status"] == "draft" and own["first_report"]["grade"] == "CT-2"
    signed = expert.json("referral", "review", str(ref_id), "--grade", "CT-3",
                         "--findings", "Consolidation in the right lower lobe",
                         "--score", "3", "--category", "perception",
                         "--comment", "Консолидация пропущена", "--sign")
    assert (signed["status"], signed["version"]) == ("final", 2)
    expert.killed_sync()
    assert signed["sop_instance_uid"] in server.sop_instance_uids()
    expert.sync()
    assert asked["uid"] not in {r["uid"] for r in expert.json("referral", "queue")["requests"]}

    # 4. The reader's station shows the review beside the report, and disputes it.
    [review] = reader.json("referral", "reviews")
    assert (review["expert"], review["score"], review["new"], review["answer"]) == (
        "expert.e", 3, True, "")
    differs = {c["field"]: c["differs"] for c in review["compare"]}
    assert differs["grade"] and differs["findings"]
    assert {c["field"]: (c["first"], c["expert"]) for c in review["compare"]}["grade"] == (
        "CT-2", "CT-3")
    reader.run("referral", "answer", str(review["version_id"]), "--dispute",
               "the lower lobe change is atelectasis")
    reader.sync()
    assert reader.json("referral", "reviews", "--offline")[0]["answer"] == "dispute"

    # 5. The dispute is back on the expert's queue.
    [dispute] = expert.json("referral", "queue")["disputes"]
    assert (dispute["referral_id"], dispute["reader"], dispute["comment"]) == (
        ref_id, "reader.a", "the lower lobe change is atelectasis")

    # 6. An audit drawn at the reference centre from the archive (it holds none of the
    # reader's reports) comes back to the first reader, who never asked for it.
    audited = json.dumps({**_report(others["other"][:-1] + "9", ("P-9", "Audit^P"), "CT-0"),
                          "signed_at": "2026-11-30T10:00:00+00:00"}) + "\n"
    (tmp_path / "audited.jsonl").write_text(audited, encoding="utf-8")
    reader.run("import-reports", str(tmp_path / "audited.jsonl"))
    reader.sync()
    drawn = expert.json("audit-sample", "--week", "2026-W49", "--share", "1", "--request")
    assert (drawn["source"], len(drawn["drawn"]), drawn["requested"]) == ("archive", 1, 1)
    assert drawn["drawn"][0]["reader"] == "reader.a"
    expert.sync()
    [audit] = [r for r in expert.json("referral", "queue")["requests"] if r["kind"] == "audit"]
    assert (audit["addressed_to"], audit["addressee"]) == ("RC", "centre")
    expert.run("referral", "review", str(audit["id"]), "--grade", "CT-1")
    expert.run("referral", "review", str(audit["id"]), "--grade", "CT-1", "--score", "2",
               "--category", "interpretation", "--sign",
               "--technique", "protocol=good,coverage=acceptable,artefacts=good")
    expert.sync()
    reviews = reader.json("referral", "reviews")
    [fed_back] = [r for r in reviews if r["new"]]
    assert (fed_back["score"], fed_back["expert"], fed_back["first_reader"]) == (
        2, "expert.e", "reader.a")
    assert {c["field"] for c in fed_back["compare"]} >= {"technique"}

    counts = server.store_counts()
    assert counts[asked["uid"]] == counts[signed["sop_instance_uid"]] == 1
    assert max(counts.values()) == 1  # every object in the archive once
