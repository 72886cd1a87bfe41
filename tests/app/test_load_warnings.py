"""The loader's warnings (missing slices, gantry tilt, uneven spacing, damaged files) are said
in the app, in the interface's language: a strip over the views and the study's line (its
tooltip names them). The series is a real chest CT's slices, rewritten to have each fault."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.shell.load_warnings import KNOWN, warning_text
from tests.app import windows

SLICES = 24  # of lidc-idri-0001, from its middle
TILT = np.tan(np.radians(12.0))  # in-plane shift (mm) per mm along the stack


def faulty_series(shared_data: Path, folder: Path) -> Path:
    """A real chest's slices with one missing, the stack tilted 12°, one slice 0.4 mm off
    its place (uneven gaps) and one file cut short (damaged)."""
    import pydicom

    files = (shared_data / "ct" / "lidc-idri-0001").glob("*.dcm")
    source = sorted(files, key=lambda p: float(pydicom.dcmread(
        p, stop_before_pixels=True).ImagePositionPatient[2]))  # head to feet, not by name
    source = source[len(source) // 2 - SLICES // 2:][:SLICES]
    folder.mkdir()
    first = None
    for n, path in enumerate(source):
        if n == 5:
            continue  # a missing slice
        ds = pydicom.dcmread(path)
        x, y, z = (float(v) for v in ds.ImagePositionPatient)
        first = z if first is None else first
        if n == 15:
            z += 0.4 if z > first else -0.4  # a slice off its place: uneven gaps
        ds.ImagePositionPatient = [x, y + TILT * (z - first), z]
        out = folder / path.name
        ds.save_as(out)
        if n == 10:  # damaged: the pixel data cut short
            data = out.read_bytes()
            out.write_bytes(data[: len(data) - len(data) // 3])
    return folder


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_loader_s_warnings_are_said_over_the_views(qtbot, qapp, luch_home, monkeypatch,
                                                       shared_data, tmp_path, lang):
    """Seen at the station: a series with slices missing, a tilted gantry or damaged files
    opened silently; only `luch info` told."""
    from app.shell.i18n import install_translator, remove_translators

    series = faulty_series(shared_data, tmp_path / "faulty")
    monkeypatch.setenv("LUCH_LANG", lang)
    assert install_translator(qapp) == lang
    try:
        window = windows.shown_window(qtbot, size=(1400, 900))
        window.show()
        windows.open_demo(qtbot, window, series)
        strip = window.warning_strip
        raw = window.study.volume.warnings
        assert strip.isVisible()
        for kind in ("missing", "Gantry tilt", "not uniform", "could not be decoded"):
            assert any(kind in w for w in raw), f"the loader did not warn of {kind!r}: {raw}"
        lines = strip.lines
        assert len(lines) == len(raw)
        words = {"en": ("Missing slices", "Gantry tilt", "Uneven slice spacing",
                        "Damaged files"),
                 "ru": ("Пропущены срезы", "Наклон гентри", "Неравномерный шаг срезов",
                        "Повреждённые файлы")}[lang]
        for word in words:
            assert any(line.startswith(word) for line in lines), (word, lines)
        if lang == "ru":
            assert not any(w in lines for w in raw), "each said in Russian, not as written"
            assert any("12,0°" in line for line in lines), "the interface's decimal comma"
        assert "⚠" in window.status_label.text()
        assert window.status_label.toolTip().splitlines() == lines
        windows.open_demo(qtbot, window)  # a sound study: no strip, no mark
        assert not strip.isVisible() and "⚠" not in window.status_label.text()
    finally:
        remove_translators(qapp)


def test_every_known_warning_has_its_russian_text(qapp, monkeypatch):
    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", "ru")
    assert install_translator(qapp) == "ru"
    try:
        samples = ["3 slice(s) appear to be missing (gaps up to 7.50 mm where slices are "
                   "2.50 mm apart)", "Gantry tilt of 12.0°: the volume is sheared",
                   "Gantry tilt corrected (slices shifted in-plane, interpolated)",
                   "Slice spacing is not uniform (2.10–2.90 mm): measurements",
                   "2 of 133 slice(s) could not be decoded (damaged files) and are shown blank",
                   "4 slice(s) held values outside -32768..32767 HU (clipped)",
                   "Some values were outside the 16-bit range and were clipped",
                   "2 other series at this location were not opened (list them with `luch "
                   "info`)", "1 localizer image(s) left out",
                   "Mixed series: its images differ in geometry or acquisition, so it was "
                   "split into 2 volumes", "The images have no Study Instance UID",
                   "The images have no Series Instance UID; they were grouped by series "
                   "number and geometry",
                   "No patient geometry: positions and distances in this image are not "
                   "reliable", "This NIfTI file holds several volumes; the first is shown",
                   "This multi-frame image holds 2 stacks of different orientation; each is a "
                   "separate volume", "Resampled to 2.5 mm slices (interpolated between "
                   "acquired slices)"]
        said = [warning_text(s) for s in samples]
        assert len({p.pattern for p, _ in KNOWN}) == len(samples)
        for sample, text in zip(samples, said, strict=True):
            assert text != sample and not text.isascii(), (sample, text)
        assert warning_text("Something new") == "Something new"
    finally:
        remove_translators(qapp)
