"""DICOM SEG objects found next to images: offered as label-map candidates for overlays."""

from __future__ import annotations

from collections.abc import Sequence

from studies.dicom_header import DicomHeader
from studies.label_map import LabelMap, read_segmentation
from studies.metadata import series_info
from studies.readers.dicom_series import SEG_CLASS
from studies.registry import Candidate, register
from studies.sources import FileRef


class SegmentationReader:
    name = "dicom-seg"

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]:
        return [
            Candidate(
                reader=self.name, confidence=0.9, kind="segmentation", files=[h.ref],
                shape=(h.number_of_frames, h.rows, h.columns),
                info=series_info(h.dataset, [h.sop_instance_uid]), plan=h,
            )
            for h in headers if h.sop_class_uid == SEG_CLASS
        ]

    def load(self, candidate, progress, cancel, on_first_slice) -> LabelMap:
        h: DicomHeader = candidate.plan
        with h.ref.open() as fp:
            labels = read_segmentation(fp)
        if progress:
            progress(1.0)
        return labels


register(SegmentationReader())
