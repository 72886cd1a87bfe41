"""DICOM outputs of a pre-read: a SEG (lungs, GGO, consolidation) and a TID 1500 SR.

Both reference the source CT series, so they need a DICOM source; a NIfTI input has no
UIDs to reference (write the label map as NIfTI instead). Codes not found in SNOMED CT /
DCM use the private scheme ``99LUCH``.

The lung segments are the whole lungs, as the SR measures them: everything inside each
lung, its ground glass, consolidation and solid foci too (those are segments of their own as
well, drawn over the lung: the segments overlap). A lung's volume is the denominator of its
involvement, and a nodule or atelectasis is lung tissue: a lung is not smaller because a
focus was found in it. So each SR volume equals the volume of the SEG segment it references.

An isolated solid focus set aside from grading (``inference.foci``) is a segment of its
own after the four and a measurement group of its own in the SR (side, volume, core
diameter, "not graded as pneumonia; review"), so a viewer reading a CT-0 SR sees what was
set aside.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
from pydicom.sr.codedict import codes

from core import series_numbers
from inference.errors import DicomOutputError
from inference.labels import LEFT, RIGHT, Label
from inference.preread import PreReadResult
from studies import Volume
from studies.sources import FileRef, folder_key

MANUFACTURER = "Luch"
SCHEME = "99LUCH"
SEG_SERIES_NUMBER, SR_SERIES_NUMBER = series_numbers.AI_SEG, series_numbers.AI_MEASUREMENTS

RIGHT_LUNG = hd.sr.CodedConcept("3341006", "SCT", "Right lung")
LEFT_LUNG = hd.sr.CodedConcept("44029006", "SCT", "Left lung")
GGO_CODE = hd.sr.CodedConcept("GGO", SCHEME, "Ground-glass opacity")
CONSOLIDATION_CODE = hd.sr.CodedConcept("CONSOLIDATION", SCHEME, "Consolidation")
INVOLVEMENT = hd.sr.CodedConcept("INVOLVEMENT", SCHEME, "Lung involvement by GGO and consolidation")
CT_GRADE = hd.sr.CodedConcept("CTGRADE", SCHEME, "CT severity grade (CT-0..CT-4)")
PROBABILITY = hd.sr.CodedConcept("COVIDPROB", SCHEME, "COVID-19 pattern probability")
VOLUME = hd.sr.CodedConcept("118565006", "SCT", "Volume")
ALTERED = hd.sr.CodedConcept("49755003", "SCT", "Morphologically Altered Structure")
DIAMETER = hd.sr.CodedConcept("81827009", "SCT", "Diameter")
SOLID_FOCUS = hd.sr.CodedConcept("SOLIDFOCUS", SCHEME,
                                 "Isolated solid focus (nodule, atelectasis or scar)")
EQUIVALENT_SPHERE = hd.sr.CodedConcept("EQSPHERE", SCHEME,
                                       "Equivalent-sphere diameter of the solid core")
FOCUS_GRADING = hd.sr.CodedConcept("FOCUSGRADING", SCHEME, "Grading of the focus")
NOT_GRADED = hd.sr.CodedConcept("NOTGRADED", SCHEME, "Not graded as pneumonia; review")
ML = hd.sr.CodedConcept("ml", "UCUM", "milliliter")
MM = hd.sr.CodedConcept("mm", "UCUM", "millimeter")
PERCENT = hd.sr.CodedConcept("%", "UCUM", "percent")

# SEG segment number -> (label values, label, category, type); the lungs hold their lesions
SEGMENTS = {
    1: (RIGHT, "Right lung", codes.SCT.AnatomicalStructure, RIGHT_LUNG),
    2: (LEFT, "Left lung", codes.SCT.AnatomicalStructure, LEFT_LUNG),
    3: ((Label.GGO_RIGHT, Label.GGO_LEFT), "Ground-glass opacity",
        ALTERED, GGO_CODE),
    4: ((Label.CONSOLIDATION_RIGHT, Label.CONSOLIDATION_LEFT), "Consolidation",
        ALTERED, CONSOLIDATION_CODE),
}


def _normal(ds) -> np.ndarray:
    iop = np.array(ds.ImageOrientationPatient, float)
    return np.cross(iop[:3], iop[3:])


def _with_sop_uids(ds: pydicom.Dataset) -> pydicom.Dataset:
    """Some exporters leave SOP Class/Instance UID only in the file meta: copy them over."""
    meta = getattr(ds, "file_meta", None)
    if not ds.get("SOPClassUID"):
        ds.SOPClassUID = (getattr(meta, "MediaStorageSOPClassUID", None)
                          or pydicom.uid.CTImageStorage)
    if not ds.get("SOPInstanceUID") and getattr(meta, "MediaStorageSOPInstanceUID", None):
        ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    if not ds.get("SOPInstanceUID"):
        raise DicomOutputError("A source image has no SOP Instance UID; SEG/SR cannot refer to it")
    return ds


_INFO_FIELD = {"StudyInstanceUID": "study_instance_uid",
               "SeriesInstanceUID": "series_instance_uid"}


def source_datasets(path: str | Path, volume: Volume, key: bytes | None = None
                    ) -> list[pydicom.Dataset]:
    """Headers of the source series in the volume's slice order, checked against it
    (``key``: of sealed files the caller holds the key of in memory)."""
    path = Path(path)
    if path.is_file() and path.name.lower().endswith((".nii", ".nii.gz")):
        raise DicomOutputError("DICOM SEG and SR need a DICOM source series; this study is "
                               "NIfTI (write the label map with --mask instead)")
    if path.is_dir():  # not hidden files (a cached study's key, UID record, markers)
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    else:  # one slice file opens its whole series: look beside it
        files = sorted(p for p in path.parent.iterdir()
                       if p.is_file() and not p.name.startswith(".")) \
            if volume.shape[0] > 1 else [path]
    derived = volume.info.derived_uids
    uid = "" if "SeriesInstanceUID" in derived else volume.info.series_instance_uid
    found = []
    keys: dict[Path, bytes | None] = {}  # an encrypted cached study: read through its key
    for f in files:
        if f.parent not in keys:
            keys[f.parent] = key if key is not None else folder_key(f.parent)
        try:
            with FileRef(f, key=keys[f.parent]).open() as fp:
                ds = pydicom.dcmread(fp, stop_before_pixels=True)
        except (pydicom.errors.InvalidDicomError, OSError, ValueError):
            continue
        if "ImagePositionPatient" in ds and (not uid or ds.get("SeriesInstanceUID") == uid):
            for keyword in derived:  # the UIDs Luch derived for images that lack them
                setattr(ds, keyword, getattr(volume.info, _INFO_FIELD[keyword]))
            found.append(_with_sop_uids(ds))
    if not found:
        raise DicomOutputError("DICOM SEG and SR need a DICOM source series; none found here")
    normal = _normal(found[0])
    found.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, float))))
    if len(found) != volume.shape[0]:
        raise DicomOutputError("The source series does not match the analysed volume "
                               f"({len(found)} images, {volume.shape[0]} slices)")
    return found


def focus_name(number: int) -> str:
    """Segment label and SR tracking identifier of the ``number``-th focus (1-based)."""
    return f"Solid focus {number} (not graded)"


@contextmanager
def _patient_name_unquoted() -> Iterator[None]:
    """highdicom warns about a source's Patient's Name of one component (e.g. an anonymised
    ``A048383``) and quotes the name; the name is copied as the source has it, and the
    warning, which carries patient data, is not let out to stderr or a log."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "The string .* unlikely to represent the intended "
                                "person name", UserWarning)
        yield


