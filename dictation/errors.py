"""Errors the dictation layer reports to the user (all :class:`core.errors.LuchError`)."""

from __future__ import annotations

from core.errors import LuchError


class DictationError(LuchError):
    """Dictation cannot go on; the message says why and what to do."""


class EngineError(DictationError):
    """A speech engine is missing, unknown or cannot load its model."""


class ModelError(DictationError):
    """A speech model folder or archive is not usable; the message says what is wrong."""


class GrammarError(DictationError):
    """A command grammar cannot be built (e.g. a phrase uses a word the engine does not know)."""


class AudioDeviceError(DictationError):
    """The microphone cannot be opened or was lost mid-dictation."""


class RecognizerFailedError(DictationError):
    """The speech recogniser kept failing after restarts; dictation stopped, audio kept."""
