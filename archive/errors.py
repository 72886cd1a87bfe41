"""Archive errors: what went wrong talking to the central archive, without PHI."""

from __future__ import annotations

from core.errors import LuchError


class ArchiveError(LuchError):
    """The archive could not do what was asked."""


class ArchiveUnavailable(ArchiveError):
    """The archive or the network is down or overloaded; retrying later may work."""


class ArchiveAuthError(ArchiveError):
    """The archive refused the credentials (HTTP 401/403)."""


class ArchiveRejected(ArchiveError):
    """The archive refused a request or an object for a reason retrying will not fix."""


class ArchiveConfigError(ArchiveError):
    """The archive address or credentials are missing or unsafe."""
