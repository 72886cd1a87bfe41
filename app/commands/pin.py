"""``luch pin LOGIN [--remove]``: set (or remove) a user's PIN on this station: the PIN the
sign-in (``app.sign_in``) and the idle lock ask for, a salted hash in the OS keyring."""

from __future__ import annotations

import argparse
import getpass


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "pin", help="set a user's sign-in and unlock PIN on this station",
        description="Set (asked twice, never echoed) or remove the PIN of LOGIN, a login of "
                    "the user directory (referral.directory): the sign-in and the idle lock "
                    "ask for it. Only a salted hash is kept, in the OS keyring.")
    parser.add_argument("login", help="the user's login in the directory")
    parser.add_argument("--remove", action="store_true", help="remove the PIN instead")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load them
    from core import unlock_pin
    from core.errors import LuchError
    from core.settings import Settings
    from records.directory import Directory

    person = Directory.from_settings(Settings()).person(args.login.strip())
    if person is None:
        raise LuchError(f"no such login in the user directory: {args.login.strip()}")
    if args.remove:
        unlock_pin.save_pin(person.login, None)
        print(f"PIN removed for {person.login}")
        return 0
    pin = getpass.getpass(f"New PIN for {person.login}: ")
    if getpass.getpass("Again: ") != pin:
        raise LuchError("the two PINs differ")
    unlock_pin.save_pin(person.login, pin)
    print(f"PIN set for {person.login}")
    return 0
