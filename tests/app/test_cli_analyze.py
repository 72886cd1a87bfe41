"""``luch analyze``: JSON keys, outputs, not-assessable input and clear errors."""

import json

import highdicom as hd
import pydicom
import pytest

from app.cli import main


def test_analyze_writes_json_and_mask(shared_data, tmp_path, capsys):
    out, mask = tmp_path / "r.json", tmp_path / "m.nii.gz"
    code = main(["analyze", str(shared_data / "ct" / "chest-crop-b.nii.gz"), "--engine",
                 "classical", "--json", str(out), "--mask", str(mask)])
    assert code == 0
    data = json.loads(out.read_text())
    assert set(data) >= {"grade", "involvement_percent", "volumes_ml", "probability",
                         "quality_flags", "device", "seconds"}
    assert set(data["involvement_percent"]) == {"left", "right", "total"}
    # A crop with one partial lung: never a silent CT-0.
    assert data["grade"] == "not-assessable"
    assert "Investigational" in capsys.readouterr().out
    import SimpleITK as sitk

    import studies

    source = studies.open_volume(shared_data / "ct" / "chest-crop-b.nii.gz")
    img = sitk.ReadImage(str(mask))
    assert sitk.GetArrayFromImage(img).shape == source.shape
    assert img.GetSpacing() == pytest.approx(source.spacing)
    assert sitk.GetArrayFromImage(img).max() > 0


def test_analyze_dicom_with_seg_sr_and_prior(shared_data, tmp_path, capsys):
    series = shared_data / "ct" / "siemens-j2k-abdomen"
    seg, sr = tmp_path / "seg.dcm", tmp_path / "sr.dcm"
    code = main(["analyze", str(series), "--prior", str(series), "--engine", "classical",
                 "--seg", str(seg), "--sr", str(sr), "--json", "-"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["grade"] == "not-assessable"
    assert data["dynamics"]["involvement_change_pp"] is None
    assert hd.seg.segread(seg).number_of_segments == 4
    assert pydicom.dcmread(sr).ContentTemplateSequence[0].TemplateIdentifier == "1500"


def test_seg_from_nifti_fails_fast_with_a_clear_message(shared_data, tmp_path, capsys):
    code = main(["analyze", str(shared_data / "ct" / "chest-crop-a.nii.gz"), "--engine",
                 "classical", "--seg", str(tmp_path / "s.dcm")])
    assert code == 2
    assert "NIfTI" in capsys.readouterr().err
    assert not (tmp_path / "s.dcm").exists()


def test_missing_path_is_a_clear_error(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope")]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize("bad", [["--device", "tpu"], ["--rule", "average"]])
def test_bad_options_are_refused(bad, tmp_path):
    with pytest.raises(SystemExit):
        main(["analyze", str(tmp_path), *bad])


def test_help_renders(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["analyze", "--help"])
    assert exit_.value.code == 0
    assert "involvement" in capsys.readouterr().out


def test_save_stores_the_result_in_local_records(shared_data, luch_home, capsys):
    import records

    one_slice = shared_data / "covid-slices" / "A048383" / "axial" / "19001231-30.dcm"
    seg, sr = luch_home / "out" / "seg.dcm", luch_home / "out" / "sr.dcm"
    assert main(["analyze", str(one_slice), "--engine", "classical", "--save", "--json",
                 "-", "--seg", str(seg), "--sr", str(sr)]) == 0
    data = json.loads(capsys.readouterr().out)
    store = records.open_store()
    try:
        saved = store.ai_result(data["saved_ai_result_id"])
        assert saved.values["grade"] == "not-assessable"
        assert saved.model_name == "luch-classical"
        # The SEG and the TID 1500 SR written go to the archive with the result.
        assert saved.mask_files == [str(seg), str(sr)] and seg.is_file() and sr.is_file()
    finally:
        store.close()


def test_a_saved_result_of_a_nifti_study_is_kept_local_not_queued(shared_data, luch_home,
                                                                  capsys):
    """A NIfTI has no DICOM identity: its result is stored but not queued for the archive."""
    import records
    import studies

    nifti = shared_data / "ct" / "chest-crop-a.nii.gz"
    one_slice = shared_data / "covid-slices" / "A048383" / "axial" / "19001231-30.dcm"
    for path in (nifti, one_slice):
        assert main(["analyze", str(path), "--engine", "classical", "--save", "--json",
                     "-"]) == 0
    store = records.open_store()
    try:
        uid = studies.open_volume(nifti).info.study_instance_uid
        assert store.study_kept_local(uid)
        assert [e.action for e in store.audit_events(uid)].count("kept-local") == 1
        assert [j.study_instance_uid for j in store.jobs()] == [
            studies.open_volume(one_slice).info.study_instance_uid]
    finally:
        store.close()
