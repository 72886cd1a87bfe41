"""``luch cache --status / --wipe``: counts without UIDs, a wipe that spares unsent work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from archive.cache import ImageCache
from archive.cache_policy import uid_hash
from records import open_store
from tests.archive.test_cache_policy import cache_study


def test_status_and_wipe(luch_home: Path, shared_data: Path,
                         capsys: pytest.CaptureFixture) -> None:
    ct = shared_data / "ct"
    cache = ImageCache()
    done = cache_study(cache, sorted((ct / "lidc-idri-0001").glob("*.dcm"))[:3])
    unsent = cache_study(cache, sorted((ct / "lidc-idri-0003").glob("*.dcm"))[:2])
    partial = cache_study(cache, sorted((ct / "popi-philips-phase00").glob("*.dcm"))[:2],
                          expected=9, complete=False)
    store = open_store()
    store.enqueue("report", 1, unsent)  # a report not yet in the archive
    drafts = luch_home / "drafts"
    drafts.mkdir(exist_ok=True)
    (drafts / "x.json").write_text("{}")

    assert main(["cache", "--status", "--json"]) == 0
    out = capsys.readouterr().out
    status = json.loads(out)
    assert (status["studies"], status["complete"], status["images"]) == (3, 2, 7)
    assert status["partial"] == [{"study": uid_hash(partial), "cached": 2, "expected": 9}]
    assert status["folder"] == str(cache.root) and status["bytes"] == cache.size()
    assert not any(uid in out for uid in (done, unsent, partial))
    assert main(["cache", "--status"]) == 0
    text = capsys.readouterr().out
    assert "3 (2 complete, 1 partly cached)" in text and "2 of 9 images" in text

    assert main(["cache", "--wipe", "--json"]) == 0
    freed = json.loads(capsys.readouterr().out)
    assert (freed["studies"], freed["images"], freed["kept_unsent"]) == (2, 5, 1)
    assert cache.studies() == [unsent]  # its images stay until the report is sent
    assert (drafts / "x.json").exists() and (luch_home / "records.sqlite3").exists()
    assert {e.study_instance_uid for e in store.audit_events()
            if e.action == "cache-wiped"} == {done, partial}
    store.close()


def test_help_says_what_a_wipe_keeps(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["cache", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "never the database, drafts, dictation audio or reports not yet sent" in text
    with pytest.raises(SystemExit):
        main(["cache"])  # --status or --wipe is required
