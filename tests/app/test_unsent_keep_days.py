"""The app's pruning of AI DICOM copies follows the setting ``ai.unsent_keep_days``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def test_pruning_releases_an_unsent_pre_read_after_the_days_set(luch_home):
    """A pre-read four days old, never queued: kept with the default week, released when the
    setting says three days (audited, the result kept)."""
    from app.panels.ai_panel import DICOM_DIR, prune_dicom_outputs
    from core.paths import app_subdir
    from core.settings import Settings
    from records import open_store
    from records.models import AIResult
    from records.retention import UNSENT_KEEP_DAYS_KEY

    store = open_store()
    copy = app_subdir(DICOM_DIR) / "unsent.seg.dcm"
    copy.write_bytes(b"DICM")
    result = store.save_ai_result("1.2.3", model_name="m", model_version="1", values={},
                                  mask_files=[str(copy)], sync=False)
    now = copy.stat().st_mtime + 60
    with store.session() as s:
        s.get(AIResult, result).created_at = datetime.fromtimestamp(now, UTC) - timedelta(days=4)
    assert prune_dicom_outputs(store, now=now) == [] and copy.exists()
    Settings().set(UNSENT_KEEP_DAYS_KEY, 3)
    assert prune_dicom_outputs(store, now=now) == [copy] and not copy.exists()
    assert store.ai_result(result).mask_files == []
    assert [e.action for e in store.audit_events("1.2.3")].count("ai-files-released") == 1
    store.close()
