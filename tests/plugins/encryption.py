"""A data folder with encryption at rest on, its station key in an in-memory keyring (or
one in a file that worker processes share)."""

from __future__ import annotations

import json

import pytest

from core import private_names, vault


def _sealed(luch_home):
    """``LUCH_HOME`` with ``security.encrypt_at_rest`` on, for the fixtures below."""
    luch_home.mkdir(parents=True, exist_ok=True)
    (luch_home / "settings.json").write_text(json.dumps({vault.SETTING: True}))
    vault.clear_cache()
    private_names.forget()
    yield luch_home
    from studies.volume_cache import wait_written  # deferred: only tests that seal need it

    wait_written()  # a decoded-volume entry written after an open, before the home goes
    vault.clear_cache()
    private_names.forget()


@pytest.fixture
def encrypted_home(luch_home, memory_keyring):
    """``LUCH_HOME`` with ``security.encrypt_at_rest`` on; the KEK lives in ``memory_keyring``."""
    yield from _sealed(luch_home)


@pytest.fixture
def shared_encrypted_home(luch_home, shared_keyring):
    """The same, with the KEK in a keyring file that worker processes share."""
    yield from _sealed(luch_home)
