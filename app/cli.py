"""The ``luch`` command line (also ``python main.py``)."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import commands
from app.commands.open import run_app  # light: heavy imports wait in run_app
from app.version import version_text
from core.errors import LuchError
from core.logging import setup_logging
from core.paths import app_subdir

log = logging.getLogger(__name__)


class _VersionAction(argparse.Action):
    """``--version``: built only when asked (it reads the model registry)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS,
                 help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(version_text())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="luch",
        description="Luch CT reading workstation. Without a command, opens the app.",
    )
    parser.add_argument("--demo", action="store_true",
                        help="open the app on the bundled demo study")
    parser.add_argument("--screenshot", metavar="FILE",
                        help="render offscreen, save a PNG of the window and exit")
    parser.add_argument("--version", action=_VersionAction,
                        help="print the app, AI model and speech model versions and the "
                        "git commit, then exit")
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.register_all(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    handler = getattr(args, "run", None)
    try:
        if handler is None:
            return run_app(path=None, demo=args.demo, screenshot=args.screenshot,
                           startup_probe=args.startup_probe, end_process=True)
        return int(handler(args) or 0)
    except LuchError as err:
        print(f"luch: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception:  # the last line of defence: log, tell, exit non-zero
        log.exception("unexpected error in command %s", args.command)
        print(f"luch: unexpected error; details are in {app_subdir('logs')}", file=sys.stderr)
        return 1
