"""Numbers as the interface writes them: the decimal separator of its language (``10,2 мм``
in Russian), as the AI panel and the report write their values."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def decimal(value: float, decimals: int = 1) -> str:
    """``value`` with ``decimals`` places and the interface's decimal separator."""
    text = f"{float(value):.{decimals}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]  # a value that rounds to zero has no sign ("-0,0 мм" at the centre)
    # Translators: the decimal separator (Russian: a comma).
    separator = QCoreApplication.translate("Numbers", ".", "decimal separator")
    return text.replace(".", separator) if separator and separator != "." else text
