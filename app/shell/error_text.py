"""Domain error messages in the interface language.

The Qt-free packages raise errors with English messages. :func:`localize` matches a message
against the templates in :mod:`app.shell.error_catalog` (``"Not found: %1"``), translates the
template and puts the values back; the values themselves (file names, numbers, nested
messages) are localised too where they are messages. Unknown messages stay as they are.
"""

from __future__ import annotations

import re
from functools import lru_cache

from PySide6.QtCore import QCoreApplication

from app.shell.error_catalog import TEMPLATES

CONTEXT = "DomainError"
_SLOT = re.compile(r"%(\d+)")


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, str], ...]:
    """(regex, template), most literal text first, so specific templates win."""
    compiled = []
    for template in TEMPLATES:
        parts = _SLOT.split(template.replace("%%", "\0"))
        regex = "".join(re.escape(p.replace("\0", "%")) if i % 2 == 0 else f"(?P<s{p}>.+?)"
                        for i, p in enumerate(parts))
        literal = len(_SLOT.sub("", template))
        compiled.append((literal, re.compile(regex, re.DOTALL), template))
    compiled.sort(key=lambda item: -item[0])
    return tuple((pattern, template) for _, pattern, template in compiled)


def localize(message: str, _depth: int = 0) -> str:
    """``message`` in the interface language when its template is known and translated."""
    if not message or _depth > 2:
        return message
    for pattern, template in _patterns():
        match = pattern.fullmatch(message)
        if match is None:
            continue
        translated = QCoreApplication.translate(CONTEXT, template)
        if translated == template:
            return message  # English, or not translated yet
        values = {name[1:]: localize(value, _depth + 1)
                  for name, value in match.groupdict().items()}
        return _fill(translated, values)
    return message


def _fill(template: str, values: dict[str, str]) -> str:
    text = _SLOT.sub(lambda m: values.get(m.group(1), m.group(0)), template.replace("%%", "\0"))
    return text.replace("\0", "%")


def error_text(err: BaseException) -> str:
    """What to show the user for ``err`` (a LuchError's message, localised)."""
    return localize(str(err))
