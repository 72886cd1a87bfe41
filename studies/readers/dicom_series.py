"""Classic CT series: one single-frame DICOM image per slice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from studies.dicom_header import DicomHeader
from studies.errors import UnsupportedData
from studies.geometry import StackGeometry, cross, stack_geometry
from studies.identity import fill_missing, series_content
from studies.metadata import series_info
from studies.pixels import SliceSource, decode_volume
from studies.registry import Candidate, register
from studies.sources import FileRef
from studies.volume import Volume

SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4"


def has_geometry(h: DicomHeader) -> bool:
    """Whether a single-frame grey image carries usable patient geometry."""
    iop, ps = h.orientation, h.pixel_spacing
    if h.position is None or iop is None or ps is None or ps[0] <= 0 or ps[1] <= 0:
        return False
    return sum(c * c for c in cross(iop[:3], iop[3:])) > 1e-6


def is_slice(h: DicomHeader) -> bool:
    return (
        h.number_of_frames == 1 and h.rows > 0 and h.columns > 0 and h.samples_per_pixel == 1
        and h.sop_class_uid != SEG_CLASS and not h.has_functional_groups
        and h.has_pixels
    )


def is_localizer(h: DicomHeader) -> bool:
    return "LOCALIZER" in h.image_type or "SCOUT" in h.image_type


class DicomSeriesReader:
    """Groups slices by study and series UID, splits by geometry, orders along the normal."""

    name = "dicom-series"

    def examine(self, headers: Sequence[DicomHeader], others: Sequence[FileRef]
                ) -> list[Candidate]:
        series: dict[tuple[str, ...], list[DicomHeader]] = defaultdict(list)
        localizers: dict[tuple[str, ...], int] = defaultdict(int)
        for h in headers:
            if not (is_slice(h) and has_geometry(h)):
                continue
            key = series_key(h)
            if is_localizer(h):
                localizers[key] += 1
            else:
                series[key].append(h)
        candidates = []
        for key, members in series.items():
            stacks = _split(members)
            for stack, notes in stacks:
                c = self._candidate(stack, notes)
                if c is None:
                    continue
                if len(stacks) > 1:
                    c.warnings.append(
                        f"Mixed series: its images differ in geometry or acquisition, so it was "
                        f"split into {len(stacks)} volumes"
                    )
                if localizers.get(key):
                    c.warnings.append(f"{localizers[key]} localizer image(s) left out")
                c.warnings.extend(_missing_uid_warnings(stack[0]))
                candidates.append(c)
        return candidates

    def _candidate(self, stack: list[DicomHeader], notes: list[str]) -> Candidate | None:
        first = stack[0]
        try:
            geometry = stack_geometry(
                np.array([h.position for h in stack]), first.orientation,
                first.pixel_spacing, _thickness(first),
            )
        except UnsupportedData:
            return None
        ordered = [stack[i] for i in geometry.order]
        confidence = 0.9 if len(stack) >= 3 else 0.6
        if first.modality == "CT":
            confidence += 0.05
        info = series_info(first.dataset, [h.sop_instance_uid for h in ordered])
        fill_missing(info, lambda: series_content(ordered))
        return Candidate(
            reader=self.name, confidence=confidence, kind="image",
            files=[h.ref for h in ordered],
            shape=(len(ordered), first.rows, first.columns), info=info,
            spacing=geometry.spacing, origin=geometry.origin, direction=geometry.direction,
            warnings=notes + geometry.warnings, plan=(ordered, geometry),
        )

    def load(self, candidate, progress, cancel, on_first_slice) -> Volume:
        ordered: list[DicomHeader]
        geometry: StackGeometry
        ordered, geometry = candidate.plan
        sources = [SliceSource(h, None, *h.rescale) for h in ordered]
        voxels, warnings = decode_volume(
            sources, ordered[0].rows, ordered[0].columns, progress, cancel, on_first_slice,
        )
        padding = ordered[0].padding_value
        slope, intercept = ordered[0].rescale
        return Volume(
            voxels=voxels,
            spacing=geometry.spacing,
            origin=geometry.origin,
            direction=geometry.direction,
            info=candidate.info,
            warnings=list(candidate.warnings) + warnings,
            slice_positions=geometry.positions - geometry.positions[0],
            shear=geometry.shear,
            padding_hu=padding * slope + intercept if padding is not None else None,
        )


def series_key(h: DicomHeader) -> tuple[str, ...]:
    """Which series an image belongs to: its Study and Series Instance UIDs; images without a
    Series Instance UID (some exports blank it) by series number and frame of reference."""
    if h.series_uid:
        return (h.study_uid, h.series_uid)
    return (h.study_uid, "", str(h.get("SeriesNumber") or ""),
            str(h.get("FrameOfReferenceUID") or ""))


def _missing_uid_warnings(h: DicomHeader) -> list[str]:
    if h.series_uid:  # grouped by its Series Instance UID as usual
        return [] if h.study_uid else ["The images have no Study Instance UID"]
    missing = "Series" if h.study_uid else "Study or Series"
    return [f"The images have no {missing} Instance UID; they were grouped by series number "
            "and geometry"]


def _thickness(h: DicomHeader) -> float | None:
    try:
        return float(h.dataset.get("SpacingBetweenSlices") or h.dataset.get("SliceThickness"))
    except (TypeError, ValueError):
        return None


def _geometry_key(h: DicomHeader) -> tuple:
    return (
        tuple(round(float(v), 4) for v in h.orientation), h.rows, h.columns,
        tuple(round(float(v), 4) for v in h.pixel_spacing),
    )


def _split(members: list[DicomHeader]) -> list[tuple[list[DicomHeader], list[str]]]:
    """Split one series into stacks of identical geometry without duplicate positions."""
    groups: dict[tuple, list[DicomHeader]] = defaultdict(list)
    for h in members:
        groups[_geometry_key(h)].append(h)
    stacks = []
    for group in groups.values():
        if not _has_duplicates(group):
            stacks.append((group, []))
            continue
        by_acquisition: dict[str, list[DicomHeader]] = defaultdict(list)
        for h in group:
            by_acquisition[h.acquisition_number].append(h)
        if len(by_acquisition) > 1 and not any(
            _has_duplicates(g) for g in by_acquisition.values()
        ):
            stacks += [(g, []) for g in by_acquisition.values()]
            continue
        unique, dropped = _deduplicate(group)
        stacks.append((unique, [
            f"{dropped} duplicate image(s) at the same position were left out"
        ]))
    return stacks


def _distances(group: list[DicomHeader]) -> np.ndarray:
    iop = group[0].orientation
    normal = np.array(cross(iop[:3], iop[3:]))
    return np.array([h.position for h in group]) @ normal


def _has_duplicates(group: list[DicomHeader]) -> bool:
    d = np.sort(_distances(group))
    return bool(len(d) > 1 and np.min(np.diff(d)) < 1e-3)


def _deduplicate(group: list[DicomHeader]) -> tuple[list[DicomHeader], int]:
    d = _distances(group)
    seen: dict[float, DicomHeader] = {}
    for h, dist in zip(group, d, strict=True):
        seen.setdefault(round(float(dist), 3), h)
    return list(seen.values()), len(group) - len(seen)


register(DicomSeriesReader())
