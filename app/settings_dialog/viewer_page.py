"""The Viewer tab: window presets and hanging protocols."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from app.settings_dialog.base import (
    InvalidSetting,
    Page,
    _combo,
    _hint,
    _read_only,
)
from app.shell.view_names import layout_title
from core.settings import Settings
from viewer.hanging import SETTINGS_KEY as HANGING_KEY
from viewer.hanging import load_protocols
from viewer.layouts import LAYOUTS
from viewer.presets import SETTINGS_KEY as PRESETS_KEY
from viewer.presets import load_presets


class ViewerPage(Page):
    """Window presets (name, centre, width, key) and the layout/preset of each hanging protocol."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.presets_key, self.hanging_key = PRESETS_KEY, HANGING_KEY
        self.layouts = list(LAYOUTS)
        presets = load_presets(settings)
        self.protocols = load_protocols(settings)
        self.initial = {PRESETS_KEY: [asdict(p) for p in presets],
                        HANGING_KEY: [asdict(p) for p in self.protocols]}

        self.presets = QTableWidget(0, 4)
        self.presets.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Centre (HU)"),
                                                self.tr("Width (HU)"), self.tr("Key")])
        for p in presets:
            self._add_preset_row(p.name, _number(p.center), _number(p.width), p.key)
        add = QPushButton(self.tr("&Add preset"))
        add.clicked.connect(self.add_preset)
        remove = QPushButton(self.tr("&Remove preset"))
        remove.clicked.connect(self.remove_preset)

        self.hanging = QTableWidget(len(self.protocols), 3)
        self.hanging.setHorizontalHeaderLabels([self.tr("Hanging protocol"), self.tr("Layout"),
                                                self.tr("Window preset")])
        for row, protocol in enumerate(self.protocols):
            item = _read_only(protocol.name)
            item.setToolTip(protocol.description)
            self.hanging.setItem(row, 0, item)
            self.hanging.setCellWidget(row, 1, _combo([(n, layout_title(n))
                                                       for n in self.layouts],
                                                      protocol.layout))
            preset = QComboBox()
            preset.setEditable(True)  # names come from the preset table, checked on OK
            preset.addItems([p.name for p in presets])
            preset.setCurrentText(protocol.preset)
            self.hanging.setCellWidget(row, 2, preset)
        for table in (self.presets, self.hanging):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            table.setTabKeyNavigation(False)

        layout = QVBoxLayout(self)
        presets_label = QLabel(self.tr("&Window presets:"))
        presets_label.setBuddy(self.presets)
        layout.addWidget(presets_label)
        layout.addWidget(self.presets, 2)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        hanging_label = QLabel(self.tr("&Hanging protocols (first match wins):"))
        hanging_label.setBuddy(self.hanging)
        layout.addWidget(hanging_label)
        layout.addWidget(self.hanging, 1)
        layout.addWidget(_hint(self.tr("Changes to presets and protocols apply to the next study "
                                       "opened; new preset menu entries after a restart.")))

    def title(self) -> str:
        return self.tr("Viewer")

    def _add_preset_row(self, name: str, center: str, width: str, key: str) -> int:
        row = self.presets.rowCount()
        self.presets.insertRow(row)
        for column, text in enumerate((name, center, width, key)):
            self.presets.setItem(row, column, QTableWidgetItem(text))
        return row

    def add_preset(self) -> None:
        row = self._add_preset_row("", "40", "400", "")
        self.presets.setCurrentCell(row, 0)
        self.presets.setFocus()
        self.presets.editItem(self.presets.item(row, 0))

    def remove_preset(self) -> None:
        row = self.presets.currentRow()
        if row >= 0:
            self.presets.removeRow(row)

    def _preset_rows(self) -> list[dict]:
        out, names, keys = [], set(), set()
        for row in range(self.presets.rowCount()):
            name, center, width, key = (
                (self.presets.item(row, c).text() if self.presets.item(row, c) else "").strip()
                for c in range(4))
            where = self.tr("Window preset %1: ").replace("%1", str(row + 1))
            if not name:
                raise InvalidSetting(where + self.tr("enter a name."), self.presets)
            if name in names:
                raise InvalidSetting(where + self.tr("the name %1 is used twice.")
                                     .replace("%1", name), self.presets)
            try:
                c, w = float(center.replace(",", ".")), float(width.replace(",", "."))
            except ValueError:
                raise InvalidSetting(where + self.tr("centre and width must be numbers (HU)."),
                                     self.presets) from None
            if not 0 < w <= 10_000 or not -2_000 <= c <= 5_000:
                raise InvalidSetting(where + self.tr("the width must be 1..10000 HU and the "
                                                     "centre -2000..5000 HU."), self.presets)
            if key and (len(key) != 1 or not key.isalnum() or key.lower() == "c"):
                raise InvalidSetting(where + self.tr("the key must be one letter or digit (C "
                                                     "is taken by cine)."), self.presets)
            if key and key in keys:
                raise InvalidSetting(where + self.tr("the key %1 is used twice.")
                                     .replace("%1", key), self.presets)
            names.add(name)
            if key:
                keys.add(key)
            out.append({"name": name, "center": c, "width": w, "key": key})
        if not out:
            raise InvalidSetting(self.tr("Keep at least one window preset."), self.presets)
        return out

    def preset_keys(self) -> dict[str, str]:
        """Key -> preset name, as entered (validated by :meth:`values`)."""
        return {p["key"]: p["name"] for p in self._preset_rows() if p["key"]}

    def values(self) -> dict[str, Any]:
        presets = self._preset_rows()
        names = {p["name"] for p in presets}
        hanging = []
        for row, protocol in enumerate(self.protocols):
            preset = self.hanging.cellWidget(row, 2).currentText().strip()
            if preset not in names:
                raise InvalidSetting(self.tr("Hanging protocol %1 uses the window preset %2, "
                                             "which is not in the preset table.")
                                     .replace("%1", protocol.name).replace("%2", preset),
                                     self.hanging)
            item = asdict(protocol)
            item.update(layout=self.hanging.cellWidget(row, 1).currentData(), preset=preset)
            hanging.append(item)
        return {self.presets_key: presets, self.hanging_key: hanging}


def _number(value: float) -> str:
    return f"{value:g}"
