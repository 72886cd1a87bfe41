"""One DICOM file's header as the pipeline sees it (:class:`DicomHeader`), filled either by
the GDCM scan (:mod:`studies.fastscan`) or by pydicom (:mod:`studies.headers`).

It keeps what grouping, ordering and decoding need, plus where the raw pixel bytes start so
that uncompressed slices can be read straight into the volume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pydicom
from pydicom.dataset import Dataset
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian

from core.crypto import Envelope
from studies.errors import is_fatal
from studies.sources import FileRef

NATIVE_LITTLE_ENDIAN = {ImplicitVRLittleEndian, ExplicitVRLittleEndian}
DICOMDIR_CLASS = "1.2.840.10008.1.3.10"


@dataclass
class DicomHeader:
    """One DICOM file's header, read without its pixel data."""

    ref: FileRef
    preloaded: Dataset | None  # None: parsed lazily on first use of ``dataset``
    transfer_syntax: str
    pixel_offset: int | None  # byte offset of native pixel values in the file, else None
    pixel_length: int | None
    has_pixels: bool = False  # the file has a (Float/DoubleFloat) PixelData element
    fields: dict[str, str | None] | None = None  # text values from a fast C++ scan
    #: a sealed file's envelope as the header pass read it: the pixel pass decrypts with it
    #: without parsing the file's header again
    sealed: Envelope | None = field(default=None, repr=False)

    @cached_property
    def dataset(self) -> Dataset:
        """The pydicom header (read now if the fast scan found everything else)."""
        if self.preloaded is not None:
            return self.preloaded
        try:
            with self.ref.open() as fp:
                return pydicom.dcmread(fp, stop_before_pixels=True, force=True)
        except BaseException as err:
            if is_fatal(err):
                raise
            return Dataset()

    def get(self, keyword: str) -> object:
        """An attribute's value: from the fast scan when it covered it, else the dataset."""
        if self.fields is not None and keyword in self.fields:
            text = self.fields[keyword]
            if text is None:
                return None
            text = text.strip(" \x00")
            return text.split("\\") if "\\" in text else text
        try:
            return self.dataset.get(keyword)
        except BaseException as err:
            if is_fatal(err):
                raise
            return None

    @cached_property
    def has_functional_groups(self) -> bool:
        """Enhanced multi-frame (or SEG) image with per-frame functional groups."""
        if self.fields is not None and self.fields.get("NumberOfFrames") is None:
            return False  # classic single-frame images carry no NumberOfFrames
        return "PerFrameFunctionalGroupsSequence" in self.dataset

    # -- identity -------------------------------------------------------------------------
    @cached_property
    def sop_class_uid(self) -> str:
        return str(self.get("SOPClassUID") or "")

    @cached_property
    def sop_instance_uid(self) -> str:
        return str(self.get("SOPInstanceUID") or "")

    @cached_property
    def study_uid(self) -> str:
        return str(self.get("StudyInstanceUID") or "")

    @cached_property
    def series_uid(self) -> str:
        return str(self.get("SeriesInstanceUID") or "")

    @cached_property
    def modality(self) -> str:
        return str(self.get("Modality") or "")

    @cached_property
    def image_type(self) -> tuple[str, ...]:
        value = self.get("ImageType") or ()
        return tuple(str(v).upper() for v in ([value] if isinstance(value, str) else value))

    # -- image pixel module ---------------------------------------------------------------
    @cached_property
    def rows(self) -> int:
        return _int(self.get("Rows"), 0)

    @cached_property
    def columns(self) -> int:
        return _int(self.get("Columns"), 0)

    @cached_property
    def number_of_frames(self) -> int:
        try:
            return max(1, _int(self.get("NumberOfFrames"), 1))
        except (TypeError, ValueError):
            return 1

    @cached_property
    def bits_allocated(self) -> int:
        return _int(self.get("BitsAllocated"), 0)

    @cached_property
    def bits_stored(self) -> int:
        return _int(self.get("BitsStored"), self.bits_allocated)

    @cached_property
    def signed(self) -> bool:
        return _int(self.get("PixelRepresentation"), 0) == 1

    @cached_property
    def samples_per_pixel(self) -> int:
        return _int(self.get("SamplesPerPixel"), 1)

    # -- geometry and rescale (single-frame images) ---------------------------------------
    @cached_property
    def position(self) -> np.ndarray | None:
        return _floats(self.get("ImagePositionPatient"), 3)

    @cached_property
    def orientation(self) -> np.ndarray | None:
        return _floats(self.get("ImageOrientationPatient"), 6)

    @cached_property
    def pixel_spacing(self) -> np.ndarray | None:
        return _floats(self.get("PixelSpacing"), 2)

    @cached_property
    def rescale(self) -> tuple[float, float]:
        return rescale_of(self)

    @cached_property
    def padding_value(self) -> int | None:
        """PixelPaddingValue as a stored pixel value (sign fixed for signed images)."""
        value = _int(self.get("PixelPaddingValue"), None)
        if value is None:
            return None
        if self.signed and value >= 1 << (self.bits_allocated - 1) and self.bits_allocated:
            value -= 1 << self.bits_allocated
        return value

    @cached_property
    def acquisition_number(self) -> str:
        return str((self.get("AcquisitionNumber") or "") or "")

    def native_dtype(self) -> np.dtype | None:
        """The numpy dtype of uncompressed little-endian grey pixels, or None if not native."""
        if self.transfer_syntax not in NATIVE_LITTLE_ENDIAN or self.samples_per_pixel != 1:
            return None
        if self.bits_allocated not in (8, 16, 32) or self.bits_stored != self.bits_allocated:
            return None
        kind = "i" if self.signed else "u"
        return np.dtype(f"<{kind}{self.bits_allocated // 8}")


def _int(value: object, default):
    """An integer attribute value, or ``default`` when absent or malformed."""
    if isinstance(value, list | tuple) and value:
        value = value[0]
    try:
        return int(value) if value not in (None, "") else default  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        try:
            return int(float(value))  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return default


def rescale_of(item: Dataset | DicomHeader) -> tuple[float, float]:
    """``(slope, intercept)`` of a dataset or functional group item; identity when absent."""
    try:
        slope = float(item.get("RescaleSlope") or 1)
        intercept = float(item.get("RescaleIntercept") or 0)
    except (TypeError, ValueError):
        return 1.0, 0.0
    if not np.isfinite(slope) or not np.isfinite(intercept) or slope == 0:
        return 1.0, 0.0
    return slope, intercept


def _floats(value: object, n: int) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, str | bytes) or not isinstance(value, Sequence | list):
        value = [value]
    try:
        values = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    if len(values) != n or not all(np.isfinite(values)):
        return None
    return np.asarray(values, dtype=float)
