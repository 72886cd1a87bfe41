"""``luch referral request|queue|open|review|reviews|answer``: second opinions and audits
from the command line, as the app's menus do them (docs/reference-centre.md).

The user is the login (as in the app); the role, centre and addressee come from the
settings and the user directory (records.directory). A reading station asks for a review
of a signed report and answers the reviews; a reference-centre station lists its queue,
opens a request (audited; the first report is held back until the expert's own read is
saved), and saves or signs a review. What is signed or asked goes to the archive with the
next ``luch sync``.
"""

from __future__ import annotations

import argparse
import getpass
import json
from typing import Any

from core.errors import LuchError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "referral", help="second opinions and audits: request, queue, review, answer",
        description="Second opinions and audits between a reading station and a reference "
                    "centre, through the archive (`luch sync` sends what is asked, signed or "
                    "answered).")
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub.add_parser("request", help="ask for a review of the study's signed report")
    p.add_argument("--study", required=True, metavar="UID", help="Study Instance UID")
    p.add_argument("--kind", default="second_opinion", choices=("second_opinion", "audit"))
    p.add_argument("--reason", default="doubt",
                   choices=("doubt", "complex_case", "patient_request", "quality_sample"))
    p.add_argument("--urgency", default="routine", choices=("stat", "urgent", "routine"))
    p.add_argument("--to", metavar="CENTRE",
                   help="the reference centre asked (default: referral.reference_centre)")
    p.add_argument("--expert", default="", metavar="LOGIN",
                   help="one expert of the directory (default: any expert of the centre)")
    p.add_argument("--note", default="")
    p = sub.add_parser("queue", help="the open requests for this expert (reference centre)")
    p.add_argument("--offline", action="store_true", help="the stored requests only")
    p = sub.add_parser("open", help="open a request (audited): blind until your own read")
    p.add_argument("id", type=int)
    p = sub.add_parser("review", help="save (or --sign) your review of a request")
    p.add_argument("id", type=int)
    p.add_argument("--grade", default="", help="your own grade, e.g. CT-2")
    p.add_argument("--findings", default="")
    p.add_argument("--score", type=int, choices=(1, 2, 3, 4), help="RADPEER-style 1..4")
    p.add_argument("--category", default="",
                   choices=("", "perception", "interpretation", "communication", "technique"))
    p.add_argument("--technique", default="", metavar="A=R,...",
                   help="audits: protocol=good,coverage=acceptable,artefacts=poor")
    p.add_argument("--comment", default="")
    p.add_argument("--sign", action="store_true", help="sign it (sent with the next sync)")
    p.add_argument("--reason-for-change", dest="change", default="",
                   help="why a signed review is amended (e.g. answering a dispute)")
    p = sub.add_parser("reviews", help="the reviews of this station's requests, compared")
    p.add_argument("--offline", action="store_true", help="the stored reviews only")
    p = sub.add_parser("answer", help="acknowledge or dispute a review (its version id)")
    p.add_argument("version", type=int)
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--acknowledge", action="store_true")
    how.add_argument("--dispute", metavar="COMMENT")
    sub.add_parser("directory", help="the user directory: who is an expert, of which centre")
    for p in sub.choices.values():
        p.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(run=run)


def _print(args: argparse.Namespace, data: Any, lines: list[str]) -> None:
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    else:
        print("\n".join(lines))


def _client(args: argparse.Namespace):
    if getattr(args, "offline", False):
        return None
    # deferred: `luch --help` does not load the archive client
    from archive.credentials import load_config
    from archive.dicomweb import DicomWebClient

    return DicomWebClient(load_config())


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load the store
    from core.settings import Settings
    from records import open_store
    from records.directory import Directory, reference_role

    settings, user = Settings(), getpass.getuser()
    directory = Directory.from_settings(settings)
    if args.action == "directory":
        people = [{"login": p.login, **p.as_dict()} for p in directory.people.values()]
        _print(args, people, [f"{p['login']}\t{p['name']}\t{p['centre'] or '-'}\t"
                              f"{'expert' if p['expert'] else 'reader'}" for p in people])
        return 0
    expert_actions = ("queue", "open", "review")
    if args.action in expert_actions and not reference_role(settings, user):
        raise LuchError(f"{user} is not an expert of a reference centre on this station "
                        "(the directory, referral.directory, or referral.role)")
    store = open_store()
    try:
        return _ACTIONS[args.action](args, store, settings, directory, user)
    finally:
        store.close()


