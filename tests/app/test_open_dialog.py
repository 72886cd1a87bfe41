"""The open dialogs start where the reader last opened from, not in the app's start folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from tests.app import windows


def _answer_dialog(seen: list[str], choose: str | None) -> None:
    """Read the open dialog's start folder, then choose ``choose`` (or cancel)."""
    def look() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(50, look)
            return
        seen.append(dialog.directory().absolutePath())
        if choose is None:
            dialog.reject()
        else:
            dialog.selectFile(choose)
            dialog.accept()
    QTimer.singleShot(50, look)


def test_open_dialogs_start_at_home_then_where_the_last_study_was(qtbot, luch_home, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)  # the app's start folder: not where a reader looks for studies
    monkeypatch.setattr(QFileDialog, "getOpenFileName", _non_native(QFileDialog.getOpenFileName))
    window = windows.shown_window(qtbot)
    window.show()
    opened: list[Path] = []
    monkeypatch.setattr(window, "open_path", lambda p, **_k: opened.append(Path(p)))
    studies = tmp_path / "studies" / "patient-1"
    studies.mkdir(parents=True)
    image = studies / "chest.nii.gz"
    image.write_bytes(b"")
    seen: list[str] = []
    _answer_dialog(seen, str(image))
    window._choose_file()
    assert seen == [str(Path.home())]
    assert opened == [image]
    _answer_dialog(seen, None)
    window._choose_file()
    assert seen[-1] == str(studies), "the next dialog starts beside the last study"


def _non_native(static):
    """The static dialog, forced to Qt's own widget dialog so a test can see and answer it."""
    def call(parent, caption="", folder="", filters="", *args, **kwargs):
        kwargs["options"] = QFileDialog.Option.DontUseNativeDialog
        return static(parent, caption, folder, filters, *args, **kwargs)
    return call
