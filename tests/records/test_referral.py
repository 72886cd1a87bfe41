"""Second opinions and audits in the store, Qt-free: requests, blind first, reviews."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from records import Store
from records.errors import BlindReadError, ReferralError
from records.outbox import KIND_REFERRAL, KIND_REFERRAL_RESPONSE, KIND_REFERRAL_REVIEW
from records.referral import (
    BlindCase,
    ReviewFields,
    Urgency,
    due_at,
    queue_key,
    review_series_uid,
)

STUDY = "1.2.826.0.1.3680043.8.498.77001"
TECHNIQUE = {"protocol": "good", "coverage": "poor", "artefacts": "acceptable"}


def _signed(store: Store, grade: str = "CT-2", study: str = STUDY):
    store.upsert_study(study, patient_id="REF-1", patient_name="Referral^Test")
    return store.save_report(study, author="Reader A", fields={"grade": grade,
                             "conclusion": "bilateral GGO"}, text="GGO in both lungs",
                             status="final")


def _ask(store: Store, version_id: int, **kw) -> int:
    kw = {"kind": "second_opinion", "reason": "doubt", "urgency": "urgent",
          "requester": "Reader A", "centre": "Clinic 1", "addressed_to": "RC", **kw}
    return store.request_referral(version_id, **kw)


def test_a_request_needs_a_signed_report_and_known_values(store: Store) -> None:
    draft = store.save_report(STUDY, author="Reader A", fields={"grade": "CT-1"}, text="x")
    with pytest.raises(ReferralError, match="signed"):
        _ask(store, draft.id)
    signed = _signed(store)
    with pytest.raises(ReferralError, match="unknown reason"):
        _ask(store, signed.id, reason="curiosity")
    with pytest.raises(ReferralError, match="unknown urgency"):
        _ask(store, signed.id, urgency="whenever")
    assert store.referrals() == []


def test_asking_twice_is_one_request_and_one_outbox_job(store: Store) -> None:
    version = _signed(store)
    first = _ask(store, version.id)
    assert _ask(store, version.id, reason="complex_case") == first
    audit = _ask(store, version.id, kind="audit", reason="quality_sample")
    assert audit != first  # another kind is another request
    jobs = [(j.kind, j.object_pk) for j in store.jobs() if j.kind == KIND_REFERRAL]
    assert sorted(jobs) == [(KIND_REFERRAL, first), (KIND_REFERRAL, audit)]
    ref = store.referral(first)
    assert (ref.reason, ref.first_reader, ref.report_sop_uid) == (
        "doubt", "Reader A", version.sop_instance_uid)
    assert ref.due_at == ref.requested_at + timedelta(hours=24)


def test_a_request_on_a_derived_uid_study_stays_local(store: Store) -> None:
    store.upsert_study("2.25.1234", uid_derived=True)
    version = store.save_report("2.25.1234", author="Reader A", fields={"grade": "CT-1"},
                                text="x", status="final")
    _ask(store, version.id)
    assert [j.kind for j in store.jobs()] == []
    assert "kept-local" in [e.action for e in store.audit_events("2.25.1234")]


def test_the_first_report_is_hidden_until_the_own_read_is_saved(store: Store) -> None:
    ref = _ask(store, _signed(store, grade="CT-2").id)
    case = store.open_case(ref, "Expert E")
    assert not case.own_read_saved
    with pytest.raises(BlindReadError):
        case.first_grade()
    with pytest.raises(BlindReadError):
        case.first_report()
    assert "CT-2" not in repr(case)
    store.save_review(ref, expert="Expert E", fields=ReviewFields(grade="CT-3"))  # a draft
    other = store.open_case(ref, "Expert F")  # another expert still reads blind
    with pytest.raises(BlindReadError):
        other.first_grade()
    case = store.open_case(ref, "Expert E")
    assert case.own_read.grade == "CT-3"
    assert case.first_grade() == "CT-2"
    assert case.first_report()["conclusion"] == "bilateral GGO"
    opened = [e for e in store.audit_events(STUDY) if e.action == "opened"]
    assert [e.actor for e in opened] == ["Expert E", "Expert F", "Expert E"]


def test_the_blind_case_itself_refuses_without_an_own_read() -> None:
    now = datetime.now(UTC)
    case = BlindCase(1, "2.25.1", "audit", "quality_sample", "routine", "1.2", now, "A", "E",
                     None, {"grade": "CT-4"})
    with pytest.raises(BlindReadError):
        case.first_grade()
    seen = BlindCase(1, "2.25.1", "audit", "quality_sample", "routine", "1.2", now, "A", "E",
                     ReviewFields(grade="CT-3"), {"grade": "CT-4"})
    assert seen.first_grade() == "CT-4"


@pytest.mark.parametrize(("fields", "kind", "message"), [
    (ReviewFields(grade="CT-2"), "second_opinion", "grade and a score"),
    (ReviewFields(score=1), "second_opinion", "grade and a score"),
    (ReviewFields(grade="CT-2", score=5), "second_opinion", "1 to 4"),
    (ReviewFields(grade="CT-2", score=3), "second_opinion", "category"),
    (ReviewFields(grade="CT-2", score=2, category="guesswork"), "second_opinion", "unknown"),
    (ReviewFields(grade="CT-2", score=1, category="perception"), "second_opinion", "concur"),
    (ReviewFields(grade="CT-2", score=1), "audit", "technique"),
    (ReviewFields(grade="CT-2", score=1, technique={"protocol": "fine"}), "audit", "technique"),
])
def test_a_review_is_checked_before_signing(store: Store, fields, kind, message) -> None:
    ref = _ask(store, _signed(store).id, kind=kind, reason="quality_sample")
    with pytest.raises(ReferralError, match=message):
        store.save_review(ref, expert="Expert E", fields=fields, sign=True)
    assert not any(j.kind == KIND_REFERRAL_REVIEW for j in store.jobs())


def test_a_signed_review_is_versioned_and_amended_only_with_a_reason(store: Store) -> None:
    ref = _ask(store, _signed(store).id, kind="audit", reason="quality_sample")
    draft = store.save_review(ref, expert="Expert E", fields=ReviewFields(grade="CT-3"))
    assert draft.status == "draft" and not store.signed_reviews()
    fields = ReviewFields(grade="CT-3", findings="more GGO", score=3, category="perception",
                          technique=TECHNIQUE, comment="missed the lower lobes")
    final = store.save_review(ref, expert="Expert E", fields=fields, sign=True)
    assert (final.version, final.status, final.predecessor_sop_uid) == (2, "final", None)
    with pytest.raises(ReferralError, match="draft"):
        store.save_review(ref, expert="Expert E", fields=fields)
    with pytest.raises(ReferralError, match="reason"):
        store.save_review(ref, expert="Expert E", fields=fields, sign=True)
    amended = store.save_review(ref, expert="Expert E", sign=True, reason="typo",
                                fields=ReviewFields(**{**fields.as_dict(), "score": 2}))
    assert (amended.status, amended.predecessor_sop_uid, amended.addendum_reason) == (
        "amended", final.sop_instance_uid, "typo")
    queued = [j.object_pk for j in store.jobs() if j.kind == KIND_REFERRAL_REVIEW]
    assert queued == [final.id, amended.id]
    [counted] = store.signed_reviews()
    assert (counted.score, counted.first_grade, counted.expert_grade) == (2, "CT-2", "CT-3")


def test_the_queue_order_and_due_times() -> None:
    t0 = datetime(2026, 12, 1, 8, tzinfo=UTC)
    assert due_at(t0, "stat") == t0 + timedelta(hours=4)
    assert due_at(t0, Urgency.ROUTINE) == t0 + timedelta(hours=72)
    items = [("routine", t0), ("urgent", t0 + timedelta(hours=1)), ("stat", t0 + timedelta(2)),
             ("urgent", t0)]
    assert sorted(items, key=lambda i: queue_key(*i)) == [items[2], items[3], items[1],
                                                          items[0]]
    assert review_series_uid("2.25.1") != review_series_uid("2.25.2")


def test_a_reader_answers_a_signed_review_once(store: Store) -> None:
    ref = _ask(store, _signed(store).id)
    draft = store.save_review(ref, expert="Expert E", fields=ReviewFields(grade="CT-3"))
    with pytest.raises(ReferralError, match="signed review"):
        store.respond_to_review(draft.id, reader="Reader A", action="acknowledge")
    final = store.save_review(ref, expert="Expert E", sign=True,
                              fields=ReviewFields(grade="CT-3", score=2, category="perception"))
    with pytest.raises(ReferralError, match="comment"):
        store.respond_to_review(final.id, reader="Reader A", action="dispute", comment=" ")
    with pytest.raises(ReferralError, match="unknown answer"):
        store.respond_to_review(final.id, reader="Reader A", action="ignore")
    first = store.respond_to_review(final.id, reader="Reader A", action="dispute",
                                    comment="it is atelectasis")
    assert store.respond_to_review(final.id, reader="Reader A", action="dispute",
                                   comment="again") == first
    assert [j.object_pk for j in store.jobs() if j.kind == KIND_REFERRAL_RESPONSE] == [first]
    answer = store.response(first)
    assert (answer.action, answer.review_sop_uid, answer.origin) == (
        "dispute", final.sop_instance_uid, "local")
    assert store.open_disputes() == []  # our own dispute is not on our queue
