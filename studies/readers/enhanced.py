"""Enhanced (multi-frame) CT/MR and legacy-converted enhanced images: one file, many frames."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
import pydicom

from studies.dicom_header import DicomHeader
from studies.errors import DamagedFile, UnsupportedData, is_fatal
from studies.frames import frame_geometry
from studies.geometry import stack_geometry
from studies.identity import file_content, fill_missing
from studies.metadata import series_info
from studies.pixels import SliceSource, check_size, decode_frames, output_dtype
from studies.readers.dicom_series import SEG_CLASS
from studies.registry import Candidate, register
from studies.sources import FileRef
from studies.volume import Volume


class EnhancedImageReader:
    """Frames of one multi-frame file, grouped by orientation and ordered along the normal."""

    name = "dicom-enhanced"

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]:
        candidates = []
        for h in headers:
            if (not h.has_functional_groups or h.sop_class_uid == SEG_CLASS
                    or h.samples_per_pixel != 1 or h.rows == 0):
                continue
            frames = frame_geometry(h.dataset)
            groups: dict[tuple, list[int]] = defaultdict(list)
            for index, f in enumerate(frames):
                if f["position"] is None or f["orientation"] is None or f["spacing"] is None:
                    continue
                groups[(tuple(np.round(f["orientation"], 4)), f["spacing"])].append(index)
            for indices in groups.values():
                c = self._candidate(h, frames, indices, len(groups))
                if c is not None:
                    candidates.append(c)
        return candidates

    def _candidate(self, h: DicomHeader, frames: list[dict], indices: list[int],
                   n_groups: int) -> Candidate | None:
        f0 = frames[indices[0]]
        try:
            thickness = float(f0["thickness"]) if f0["thickness"] is not None else None
            geometry = stack_geometry(np.array([frames[i]["position"] for i in indices]),
                                      f0["orientation"], f0["spacing"], thickness)
        except (UnsupportedData, TypeError, ValueError):
            return None
        order = [indices[i] for i in geometry.order]
        warnings = list(geometry.warnings)
        if n_groups > 1:
            warnings.append(f"This multi-frame image holds {n_groups} stacks of different "
                            "orientation; each is a separate volume")
        confidence = 0.95 if h.modality == "CT" else 0.85
        info = series_info(h.dataset, [h.sop_instance_uid])
        fill_missing(info, lambda: file_content(h, h.ref, order))
        return Candidate(
            reader=self.name, confidence=confidence, kind="image", files=[h.ref],
            shape=(len(order), h.rows, h.columns), info=info,
            spacing=geometry.spacing, origin=geometry.origin, direction=geometry.direction,
            warnings=warnings,
            plan=(h, order, [frames[i]["rescale"] for i in order], geometry),
        )

    def load(self, candidate, progress, cancel, on_first_slice) -> Volume:
        h, order, rescales, geometry = candidate.plan
        try:
            with h.ref.open() as fp:
                ds = pydicom.dcmread(fp, force=True)
        except BaseException as err:
            if is_fatal(err):
                raise
            raise DamagedFile(f"{h.ref.name} is damaged") from err
        dtype = output_dtype([SliceSource(h, 0, s, i) for s, i in rescales])
        check_size(candidate.shape, dtype)
        voxels = np.empty(candidate.shape, dtype=dtype)
        clipped = decode_frames(ds, order, rescales, voxels, cancel, progress, header=h)
        if on_first_slice is not None:
            on_first_slice(len(order) // 2, voxels[len(order) // 2])
        warnings = list(candidate.warnings)
        if clipped:
            warnings.append("Some values were outside -32768..32767 HU and were clipped")
        return Volume(
            voxels=voxels, spacing=geometry.spacing, origin=geometry.origin,
            direction=geometry.direction, info=candidate.info, warnings=warnings,
            slice_positions=geometry.positions - geometry.positions[0],
            shear=geometry.shear,
        )


register(EnhancedImageReader())
