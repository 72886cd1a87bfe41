"""PNG plots of an evaluation: the grade confusion matrix and the involvement scatter.

Drawn with Pillow (a dependency; lighter than matplotlib, which is not imported here).
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from inference.evaluate import EvalReport

SIZE = 480
MARGIN = 70


def _font(size: int = 14):
    return ImageFont.load_default(size)


def confusion_png(report: EvalReport, path: Path) -> Path:
    """Rows truth, columns read, cells shaded by count."""
    conf = report.summary["grade_confusion"]
    axis = [a.replace("not-assessable", "n/a") for a in conf["axis"]]
    rows = conf["rows_truth_cols_read"]
    n = len(axis)
    cell = (SIZE - MARGIN - 20) // n
    img = Image.new("RGB", (SIZE, SIZE), "white")
    draw = ImageDraw.Draw(img)
    top = max(max(r) for r in rows) or 1
    font = _font()
    draw.text((MARGIN, 8), f"Grade: truth (rows) vs read - {report.model_version}", fill="black",
              font=font)
    for i in range(n):
        draw.text((MARGIN + i * cell + 6, MARGIN - 22), axis[i], fill="black", font=font)
        draw.text((6, MARGIN + i * cell + cell // 2 - 7), axis[i], fill="black", font=font)
        for j in range(n):
            v = rows[i][j]
            shade = 255 - int(200 * v / top)
            colour = (shade, shade, 255) if i == j else (255, shade, shade)
            box = (MARGIN + j * cell, MARGIN + i * cell, MARGIN + (j + 1) * cell,
                   MARGIN + (i + 1) * cell)
            draw.rectangle(box, fill=colour, outline="grey")
            draw.text((box[0] + cell // 2 - 6, box[1] + cell // 2 - 7), str(v), fill="black",
                      font=font)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def involvement_png(report: EvalReport, path: Path) -> Path:
    """Truth vs read involvement per lung (%), with the identity line."""
    img = Image.new("RGB", (SIZE, SIZE), "white")
    draw = ImageDraw.Draw(img)
    font = _font()
    x0, y0, x1, y1 = MARGIN, SIZE - MARGIN, SIZE - 20, 30
    draw.rectangle((x0, y1, x1, y0), outline="black")
    draw.line((x0, y0, x1, y1), fill="grey")
    draw.text((x0, SIZE - MARGIN + 24), "truth involvement per lung, %", fill="black", font=font)
    draw.text((4, 8), f"read %, {report.model_version} (R blue, L red)", fill="black", font=font)
    for v in (0, 25, 50, 75, 100):
        x = x0 + (x1 - x0) * v / 100
        y = y0 - (y0 - y1) * v / 100
        draw.text((x - 8, y0 + 4), str(v), fill="black", font=font)
        draw.text((x0 - 30, y - 7), str(v), fill="black", font=font)
    for s in report.studies:
        for side, colour in (("right", "blue"), ("left", "red")):
            t, r = s.truth_involvement.get(side), s.involvement.get(side)
            if t is None or r is None:
                continue
            x = x0 + (x1 - x0) * min(t, 100) / 100
            y = y0 - (y0 - y1) * min(r, 100) / 100
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), outline=colour, width=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path)
    return path


def write_plots(report: EvalReport, folder: Path) -> list[Path]:
    folder = Path(folder)
    return [confusion_png(report, folder / "grade-confusion.png"),
            involvement_png(report, folder / "involvement-scatter.png")]
