"""Text over images kept legible: a dark outline (shadow) and a faint dark box behind it,
so corner text and measurement values read over bone, contrast and metal alike; drawn in a
font with Cyrillic (VTK's built-in fonts are Latin only, so Russian text would vanish)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

from viewer import vtk_api as vtk

# Fonts with Latin and Cyrillic glyphs, by platform, tried in order.
_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  # Debian/Ubuntu fonts-dejavu-core
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",  # Fedora
    "/usr/share/fonts/TTF/DejaVuSans.ttf",  # Arch
    "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "/Library/Fonts/Arial.ttf",
)


@lru_cache(maxsize=1)
def font_file() -> str | None:
    """A TrueType font with Cyrillic on this machine (None: VTK's own Latin-only font)."""
    for candidate in _CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    if shutil.which("fc-match") and sys.platform.startswith("linux"):
        try:
            found = subprocess.run(["fc-match", "-f", "%{file}", "sans:lang=ru"],
                                   capture_output=True, text=True, timeout=5).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return None
        if found.lower().endswith((".ttf", ".otf")) and Path(found).is_file():
            return found
    return None


def outline(prop: vtk.vtkTextProperty) -> vtk.vtkTextProperty:
    """Give ``prop`` a black shadow, a half-opaque black background and a font with
    Cyrillic; returns it."""
    prop.ShadowOn()
    prop.SetShadowOffset(1, -1)
    prop.SetBackgroundColor(0.0, 0.0, 0.0)
    prop.SetBackgroundOpacity(0.55)
    path = font_file()
    if path is not None:
        prop.SetFontFamily(prop.GetFontFamilyFromString("File"))
        prop.SetFontFile(path)
    return prop
