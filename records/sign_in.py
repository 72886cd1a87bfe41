"""Signing in to Luch: a login of the user directory and that user's PIN.

With the setting ``app.sign_in`` on (IT locks it in the station policy), the app asks at
start and after each sign-out who reads: a login of ``referral.directory``
(:mod:`records.directory`) and the PIN the idle lock asks for, a salted scrypt hash in the OS
keyring (:mod:`core.unlock_pin`; never in a file, never logged). The signed-in login is the
reader of the audit log, the reports and the requests, and an expert of the directory gets
the reference centre's menus. Off (the default), the reader is the OS login, as before.

Each attempt is audited: ``signed_in`` or ``sign_in_refused`` (why: an unknown login, no PIN
set, a wrong PIN, the keyring unreadable), and ``signed_out``; no PIN, and for an unknown
login not the typed text (it may be a PIN typed in the wrong field). Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core import unlock_pin
from records.directory import Directory, SettingsLike

SETTING = "app.sign_in"  # ask for a login and PIN at start and after sign-out
SIGNED_IN, SIGN_IN_REFUSED, SIGNED_OUT = "signed_in", "sign_in_refused", "signed_out"
UNKNOWN, NO_PIN, WRONG_PIN, KEYRING = "unknown-login", "no-pin", "wrong-pin", "keyring"


def required(settings: SettingsLike) -> bool:
    """Whether this station asks who reads (``app.sign_in``, off by default)."""
    return bool(settings.get(SETTING, False))


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt's outcome: the directory's login (its own spelling) when known,
    and why it was refused (empty when signed in)."""

    login: str
    refused: str = ""

    @property
    def ok(self) -> bool:
        return not self.refused

    def audit_detail(self) -> dict[str, Any]:
        """What the audit log keeps of it: the reason only (never the PIN)."""
        return {"source": "sign-in", **({"reason": self.refused} if self.refused else {})}


def check(directory: Directory, login: str, pin: str,
          load_hash: Callable[[str], str | None] = unlock_pin.load_pin_hash) -> Attempt:
    """Whether ``login`` (compared without case) is in ``directory`` and ``pin`` is its PIN."""
    person = directory.person(login.strip())
    if person is None:
        return Attempt("", UNKNOWN)
    try:
        stored = load_hash(person.login)
    except unlock_pin.PinError:
        return Attempt(person.login, KEYRING)
    if stored is None:
        return Attempt(person.login, NO_PIN)
    if not unlock_pin.verify_pin(pin, stored):
        return Attempt(person.login, WRONG_PIN)
    return Attempt(person.login)
