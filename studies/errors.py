"""Errors the studies package raises, each with a message a radiologist can act on."""

from core.errors import LuchError


class StudyError(LuchError):
    """A study or series could not be read; ``str(err)`` is short and user-readable."""


class NoSeriesFound(StudyError):
    """The path holds no readable image series."""


class UnsupportedData(StudyError):
    """The data is valid but of a kind Luch cannot show (e.g. colour, no geometry)."""


class DamagedFile(StudyError):
    """A file is truncated or corrupt, so its pixels cannot be decoded."""


class SealedFileDamaged(DamagedFile):
    """An encrypted cached file fails its check (changed, swapped, or another key); the
    archive still holds the study, so it can be fetched again."""


class LoadCancelled(StudyError):
    """The user cancelled loading."""


def is_fatal(err: BaseException) -> bool:
    """Exceptions that must propagate even through a decoder guard.

    Rust-based decoders raise ``pyo3_runtime.PanicException`` (a ``BaseException``) on some
    corrupt input; that one is a damaged file, not a reason to quit.
    """
    return isinstance(err, KeyboardInterrupt | SystemExit | GeneratorExit)
