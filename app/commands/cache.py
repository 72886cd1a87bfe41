"""``luch cache --status | --wipe [--json]``: what the local image cache holds; empty it."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cache", help="show or empty the local image cache",
        description="The images fetched from the archive are cached on this station. "
                    "--status shows the folder, studies, images, size, the oldest study's "
                    "age, partly cached studies (by a short hash, not by UID) and how many "
                    "images are encrypted at rest. --wipe removes the cached images only: "
                    "never the database, drafts, dictation audio or reports not yet sent; "
                    "studies with unsent work keep their images.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--status", action="store_true", help="show what is cached")
    action.add_argument("--wipe", action="store_true",
                        help="remove the cached images and say what was freed")
    parser.add_argument("--json", action="store_true", help="print JSON (one object)")
    parser.set_defaults(run=run)


def _mb(size: int) -> str:
    return f"{size / 1024**2:.1f} MB"


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    from app.commands._audit import audit_access
    from archive.cache import ImageCache
    from archive.cache_policy import CACHE_WIPED, cache_status, wipe
    from records import open_store

    cache = ImageCache()
    if args.status:
        status = cache_status(cache)
        if args.json:
            print(json.dumps(status.as_dict(), indent=1))
            return 0
        age = "-" if status.oldest_age_days is None else f"{status.oldest_age_days:.1f} days"
        print(f"folder          {status.folder}\n"
              f"studies         {status.studies} ({status.complete} complete, "
              f"{len(status.partial)} partly cached)\n"
              f"images          {status.images}\n"
              f"size            {_mb(status.bytes)}\n"
              f"oldest study    {age} since last use\n"
              f"encryption      {'on' if status.encryption else 'off'}, "
              f"{status.images - status.plain_images} images encrypted, "
              f"{status.plain_images} plain")
        for p in status.partial:
            print(f"partly cached   {p.study}: {p.cached} of {p.expected or '?'} images")
        return 0
    store = open_store()
    try:
        keep = store.unsent_study_uids()
    finally:
        store.close()
    before = set(cache.studies())
    freed = wipe(cache, keep=keep)
    left = set(cache.studies())
    audit_access(CACHE_WIPED, before - left, images=freed.images, bytes=freed.bytes)
    kept = len(keep & left)
    if args.json:
        print(json.dumps({**freed.as_dict(), "kept_unsent": kept}, indent=1))
        return 0
    print(f"freed {_mb(freed.bytes)}: {freed.studies} studies, {freed.images} images"
          + (f"; kept {kept} studies with unsent work" if kept else ""))
    return 0
