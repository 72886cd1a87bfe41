"""``luch encryption --status | --convert | --reset-keys [--set-aside] [--json]``."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "encryption", help="encryption at rest of this station's patient data",
        description="With the setting security.encrypt_at_rest (on by default when "
                    "station.profile is home; the station policy can lock it) the records "
                    "database is SQLCipher and cached images, drafts and dictation audio are "
                    "AES-256-GCM files; the station key is kept in the OS keyring only. "
                    "--status says what is encrypted; --convert encrypts what was written "
                    "before (the app does this at start); --reset-keys makes a new station "
                    "key and removes the cached images (fetched again from the archive), "
                    "refused while reports or other work are not yet sent.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--status", action="store_true", help="show what is encrypted")
    action.add_argument("--convert", action="store_true",
                        help="encrypt the database and files written before it was on")
    action.add_argument("--reset-keys", action="store_true",
                        help="a new station key (refused while work is unsent)")
    parser.add_argument("--set-aside", action="store_true",
                        help="with --reset-keys when the old key is lost: move the old "
                             "encrypted records aside (kept) and start anew")
    parser.add_argument("--json", action="store_true", help="print JSON (one object)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from app.commands._sealing import encryption_status, reset_keys, seal_home
    from records import open_store

    if args.status:
        status = encryption_status()
        if args.json:
            print(json.dumps(status.as_dict(), indent=1))
            return 0
        key = {True: "in the OS keyring", False: "missing", None: "no OS keyring"}
        print(f"encryption      {'on' if status.on else 'off'}"
              f"{' (locked by the station policy)' if status.locked_by_policy else ''}\n"
              f"station key     {key[status.key_in_keyring]}\n"
              f"database        {status.database}\n"
              f"plain files     {status.plain_files} (drafts, dictation audio, "
              "measurements, key images, word links)")
        if status.keyring_note:
            print(f"note            {status.keyring_note}")
        return 0
    if args.convert:
        open_store().close()  # converts a plain database once
        done = seal_home(force=True)
        print(json.dumps(done) if args.json else
              f"sealed {done['files']} files and {done['images']} cached images")
        return 0
    done = reset_keys(set_aside=args.set_aside)
    print(json.dumps(done) if args.json else
          f"keys reset; {done['images_removed']} cached images removed"
          + (f"; old records kept at {done['set_aside']}" if done["set_aside"] else ""))
    return 0
