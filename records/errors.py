"""Errors of the records package; each carries a short message for the user and no PHI."""

from __future__ import annotations

from core.errors import LuchError


class RecordsError(LuchError):
    """A records operation failed in a way the user can act on."""


class StoreError(RecordsError):
    """The local database could not be opened or migrated."""


class InvalidTransition(RecordsError):
    """A report status change that the workflow does not allow (e.g. final -> draft)."""


class ProtocolError(RecordsError):
    """A protocol template is missing or malformed, or report fields do not match it.
    ``missing`` names the required fields left empty (to show and focus them)."""

    def __init__(self, message: str, missing: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.missing = missing


class ImportFormatError(RecordsError):
    """A line of a legacy report import file is malformed."""


class ReferralError(RecordsError):
    """A second-opinion or audit request or review that the workflow does not allow."""


class BlindReadError(ReferralError):
    """The first reader's report was asked for before the expert's own read was saved."""
