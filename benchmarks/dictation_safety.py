"""The command rules on cached Whisper decodes: commands exact on the command sets, commands
taken from dictation ("stray") on the dictation sets, and which utterances a change moved.

    .venv/bin/python benchmarks/dictation_safety_decodes.py DECODES.json   # once, slow
    .venv/bin/python benchmarks/dictation_safety.py DECODES.json > now.txt
    (the same in a checkout of the code before the change) > before.txt; diff them

What the app takes from a decode, as the engine and the session do: the scorer's cached
phrase replaces the text when the code's rules let it (a decode the text matcher finds no
command in, and, where the code has them, that says no protocol value and whose phrase is
not held to its words (``CommandSet.destructive``: signing and undo since h18, the deleting
commands too in h17) unless the decode is the whole phrase nearly as written), then the text
matcher (``command_of``). The scorer's own pick is the one cached (before that rule), so only
the rules around it are weighed here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dictation.command_score import command_of
from dictation.command_scorer import CommandScorer, written
from dictation.commands import CommandSet
from dictation.options import command_phrases


def taken(row: dict, commands: CommandSet, does: dict[str, str], scorer) -> str | None:
    """The command(s) the app takes from one cached decode (None: text); ``scorer``: a
    :class:`CommandScorer` without a model (its rules only)."""
    text, choice = row["text"], row["choice"]
    names_value = getattr(commands, "names_value", lambda _w: False)
    untaken = getattr(commands, "destructive", frozenset())
    whole = getattr(scorer, "whole_phrase", lambda _t, _p: False)
    if choice and choice["phrase"] and command_of(text, commands) is None \
            and not names_value(text.split()) \
            and (does.get(choice["phrase"], "").split(":", 1)[0] not in untaken
                 or whole(text, choice["phrase"])):
        text = written(choice["phrase"]).strip()
    return command_of(text, commands)


class _NoTokens:
    """The scorer's tokenizer, unused here (its rules need the phrases only)."""

    eot = 0

    def encode(self, text: str) -> list[int]:
        return []


def main() -> int:
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    sets = {lang: (CommandSet(lang), dict(command_phrases(lang))) for lang in ("en", "ru")}
    scorers = {lang: CommandScorer(None, _NoTokens(), command_phrases(lang), lang)
               for lang in ("en", "ru")}
    for name, rows in data.items():
        exact = stray = 0
        for row in rows:
            commands, does = sets[row["lang"]]
            got = taken(row, commands, does, scorers[row["lang"]])
            if row["kind"] == "commands":
                want = command_of(row["ref"], commands)
                exact += got == want
            else:
                want = None
                stray += got is not None
            print(f"  {name} | {row['ref']!r} -> {row['text']!r} -> {got}"
                  + ("" if got == want else "   (not as said)"))
        figure = (f"commands exact {exact}/{len(rows)}" if rows[0]["kind"] == "commands"
                  else f"stray commands {stray} of {len(rows)} utterances")
        print(f"{name}: {figure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
