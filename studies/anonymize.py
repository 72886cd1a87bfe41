"""De-identification for sharing studies (second opinion, research).

Follows the DICOM Basic Application Level Confidentiality Profile (PS3.15 Annex E, table
E.1-1): identifying attributes are removed (X), emptied (Z) or replaced by dummies (D); every
instance-specific UID is replaced (U) by a deterministic keyed hash, so references between
images, series and SEG/SR objects of a study stay consistent and the same study exported
twice with the same key gets the same UIDs. Private attributes, overlays and curves are
removed. Images flagged with burned-in annotation are refused, since text in the pixels
cannot be removed here.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from pathlib import Path

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import UID_dictionary

from studies.errors import StudyError, is_fatal
from studies.sources import FileRef

PROFILE_NAME = "PS3.15 E.1 Basic Application Confidentiality Profile"  # LO: <= 64
PROFILE_CODE = ("113100", "DCM", "Basic Application Confidentiality Profile")

# PS3.15 table E.1-1 (Basic Profile column) for the attributes CT/SEG/SR objects carry.
# Z: zero-length, D: dummy value, X: remove. UIDs are handled by VR (see _is_replaceable_uid).
ACTIONS: dict[str, str] = {
    # patient
    "PatientName": "D", "PatientID": "D", "PatientBirthDate": "Z", "PatientBirthTime": "X",
    "PatientSex": "Z", "PatientAge": "X", "PatientSize": "X", "PatientWeight": "X",
    "PatientAddress": "X", "PatientTelephoneNumbers": "X", "PatientMotherBirthName": "X",
    "OtherPatientIDs": "X", "OtherPatientNames": "X", "OtherPatientIDsSequence": "X",
    "PatientBirthName": "X", "MilitaryRank": "X", "BranchOfService": "X",
    "MedicalRecordLocator": "X", "EthnicGroup": "X", "Occupation": "X",
    "AdditionalPatientHistory": "X", "PatientComments": "X", "PatientReligiousPreference": "X",
    "PatientInsurancePlanCodeSequence": "X", "PatientState": "X", "PregnancyStatus": "X",
    "MedicalAlerts": "X", "Allergies": "X", "SmokingStatus": "X", "LastMenstrualDate": "X",
    "CountryOfResidence": "X", "RegionOfResidence": "X", "ResponsiblePerson": "X",
    "ResponsibleOrganization": "X", "IssuerOfPatientID": "X", "PatientSexNeutered": "X",
    "PatientBreedDescription": "X", "QualityControlSubject": "X",
    # study, visit, request
    "StudyDate": "Z", "StudyTime": "Z", "AccessionNumber": "Z", "StudyID": "Z",
    "ReferringPhysicianName": "Z", "ReferringPhysicianAddress": "X",
    "ReferringPhysicianTelephoneNumbers": "X", "ReferringPhysicianIdentificationSequence": "X",
    "ConsultingPhysicianName": "X", "PhysiciansOfRecord": "X",
    "PhysiciansOfRecordIdentificationSequence": "X", "NameOfPhysiciansReadingStudy": "X",
    "PhysiciansReadingStudyIdentificationSequence": "X", "RequestingPhysician": "X",
    "RequestingService": "X", "RequestAttributesSequence": "X", "AdmissionID": "X",
    "AdmittingDiagnosesDescription": "X", "AdmittingDiagnosesCodeSequence": "X",
    "IssuerOfAdmissionIDSequence": "X", "CurrentPatientLocation": "X",
    "PatientInstitutionResidence": "X", "ServiceEpisodeID": "X", "ServiceEpisodeDescription": "X",
    "VisitComments": "X", "StudyComments": "X", "InterpretationAuthor": "X",
    "ReasonForStudy": "X", "RequestedProcedureDescription": "X", "RequestedProcedureID": "X",
    "ReasonForTheRequestedProcedure": "X", "ImagingServiceRequestComments": "X",
    "RequestedProcedureComments": "X", "ReferencedPatientSequence": "X",
    "ReferencedStudySequence": "X", "ReferencedPatientAliasSequence": "X",
    "OrderCallbackPhoneNumber": "X", "OrderEnteredBy": "X", "OrderEntererLocation": "X",
    "PlacerOrderNumberImagingServiceRequest": "Z", "FillerOrderNumberImagingServiceRequest": "Z",
    # series, acquisition, equipment, operators
    "SeriesDate": "X", "SeriesTime": "X", "AcquisitionDate": "X", "AcquisitionTime": "X",
    "AcquisitionDateTime": "X", "ContentDate": "Z", "ContentTime": "Z", "OverlayDate": "X",
    "OverlayTime": "X", "CurveDate": "X", "CurveTime": "X", "InstanceCreationDate": "X",
    "InstanceCreationTime": "X", "InstitutionName": "X", "InstitutionAddress": "X",
    "InstitutionalDepartmentName": "X", "InstitutionCodeSequence": "X", "StationName": "X",
    "DeviceSerialNumber": "X", "DetectorID": "X", "PlateID": "X", "CassetteID": "X",
    "GantryID": "X", "OperatorsName": "X", "OperatorIdentificationSequence": "X",
    "PerformingPhysicianName": "X", "PerformingPhysicianIdentificationSequence": "X",
    "PerformedProcedureStepID": "X", "PerformedProcedureStepDescription": "X",
    "PerformedProcedureStepStartDate": "X", "PerformedProcedureStepStartTime": "X",
    "PerformedProcedureStepEndDate": "X", "PerformedProcedureStepEndTime": "X",
    "PerformedLocation": "X", "PerformedStationName": "X", "PerformedStationAETitle": "X",
    "ScheduledProcedureStepDescription": "X", "ScheduledProcedureStepID": "X",
    "ScheduledPerformingPhysicianName": "X", "RequestedProcedureCodeSequence": "X",
    "ProtocolName": "X", "AcquisitionComments": "X", "ImageComments": "X",
    "DerivationDescription": "X", "ContrastBolusAgent": "D", "TextComments": "X",
    "TextString": "X", "SourceImageSequence": "X", "ReferencedPerformedProcedureStepSequence": "X",
    "ReferencedImageSequence": "X", "DataSetTrailingPadding": "X", "DigitalSignaturesSequence": "X",
    "ModifiedAttributesSequence": "X", "OriginalAttributesSequence": "X",
    "ContentCreatorName": "Z", "ContentCreatorIdentificationCodeSequence": "X",
    "VerifyingObserverName": "D", "VerifyingObserverSequence": "D", "PersonName": "D",
    "PersonIdentificationCodeSequence": "D", "AuthorObserverSequence": "X",
    "ParticipantSequence": "X", "CustodialOrganizationSequence": "X",
    "FrameComments": "X", "ClinicalTrialSponsorName": "D", "ClinicalTrialProtocolID": "D",
    "ClinicalTrialSiteID": "Z", "ClinicalTrialSiteName": "Z", "ClinicalTrialSubjectID": "D",
    "ClinicalTrialTimePointID": "Z", "ClinicalTrialCoordinatingCenterName": "Z",
    "InstitutionalDepartmentTypeCodeSequence": "X", "Manufacturer": "K",
}

PSEUDONYM_PREFIX = "ANON"


class Anonymizer:
    """De-identifies datasets with one secret ``key`` (the same key gives the same UIDs)."""

    def __init__(self, key: bytes, patient_pseudonym: str | None = None) -> None:
        if len(key) < 16:
            raise ValueError("the anonymization key must be at least 16 bytes")
        self._key = key
        self._pseudonym = patient_pseudonym

    def uid(self, original: str) -> str:
        """Deterministic replacement UID: ``2.25.<keyed hash as integer>`` (<= 64 chars)."""
        digest = hmac.new(self._key, original.strip().encode(), hashlib.sha256).digest()
        return f"2.25.{int.from_bytes(digest[:16], 'big')}"

    def pseudonym(self, patient_id: str) -> str:
        if self._pseudonym:
            return self._pseudonym
        digest = hmac.new(self._key, b"patient:" + patient_id.encode(), hashlib.sha256)
        return f"{PSEUDONYM_PREFIX}-{digest.hexdigest()[:10].upper()}"

    def anonymize(self, ds: Dataset) -> Dataset:
        """De-identify ``ds`` in place (and return it)."""
        if str(ds.get("BurnedInAnnotation", "")).upper() == "YES":
            raise StudyError("An image has text burned into its pixels (patient data may be "
                             "visible); it cannot be anonymized automatically")
        pseudonym = self.pseudonym(str(ds.get("PatientID", "")))
        self._clean(ds, pseudonym)
        if getattr(ds, "file_meta", None) is not None:
            meta = ds.file_meta
            for keyword in ("MediaStorageSOPInstanceUID",):
                if keyword in meta:
                    setattr(meta, keyword, self.uid(str(meta.get(keyword))))
        ds.PatientIdentityRemoved = "YES"
        ds.DeidentificationMethod = PROFILE_NAME
        code = Dataset()
        code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = PROFILE_CODE
        ds.DeidentificationMethodCodeSequence = Sequence([code])
        ds.LongitudinalTemporalInformationModified = "REMOVED"
        return ds

    def _clean(self, ds: Dataset, pseudonym: str) -> None:
        ds.remove_private_tags()
        for elem in list(ds):
            group = elem.tag.group
            if 0x5000 <= group <= 0x50FF or (0x6000 <= group <= 0x60FF and elem.tag.element in (
                    0x3000, 0x4000)) or group == 0xFFFA:  # curves, overlay data/comments, sigs
                del ds[elem.tag]
                continue
            action = ACTIONS.get(elem.keyword)
            if action == "X":
                del ds[elem.tag]
            elif action == "Z":
                elem.value = None
            elif action == "D":
                self._dummy(ds, elem, pseudonym)
            elif elem.VR == "UI" and elem.value and _is_replaceable_uid(elem.keyword):
                elem.value = _map_uids(elem.value, self.uid)
            elif elem.VR == "SQ":
                for item in elem.value:
                    self._clean(item, pseudonym)

    @staticmethod
    def _dummy(ds: Dataset, elem, pseudonym: str) -> None:
        if elem.VR == "SQ":
            del ds[elem.tag]
        elif elem.keyword in ("PatientName", "PatientID"):
            elem.value = pseudonym
        elif elem.VR == "PN":
            elem.value = "ANONYMOUS"
        else:
            elem.value = "ANONYMIZED" if elem.VR in ("LO", "SH", "LT", "ST", "UT") else None


_KEEP_UIDS = {"SOPClassUID", "ReferencedSOPClassUID", "TransferSyntaxUID",
              "MediaStorageSOPClassUID", "ImplementationClassUID", "CodingSchemeUID",
              "ContextGroupExtensionCreatorUID", "MappingResourceUID"}


def _is_replaceable_uid(keyword: str) -> bool:
    return keyword not in _KEEP_UIDS


def _map_uids(value, mapper: Callable[[str], str]):
    if isinstance(value, str):
        return value if value in UID_dictionary else mapper(value)
    return [v if v in UID_dictionary else mapper(v) for v in value]


def anonymize_files(files: Iterable[FileRef], out_dir: Path, anonymizer: Anonymizer,
                    progress: Callable[[float], None] | None = None) -> list[Path]:
    """Write de-identified copies of DICOM ``files`` as ``out_dir/IMnnnnn.dcm``."""
    files = list(files)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for n, ref in enumerate(files):
        try:
            with ref.open() as fp:
                ds = pydicom.dcmread(fp)
        except BaseException as err:
            if is_fatal(err):
                raise
            raise StudyError(f"{ref.name} could not be read for anonymization") from err
        anonymizer.anonymize(ds)
        target = out_dir / f"IM{n + 1:05d}.dcm"
        ds.save_as(target, enforce_file_format=False)
        written.append(target)
        if progress:
            progress((n + 1) / len(files))
    return written
