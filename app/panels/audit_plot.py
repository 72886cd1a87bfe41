"""The audit statistics as a PNG a head of department can put on a slide, drawn with Qt's
painter offscreen (no plotting library): per group, the share of reviews scored 2 or more
and 3 or more as bars with their 95 % Wilson intervals as whiskers, n under each group.
Drawn for ``luch audit-stats --plot`` and for the dashboard (``audit_dashboard``); a QImage
may be painted off the UI thread."""

from __future__ import annotations

import math
import os
from pathlib import Path

from records.audit_stats import AIFeedbackRow, Rate, TurnaroundRow

WIDTH, HEIGHT = 1600, 900
BLUE, RED = "#1f77b4", "#d62728"


def _app():
    """The running application, else an offscreen one (a QApplication, so a process that
    later shows widgets, e.g. a test session, can still do so)."""
    from PySide6.QtWidgets import QApplication  # deferred: Qt only when a plot is drawn

    app = QApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    return app


def _nice_step(raw: float) -> float:
    """The grid step: 1, 2, 2.5 or 5 times a power of ten, at least ``raw``."""
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)


LEGEND = ("score ≥ 2 (any discrepancy)", "score ≥ 3 (likely to matter)",
          "whiskers: 95% Wilson interval")


AI_LEGEND = ("within one grade", "the same grade", "whiskers: 95% Wilson interval")
TURNAROUND_LEGEND = ("signed by the due time", "", "whiskers: 95% Wilson interval")


def ai_bars(feedback: list[AIFeedbackRow]) -> list[Rate]:
    """The AI feedback as bars: of the pairs, within one grade (blue) and the same grade
    (red), with their Wilson intervals."""
    return [Rate(f.group, f.pairs, f.agree + f.partly, f.agree) for f in feedback]


def turnaround_bars(times: list[TurnaroundRow]) -> list[Rate]:
    """The turnaround as one bar per urgency: the share signed by the due time."""
    return [Rate(t.group, t.reviews, t.on_time, 0) for t in times]


def plot_rates(rates: list[Rate], out: Path, title: str, legend: tuple[str, str, str] = LEGEND,
               series: int = 2) -> Path:
    """Draw ``rates`` (with the "all" row last) into ``out`` (PNG)."""
    image = render_rates(rates, title, legend, series=series)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise OSError(f"could not write {out}")
    return out


def render_rates(rates: list[Rate], title: str, legend: tuple[str, str, str] = LEGEND,
                 total: str = "all", series: int = 2):
    """The plot of ``rates`` as a QImage (``legend``: the two bars' and the whiskers'
    captions, ``total``: the name under the "all" group, e.g. translated; ``series`` 1:
    only the first bar, ``rate2``)."""
    from PySide6.QtCore import QPointF, QRectF, Qt  # deferred: Qt only when a plot is drawn
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

    _app()
    image = QImage(WIDTH, HEIGHT, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(30)
    p.setFont(font)
    p.drawText(QRectF(0, 10, WIDTH, 50), Qt.AlignmentFlag.AlignCenter, title)
    left, top, right, bottom = 120, 120, WIDTH - 40, HEIGHT - 160
    step = _nice_step(max([0.1, *(r.ci2[1] for r in rates if r.reviews)]) / 5)
    top_rate = min(1.0, step * math.ceil(max([0.1, *(r.ci2[1] for r in rates
                                                      if r.reviews)]) / step - 1e-9))
    font.setPixelSize(20)
    p.setFont(font)

    def y(rate: float) -> float:
        return bottom - (bottom - top) * rate / top_rate

    p.setPen(QPen(QColor("#cccccc"), 1))
    steps = round(top_rate / step)
    for i in range(steps + 1):
        value = step * i
        p.drawLine(QPointF(left, y(value)), QPointF(right, y(value)))
        p.setPen(QColor("black"))
        p.drawText(QRectF(0, y(value) - 12, left - 10, 24),
                   Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{value:.0%}")
        p.setPen(QPen(QColor("#cccccc"), 1))
    slot = (right - left) / max(1, len(rates))
    bar = slot * 0.32
    for i, r in enumerate(rates):
        x = left + i * slot + (slot * 0.15 if series == 2 else (slot - bar) / 2)
        bars = ((r.rate2, r.ci2, BLUE), (r.rate3, r.ci3, RED))[:series]
        for j, (rate, ci, colour) in enumerate(bars):
            bx = x + j * (bar + 4)
            p.fillRect(QRectF(bx, y(rate), bar, bottom - y(rate)), QColor(colour))
            if r.reviews:
                p.setPen(QPen(QColor("black"), 2))
                mid = bx + bar / 2
                p.drawLine(QPointF(mid, y(ci[0])), QPointF(mid, y(ci[1])))
                for end in ci:
                    p.drawLine(QPointF(mid - bar / 5, y(end)), QPointF(mid + bar / 5, y(end)))
        p.setPen(QColor("black"))
        name = total if r.group == "all" else r.group
        label = name if len(name) <= 18 else name[:17] + "…"
        if slot >= 110:  # room for the name and n under the bars
            p.drawText(QRectF(left + i * slot, bottom + 8, slot, 28),
                       Qt.AlignmentFlag.AlignCenter, label)
            p.drawText(QRectF(left + i * slot, bottom + 36, slot, 28),
                       Qt.AlignmentFlag.AlignCenter, f"n={r.reviews}")
        else:  # many groups: "name (n)" slanted under each
            p.save()
            p.translate(left + i * slot + slot / 2, bottom + 10)
            p.rotate(-40)
            p.drawText(QRectF(-300, -12, 300, 24),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       f"{label} ({r.reviews})")
            p.restore()
    p.setPen(QPen(QColor("black"), 2))
    p.drawLine(QPointF(left, bottom), QPointF(right, bottom))
    p.drawLine(QPointF(left, top), QPointF(left, bottom))
    for k, (text, colour) in enumerate(((legend[0], BLUE), (legend[1], RED))[:series]):
        lx = left + 20 + k * 460
        p.fillRect(QRectF(lx, 66, 26, 26), QColor(colour))
        p.drawText(QRectF(lx + 36, 62, 420, 34),
                   Qt.AlignmentFlag.AlignVCenter, text)
    p.drawText(QRectF(WIDTH - 560, 62, 540, 34),
               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
               legend[2])
    p.end()
    return image
