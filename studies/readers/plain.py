"""Last resort: grey images without usable patient geometry (CR, DX, US, secondary capture,
multi-frame without functional groups). Each file becomes a volume with unit geometry and a
warning, so it can still be looked at; colour images are refused with a clear message."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pydicom

from studies.dicom_header import DicomHeader
from studies.errors import DamagedFile, UnsupportedData, is_fatal
from studies.identity import file_content, fill_missing
from studies.metadata import series_info
from studies.pixels import SliceSource, check_size, decode_frames, decode_volume, output_dtype
from studies.readers.dicom_series import SEG_CLASS, has_geometry, is_slice
from studies.registry import Candidate, register
from studies.sources import FileRef
from studies.volume import Volume

NO_GEOMETRY = "No patient geometry: positions and distances in this image are not reliable"


class PlainImageReader:
    name = "dicom-plain"

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]:
        candidates = []
        for h in headers:
            if h.sop_class_uid == SEG_CLASS or h.has_functional_groups:
                continue
            if h.rows <= 0 or h.columns <= 0 or not h.has_pixels:
                continue
            if is_slice(h) and has_geometry(h):
                continue  # the series reader takes it
            spacing = h.pixel_spacing
            if spacing is None:
                spacing = _floats(h.dataset.get("ImagerPixelSpacing"))
            sx, sy = (float(spacing[1]), float(spacing[0])) if spacing is not None else (1.0, 1.0)
            info = series_info(h.dataset, [h.sop_instance_uid])
            fill_missing(info, lambda h=h: file_content(h, h.ref))
            candidates.append(Candidate(
                reader=self.name, confidence=0.2, kind="image", files=[h.ref],
                shape=(h.number_of_frames, h.rows, h.columns), info=info,
                spacing=(sx, sy, 1.0), direction=np.eye(3), warnings=[NO_GEOMETRY], plan=h,
            ))
        return candidates

    def load(self, candidate, progress, cancel, on_first_slice) -> Volume:
        h: DicomHeader = candidate.plan
        if h.samples_per_pixel != 1:
            raise UnsupportedData(f"{h.ref.name} is a colour image, not a CT series")
        if h.bits_allocated not in (1, 8, 16, 32, 64):
            raise UnsupportedData(f"{h.ref.name} has {h.bits_allocated}-bit pixels, not CT")
        slope, intercept = h.rescale
        n = h.number_of_frames
        if n == 1:
            voxels, warnings = decode_volume(
                [SliceSource(h, None, slope, intercept)], h.rows, h.columns, progress, cancel,
                on_first_slice)
        else:
            voxels, warnings = _frames(h, slope, intercept, n, cancel, progress)
        return Volume(
            voxels=voxels, spacing=candidate.spacing, origin=(0.0, 0.0, 0.0),
            direction=np.eye(3), info=candidate.info,
            warnings=list(candidate.warnings) + warnings,
            slice_positions=np.arange(n, dtype=float),
        )


def _frames(h, slope, intercept, n, cancel, progress):
    try:
        with h.ref.open() as fp:
            ds = pydicom.dcmread(fp, force=True)
    except BaseException as err:
        if is_fatal(err):
            raise
        raise DamagedFile(f"{h.ref.name} is damaged") from err
    dtype = output_dtype([SliceSource(h, 0, slope, intercept)])
    check_size((n, h.rows, h.columns), dtype)
    voxels = np.empty((n, h.rows, h.columns), dtype=dtype)
    clipped = decode_frames(ds, list(range(n)), [(slope, intercept)] * n, voxels, cancel,
                            progress, header=h)
    return voxels, ["Some values were clipped to the int16 range"] if clipped else []


def _floats(value):
    try:
        values = [float(v) for v in value]
    except (TypeError, ValueError):
        return None
    return np.asarray(values) if len(values) == 2 and all(v > 0 for v in values) else None


register(PlainImageReader())
