"""Fill unfinished entries of a .ts file from a JSON {source: translation} file.

    .venv/bin/python installer/fill_translation.py resources/i18n/luch_ru.ts new.json

A helper for translating in bulk without Qt Linguist; prints sources still missing.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

UNFINISHED = re.compile(
    r"<source>([^<]*)</source>(\s*)<translation type=\"unfinished\"></translation>")


def fill(ts: Path, translations: dict[str, str]) -> list[str]:
    missing: list[str] = []

    def one(match: re.Match) -> str:
        source = html.unescape(match.group(1))
        if source not in translations:
            missing.append(source)
            return match.group(0)
        text = html.escape(translations[source], quote=False)
        return f"<source>{match.group(1)}</source>{match.group(2)}<translation>{text}</translation>"

    ts.write_text(UNFINISHED.sub(one, ts.read_text(encoding="utf-8")), encoding="utf-8")
    return missing


if __name__ == "__main__":
    left = fill(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
    print("\n".join(f"missing: {s}" for s in left) or "all filled")
