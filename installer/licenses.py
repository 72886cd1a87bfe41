"""Write the package's LICENSES file: a fixed head (data attributions) and one line per wheel
with the licence its metadata declares.

    python installer/licenses.py WHEELHOUSE OUT_FILE
"""

from __future__ import annotations

import email.parser
import sys
import zipfile
from pathlib import Path

HEAD = Path(__file__).resolve().parent / "deb" / "LICENSES.head"


def wheel_licence(wheel: Path) -> tuple[str, str, str]:
    """(name, version, licence) from a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8", "replace"),
                                              headersonly=True)
    licence = meta.get("License-Expression") or ""
    if not licence:
        text = (meta.get("License") or "").strip()
        licence = text.splitlines()[0][:80] if text and len(text) < 200 else ""
        licence = "" if licence.upper() == "UNKNOWN" else licence
    if not licence:
        classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                       if c.startswith("License ::")]
        licence = "; ".join(classifiers)
    return meta["Name"], meta["Version"], licence or "see the licence file in its .dist-info"


def main(wheelhouse: str, out: str) -> int:
    rows = sorted((wheel_licence(w) for w in Path(wheelhouse).glob("*.whl")),
                  key=lambda r: r[0].lower())
    lines = [f"{name} {version}: {licence}" for name, version, licence in rows]
    Path(out).write_text(HEAD.read_text(encoding="utf-8") + "\n".join(lines) + "\n",
                         encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
