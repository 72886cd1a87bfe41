"""Signing in to Luch (``app.sign_in``): a directory login and its PIN, typed by keys; a wrong
PIN refused and audited without the PIN; the expert's menus shown and the reader's not;
signing out from the menu brings the sign-in back for the next reader."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from core import unlock_pin
from records.directory import Directory, parse
from tests.app import windows

DIRECTORY = {"reader.a": {"name": "Dr A. Reader", "centre": "Clinic 1"},
             "expert.e": {"name": "Dr E. Expert", "centre": "RC", "expert": True},
             "new.c": {"name": "Dr C. New", "centre": "Clinic 1"}}
PINS = {"reader.a": "1357", "expert.e": "8642"}


def _shown(qtbot, audit):
    """The sign-in dialog over the test directory, shown and active, auditing to ``audit``."""
    from app.shell.sign_in import SignInDialog

    dialog = SignInDialog(Directory(parse(DIRECTORY)), audit)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    return dialog


def _type(dialog, login: str, pin: str) -> None:
    """The login typed into the combo, Tab to the PIN, the PIN typed, Enter."""
    edit = dialog.user.lineEdit()
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(edit, login)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.pin  # Tab went from the login to the PIN
    QTest.keyClicks(dialog.pin, pin)
    QTest.keyClick(dialog.pin, Qt.Key.Key_Return)


def _events(store) -> list[tuple[str, str, dict]]:
    return [(e.actor, e.action, dict(e.detail or {})) for e in store.audit_events()
            if e.action.startswith("sign")]


def test_the_dialog_signs_in_by_keys_and_refuses_a_wrong_pin(qtbot, memory_keyring, luch_home):
    from records import open_store

    for login, pin in PINS.items():
        unlock_pin.save_pin(login, pin)
    store = open_store()
    dialog = _shown(qtbot, lambda actor, action, detail: store.audit(actor, action, "",
                                                                     **detail))
    assert [dialog.user.itemText(i) for i in range(dialog.user.count())] == [
        "expert.e", "new.c", "reader.a"]

    _type(dialog, "Reader.A", "0000")  # the login without case; a wrong PIN
    assert dialog.isVisible() and dialog.message.text() == "Wrong login or PIN."
    assert dialog.who.text() == "Dr A. Reader, Clinic 1" and dialog.pin.text() == ""
    _type(dialog, "1357", "1357")  # a PIN typed as the login: not kept anywhere
    _type(dialog, "new.c", "1357")  # in the directory, no PIN set: told how to get one
    assert "luch pin new.c" in dialog.message.text() and dialog.isVisible()
    _type(dialog, "reader.a", "1357")
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.login == "reader.a"

    assert _events(store) == [
        ("reader.a", "sign_in_refused", {"source": "sign-in", "reason": "wrong-pin"}),
        ("", "sign_in_refused", {"source": "sign-in", "reason": "unknown-login"}),
        ("new.c", "sign_in_refused", {"source": "sign-in", "reason": "no-pin"}),
        ("reader.a", "signed_in", {"source": "sign-in"})]
    every = json.dumps([(e.actor, e.action, e.study_instance_uid, e.detail)
                        for e in store.audit_events()])
    assert "1357" not in every and "0000" not in every


def test_wrong_pins_are_throttled(qtbot, memory_keyring, luch_home):

    unlock_pin.save_pin("reader.a", "1357")
    seen: list = []
    dialog = _shown(qtbot, lambda *event: seen.append(event))
    for _ in range(unlock_pin.FREE_ATTEMPTS):
        _type(dialog, "reader.a", "0000")
    _type(dialog, "reader.a", "1357")  # right, but too soon: not even checked
    assert dialog.isVisible() and "try again in" in dialog.message.text()
    assert len(seen) == unlock_pin.FREE_ATTEMPTS


def test_an_empty_directory_lets_no_one_in(qtbot, luch_home):
    from app.shell.sign_in import SignInDialog

    dialog = SignInDialog(Directory([]), lambda *event: None)
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_button.isEnabled()
    assert "directory is empty" in dialog.message.text()


def test_signed_in_user_is_the_reader_with_their_role_menus(qapp, memory_keyring, luch_home):
    """``luch`` with ``app.sign_in`` on: the expert signs in (after a wrong PIN), gets the
    reference centre's queue and menus, signs out from File; the reader signs in, gets
    neither, and the locked window's Sign out brings the dialog back, where Quit ends Luch;
    each window's reader, lock and audit are the signed-in user's."""
    from app.commands.open import reader_name

    luch_home.mkdir(parents=True, exist_ok=True)
    (Path(luch_home) / "settings.json").write_text(json.dumps({
        "app.sign_in": True, "referral.directory": DIRECTORY, "ai.autorun": False,
        "ai.background": False}), encoding="utf-8")
    for login, pin in PINS.items():
        unlock_pin.save_pin(login, pin)
    steps = [("expert.e", "1111"), ("expert.e", "8642"), ("reader.a", "1357")]
    seen: dict = {"windows": []}

    def done(window) -> bool:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog.objectName() == "sign-in":
            if not steps:  # after the lock panel's Sign out: Quit
                seen["quit"] = True
                QTest.keyClick(dialog, Qt.Key.Key_Escape)
                return False
            login, pin = steps.pop(0)
            _type(dialog, login, pin)
            if login == "expert.e" and pin == "1111":
                seen["refused"] = dialog.message.text()
            return False
        if window is None or not window.isVisible():
            return False
        flow = window.workflow
        seen["windows"].append({
            "reader": flow.reader, "lock": window.idle_lock.user,
            "queue": flow.referrals.panel is not None,
            "menus": sorted(a for a in ("audit-sample", "audit-stats", "sign-out", "lock")
                            if a in window.actions),
            "lock sign-out": not window.idle_lock.panel.sign_out_button.isHidden()})
        if flow.reader == "expert.e":
            window.actions["sign-out"].trigger()  # File > Sign out
            return False
        window.idle_lock.lock()
        QTest.mouseClick(window.idle_lock.panel.sign_out_button, Qt.MouseButton.LeftButton)
        return False

    assert windows.run_app_until(qapp, done, timeout_ms=90_000) == 0
    assert seen.get("quit")
    assert seen["refused"] == "Wrong login or PIN."
    assert seen["windows"] == [
        {"reader": "expert.e", "lock": "expert.e", "queue": True,
         "menus": ["audit-sample", "audit-stats", "lock", "sign-out"], "lock sign-out": True},
        {"reader": "reader.a", "lock": "reader.a", "queue": False,
         "menus": ["lock", "sign-out"], "lock sign-out": True}]
    from records import open_store

    store = open_store()
    assert _events(store) == [
        ("expert.e", "sign_in_refused", {"source": "sign-in", "reason": "wrong-pin"}),
        ("expert.e", "signed_in", {"source": "sign-in"}),
        ("expert.e", "signed_out", {"source": "sign-in"}),
        ("reader.a", "signed_in", {"source": "sign-in"}),
        ("reader.a", "signed_out", {"source": "sign-in"})]
    assert reader_name() not in {"expert.e", "reader.a"}


def test_luch_pin_sets_a_directory_users_pin(memory_keyring, luch_home, monkeypatch, capsys):
    """``luch pin LOGIN``: asked twice (never echoed), kept as a hash under the directory's
    spelling of the login; an unknown login and differing PINs refused."""
    import argparse

    import pytest

    from app.commands import pin
    from core.errors import LuchError
    from core.settings import Settings

    Settings().set("referral.directory", DIRECTORY)
    typed = iter(["2468", "2468", "1111", "2222"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt="": next(typed))
    assert pin.run(argparse.Namespace(login="Reader.A", remove=False)) == 0
    stored = unlock_pin.load_pin_hash("reader.a")
    assert stored and "2468" not in stored and unlock_pin.verify_pin("2468", stored)
    with pytest.raises(LuchError, match="differ"):
        pin.run(argparse.Namespace(login="reader.a", remove=False))
    with pytest.raises(LuchError, match="no such login"):
        pin.run(argparse.Namespace(login="nobody", remove=False))
    assert pin.run(argparse.Namespace(login="reader.a", remove=True)) == 0
    assert unlock_pin.load_pin_hash("reader.a") is None
    assert "2468" not in capsys.readouterr().out


def test_an_unreadable_keyring_refuses_and_says_why(qtbot, failing_keyring, luch_home):

    seen: list = []
    dialog = _shown(qtbot, lambda *event: seen.append(event))
    _type(dialog, "reader.a", "1357")
    assert dialog.isVisible() and "keyring cannot be read" in dialog.message.text()
    assert seen == [("reader.a", "sign_in_refused", {"source": "sign-in", "reason": "keyring"})]


def test_the_second_opinions_tab_turns_sign_in_on_unless_the_policy_locks_it(
        qtbot, luch_home, tmp_path, monkeypatch):
    from app.settings_dialog.referral_page import ReferralPage
    from core.settings import Settings
    from records.sign_in import SETTING

    page = ReferralPage(Settings())
    qtbot.addWidget(page)
    assert not page.sign_in.isChecked() and page.sign_in.isEnabled()  # off by default
    QTest.mouseClick(page.sign_in, Qt.MouseButton.LeftButton)
    assert page.values()[SETTING] is True

    policy = tmp_path / "policy.json"
    policy.write_text(json.dumps({"locked": {SETTING: True}}))
    monkeypatch.setenv("LUCH_POLICY", str(policy))
    locked = ReferralPage(Settings())
    qtbot.addWidget(locked)
    assert locked.sign_in.isChecked() and not locked.sign_in.isEnabled()
