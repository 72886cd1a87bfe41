"""Screenshots of the main screens for README.md, made from the real app on the demo study.

    .venv/bin/python docs/make_screens.py [NAME.png ...]

Each screen is a fresh ``luch`` process rendering offscreen (``--screenshot``) with its own
empty app data dir, so the pictures show what a new station shows. The reference centre's
statistics dashboard (``audit-stats.png``) is a fresh process too, on 500 reviews made by
the generator of ``benchmarks/audit_stats.py`` (names, not people).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"

# file name -> (arguments, environment, settings)
SCREENS = {
    "reading.png": (["--demo"], {"LUCH_LANG": "en"}, {}),
    "reading-ru.png": (["--demo"], {"LUCH_LANG": "ru"}, {"report.language": "ru"}),
    "mpr-2x2.png": (["open", "resources/demo/chest-ct", "--layout", "2x2"], {"LUCH_LANG": "en"},
                    {"ai.autorun": False}),
    "mediastinum.png": (["open", "resources/demo/chest-ct", "--layout", "mpr", "--preset",
                         "mediastinum"], {"LUCH_LANG": "en"}, {"ai.autorun": False}),
}
DASHBOARDS = {"audit-stats.png": "en"}


def shoot(name: str, args: list[str], env: dict[str, str], settings: dict) -> Path:
    import json

    with tempfile.TemporaryDirectory() as home:
        Path(home, "settings.json").write_text(json.dumps(settings))
        out = OUT / name
        subprocess.run([sys.executable, "main.py", *args, "--screenshot", str(out)], cwd=ROOT,
                       env={**os.environ, "LUCH_HOME": home, **env}, check=True,
                       capture_output=True, timeout=600)
    return out


def shoot_dashboard(name: str, lang: str) -> Path:
    """The statistics dashboard, grouped by centre, in a fresh process and app data dir."""
    out = OUT / name
    with tempfile.TemporaryDirectory() as home:
        subprocess.run([sys.executable, __file__, "--dashboard", str(out)], cwd=ROOT,
                       env={**os.environ, "LUCH_HOME": home, "LUCH_LANG": lang,
                            "QT_QPA_PLATFORM": "offscreen"},
                       check=True, capture_output=True, timeout=600)
    return out


def dashboard(out: Path) -> None:
    """(In the child process) fill the store, open the dialog, wait for it, grab it."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication  # deferred: the child process only

    from app.panels.audit_dashboard import AuditStatsDialog  # deferred: the child process only
    from app.shell.i18n import install_translator  # deferred: the child process only
    from benchmarks.audit_stats import fill  # deferred: the child process only
    from records import open_store  # deferred: the child process only

    app = QApplication([])
    install_translator(app)
    store = open_store()
    fill(store, 500)
    dialog = AuditStatsDialog(store)
    dialog.by.setCurrentIndex(dialog.by.findData("centre"))
    dialog.resize(1100, 860)
    dialog.show()
    while not dialog.rates or dialog.grouping() != "centre" or dialog._task is not None:
        app.processEvents()
    app.processEvents()
    if not dialog.grab().save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    store.close()


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (args, env, settings) in SCREENS.items():
        if not names or name in names:
            print(shoot(name, args, env, settings).relative_to(ROOT))
    for name, lang in DASHBOARDS.items():
        if not names or name in names:
            print(shoot_dashboard(name, lang).relative_to(ROOT))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dashboard"]:
        dashboard(Path(sys.argv[2]))
    else:
        main(sys.argv[1:])
