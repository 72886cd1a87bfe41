"""docs/reading.md lists every key and mouse action as the app has them now."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_reading_doc_is_current(qapp, luch_home, monkeypatch):
    monkeypatch.setenv("LUCH_LANG", "en")
    spec = importlib.util.spec_from_file_location("make_reading", ROOT / "docs" / "make_reading.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    text = tool.build()
    assert "| Window: lung | 1 | View |" in text and "| Right click |" in text
    assert (ROOT / "docs" / "reading.md").read_text(encoding="utf-8") == text, \
        "docs/reading.md is stale: run docs/make_reading.py"
