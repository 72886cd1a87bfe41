"""Names a command's argument is matched with: protocol fields and report templates.

Read straight from the data files (``resources/protocols/*.yaml`` labels and keys,
``resources/protocols/templates/*.yaml`` names and keys), every language, so "go to field
conclusion", "перейти к полю заключение" and "insert template normal chest" are known
names. The spoken forms of the protocols' values (:func:`value_names`) are what a command
must not be taken from by a margin.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from core.paths import RESOURCES

PROTOCOLS_DIR = RESOURCES / "protocols"


def field_names(folder: Path = PROTOCOLS_DIR) -> tuple[str, ...]:
    """Every field label (all languages) and key of the protocols in ``folder``."""
    out: list[str] = []
    for data in _files(Path(folder)):
        for field in data.get("fields") or []:
            if isinstance(field, dict):
                out += [str(v) for v in (field.get("label") or {}).values()]
                out.append(str(field.get("key", "")).replace("_", " "))
    return tuple(n for n in dict.fromkeys(out) if n.strip())


def field_labels(lang: str, folder: Path = PROTOCOLS_DIR) -> tuple[tuple[str, str], ...]:
    """(field key, label) of every field of the protocols in ``folder``, in ``lang``."""
    out: list[tuple[str, str]] = []
    for data in _files(Path(folder)):
        for field in data.get("fields") or []:
            if isinstance(field, dict) and (field.get("label") or {}).get(lang):
                out.append((str(field.get("key", "")), str(field["label"][lang])))
    return tuple(dict.fromkeys(out))


def value_names(lang: str, folder: Path = PROTOCOLS_DIR) -> tuple[str, ...]:
    """What picks a value of a choice or tick-list field by voice in ``lang``, in the
    protocols in ``folder``: each option's label, the label before its parenthesis («КТ-1»
    of «КТ-1 (лёгкая форма...)»), and its spoken aliases (``say``: «лучше», "worse")."""
    out: list[str] = []
    for data in _files(Path(folder)):
        for field in data.get("fields") or []:
            if not isinstance(field, dict) or field.get("type") not in ("choice", "multi"):
                continue
            say = field.get("say") or {}
            for option, names in (field.get("options") or {}).items():
                label = str((names or {}).get(lang) or "")
                out += [label, label.split("(", 1)[0]]
                out += [str(a) for a in ((say.get(option) or {}).get(lang) or [])]
    return tuple(n.strip() for n in dict.fromkeys(out) if n.strip())


def template_names(folder: Path = PROTOCOLS_DIR / "templates") -> tuple[str, ...]:
    """Every spoken template name (all languages) and key in ``folder``."""
    out: list[str] = []
    for data in _files(Path(folder)):
        for key, item in (data.get("templates") or {}).items():
            for names in ((item or {}).get("names") or {}).values():
                out += [str(n) for n in names]
            out.append(str(key))
    return tuple(n for n in dict.fromkeys(out) if n.strip())


@lru_cache(maxsize=8)
def _files(folder: Path) -> tuple[dict, ...]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue  # a broken protocol file is reported where it is loaded (records)
        if isinstance(data, dict):
            out.append(data)
    return tuple(out)
