"""Errors of the Qt-free packages reach the reader in the interface language."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.shell.error_text import localize

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("error_catalog",
                                               ROOT / "installer" / "error_catalog.py")
catalog_tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalog_tool)


def test_the_catalogue_holds_every_domain_error_message():
    assert catalog_tool.CATALOG.read_text(encoding="utf-8") == \
        catalog_tool.render(catalog_tool.templates()), \
        "app/shell/error_catalog.py is stale: run installer/update_translations.py"
    assert "Not found: %1" in catalog_tool.templates()


@pytest.fixture
def russian(qapp, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    yield
    remove_translators(qapp)


def test_messages_stay_english_without_a_translator(qapp):
    assert localize("Not found: /data/x") == "Not found: /data/x"


def test_a_real_error_is_shown_in_russian_with_its_values(russian, tmp_path):
    from studies import StudyError, open_volume

    with pytest.raises(StudyError) as err:
        open_volume(tmp_path / "absent")
    assert localize(str(err.value)) == f"Не найдено: {tmp_path / 'absent'}"


def test_nested_messages_and_unknown_ones(russian):
    assert localize("line 3: the archive cannot be reached") == "строка 3: архив недоступен"
    assert localize("line 7: not valid JSON (Expecting value)") == \
        "строка 7: неверный JSON (Expecting value)"
    assert localize("something nobody wrote down") == "something nobody wrote down"


def test_a_failed_load_tells_the_reader_in_russian(qtbot, russian, luch_home, tmp_path):
    from app.shell.main_window import MainWindow
    from core.settings import Settings

    window = MainWindow(Settings())
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.load_failed, timeout=30_000) as failed:
        window.open_path(tmp_path / "absent")
    assert failed.args[0].startswith("Не найдено")
    assert window.status_label.text() == failed.args[0]


def test_a_literal_percent_in_a_message_is_not_a_slot():
    import ast

    def template(source: str) -> str:
        return catalog_tool._template(ast.parse(source, mode="eval").body)

    assert template('f"{share}%{n} lungs"') == "%1%%%2 lungs"
    assert template('"over 5% of slices"') == "over 5%% of slices"