def _request(args, store, settings, directory, user) -> int:
    from records.errors import ReferralError  # deferred: `luch --help` does not load records

    signed = [v for r in store.reports_for_study(args.study)
              for v in store.report_versions(r.uid) if v.status.value in ("final", "amended")]
    if not signed:
        raise ReferralError("no signed report of this study: only a signed report can be "
                            "sent for review")
    to = settings.get("referral.reference_centre", "") if args.to is None else args.to
    if args.expert and not directory.is_expert(args.expert):
        raise ReferralError(f"{args.expert} is not an expert in the user directory")
    if args.expert and not to:
        to = directory.centre_of(args.expert)
    newest = max(signed, key=lambda v: v.id)
    ref_id = store.request_referral(
        newest.id, kind=args.kind, reason=args.reason, urgency=args.urgency, requester=user,
        centre=directory.centre_of(user), addressed_to=str(to or ""),
        addressed_expert=args.expert, note=args.note)
    ref = store.referral(ref_id)
    _print(args, {"id": ref.id, "uid": ref.uid, "addressed_to": ref.addressed_to,
                  "addressed_expert": ref.addressed_expert, "due_at": ref.due_at.isoformat()},
           [f"request {ref.id} queued for {ref.addressed_to or 'no centre (unaddressed)'}"
            f"{' / ' + ref.addressed_expert if ref.addressed_expert else ''}; "
            "`luch sync` sends it"])
    return 0


def _queue(args, store, settings, directory, user) -> int:
    # deferred: `luch --help` does not load records (the archive client, highdicom)
    from records.directory import addressee
    from records.referral import queue_key
    from records.referral_queue import QueueEntry, refresh_disputes, refresh_queue

    client, centre = _client(args), directory.centre_of(user)
    if client is not None:
        entries = refresh_queue(store, client, centre, user, directory)
        disputes = refresh_disputes(store, client)
    else:
        signed = {r.referral_uid for r in store.signed_reviews()}
        # as refresh_queue reads them: every stored request (an audit drawn here included)
        entries = [QueueEntry(r, why) for r in store.referrals()
                   if r.uid not in signed
                   and (why := addressee(r.as_dict(), centre, user, directory)) is not None]
        disputes = store.open_disputes()
        entries.sort(key=lambda e: queue_key(e.referral.urgency, e.referral.requested_at))
    rows = [{"id": e.referral.id, "uid": e.referral.uid, "study": e.referral.study_instance_uid,
             "kind": e.referral.kind, "reason": e.referral.reason,
             "urgency": e.referral.urgency, "due_at": e.due_at.isoformat(),
             "centre": e.referral.centre, "addressee": e.addressee,
             "addressed_to": e.referral.addressed_to,
             "addressed_expert": e.referral.addressed_expert} for e in entries]
    open_disputes = [{"referral_id": d.referral.id, "reader": d.reader, "comment": d.comment,
                      "review_sop_uid": d.review_sop_uid} for d in disputes]
    _print(args, {"centre": centre, "expert": user, "requests": rows,
                  "disputes": open_disputes},
           [f"{r['id']:5} {r['urgency']:8} due {r['due_at'][:16]} {r['kind']:15} "
            f"{r['reason']:16} from {r['centre'] or '-'}"
            + ("  (unaddressed)" if r["addressee"] == "unaddressed" else "") for r in rows]
           + [f"dispute of request {d['referral_id']} by {d['reader']}: {d['comment']}"
              for d in open_disputes])
    return 0


def _addressed(store, referral_id: int, directory, user: str) -> None:
    """Refuse a request stored here that is another centre's or another expert's (one
    stored while another expert was signed in on this station)."""
    from records.directory import addressee  # deferred: `luch --help` does not load records
    from records.errors import ReferralError

    if addressee(store.referral(referral_id).as_dict(), directory.centre_of(user),
                 user, directory) is None:
        raise ReferralError(f"request {referral_id} is addressed to another centre or expert")


