"""The reader's unlock PIN for the idle lock: a salted scrypt hash kept in the OS keyring.

Never in the settings file or the logs. Wrong guesses are throttled: after
``FREE_ATTEMPTS`` failures every further try waits, doubling up to ``MAX_WAIT_S``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
import time

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

from core.errors import LuchError

KEYRING_SERVICE = "luch-lock"
MIN_LENGTH = 4
FREE_ATTEMPTS = 5
FIRST_WAIT_S = 30.0
MAX_WAIT_S = 300.0
_N, _R, _P = 2**14, 8, 1


class PinError(LuchError):
    """The PIN cannot be set or read (too short, or the OS keyring refused)."""


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$digest`` (base64 parts) for a new PIN."""
    check_new_pin(pin)
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches ``stored`` (from :func:`hash_pin`); constant-time compare."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(pin.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(want))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, want)


def check_new_pin(pin: str) -> None:
    if len(pin) < MIN_LENGTH or not pin.strip():
        raise PinError(f"the PIN needs at least {MIN_LENGTH} characters")


def _account(user: str) -> str:
    return user or "station"


def load_pin_hash(user: str) -> str | None:
    """The stored hash for ``user``, or None when no PIN is set. PinError if the keyring fails."""
    try:
        return keyring.get_password(KEYRING_SERVICE, _account(user))
    except KeyringError as err:
        raise PinError(f"the OS keyring cannot be read ({type(err).__name__})") from err


def save_pin(user: str, pin: str | None) -> None:
    """Set (or, with None, remove) ``user``'s PIN in the keyring. PinError on failure."""
    try:
        if pin is None:
            with contextlib.suppress(PasswordDeleteError):  # none was set
                keyring.delete_password(KEYRING_SERVICE, _account(user))
        else:
            keyring.set_password(KEYRING_SERVICE, _account(user), hash_pin(pin))
    except KeyringError as err:
        raise PinError(f"the OS keyring cannot keep the PIN ({type(err).__name__})") from err


class Throttle:
    """Counts wrong PINs; :meth:`wait_s` says how long until the next try is allowed."""

    def __init__(self, clock=time.monotonic) -> None:
        self._clock = clock
        self.failures = 0
        self._next_try = 0.0

    def wait_s(self) -> float:
        return max(0.0, self._next_try - self._clock())

    def failed(self) -> None:
        self.failures += 1
        extra = self.failures - FREE_ATTEMPTS
        if extra >= 0:
            self._next_try = self._clock() + min(MAX_WAIT_S, FIRST_WAIT_S * 2**extra)

    def succeeded(self) -> None:
        self.failures, self._next_try = 0, 0.0
