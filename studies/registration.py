"""Rigid alignment of a prior study to the current one (SimpleITK), for linked comparison."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from studies.volume import Volume


@dataclass(frozen=True)
class Alignment:
    """``current_lps + translation`` is the matching point in the prior study (mm, LPS)."""

    translation: tuple[float, float, float]
    method: str
    metric: float | None = None


def _to_sitk(volume: Volume, shrink: int):
    import SimpleITK as sitk  # deferred: ~0.2 s, and the app imports this module at start

    image = sitk.GetImageFromArray(volume.voxels.astype(np.float32, copy=False))
    image.SetSpacing(volume.spacing)
    image.SetOrigin(volume.origin)
    image.SetDirection(tuple(np.asarray(volume.direction, float).ravel()))
    return sitk.Shrink(image, [shrink, shrink, 1]) if shrink > 1 else image


def align_by_position(current: Volume, prior: Volume) -> Alignment:
    """No registration: the same LPS point is the same anatomy (same table position)."""
    return Alignment((0.0, 0.0, 0.0), "slice-location")


def align_rigid(current: Volume, prior: Volume, iterations: int = 60) -> Alignment:
    """Rigid (Euler 3D) registration of ``prior`` to ``current`` by Mattes mutual information.

    Volumes are shrunk in-plane first and the body is clipped to -1000..400 HU so that
    registration takes seconds. Only the translation is used for linking the views.
    """
    import SimpleITK as sitk  # deferred: ~0.2 s, and the app imports this module at start

    fixed = sitk.Clamp(_to_sitk(current, 4), sitk.sitkFloat32, -1000.0, 400.0)
    moving = sitk.Clamp(_to_sitk(prior, 4), sitk.sitkFloat32, -1000.0, 400.0)
    initial = sitk.CenteredTransformInitializer(
        fixed, moving, sitk.Euler3DTransform(),
        sitk.CenteredTransformInitializerFilter.MOMENTS)
    method = sitk.ImageRegistrationMethod()
    method.SetMetricAsMattesMutualInformation(numberOfHistogramBins=32)
    method.SetMetricSamplingStrategy(method.RANDOM)
    method.SetMetricSamplingPercentage(0.1, seed=7)
    method.SetInterpolator(sitk.sitkLinear)
    method.SetOptimizerAsRegularStepGradientDescent(
        learningRate=4.0, minStep=0.05, numberOfIterations=iterations)
    method.SetOptimizerScalesFromPhysicalShift()
    method.SetShrinkFactorsPerLevel([2, 1])
    method.SetSmoothingSigmasPerLevel([2.0, 0.0])
    method.SetInitialTransform(initial, inPlace=False)
    transform = method.Execute(fixed, moving)
    euler = sitk.Euler3DTransform(transform.GetNthTransform(0)) \
        if isinstance(transform, sitk.CompositeTransform) else sitk.Euler3DTransform(transform)
    return Alignment(tuple(float(v) for v in euler.GetTranslation()), "rigid",
                     float(method.GetMetricValue()))


def align_for_comparison(current: Volume, prior: Volume) -> Alignment:
    """How a prior is linked to the current study for reading side by side.

    Both in one frame of reference (the same table coordinates): the same LPS point is the
    same anatomy, so scrolling links by table position. Otherwise (another visit, another
    scanner) the patient lay elsewhere: rigid registration gives the offset, and the same
    position is the fallback when registration fails.
    """
    mine, theirs = current.info.frame_of_reference_uid, prior.info.frame_of_reference_uid
    if mine and mine == theirs:
        return Alignment((0.0, 0.0, 0.0), "frame-of-reference")
    try:
        return align_rigid(current, prior)
    except RuntimeError:  # SimpleITK's failures (e.g. too little overlap)
        return align_by_position(current, prior)
