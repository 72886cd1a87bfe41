"""Report and AI SRs: deterministic UIDs, full round trip, the fast builder equals highdicom."""

from __future__ import annotations

import pytest

from archive.dicomweb import dataset_bytes, read_dataset
from records import Store
from records.sr import (
    REPORT_SOP_CLASSES,
    AIVerdict,
    ReportSRBuilder,
    ai_result_sop_instance_uid,
    ai_result_to_sr,
    person_name,
    read_ai_verdicts,
    read_report_sr,
    report_to_sr,
    study_header,
)
from records.store import report_sop_instance_uid
from records.uids import derived_uid

HEADER = study_header("1.2.840.99.1", {"patient_id": "P-1", "name": "Doe^Jane",
                                       "birth_date": "19700101", "sex": "F"},
                      {"study_date": "20240301", "study_time": "101500",
                       "accession_number": "ACC-9"})


def test_uids_are_derived_deterministically() -> None:
    assert report_sop_instance_uid("abc", 1) == report_sop_instance_uid("abc", 1)
    assert report_sop_instance_uid("abc", 1) != report_sop_instance_uid("abc", 2)
    uid = derived_uid("x", "y")
    assert uid.startswith("2.25.") and len(uid) <= 64 and uid[5:].isdigit()


def test_report_sr_round_trip(store: Store) -> None:
    v = store.save_report("1.2.840.99.1", author="Иванов Иван", status="final",
                          text="Двусторонние изменения по типу «матового стекла».",
                          fields={"grade": "CT-2", "conclusion": "Вирусная пневмония КТ-2"},
                          protocol="moscow-chest-ct-covid")
    ds = read_dataset(dataset_bytes(report_to_sr(v, HEADER)))
    assert ds.SOPClassUID in REPORT_SOP_CLASSES and ds.SOPInstanceUID == v.sop_instance_uid
    assert (ds.PatientID, ds.AccessionNumber, ds.StudyInstanceUID) == (
        "P-1", "ACC-9", "1.2.840.99.1")
    assert ds.VerificationFlag == "VERIFIED" and ds.CompletionFlag == "COMPLETE"
    assert str(ds.VerifyingObserverSequence[0].VerifyingObserverName) == "Иванов^Иван"
    back = read_report_sr(ds)
    assert back["fields"] == v.fields and back["text"] == v.text
    assert back["conclusion"] == "Вирусная пневмония КТ-2" and back["author"] == "Иванов Иван"
    assert (back["version"], back["status"], back["report_uid"]) == (1, "final", v.report_uid)


def test_amendment_cites_the_last_sent_version(store: Store) -> None:
    draft = store.save_report("1.2.840.99.1", author="A B", text="d", fields={})
    final = store.save_report("1.2.840.99.1", author="A B", text="f", fields={}, status="final",
                              report_uid=draft.report_uid)
    amended = store.save_report("1.2.840.99.1", author="A B", text="a", fields={},
                                status="amended", reason="Grade corrected",
                                report_uid=draft.report_uid)
    assert final.predecessor_sop_uid is None  # the draft never left the station
    assert amended.predecessor_sop_uid == final.sop_instance_uid
    build = ReportSRBuilder()
    for v in (final, amended, amended):  # prototype, then copy, of each shape
        ds = read_dataset(dataset_bytes(build(v, HEADER)))
        assert dataset_bytes(ds) == dataset_bytes(report_to_sr(v, HEADER))
    ref = ds.PredecessorDocumentsSequence[0].ReferencedSeriesSequence[0].ReferencedSOPSequence[0]
    assert ref.ReferencedSOPInstanceUID == final.sop_instance_uid
    assert "PredecessorDocumentsSequence" not in report_to_sr(final, HEADER)


def test_preliminary_report_is_unverified(store: Store) -> None:
    v = store.save_report("1.2.840.99.1", author="A B", text="t", fields={},
                          status="preliminary")
    ds = report_to_sr(v, HEADER)
    assert ds.VerificationFlag == "UNVERIFIED" and ds.PreliminaryFlag == "PRELIMINARY"


@pytest.mark.parametrize("conclusion", ["", "Заключение"])
@pytest.mark.parametrize("status", ["preliminary", "final"])
def test_fast_builder_gives_the_same_bytes_as_highdicom(store: Store, status: str,
                                                        conclusion: str) -> None:
    build = ReportSRBuilder()
    for i in range(3):  # the first builds the prototype, the rest are copies
        v = store.save_report(f"1.2.840.99.{i}", author=f"Reader{i} X", status=status,
                              text=f"text {i}" * (i + 1),
                              fields={"grade": f"CT-{i}", "conclusion": conclusion})
        header = study_header(v.study_instance_uid, {"patient_id": f"P{i}", "name": f"N{i}^M"},
                              {"study_date": f"2024010{i + 1}"})
        assert dataset_bytes(build(v, header)) == dataset_bytes(report_to_sr(v, header))


def test_ai_result_sr_holds_values_with_units() -> None:
    from datetime import UTC, datetime

    ds = read_dataset(dataset_bytes(ai_result_to_sr(
        "ai-1", "covid-seg", "2.1", {"right_percent": 31.5, "grade": "CT-2"},
        datetime(2024, 3, 1, tzinfo=UTC), HEADER)))
    assert ds.SOPClassUID not in REPORT_SOP_CLASSES  # never taken for a reader's report
    items = {i.ConceptNameCodeSequence[0].CodeMeaning: i for i in ds.ContentSequence}
    num = items["right_percent"].MeasuredValueSequence[0]
    assert float(num.NumericValue) == 31.5
    assert num.MeasurementUnitsCodeSequence[0].CodeValue == "%"
    assert items["grade"].TextValue == "CT-2"
    assert read_ai_verdicts(ds) == []


def test_ai_result_sr_carries_the_readers_verdicts() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    signed = datetime(2024, 3, 1, 12, 30, 5, tzinfo=timezone(timedelta(hours=3)))
    verdicts = [AIVerdict("Petrov P.P.", "partly", "CT-3", signed),
                AIVerdict("Иванов Иван", "agree", None, signed - timedelta(minutes=5))]
    ds = read_dataset(dataset_bytes(ai_result_to_sr(
        "ai-1", "covid-seg", "2.1", {"grade": "CT-2"}, datetime(2024, 3, 1, tzinfo=UTC),
        HEADER, verdicts)))
    # Oldest first, reader as PN, the time in UTC, a corrected grade only where one was given.
    assert read_ai_verdicts(ds) == [
        {"reader": "Иванов^Иван", "verdict": "agree", "corrected_grade": "",
         "at": "20240301092505"},
        {"reader": "Petrov^P.P.", "verdict": "partly", "corrected_grade": "CT-3",
         "at": "20240301093005"}]
    containers = [i for i in ds.ContentSequence if i.ValueType == "CONTAINER"]
    assert [c.ConceptNameCodeSequence[0].CodeValue for c in containers] == ["ai-verdict"] * 2
    assert containers[1].ContentSequence[1].ConceptCodeSequence[0].CodeValue == "partly"
    # The values are still there, and the SR stays the same object (same SOP Instance UID).
    values = {i.ConceptNameCodeSequence[0].CodeMeaning: i for i in ds.ContentSequence}
    assert values["grade"].TextValue == "CT-2"
    assert ds.SOPInstanceUID == ai_result_sop_instance_uid("ai-1")


def test_person_name() -> None:
    assert person_name("Petrov P.P.") == "Petrov^P.P."
    assert person_name("Doe^John") == "Doe^John"
    assert person_name("Solo") == "Solo^"
