"""Where the archive address and credentials come from.

Headless runs (CI, ``luch sync`` as a service) use ``LUCH_ARCHIVE_URL``, ``LUCH_ARCHIVE_USER``
and ``LUCH_ARCHIVE_PASSWORD``; a workstation keeps the address in settings and the password in
the OS keyring. HTTPS is verified, optionally against a hospital CA bundle
(``LUCH_ARCHIVE_CA_BUNDLE`` or the ``archive.ca_bundle`` setting). Plain HTTP is refused except
to this machine (a local Orthanc), so credentials never cross the network in clear text.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import keyring
from keyring.errors import KeyringError

from archive.errors import ArchiveConfigError
from archive.transfer_syntax import (
    DEFAULT_PARALLEL,
    PARALLEL_KEY,
    TRANSFER_SYNTAXES_KEY,
    parallel_requests,
    preferred_uids,
)
from core.settings import Settings

KEYRING_SERVICE = "luch-archive"
ENV_URL, ENV_USER, ENV_PASSWORD = "LUCH_ARCHIVE_URL", "LUCH_ARCHIVE_USER", "LUCH_ARCHIVE_PASSWORD"
ENV_CA_BUNDLE = "LUCH_ARCHIVE_CA_BUNDLE"


@dataclass(frozen=True)
class ArchiveConfig:
    """The DICOMweb root (``https://pacs/dicom-web``), credentials and TLS verification."""

    url: str
    user: str = ""
    password: str = ""
    verify: bool | str = True  # True, or the path of a CA bundle
    timeout_s: float = 30.0
    #: transfer syntax UIDs to ask for, best first; what the archive stored comes last
    transfer_syntaxes: tuple[str, ...] = preferred_uids(None)
    parallel: int = DEFAULT_PARALLEL  # concurrent WADO-RS requests over one session

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ArchiveConfigError("the archive address must look like https://host/dicom-web")
        if parts.scheme == "http" and not _is_loopback(parts.hostname):
            raise ArchiveConfigError("the archive must be reached over https (http only to "
                                     "this machine)")
        if isinstance(self.verify, str) and not Path(self.verify).is_file():
            raise ArchiveConfigError("the CA bundle file for the archive does not exist")

    def __repr__(self) -> str:  # never print the password
        return f"ArchiveConfig(url={self.url!r}, user={self.user!r}, verify={self.verify!r})"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_config(settings: Settings | None = None) -> ArchiveConfig:
    """The archive config from the environment, else settings + keyring."""
    env_url = os.environ.get(ENV_URL)
    ca = os.environ.get(ENV_CA_BUNDLE)
    settings = settings or Settings()
    transfer = {"transfer_syntaxes": preferred_uids(settings.get(TRANSFER_SYNTAXES_KEY)),
                "parallel": parallel_requests(settings.get(PARALLEL_KEY))}
    if env_url:
        return ArchiveConfig(url=env_url.rstrip("/"), user=os.environ.get(ENV_USER, ""),
                             password=os.environ.get(ENV_PASSWORD, ""), verify=ca or True,
                             **transfer)
    url = settings.get("archive.url")
    if not url:
        raise ArchiveConfigError(f"no archive configured: set {ENV_URL} or archive.url in settings")
    user = settings.get("archive.user", "")
    password = ""
    if user:
        password = _keyring_password(url, user)
    return ArchiveConfig(url=url.rstrip("/"), user=user, password=password,
                         verify=ca or settings.get("archive.ca_bundle") or True, **transfer)


def _keyring_password(url: str, user: str) -> str:
    try:
        password = keyring.get_password(KEYRING_SERVICE, f"{user}@{url}")
    except KeyringError as err:
        raise ArchiveConfigError("the OS keyring could not be read for the archive password"
                                 ) from err
    if password is None:
        raise ArchiveConfigError("no archive password in the OS keyring; sign in to the archive "
                                 "once from the app, or set LUCH_ARCHIVE_PASSWORD")
    return password


def save_password(url: str, user: str, password: str) -> None:
    """Keep the archive password in the OS keyring (never in settings or logs)."""
    keyring.set_password(KEYRING_SERVICE, f"{user}@{url.rstrip('/')}", password)
