"""Error types of the pre-read service."""

from __future__ import annotations

from core.errors import LuchError


class PreReadServiceError(LuchError):
    """The service cannot run as asked (a bad shard, a shard held by another process)."""
