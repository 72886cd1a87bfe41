"""Structured report protocols as data files, and report text generated from their fields.

A protocol (``resources/protocols/<id>.yaml``) lists fields with a type (choice, multi, bool,
number, text), their options with a label per language, and the sentence each field adds to
the report. A new protocol is a new file; field types are a registry, not an if-chain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from core.paths import RESOURCES
from records.errors import ProtocolError

PROTOCOLS_DIR = RESOURCES / "protocols"
LANGUAGES = ("ru", "en")


@dataclass(frozen=True)
class Field:
    key: str
    type: str
    label: dict[str, str]
    sentence: dict[str, str]
    options: dict[str, dict[str, str]]
    required: bool = False
    joins_previous: bool = False
    alone: dict[str, str] | None = None
    min: float | None = None
    max: float | None = None
    # Spoken aliases per option and language ("worse" for progression), and option pairs
    # that mean the opposite of each other (records.spoken).
    say: dict[str, dict[str, tuple[str, ...]]] = dataclass_field(default_factory=dict)
    opposites: tuple[tuple[str, str], ...] = ()


# type -> (validate(field, value) -> normalised value, render(field, value, lang) -> str | None)
Validator = Callable[[Field, Any], Any]
Renderer = Callable[[Field, Any, str], str | None]
FIELD_TYPES: dict[str, tuple[Validator, Renderer]] = {}


def field_type(name: str, render: Renderer) -> Callable[[Validator], Validator]:
    def register(validate: Validator) -> Validator:
        FIELD_TYPES[name] = (validate, render)
        return validate
    return register


def _option_label(f: Field, value: str, lang: str) -> str:
    return f.options[value].get(lang) or f.options[value]["en"]


@field_type("choice", lambda f, v, lang: _option_label(f, v, lang))
def _choice(f: Field, value: Any) -> Any:
    if value not in f.options:
        raise ProtocolError(f"{f.key}: {value!r} is not one of {', '.join(f.options)}")
    return value


@field_type("multi", lambda f, v, lang: ", ".join(_option_label(f, x, lang) for x in v) or None)
def _multi(f: Field, value: Any) -> Any:
    values = [value] if isinstance(value, str) else list(value)
    unknown = [v for v in values if v not in f.options]
    if unknown:
        raise ProtocolError(f"{f.key}: unknown option(s) {', '.join(map(str, unknown))}")
    return [v for v in f.options if v in values]  # protocol order, no duplicates


@field_type("bool", lambda f, v, lang: "" if v else None)
def _bool(f: Field, value: Any) -> Any:
    if not isinstance(value, bool):
        raise ProtocolError(f"{f.key}: expected yes/no")
    return value


def _number_text(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "ru" else text


@field_type("number", lambda f, v, lang: _number_text(v, lang))
def _number(f: Field, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(f"{f.key}: expected a number")
    if (f.min is not None and value < f.min) or (f.max is not None and value > f.max):
        raise ProtocolError(f"{f.key}: {value} is outside {f.min:g}..{f.max:g}")
    return value


@field_type("text", lambda f, v, lang: v.strip() or None)
def _text(f: Field, value: Any) -> Any:
    if not isinstance(value, str):
        raise ProtocolError(f"{f.key}: expected text")
    return value


@dataclass(frozen=True)
class Protocol:
    id: str
    version: int
    title: dict[str, str]
    fields: tuple[Field, ...]

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise ProtocolError(f"the protocol {self.id} has no field {key!r}")

    def validate(self, values: dict[str, Any], complete: bool = True) -> dict[str, Any]:
        """Checked, normalised field values; unknown keys and bad values are errors.

        ``complete`` also requires the required fields (for signing; a draft need not).
        """
        clean: dict[str, Any] = {}
        for key, value in values.items():
            f = self.field(key)
            if value is None:
                continue
            clean[key] = FIELD_TYPES[f.type][0](f, value)
        missing = [f.key for f in self.fields if f.required and f.key not in clean]
        if complete and missing:
            raise ProtocolError(f"required field(s) missing: {', '.join(missing)}",
                                missing=tuple(missing))
        return clean

    def render(self, values: dict[str, Any], lang: str = "ru", description: str = "") -> str:
        """The report text in ``lang`` from the field values (a partly filled form is fine).

        ``description`` (the reader's own text of the findings) is a paragraph of its own
        after the findings and before the first section that opens on a new line (the
        conclusion), where a report reads it; at the end when there is no such section."""
        if lang not in LANGUAGES:
            raise ProtocolError(f"no report language {lang!r}; use one of {', '.join(LANGUAGES)}")
        values = self.validate(values, complete=False)
        text, previous_written = "", False
        description = description.strip()
        for f in self.fields:
            rendered = None
            if f.key in values:
                rendered = FIELD_TYPES[f.type][1](f, values[f.key], lang)
            if rendered is None:
                previous_written = previous_written and f.joins_previous
                continue
            if description and f.sentence[lang].startswith("\n"):
                if text and not text.endswith((".", "\n")):
                    text += "."
                text += ("\n\n" if text else "") + description + "\n"
                description = ""
            if f.joins_previous and previous_written:
                text += f.sentence[lang].format(value=rendered)
            else:
                template = (f.alone or {}).get(lang) or f.sentence[lang]
                sentence = template.format(value=rendered).lstrip(", ")
                if text and not text.endswith((".", "\n")):
                    text += "."
                text += ("" if not text or sentence.startswith("\n") else " ") + sentence
            previous_written = True
        if text and not text.endswith("."):
            text += "."
        if description:
            text += ("\n\n" if text else "") + description
        return text.strip()


def _parse(data: dict[str, Any], source: str) -> Protocol:
    try:
        fields = tuple(Field(
            key=f["key"], type=f["type"], label=f["label"], sentence=f["sentence"],
            options={str(k): v for k, v in (f.get("options") or {}).items()},
            required=bool(f.get("required", False)), joins_previous=bool(f.get("joins_previous")),
            alone=f.get("alone"),
            min=f.get("min"), max=f.get("max"),
            say={str(k): {lang: tuple(v) for lang, v in names.items()}
                 for k, names in (f.get("say") or {}).items()},
            opposites=tuple((str(a), str(b)) for a, b in f.get("opposites") or ()))
            for f in data["fields"])
        protocol = Protocol(id=data["id"], version=int(data.get("version", 1)),
                            title=data["title"], fields=fields)
    except (KeyError, TypeError, ValueError) as err:
        raise ProtocolError(f"protocol file {source} is malformed ({err})") from err
    for f in fields:
        if f.type not in FIELD_TYPES:
            raise ProtocolError(f"protocol file {source}: field {f.key} has unknown type {f.type}")
        if any(lang not in f.sentence for lang in LANGUAGES):
            raise ProtocolError(f"protocol file {source}: field {f.key} lacks a sentence "
                                f"in every language")
        named = set(f.say) | {k for pair in f.opposites for k in pair}
        if named - set(f.options):
            raise ProtocolError(f"protocol file {source}: field {f.key} names no option "
                                f"{', '.join(sorted(named - set(f.options)))}")
    return protocol


def load_protocol_file(path: Path) -> Protocol:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ProtocolError(f"protocol file {path.name} cannot be read") from err
    return _parse(data, path.name)


def available_protocols(folder: Path = PROTOCOLS_DIR) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


@cache
def load_protocol(protocol_id: str, folder: Path = PROTOCOLS_DIR) -> Protocol:
    """The protocol with this id from ``resources/protocols``."""
    path = folder / f"{protocol_id}.yaml"
    if not path.is_file():
        raise ProtocolError(f"no protocol {protocol_id!r}; available: "
                            f"{', '.join(available_protocols(folder)) or 'none'}")
    return load_protocol_file(path)
