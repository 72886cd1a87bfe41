"""Label editing in the main window: the tools (Tools menu, toolbar, right-click menu), the
label, brush-size and HU-range controls, undo/redo, and the editor of the AI overlay.

The edit state is :class:`inference.label_edit.LabelEditor` (Qt-free); this module only
shows it: each edit refreshes the AI overlay in every view, and the controls follow the
editor's label, size and range."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QSpinBox, QToolBar

from inference.label_edit import (
    CLASSES,
    CONSOLIDATION_CLASS,
    ERASE,
    ERASE_COMPONENT,
    GGO_CLASS,
    LUNG,
    PAINT,
    THRESHOLD,
    TOOLS,
    LabelEditor,
)

SOURCE = "ai"  # the overlay source the tools edit


class LabelTools(QObject):
    """The label tools of ``window`` (a :class:`app.shell.main_window.MainWindow`)."""

    def __init__(self, window, menu: QMenu, group) -> None:
        super().__init__(window)
        self.window = window
        self.editor: LabelEditor | None = None
        self.last: LabelEditor | None = None  # the latest editor (kept when a study reloads)
        self.save_handler: Callable[[], object] | None = None  # set by the reading workflow
        sub = menu.addMenu(self.tr("&Label editing"))
        for tool, text, key in (
            (PAINT, self.tr("&Brush (paint the label)"), "B"),
            (ERASE, self.tr("E&raser (erase the label)"), "X"),
            (THRESHOLD, self.tr("&Threshold fill in the lung"), "T"),
            (ERASE_COMPONENT, self.tr("Erase the &component under the cursor"), "Shift+X"),
        ):
            action = window._add_action(sub, f"tool-{tool}", text,
                                        lambda _=False, t=tool: window.set_tool(t), key)
            action.setCheckable(True)
            group.addAction(action)
        sub.addSeparator()
        window._add_action(sub, "label-next", self.tr("Next &label (lung, GGO, consolidation)"),
                           self.cycle_label, "L")
        window._add_action(sub, "brush-bigger", self.tr("Bi&gger brush"),
                           lambda: self.scale_brush(1.5), ".")
        window._add_action(sub, "brush-smaller", self.tr("S&maller brush"),
                           lambda: self.scale_brush(1 / 1.5), ",")
        sub.addSeparator()
        undo = window._add_action(sub, "label-undo", self.tr("&Undo label edit"), self.undo,
                                  "Ctrl+Z")
        redo = window._add_action(sub, "label-redo", self.tr("Re&do label edit"), self.redo,
                                  "Ctrl+Shift+Z")
        if redo.shortcut().toString() == "Ctrl+Shift+Z":  # not rebound: Ctrl+Y too
            redo.setShortcuts([redo.shortcut(), "Ctrl+Y"])
        window._add_action(sub, "label-save", self.tr("&Save the label correction"),
                           self.save, "Ctrl+Shift+E")
        self.undo_action, self.redo_action = undo, redo
        self.bar_action = window._add_action(sub, "label-bar",
                                             self.tr("Show the label-editing &bar"),
                                             self.show_bar, None)
        self.bar_action.setCheckable(True)
        self.ids = tuple(f"tool-{t}" for t in TOOLS)
        self._update_actions()

    def label_names(self) -> dict[str, str]:
        return {LUNG: self.tr("Lung"), GGO_CLASS: self.tr("GGO"),
                CONSOLIDATION_CLASS: self.tr("Consolidation")}

    def tool_names(self) -> dict[str, str]:
        return {PAINT: self.tr("Brush"), ERASE: self.tr("Eraser"),
                THRESHOLD: self.tr("Threshold fill"), ERASE_COMPONENT: self.tr("Erase component")}

    # -- toolbar ------------------------------------------------------------------------------
    def build_toolbar(self) -> QToolBar:
        """A second toolbar: the four tools, the label, brush size and HU range, undo, redo
        and save."""
        window = self.window
        # It takes the viewer tools' place while editing (beside them it ran past a 1400-px
        # screen; a row of its own took 28 px from the report form on a 1366x768 laptop,
        # and appearing when a tool was armed it moved the image under the cursor): the
        # "Labels" button, the Tools menu, or arming a label tool (B, X, T, Shift+X) swaps
        # it in; "Labels" on it swaps the viewer tools back. The views keep their size.
        bar = window.addToolBar(self.tr("Label editing"))
        bar.setObjectName("label-toolbar")
        for action_id in ("label-bar", None, *self.ids, None, "label-undo", "label-redo",
                          "label-save"):
            if action_id is None:
                bar.addSeparator()
                continue
            bar.addAction(window.actions[action_id])
        short = {"tool-paint": self.tr("Brush"), "tool-erase": self.tr("Eraser"),
                 "tool-threshold": self.tr("Threshold"),
                 "tool-erase-component": self.tr("Erase component"),
                 "label-undo": self.tr("Undo"), "label-redo": self.tr("Redo"),
                 "label-save": self.tr("Save correction")}
        for action_id, text in short.items():
            window.actions[action_id].setIconText(text)
        self.label_box = QComboBox()
        self.label_box.setObjectName("label-class")
        for name, text in self.label_names().items():
            self.label_box.addItem(text, name)
        self.label_box.setCurrentIndex(CLASSES.index(GGO_CLASS))
        self.label_box.currentIndexChanged.connect(
            lambda n: self.editor and self.editor.set_label_class(CLASSES[n]))
        self.size_box = _spin(1, 50, 5, self.tr(" mm"), "brush-size")
        self.size_box.setToolTip(self.tr("Brush radius"))
        self.size_box.valueChanged.connect(lambda v: self.editor and self.editor.set_radius(v))
        self.low_box = _spin(-1024, 3000, -750, self.tr(" HU"), "hu-low")
        self.high_box = _spin(-1024, 3000, -300, self.tr(" HU"), "hu-high")
        for box in (self.low_box, self.high_box):
            box.setToolTip(self.tr("Threshold fill: the HU range painted inside the lung"))
            box.valueChanged.connect(self._range_edited)
        at = bar.actions()[2 + len(self.ids)]  # the separator after the tools
        for widget in (QLabel(self.tr("Label")), self.label_box, QLabel(self.tr("Size")),
                       self.size_box, QLabel(self.tr("HU")), self.low_box, self.high_box):
            bar.insertWidget(at, widget)
        self.toolbar = bar
        window.actions["label-bar"].setIconText(self.tr("Labels"))
        # One height for both (its spin boxes are taller than text buttons): the swap must
        # not move the views by a pixel.
        height = max(bar.sizeHint().height(), window.toolbar.sizeHint().height())
        for toolbar in (bar, window.toolbar):
            toolbar.setFixedHeight(height)
        bar.hide()
        return bar

    def show_bar(self, on: bool) -> None:
        """The label-editing bar in the viewer tools' place (``on``), or the viewer tools
        back: one row either way, so the views do not move."""
        self.window.toolbar.setVisible(not on)
        self.toolbar.setVisible(on)
        self.bar_action.setChecked(on)

    def _range_edited(self) -> None:
        if self.editor is not None:
            self.editor.set_hu_range(self.low_box.value(), self.high_box.value())

    # -- the editor ---------------------------------------------------------------------------
    def start(self, editor: LabelEditor | None) -> None:
        """Edit ``editor``'s label map (None: nothing to edit, the label tools are off)."""
        if self.editor is not None:
            self.editor.unsubscribe(self._on_editor)
        self.editor = editor
        if editor is not None:
            self.last = editor
            editor.subscribe(self._on_editor)
            editor.set_label_class(CLASSES[self.label_box.currentIndex()]
                                   if hasattr(self, "label_box") else editor.label_class)
            editor.set_radius(self.size_box.value() if hasattr(self, "size_box")
                              else editor.radius_mm)
        elif self.window.state.tool in TOOLS:
            self.window.set_tool(None)
        self._update_actions()

    def _on_editor(self, name: str, value) -> None:
        if name == "labels":
            self.window.refresh_labels(SOURCE)
        elif name == "label_class" and hasattr(self, "label_box"):
            self.label_box.blockSignals(True)
            self.label_box.setCurrentIndex(CLASSES.index(value))
            self.label_box.blockSignals(False)
        elif name == "radius_mm" and hasattr(self, "size_box"):
            self.size_box.blockSignals(True)
            self.size_box.setValue(round(value))
            self.size_box.blockSignals(False)
        elif name == "hu_range" and hasattr(self, "low_box"):
            for box, v in zip((self.low_box, self.high_box), value, strict=True):
                box.blockSignals(True)
                box.setValue(round(v))
                box.blockSignals(False)
        self._update_actions()
        if name in ("label_class", "radius_mm"):
            self.window.show_tool_label()

    def _update_actions(self) -> None:
        actions, editor = self.window.actions, self.editor
        for action_id in self.ids:
            actions[action_id].setEnabled(editor is not None)
        for action_id in ("label-next", "brush-bigger", "brush-smaller"):
            actions[action_id].setEnabled(editor is not None)
        self.undo_action.setEnabled(editor is not None and editor.can_undo)
        self.redo_action.setEnabled(editor is not None and editor.can_redo)
        actions["label-save"].setEnabled(editor is not None and editor.unsaved)

    def describe(self, tool: str) -> str:
        """'Brush: GGO, 5 mm' for the status bar."""
        name = self.tool_names().get(tool, tool)
        if self.editor is None or tool == ERASE_COMPONENT:
            return name
        label = self.label_names()[self.editor.label_class]
        text = f"{name}: {label}, {self.editor.radius_mm:.0f} " + self.tr("mm")
        if tool == THRESHOLD:
            low, high = self.editor.hu_range
            text += f", {low:.0f}…{high:.0f} " + self.tr("HU")
        return text

    # -- commands -----------------------------------------------------------------------------
    def cycle_label(self) -> None:
        if self.editor is not None:
            self.editor.cycle_label_class()

    def scale_brush(self, factor: float) -> None:
        if self.editor is not None:
            self.editor.set_radius(max(1.0, round(self.editor.radius_mm * factor)))

    def undo(self) -> None:
        if self.editor is not None and not self.editor.undo():
            self.window.statusBar().showMessage(self.tr("Nothing to undo"), 3000)

    def redo(self) -> None:
        if self.editor is not None and not self.editor.redo():
            self.window.statusBar().showMessage(self.tr("Nothing to redo"), 3000)

    def save(self):
        """Save the edited map as a correction of the AI result (the workflow's handler)."""
        if self.editor is None or not self.editor.unsaved:
            self.window.statusBar().showMessage(self.tr("No label edits to save"), 3000)
            return None
        if self.save_handler is None:
            self.window.statusBar().showMessage(self.tr(
                "Label corrections are saved with a stored AI result; open the study from "
                "the worklist"))
            return None
        return self.save_handler()


def _spin(low: int, high: int, value: int, suffix: str, name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setSuffix(suffix)
    box.setObjectName(name)
    box.setKeyboardTracking(False)
    return box
