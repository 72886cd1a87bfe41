"""Russian and English: every visible string is translated, the compiled file is current, and
the interface really switches."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("update_translations",
                                              ROOT / "installer" / "update_translations.py")
tools = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tools)


def test_every_visible_string_has_a_russian_translation(tmp_path: Path):
    ts = tmp_path / "luch_ru.ts"
    shutil.copy(tools.I18N / "luch_ru.ts", ts)
    tools.lupdate(ts)
    text = ts.read_text(encoding="utf-8")
    unfinished = re.findall(r"<source>([^<]*)</source>\s*<translation type=\"unfinished\"",
                            text)
    assert not unfinished, f"untranslated strings (run installer/update_translations.py): " \
                           f"{unfinished[:10]}"


def test_every_translation_context_is_one_qt_looks_up(tmp_path: Path):
    """lupdate names a context after the variable ``x`` in ``x.tr(...)`` outside a class
    ("window", "row"), while Qt looks the string up under the object's class name: such
    strings stayed English on a Russian station ("Prior study aligned (by position)")."""
    ts = tmp_path / "luch_ru.ts"
    shutil.copy(tools.I18N / "luch_ru.ts", ts)
    tools.lupdate(ts)
    contexts = set(re.findall(r"<context>\s*<name>([^<]+)</name>", ts.read_text("utf-8")))
    source = "\n".join(p.read_text(encoding="utf-8") for folder in ("app", "viewer")
                       for p in (ROOT / folder).rglob("*.py"))
    unknown = sorted(c for c in contexts if not re.search(
        rf'class {c}\b|QT_TRANSLATE_NOOP\(["\']{c}["\']|translate\("{c}"', source))
    assert not unknown, f"contexts Qt never looks up (use QCoreApplication.translate): {unknown}"


def test_the_compiled_translation_is_current(tmp_path: Path):
    qm = tmp_path / "luch_ru.qm"
    tools.lrelease(tools.I18N / "luch_ru.ts", qm)
    assert qm.read_bytes() == (tools.I18N / "luch_ru.qm").read_bytes(), \
        "luch_ru.qm is stale: run installer/update_translations.py"


@pytest.mark.parametrize(("lang", "file_menu", "sign"), [("ru", "&Файл", "Подписать"),
                                                         ("en", "&File", "Sign")])
def test_the_interface_speaks_the_chosen_language(qtbot, qapp, luch_home, monkeypatch,
                                                  lang, file_menu, sign):
    from app.shell.i18n import install_translator
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from records import open_store

    monkeypatch.setenv("LUCH_LANG", lang)
    assert install_translator(qapp) == lang
    try:
        window = MainWindow()
        qtbot.addWidget(window)
        workflow = Workflow(window, open_store(), "dr.a", ui_lang=lang)
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus[0] == file_menu
        assert workflow.report.sign_button.text() == sign
        if lang == "ru":
            from PySide6.QtWidgets import QDialogButtonBox

            box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
            qtbot.addWidget(box)
            assert box.button(QDialogButtonBox.StandardButton.Cancel).text() == "Отмена", \
                "Qt's own buttons speak Russian too"
    finally:
        from app.shell.i18n import remove_translators

        remove_translators(qapp)


def test_grades_and_terms_follow_the_interface_language(qapp, monkeypatch):
    from app.panels import terms
    from app.shell.i18n import install_translator, remove_translators

    assert (terms.grade("CT-3"), terms.term("routine")) == ("CT-3", "routine")
    # A signed report's status reads as the worklist filter and the report say it (the
    # English worklist said "final", the Russian «подписан»).
    assert terms.term("final") == "signed"
    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        assert terms.grade("CT-3") == "КТ-3"
        assert terms.term("routine") == "планово"
        assert terms.term("final") == "подписан"
        assert terms.grade("not-assessable") == "не оценивается"
    finally:
        remove_translators(qapp)


def test_ai_quality_flags_read_as_words_in_both_languages(qapp, monkeypatch):
    from app.panels import terms
    from app.shell.i18n import install_translator, remove_translators
    from inference.measures import coverage_flags

    labels = np.zeros((4, 8, 8), np.uint8)
    codes = coverage_flags(labels, (1.0, 1.0, 8.0), {"lung_left": 0.0, "lung_right": 0.0})
    codes += ["classical-fallback: weights file missing", "no-air-in-view: HU scale may be wrong",
              "solid-focus-not-graded: side=left slices=43-50 ml=9.7 mm=20"]
    english = [terms.quality_flag(c) for c in codes]
    assert english[0].startswith("not assessable") and "over 5 mm" in english[1]
    assert "reinstall" in english[2] and "weights file" not in english[2]
    assert "HU scale" in english[3]
    assert "left lung, slices 43-50, 9.7 mL, 20 mm" in english[4] and "nodule" in english[4]
    assert terms.quality_flag("something-new") == "something-new"  # unknown: shown as is
    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        russian = [terms.quality_flag(c) for c in codes]
        pairs = zip(russian, english, strict=True)
        assert all(r != e and any("а" <= ch <= "я" for ch in r) for r, e in pairs)
    finally:
        remove_translators(qapp)


def _menu_texts(menu) -> list[str]:
    texts = []
    for action in menu.actions():
        if action.menu() is not None:
            texts += [action.text(), *_menu_texts(action.menu())]
        elif not action.isSeparator():
            texts.append(action.text())
    return texts


RAW = re.compile(r"\b(1x1|1x2|mpr|2x2|lung|mediastinum|bone|soft-tissue|axial|coronal|sagittal"
                 r"|zoom|mean|area|min|max|mm|cm|amended|final|draft|CT-\d)\b", re.IGNORECASE)


def test_russian_ui_shows_no_raw_identifiers_or_english_words(qtbot, qapp, luch_home,
                                                               monkeypatch):
    """Menus and the views' own text (corner text, scale bar, measurement values) in Russian:
    no identifiers ("Окно: lung", "Раскладка: mpr") and no English words ("Zoom", "mm")."""
    from app.shell.i18n import install_translator, remove_translators
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from core.paths import DEMO_STUDY
    from core.settings import Settings
    from records import open_store
    from viewer import vtk_api as vtk
    from viewer.measurements import Measurement

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        settings = Settings()
        settings.set("ai.autorun", False)
        window = MainWindow(settings)
        window.setProperty("headless", True)
        qtbot.addWidget(window)
        Workflow(window, open_store(), "dr.a", ui_lang="ru")
        window.resize(1200, 800)
        window.show()
        with qtbot.waitSignal(window.volume_loaded, timeout=60_000):
            window.open_path(DEMO_STUDY, layout="mpr")
        menus = [t.replace("&", "") for a in window.menuBar().actions()
                 for t in [a.text(), *_menu_texts(a.menu())]]
        raw = [t for t in menus if RAW.search(t)]
        assert not raw, f"menu items with raw names or English: {raw}"
        english = [t for t in menus if not re.search("[а-яА-Я]", t)]
        assert not english, f"menu items without a Russian word: {english}"
        view = window.view
        window.set_slab("mip", 10)
        centre = window.volume.index_to_lps(np.array([128.0, 128.0, 30.0]))
        view.move_to_point(centre)
        ellipse = Measurement("ellipse", [tuple(centre - 10), tuple(centre + 10)],
                              normal=(0.0, 0.0, 1.0))
        view.set_measurements([ellipse])
        texts = [view.corner_text.text(0), view.corner_text.text(1),
                 view.scale_bar.text.GetInput(),
                 *[a.GetInput() for a in view._measure_layer._actors
                   if isinstance(a, vtk.vtkTextActor)]]
        assert len(texts) == 4, "the ellipse's values are not drawn"
        leftover = [t for t in texts if RAW.search(t)]
        assert not leftover, f"view text with English or raw names: {leftover}"
        from app.settings_dialog.viewer_page import ViewerPage

        page = ViewerPage(settings)
        qtbot.addWidget(page)
        combo = page.hanging.cellWidget(0, 1)
        layouts = [combo.itemText(n) for n in range(combo.count())]
        assert not [t for t in layouts if RAW.search(t)], f"settings layouts: {layouts}"
    finally:
        remove_translators(qapp)


def test_the_translation_survives_its_file_rewritten_in_place(qapp, tmp_path, monkeypatch):
    """Qt maps a .qm file it loads by name: rewritten in place while the app ran (an update,
    a developer's lrelease), the interface fell back to English for the rest of the session."""
    import shutil

    from PySide6.QtCore import QCoreApplication

    from app.shell import i18n

    qm = tmp_path / "luch_ru.qm"
    shutil.copy(i18n.I18N / "luch_ru.qm", qm)
    monkeypatch.setattr(i18n, "I18N", tmp_path)
    monkeypatch.setenv("LUCH_LANG", "ru")
    assert i18n.install_translator(qapp) == "ru"
    try:
        assert QCoreApplication.translate("Terms", "routine") == "планово"
        with qm.open("r+b") as f:  # in place: same inode, other bytes
            f.write(b"\0" * qm.stat().st_size)
        assert QCoreApplication.translate("Terms", "routine") == "планово"
    finally:
        i18n.remove_translators(qapp)
