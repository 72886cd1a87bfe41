"""Refresh the Qt Linguist translations: lupdate the .ts files from the sources, lrelease .qm.

    .venv/bin/python installer/update_translations.py

It first regenerates app/shell/error_catalog.py (the domain packages' error messages, see
installer/error_catalog.py). New strings appear in resources/i18n/luch_<lang>.ts as
unfinished; translate them in Qt Linguist (pyside6-linguist), by hand or with
installer/fill_translation.py, then run this again to compile the .qm files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("ru",)
BIN = Path(sys.executable).parent


def sources() -> list[Path]:
    """Every Python file whose strings the user sees (the Qt layers)."""
    return sorted(p.relative_to(ROOT) for folder in ("app", "viewer")
                  for p in (ROOT / folder).rglob("*.py") if "__pycache__" not in p.parts)


def lupdate(ts: Path) -> str:
    proc = subprocess.run([str(BIN / "pyside6-lupdate"), *map(str, sources()), "-no-obsolete",
                           "-ts", str(ts)], cwd=ROOT, capture_output=True, text=True, check=True)
    return proc.stdout + proc.stderr


def lrelease(ts: Path, qm: Path) -> str:
    proc = subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(qm)],
                          capture_output=True, text=True, check=True)
    return proc.stdout + proc.stderr


def main() -> None:
    sys.path.insert(0, str(ROOT / "installer"))
    import error_catalog  # the domain errors' message templates, as app/shell/error_catalog.py

    if error_catalog.write():
        print("app/shell/error_catalog.py updated")
    for lang in LANGUAGES:
        ts = I18N / f"luch_{lang}.ts"
        print(lupdate(ts).strip())
        print(lrelease(ts, ts.with_suffix(".qm")).strip())


if __name__ == "__main__":
    main()
