"""A registry of speech engines behind :class:`~dictation.engines.base.Recognizer`.

Each engine module registers its factory under a name (:func:`register_engine`, at its
import); callers pick one by name (from settings or the command line) without knowing the
engine's library. The built-in engine modules are imported when an engine is first wanted.
Imports inside dictation/ go one way (pyproject.toml's dictation contract): the engines
import the package's lower modules, never this registry's users.
"""

from __future__ import annotations

from core.settings import Settings
from dictation.engines.base import (
    SAMPLE_RATE,
    EngineOptions,
    EngineSpec,
    Recognizer,
    register_engine,
    registered_engines,
)
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
    return Settings().get(ENGINE_SETTING) or DEFAULT_ENGINE


def available_engines() -> dict[str, EngineSpec]:
    """The built-in engines and any other registered one, by name."""
    _load_builtin()
    return registered_engines()


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
    """Import the built-in engine modules (each registers itself)."""
    # Deferred: keeps start-up fast (numpy, PocketSphinx and Vosk load when dictation starts).
    from dictation.engines import pocketsphinx_engine, vosk_engine, whisper_engine  # noqa: F401
