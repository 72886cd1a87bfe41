"""Report versions and AI results as DICOM Structured Reports (highdicom).

A report version becomes a Comprehensive SR titled "Diagnostic imaging report" (LOINC
18748-4) with the text as Finding, the conclusion as Impression, the author as observer and
the structured protocol fields as JSON, so the archive copy can be read back in full. Its SOP
Instance UID is derived from the report's UID and version number, so a resend is the same
object. AI results become a Comprehensive 3D SR (a different SOP class, so they are never
mistaken for a reader's report) with the model as device observer and, when readers gave
them, their verdicts on it (reader, agree/partly/disagree, corrected grade, time).
"""

from __future__ import annotations

import ast
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import highdicom as hd
import pydicom
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from core import series_numbers
from records.models import ReportStatus
from records.report_version import ReportVersionRecord, report_series_instance_uid
from records.uids import derived_uid

MANUFACTURER = "Luch"
REPORT_TITLE = Code("18748-4", "LN", "Diagnostic imaging report")
AI_TITLE = Code("126000", "DCM", "Imaging Measurement Report")
FINDING = Code("121071", "DCM", "Finding")
IMPRESSION = Code("121073", "DCM", "Impression")
# Private concept for the structured fields; round-trips the form exactly.
PROTOCOL_FIELDS = Code("protocol-fields", "99LUCH", "Structured protocol fields")
# A reader's verdict on an AI result: a container per verdict in the AI SR.
AI_VERDICT = Code("ai-verdict", "99LUCH", "Reader verdict on the AI result")
VERDICT = Code("verdict", "99LUCH", "Verdict")
CORRECTED_GRADE = Code("corrected-grade", "99LUCH", "Corrected grade")
VERDICT_TIME = Code("verdict-time", "99LUCH", "Verdict date and time")
REPORT_SERIES_NUMBER, AI_SERIES_NUMBER = series_numbers.REPORT, series_numbers.AI_RESULT
# SOP classes that hold a reader's narrative report (AI results use Comprehensive 3D SR).
REPORT_SOP_CLASSES = frozenset({
    "1.2.840.10008.5.1.4.1.1.88.11",  # Basic Text SR
    "1.2.840.10008.5.1.4.1.1.88.22",  # Enhanced SR
    "1.2.840.10008.5.1.4.1.1.88.33",  # Comprehensive SR
})
# Value units by field-name suffix (UCUM); anything else is unitless.
UNITS = {
    "_percent": Code("%", "UCUM", "percent"),
    "_ml": Code("mL", "UCUM", "milliliter"),
    "_mm": Code("mm", "UCUM", "millimeter"),
    "_hu": Code("[hnsf'U]", "UCUM", "Hounsfield unit"),
}
NO_UNITS = Code("1", "UCUM", "no units")


def study_header(study_instance_uid: str, patient: dict[str, str], study: dict[str, str]
                 ) -> Dataset:
    """The patient/study attributes the SR copies (highdicom reads them from 'evidence')."""
    ds = Dataset()
    ds.StudyInstanceUID = study_instance_uid
    ds.PatientID = patient.get("patient_id", "")
    ds.PatientName = patient.get("name", "")
    ds.PatientBirthDate = patient.get("birth_date", "")
    ds.PatientSex = patient.get("sex", "")
    ds.StudyDate = study.get("study_date", "")
    ds.StudyTime = study.get("study_time", "")
    ds.AccessionNumber = study.get("accession_number", "")
    ds.StudyID = ""
    ds.ReferringPhysicianName = ""
    ds.SpecificCharacterSet = "ISO_IR 192"
    # highdicom wants an evidence instance; this placeholder is removed again by _build().
    ds.SOPClassUID = "1.2.840.10008.5.1.4.1.1.2"
    ds.SOPInstanceUID = ds.SeriesInstanceUID = _PLACEHOLDER
    return ds


_PLACEHOLDER = "2.25.0"


