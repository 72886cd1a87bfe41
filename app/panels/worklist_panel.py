"""The worklist: studies to read, most urgent and most severe (AI grade) first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.panels import terms
from core.names import dicom_date, person_name


@dataclass(frozen=True)
class WorklistRow:
    study_instance_uid: str
    priority: str
    patient: str
    study_date: str
    modality: str
    ai_grade: str
    status: str
    description: str = ""
    preread: str = ""  # the background pre-read of an ungraded study: "pending", "running"
    cached_note: str = ""  # shown after the status, e.g. a study only partly cached
    review: str = ""  # a review of this station's report: "" none, else its tooltip text
    accession: str = ""  # found by the search, not shown
    # ``ai_grade`` computed by an older model version: (that version, the current one)
    outdated: tuple[str, str] = ()


URGENCY_MARKS = {"stat": "!!", "urgent": "!"}  # routine: no mark


class WorklistPanel(QWidget):
    """A sortable, searchable table; ``open_requested(study_uid)`` on Enter or double-click."""

    open_requested = Signal(str)
    search_left = Signal()  # Esc in the search box: the keys go back to the image
    COLUMNS = ("priority", "patient", "study_date", "modality", "ai_grade", "status")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.anonymize = False
        self.rows: list[WorklistRow] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search patient, date, grade…"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        # Only a click puts the caret here: keys meant for the image (1-4, D, E...) never
        # land in the search box because focus moved on after a menu or a layout change.
        self.search.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.search.installEventFilter(self)
        self.status_filter = QComboBox()
        for text, value in ((self.tr("All studies"), ""), (self.tr("Unread"), "unread"),
                            (self.tr("Drafts"), "draft"), (self.tr("Signed"), "signed"),
                            (self.tr("Reviewed"), "reviewed")):
            self.status_filter.addItem(text, value)
        self.status_filter.currentIndexChanged.connect(lambda _i: self._filter())
        self.severe_only = QCheckBox(self.tr("CT-3/CT-4 only"))
        self.severe_only.toggled.connect(lambda _on: self._filter())
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("worklist")
        self.table.setHorizontalHeaderLabels([
            "!", self.tr("Patient"), self.tr("Date"), self.tr("Modality"),
            self.tr("AI grade"), self.tr("Status")])
        # Urgency as a mark ("!!" stat, "!" urgent, routine blank; the word in its tooltip),
        # so the patient's name gets the room a word column took.
        self.table.horizontalHeaderItem(0).setToolTip(self.tr("Urgency"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        # Every column in view: the patient's name takes what is left (elided), the short
        # columns (urgency, date, modality, AI grade, status) their contents' width.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Names that differ at the end (LIDC-IDRI-0001, -0003) stay told apart when cut short;
        # the whole name is the cell's tooltip.
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.table.setWordWrap(False)
        self.table.setColumnHidden(3, True)  # modality: a chest CT station reads CT only
        self._fit_columns()
        self.table.itemActivated.connect(self._activated)
        self.table.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter, 1)
        filters.addWidget(self.severe_only)
        layout.addLayout(filters)
        layout.addWidget(self.table)

    def find(self) -> None:
        """Put the caret in the search box, its text selected (typing replaces it)."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys of the search box: Esc hands the keyboard back (``search_left``), Enter opens
        the selected match (else the first), Down steps into the list. Letters and digits
        typed in the list go to the search box (the list's own type-ahead only matched the
        urgency column)."""
        keys = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if watched is self.table and event.type() in keys and event.text().isalnum() \
                and event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                          Qt.KeyboardModifier.ShiftModifier):
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # a letter for the search, not the image's shortcut
                return False
            self.find()
            self.search.setText(event.text())
            return True
        if watched is not self.search or event.type() not in keys or event.modifiers() not in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier):
            return super().eventFilter(watched, event)
        key = event.key()
        if key not in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # a key press for the box, not a window shortcut
            return False
        if key == Qt.Key.Key_Escape:
            self.search_left.emit()
        elif key == Qt.Key.Key_Down:
            self._step_into_list()
        else:
            shown = self._visible_rows()
            row = self.table.currentRow() if self.table.currentRow() in shown else (
                self._newest_of_first(shown) if shown else None)
            if row is not None:
                self.open_requested.emit(self.table.item(row, 0).data(Qt.ItemDataRole.UserRole))
        return True

    def _newest_of_first(self, shown: list[int]) -> int:
        """The row Enter opens when none is selected: the first match's patient's newest
        study among the matches (a patient's older study is its prior, compared with
        Ctrl+P; the triage order may list it first), else the first match."""
        first = self.rows[shown[0]]
        if not first.patient:
            return shown[0]
        same = [r for r in shown if self.rows[r].patient == first.patient]
        return max(same, key=lambda r: (self.rows[r].study_date, -r))

    def _visible_rows(self) -> list[int]:
        return [r for r in range(self.table.rowCount()) if not self.table.isRowHidden(r)]

    def _step_into_list(self) -> None:
        shown = self._visible_rows()
        if not shown:
            return
        if self.table.currentRow() not in shown:
            self.table.selectRow(shown[0])
        self.table.setFocus(Qt.FocusReason.TabFocusReason)

    def set_rows(self, rows: list[WorklistRow]) -> None:
        """Show ``rows`` in the order given (the triage order); the selected study stays
        selected wherever its row moves (a new AI grade re-sorts the list), and the reader's
        place stays put: the study they were looking at (the selected one if in view, else
        the top one in view) keeps its place in the view. The keyboard stays where it was."""
        selected = self.selected_study()
        anchor = self._anchor()
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
        self.rows = list(rows)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            patient = self.tr("Anonymized") if self.anonymize else (
                person_name(row.patient) or self.tr("(no name)"))  # an empty row is easy to miss
            shown = (URGENCY_MARKS.get(row.priority, ""), patient, dicom_date(row.study_date),
                     row.modality,
                     terms.preread_marker(row.preread) if row.preread and not row.ai_grade
                     else terms.outdated_grade(row.ai_grade, row.preread) if row.outdated
                     else terms.grade(row.ai_grade),
                     terms.term(row.status) + (" ⚑" if row.review else "")
                     + (" ◐" if row.cached_note else ""))
            for c, text in enumerate(shown):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.study_instance_uid)
                if c == 1:
                    item.setToolTip(text)
                if c == 0:
                    item.setToolTip(terms.term(row.priority))
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if text:  # bold, and red for stat: the mark's count says it, not hue
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                        if row.priority == "stat":
                            item.setForeground(Qt.GlobalColor.red)
                if c == 5 and (row.cached_note or row.review):  # in full (the column fits a word)
                    item.setToolTip("\n".join(t for t in (
                        terms.term(row.status) + row.cached_note, row.review) if t))
                if c == 4 and row.outdated:  # grey, and a symbol: not presented as current
                    item.setForeground(Qt.GlobalColor.darkGray)
                    item.setToolTip(terms.outdated_tooltip(*row.outdated, row.preread))
                elif c == 4 and row.ai_grade in ("CT-3", "CT-4"):  # red and bold: not by hue alone
                    item.setForeground(Qt.GlobalColor.red)
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                elif c == 4 and row.preread and not row.ai_grade:  # the symbol says it, not hue
                    item.setForeground(Qt.GlobalColor.darkGray)
                    item.setToolTip(terms.preread_tooltip(row.preread))
                self.table.setItem(r, c, item)
        self._filter(self.search.text())
        self.table.setAutoScroll(False)  # selecting must not scroll: the anchor says where
        try:
            if selected is not None:
                self.select_study(selected)
        finally:
            self.table.setAutoScroll(True)
        self._scroll_to(anchor)

    def _row_of(self, study_uid: str) -> int | None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) == study_uid:
                return r
        return None

    def _anchor(self) -> tuple[str, int] | None:
        """The study the reader's eyes are on and how many shown rows are above it in the
        view: the selected study when it is in view, else the top row in view."""
        table = self.table
        top = table.rowAt(0)
        if top < 0:
            return None
        bottom = table.rowAt(table.viewport().height() - 1)
        bottom = table.rowCount() - 1 if bottom < 0 else bottom
        row = table.currentRow()
        if self.selected_study() is None or not top <= row <= bottom \
                or table.isRowHidden(row):
            row = top
        above = sum(1 for r in range(top, row) if not table.isRowHidden(r))
        return table.item(row, 0).data(Qt.ItemDataRole.UserRole), above

    def _scroll_to(self, anchor: tuple[str, int] | None) -> None:
        """Scroll so the anchor's study has as many shown rows above it in the view as before
        (as near as the list's ends allow); one that left the list or is hidden: no scroll."""
        row = None if anchor is None else self._row_of(anchor[0])
        if row is None or self.table.isRowHidden(row):
            return
        self.table.doItemsLayout()  # the scroll range for the new row count
        shown_above = sum(1 for r in range(row) if not self.table.isRowHidden(r))
        header = self.table.verticalHeader()
        if self.table.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
            value = shown_above - anchor[1]
        else:  # pixels: the rows above it in the view as tall as the ones there now
            value = header.sectionPosition(row) - anchor[1] * header.defaultSectionSize()
        self.table.verticalScrollBar().setValue(value)

    def selected_study(self) -> str | None:
        """The Study Instance UID of the selected row, if any."""
        row = self.table.currentRow()
        if row < 0 or not self.table.selectionModel().isRowSelected(row):
            return None
        item = self.table.item(row, 0)
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    PATIENT_MIN_PX = 120  # "LIDC-IDRI-0003", "Иванов И. И." whole
    # What the short columns can hold (urgency, date, -, AI grade, status): their widths
    # come from these, so the panel's size does not change as rows come and go.
    SAMPLES: ClassVar[dict[int, tuple[str, ...]]] = {
        0: ("!!",), 2: ("00.00.0000",),
        4: ("CT-4", "not-assessable", "~pending", "~running",  # ~: a pre-read marker
            "^CT-4", "^not-assessable"),  # ^: an outdated grade (to be read or being read)
        5: ("unread", "draft", "preliminary", "final", "amended")}

    def _fit_columns(self) -> None:
        """Short columns as wide as any value they can hold, the patient's name the rest;
        the table at least that wide, so the AI grade and status never hide behind a
        scroll bar and opening a study does not widen the panel."""
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        pad = 2 * self.table.style().pixelMetric(
            self.table.style().PixelMetric.PM_FocusFrameHMargin) + 6
        shown = {0: lambda v: [v], 2: lambda v: [v], 5: lambda v: [terms.term(v)],
                 4: lambda v: [terms.preread_marker(v[1:])] if v[0] == "~"
                 else [terms.outdated_grade(v[1:], s) for s in ("", "running")] if v[0] == "^"
                 else [terms.grade(v)]}
        fixed = 0
        for column, samples in self.SAMPLES.items():
            width = max(header.sectionSizeHint(column),
                        *(metrics.horizontalAdvance(text) + pad
                          for v in samples for text in shown[column](v)))
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, width)
            fixed += width
        frame = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(fixed + self.PATIENT_MIN_PX + frame)

    def set_anonymize(self, anonymize: bool) -> None:
        self.anonymize = anonymize
        self.set_rows(self.rows)

    def _filter(self, _text: str | None = None) -> None:
        """Search text (any column), status and severity filters together."""
        needle = self.search.text().strip().lower()
        status = self.status_filter.currentData()
        for r, row in enumerate(self.rows):
            cells = " ".join(self.table.item(r, c).text().lower()
                             for c in range(self.table.columnCount()))
            signed = row.status in ("final", "amended", "preliminary")
            if not self.anonymize:  # what a row is known by besides its cells
                cells += " " + " ".join((row.accession, row.description)).lower()
            cells += " " + terms.term(row.priority).lower() + " " + row.ai_grade.lower()
            hidden = (bool(needle) and needle not in cells) \
                or (status == "signed" and not signed) \
                or (status == "draft" and row.status != "draft") \
                or (status == "unread" and (signed or row.status == "draft")) \
                or (status == "reviewed" and not row.review) \
                or (self.severe_only.isChecked() and row.ai_grade not in ("CT-3", "CT-4"))
            self.table.setRowHidden(r, hidden)

    def visible_study_uids(self) -> list[str]:
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole)
                for r in self._visible_rows()]

    def unsigned_study_uids(self) -> list[str]:
        """The studies shown whose report is not signed yet (unread or a draft), in order."""
        status = {row.study_instance_uid: row.status for row in self.rows}
        return [u for u in self.visible_study_uids()
                if status.get(u) not in ("final", "amended", "preliminary")]

    def _activated(self, item: QTableWidgetItem) -> None:
        self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def select_study(self, study_uid: str) -> None:
        row = self._row_of(study_uid)
        if row is not None:
            self.table.selectRow(row)