def make_seg(result: PreReadResult, sources: list[pydicom.Dataset]) -> hd.seg.Segmentation:
    """A binary SEG over the source frames: the two whole lungs, ground glass, consolidation,
    and one segment per solid focus set aside (segment 5 the first); lesions and foci lie
    inside their lung's segment (one byte per voxel and segment while it is built)."""
    segments = [(n, label, category, prop) for n, (_values, label, category, prop)
                in SEGMENTS.items()]
    # Each segment's mask contiguous (segment first), handed over as the segment-last view
    # highdicom takes: the same SEG at about half the CPU of a segment-last array, whose
    # every write and per-segment read strides over the segments (benchmarks/README.md).
    masks = np.zeros((len(SEGMENTS) + len(result.foci), *result.labels.shape), dtype=bool)
    for index, (values, *_rest) in enumerate(SEGMENTS.values()):
        lut = np.zeros(256, bool)
        lut[list(values)] = True
        masks[index] = lut[result.labels]
    for k, focus in enumerate(result.foci, 1):
        number = len(segments) + 1
        masks[(number - 1, *focus.box)] |= focus.mask
        segments.append((number, focus_name(k), ALTERED, SOLID_FOCUS))
    algorithm = hd.AlgorithmIdentificationSequence(
        name=f"luch-{result.engine}", version=result.model_version,
        family=codes.cid7162.ArtificialIntelligence)
    descriptions = [
        hd.seg.SegmentDescription(
            segment_number=n, segment_label=label, segmented_property_category=category,
            segmented_property_type=prop,
            algorithm_type=hd.seg.SegmentAlgorithmTypeValues.AUTOMATIC,
            algorithm_identification=algorithm, tracking_uid=hd.UID(), tracking_id=label)
        for n, label, category, prop in segments
    ]
    try:
        with _patient_name_unquoted():
            return hd.seg.Segmentation(
                source_images=sources, pixel_array=np.moveaxis(masks, 0, -1),
                segmentation_type=hd.seg.SegmentationTypeValues.BINARY,
                segment_descriptions=descriptions, series_instance_uid=hd.UID(),
                series_number=SEG_SERIES_NUMBER, sop_instance_uid=hd.UID(), instance_number=1,
                manufacturer=MANUFACTURER, manufacturer_model_name="Luch AI pre-read",
                software_versions=result.model_version, device_serial_number="0",
                series_description="AI pre-read lungs/GGO/consolidation (investigational)",
                content_description="Investigational AI segmentation", content_label="AI_PREREAD",
                omit_empty_frames=True)
    except (ValueError, TypeError, AttributeError) as err:
        raise DicomOutputError(f"Cannot build the DICOM SEG: {err}") from err


