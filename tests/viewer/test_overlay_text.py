"""Corner text and measurement values stay legible over bone and clear of the image."""

from __future__ import annotations

import numpy as np
import pytest

from studies import SeriesInfo, Volume
from tests.viewer.phantoms import marker_phantom, show_in_view
from viewer import vtk_api as vtk
from viewer.layouts import ReadingLayout
from viewer.measurements import Measurement
from viewer.screenshot import render_window_pixels
from viewer.slice_view import SliceView


def white_volume() -> Volume:
    """Bone everywhere: drawn white in the bone window, the worst case for yellow text."""
    voxels = np.full((20, 64, 64), 1500, dtype=np.int16)
    return Volume(voxels=voxels, spacing=(1.0, 1.0, 1.0), origin=(0.0, 0.0, 0.0),
                  info=SeriesInfo(patient_name="BONE^PHANTOM", patient_id="ID-1",
                                  study_date="20260101", series_description="bone"))


def box(actor, renderer) -> tuple[int, int, int, int]:
    """A text actor's pixel box (x0, x1, y0, y1), VTK display coordinates (y up)."""
    bbox = [0.0] * 4
    actor.GetBoundingBox(renderer, bbox)  # relative to the actor's position
    x, y = actor.GetPositionCoordinate().GetComputedDisplayValue(renderer)
    return tuple(round(v) for v in (bbox[0] + x, bbox[1] + x, bbox[2] + y, bbox[3] + y))


def dark_fraction(view, actor) -> float:
    rgb = render_window_pixels(view.render_window)
    h = rgb.shape[0]
    x0, x1, y0, y1 = box(actor, view.renderer)
    patch = rgb[max(0, h - y1):h - max(0, y0), max(0, x0):x1].mean(axis=2)
    assert patch.size, "the text has no box"
    return float((patch < 128).mean())  # darker than mid-grey, under bright text


@pytest.fixture
def bone_view(qtbot):
    view = show_in_view(qtbot, SliceView(), white_volume(), size=(300, 300))
    view.set_zoom(4.0)  # the image under every corner
    view.set_window(300, 100)  # all white
    return view


def test_corner_text_has_a_dark_outline_over_white_bone(bone_view):
    assert render_window_pixels(bone_view.render_window).mean() > 200, "phantom not white"
    for position in (0, 1, 2, 3):
        fraction = dark_fraction(bone_view, bone_view.corner_text.actors[position])
        assert fraction > 0.2, f"corner {position}: text not outlined ({fraction:.2f} dark)"


def test_measurement_values_have_a_dark_outline_over_white_bone(bone_view):
    centre = bone_view.volume.index_to_lps(np.array([32.0, 32.0, 10.0]))
    half = np.array([5.0, 0.0, 0.0])
    m = Measurement("distance", [tuple(centre - half), tuple(centre + half)],
                    normal=(0.0, 0.0, 1.0))
    bone_view.set_measurements([m])
    texts = [a for a in bone_view._measure_layer._actors if isinstance(a, vtk.vtkTextActor)]
    assert texts
    assert dark_fraction(bone_view, texts[0]) > 0.2


@pytest.mark.parametrize("size", [(600, 600), (900, 520)])
def test_in_2x2_the_image_stays_clear_of_the_corner_text(qtbot, size):
    layout = show_in_view(qtbot, ReadingLayout("2x2"), marker_phantom(), size=size)
    for view in layout.views:
        view.render()
        h = view.height()
        nk, nj, ni = view.volume.shape
        ijk = np.array([[i, j, k] for i in (-0.5, ni - 0.5) for j in (-0.5, nj - 0.5)
                        for k in (-0.5, nk - 0.5)])
        xy = np.array([view.lps_to_display(p) for p in view.volume.index_to_lps(ijk)])
        ix0, iy0 = xy.min(axis=0)
        ix1, iy1 = xy.max(axis=0)
        assert iy1 - iy0 > 0.5 * h or ix1 - ix0 > 0.5 * view.width(), "image shrank too much"
        for position in (0, 1, 2, 3):
            x0, x1, y0, y1 = box(view.corner_text.actors[position], view.renderer)
            overlap = min(ix1, x1) - max(ix0, x0) > 1 and min(iy1, y1) - max(iy0, y0) > 1
            assert not overlap, f"{view.plane.name}: image runs under corner {position}"


