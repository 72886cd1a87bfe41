"""Screenshots of the main screens for README.md, made from the real app on the demo study.

    .venv/bin/python docs/make_screens.py

Each screen is a fresh ``luch`` process rendering offscreen (``--screenshot``) with its own
empty app data dir, so the pictures show what a new station shows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screens"

# file name -> (arguments, environment, settings)
SCREENS = {
    "reading.png": (["--demo"], {"LUCH_LANG": "en"}, {}),
    "reading-ru.png": (["--demo"], {"LUCH_LANG": "ru"}, {"report.language": "ru"}),
    "mpr-2x2.png": (["open", "resources/demo/chest-ct", "--layout", "2x2"], {"LUCH_LANG": "en"},
                    {"ai.autorun": False}),
    "mediastinum.png": (["open", "resources/demo/chest-ct", "--layout", "mpr", "--preset",
                         "mediastinum"], {"LUCH_LANG": "en"}, {"ai.autorun": False}),
}


def shoot(name: str, args: list[str], env: dict[str, str], settings: dict) -> Path:
    import json

    with tempfile.TemporaryDirectory() as home:
        Path(home, "settings.json").write_text(json.dumps(settings))
        out = OUT / name
        subprocess.run([sys.executable, "main.py", *args, "--screenshot", str(out)], cwd=ROOT,
                       env={**os.environ, "LUCH_HOME": home, **env}, check=True,
                       capture_output=True, timeout=600)
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (args, env, settings) in SCREENS.items():
        print(shoot(name, args, env, settings).relative_to(ROOT))


if __name__ == "__main__":
    main()
