"""Screenshots of the main screens for README.md, made from the real app on the demo study.

    .venv/bin/python docs/make_screens.py [NAME.png ...]

Each screen is a fresh ``luch`` process rendering offscreen (``--screenshot``) with its own
empty app data dir, so the pictures show what a new station shows. The reference centre's
statistics dashboard (``audit-stats.png``) is a fresh process too, on 500 reviews made by
the generator of ``benchmarks/audit_stats.py`` (names, not people). So are the reference
centre's queue and review (``referral-queue*.png``, ``referral-review*.png``, English and
Russian): a reference-centre station whose store holds five requests (made up, on the demo
study and four made-up studies), the demo request opened as a double-click opens it (the
images by the hanging protocol, the AI pre-read run, the report panel held back: blind), the
review dialog beside the window; then the review after the expert's own read is saved (the
first report shown) with a score, category and comment.
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
# language -> (the queue with the request opened, the review after the own read)
REFERRALS = {"en": ("referral-queue.png", "referral-review.png"),
             "ru": ("referral-queue-ru.png", "referral-review-ru.png")}
# the made-up requests: (hours ago, kind, reason, urgency, centre, first grade, conclusion)
REQUESTS = [(5, "second_opinion", "complex_case", "urgent", "Clinic 3", "CT-1",
             {"en": "A ground-glass focus in the right lower lobe, under 25 %.",
              "ru": "Очаг матового стекла в нижней доле правого лёгкого, до 25 %."}),
            (1, "second_opinion", "doubt", "stat", "Clinic 1", "CT-3", {}),
            (20, "second_opinion", "doubt", "urgent", "Clinic 2", "CT-2", {}),
            (30, "second_opinion", "patient_request", "routine", "Clinic 1", "CT-0", {}),
            (50, "audit", "quality_sample", "routine", "Clinic 2", "CT-1", {})]
REVIEW = {"en": ("No ground glass or consolidation in either lung.",
                 "The right lower lobe focus is a vessel in section (seen on the coronal)."),
          "ru": ("Матового стекла и консолидации в лёгких нет.",
                 "Очаг в нижней доле правого лёгкого — сосуд в сечении (виден на "
                 "корональной реконструкции).")}


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


def shoot_referral(lang: str) -> list[Path]:
    """The queue and the review, in a fresh process and app data dir."""
    outs = [OUT / name for name in REFERRALS[lang]]
    with tempfile.TemporaryDirectory() as home:
        subprocess.run([sys.executable, __file__, "--referral", lang, *map(str, outs)],
                       cwd=ROOT, env={**os.environ, "LUCH_HOME": home, "LUCH_LANG": lang},
                       check=True, capture_output=True, timeout=900)
    return outs


def _requests(store, lang: str) -> list[int]:
    """The made-up requests in the store (the first on the demo study, held locally)."""
    from datetime import UTC, datetime, timedelta  # deferred: the child process only

    import pydicom  # deferred: the child process only

    demo = ROOT / "resources" / "demo" / "chest-ct"
    head = pydicom.dcmread(sorted(demo.glob("*.dcm"))[0], stop_before_pixels=True)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    ids = []
    for n, (hours, kind, reason, urgency, centre, grade, conclusion) in enumerate(REQUESTS):
        study = str(head.StudyInstanceUID) if n == 0 else f"2.25.{4242000 + n}"
        if n == 0:
            store.upsert_study(study, patient_id=str(head.PatientID),
                               patient_name=str(head.PatientName), local_path=str(demo))
        else:
            store.upsert_study(study, patient_id=f"DEMO-{n}", patient_name=f"Demo^{n}")
        version = store.save_report(
            study, author=f"Reader {n + 1}", status="final", legacy=True,
            fields={"grade": grade, "conclusion": conclusion.get(lang, "")}, text="",
            new_report_uid=f"made-up-{n}")
        ids.append(store.request_referral(
            version.id, kind=kind, reason=reason, urgency=urgency, requester=f"Reader {n + 1}",
            centre=centre, addressed_to="RC", requested_at=now - timedelta(hours=hours)))
    return ids


def _framed(dialog):
    """The dialog as a window: the offscreen platform draws no frame, so a title bar (its
    title) and a border are drawn around its grab."""
    from PySide6.QtCore import QRect, Qt  # deferred: the child process only
    from PySide6.QtGui import QColor, QImage, QPainter, QPen  # deferred: the child process only

    inner = dialog.grab().toImage()
    bar = 28
    image = QImage(inner.width() + 2, inner.height() + bar + 1, QImage.Format.Format_RGB32)
    image.fill(QColor("#5a5a5a"))
    painter = QPainter(image)
    painter.fillRect(QRect(1, 1, inner.width(), bar - 1), QColor("#dcdcdc"))
    painter.setPen(QPen(QColor("black")))
    painter.drawText(QRect(10, 1, inner.width() - 20, bar - 1),
                     Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                     dialog.windowTitle())
    painter.drawImage(1, bar, inner)
    painter.end()
    return image


def referral(lang: str, queue_out: Path, review_out: Path) -> None:
    """(In the child process) a reference-centre station: the queue, the demo request
    opened beside its review dialog (composed as on the screen), then the review."""
    sys.path.insert(0, str(ROOT))
    from app.commands.open import SCREENSHOT_SIZE, prepare_environment  # deferred: child

    prepare_environment(True)
    from PySide6.QtCore import QPoint  # deferred: the child process only
    from PySide6.QtGui import QPainter  # deferred: the child process only
    from PySide6.QtWidgets import QApplication  # deferred: the child process only

    from app.shell.i18n import install_translator  # deferred: the child process only
    from app.shell.main_window import MainWindow  # deferred: the child process only
    from app.workflow import Workflow  # deferred: the child process only
    from core.settings import Settings  # deferred: the child process only
    from records import open_store  # deferred: the child process only
    from records.directory import FOR_CENTRE  # deferred: the child process only
    from records.referral import queue_key  # deferred: the child process only
    from records.referral_queue import QueueEntry  # deferred: the child process only
    from viewer.screenshot import grab_window  # deferred: the child process only

    app = QApplication([])
    settings = Settings()
    for key, value in (("referral.role", "reference_centre"), ("referral.centre", "RC"),
                       ("report.language", lang)):
        settings.set(key, value)
    ui_lang = install_translator(app, settings)
    store = open_store()
    ids = _requests(store, lang)
    window = MainWindow(settings)
    window.setProperty("headless", True)
    workflow = Workflow(window, store, reader="Expert E", ui_lang=ui_lang, report_lang=lang)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    flow = workflow.referrals
    entries = sorted((QueueEntry(store.referral(i), FOR_CENTRE) for i in ids),
                     key=lambda e: queue_key(e.referral.urgency, e.referral.requested_at))
    flow.panel.show_entries(entries)
    flow.panel.table.selectRow([e.referral.id for e in entries].index(ids[0]))
    done = {"images": False, "ai": False}
    window.volume_loaded.connect(lambda *_: done.update(images=True))
    workflow.ai.result_ready.connect(lambda *_: done.update(ai=True))
    workflow.ai.failed.connect(lambda *_: done.update(ai=True))
    dialog = flow.review(ids[0])  # as a double-click on the queue
    while not (done["images"] and done["ai"]):
        app.processEvents()
    for _ in range(20):
        app.processEvents()
    dialog.resize(470, 420)
    for _ in range(5):
        app.processEvents()
    shot = grab_window(window)
    framed = _framed(dialog)
    painter = QPainter(shot)
    # beside the images, below the AI panel, the blind note under it left in view
    painter.drawImage(QPoint(shot.width() - framed.width() - 12, 250), framed)
    painter.end()
    if not shot.save(str(queue_out), "PNG"):
        raise OSError(f"could not write {queue_out}")
    findings, comment = REVIEW[lang]
    dialog.grade.setCurrentIndex(dialog.grade.findData("CT-0"))
    dialog.findings.setPlainText(findings)
    dialog.save(sign=False)  # the own read: now the first report is shown
    dialog.score.setCurrentIndex(dialog.score.findData(2))
    dialog.category.setCurrentIndex(dialog.category.findData("interpretation"))
    dialog.comment.setPlainText(comment)
    dialog.resize(620, 420)
    for _ in range(5):
        app.processEvents()
    if not _framed(dialog).save(str(review_out), "PNG"):
        raise OSError(f"could not write {review_out}")
    dialog.close()
    workflow.ai.cancel()
    workflow.stop()
    store.close()


def main(names: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (args, env, settings) in SCREENS.items():
        if not names or name in names:
            print(shoot(name, args, env, settings).relative_to(ROOT))
    for name, lang in DASHBOARDS.items():
        if not names or name in names:
            print(shoot_dashboard(name, lang).relative_to(ROOT))
    for lang, pair in REFERRALS.items():
        if not names or set(pair) & set(names):
            for out in shoot_referral(lang):
                print(out.relative_to(ROOT))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--dashboard"]:
        dashboard(Path(sys.argv[2]))
    elif sys.argv[1:2] == ["--referral"]:
        referral(sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4]))
    else:
        main(sys.argv[1:])
