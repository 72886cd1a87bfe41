"""Report templates: named, data-defined sets of protocol field values.

``resources/protocols/templates/<protocol id>.yaml`` holds them; text values may be given
per report language. A new template needs only a new entry in that file. A value of ``null``
(or an empty list) clears its field: the normal chest clears every sign ticked before.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from records.errors import ProtocolError
from records.protocol import FIELD_TYPES, PROTOCOLS_DIR, Protocol

TEMPLATES_DIR = PROTOCOLS_DIR / "templates"


@dataclass(frozen=True)
class Template:
    key: str
    names: dict[str, list[str]]  # spoken names per language
    title: dict[str, str]
    fields: dict[str, Any]

    def values(self, lang: str) -> dict[str, Any]:
        """Field values, per-language texts resolved to ``lang``."""
        return {k: (v.get(lang) or next(iter(v.values())) if isinstance(v, dict) else v)
                for k, v in self.fields.items()}

    def matches(self, spoken: str) -> bool:
        spoken = " ".join(spoken.lower().split())
        return spoken == self.key or any(
            spoken == n.lower() for names in self.names.values() for n in names)


def load_templates(protocol: Protocol, folder: Path = TEMPLATES_DIR) -> list[Template]:
    """The protocol's templates (none if it has no file), checked against its fields."""
    path = folder / f"{protocol.id}.yaml"
    if not path.is_file():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        templates = [Template(key, item.get("names", {}), item.get("title", {}), item["fields"])
                     for key, item in (data.get("templates") or {}).items()]
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as err:
        raise ProtocolError(f"template file {path.name} is malformed ({err})") from err
    for template in templates:  # a bad key or value fails here, not when the reader signs
        for lang in ("ru", "en"):
            for key, value in template.values(lang).items():
                field = protocol.field(key)
                if value is not None:  # null clears the field
                    FIELD_TYPES[field.type][0](field, value)
    return templates


def find_template(templates: list[Template], spoken: str | None) -> Template | None:
    """The template called ``spoken``; the first one when nothing was said (insert button)."""
    if not templates:
        return None
    if not spoken:
        return templates[0]
    return next((t for t in templates if t.matches(spoken)), None)


def template_texts(templates: list[Template], key: str) -> set[str]:
    """Every text any template writes into field ``key``, in any language: text the reader
    did not write (a template inserted over another may replace it)."""
    texts = set()
    for template in templates:
        value = template.fields.get(key)
        texts.update(value.values() if isinstance(value, dict) else [value])
    return {t for t in texts if isinstance(t, str)}
