"""Errors the AI pre-read raises, each with a message a radiologist can act on."""

from core.errors import LuchError


class InferenceError(LuchError):
    """The AI pre-read could not run or finish."""


class WeightsError(InferenceError):
    """The model weights are missing, damaged or do not match the network."""


class AnalysisCancelled(InferenceError):
    """The user cancelled the AI pre-read; nothing was written."""


class DicomOutputError(InferenceError):
    """A DICOM SEG or SR could not be made (e.g. the source is not DICOM)."""
