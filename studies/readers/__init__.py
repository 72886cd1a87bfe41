"""The built-in readers: importing this package registers each of them.

Every reader module registers itself in :mod:`studies.registry` when imported; this package
only imports them (and re-exports the registry's API, where callers have always found it).
"""

from studies.readers import dicom_series, enhanced, nifti, plain, segmentation
from studies.registry import REGISTRY, Candidate, Reader, examine_all, register

BUILT_IN = (dicom_series, enhanced, nifti, plain, segmentation)

__all__ = ["BUILT_IN", "REGISTRY", "Candidate", "Reader", "examine_all", "register"]
