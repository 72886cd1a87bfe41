"""The report column keeps its width (an addendum started, a long AI verdict line): the images
would shrink."""

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


def test_a_long_ai_verdict_line_does_not_widen_the_report_column(qtbot, qapp, luch_home):
    """Walkthrough (popi, Russian, 1400x900, after a model-version bump): «Вы отклонили
    прежний результат ИИ по этому исследованию (модель ...); этот результат новый ...» stood
    on one line: the report column took the whole right of the window and the images went."""
    from tests.app.test_panels import _stored_ct1

    window, workflow = windows.station(qtbot, "dr.smirnova", size=(1400, 900))
    windows.open_demo(qtbot, window)
    ai, store, volume = workflow.ai, workflow.store, window.volume
    _old, shown_old = _stored_ct1(ai, store, volume, workflow.study_uid, "2.0.0+post9")
    shown_old()
    ai.reject()
    QApplication.processEvents()
    before = (workflow.report_dock.width(), window.centralWidget().width())
    _new, shown_new = _stored_ct1(ai, store, volume, workflow.study_uid)
    shown_new()
    qtbot.wait(100)
    assert "rejected the earlier AI result" in ai.verdict.text()
    assert (workflow.report_dock.width(), window.centralWidget().width()) == before
