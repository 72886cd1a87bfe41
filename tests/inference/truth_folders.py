"""Small folders of studies with known truth, built from a real chest with simulated lesions.

A crop of ``ct/lidc-idri-0001`` (48 slices, 120 mm, every second row and column: 1.4 mm
pixels) keeps the tests fast; lesions come from :mod:`inference.simulate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inference.geometry import Orientation
from inference.lungs import segment_lungs
from inference.simulate import simulate
from studies import SeriesInfo, Volume

CROP_SLICES = slice(40, 88)


@dataclass
class ChestCrop:
    volume: Volume
    right: np.ndarray
    left: np.ndarray


def chest_crop(shared_data: Path) -> ChestCrop:
    import studies

    full = studies.open_volume(shared_data / "ct" / "lidc-idri-0001")
    hu = np.ascontiguousarray(full.voxels[CROP_SLICES, ::2, ::2])
    sx, sy, sz = full.spacing
    origin = (full.origin[0], full.origin[1], full.origin[2] + CROP_SLICES.start * sz)
    volume = Volume(voxels=hu, spacing=(2 * sx, 2 * sy, sz), origin=origin,
                    direction=full.direction, info=SeriesInfo(modality="CT"))
    right, left = segment_lungs(hu, volume.spacing, Orientation.of(volume), hull=False)
    return ChestCrop(volume, right, left)


def simulated_case(crop: ChestCrop, grade: int, seed: int):
    return simulate(crop.volume.voxels, crop.volume.spacing, Orientation.of(crop.volume),
                    crop.right, crop.left, grade, np.random.default_rng(seed), negatives=False)


def _write_nifti(path: Path, array: np.ndarray, like: Volume) -> None:
    import SimpleITK as sitk

    image = sitk.GetImageFromArray(array)
    image.SetSpacing(tuple(float(v) for v in like.spacing))
    image.SetOrigin(tuple(float(v) for v in like.origin))
    image.SetDirection(tuple(float(v) for v in np.asarray(like.direction).ravel()))
    path.parent.mkdir(parents=True, exist_ok=True)
    sitk.WriteImage(image, str(path), useCompression=True)


def mosmed_folder(root: Path, crop: ChestCrop, plan: list[tuple[int, int, str]]) -> Path:
    """``plan``: (grade, seed, mask kind) with kind ``full`` (Luch labels), ``lesion`` (0/1)
    or ``none`` (no mask file)."""
    for n, (grade, seed, kind) in enumerate(plan, 1):
        case = simulated_case(crop, grade, seed)
        name = f"study_{n:04d}"
        _write_nifti(root / "studies" / f"CT-{grade}" / f"{name}.nii.gz", case.hu, crop.volume)
        if kind == "full":
            mask = case.truth
        elif kind == "lesion":
            mask = (case.truth > 2).astype(np.uint8)
        else:
            continue
        _write_nifti(root / "masks" / f"{name}_mask.nii.gz", mask, crop.volume)
    return root


def dicom_seg_folder(root: Path, crop: ChestCrop, plan: list[tuple[int, int]]) -> Path:
    """One subfolder per (grade, seed): the CT series and a SEG of its truth, written by the
    app's own SEG writer."""
    from inference.dicom_out import make_seg, source_datasets
    from inference.measures import measure
    from inference.preread import PreReadResult
    from studies.synthetic import write_ct_series

    v = crop.volume
    for n, (grade, seed) in enumerate(plan, 1):
        case = simulated_case(crop, grade, seed)
        folder = root / f"case{n}"
        write_ct_series(folder, voxels=case.hu, pixel_spacing=(v.spacing[1], v.spacing[0]),
                        slice_spacing=v.spacing[2], origin=v.origin, shuffle_names=False,
                        patient_name="Sim^Chest")
        import studies

        written = studies.open_volume(folder)
        result = PreReadResult(case.truth, measure(case.truth, v.spacing, Orientation.of(v)),
                               "truth", "truth", "cpu", 0.0)
        make_seg(result, source_datasets(folder, written)).save_as(folder / "truth-seg.dcm")
    return root