def _tracking(name: str) -> hd.sr.TrackingIdentifier:
    return hd.sr.TrackingIdentifier(uid=hd.UID(), identifier=name)


def _code(value: str, meaning: str) -> hd.sr.CodedConcept:
    return hd.sr.CodedConcept(value.upper(), SCHEME, meaning)


def _referenced(seg: hd.seg.Segmentation, number: int,
                sources: list[pydicom.Dataset]) -> hd.sr.ReferencedSegment:
    return hd.sr.ReferencedSegment(
        sop_class_uid=seg.SOPClassUID, sop_instance_uid=seg.SOPInstanceUID,
        segment_number=number,
        source_series=hd.sr.SourceSeriesForSegmentation(sources[0].SeriesInstanceUID))


def _focus_groups(result: PreReadResult, sources: list[pydicom.Dataset],
                  seg: hd.seg.Segmentation | None) -> list:
    """One group per solid focus set aside; it references its SEG segment when ``seg`` has
    one of that name."""
    in_seg = {} if seg is None else {
        seg.get_segment_description(n).SegmentLabel: n for n in seg.segment_numbers}
    groups: list = []
    for number, focus in enumerate(result.foci, 1):
        name = focus_name(number)
        fields = dict(
            tracking_identifier=_tracking(name), finding_type=SOLID_FOCUS,
            finding_sites=[hd.sr.FindingSite(RIGHT_LUNG if focus.side == "right" else LEFT_LUNG)],
            measurements=[hd.sr.Measurement(VOLUME, focus.ml, ML),
                          hd.sr.Measurement(DIAMETER, focus.diameter_mm, MM,
                                            method=EQUIVALENT_SPHERE)],
            qualitative_evaluations=[hd.sr.QualitativeEvaluation(FOCUS_GRADING, NOT_GRADED)])
        if name in in_seg:
            groups.append(hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations(
                referenced_segment=_referenced(seg, in_seg[name], sources), **fields))
        else:
            groups.append(hd.sr.MeasurementsAndQualitativeEvaluations(**fields))
    return groups


