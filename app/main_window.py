"""The main window: the reading view, menus, and a status bar with load progress."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
)

from app.tasks import Task
from studies import Volume, open_volume
from viewer.slice_view import SliceView
from viewer.vtk_bridge import volume_to_vtk


class MainWindow(QMainWindow):
    """Luch's main window. ``volume_loaded`` fires once a study is on screen."""

    volume_loaded = Signal(object)
    load_failed = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Luch — CT reading workstation"))
        self.view = SliceView()
        self.setCentralWidget(self.view)
        self.volume: Volume | None = None
        self._task: Task | None = None
        self._build_status_bar()
        self._build_menus()

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
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        open_dir = QAction(self.tr("Open DICOM &folder…"), self)
        open_dir.setShortcut(QKeySequence.StandardKey.Open)
        open_dir.triggered.connect(self._choose_folder)
        open_file = QAction(self.tr("Open &file (NIfTI, DICOM)…"), self)
        open_file.setShortcut(QKeySequence("Ctrl+Shift+O"))
        open_file.triggered.connect(self._choose_file)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addActions([open_dir, open_file])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for preset in self.view.presets:
            action = QAction(self.tr("Window: %s") % preset.name, self)
            if preset.key:
                action.setShortcut(QKeySequence(preset.key))
            action.triggered.connect(lambda _=False, n=preset.name: self.view.apply_preset(n))
            view_menu.addAction(action)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open DICOM folder"))
        if folder:
            self.open_path(folder)

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open image"), "", self.tr("Images (*.nii *.nii.gz *.dcm);;All (*)"))
        if path:
            self.open_path(path)

    def open_path(self, path: str | Path) -> Task:
        """Load ``path`` in the background; the view shows it when done."""
        self.cancel_loading()
        path = Path(path)
        self.status_label.setText(self.tr("Loading %s…") % path.name)
        self.progress.setValue(0)
        self.progress.show()
        self.cancel_button.show()
        task = Task(lambda progress, cancel: open_volume(path, progress=progress), "loading")
        task.progress.connect(lambda f: self.progress.setValue(int(f * 100)))
        task.succeeded.connect(self._show_volume)
        task.failed.connect(self._show_error)
        task.cancelled.connect(self._loading_done)
        self._task = task
        return task.start()

    def cancel_loading(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _loading_done(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self._task = None

    def _show_volume(self, volume: Volume) -> None:
        self._loading_done()
        self.volume = volume
        self.view.set_volume(volume, volume_to_vtk(volume))
        nk, nj, ni = volume.shape
        self.status_label.setText(self.tr("%1 × %2 × %3 voxels").replace("%1", str(ni))
                                  .replace("%2", str(nj)).replace("%3", str(nk)))
        self.view.interactor.setFocus(Qt.FocusReason.OtherFocusReason)
        self.volume_loaded.emit(volume)

    def _show_error(self, message: str) -> None:
        self._loading_done()
        self.status_label.setText(message)
        self.load_failed.emit(message)
        if not self.property("headless"):
            QMessageBox.warning(self, self.tr("Cannot open study"), message)