def _build(cls: type, **kwargs: Any) -> Dataset:
    """An SR of ``cls`` that references no images it does not really cite."""
    sr = cls(**kwargs)
    if "CurrentRequestedProcedureEvidenceSequence" in sr:
        kept = [s for s in sr.CurrentRequestedProcedureEvidenceSequence
                if all(r.SeriesInstanceUID != _PLACEHOLDER
                       for r in s.ReferencedSeriesSequence)]
        if kept:
            sr.CurrentRequestedProcedureEvidenceSequence = kept
        else:
            del sr.CurrentRequestedProcedureEvidenceSequence
    return sr


def _text(name: Code, value: str) -> hd.sr.TextContentItem:
    return hd.sr.TextContentItem(name=name, value=value,
                                 relationship_type=hd.sr.RelationshipTypeValues.CONTAINS)


def person_name(name: str) -> str:
    """A free-text reader name as a DICOM PN ("Ivanov I.I." -> "Ivanov^I.I.")."""
    if "^" in name:
        return name
    family, _, given = name.strip().partition(" ")
    return f"{family}^{given.strip()}"


def _observer(name: str) -> hd.sr.PnameContentItem:
    return hd.sr.PnameContentItem(name=codes.DCM.PersonObserverName, value=person_name(name),
                                  relationship_type=hd.sr.RelationshipTypeValues.HAS_OBS_CONTEXT)


def _stamp(ds: Dataset, when: datetime) -> None:
    when = when.astimezone(UTC)
    ds.ContentDate, ds.ContentTime = when.strftime("%Y%m%d"), when.strftime("%H%M%S")
    ds.TimezoneOffsetFromUTC = "+0000"


def _conclusion(version: ReportVersionRecord) -> str:
    return str(version.fields.get("conclusion", "") or "")


def _fields_json(version: ReportVersionRecord) -> str:
    return json.dumps({
        "report_uid": version.report_uid, "version": version.version, "author": version.author,
        "status": version.status.value, "protocol": version.protocol,
        "fields": version.fields}, ensure_ascii=False, sort_keys=True)


def _signed(version: ReportVersionRecord) -> bool:
    return version.status in (ReportStatus.FINAL, ReportStatus.AMENDED)


def report_to_sr(version: ReportVersionRecord, header: Dataset) -> Dataset:
    """The DICOM SR of one report version (the same version always gives the same UIDs)."""
    conclusion = _conclusion(version)
    items = [_observer(version.author), _text(FINDING, version.text or "-")]
    if conclusion:
        items.append(_text(IMPRESSION, conclusion))
    items.append(_text(PROTOCOL_FIELDS, _fields_json(version)))
    content = hd.sr.ContainerContentItem(name=REPORT_TITLE, template_id="2000")
    content.ContentSequence = hd.sr.ContentSequence(items)
    signed = _signed(version)
    sr = _build(
        hd.sr.ComprehensiveSR, evidence=[header], content=content,
        series_instance_uid=report_series_instance_uid(version.report_uid),
        series_number=REPORT_SERIES_NUMBER, sop_instance_uid=version.sop_instance_uid,
        instance_number=version.version, manufacturer=MANUFACTURER, is_complete=signed,
        is_final=signed, is_verified=signed,
        verifying_observer_name=person_name(version.author) if signed else None,
        verifying_organization=MANUFACTURER if signed else None,
        record_evidence=False, specific_character_set="ISO_IR 192",
        series_description="Luch report")
    _fill(sr, version, header)
    return sr


_HEADER_KEYWORDS = ("StudyInstanceUID", "PatientID", "PatientName", "PatientBirthDate",
                    "PatientSex", "StudyDate", "StudyTime", "AccessionNumber")



def cite_predecessor(sr: Dataset, sop_uid: str) -> None:
    """Name ``sop_uid`` (an earlier version of ``sr``, same class, study and series) in
    ``sr``'s Predecessor Documents Sequence."""
    sop = Dataset()
    sop.ReferencedSOPClassUID = sr.SOPClassUID
    sop.ReferencedSOPInstanceUID = sop_uid
    series = Dataset()
    series.SeriesInstanceUID = sr.SeriesInstanceUID
    series.ReferencedSOPSequence = [sop]
    study = Dataset()
    study.StudyInstanceUID = sr.StudyInstanceUID
    study.ReferencedSeriesSequence = [series]
    sr.PredecessorDocumentsSequence = [study]

