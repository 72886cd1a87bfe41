"""``luch transcribe FILE.wav``: run a speech engine over a recording, print text and commands."""

from __future__ import annotations

import argparse
import json


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "transcribe",
        help="transcribe a recording with a speech engine",
        description="Transcribe a sound file as live dictation would: "
        "text, voice commands, word times, real-time factor.",
    )
    p.add_argument("file", help="sound file (WAV, FLAC...; any rate, mixed to 16 kHz mono)")
    p.add_argument(
        "--engine",
        default=None,
        help="pocketsphinx or vosk (default: the dictation.engine setting, else pocketsphinx)",
    )
    p.add_argument("--model", default=None, help="model folder (Vosk: else the installed one)")
    p.add_argument("--lang", default="en", help="language: en, ru... (default en)")
    p.add_argument(
        "--grammar",
        default=None,
        choices=["commands"],
        help="restrict recognition to the voice commands",
    )
    p.add_argument(
        "--domain",
        default="general",
        choices=["general", "radiology"],
        help="language model: general (default) or radiology (PocketSphinx)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dictation.engines import configured_engine
    from dictation.options import build_options
    from dictation.transcribe import transcribe_file

    options = build_options(args.lang, args.model, args.grammar, domain=args.domain)
    result = transcribe_file(args.file, args.engine or configured_engine(), options)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    for command in result.commands:
        arg = f" {command.argument}" if command.argument else ""
        print(f"[{command.name}{arg}]")
    print(f"real-time factor {result.rtf:.3f} over {result.duration:.1f} s")
    return 0