def test_russian_corner_text_is_drawn(qtbot):
    """VTK's own fonts have no Cyrillic: 'Аксиальная' must still leave glyphs on screen."""
    view = show_in_view(qtbot, SliceView(), marker_phantom(), size=(400, 400))

    def bright_in_box(text: str) -> int:
        view.corner_text.set(0, text)
        rgb = render_window_pixels(view.render_window)
        h = rgb.shape[0]
        x0, x1, y0, y1 = box(view.corner_text.actors[0], view.renderer)
        patch = rgb[max(0, h - y1):h - max(0, y0), max(0, x0):x1]
        return int((patch.mean(axis=2) > 150).sum())

    latin = bright_in_box("Axialnaya 12/60")
    cyrillic = bright_in_box("Аксиальная 12/60")
    assert latin > 50
    assert cyrillic > 0.6 * latin, f"Cyrillic glyphs missing ({cyrillic} vs {latin} pixels)"


def _overlap(a, b) -> bool:
    return min(a[1], b[1]) - max(a[0], b[0]) > 1 and min(a[3], b[3]) - max(a[2], b[2]) > 1


def test_texts_do_not_cover_each_other_in_narrow_views(qtbot):
    """Long series descriptions and plane names in a narrow MPR pane: each text keeps to its
    place (the top texts elided, the scale bar above the bottom texts)."""
    from dataclasses import replace

    volume = marker_phantom()
    volume = replace(volume, info=replace(
        volume.info, patient_id="LIDC-IDRI-0001", study_date="20000101",
        series_description="Luch demo (LIDC-IDRI-0001, reduced) thin lung kernel"))
    layout = show_in_view(qtbot, ReadingLayout("mpr"), volume, size=(720, 300))
    for view in layout.views:
        view.corner_text.set(0, "Коронарная 129/256\n8.7 мм")  # as long as the Russian
        view.render()
        boxes = {n: box(view.corner_text.actors[n], view.renderer) for n in range(4)}
        assert not _overlap(boxes[2], boxes[3]), f"{view.plane.name}: top texts overlap"
        bar = box(view.scale_bar.text, view.renderer)
        for n in (0, 1):
            assert not _overlap(bar, boxes[n]), f"{view.plane.name}: scale bar over corner {n}"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_bottom_texts_take_their_short_forms_in_narrow_views(qtbot, lang, monkeypatch):
    """MPR reformats 205 px wide at 1400x900: "Корональная 146/512" ran into "Ш 1500 У -600"
    (seen in the walkthrough). Narrow, the plane title goes (the view shows which plane it is)
    and the zoom is "×1.00"; wide, both stay."""
    from PySide6.QtWidgets import QApplication

    from app.shell.i18n import install_translator, remove_translators

    monkeypatch.setenv("LUCH_LANG", lang)
    install_translator(QApplication.instance())
    try:
        layout = show_in_view(qtbot, ReadingLayout("mpr"), marker_phantom(), size=(480, 300))
        for view in layout.views:
            view.refresh_text()
            left, right = (box(view.corner_text.actors[n], view.renderer) for n in (0, 1))
            assert not _overlap(left, right), f"{view.plane.name}: bottom texts overlap"
            assert left[1] < right[0], f"{view.plane.name}: bottom texts touch"
            assert "×" in view.corner_text.text(1)
        wide = show_in_view(qtbot, SliceView(), marker_phantom(), size=(600, 400))
        wide.refresh_text()
        assert wide._plane_title() in wide.corner_text.text(0)
        assert "×" not in wide.corner_text.text(1)
    finally:
        remove_translators(QApplication.instance())


@pytest.mark.parametrize(("lang", "point"), [("en", "."), ("ru", ",")])
def test_values_on_the_image_use_the_interfaces_decimal_separator(qtbot, lang, point,
                                                                   monkeypatch):
    """In Russian the AI panel wrote "3,0%" while the image said "158.2 мм" and "-24.5 мм"."""
    import re

    from PySide6.QtWidgets import QApplication

    from app.shell.i18n import install_translator, remove_translators
    from viewer.measure_tool import describe

    monkeypatch.setenv("LUCH_LANG", lang)
    install_translator(QApplication.instance())
    try:
        volume = marker_phantom()
        view = show_in_view(qtbot, SliceView(), volume, size=(500, 400))
        view.refresh_text()
        position = view.corner_text.text(0).split("\n")[1]
        assert re.fullmatch(rf"-?\d+\{point}\d \S+", position), position
        assert re.search(rf"\d\{point}\d\d", view.corner_text.text(1))  # the zoom
        distance = Measurement("distance", [(0.0, 0.0, 0.0), (10.25, 0.0, 0.0)])
        assert describe(volume, distance).startswith(f"10{point}2")
    finally:
        remove_translators(QApplication.instance())
