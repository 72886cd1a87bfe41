"""DICOM metadata that matters for reading and reporting, as :class:`SeriesInfo`."""

from __future__ import annotations

from pydicom.dataset import Dataset
from pydicom.multival import MultiValue

from studies.volume import SeriesInfo


def _text(ds: Dataset, keyword: str) -> str:
    try:
        value = ds.get(keyword, "")
    except Exception:
        return ""
    if value is None:
        return ""
    if isinstance(value, MultiValue | list | tuple):
        return "\\".join(str(v) for v in value)
    return str(value).strip()


def _number(ds: Dataset, keyword: str, index: int = 0) -> float | None:
    try:
        value = ds.get(keyword)
        if value is None or value == "":
            return None
        if isinstance(value, MultiValue | list | tuple):
            value = value[index]
        return float(value)
    except Exception:
        return None


def series_info(ds: Dataset, sop_instance_uids: list[str] | None = None) -> SeriesInfo:
    """The :class:`SeriesInfo` of a series from the header of one of its images."""
    number = _number(ds, "SeriesNumber")
    return SeriesInfo(
        study_instance_uid=_text(ds, "StudyInstanceUID"),
        series_instance_uid=_text(ds, "SeriesInstanceUID"),
        patient_name=_text(ds, "PatientName"),
        patient_id=_text(ds, "PatientID"),
        patient_birth_date=_text(ds, "PatientBirthDate"),
        patient_sex=_text(ds, "PatientSex"),
        study_date=_text(ds, "StudyDate"),
        study_time=_text(ds, "StudyTime"),
        study_description=_text(ds, "StudyDescription"),
        series_description=_text(ds, "SeriesDescription"),
        series_number=int(number) if number is not None else None,
        accession_number=_text(ds, "AccessionNumber"),
        modality=_text(ds, "Modality"),
        body_part=_text(ds, "BodyPartExamined"),
        manufacturer=_text(ds, "Manufacturer"),
        model=_text(ds, "ManufacturerModelName"),
        convolution_kernel=_text(ds, "ConvolutionKernel"),
        slice_thickness=_number(ds, "SliceThickness"),
        window_center=_number(ds, "WindowCenter"),
        window_width=_number(ds, "WindowWidth"),
        sop_instance_uids=list(sop_instance_uids or []),
        sop_class_uid=_text(ds, "SOPClassUID"),
        frame_of_reference_uid=_text(ds, "FrameOfReferenceUID"),
    )
