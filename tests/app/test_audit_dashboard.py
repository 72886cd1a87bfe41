"""The audit statistics dashboard of a reference-centre station: on 500 generated reviews
(the benchmark's generator) its table holds the rates, Wilson intervals and kappas that
``records.audit_stats`` computes for each grouping and period; its CSV is the one ``luch
audit-stats --csv`` prints; it is reached from the reference centre's menu only, and opening
it is audited."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.cli import main
from app.panels.audit_dashboard import RAW, AuditStatsDialog, kappa_text, percent
from benchmarks.audit_stats import fill
from records import open_store
from records.audit_stats import (
    agreement_by_group,
    ai_feedback,
    as_csv,
    discrepancy_rates,
    turnaround,
)

N = 500


@pytest.fixture
def store(luch_home: Path):
    store = open_store()
    fill(store, N)  # 40 readers, 8 centres, 12 months of 2026; an AI grade for 4 in 5
    yield store
    store.close()


def _shown(qtbot, dialog: AuditStatsDialog, change) -> None:
    with qtbot.waitSignal(dialog.computed, timeout=30_000):
        change()


def _check_table(dialog: AuditStatsDialog, reviews, by: str) -> None:
    rates = discrepancy_rates(reviews, by)
    agreement = agreement_by_group(reviews, by)
    table = dialog.table
    assert table.rowCount() == len(rates)
    for row, rate in enumerate(rates):
        cell = [table.item(row, c) for c in range(table.columnCount())]
        assert cell[0].data(RAW) == rate.group
        assert [cell[c].data(RAW) for c in (1, 2, 4)] == [rate.reviews, rate.score2,
                                                          rate.score3]
        assert cell[3].data(RAW) == pytest.approx((rate.rate2, *rate.ci2), abs=1e-12)
        assert cell[5].data(RAW) == pytest.approx((rate.rate3, *rate.ci3), abs=1e-12)
        assert cell[3].text() == percent(rate.rate2, rate.ci2)
        assert cell[5].text() == percent(rate.rate3, rate.ci3)
        (k1, n1), (k2, n2) = agreement[rate.group]
        assert cell[6].text() == kappa_text(k1, n1) and cell[7].text() == kappa_text(k2, n2)
        if k1 is not None:
            assert cell[6].data(RAW)[0] == pytest.approx(k1, abs=1e-12)
    assert table.item(len(rates) - 1, 0).text() == "all"
    assert f"{rates[-1].reviews} signed reviews" in dialog.summary.text()


def test_the_table_is_audit_stats_for_each_grouping_and_period(qtbot, store) -> None:
    dialog = AuditStatsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.rates), timeout=30_000)
    reviews = store.signed_reviews()
    assert dialog.grouping() == "reader" and len(reviews) == N
    _check_table(dialog, reviews, "reader")
    assert dialog.table.rowCount() == 41  # 40 readers and all
    for by in ("centre", "month", "all"):
        _shown(qtbot, dialog, lambda by=by: dialog.by.setCurrentIndex(dialog.by.findData(by)))
        _check_table(dialog, reviews, by)
    # March to May, both ends included: as `--from 2026-03-01 --to 2026-05-31`
    _shown(qtbot, dialog, lambda: dialog.by.setCurrentIndex(dialog.by.findData("month")))
    _shown(qtbot, dialog, lambda: dialog.start.setDate(QDate(2026, 3, 1)))
    _shown(qtbot, dialog, lambda: dialog.end.setDate(QDate(2026, 5, 31)))
    period = store.signed_reviews(datetime(2026, 3, 1, tzinfo=UTC),
                                  datetime(2026, 6, 1, tzinfo=UTC))
    _check_table(dialog, period, "month")
    assert [dialog.table.item(r, 0).text() for r in range(4)] == [
        "2026-03", "2026-04", "2026-05", "all"]
    image = dialog.plot.pixmap()
    assert not image.isNull() and image.width() > 100
    # an open start; the end day included (the generator signs some on 13 January at 10:00)
    _shown(qtbot, dialog, lambda: dialog.set_period(None, date(2026, 1, 13)))
    january = store.signed_reviews(None, datetime(2026, 1, 14, tzinfo=UTC))
    assert len(january) > len(store.signed_reviews(None, datetime(2026, 1, 13, tzinfo=UTC)))
    _check_table(dialog, january, "month")
    assert dialog.start.text() == "no limit" and dialog.table.rowCount() == 2


def test_export_writes_the_csv_of_the_command_and_the_plot(qtbot, store, tmp_path: Path,
                                                          capsys) -> None:
    dialog = AuditStatsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.rates), timeout=30_000)
    _shown(qtbot, dialog, lambda: dialog.by.setCurrentIndex(dialog.by.findData("centre")))
    out = dialog.export_csv(tmp_path / "centres.csv")
    assert out is not None and "centres.csv" in dialog.note.text()
    reviews = store.signed_reviews()
    text = out.read_text(encoding="utf-8")
    assert text == as_csv(discrepancy_rates(reviews, "centre"),
                          agreement_by_group(reviews, "centre"))
    assert main(["audit-stats", "--by", "centre", "--csv"]) == 0
    assert capsys.readouterr().out == text  # what the command prints
    assert len(text.splitlines()) == 1 + 8 + 1  # the header, 8 centres, all
    png = dialog.save_plot(tmp_path / "centres.png")
    assert png is not None
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1600, 900)
    assert image.pixelColor(0, 0).name() == "#ffffff"


def test_the_ai_feedback_and_turnaround_tabs(qtbot, store, tmp_path: Path, capsys) -> None:
    """Both tabs hold ``records.audit_stats``' rows (by grade, by month when grouped by
    month); the CSV exported from a tab is the command's ``--csv --table``."""
    dialog = AuditStatsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.rates), timeout=30_000)
    reviews = store.signed_reviews()
    for by, grouping in (("grade", "reader"), ("month", "month")):
        if dialog.grouping() != grouping:
            _shown(qtbot, dialog, lambda g=grouping: dialog.by.setCurrentIndex(
                dialog.by.findData(g)))
        rows = ai_feedback(reviews, by)
        table = dialog.ai_table
        assert table.rowCount() == len(rows)
        for row, f in enumerate(rows):
            cells = [table.item(row, c) for c in range(table.columnCount())]
            assert [c.data(RAW) for c in cells[:6]] == [
                f.group, f.reviews, f.pairs, f.agree, f.partly, f.disagree]
            assert cells[6].text() == percent(f.rate, f.ci)
            assert [c.data(RAW) for c in cells[7:]] == list(f.verdicts)
    assert sum(ai_feedback(reviews)[-1].verdicts) > 0  # the generator's verdicts came through
    times = turnaround(reviews)
    assert [t.group for t in times] == ["stat", "urgent", "routine", "all"]
    table = dialog.times_table
    for row, t in enumerate(times):
        assert [table.item(row, c).data(RAW) for c in range(5)] == [
            t.group, t.reviews, t.median_h, t.p90_h, t.on_time]
        assert table.item(row, 5).text() == percent(t.rate, t.ci)
    assert table.item(0, 0).text() == "stat (4 h)"
    assert 0 < times[-1].on_time < times[-1].reviews  # some late
    dialog.tabs.setCurrentWidget(dialog.times_table)
    out = dialog.export_csv(tmp_path / "times.csv")
    assert out is not None
    assert main(["audit-stats", "--csv", "--table", "turnaround"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")
    assert dialog.image is dialog.images["turnaround"]  # the tab's plot is shown
    dialog.tabs.setCurrentWidget(dialog.ai_table)
    assert dialog.image is dialog.images["ai"]
    png = dialog.save_plot(tmp_path / "ai.png")
    assert png is not None and QImage(str(png)).width() == 1600
    out = dialog.export_csv(tmp_path / "ai.csv")
    assert out is not None
    assert main(["audit-stats", "--csv", "--table", "ai", "--by", "month"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")


def _station(qtbot, role: str):
    from app.shell.main_window import MainWindow
    from app.workflow import Workflow
    from core.settings import Settings

    settings = Settings()
    settings.set("ai.autorun", False)
    settings.set("referral.role", role)
    settings.set("referral.centre", "RC")
    window = MainWindow(settings)
    window.setProperty("headless", True)
    qtbot.addWidget(window)
    workflow = Workflow(window, open_store(), reader="Expert E")
    return window, workflow


def test_only_the_reference_centre_has_it_and_opening_is_audited(qtbot, store) -> None:
    window, workflow = _station(qtbot, "reader")
    assert "audit-stats" not in window.actions and "audit-sample" not in window.actions
    workflow.stop()
    window, workflow = _station(qtbot, "reference_centre")
    action = window.actions["audit-stats"]
    assert action.text() == "A&udit statistics…"
    action.trigger()  # Report > Audit statistics…
    [dialog] = [w for w in QApplication.topLevelWidgets()
                if isinstance(w, AuditStatsDialog) and w.isVisible()]
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 41, timeout=30_000)
    dialog.export_csv(store_path := Path(str(store.engine.url.database)).with_suffix(".csv"))
    actions = [(e.actor, e.action, e.detail.get("what")) for e in store.audit_events()
               if e.action.startswith("audit-stats")]
    assert actions == [("Expert E", "audit-stats-opened", None),
                       ("Expert E", "audit-stats-exported", "csv")]
    store_path.unlink()
    dialog.close()
    workflow.stop()


def test_it_speaks_russian(qtbot, store, monkeypatch) -> None:
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    app = QApplication.instance()
    install_translator(app)
    try:
        dialog = AuditStatsDialog(store)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: bool(dialog.rates), timeout=30_000)
        assert dialog.windowTitle() == "Статистика аудита"
        assert dialog.export_button.text() == "Экспорт &CSV…"
        assert dialog.table.item(dialog.table.rowCount() - 1, 0).text() == "все"
        rate = dialog.table.item(dialog.table.rowCount() - 1, 3).text()  # "30,0 % (…)"
        assert "," in rate and "." not in rate, rate
        assert [dialog.tabs.tabText(i) for i in range(3)] == [
            "&Расхождения", "&Оценка ИИ", "Сро&ки"]
        assert dialog.times_table.item(0, 0).text() == "экстренно (4 ч)"
        assert dialog.ai_table.horizontalHeaderItem(3).text() == "Та же степень"
    finally:
        remove_translators(app)


def test_closed_while_computing_it_shows_nothing(qtbot, store) -> None:
    dialog = AuditStatsDialog(store)
    qtbot.addWidget(dialog)
    task = dialog._task
    assert task is not None  # computing off the UI thread
    with qtbot.waitSignal(task.cancelled, timeout=30_000):
        dialog.reject()
    assert dialog._task is None and dialog.rates == [] and dialog.table.rowCount() == 0