def _fill(sr: Dataset, version: ReportVersionRecord, header: Dataset) -> None:
    """Write everything that differs between report versions of the same shape.

    Dates are the signing (or saving) time, not the build time, so building the same version
    twice gives the same bytes.
    """
    when = (version.signed_at or version.created_at).astimezone(UTC)
    sr.SOPInstanceUID = sr.file_meta.MediaStorageSOPInstanceUID = version.sop_instance_uid
    sr.SeriesInstanceUID = report_series_instance_uid(version.report_uid)
    sr.InstanceNumber = version.version
    for keyword in _HEADER_KEYWORDS:
        setattr(sr, keyword, header.get(keyword, ""))
    _stamp(sr, when)
    sr.InstanceCreationDate, sr.InstanceCreationTime = sr.ContentDate, sr.ContentTime
    for equipment in sr.get("ContributingEquipmentSequence", []):
        equipment.ContributionDateTime = when.strftime("%Y%m%d%H%M%S")
    if _signed(version):
        observer = sr.VerifyingObserverSequence[0]
        observer.VerifyingObserverName = person_name(version.author)
        observer.VerificationDateTime = when.strftime("%Y%m%d%H%M%S")
    if version.predecessor_sop_uid:  # an amendment (or the final of a preliminary) cites it
        cite_predecessor(sr, version.predecessor_sop_uid)
    items = sr.ContentSequence
    items[0].PersonName = person_name(version.author)
    items[1].TextValue = version.text or "-"
    if _conclusion(version):
        items[2].TextValue = _conclusion(version)
    items[-1].TextValue = _fields_json(version)


class ReportSRBuilder:
    """Builds report SRs fast for the sync engine.

    highdicom builds (and checks) the first SR of each shape (signed or not, with or without
    a conclusion or a predecessor); later versions are re-read from its bytes and
    :func:`_fill` writes their values, several times faster (``benchmarks/sync.py``). The
    test suite checks that both ways give the same bytes.
    """

    def __init__(self) -> None:
        self._prototypes: dict[tuple[bool, bool, bool], bytes] = {}

    def __call__(self, version: ReportVersionRecord, header: Dataset) -> Dataset:
        key = (_signed(version), bool(_conclusion(version)),
               bool(version.predecessor_sop_uid))
        prototype = self._prototypes.get(key)
        if prototype is None:
            sr = report_to_sr(version, header)
            buffer = io.BytesIO()
            sr.save_as(buffer, enforce_file_format=True)
            self._prototypes[key] = buffer.getvalue()
            return sr
        sr = pydicom.dcmread(io.BytesIO(prototype))
        _fill(sr, version, header)
        return sr


def read_report_sr(ds: Dataset) -> dict[str, Any]:
    """What :func:`report_to_sr` wrote: fields, status, version, text, conclusion, author."""
    found: dict[str, Any] = {}
    for item in ds.ContentSequence:
        code = item.ConceptNameCodeSequence[0].CodeValue
        if code == PROTOCOL_FIELDS.value:
            found.update(json.loads(item.TextValue))
        elif code == FINDING.value:
            found["text"] = item.TextValue
        elif code == IMPRESSION.value:
            found["conclusion"] = item.TextValue
        elif item.ValueType == "PNAME":
            found.setdefault("author", str(item.PersonName))
    return found


def ai_result_sop_instance_uid(ai_uid: str) -> str:
    return derived_uid("luch-ai-sr", ai_uid)


@dataclass(frozen=True)
class AIVerdict:
    """One reader's verdict on an AI result, as the AI SR carries it."""

    reader: str
    verdict: str  # agree, partly, disagree (records.models.Verdict)
    corrected_grade: str | None
    at: datetime


def _verdict_item(v: AIVerdict) -> hd.sr.ContainerContentItem:
    items: list[Any] = [_observer(v.reader), hd.sr.CodeContentItem(
        name=VERDICT, value=Code(str(v.verdict), "99LUCH", str(v.verdict)),
        relationship_type=hd.sr.RelationshipTypeValues.CONTAINS)]
    if v.corrected_grade:
        items.append(_text(CORRECTED_GRADE, v.corrected_grade))
    items.append(hd.sr.DateTimeContentItem(
        name=VERDICT_TIME, value=v.at.astimezone(UTC).replace(tzinfo=None),
        relationship_type=hd.sr.RelationshipTypeValues.CONTAINS))
    container = hd.sr.ContainerContentItem(
        name=AI_VERDICT, relationship_type=hd.sr.RelationshipTypeValues.CONTAINS)
    container.ContentSequence = hd.sr.ContentSequence(items)
    return container


