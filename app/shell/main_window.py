"""The main window: the reading layout, menus, and a status bar with load progress."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QByteArray, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.shell import shortcut_guard, view_names
from app.shell.label_tools import SOURCE as EDITED_SOURCE
from app.shell.label_tools import LabelTools
from app.shell.load_warnings import WarningStrip, warnings_text
from app.shell.open_dir import forget_dialog_history, last_open_dir, remember_open_dir
from app.shell.tasks import Task
from core.errors import LuchError
from core.settings import Settings
from inference.label_edit import TOOLS as LABEL_TOOLS
from inference.label_edit import LabelEditor
from inference.labels import Label
from studies import Volume
from studies.registration import Alignment, align_for_comparison
from viewer.compare import ComparisonLayout
from viewer.hanging import choose_protocol, load_protocols
from viewer.key_image_list import KeyImageList
from viewer.key_images import KeyImage, KeyImages, NotAnImage, key_image_of
from viewer.layouts import LAYOUTS, ReadingLayout
from viewer.measurement_list import MeasurementList
from viewer.measurement_store import load_measurements, save_measurements
from viewer.measurements import Measurement
from viewer.numbers import decimal
from viewer.orientation import AXIAL, acquisition_plane
from viewer.overlay import LabelOverlay
from viewer.pending import ArrivingLabels
from viewer.place_store import load_places, save_places
from viewer.presets import load_presets
from viewer.reading_state import ReadingState
from viewer.series_browser import SeriesBrowser, SeriesThumb
from viewer.slice_view import SliceView
from viewer.vtk_bridge import volume_to_vtk

SHORTCUTS_KEY = "app.shortcuts"  # settings: action id -> key sequence, overriding the defaults

LABEL_GROUPS = {
    "lungs": (int(Label.LUNG_RIGHT), int(Label.LUNG_LEFT)),
    "ggo": (int(Label.GGO_RIGHT), int(Label.GGO_LEFT)),
    "consolidation": (int(Label.CONSOLIDATION_RIGHT), int(Label.CONSOLIDATION_LEFT)),
}


@dataclass
class LoadedStudy:
    volume: Volume
    prior: Volume | None = None
    labels: dict[str, Volume] = field(default_factory=dict)  # overlay source -> label map
    alignment: Alignment | None = None


class MainWindow(QMainWindow):
    """Luch's main window. ``volume_loaded`` fires once a study is on screen."""

    volume_loaded = Signal(object)
    study_arriving = Signal(object)  # a study shows before it is whole (progressive open)
    prior_loaded = Signal(object)
    series_listed = Signal(int)  # how many series the browser shows
    load_failed = Signal(str)
    loading = Signal(bool)  # a study (or prior) is loading (True), or is done or stopped (False)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        shortcut_guard.install(QApplication.instance())  # letters in combo boxes are not tools
        self.setWindowTitle(self.tr("Luch — CT reading workstation"))
        self.state = ReadingState()  # cursor, window, zoom, tool: kept across layouts
        self.state.subscribe(self._state_changed)
        self.places = load_places()  # where each series was left (kept as it is left)
        self._shown_series = ""
        self.reading: ReadingLayout | ComparisonLayout = ReadingLayout("1x1", state=self.state)
        # One central area for the whole session: layouts are swapped inside it, so the
        # side panels never resize and the new views are in place at once.
        self.view_area = QWidget()
        self.view_area.setObjectName("view-area")
        area = QVBoxLayout(self.view_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.setSpacing(0)
        # What the loader found wrong with the series (missing slices, tilt...): said over it.
        self.warning_strip = WarningStrip()
        area.addWidget(self.warning_strip)
        area.addWidget(self.reading)
        self.setCentralWidget(self.view_area)
        self.study: LoadedStudy | None = None
        self.current_path: Path | None = None
        self.overlays: dict[str, list[LabelOverlay]] = {}  # source -> one layer per view
        self.measurements: list[Measurement] = []
        self.key_images = KeyImages()  # the study's marked slices (Qt-free; go with the report)
        self.key_images.subscribe(self._key_images_changed)
        self._active: SliceView | None = None  # the view the keys went to last
        self.anonymize = False
        self.slab_mode, self.slab_mm = "none", float(self.settings.get("viewer.slab_mm", 10.0))
        self.presets = load_presets(self.settings)
        self.actions: dict[str, QAction] = {}
        self._task: Task | None = None
        self._panels_state: QByteArray | None = None  # the panels "images only" hid
        self._arrived = None  # a study still arriving: which stored slices are here
        self._arriving_labels: ArrivingLabels | None = None  # its AI map, arrived slices only
        self._build_status_bar()
        self._build_menus()
        # Tabbed panels (measurements | key images) name themselves above their list, as a
        # tab widget does; Qt's default puts the tab bar under the docks.
        self.setTabPosition(Qt.DockWidgetArea.AllDockWidgetAreas, QTabWidget.TabPosition.North)
        self._build_series_browser()
        self._build_measurement_list()
        self._build_key_image_list()
        QApplication.instance().focusChanged.connect(self._focus_changed)

    @property
    def view(self) -> SliceView:
        """The main view (axial of the current study)."""
        return self.reading.primary

    @property
    def volume(self) -> Volume | None:
        return self.study.volume if self.study else None

    @property
    def active_view(self) -> SliceView:
        """The view the reader works in: the one with the keys (or had them last)."""
        views = self.reading.views
        return self._active if self._active in views else self.view

    def _focus_changed(self, _old, new) -> None:
        if not isValid(self):
            return
        for view in self.reading.views:
            if new is view.interactor:
                self._active = view

    # -- chrome -----------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel(self.tr("No study open"))
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(200)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel_loading)
        self.tool_label = QLabel()
        self.tool_label.setObjectName("active-tool")
        self.tool_label.setStyleSheet("font-weight: bold; color: #b36b00;")
        self.tool_label.hide()
        # A series acquired with uneven slice gaps is drawn evenly spaced: said while shown.
        self.spacing_label = QLabel()
        self.spacing_label.setObjectName("uneven-spacing")
        self.spacing_label.setStyleSheet("font-weight: bold; color: #b36b00;")
        self.spacing_label.hide()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.spacing_label)
        bar.addPermanentWidget(self.tool_label)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._add_action(file_menu, "open-folder", self.tr("Open DICOM &folder…"),
                         self._choose_folder, QKeySequence.StandardKey.Open)
        self._add_action(file_menu, "open-file", self.tr("Open &file (NIfTI, DICOM)…"),
                         self._choose_file, "Ctrl+Shift+O")
        file_menu.addSeparator()
        self._add_action(file_menu, "quit", self.tr("&Quit"), self.close,
                         QKeySequence.StandardKey.Quit)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        layouts = self._layout_group = QActionGroup(self)
        layouts.setExclusionPolicy(QActionGroup.ExclusionPolicy.ExclusiveOptional)  # compare
        for n, name in enumerate(LAYOUTS, start=1):
            action = self._add_action(view_menu, f"layout-{name}",
                                      self.tr("Layout: %s") % self.layout_title(name),
                                      lambda _=False, n=name: self.set_layout(n), f"Ctrl+{n}")
            action.setCheckable(True)
            layouts.addAction(action)
        view_menu.addSeparator()
        for preset in self.presets:
            self._add_action(view_menu, f"preset-{preset.name}",
                             self.tr("Window: %s") % self.preset_title(preset.name),
                             lambda _=False, n=preset.name: self.apply_preset(n),
                             preset.key or None)
        view_menu.addSeparator()
        self._add_action(view_menu, "overlay", self.tr("Toggle AI &overlay"),
                         self.toggle_overlay, "O")
        self._add_action(view_menu, "overlay-outline", self.tr("AI overlay as &outlines"),
                         self.toggle_overlay_outline, "Shift+O")
        labels = view_menu.addMenu(self.tr("Overlay &labels"))
        for group, text, key in (("lungs", self.tr("&Lungs"), "Alt+1"),
                                 ("ggo", self.tr("&Ground-glass opacity"), "Alt+2"),
                                 ("consolidation", self.tr("&Consolidation"), "Alt+3")):
            action = self._add_action(labels, f"overlay-{group}", text,
                                      lambda on, g=group: self.set_label_group(g, visible=on),
                                      key)
            action.setCheckable(True)
            action.setChecked(True)
        self._add_action(labels, "overlay-more", self.tr("&More opaque"),
                         lambda: self.scale_overlay_opacity(1.5), "Alt+=")
        self._add_action(labels, "overlay-less", self.tr("L&ess opaque"),
                         lambda: self.scale_overlay_opacity(1 / 1.5), "Alt+-")
        slab = view_menu.addMenu(self.tr("Thick &slab"))
        for mode, text, key in (("none", self.tr("&Thin slice"), "Shift+T"),
                                ("mip", self.tr("&MIP (maximum)"), "Shift+M"),
                                ("minip", self.tr("M&inIP (minimum)"), "Shift+N"),
                                ("mean", self.tr("M&ean"), "Shift+E")):
            self._add_action(slab, f"slab-{mode}", text,
                             lambda _=False, m=mode: self.set_slab(m), key)
        self._add_action(slab, "slab-thicker", self.tr("T&hicker slab"),
                         lambda: self.set_slab(self.slab_mode, self.slab_mm * 2), "]")
        self._add_action(slab, "slab-thinner", self.tr("Thinne&r slab"),
                         lambda: self.set_slab(self.slab_mode, self.slab_mm / 2), "[")
        self._add_action(view_menu, "cine", self.tr("&Cine"), self._toggle_cine, "C")
        self._add_action(view_menu, "key-image", self.tr("Mark or unmark as &key image"),
                         self.toggle_key_image, "K")
        self._add_action(view_menu, "anonymize", self.tr("&Anonymize corner text"),
                         self.toggle_anonymize, "Ctrl+Shift+A")
        self._add_action(view_menu, "detach", self.tr("&Detach view to a new window"),
                         self._detach_view, "Ctrl+D")
        images_only = self._add_action(view_menu, "images-only",
                                       self.tr("&Images only (hide the panels)"),
                                       self.toggle_images_only, "F11")
        images_only.setCheckable(True)

        tools = self.menuBar().addMenu(self.tr("&Tools"))
        tool_group = QActionGroup(self)
        for tool, text, key in (
            (None, self.tr("&Window/level (no tool)"), "Esc"),
            ("distance", self.tr("&Distance"), "D"),
            ("ellipse", self.tr("&Ellipse ROI"), "E"),
            ("freehand", self.tr("&Freehand ROI"), "F"),
        ):
            action = self._add_action(tools, f"tool-{tool or 'none'}", text,
                                      lambda _=False, t=tool: self.set_tool(t), key)
            action.setCheckable(True)
            action.setChecked(tool is None)
            tool_group.addAction(action)
        self.label_tools = LabelTools(self, tools, tool_group)
        self._build_toolbar()

    @property
    def images_only(self) -> bool:
        """The side panels are hidden (F11)."""
        return self._panels_state is not None

    def toggle_images_only(self) -> None:
        """Hide the side panels so the images take the whole window (a small screen, a
        comparison); again: the panels come back as they were (sizes, tabs, places)."""
        if self._panels_state is not None:
            self.restoreState(self._panels_state)
            self._panels_state = None
        else:
            self._panels_state = self.saveState()
            for dock in self.findChildren(QDockWidget):
                if dock.parent() is self and not dock.isFloating():
                    dock.hide()
        self.actions["images-only"].setChecked(self._panels_state is not None)
        self.focus_image()

    def _left_dock(self, widget: QWidget, title: str, name: str) -> QDockWidget:
        """A movable, floatable (not closable) dock on the left holding ``widget``."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        return dock

    def _build_series_browser(self) -> None:
        self.series_browser = SeriesBrowser()
        self.series_browser.series_chosen.connect(self.open_series)
        self.series_dock = self._left_dock(self.series_browser, self.tr("Series"), "dock-series")
        self._series_task: Task | None = None

    def open_series(self, series_uid: str) -> Task | None:
        """Show another series of the open study (from the series browser)."""
        if self.current_path is None or self.volume is None \
                or series_uid == self.volume.info.series_instance_uid:
            return None
        return self.open_path(self.current_path, series=series_uid)

    def _list_series(self) -> None:
        """Fill the series browser with the study location's series (in the background;
        the thumbnails are each series' middle slice)."""
        path, shown = self.current_path, self.volume.info.series_instance_uid
        if path is None:
            return
        if self.series_browser.count():
            self.series_browser.mark_shown(shown)  # same place, another series: listed
            return

        volume = self.volume
        middle = volume.voxels[volume.shape[0] // 2]

        def work(progress, cancel) -> list[SeriesThumb]:
            from studies import preview, scan  # deferred: the readers load off the UI thread

            images = scan(path).images
            thumbs = []
            for n, candidate in enumerate(images):
                if cancel.is_set():
                    break
                uid = candidate.info.series_instance_uid
                image = middle if uid == shown else preview(candidate)[1]
                thumbs.append(SeriesThumb(uid, candidate.label, image))
                progress((n + 1) / len(images))
            return thumbs

        def listed(thumbs: list[SeriesThumb]) -> None:
            if isValid(self) and path == self.current_path:
                self.series_browser.set_series(thumbs, self.volume.info.series_instance_uid
                                               if self.volume is not None else "")
                self.series_listed.emit(len(thumbs))

        task = Task(work, QT_TRANSLATE_NOOP("Task", "listing series"))
        task.succeeded.connect(listed)
        task.failed.connect(lambda _message: isValid(self) and self.series_listed.emit(0))
        self._series_task = task
        task.start()

    def _build_measurement_list(self) -> None:
        self.measurement_list = MeasurementList()
        self.measurement_list.go_to.connect(self.go_to_measurement)
        self.measurement_list.renamed.connect(self.rename_measurement)
        self.measurement_list.deleted.connect(self.delete_measurement)
        self.measurement_dock = self._left_dock(
            self.measurement_list, self.tr("Measurements"), "dock-measurements")

    def go_to_measurement(self, measurement: Measurement) -> None:
        """Every view to the measurement (its centre), the keys back to the image."""
        self.reading.set_cursor(np.mean(np.asarray(measurement.points, float), axis=0))

    def rename_measurement(self, measurement_id: str, label: str) -> None:
        for m in self.measurements:
            if m.id == measurement_id:
                m.label = label
        self._measurements_changed()

    def delete_measurement(self, measurement_id: str) -> None:
        self.measurements = [m for m in self.measurements if m.id != measurement_id]
        self._measurements_changed()

    def _measurements_changed(self) -> None:
        if self.study is not None:
            save_measurements(self.study.volume.info.series_instance_uid, self.measurements)
        self._refresh_views()

    # -- key images -------------------------------------------------------------------------------
    def _build_key_image_list(self) -> None:
        self.key_image_list = KeyImageList()
        self.key_image_list.go_to.connect(self.go_to_key_image)
        self.key_image_list.removed.connect(self.key_images.remove)
        self.key_image_dock = self._left_dock(
            self.key_image_list, self.tr("Key images"), "dock-key-images")
        self.tabifyDockWidget(self.measurement_dock, self.key_image_dock)
        self.measurement_dock.raise_()

    def toggle_key_image(self) -> bool | None:
        """Mark the slice of the active view as a key image, or unmark it; True when marked,
        None when that slice cannot be one (a reformat, no DICOM identity)."""
        view, volume = self.active_view, self.volume
        if volume is None or view.volume is not volume:
            return None
        index = view.acquired_index()
        if index is None:
            self.statusBar().showMessage(self.tr(
                "Key images are marked in the plane the images were taken in (axial)"), 5000)
            return None
        try:
            image = key_image_of(volume, index, view.slice_number)
        except NotAnImage:
            self.statusBar().showMessage(self.tr(
                "This series has no separate DICOM images to mark as key images"), 5000)
            return None
        marked = self.key_images.toggle(image)
        self.statusBar().showMessage(
            (self.tr("Key image: %1") if marked else self.tr("Key image removed: %1"))
            .replace("%1", self.key_image_list.title(image)), 5000)
        return marked

    def go_to_key_image(self, image: KeyImage) -> None:
        """Every view to the key image's slice (the crosshair keeps its place in the slice)."""
        volume = self.volume
        if volume is None or image.series_uid != volume.info.series_instance_uid:
            self.statusBar().showMessage(self.tr(
                "This key image is in another series (%1): open it in the series browser")
                .replace("%1", str(image.series_number or "")), 5000)
            return
        point = self.state.point if self.state.point is not None else \
            volume.index_to_lps(np.array(volume.shape[::-1], float) / 2)
        ijk = volume.lps_to_index(np.asarray(point, float))
        ijk[2] = image.index
        self.reading.set_cursor(volume.index_to_lps(ijk))

    def _key_images_changed(self) -> None:
        if not isValid(self):
            return
        self.key_image_list.set_images(self.key_images.items)
        for view in self.reading.views:
            view.refresh_text()

    def _build_toolbar(self) -> None:
        """Tools, windows and layouts as buttons; each tooltip names its key."""
        bar = self.addToolBar(self.tr("Viewer tools"))
        bar.setObjectName("viewer-toolbar")
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        groups = (("tool-none", "tool-distance", "tool-ellipse", "tool-freehand"),
                  tuple(f"preset-{p.name}" for p in self.presets),
                  tuple(f"layout-{name}" for name in LAYOUTS), ("cine", "key-image"),
                  ("label-bar",))
        for n, group in enumerate(groups):
            if n:
                bar.addSeparator()
            for action_id in group:
                bar.addAction(self.actions[action_id])
        self.toolbar = bar
        short = {"tool-none": self.tr("W/L"), "tool-distance": self.tr("Distance"),
                 "tool-ellipse": self.tr("Ellipse"), "tool-freehand": self.tr("Freehand"),
                 "layout-1x1": "1×1", "layout-1x2": "1×2", "layout-mpr": self.tr("MPR"),
                 "layout-2x2": "2×2", "cine": self.tr("Cine"), "key-image": self.tr("Key image")}
        short.update({f"preset-{p.name}": self.preset_title(p.name) for p in self.presets})
        for action_id, text in short.items():
            self.actions[action_id].setIconText(text)
        self.label_toolbar = self.label_tools.build_toolbar()
        for action in self.actions.values():
            _name_key_in_tooltip(action)
            action.changed.connect(lambda a=action: _name_key_in_tooltip(a))

    def context_menu(self) -> QMenu:
        """The right-click menu of a view: tools, label tools, windows, layouts."""
        menu = QMenu(self)
        for group in (("tool-none", "tool-distance", "tool-ellipse", "tool-freehand"),
                      (*self.label_tools.ids, "label-undo", "label-redo", "label-save"),
                      tuple(f"preset-{p.name}" for p in self.presets),
                      tuple(f"layout-{name}" for name in LAYOUTS),
                      ("key-image", "cine", "overlay", "anonymize")):
            if menu.actions():
                menu.addSeparator()
            for action_id in group:
                menu.addAction(self.actions[action_id])
        return menu

    def _show_context_menu(self, view: SliceView, position) -> None:
        self._active = view  # what the menu does, it does in this view
        menu = self.context_menu()
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(view.mapToGlobal(position))
        self._context_menu = menu

    def layout_title(self, name: str) -> str:
        """A layout's name as the reader sees it (menus, toolbar)."""
        return view_names.layout_title(name)

    def preset_title(self, name: str) -> str:
        """A window preset's name as the reader sees it (a user's own name as given)."""
        return view_names.preset_title(name)

    def _add_action(self, menu, action_id: str, text: str, slot, shortcut=None) -> QAction:
        """A menu action whose shortcut the user may rebind in settings (``app.shortcuts``)."""
        action = QAction(text, self)
        custom = (self.settings.get(SHORTCUTS_KEY) or {}).get(action_id)
        if custom is not None or shortcut is not None:
            action.setShortcut(QKeySequence(custom if custom is not None else shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        self.actions[action_id] = action
        return action

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open DICOM folder"),
                                                  self._open_dir())
        forget_dialog_history()  # Qt kept the folder in ~/.config/QtProject.conf
        if folder:
            self._remember_open_dir(str(Path(folder).parent))  # where its neighbours are
            self.open_path(folder)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open image"), self._open_dir(),
            self.tr("Images (*.nii *.nii.gz *.dcm);;All (*)"))
        forget_dialog_history()
        if path:
            self._remember_open_dir(str(Path(path).parent))
            self.open_path(path)

    def _open_dir(self) -> str:
        """Where the open dialogs start: the folder last opened from, else the home folder
        (not the folder the app happened to be started in)."""
        return last_open_dir(self.settings) or str(Path.home())

    def _remember_open_dir(self, folder: str) -> None:
        remember_open_dir(self.settings, folder)  # sealed when encryption is on

    # -- loading ----------------------------------------------------------------------------------
    def open_path(self, path: str | Path, prior: str | Path | None = None,
                  overlay: str | Path | None = None, layout: str | None = None,
                  preset: str | None = None, series: str | None = None) -> Task:
        """Load a study (and optionally its prior and a label overlay) in the background;
        ``series``: which series there (a Series Instance UID), else the best."""
        self.cancel_loading()
        path = Path(path)
        if path != self.current_path:
            self.series_browser.set_series([])
        self.current_path = path
        self.loading.emit(True)
        self.status_label.setText(self.tr("Loading the study…") if _is_uid(path.name)
                                  else self.tr("Loading %s…") % path.name)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

        def work(progress, cancel) -> LoadedStudy:
            from studies import open_volume  # the readers load here, off the UI thread

            parts = 1 + (prior is not None) + (overlay is not None)
            study = LoadedStudy(open_volume(path, progress=lambda f: progress(f / parts),
                                            series=series))
            if prior is not None and not cancel.is_set():
                study.prior = open_volume(prior, progress=lambda f: progress((1 + f) / parts))
                study.alignment = align_for_comparison(study.volume, study.prior)
            if overlay is not None and not cancel.is_set():
                study.labels["file"] = _load_labels(overlay, study.volume)
            return study

        task = Task(work, QT_TRANSLATE_NOOP("Task", "loading"))
        task.progress.connect(self._if_current(
            task, lambda f: self.progress.setValue(int(f * 100))))
        task.succeeded.connect(self._if_current(
            task, lambda s: self._show_study(s, layout, preset)))
        task.failed.connect(self._if_current(task, self._show_error))
        task.cancelled.connect(self._if_current(task, self._loading_cancelled))
        self._task = task
        return task.start()

    def _if_current(self, task: Task, slot):
        """``slot`` for ``task``'s signals, called only while ``task`` is the loading in hand:
        a loading replaced by a newer one (a double click, a fetch done twice) must not hide
        the newer one's progress, nor show its study or its error over it."""
        def call(*args) -> None:
            if isValid(self) and self._task is task:
                slot(*args)
        return call

    def _loading_cancelled(self) -> None:
        self._loading_done()
        self.status_label.setText(self._study_text())

    def _study_text(self) -> str:
        """The status line for the study on screen: its size in voxels."""
        if self.study is None:
            return self.tr("No study open")
        nk, nj, ni = self.study.volume.shape
        text = (self.tr("%1 × %2 × %3 voxels").replace("%1", str(ni)).replace("%2", str(nj))
                .replace("%3", str(nk)))
        warnings = warnings_text(self.study.volume.warnings)
        if warnings:  # the study's line says so too; its tooltip names them
            text += " · " + self.tr("⚠ warnings: %1").replace("%1", str(len(warnings)))
        return text

    def _show_load_warnings(self, volume: Volume) -> None:
        """The loader's warnings about the series shown: in the strip over the views and the
        study line's tooltip (none: both cleared)."""
        self.warning_strip.show_warnings(volume.warnings)
        self.status_label.setToolTip("\n".join(self.warning_strip.lines))

    def open_prior(self, prior: str | Path) -> Task | None:
        """Compare the study on screen with ``prior``: the compare layout comes at once with
        the current study readable, and the prior fills its pane when loaded and aligned
        (off the UI thread; see :func:`studies.registration.align_for_comparison`)."""
        if self.study is None:
            return None
        self.cancel_loading()
        study = self.study
        study.prior, study.alignment = None, None
        self._install_layout("compare")
        self._show_overlays()
        self.focus_image()
        self.loading.emit(True)
        self.status_label.setText(self.tr("Loading the prior study…"))
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()

        def work(progress, cancel) -> tuple[Volume, Alignment]:
            from studies import open_volume  # deferred: the readers load off the UI thread

            volume = open_volume(prior, progress=lambda f: progress(0.8 * f))
            if cancel.is_set():
                return volume, Alignment((0.0, 0.0, 0.0), "none")
            return volume, align_for_comparison(study.volume, volume)

        def loaded(result: tuple[Volume, Alignment]) -> None:
            if not isValid(self):
                return
            self._loading_done()
            if self.study is not study or not isinstance(self.reading, ComparisonLayout):
                return  # another study or layout since
            study.prior, study.alignment = result
            self.reading.set_prior(study.prior, volume_to_vtk(study.prior), study.alignment)
            self.status_label.setText(self.tr("Prior study aligned (%s)")
                                      % _alignment_text(study.alignment))
            self.prior_loaded.emit(study.prior)

        def failed(message: str) -> None:
            if not isValid(self):
                return
            self._loading_done()
            if isinstance(self.reading, ComparisonLayout):
                self.reading.set_prior_failed(message)
            self.status_label.setText(message)

        def progress(f: float) -> None:
            if not isValid(self):
                return
            self.progress.setValue(int(f * 100))
            if isinstance(self.reading, ComparisonLayout) and self.reading.prior.volume is None:
                self.reading.set_prior_loading(f)

        task = Task(work, QT_TRANSLATE_NOOP("Task", "loading"))
        task.progress.connect(self._if_current(task, progress))
        task.succeeded.connect(self._if_current(task, loaded))
        task.failed.connect(self._if_current(task, failed))
        task.cancelled.connect(self._if_current(task, self._loading_cancelled))
        self._task = task
        return task.start()

    def track_task(self, task: Task) -> None:
        """Show background ``task``'s progress in the status bar with the Cancel button (a
        fetch from the archive): the bar goes when it ends, unless other work took it over."""
        self.cancel_loading()
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        task.progress.connect(lambda f: self._task is task and self.progress.setValue(int(f * 100)))
        for signal in (task.succeeded, task.failed, task.cancelled):
            signal.connect(lambda *_: self._task is task and self._loading_done())
        self._task = task

    def cancel_loading(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _loading_done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self._task = None
        self.loading.emit(False)

    def show_arriving(self, volume: Volume, path: str | Path, arrived) -> None:
        """Show a study while it still arrives (progressive open): ``volume`` fills in where
        ``arrived[k]`` turns True; the views say which slices are not here yet.
        :meth:`slices_arrived` redraws, :meth:`arrival_complete` announces the study
        (``volume_loaded``: the reading and the AI pre-read start then)."""
        self.current_path = Path(path)
        self._arrived = arrived
        self._show_study(LoadedStudy(volume), None, None, announce=False)
        self.study_arriving.emit(volume)  # the report and the AI panel are this study's now

    def slices_arrived(self) -> None:
        """Redraw the views over the slices that came in since the last call (and the AI
        overlay over them, when a stored pre-read is shown while the study arrives)."""
        labels = self._masked_labels()
        if labels is not None and labels.update(self._arrived):
            self._redraw_labels("ai")
        for view in self.reading.views:
            image = view.mapper.GetInput()
            if image is not None:
                image.Modified()
            view.set_slice_index(view.slice_index)

    def arrival_complete(self, volume: Volume) -> None:
        if self.study is None or self.study.volume is not volume:
            return  # another study since
        self._arrived = None
        for view in self.reading.views:
            view.set_arrived(None)
        labels = self._masked_labels()
        self._arriving_labels = None
        if labels is not None:  # the AI overlay over every slice: the map itself (the one
            self.study.labels["ai"] = labels.full  # the label tools edit) from now on
            self._show_overlays()
        self.slices_arrived()
        self.status_label.setText(self._study_text())  # warnings found while it arrived
        self._show_load_warnings(volume)
        self.volume_loaded.emit(volume)
        self._list_series()

    def _show_spacing_note(self, volume: Volume) -> None:
        """Say that the slices are drawn evenly spaced though acquired unevenly (positions
        and measurements are given where the slices were acquired); hidden otherwise."""
        if not volume.uneven:
            self.spacing_label.hide()
            return
        gaps = np.diff(np.asarray(volume.slice_positions, float))
        self.spacing_label.setText(self.tr("Uneven slice spacing %1–%2 mm").replace(
            "%1", decimal(float(gaps.min()), 2)).replace("%2", decimal(float(gaps.max()), 2)))
        self.spacing_label.setToolTip(self.tr(
            "The slices of this series were acquired %1–%2 mm apart and are drawn evenly "
            "spaced, so reformats are stretched or squeezed along the slice axis. Slice "
            "positions and measurements are given where the slices were acquired.").replace(
            "%1", decimal(float(gaps.min()), 2)).replace("%2", decimal(float(gaps.max()), 2)))
        self.spacing_label.show()

    def keep_places(self) -> None:
        """Remember where the shown series is and write every series' place to disk (as a
        study is left, and at quit), so a study reopened after a restart or a crash comes
        back where it was left."""
        if self._shown_series and self.study is not None:
            self.places.remember(self._shown_series, self.state)
        save_places(self.places)

    def _show_study(self, study: LoadedStudy, layout: str | None, preset: str | None,
                    announce: bool = True) -> None:
        if announce:  # (a study still arriving keeps its fetch's progress and Cancel)
            self._loading_done()
            self._arrived = None
        self.study = study
        editor = self.label_tools.editor
        unsaved = editor if editor is not None and editor.unsaved else None
        self.label_tools.start(None)  # the last study's AI labels are not this one's
        if self._shown_series:
            self.keep_places()  # written as each study is left: a crash loses none
        self._shown_series = study.volume.info.series_instance_uid
        # A new study starts at its centre; one read before this session where it was left.
        self.state = ReadingState()
        self.state.subscribe(self._state_changed)
        window = self.places.restore(self._shown_series, self.state)
        protocol = choose_protocol(study.volume.info, load_protocols(self.settings))
        if study.prior is not None:
            layout = "compare"
        elif layout is None and study.volume.shape[0] < 2:
            layout = "1x1"  # one slice: no coronal or sagittal picture to hang
        self._install_layout(layout or protocol.layout)
        self.apply_preset(preset or protocol.preset)
        if window is not None and preset is None:  # the window it was read in
            self.state.set_window(*window)
            for view in self.reading.views:
                view.set_window(*window)
        self._show_overlays()
        self.measurements = load_measurements(study.volume.info.series_instance_uid)
        if study.volume.info.study_instance_uid != self.key_images.study_uid:
            self.key_images.load(study.volume.info.study_instance_uid)
        self._refresh_views()
        self.status_label.setText(self._study_text())
        self._show_load_warnings(study.volume)
        self._show_spacing_note(study.volume)
        self.focus_image()
        if announce:
            self.volume_loaded.emit(study.volume)
        if unsaved is not None and self.label_tools.editor is not unsaved:  # not taken up again
            self.statusBar().showMessage(self.tr(
                "The label edits of the previous study were not saved"), 10000)
        if announce:  # a study still arriving is listed when whole (a scan now counts
            self._list_series()  # only the slices already here: "63x512x512" stayed)
        else:
            self.series_browser.set_series([])

    def showEvent(self, event) -> None:
        """The first show: the empty views say how to open a study and are drawn once (an
        undrawn view kept whatever the screen showed there before, e.g. another window)."""
        super().showEvent(event)
        if self.study is None and not getattr(self, "_shown_once", False):
            self._shown_once = True
            QTimer.singleShot(0, self._invite)

    def _invite(self) -> None:
        if self.study is not None:
            return
        for view in self.reading.views:
            view.set_note(self.tr("No study open.\nDouble-click one in the worklist\n"
                                  "or File > Open DICOM folder (Ctrl+O)."))

    def focus_image(self) -> None:
        """Give the keyboard to the main view (its keys: scroll, window presets, tools)."""
        self.view.interactor.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_error(self, message: str) -> None:
        self._loading_done()
        self.status_label.setText(message)
        self.load_failed.emit(message)
        if not self.property("headless"):
            QMessageBox.warning(self, self.tr("Cannot open study"), message)

    # -- layout, window, overlay ------------------------------------------------------------------
    def set_layout(self, name: str) -> None:
        if self.study is not None:
            self._install_layout(name)
            self._show_overlays()
            self.focus_image()  # the old views went; focus must not fall to a side panel

    def _install_layout(self, name: str) -> None:
        window = self.view.window()
        if name == "compare":
            if self.study is None:
                raise LuchError("compare needs a prior study")
            reading = ComparisonLayout(state=self.state)
        else:
            acquired = (acquisition_plane(self.study.volume.direction)
                        if self.study is not None else AXIAL)
            reading = ReadingLayout(name, state=self.state, acquired=acquired)
        old = self.reading
        old.release()
        self.reading = reading
        self._check_layout(name)
        self.view_area.layout().replaceWidget(old, reading)
        reading.setGeometry(old.geometry())  # in place now, not after the next layout pass
        reading.layout().activate()  # and its views sized before their first render
        old.hide()
        old.deleteLater()
        reading.show()
        if self.study is not None:
            image = volume_to_vtk(self.study.volume)
            if isinstance(reading, ComparisonLayout):
                reading.set_current(self.study.volume, image)
                if self.study.prior is not None:
                    reading.set_prior(self.study.prior, volume_to_vtk(self.study.prior),
                                      self.study.alignment)
                else:
                    reading.set_prior_loading(None)
            else:
                reading.set_volume(self.study.volume, image)
        for view in reading.views:
            view.set_arrived(self._arrived if view.volume is self.volume else None)
            view.presets = self.presets
            view.key_images = self.key_images
            view.set_window(*window)
            view.measurement_added.connect(self._measurement_added)
            view.nothing_to_erase.connect(lambda: self.statusBar().showMessage(
                self.tr("No AI lesion under the cursor: nothing erased"), 4000))
            view.context_menu_requested.connect(
                lambda position, v=view: self._show_context_menu(v, position))
        self._refresh_views()

    def _check_layout(self, name: str) -> None:
        """The layout buttons show the layout on screen, the hanging protocol's included
        (none is checked while comparing)."""
        action = self.actions.get(f"layout-{name}")
        if action is not None:
            action.setChecked(True)
        elif (checked := self._layout_group.checkedAction()) is not None:
            checked.setChecked(False)

    def apply_preset(self, name: str) -> None:
        try:
            self.reading.apply_preset(name)
        except KeyError as err:
            raise LuchError(f"unknown window preset {name!r}") from err

    @property
    def overlay_layers(self) -> list[LabelOverlay]:
        return [layer for layers in self.overlays.values() for layer in layers]

    def go_to_voxel(self, ijk) -> bool:
        """Put the crosshair on voxel (i, j, k) of the current study in every view (the
        current study's when comparing); False when no study is shown or it lies outside."""
        volume = self.volume
        if volume is None:
            return False
        ijk = np.asarray(ijk, float)
        if (ijk < 0).any() or (ijk >= np.array(volume.shape[::-1])).any():
            return False
        self.reading.set_cursor(volume.index_to_lps(ijk))
        return True

    def show_labels(self, labels: Volume, source: str = "ai") -> None:
        """Draw a label map of the current study; it replaces the earlier one from ``source``
        (a new AI result replaces the old AI result, never a mask the user opened)."""
        if self.study is None:
            return
        if source == EDITED_SOURCE:  # the label tools edit the AI's map (a copy of it)
            # The edits are kept for the same map of the same series again (reopened); a
            # map of another series is never taken for it, however alike the two are.
            editor = self.label_tools.last
            series = self.study.volume.info.series_instance_uid
            if editor is None or editor.labels.shape != labels.shape \
                    or editor.volume.info.series_instance_uid != series \
                    or not np.array_equal(editor.original, labels.voxels):
                editor = LabelEditor(self.study.volume, labels.voxels)
            editor.volume = self.study.volume
            labels = Volume(voxels=editor.labels, spacing=labels.spacing, origin=labels.origin,
                            direction=labels.direction, info=labels.info)
            self.label_tools.start(editor)
        self._arriving_labels = None
        if source == "ai" and self._arrived is not None \
                and labels.voxels.shape == self.study.volume.shape:
            # The study still arrives: the map is drawn over the slices already here and
            # fills in with them (:meth:`slices_arrived`); whole when the study is.
            self._arriving_labels = ArrivingLabels(labels, self._arrived)
            labels = self._arriving_labels.shown
        self.study.labels[source] = labels
        self._show_overlays()

    def clear_labels(self, source: str = "ai") -> None:
        """Remove the label map from ``source`` (and, for the AI's, the label tools' map)."""
        if self.study is None:
            return
        if self.study.labels.pop(source, None) is None:
            return
        if source == EDITED_SOURCE:
            self.label_tools.start(None)
        self._show_overlays()
        self._render_all()

    def _masked_labels(self) -> ArrivingLabels | None:
        """The AI map drawn over the arrived slices only, while it is the one shown."""
        labels = self._arriving_labels
        if labels is None or self.study is None \
                or self.study.labels.get("ai") is not labels.shown:
            self._arriving_labels = None
            return None
        return labels

    def refresh_labels(self, source: str) -> None:
        """A label map was edited in place: redraw its overlay in every view."""
        labels = self._masked_labels() if source == "ai" else None
        if labels is not None:  # the study still arrives: the edit on the slices here
            labels.refresh()
        self._redraw_labels(source)

    def _redraw_labels(self, source: str) -> None:
        layers = self.overlays.get(source) or []
        if layers:
            layers[0].refresh()  # the views' layers share its images
        self._render_all()

    def _show_overlays(self) -> None:
        for view in self.reading.views:
            for layer in list(view.overlays):
                view.remove_overlay(layer)
        self.overlays = {}
        for source, labels in (self.study.labels.items() if self.study else ()):
            if isinstance(self.reading, ComparisonLayout):
                self.reading.current.add_overlay(LabelOverlay(labels))
                self.overlays[source] = self.reading.current.overlays[-1:]
            else:
                self.overlays[source] = self.reading.add_overlay(LabelOverlay(labels))
        self._apply_overlay_state()
        editor = self.label_tools.editor
        for view in self.reading.views:  # the label tools edit the current study's views
            view.editor = editor if view.volume is not None and view.volume is self.volume \
                else None

    def set_slab(self, mode: str, thickness_mm: float | None = None) -> None:
        """Thick-slab MIP / MinIP / mean (or thin) in every view of the current study."""
        if thickness_mm is not None:
            self.slab_mm = min(100.0, max(1.0, thickness_mm))
        self.slab_mode = mode
        for view in self.reading.views:
            view.set_slab(mode, self.slab_mm)

    def set_label_group(self, group: str, visible: bool) -> None:
        """Show or hide one kind of label (lungs, GGO, consolidation) in every view."""
        self.state.set_label_group(group, visible)

    def scale_overlay_opacity(self, factor: float) -> None:
        self.state.scale_opacity(factor)

    def _style_owners(self) -> list[LabelOverlay]:
        """One layer per overlay source: its views share that layer's colours and opacities."""
        return [layers[0] for layers in self.overlays.values() if layers]

    def _apply_label_styles(self) -> None:
        """The label groups hidden and the opacity as the reading state has them (a layout
        built again, a new AI result or the label tools' copy keep them)."""
        hidden, factor = self.state.labels
        off = {value for group in hidden for value in LABEL_GROUPS.get(group, ())}
        for layer in self._style_owners():
            layer.set_view(off, factor)
        for group in LABEL_GROUPS:  # the menu's ticks say what is shown
            action = self.actions.get(f"overlay-{group}")
            if action is not None and action.isChecked() == (group in hidden):
                action.blockSignals(True)
                action.setChecked(group not in hidden)
                action.blockSignals(False)

    def _render_all(self) -> None:
        for view in self.reading.views:
            view.render()

    def toggle_overlay_outline(self) -> None:
        self.state.set_overlay(filled=not self.state.overlay[1])

    def toggle_overlay(self) -> None:
        self.state.set_overlay(shown=not self.state.overlay[0])

    def _state_changed(self, name: str, _value) -> None:
        """The window observes its reading state's overlay (shown, filled): the views' layers
        follow it, as do those of a layout built again (:meth:`_show_overlays`)."""
        if name == "overlay":
            self._apply_overlay_state()
            self._render_all()
        elif name == "labels":
            self._apply_label_styles()
            self._render_all()

    def _apply_overlay_state(self) -> None:
        """The overlays as the reading state has them: hidden (a rejected AI result, O),
        outlined (Shift+O), their label groups and opacity stay so in a layout built again."""
        self._apply_label_styles()
        shown, filled = self.state.overlay
        for layer in self.overlay_layers:
            layer.set_visible(shown)
            if layer.filled != filled:
                layer.set_filled(filled)

    def hide_overlay(self, reason: str = "") -> None:
        """Hide the AI overlay (O shows it again), saying why in the status bar."""
        self.state.set_overlay(shown=False)
        if reason:
            self.statusBar().showMessage(reason, 8000)

    def set_tool(self, tool: str | None) -> None:
        """Arm a measurement or label tool (None: left drag is window/level again) in every
        view, and say which is active and how to leave it."""
        if tool in LABEL_TOOLS and self.label_tools.editor is None:
            self.statusBar().showMessage(self.tr(
                "Run the AI pre-read first: the label tools edit its overlay"), 5000)
            tool = self.state.tool
        self.state.set_tool(tool)
        for view in self.reading.views:
            view.set_tool(tool)
        self.actions[f"tool-{tool or 'none'}"].setChecked(True)
        if tool in LABEL_TOOLS:
            for layer in self.overlays.get(EDITED_SOURCE, []):
                layer.set_visible(True)  # editing what is hidden helps nobody
            self.label_tools.show_bar(True)  # its label, size, undo and save
        self.show_tool_label()

    def show_tool_label(self) -> None:
        """The active tool in the status bar (with the label tools' label and size)."""
        tool = self.state.tool
        names = {"distance": self.tr("Distance"), "ellipse": self.tr("Ellipse ROI"),
                 "freehand": self.tr("Freehand ROI")}
        name = self.label_tools.describe(tool) if tool in LABEL_TOOLS else names.get(tool, tool)
        self.tool_label.setText(self.tr("Tool: %1 — Esc leaves it").replace("%1", name or "")
                                if tool else "")
        self.tool_label.setVisible(tool is not None)

    def toggle_anonymize(self) -> None:
        self.anonymize = not self.anonymize
        self._refresh_views()

    def _measurement_added(self, measurement: Measurement) -> None:
        self.measurements.append(measurement)
        self._measurements_changed()

    def _refresh_views(self) -> None:
        """Push window-wide state (measurements, anonymisation) into every view."""
        for view in self.reading.views:
            view.anonymize = self.anonymize
            if view.volume is self.volume:
                view.measurements = list(self.measurements)  # the view adds to its copy
            view.set_slice_index(view.slice_index)
        self.measurement_list.set_measurements(self.volume, self.measurements)

    def _toggle_cine(self) -> None:
        self.view.stop_cine() if self.view.cine_running else self.view.start_cine()

    def _detach_view(self) -> None:
        if isinstance(self.reading, ReadingLayout) and len(self.reading.views) > 1:
            self.reading.detach(self.reading.views[-1])


def _load_labels(path: str | Path, volume: Volume) -> Volume:
    """A label map (DICOM SEG, or an integer NIfTI/DICOM mask) placed on the study's grid."""
    from studies.seg import open_label_map  # deferred: the SEG reader loads on first use

    labels = open_label_map(path).on_grid_of(volume)
    if labels.min() < 0 or labels.max() > 255:
        raise LuchError("the overlay is not a label map (values must be 0..255)")
    return Volume(voxels=np.ascontiguousarray(labels, dtype=np.uint8), spacing=volume.spacing,
                  origin=volume.origin, direction=volume.direction, info=volume.info)


def _alignment_text(alignment: Alignment) -> str:
    if alignment.method == "rigid":
        dx, dy, dz = alignment.translation
        return QCoreApplication.translate("MainWindow", "registered, offset %1 mm").replace(
            "%1", f"{dx:+.0f}, {dy:+.0f}, {dz:+.0f}")
    if alignment.method == "frame-of-reference":
        return QCoreApplication.translate("MainWindow", "same table position")
    return QCoreApplication.translate("MainWindow", "by position")


def _name_key_in_tooltip(action: QAction) -> None:
    """'Distance (D)': the tooltip says the key (kept current when it is rebound)."""
    text = action.text().replace("&", "")
    key = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    tip = f"{text} ({key})" if key else text
    if action.toolTip() != tip:
        action.blockSignals(True)  # setToolTip emits changed
        action.setToolTip(tip)
        action.blockSignals(False)


def _is_uid(name: str) -> bool:
    """A folder named by a DICOM UID (the archive cache's): no name to show the reader."""
    return bool(re.fullmatch(r"[0-9]+(\.[0-9]+)+", name))
