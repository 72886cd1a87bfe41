"""A study still arriving (progressive open): the slices not here yet are hatched in the
coronal and sagittal reformats (and the axial view), not drawn as a grey or black band that
could pass for anatomy; the hatching goes as they arrive. Real CT, real VTK rendering."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from studies import open_volume
from tests.viewer.phantoms import show_in_view
from viewer.layouts import ReadingLayout
from viewer.screenshot import render_window_pixels
from viewer.vtk_bridge import volume_to_vtk


@pytest.fixture(scope="module")
def chest(shared_data):
    return open_volume(shared_data / "ct" / "lidc-idri-0001")


def _strip(view, volume, k: int) -> np.ndarray:
    """The RGB pixels of the row where stored slice ``k`` crosses the view (a reformat),
    over the middle half of the image's width."""
    rgb = render_window_pixels(view.render_window).astype(int)
    _nk, nj, ni = volume.shape
    left = view.lps_to_display(volume.index_to_lps(np.array([ni * 0.25, nj * 0.5, k])))
    right = view.lps_to_display(volume.index_to_lps(np.array([ni * 0.75, nj * 0.5, k])))
    if view.plane.name == "sagittal":
        left = view.lps_to_display(volume.index_to_lps(np.array([ni * 0.5, nj * 0.25, k])))
        right = view.lps_to_display(volume.index_to_lps(np.array([ni * 0.5, nj * 0.75, k])))
    row = rgb.shape[0] - 1 - round(left[1])
    x0, x1 = sorted((round(left[0]), round(right[0])))
    return rgb[row, x0:x1]


def _hatched(strip: np.ndarray) -> bool:
    blue = strip[:, 2] - strip[:, 0] > 25  # the hatching's blue-grey tones
    tones = {tuple(p // 16) for p in strip[blue]}
    return blue.mean() > 0.95 and len(tones) >= 2  # two tones: stripes, not a flat band


def _grey(strip: np.ndarray) -> bool:
    """CT in grey (a crosshair line may cross the strip)."""
    return bool((np.ptp(strip, axis=1) <= 2).mean() > 0.95)


def test_slices_not_arrived_are_hatched_in_the_reformats(qtbot, chest):
    nk = chest.shape[0]
    arrived = np.zeros(nk, dtype=bool)
    arrived[nk // 4: 3 * nk // 4] = True  # the middle came first
    arriving = replace(chest, voxels=np.zeros_like(chest.voxels))
    arriving.voxels[arrived] = chest.voxels[arrived]
    layout = show_in_view(qtbot, ReadingLayout("mpr"), arriving, size=(1200, 400))
    axial, coronal, sagittal = layout.views
    for view in layout.views:
        view.set_arrived(arrived)
        view.render()
    missing, here = [2, nk - 3], [nk // 2 + 7, nk // 3]  # (the crosshair is at nk // 2)
    for view in (coronal, sagittal):
        for k in missing:
            assert _hatched(_strip(view, arriving, k)), f"{view.plane.name}: slice {k}"
        for k in here:
            strip = _strip(view, arriving, k)
            assert _grey(strip) and np.ptp(strip) > 40, f"{view.plane.name}: slice {k} shown"
    axial.set_slice_index(1)  # an end slice, not here yet: hatched whole and said
    assert axial.note_text() == "This slice has not arrived yet"
    rgb = render_window_pixels(axial.render_window).astype(int)
    h, w, _ = rgb.shape
    assert _hatched(rgb[h // 2 + 17, w // 3: 2 * w // 3])  # (off the crosshair)
    # the rest arrives: the hatching goes and the slices show
    arriving.voxels[...] = chest.voxels
    arrived[:] = True
    for view in layout.views:
        view.mapper.GetInput().Modified()
        view.set_slice_index(view.slice_index)
    for view in (coronal, sagittal):
        for k in missing:
            strip = _strip(view, arriving, k)
            assert _grey(strip) and np.ptp(strip) > 40, f"{view.plane.name}: slice {k}"
    assert axial.note_text() == ""
    for view in layout.views:  # the study is whole: the layer is gone
        view.set_arrived(None)
        assert not view._pending.active


def test_a_volume_replaced_while_arriving_is_hatched_anew_not_an_error(qtbot, chest):
    """The Philips chest over the archive raised 'shape mismatch: (126,96,96) ... (125,96,96)'
    when a view's volume changed its slice count while the hatching was up."""
    nk = chest.shape[0]
    arriving = replace(chest, voxels=np.zeros_like(chest.voxels[:-1]))
    view = show_in_view(qtbot, ReadingLayout("1x1"), arriving, size=(400, 400)).views[0]
    view.set_arrived(np.zeros(nk - 1, dtype=bool))
    assert view._pending.active
    whole = replace(chest, voxels=np.zeros_like(chest.voxels))
    view.set_volume(whole, volume_to_vtk(whole))
    view.arrived = np.zeros(nk, dtype=bool)  # the window's arrival array, one slice longer
    view.set_slice_index(nk - 1)  # was: ValueError from the hatching, IndexError below it
    assert view._pending.slices == nk and view.note_text() == "This slice has not arrived yet"

