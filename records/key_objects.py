"""Key images of a signed report as a DICOM Key Object Selection document (KOS).

The reader marks slices as key images (``viewer.key_images``); the report version stores
them in its fields under ``_key_images`` (a list of dicts: ``series_uid``,
``series_number``, ``sop_class_uid``, ``sop_instance_uid``, ``slice``), names them in its
text ("Key images: series 2, slices 14, 37"), and signing queues one KOS (TID 2010, title
"Of Interest") that references those image instances and the report's own SR. Its UIDs
derive from the report version's SR UID, and its dates are the signing time, so building it
again gives the same object and the sync engine never stores it twice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core import series_numbers
from records.errors import RecordsError
from records.report_version import (  # noqa: F401  (key_image_uids re-exported)
    KEY_IMAGES,
    ReportVersionRecord,
    key_image_uids,
    report_series_instance_uid,
)
from records.uids import derived_uid

if TYPE_CHECKING:  # pydicom loads on first use (start-up time)
    from pydicom.dataset import Dataset

KOS_SOP_CLASS = "1.2.840.10008.5.1.4.1.1.88.59"
REPORT_SR_CLASS = "1.2.840.10008.5.1.4.1.1.88.33"  # Comprehensive SR (records.sr.report_to_sr)
KOS_SERIES_NUMBER = series_numbers.KEY_OBJECTS
_WORDS = {"en": ("Key images", "series", "slice", "slices"),
          "ru": ("Ключевые изображения", "серия", "срез", "срезы")}


def key_images_text(items: list[dict[str, Any]], lang: str) -> str:
    """One line naming the key images, in the report language ("" when there are none):
    "Key images: series 2, slices 14, 37; series 5, slice 3"."""
    if not items:
        return ""
    title, series_word, one, many = _WORDS.get(lang, _WORDS["en"])
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item["series_uid"], []).append(item)
    parts = []
    for members in groups.values():
        number = members[0].get("series_number")
        slices = ", ".join(str(m["slice"]) for m in sorted(members, key=lambda m: m["slice"]))
        label = f"{series_word} {number}" if number is not None else series_word
        parts.append(f"{label}, {one if len(members) == 1 else many} {slices}")
    return f"{title}: " + "; ".join(parts)


def report_language(items: list[dict[str, Any]], text: str) -> str:
    """The language the report's text is in: the one its key-images line is written in,
    else Russian when the text has Cyrillic letters, else English."""
    for lang in _WORDS:
        if items and key_images_text(items, lang) in text:  # no items: "" is in any text
            return lang
    return "ru" if any("\u0400" <= ch <= "\u04ff" for ch in text) else "en"


def kos_sop_instance_uid(report_sop_uid: str) -> str:
    """The KOS of a report version: derived from that version's SR UID."""
    return derived_uid("luch-kos", report_sop_uid)


def kos_series_instance_uid(report_uid: str) -> str:
    return derived_uid("luch-kos-series", report_uid)


def _reference(header: Dataset, item: dict[str, Any]) -> Dataset:
    from pydicom.dataset import Dataset  # deferred: pydicom loads on first use (start-up time)

    ds = Dataset()
    for keyword in ("PatientID", "PatientName", "PatientBirthDate", "PatientSex", "StudyDate",
                    "StudyTime", "AccessionNumber", "StudyID", "ReferringPhysicianName"):
        setattr(ds, keyword, header.get(keyword, ""))
    ds.StudyInstanceUID = header.StudyInstanceUID
    ds.SeriesInstanceUID = item["series_uid"]
    ds.SOPClassUID = item["sop_class_uid"]
    ds.SOPInstanceUID = item["sop_instance_uid"]
    ds.Rows = ds.Columns = 1  # an image: referenced as IMAGE, not as a composite object
    return ds


def key_object_selection(version: ReportVersionRecord, header: Dataset) -> Dataset:
    """The KOS of one signed report version (the same version always gives the same bytes):
    the key images, then the report SR, as "Of Interest", described in the report's language."""
    # deferred: highdicom and the SR writer take ~0.5 s to import (start-up time)
    import highdicom as hd
    from pydicom.dataset import Dataset
    from pydicom.sr.codedict import codes

    from records.sr import MANUFACTURER, _stamp, person_name

    items = list(version.fields.get(KEY_IMAGES) or ())
    if not items:
        raise RecordsError("the report version has no key images")
    if any(not i.get("sop_class_uid") or not i.get("sop_instance_uid") for i in items):
        raise RecordsError("a key image has no SOP Class or SOP Instance UID")
    images = [_reference(header, i) for i in items]
    report = Dataset()
    report.StudyInstanceUID = header.StudyInstanceUID
    report.SeriesInstanceUID = report_series_instance_uid(version.report_uid)
    report.SOPClassUID = REPORT_SR_CLASS
    report.SOPInstanceUID = version.sop_instance_uid
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(
            name=person_name(version.author)))
    content = hd.ko.KeyObjectSelection(
        document_title=codes.DCM.OfInterest, referenced_objects=[*images, report],
        observer_person_context=observer,
        description=key_images_text(items, report_language(items, version.text))[:1024])
    kos = hd.ko.KeyObjectSelectionDocument(
        evidence=[*images, report], content=content,
        series_instance_uid=kos_series_instance_uid(version.report_uid),
        series_number=KOS_SERIES_NUMBER,
        sop_instance_uid=kos_sop_instance_uid(version.sop_instance_uid),
        instance_number=version.version, manufacturer=MANUFACTURER,
        specific_character_set="ISO_IR 192", series_description="Luch key images")
    when = version.signed_at or version.created_at
    _stamp(kos, when)
    kos.InstanceCreationDate, kos.InstanceCreationTime = kos.ContentDate, kos.ContentTime
    for equipment in kos.get("ContributingEquipmentSequence", []):
        equipment.ContributionDateTime = kos.ContentDate + kos.ContentTime
    return kos


def key_images_of(kos: Dataset) -> list[str]:
    """The SOP Instance UIDs of the images a KOS selects (in its content order)."""
    return [str(item.ReferencedSOPSequence[0].ReferencedSOPInstanceUID)
            for item in kos.ContentSequence if item.ValueType == "IMAGE"]
