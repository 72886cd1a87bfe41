"""Starting an addendum must not widen the report column (the images would shrink)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.app import windows


def test_an_addendums_buttons_fit_the_report_column_in_russian(qtbot, qapp, luch_home,
                                                               monkeypatch):
    """Walkthrough (Russian, 1400x900): with the addendum's three buttons («Отменить
    дополнение», «Сохранить черновик», «Подписать дополнение») the report column grew by
    40 px, the images shrank and the status line had no room left."""
    from app.shell.i18n import install_translator, remove_translators
    from tests.app.signing import confirm_signing

    monkeypatch.setenv("LUCH_LANG", "ru")
    install_translator(qapp)
    try:
        window, workflow = windows.station(qtbot, "dr.smirnova", size=(1400, 900))
        report = workflow.report
        report.begin("1.2.826.0.1.3680043.8.498.77")
        report.form.set_values({"grade": "CT-0", "conclusion": "Норма."})
        confirm_signing(qtbot)
        with qtbot.waitSignal(report.signed):
            report.sign()
        QApplication.processEvents()
        before = (workflow.report_dock.width(), window.centralWidget().width())
        assert report.start_addendum("Уточнение степени")
        qtbot.wait(100)
        assert report.cancel_button.isVisible()
        assert (workflow.report_dock.width(), window.centralWidget().width()) == before
        assert report.status.width() > 300, "the status line keeps room"
    finally:
        remove_translators(qapp)
