"""The head of department's audit statistics on a reference-centre station: for a period and
a grouping, the discrepancy rates with their 95 % Wilson intervals and the weighted kappas
(first reader and AI against the expert), the AI feedback and the turnaround times of
``records.audit_stats`` (the numbers of ``luch audit-stats``, not a second implementation),
each on a tab; the rates' plot (``audit_plot``), "Export CSV…" (the shown tab's CSV, as
``audit-stats --csv --table``) and "Save plot…". Read and drawn off the UI thread."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.panels.audit_plot import ai_bars, render_rates, turnaround_bars
from app.panels.terms import number
from app.shell.open_dir import forget_dialog_history
from app.shell.tasks import Task
from records.audit_stats import (
    AI_COLUMNS,
    TURNAROUND_COLUMNS,
    AIFeedbackRow,
    Rate,
    TurnaroundRow,
    agreement_by_group,
    ai_feedback,
    ai_rows,
    as_csv,
    discrepancy_rates,
    table_csv,
    turnaround,
    turnaround_rows,
)

NO_LIMIT = QDate(2000, 1, 1)  # the date edits' minimum: shown "—", no limit on that side
RAW = Qt.ItemDataRole.UserRole  # each cell's number as audit_stats computed it


def percent(rate: float, ci: tuple[float, float]) -> str:
    """``30.0 % (10.8–60.3)``, with the interface's decimal separator."""
    return f"{number(rate * 100)} % ({number(ci[0] * 100)}–{number(ci[1] * 100)})"


def kappa_text(kappa: float | None, n: int) -> str:
    return f"{'—' if kappa is None else number(kappa, 3)} (n={n})"


def hours_text(hours: float | None) -> str:
    return "—" if hours is None else number(hours)


def _table(name: str, headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[list[tuple[str, object]]]) -> None:
    """Each cell's text, with the number it shows as ``RAW``; numbers right-aligned."""
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, (text, raw) in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(RAW, raw)
            if column:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                      | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)


