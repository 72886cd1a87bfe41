"""`luch info` and `luch export` on real and synthetic series, checked with SimpleITK."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pydicom
import pytest
import SimpleITK as sitk

import studies
from app.cli import main
from core.paths import PROJECT_ROOT


def test_info_json_lists_series_geometry_and_warnings(make_series, capsys) -> None:
    folder = make_series(slices=10, skip=[4])
    (folder / "readme.txt").write_text("x")
    assert main(["info", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["non_dicom_files"] == 1
    [series] = report["series"]
    assert series["slices"] == 9 and series["rows"] == 64 and series["modality"] == "CT"
    assert series["spacing"] == pytest.approx([0.8, 0.7, 2.5])
    assert series["origin"] == pytest.approx([-120, -130, -300])
    assert any("missing" in w for w in series["warnings"])
    assert series["patient"]["name"] == "Synthetic^Phantom"  # asked for, in JSON only


def test_info_text_has_no_patient_data(make_series, capsys) -> None:
    folder = make_series(slices=4, patient_name="Doe^Jane")
    assert main(["info", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "(4x64x64)" in out and "Doe" not in out and "SYN0001" not in out


def test_info_on_nothing_is_a_clear_error(tmp_path, capsys) -> None:
    (tmp_path / "a.txt").write_text("not an image")
    assert main(["info", str(tmp_path)]) == 2
    assert main(["info", str(tmp_path / "missing")]) == 2
    assert "Not found" in capsys.readouterr().err


def test_info_on_one_file_describes_its_whole_series(make_series, capsys) -> None:
    folder = make_series(slices=7, patient_name="Doe^Jane")  # file names shuffled
    make_series(slices=3)  # another series in another folder: not part of it
    given = next(p for p in folder.iterdir() if pydicom.dcmread(p).InstanceNumber == 5)
    assert main(["info", str(given), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    [series] = report["series"]
    assert series["slices"] == 7 and series["files"] == 7  # as `luch open` opens it
    assert report["given_file"] == {"path": str(given), "slice": 4, "slices": 7}
    assert main(["info", str(given)]) == 0
    out = capsys.readouterr().out
    assert "slice 5 of 7" in out and "(7x64x64)" in out and "Doe" not in out


def test_info_on_one_real_file_without_uids_matches_its_folder(shared_data: Path,
                                                               capsys) -> None:
    folder = shared_data / "ct" / "siemens-j2k-abdomen"
    assert main(["info", str(folder), "--json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert main(["info", str(sorted(folder.iterdir())[0]), "--json"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["given_file"]["slices"] == 20 and whole["given_file"] is None
    keys = ("slices", "study_instance_uid", "series_instance_uid", "derived_uids", "origin")
    assert [one["series"][0][k] for k in keys] == [whole["series"][0][k] for k in keys]
    assert whole["series"][0]["derived_uids"] == ["StudyInstanceUID", "SeriesInstanceUID"]


@pytest.mark.parametrize("name, suffix", [("siemens-j2k-abdomen", ".nii.gz"),
                                          ("lidc-idri-0001", ".nii"), ("lidc-idri-0003", ".nii")])
def test_export_real_series_to_nifti_keeps_geometry(shared_data: Path, tmp_path, name: str,
                                                    suffix: str) -> None:
    folder = shared_data / "ct" / name
    out = tmp_path / f"out{suffix}"
    assert main(["export", str(folder), str(out)]) == 0
    reader = sitk.ImageSeriesReader()
    reader.SetFileNames(reader.GetGDCMSeriesFileNames(str(folder)))
    reference, exported = reader.Execute(), sitk.ReadImage(str(out))
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(exported),
                                  sitk.GetArrayViewFromImage(reference))
    np.testing.assert_allclose(exported.GetSpacing(), reference.GetSpacing(), atol=1e-5)
    np.testing.assert_allclose(exported.GetOrigin(), reference.GetOrigin(), atol=1e-4)
    np.testing.assert_allclose(exported.GetDirection(), reference.GetDirection(), atol=1e-6)


def test_export_of_one_slice_file_writes_its_whole_series(make_series, tmp_path) -> None:
    folder = make_series(slices=6)
    out = tmp_path / "one.nii"
    assert main(["export", str(sorted(folder.iterdir())[2]), str(out)]) == 0
    assert sitk.ReadImage(str(out)).GetSize()[2] == 6  # as opening that file shows


def test_export_oblique_synthetic_and_anonymized_header(make_series, tmp_path) -> None:
    c, s = np.cos(np.radians(20)), np.sin(np.radians(20))
    ca, sa = np.cos(np.radians(15)), np.sin(np.radians(15))
    folder = make_series(slices=6, orientation=(c, s, 0, -s * ca, c * ca, -sa))
    out = tmp_path / "oblique.nii"
    assert main(["export", str(folder), str(out), "--anonymize"]) == 0
    volume = studies.open_volume(folder)
    exported = sitk.ReadImage(str(out))
    np.testing.assert_allclose(exported.GetDirection(), volume.direction.ravel(), atol=1e-5)
    np.testing.assert_allclose(exported.GetOrigin(), volume.origin, atol=1e-4)
    raw = out.read_bytes()
    assert b"Synthetic" not in raw and b"SYN0001" not in raw


def test_export_anonymized_dicom(make_series, tmp_path, luch_home) -> None:
    folder = make_series(slices=5, patient_name="Doe^Jane")
    out = tmp_path / "anon"
    assert main(["export", str(folder), str(out), "--dicom", "--anonymize"]) == 0
    files = sorted(out.iterdir())
    assert len(files) == 5
    for f in files:
        assert b"Doe^Jane" not in f.read_bytes() and b"SYN0001" not in f.read_bytes()
    ds = pydicom.dcmread(files[0])
    assert ds.PatientIdentityRemoved == "YES"
    original = studies.open_volume(folder)
    again = studies.open_volume(out)
    np.testing.assert_array_equal(again.voxels, original.voxels)
    assert again.info.series_instance_uid != original.info.series_instance_uid
    assert (luch_home / "keys" / "anonymize.key").exists()


def test_export_errors_are_short(make_series, tmp_path, capsys) -> None:
    folder = make_series(slices=3)
    assert main(["export", str(folder), str(tmp_path / "x.png")]) == 2
    assert ".nii" in capsys.readouterr().err


def test_main_py_info_runs_as_a_process(make_series) -> None:
    folder = make_series(slices=3)
    done = subprocess.run([sys.executable, str(PROJECT_ROOT / "main.py"), "info", str(folder),
                           "--json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["series"][0]["slices"] == 3


def test_info_index_is_what_export_series_takes(make_series, tmp_path, capsys) -> None:
    import shutil

    both = tmp_path / "both"
    shutil.copytree(make_series(slices=3, series_uid="1.2.840.7"), both / "a")
    shutil.copytree(make_series(slices=5, series_uid="1.2.840.8"), both / "b")
    assert main(["info", str(both), "--json"]) == 0
    listed = {s["index"]: s for s in json.loads(capsys.readouterr().out)["series"]}
    for index, entry in listed.items():
        out = tmp_path / f"s{index}.nii.gz"
        assert main(["export", str(both), str(out), "--series", str(index)]) == 0
        assert sitk.ReadImage(str(out)).GetSize()[2] == entry["slices"]


@pytest.mark.parametrize("name", ["chest-crop-a.nii.gz", "chest-crop-b.nii.gz"])
def test_export_real_nifti_round_trip(shared_data: Path, tmp_path, name: str) -> None:
    source = shared_data / "ct" / name
    out = tmp_path / "copy.nii"
    assert main(["export", str(source), str(out), "--anonymize"]) == 0
    reference, exported = sitk.ReadImage(str(source)), sitk.ReadImage(str(out))
    np.testing.assert_array_equal(sitk.GetArrayViewFromImage(exported),
                                  sitk.GetArrayViewFromImage(reference))
    np.testing.assert_allclose(exported.GetSpacing(), reference.GetSpacing(), atol=1e-5)
    np.testing.assert_allclose(exported.GetOrigin(), reference.GetOrigin(), atol=1e-4)
    np.testing.assert_allclose(exported.GetDirection(), reference.GetDirection(), atol=1e-6)


def test_reading_and_exporting_are_audited(shared_data: Path, tmp_path, monkeypatch) -> None:
    """Every access to a study from the command line is in the audit log."""
    import os
    import subprocess
    import sys

    from records import open_store

    root = Path(__file__).resolve().parents[2]
    home = tmp_path / "home"
    env = {**os.environ, "LUCH_HOME": str(home)}
    series = shared_data / "ct" / "lidc-idri-0003"
    for args in (["info", str(series)], ["export", str(series), str(tmp_path / "o.nii.gz")]):
        proc = subprocess.run([sys.executable, str(root / "main.py"), *args], cwd=root,
                              capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stderr
    monkeypatch.setenv("LUCH_HOME", str(home))
    actions = [e.action for e in open_store().audit_events()]
    assert "inspected" in actions and "exported" in actions