def _case(store, referral_id: int, user: str, audit: bool) -> dict[str, Any]:
    case = store.open_case(referral_id, user, audit=audit)
    return {"id": case.referral_id, "study": case.study_instance_uid, "kind": case.kind,
            "reason": case.reason, "urgency": case.urgency, "due_at": case.due_at.isoformat(),
            "own_read": case.own_read.as_dict() if case.own_read else None,
            # blind first: the first reader's report only after the expert's own read
            "first_report": case.first_report() if case.own_read_saved else None}


def _case_lines(data: dict[str, Any]) -> list[str]:
    first = data["first_report"]
    return [f"request {data['id']} ({data['kind']}, {data['reason']}, {data['urgency']}), "
            f"study {data['study']}",
            "first report: held back until your own read is saved" if first is None else
            f"first reader's grade: {first.get('grade') or '-'}; conclusion: "
            f"{first.get('conclusion') or '-'}"]


def _open(args, store, settings, directory, user) -> int:
    _addressed(store, args.id, directory, user)
    data = _case(store, args.id, user, audit=True)
    _print(args, data, _case_lines(data))
    return 0


def _review(args, store, settings, directory, user) -> int:
    from records.referral import ReviewFields  # deferred: `luch --help` does not load records

    _addressed(store, args.id, directory, user)
    technique = dict(pair.split("=", 1) for pair in args.technique.split(",") if "=" in pair)
    fields = ReviewFields(args.grade, args.findings, args.score, args.category, technique,
                          args.comment)
    version = store.save_review(args.id, expert=user, fields=fields, sign=args.sign,
                                reason=args.change)
    data = {"version_id": version.id, "version": version.version, "status": version.status,
            "sop_instance_uid": version.sop_instance_uid,
            **_case(store, args.id, user, audit=False)}
    _print(args, data, [f"review version {version.version} saved ({version.status})",
                        *_case_lines(data)])
    return 0


def _reviews(args, store, settings, directory, user) -> int:
    # deferred: `luch --help` does not load records (the archive client, highdicom)
    from records.referral_compare import compare
    from records.referral_queue import import_new_reviews

    client = _client(args)
    new = set(import_new_reviews(store, client)) if client is not None else set()
    answered = {r.review_sop_uid: r.action for r in store.responses(origin="local")}
    rows = []
    for ref in store.referrals(origin="local"):
        first = _first_version(store, ref)
        for v in store.reviews_of(ref.id):
            if v.status not in ("final", "amended"):
                continue
            cmp = compare(first.fields if first else {}, first.text if first else "", v.fields)
            rows.append({"version_id": v.id, "referral_id": ref.id,
                         "study": ref.study_instance_uid, "first_reader": ref.first_reader,
                         "expert": v.expert, "version": v.version, "status": v.status,
                         "score": v.fields.score, "category": v.fields.category,
                         "comment": v.fields.comment, "new": v.id in new,
                         "answer": answered.get(v.sop_instance_uid, ""),
                         "compare": [{"field": c.field, "first": c.first, "expert": c.expert,
                                      "differs": c.differs} for c in cmp]})
    _print(args, rows, [
        f"{r['version_id']:5} {r['expert']} v{r['version']} score {r['score']} "
        f"{r['category'] or ''} {'NEW ' if r['new'] else ''}"
        f"{('answered: ' + r['answer']) if r['answer'] else 'to answer'}\n"
        + "\n".join(f"   {'≠' if c['differs'] else ' '} {c['field']:9} {c['first'] or '-'}"
                    f"  |  {c['expert'] or '-'}" for c in r["compare"]) for r in rows])
    return 0


def _first_version(store, ref):
    for report in store.reports_for_study(ref.study_instance_uid):
        for v in store.report_versions(report.uid):
            if v.sop_instance_uid == ref.report_sop_uid:
                return v
    return None


def _answer(args, store, settings, directory, user) -> int:
    action = "acknowledge" if args.acknowledge else "dispute"
    answer_id = store.respond_to_review(args.version, reader=user, action=action,
                                        comment=args.dispute or "")
    _print(args, {"id": answer_id, "action": action},
           [f"{action} queued for the archive; `luch sync` sends it"])
    return 0


_ACTIONS = {"request": _request, "queue": _queue, "open": _open, "review": _review,
            "reviews": _reviews, "answer": _answer}
