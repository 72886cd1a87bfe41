"""The image cache's settings: the Archive tab's limits reach the prune, and the wipe at
quit (home laptops) empties the cache but for studies with unsent work."""

from __future__ import annotations

from pathlib import Path

from app.shell.main_window import MainWindow
from app.workflow import Workflow
from archive.cache import ImageCache
from archive.cache_policy import CacheLimits
from core.settings import Settings
from records import open_store
from tests.app.test_settings_dialog import make_dialog, press_ok
from tests.archive.test_cache_policy import cache_study


def test_cache_limits_and_wipe_on_exit_are_saved_and_read_back(qtbot, luch_home) -> None:
    dialog = make_dialog(qtbot, Settings())
    page = dialog.archive
    assert (page.cache_gb.value(), page.cache_days.value()) == (0, 0)
    assert page.cache_gb.text() == "no limit" and not page.cache_wipe.isChecked()
    page.cache_gb.setValue(12.5)
    page.cache_days.setValue(21)
    page.cache_wipe.setChecked(True)
    with qtbot.waitSignal(dialog.saved) as saved:
        press_ok(qtbot, dialog)
    assert sorted(saved.args[0]) == ["cache.max_age_days", "cache.max_gb",
                                     "cache.wipe_on_exit"]
    assert CacheLimits.from_settings(Settings()) == CacheLimits(int(12.5 * 1024**3),
                                                                21 * 86400)
    again = make_dialog(qtbot, Settings())
    reopened = again.archive
    assert (reopened.cache_gb.value(), reopened.cache_days.value()) == (12.5, 21)
    assert reopened.cache_wipe.isChecked()


def test_quitting_wipes_the_cache_when_set_but_keeps_unsent_work(
        qtbot, luch_home: Path, shared_data: Path) -> None:
    ct = shared_data / "ct"
    cache = ImageCache()
    read = cache_study(cache, sorted((ct / "lidc-idri-0001").glob("*.dcm"))[:2])
    unsent = cache_study(cache, sorted((ct / "lidc-idri-0003").glob("*.dcm"))[:2])
    store = open_store()
    store.enqueue("report", 3, unsent)
    settings = Settings()
    settings.set("ai.autorun", False)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, store, reader="dr.home")
    workflow.stop()  # the setting off: nothing goes
    assert sorted(cache.studies()) == sorted([read, unsent])
    settings.set("cache.wipe_on_exit", True)
    workflow.stop()
    assert cache.studies() == [unsent]
    assert [(e.study_instance_uid, e.actor) for e in store.audit_events()
            if e.action == "cache-wiped"] == [(read, "dr.home")]
    assert (luch_home / "records.sqlite3").exists()


def test_encryption_checkbox_follows_profile_setting_and_policy(qtbot, luch_home) -> None:
    from core import vault
    from core.settings import Policy

    luch_home.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    assert not make_dialog(qtbot, settings).archive.encrypt.isChecked()
    settings.set(vault.PROFILE_SETTING, "home")  # on by default for a home profile
    dialog = make_dialog(qtbot, Settings())
    assert dialog.archive.encrypt.isChecked()
    dialog.archive.encrypt.setChecked(False)
    with qtbot.waitSignal(dialog.saved) as saved:
        press_ok(qtbot, dialog)
    assert saved.args[0] == [vault.SETTING] and not vault.encryption_enabled(Settings())
    locked = Settings(policy=Policy(locked={vault.SETTING: True}))
    locked_dialog = make_dialog(qtbot, locked)
    box = locked_dialog.archive.encrypt
    assert box.isChecked() and not box.isEnabled()
