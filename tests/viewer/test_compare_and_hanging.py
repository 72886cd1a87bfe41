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


def test_a_long_prior_header_leaves_both_panes_the_same_size_and_a_tall_area_stacks(qtbot):
    """In the walkthrough (1400x900, panels shown) "Prior · 11.11.1900 · 51 days earlier"
    made the prior pane twice the current one and pushed the window off the screen."""
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(420, 300)
    layout.show()
    current = marker_phantom()
    prior = shifted(marker_phantom(), 20.0)
    prior.info = SeriesInfo(study_date="19001111")
    current.info = SeriesInfo(study_date="19010101")
    layout.set_volumes(current, volume_to_vtk(current), prior, volume_to_vtk(prior))
    assert "51" in layout.headers[1].text()
    qtbot.waitUntil(lambda: abs(layout.current.width() - layout.prior.width()) <= 2)
    assert layout.minimumSizeHint().width() < 420
    layout.resize(420, 800)  # taller than wide: current above prior, each full width
    qtbot.waitUntil(lambda: layout.current.y() < layout.prior.y())
    assert layout.current.width() > 400 and layout.prior.width() > 400
    assert layout.headers[0].y() < layout.current.y() < layout.headers[1].y() < layout.prior.y()


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


def _patient(volume, patient_id: str, study_date: str, frame: str = ""):
    from dataclasses import replace

    return replace(volume, info=replace(volume.info, patient_id=patient_id,
                                        study_date=study_date, frame_of_reference_uid=frame))


def test_panes_are_labelled_current_and_prior_with_dates_and_interval(qtbot):
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(800, 400)
    layout.show()
    current = _patient(marker_phantom(), "P-1", "20260301")
    prior = _patient(marker_phantom(), "P-1", "20260112")
    layout.set_volumes(current, volume_to_vtk(current), prior, volume_to_vtk(prior))
    current_text, prior_text = (h.text() for h in layout.headers)
    assert current_text.startswith("Current") and "01.03.2026" in current_text
    assert prior_text.startswith("Prior") and "12.01.2026" in prior_text
    assert "48 days earlier" in prior_text
    assert layout.warning.isHidden()


def test_different_patient_ids_raise_a_visible_warning(qtbot):
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(800, 400)
    layout.show()
    current = _patient(marker_phantom(), "P-1", "20260301")
    prior = _patient(marker_phantom(), "P-2", "20260112")
    layout.set_volumes(current, volume_to_vtk(current), prior, volume_to_vtk(prior))
    assert layout.warning.isVisible()
    assert "P-1" in layout.warning.text() and "P-2" in layout.warning.text()


def test_current_is_readable_while_the_prior_loads(qtbot):
    layout = ComparisonLayout()
    qtbot.addWidget(layout)
    layout.resize(800, 400)
    layout.show()
    current = marker_phantom()
    layout.set_current(current, volume_to_vtk(current))
    layout.set_prior_loading(0.4)
    assert "40%" in layout.prior.note_text()
    layout.current.set_slice_index(30)  # reading goes on
    prior = shifted(marker_phantom(), 20.0)
    layout.set_prior(prior, volume_to_vtk(prior))
    assert layout.prior.note_text() == "" and layout.prior.slice_index == 20


def test_shared_frame_of_reference_links_by_table_position_else_registration():
    from studies.registration import align_for_comparison

    current = _patient(marker_phantom(), "P-1", "20260301", frame="1.2.3")
    same_table = _patient(shifted(marker_phantom(), 20.0), "P-1", "20260112", frame="1.2.3")
    alignment = align_for_comparison(current, same_table)
    assert alignment.method == "frame-of-reference" and alignment.translation == (0, 0, 0)
    other_visit = _patient(shifted(marker_phantom(), 20.0), "P-1", "20260112", frame="9.9")
    alignment = align_for_comparison(current, other_visit)
    assert alignment.method == "rigid"
    assert alignment.translation[2] == pytest.approx(20.0, abs=2.0)


@pytest.mark.parametrize(("study", "series", "region", "protocol"), [
    ("CT ABD AND PELVIS WITH IV CONT", "ABD/PEL 2.5 MM", "ABDOMEN", "ct-default"),
    ("CT ABD AND PELVIS WO IV CONT", "STANDARD 2.5MM", "ABDOMEN", "ct-default"),
    ("CT ABD AND PELVIS WITH IV CONT", "CHEST 2.5 MM/ABD.PEL 2.5MM", "CHEST", "chest-ct"),
    ("CT CHEST PULMONARY ANGIO WITH IV CON", "CHEST 1.25 MM", "CHEST", "chest-ct"),
    ("КТ органов брюшной полости", "", "ABDOMEN", "ct-default"),
    ("КТ ОГК", "", "CHEST", "chest-ct"),
    ("", "", "", "chest-ct"),  # nothing said: a chest station's CT
])
def test_a_series_without_body_part_is_placed_by_its_descriptions(study, series, region,
                                                                  protocol):
    """The covid-slices' abdomen CTs have no Body Part Examined and hung as chests (lung
    window); their descriptions say what they are."""
    from viewer.hanging import body_region

    info = SeriesInfo(modality="CT", study_description=study, series_description=series)
    assert body_region(info) == region
    assert choose_protocol(info, load_protocols()).name == protocol


@pytest.mark.parametrize(("body_part", "study", "chest"), [
    ("", "CT ABD AND PELVIS WO IV CONT", False),
    ("", "CT CHEST WO IV CONT", True),
    ("", "", None),
    ("CHEST_TO_PELVIS", "", True),
    ("ABDOMEN", "", False),
    ("TORSO", "", None),  # a name not known: the AI is not held back
])
def test_whether_a_series_is_a_chest(body_part, study, chest):
    from viewer.hanging import is_chest

    assert is_chest(SeriesInfo(modality="CT", body_part=body_part,
                               study_description=study)) is chest
