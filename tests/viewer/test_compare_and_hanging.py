"""Prior comparison (linked, aligned by position or registration) and hanging protocols."""

from __future__ import annotations

import numpy as np
import pytest

from studies import SeriesInfo
from studies.registration import align_rigid
from tests.viewer.phantoms import marker_phantom, shifted
from viewer.compare import ComparisonLayout
from viewer.hanging import choose_protocol, load_protocols
from viewer.vtk_bridge import volume_to_vtk


def test_prior_follows_scrolling_by_slice_location(qtbot):
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(800, 400)
    layout.show()
    current, prior = marker_phantom(), shifted(marker_phantom(), 20.0)
    layout.set_volumes(current, volume_to_vtk(current), prior, volume_to_vtk(prior))
    layout.current.set_slice_index(30)
    # Same LPS z: the prior (origin 20 mm higher, 2 mm slices) is 10 slices lower.
    assert layout.prior.slice_position() == pytest.approx(layout.current.slice_position())
    assert layout.prior.slice_index == 20
    layout.prior.set_window(40, 400)
    assert layout.current.window() == (40, 400)
    # Going to a point (an AI finding) moves the current study there; the prior follows.
    layout.set_cursor(current.index_to_lps(np.array([10.0, 10.0, 40.0])))
    assert layout.current.slice_index == 40 and layout.prior.slice_index == 30


def test_rigid_registration_recovers_a_table_shift():
    current, prior = marker_phantom(), shifted(marker_phantom(), 20.0)
    alignment = align_rigid(current, prior)
    assert alignment.method == "rigid"
    assert alignment.translation[2] == pytest.approx(20.0, abs=2.0)
    assert abs(alignment.translation[0]) < 2 and abs(alignment.translation[1]) < 2


def test_registered_prior_shows_the_same_anatomy(qtbot):
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(800, 400)
    layout.show()
    current, prior = marker_phantom(), shifted(marker_phantom(), 20.0)
    layout.set_volumes(current, volume_to_vtk(current), prior, volume_to_vtk(prior),
                       align_rigid(current, prior))
    layout.current.set_slice_index(35)
    assert layout.prior.slice_index == pytest.approx(35, abs=1)


@pytest.mark.parametrize(("modality", "body_part", "expected"), [
    ("CT", "CHEST", ("chest-ct", "1x2", "lung", True)),
    ("CT", "", ("chest-ct", "1x2", "lung", True)),
    ("CT", "ABDOMEN", ("ct-default", "mpr", "soft-tissue", True)),
    ("MR", "BRAIN", ("fallback", "1x1", "lung", False)),
])
def test_hanging_protocol_is_chosen_from_modality_and_body_part(modality, body_part, expected):
    info = SeriesInfo(modality=modality, body_part=body_part)
    protocol = choose_protocol(info, load_protocols())
    assert (protocol.name, protocol.layout, protocol.preset, protocol.overlay) == expected


def test_user_protocols_from_settings_take_precedence(luch_home):
    from core.settings import Settings

    settings = Settings()
    settings.set("viewer.hanging_protocols", [
        {"name": "mine", "layout": "mpr", "preset": "mediastinum", "match": {"modality": ["CT"]}}
    ])
    protocol = choose_protocol(SeriesInfo(modality="CT", body_part="CHEST"),
                               load_protocols(settings))
    assert (protocol.name, protocol.layout) == ("mine", "mpr")
