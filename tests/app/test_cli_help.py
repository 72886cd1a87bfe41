"""The command line's help texts, as ``luch --help`` and ``luch COMMAND --help`` print them."""

from __future__ import annotations

import argparse

from app.cli import build_parser


def _helps() -> dict[str, str]:
    parser = build_parser()
    texts = {"luch": parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            texts |= {name: sub.format_help() for name, sub in action.choices.items()}
    return texts


def test_no_help_text_shows_a_doubled_percent_sign() -> None:
    """argparse expands ``%%`` in help strings but not in descriptions."""
    doubled = [name for name, text in _helps().items() if "%%" in text]
    assert not doubled, f"'%%' printed in the help of {doubled}"


def test_analyze_says_percent_involvement_in_both_helps() -> None:
    helps = _helps()
    assert "% involvement and CT-0..CT-4" in " ".join(helps["luch"].split())
    assert "measure % involvement" in " ".join(helps["analyze"].split())
