"""Who is who for second opinions: the smallest user directory, kept in the settings.

The directory is the setting ``referral.directory``, a mapping from a user's login (the name
Luch reads as the reader's, compared without case) to that person::

    {"ivanova": {"name": "Dr A. Ivanova", "centre": "Reference centre", "expert": true},
     "petrov": {"name": "Dr P. Petrov", "centre": "City clinic 1"}}

IT keeps one directory for every station by locking it in the station policy
(``/etc/luch/policy.json``), as any setting; a station may also edit its own in Settings.
An expert (``"expert": true``) gets the reference centre's queue on any station, for the
centre named; a reader's centre is the one their reports and requests say they come from.
The older list ``referral.experts`` (logins only, no centre) still names experts.

Which reference centre serves which centres is the setting ``referral.serves``, a mapping
from a reference centre to the centres whose requests it answers (kept, and lockable, like
the directory)::

    {"Reference centre": ["City clinic 1", "City clinic 2"]}

A request addressed to no one is shown only to the experts of the reference centres named
as serving the requesting centre; a requesting centre no reference centre is named for (or
no ``referral.serves`` at all) keeps it open to every expert, marked unaddressed, so that
no request is lost (:func:`addressee`).
Qt-free: the app, the request form, the queue and the ``luch referral`` commands read it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Protocol

DIRECTORY = "referral.directory"
EXPERTS = "referral.experts"  # the older list of expert logins (no centre)
CENTRE = "referral.centre"  # the station's centre, for users the directory does not place
SERVES = "referral.serves"  # reference centre -> the centres it serves (unaddressed requests)
ROLE, READER_ROLE, REFERENCE_ROLE = "referral.role", "reader", "reference_centre"

log = logging.getLogger(__name__)


class SettingsLike(Protocol):
    def get(self, key: str, default: Any = None) -> Any: ...


@dataclass(frozen=True)
class Person:
    login: str
    name: str = ""
    centre: str = ""
    expert: bool = False

    @property
    def shown(self) -> str:
        """The name to show: the full name, else the login."""
        return self.name or self.login

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "centre": self.centre, "expert": self.expert}


def _names(value: Any) -> list[str]:
    names = value.split(",") if isinstance(value, str) else (value or [])
    return [str(n).strip() for n in names if str(n).strip()]


class Directory:
    """The people of ``referral.directory`` (and the older ``referral.experts``)."""

    def __init__(self, people: list[Person], station_centre: str = "",
                 serves: dict[str, list[str]] | None = None) -> None:
        self.people = {p.login.casefold(): p for p in people}
        self.station_centre = station_centre
        self.served_by: dict[str, set[str]] = {}  # requesting centre -> reference centres
        for reference, centres in (serves or {}).items():
            for centre in centres:
                self.served_by.setdefault(centre.casefold(), set()).add(reference.casefold())

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> Directory:
        people = parse(settings.get(DIRECTORY) or {})
        known = {p.login.casefold() for p in people}
        people += [Person(n, expert=True) for n in _names(settings.get(EXPERTS))
                   if n.casefold() not in known]
        return cls(people, str(settings.get(CENTRE, "") or ""),
                   parse_serves(settings.get(SERVES) or {}))

    def sees_unaddressed(self, reference: str, requesting: str) -> bool:
        """Whether the experts of ``reference`` see a request addressed to no one from
        ``requesting``: when ``referral.serves`` names reference centres for it, only
        theirs; otherwise every expert's (no request lost). Compared without case."""
        serving = self.served_by.get(requesting.strip().casefold())
        return not serving or reference.strip().casefold() in serving

    def person(self, login: str) -> Person | None:
        return self.people.get(login.casefold())

    def is_expert(self, login: str) -> bool:
        p = self.person(login)
        return p is not None and p.expert

    def centre_of(self, login: str) -> str:
        """The user's centre from the directory, else the station's (``referral.centre``)."""
        p = self.person(login)
        return p.centre if p is not None and p.centre else self.station_centre

    def shown(self, login: str) -> str:
        p = self.person(login)
        return p.shown if p is not None else login

    def centres(self) -> list[str]:
        """The centres that have an expert in the directory (the request form's choices)."""
        return sorted({p.centre for p in self.people.values() if p.expert and p.centre},
                      key=str.casefold)

    def experts(self, centre: str = "") -> list[Person]:
        """The experts of ``centre`` (all with no centre given), by name."""
        return sorted((p for p in self.people.values() if p.expert and (
            not centre or p.centre.casefold() == centre.casefold())),
            key=lambda p: p.shown.casefold())


def reference_role(settings: SettingsLike, login: str) -> bool:
    """The reference centre's role: the station's (``referral.role``), or the signed-in
    user's as an expert of the directory (or of the older ``referral.experts``)."""
    return (settings.get(ROLE, READER_ROLE) == REFERENCE_ROLE
            or Directory.from_settings(settings).is_expert(login))


def parse(value: Any) -> list[Person]:
    """The people of a ``referral.directory`` value; a damaged entry is logged and skipped
    (a bad policy file must not stop the station)."""
    if not isinstance(value, dict):
        log.error("%s ignored: not a mapping of logins", DIRECTORY)
        return []
    people = []
    for login, entry in value.items():
        if not str(login).strip() or not isinstance(entry, dict):
            log.error("%s: an entry ignored (a login with a mapping expected)", DIRECTORY)
            continue
        people.append(Person(str(login).strip(), str(entry.get("name", "") or "").strip(),
                             str(entry.get("centre", "") or "").strip(),
                             bool(entry.get("expert", False))))
    return people


def parse_serves(value: Any) -> dict[str, list[str]]:
    """``referral.serves``'s value (reference centre -> served centres, a list or one
    comma-separated text); a damaged one is logged and skipped, as the directory's."""
    if not isinstance(value, dict):
        log.error("%s ignored: not a mapping of reference centres", SERVES)
        return {}
    found = {}
    for reference, centres in value.items():
        names = _names(centres) if isinstance(centres, (str, list)) else None
        if not str(reference).strip() or names is None:
            log.error("%s: an entry ignored (a centre with a list of centres expected)", SERVES)
            continue
        found[str(reference).strip()] = names
    return found


def to_setting(people: list[Person]) -> dict[str, dict[str, Any]]:
    """``referral.directory``'s value for these people (Settings' editor)."""
    return {p.login: p.as_dict() for p in people if p.login.strip()}


# -- the addressee: which requests an expert's queue shows ------------------------------------
FOR_EXPERT, FOR_CENTRE, UNADDRESSED = "expert", "centre", "unaddressed"


def addressee(data: dict[str, Any], centre: str, expert: str,
              directory: Directory | None = None) -> str | None:
    """Why a request (its SR's ``addressed_to`` centre, ``addressed_expert`` login and
    requesting ``centre``) is on the queue of ``expert`` at ``centre``: addressed to this
    expert (FOR_EXPERT), to this centre with no expert named (FOR_CENTRE), or to no one
    (UNADDRESSED, shown as such) from a centre this one serves (``directory``'s
    :meth:`Directory.sees_unaddressed`; every centre without a directory); None when it
    is another expert's or another centre's. Compared without case."""
    to_expert = str(data.get("addressed_expert", "") or "").strip()
    to_centre = str(data.get("addressed_to", "") or "").strip()
    if to_expert:
        return FOR_EXPERT if expert and to_expert.casefold() == expert.casefold() else None
    if to_centre:
        return FOR_CENTRE if centre and to_centre.casefold() == centre.casefold() else None
    if directory is not None and not directory.sees_unaddressed(
            centre, str(data.get("centre", "") or "")):
        return None
    return UNADDRESSED