class AuditStatsDialog(QDialog):
    """The statistics of the signed reviews in ``store`` (``Store.signed_reviews``)."""

    computed = Signal()  # a table and plot are shown (tests, the screenshot)
    exported = Signal(str)  # "csv" or "plot" written (the caller audits it)

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.rates: list[Rate] = []
        self.agreement: dict = {}
        self.feedback: list[AIFeedbackRow] = []
        self.times: list[TurnaroundRow] = []
        self.image: QImage | None = None  # the shown tab's plot
        self.images: dict[str, QImage] = {}  # rates, ai, turnaround
        self._task: Task | None = None
        self._again = False
        self.setWindowTitle(self.tr("Audit statistics"))
        self.start = self._date_edit("audit-from")
        self.end = self._date_edit("audit-to")
        self.by = QComboBox()
        self.by.setObjectName("audit-by")
        for text, key in ((self.tr("first reader"), "reader"),
                          (self.tr("requesting centre"), "centre"),
                          (self.tr("month signed"), "month"),
                          (self.tr("none (all reviews)"), "all")):
            self.by.addItem(text, key)
        self.table = _table("audit-table", [
            self.tr("Group"), self.tr("Reviews"), self.tr("Score ≥ 2"),
            self.tr("Rate ≥ 2 (95% CI)"), self.tr("Score ≥ 3"), self.tr("Rate ≥ 3 (95% CI)"),
            self.tr("κ reader–expert"), self.tr("κ AI–expert")])
        self.ai_table = _table("audit-ai-table", [
            self.tr("Group"), self.tr("Reviews"), self.tr("AI and expert graded"),
            self.tr("Same grade"), self.tr("One grade off"), self.tr("Two or more off"),
            self.tr("Same grade (95% CI)"), self.tr("Expert's verdicts: agree"),
            self.tr("partly"), self.tr("disagree")])
        self.ai_table.setToolTip(self.tr(
            "The AI pre-read's grade against the expert's, by the expert's grade (by month "
            "when grouped by month); the verdicts the expert gave in the AI panel"))
        self.times_table = _table("audit-times-table", [
            self.tr("Urgency"), self.tr("Reviews"), self.tr("Median, h"),
            self.tr("90th percentile, h"), self.tr("By the due time"),
            self.tr("On time (95% CI)")])
        self.times_table.setToolTip(self.tr(
            "Hours from the request to the review's first signing; due: stat 4 h, urgent "
            "24 h, routine 72 h"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("audit-tabs")
        self.tabs.addTab(self.table, self.tr("&Discrepancies"))
        self.tabs.addTab(self.ai_table, self.tr("&AI feedback"))
        self.tabs.addTab(self.times_table, self.tr("T&urnaround"))
        self.tabs.currentChanged.connect(lambda _: self._show_plot())
        self.summary = QLabel()
        self.summary.setObjectName("audit-summary")
        self.summary.setWordWrap(True)
        self.note = QLabel()  # what an export did
        self.note.setObjectName("audit-note")
        self.plot = QLabel()
        self.plot.setObjectName("audit-plot")
        self.plot.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.plot.setMinimumSize(480, 270)
        self.export_button = QPushButton(self.tr("Export &CSV…"))
        self.save_button = QPushButton(self.tr("Save &plot…"))
        for button in (self.export_button, self.save_button):
            button.setEnabled(False)
        self.export_button.clicked.connect(lambda: self.export_csv())
        self.save_button.clicked.connect(lambda: self.save_plot())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.reject)
        top = QHBoxLayout()
        for text, widget in ((self.tr("&From:"), self.start), (self.tr("&To:"), self.end),
                             (self.tr("&Group by:"), self.by)):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget)
        top.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.note, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 2)
        layout.addWidget(self.summary)
        layout.addWidget(self.plot, 3)
        layout.addLayout(buttons)
        self.resize(1100, 860)
        self.start.dateChanged.connect(self.refresh)
        self.end.dateChanged.connect(self.refresh)
        self.by.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_LIMIT)
        edit.setSpecialValueText(self.tr("no limit"))
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.specialValueText()) + 48)
        edit.setDate(NO_LIMIT)
        return edit

    # -- the period and the grouping -----------------------------------------------------------
    def period(self) -> tuple[datetime | None, datetime | None]:
        """[start, end) in UTC as ``luch audit-stats --from --to`` reads them (the end day
        included); None where there is no limit."""
        def day(edit: QDateEdit) -> datetime | None:
            if edit.date() == NO_LIMIT:
                return None
            d = edit.date()
            return datetime(d.year(), d.month(), d.day(), tzinfo=UTC)

        end = day(self.end)
        return day(self.start), end + timedelta(days=1) if end else None

    def grouping(self) -> str:
        return str(self.by.currentData())

    def set_period(self, start: date | None, end: date | None) -> None:
        """Set both ends (None: no limit), recomputing once."""
        for edit, when in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(when.year, when.month, when.day) if when else NO_LIMIT)
            edit.blockSignals(False)
        self.refresh()

    # -- computing, off the UI thread ------------------------------------------------------------
    def refresh(self) -> Task | None:
        """Read, compute and draw for the period and grouping shown, in the background;
        a change while it runs computes again when it ends."""
        if self._task is not None:
            self._again = True
            return None
        self.summary.setText(self.tr("Computing…"))
        store, (start, end), by = self.store, self.period(), self.grouping()
        title = self.tr("Discrepancy rates by %1").replace("%1", self.by.currentText()) \
            if by != "all" else self.tr("Discrepancy rates")
        legend = (self.tr("score ≥ 2 (any discrepancy)"), self.tr("score ≥ 3 (likely to matter)"),
                  self.tr("whiskers: 95% Wilson interval"))
        total = self.tr("all")
        ai_by = "month" if by == "month" else "grade"
        ai_title = self.tr("AI pre-read against the expert, by month") if ai_by == "month" \
            else self.tr("AI pre-read against the expert, by the expert's grade")
        ai_legend = (self.tr("within one grade"), self.tr("the same grade"), legend[2])
        times_title = self.tr("Reviews signed by the due time, by urgency")
        times_legend = (self.tr("signed by the due time"), "", legend[2])
        urgency = {key: self._urgency(key) for key in ("stat", "urgent", "routine")}

        def work(progress, cancel):
            reviews = store.signed_reviews(start, end)
            rates = discrepancy_rates(reviews, by)
            feedback = ai_feedback(reviews, ai_by)
            times = turnaround(reviews)
            images = {
                "rates": render_rates(rates, title, legend, total),
                "ai": render_rates(ai_bars(feedback), ai_title, ai_legend, total),
                "turnaround": render_rates(
                    [dataclasses.replace(b, group=urgency.get(b.group, b.group))
                     for b in turnaround_bars(times)], times_title, times_legend, total,
                    series=1)}
            return rates, agreement_by_group(reviews, by), images, feedback, times

        task = Task(work, QT_TRANSLATE_NOOP("Task", "audit statistics"))
        task.succeeded.connect(self._shown)
        task.failed.connect(self._failed)
        task.cancelled.connect(self._ended)
        self._task = task
        return task.start()

    def done(self, result: int) -> None:
        """Closed: a computation still running is not shown."""
        if self._task is not None:
            self._again = False
            self._task.cancel()
        super().done(result)

    def _ended(self) -> bool:
        """The task is over; True when another computation was started instead."""
        self._task = None
        if self._again:
            self._again = False
            self.refresh()
            return True
        return False

    def _failed(self, error: str) -> None:
        if not self._ended():
            self.summary.setText(error)

    def _shown(self, result: tuple) -> None:
        if self._ended():
            return
        self.rates, self.agreement, self.images, self.feedback, self.times = result
        rows = []
        for rate in self.rates:
            (k1, n1), (k2, n2) = self.agreement.get(rate.group, ((None, 0), (None, 0)))
            rows.append([(self._group(rate.group), rate.group), (str(rate.reviews), rate.reviews),
                         (str(rate.score2), rate.score2),
                         (percent(rate.rate2, rate.ci2), (rate.rate2, *rate.ci2)),
                         (str(rate.score3), rate.score3),
                         (percent(rate.rate3, rate.ci3), (rate.rate3, *rate.ci3)),
                         (kappa_text(k1, n1), (k1, n1)), (kappa_text(k2, n2), (k2, n2))])
        _fill(self.table, rows)
        _fill(self.ai_table, [
            [(self._group(f.group), f.group), (str(f.reviews), f.reviews),
             (str(f.pairs), f.pairs), (str(f.agree), f.agree), (str(f.partly), f.partly),
             (str(f.disagree), f.disagree),
             (percent(f.rate, f.ci) if f.pairs else "—", (f.rate, *f.ci)),
             *((str(v), v) for v in f.verdicts)] for f in self.feedback])
        _fill(self.times_table, [
            [(self._urgency(t.group), t.group), (str(t.reviews), t.reviews),
             (hours_text(t.median_h), t.median_h), (hours_text(t.p90_h), t.p90_h),
             (str(t.on_time), t.on_time),
             (percent(t.rate, t.ci) if t.reviews else "—", (t.rate, *t.ci))]
            for t in self.times])
        (k1, n1), (k2, n2) = self.agreement.get("all", ((None, 0), (None, 0)))
        total = self.rates[-1]
        self.summary.setText(
            self.tr("%1 signed reviews. Grade agreement (quadratic weighted kappa): first "
                    "reader vs expert %2, AI vs expert %3.")
            .replace("%1", str(total.reviews)).replace("%2", kappa_text(k1, n1))
            .replace("%3", kappa_text(k2, n2)))
        self._show_plot()
        for button in (self.export_button, self.save_button):
            button.setEnabled(True)
        self.computed.emit()

    def _group(self, name: str) -> str:
        return self.tr("all") if name == "all" else name

    def _urgency(self, name: str) -> str:
        return {"stat": self.tr("stat (4 h)"), "urgent": self.tr("urgent (24 h)"),
                "routine": self.tr("routine (72 h)"), "all": self.tr("all")}.get(name, name)

    def _show_plot(self) -> None:
        self.image = self.images.get(self.table_key())
        if self.image is None:
            return
        size = self.plot.size()
        self.plot.setPixmap(QPixmap.fromImage(self.image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._show_plot()

    # -- export ----------------------------------------------------------------------------------
    def _ask(self, caption: str, name: str, kind: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, caption, str(Path.home() / name), kind)
        forget_dialog_history()  # Qt keeps the folders it visited outside LUCH_HOME
        return Path(path) if path else None

    def table_key(self) -> str:
        """The table shown: ``rates``, ``ai`` or ``turnaround`` (``audit-stats --table``)."""
        return ("rates", "ai", "turnaround")[max(0, self.tabs.currentIndex())]

    def csv_text(self) -> str:
        """The shown table's CSV, as ``luch audit-stats --csv --table`` prints it."""
        key = self.table_key()
        if key == "ai":
            return table_csv(AI_COLUMNS, ai_rows(self.feedback))
        if key == "turnaround":
            return table_csv(TURNAROUND_COLUMNS, turnaround_rows(self.times))
        return as_csv(self.rates, self.agreement)

    def export_csv(self, path: Path | None = None) -> Path | None:
        """The shown table as ``luch audit-stats --csv --table`` writes it (asks where when
        not given)."""
        key = self.table_key()
        name = f"audit-stats-{self.grouping()}.csv" if key == "rates" \
            else f"audit-stats-{key}.csv"
        path = path or self._ask(self.tr("Export CSV"), name, self.tr("CSV files (*.csv)"))
        if path is None:
            return None
        try:
            path.write_text(self.csv_text(), encoding="utf-8")
        except OSError as err:
            self.note.setText(self.tr("Not written: %1").replace("%1", err.strerror or ""))
            return None
        self.note.setText(self.tr("CSV written: %1").replace("%1", path.name))
        self.exported.emit("csv")
        return path

    def save_plot(self, path: Path | None = None) -> Path | None:
        """The shown tab's plot as a 1600x900 PNG (asks where when not given)."""
        key = self.table_key()
        name = f"audit-stats-{self.grouping()}.png" if key == "rates" \
            else f"audit-stats-{key}.png"
        path = path or self._ask(self.tr("Save plot"), name, self.tr("PNG images (*.png)"))
        if path is None or self.image is None:
            return None
        if not self.image.save(str(path), "PNG"):
            self.note.setText(self.tr("Not written: %1").replace("%1", path.name))
            return None
        self.note.setText(self.tr("Plot saved: %1").replace("%1", path.name))
        self.exported.emit("plot")
        return path
