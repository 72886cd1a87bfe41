"""A registry of speech engines behind :class:`~dictation.engines.base.Recognizer`.

Engines register a factory under a name; callers pick one by name (from settings or the
command line) without knowing the engine's library. Engine libraries are imported lazily,
when a recogniser is first created.
"""

from __future__ import annotations

from dictation.engines.base import SAMPLE_RATE, EngineOptions, EngineSpec, Recognizer
from dictation.errors import EngineError

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINE_SETTING",
    "FALLBACK_ENGINE",
    "SAMPLE_RATE",
    "EngineOptions",
    "EngineSpec",
    "Recognizer",
    "available_engines",
    "configured_engine",
    "create_recognizer",
    "register_engine",
]

# Whisper where its model is installed; dictation.options.open_recognizer falls back to
# PocketSphinx (English) or Vosk, with a notice, where it cannot start.
DEFAULT_ENGINE = "whisper"
FALLBACK_ENGINE = {"en": "pocketsphinx"}  # other languages: vosk (an installed model)
ENGINE_SETTING = "dictation.engine"


def configured_engine() -> str:
    """The engine chosen in settings (``dictation.engine``), else the built-in default."""
    from core.settings import Settings

    return Settings().get(ENGINE_SETTING) or DEFAULT_ENGINE


_ENGINES: dict[str, EngineSpec] = {}


def register_engine(spec: EngineSpec) -> None:
    _ENGINES[spec.name] = spec


def available_engines() -> dict[str, EngineSpec]:
    _load_builtin()
    return dict(_ENGINES)


def create_recognizer(
    name: str = DEFAULT_ENGINE, options: EngineOptions | None = None
) -> Recognizer:
    """Build a recogniser of engine ``name``; :class:`EngineError` says what is wrong."""
    engines = available_engines()
    spec = engines.get(name)
    if spec is None:
        raise EngineError(f"unknown speech engine {name!r}; choose one of: {', '.join(engines)}")
    options = options or EngineOptions()
    if "*" not in spec.languages and options.lang not in spec.languages:
        raise EngineError(
            f"{spec.title} has no model for language {options.lang!r} "
            f"(it serves: {', '.join(spec.languages)}); install a Vosk model for it"
        )
    return spec.factory(options)


def _load_builtin() -> None:
    if _ENGINES:
        return
    from dictation.engines import pocketsphinx_engine, vosk_engine, whisper_engine

    register_engine(whisper_engine.SPEC)
    register_engine(pocketsphinx_engine.SPEC)
    register_engine(vosk_engine.SPEC)
