"""Background tasks: a bug in the work is told in the interface language, task name included;
every task of the app names itself translatably."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QT_TRANSLATE_NOOP

from app.shell.tasks import Task

APP = Path(__file__).resolve().parents[2] / "app"


def broken(progress, cancel):
    raise ZeroDivisionError("a bug, not the user's fault")


@pytest.mark.parametrize(("lang", "expected"), [
    ("ru", "Отправка протоколов в архив: непредвиденный сбой (ZeroDivisionError)"),
    ("en", "sync failed unexpectedly (ZeroDivisionError)"),
])
def test_an_unexpected_failure_names_the_task_in_the_interface_language(
        qtbot, qapp, monkeypatch, lang, expected):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", lang)
    assert install_translator(qapp) == lang
    try:
        task = Task(broken, QT_TRANSLATE_NOOP("Task", "sync"))
        with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
            task.start()
    finally:
        remove_translators(qapp)
    assert failed.args[0].startswith(expected), failed.args[0]
    assert task.name == "sync"  # the log keeps the English name


def test_every_task_of_the_app_has_a_translatable_name():
    """``Task(work, QT_TRANSLATE_NOOP("Task", "..."))``: lupdate collects the name, so the
    translation test makes sure it has its Russian; a bare string would stay English."""
    calls = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Task":
                calls.append((path.name, node))
    assert len(calls) >= 6
    for name, call in calls:
        given = call.args[1] if len(call.args) > 1 else next(
            (k.value for k in call.keywords if k.arg == "name"), None)
        assert isinstance(given, ast.Call) and getattr(given.func, "id", "") \
            == "QT_TRANSLATE_NOOP" and given.args[0].value == "Task", \
            f"{name}: Task name is not marked for translation"