def read_ai_verdicts(ds: Dataset) -> list[dict[str, str]]:
    """The verdicts :func:`ai_result_to_sr` wrote: reader, verdict, corrected_grade, at
    (DICOM DT, UTC), in the order given."""
    found = []
    for item in ds.ContentSequence:
        if item.ConceptNameCodeSequence[0].CodeValue != AI_VERDICT.value:
            continue
        verdict = {"corrected_grade": ""}
        for part in item.ContentSequence:
            code = part.ConceptNameCodeSequence[0].CodeValue
            if part.ValueType == "PNAME":
                verdict["reader"] = str(part.PersonName)
            elif code == VERDICT.value:
                verdict["verdict"] = str(part.ConceptCodeSequence[0].CodeValue)
            elif code == CORRECTED_GRADE.value:
                verdict["corrected_grade"] = str(part.TextValue)
            elif code == VERDICT_TIME.value:
                verdict["at"] = str(part.DateTime)
        found.append(verdict)
    return found


def ai_result_to_sr(ai_uid: str, model_name: str, model_version: str, values: dict[str, Any],
                    created_at: datetime, header: Dataset,
                    verdicts: Sequence[AIVerdict] = ()) -> Dataset:
    """The AI result as a Comprehensive 3D SR: numeric values with units, text values as text,
    then one container per reader's verdict (oldest first)."""
    items: list[Any] = [hd.sr.TextContentItem(
        name=codes.DCM.DeviceObserverName, value=f"{model_name} {model_version}"[:64],
        relationship_type=hd.sr.RelationshipTypeValues.HAS_OBS_CONTEXT)]
    for key, value in sorted(values.items()):
        name = Code(key[:16], "99LUCH", key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            items.append(_text(name, str(value)))
            continue
        unit = next((u for suffix, u in UNITS.items() if key.endswith(suffix)), NO_UNITS)
        items.append(hd.sr.NumContentItem(
            name=name, value=value, unit=unit,
            relationship_type=hd.sr.RelationshipTypeValues.CONTAINS))
    items += [_verdict_item(v) for v in sorted(verdicts, key=lambda v: v.at)]
    content = hd.sr.ContainerContentItem(name=AI_TITLE)
    content.ContentSequence = hd.sr.ContentSequence(items)
    sr = _build(
        hd.sr.Comprehensive3DSR, evidence=[header], content=content,
        series_instance_uid=derived_uid("luch-ai-series", ai_uid),
        series_number=AI_SERIES_NUMBER, sop_instance_uid=ai_result_sop_instance_uid(ai_uid),
        instance_number=1, manufacturer=MANUFACTURER, is_complete=True,
        record_evidence=False, specific_character_set="ISO_IR 192",
        series_description=f"Luch AI {model_name}"[:64])
    _stamp(sr, created_at)
    return sr


def _parsed(text: str) -> Any:
    """A text value as :func:`ai_result_to_sr` wrote it: ``str()`` of a dict, list, bool or
    None is read back as that value; any other text stays text."""
    if text in ("True", "False", "None") or text[:1] in "{[":
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text
    return text


def read_ai_values(ds: Dataset) -> dict[str, Any]:
    """The values :func:`ai_result_to_sr` wrote, keyed by their full names: numbers as floats
    (whole numbers as ints), texts, and the dicts and lists written as their Python form."""
    values: dict[str, Any] = {}
    for item in ds.ContentSequence:
        code = item.ConceptNameCodeSequence[0]
        if code.CodingSchemeDesignator != "99LUCH" or item.ValueType not in ("NUM", "TEXT"):
            continue
        if item.ValueType == "NUM":
            number = float(item.MeasuredValueSequence[0].NumericValue)
            values[str(code.CodeMeaning)] = int(number) if number.is_integer() else number
        else:
            values[str(code.CodeMeaning)] = _parsed(str(item.TextValue))
    return values
