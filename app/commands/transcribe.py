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
        help="whisper, pocketsphinx or vosk (default: the dictation.engine setting, else "
        "whisper; pocketsphinx or vosk, with a notice, if its model is missing)",
    )
    p.add_argument("--model", default=None, help="model folder (else the installed one)")
    p.add_argument("--lang", default="en", help="language: en, ru... (default en)")
    p.add_argument(
        "--grammar",
        default=None,
        choices=["commands"],
        help="restrict recognition to the voice commands",
    )
    p.add_argument(
        "--domain",
        default=None,
        choices=["general", "radiology"],
        help="PocketSphinx language model: general or radiology (default: radiology for "
        "English, as in the app)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # deferred: `luch --help` and the other commands do not load it
    import sys

    from dictation.options import open_recognizer
    from dictation.transcribe import read_audio, transcribe_with

    samples = read_audio(args.file)
    recognizer, engine, fallback = open_recognizer(
        args.lang, args.engine, args.model, args.grammar, args.domain
    )
    if fallback is not None:
        print(f"Whisper could not start ({fallback}); transcribed with {engine} instead",
              file=sys.stderr)
    result = transcribe_with(recognizer, samples, args.lang)
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(result.text)
    for command in result.commands:
        arg = f" {command.argument}" if command.argument else ""
        print(f"[{command.name}{arg}]")
    print(f"real-time factor {result.rtf:.3f} over {result.duration:.1f} s")
    return 0