def make_sr(result: PreReadResult, sources: list[pydicom.Dataset],
            seg: hd.seg.Segmentation | None = None) -> hd.sr.Comprehensive3DSR:
    """A Comprehensive 3D SR (TID 1500) with volumes, involvement, grade and pattern, and a
    group per solid focus set aside from grading."""
    m = result.measures
    device = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(
            uid=hd.UID(), name="Luch AI pre-read", manufacturer_name=MANUFACTURER,
            model_name=f"{result.engine} {result.model_version}"))
    context = hd.sr.ObservationContext(observer_device_context=device)
    groups: list = []
    for number, name, site, side in ((1, "Right lung", RIGHT_LUNG, "right"),
                                     (2, "Left lung", LEFT_LUNG, "left")):
        fields = dict(
            tracking_identifier=_tracking(name), finding_sites=[hd.sr.FindingSite(site)],
            measurements=[
                hd.sr.Measurement(VOLUME, m.volumes_ml[f"lung_{side}"], ML),
                hd.sr.Measurement(INVOLVEMENT, m.involvement_percent[side], PERCENT)])
        if seg is not None:  # the whole lung: the volume is its segment's
            groups.append(hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations(
                referenced_segment=_referenced(seg, number, sources), **fields))
        else:
            groups.append(hd.sr.MeasurementsAndQualitativeEvaluations(**fields))
    for number, key, code in ((3, "ggo", GGO_CODE), (4, "consolidation", CONSOLIDATION_CODE)):
        measurement = [hd.sr.Measurement(VOLUME, m.volumes_ml[key], ML)]
        if seg is not None:
            groups.append(hd.sr.VolumetricROIMeasurementsAndQualitativeEvaluations(
                tracking_identifier=_tracking(code.meaning),
                referenced_segment=_referenced(seg, number, sources),
                finding_type=code, measurements=measurement))
        else:
            groups.append(hd.sr.MeasurementsAndQualitativeEvaluations(
                tracking_identifier=_tracking(code.meaning), finding_type=code,
                measurements=measurement))
    groups.append(hd.sr.MeasurementsAndQualitativeEvaluations(
        tracking_identifier=_tracking("Both lungs"),
        measurements=[hd.sr.Measurement(INVOLVEMENT, m.involvement_percent["total"], PERCENT)],
        qualitative_evaluations=[
            hd.sr.QualitativeEvaluation(CT_GRADE, _code(m.grade, m.grade)),
            hd.sr.QualitativeEvaluation(PROBABILITY, _code(m.probability, m.probability))]))
    groups += _focus_groups(result, sources, seg)
    report = hd.sr.MeasurementReport(
        observation_context=context, procedure_reported=codes.LN.CTUnspecifiedBodyRegion,
        imaging_measurements=groups)
    evidence = list(sources) + ([seg] if seg is not None else [])
    try:
        with _patient_name_unquoted():
            return hd.sr.Comprehensive3DSR(
                evidence=evidence, content=report, series_instance_uid=hd.UID(),
                series_number=SR_SERIES_NUMBER, sop_instance_uid=hd.UID(), instance_number=1,
                manufacturer=MANUFACTURER, is_complete=True,
                series_description="AI pre-read measurements (investigational)")
    except (ValueError, TypeError, AttributeError) as err:
        raise DicomOutputError(f"Cannot build the DICOM SR: {err}") from err
