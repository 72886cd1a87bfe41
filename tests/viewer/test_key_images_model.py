"""The Qt-free key image model: what can be a key image, toggling, keeping it with the study."""

from __future__ import annotations

import pytest

from tests.viewer.phantoms import marker_phantom
from viewer.key_images import KeyImages, NotAnImage, key_image_of

CT = "1.2.840.10008.5.1.4.1.1.2"


def _dicom_like():
    volume = marker_phantom()
    info = volume.info
    info.study_instance_uid, info.series_instance_uid, info.series_number = "1.2.3", "1.2.3.4", 7
    info.sop_class_uid = CT
    info.sop_instance_uids = [f"1.2.3.4.{k}" for k in range(volume.shape[0])]
    return volume


def test_only_a_stored_image_of_a_dicom_series_can_be_a_key_image():
    volume = _dicom_like()
    image = key_image_of(volume, 12, 48)
    assert (image.sop_instance_uid, image.sop_class_uid, image.slice) == ("1.2.3.4.12", CT, 48)
    plain = marker_phantom()  # no SOP UIDs (as NIfTI)
    with pytest.raises(NotAnImage):
        key_image_of(plain, 12, 48)
    volume.info.sop_instance_uids = ["1.2.3.4.0"]  # one multi-frame object
    with pytest.raises(NotAnImage):
        key_image_of(volume, 0, 60)
    volume = _dicom_like()
    volume.info.derived_uids = ("SeriesInstanceUID",)
    with pytest.raises(NotAnImage):
        key_image_of(volume, 12, 48)


def test_toggle_sorts_notifies_and_keeps_the_marks_with_the_study(luch_home):
    volume = _dicom_like()
    model, seen = KeyImages(), []
    model.subscribe(lambda: seen.append(len(model)))
    model.load("1.2.3")
    assert model.toggle(key_image_of(volume, 30, 30)) is True
    assert model.toggle(key_image_of(volume, 5, 55)) is True
    assert [m.slice for m in model.items] == [30, 55]
    assert model.marked("1.2.3.4", 5) and not model.marked("1.2.3.4", 6)
    assert model.toggle(key_image_of(volume, 30, 30)) is False
    assert seen == [0, 1, 2, 1]
    again = KeyImages()
    again.load("1.2.3")
    assert again.as_dicts() == model.as_dicts() and again.items[0].sop_instance_uid == "1.2.3.4.5"
    again.load("9.9.9")  # another study: its own (none)
    assert len(again) == 0


def test_a_broken_file_is_set_aside_and_the_study_starts_clean(luch_home):
    from viewer.key_images import _file

    _file("1.2.3").write_text("{not json", encoding="utf-8")
    model = KeyImages()
    model.load("1.2.3")
    assert len(model) == 0 and _file("1.2.3").with_suffix(".broken.json").exists()
