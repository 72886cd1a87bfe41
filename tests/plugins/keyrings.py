"""OS keyring stand-ins below the ``keyring`` seam: one in memory, one that always fails, and
one in a file that a worker process shares (``shared_keyring``)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring
import pytest
from jaraco.classes import properties
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in this process only (no file, no OS service)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.passwords.get((service, username))

    def set_password(self, service, username, password):
        self.passwords[(service, username)] = password

    def delete_password(self, service, username):
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class FileKeyring(MemoryKeyring):
    """A keyring in the JSON file named by ``LUCH_TEST_KEYRING``, so that a child process
    given ``PYTHON_KEYRING_BACKEND=tests.plugins.keyrings.FileKeyring`` sees the same keys
    (the OS keyring's part for a station and its worker processes)."""

    @properties.classproperty
    def priority(cls) -> float:  # viable only where a test named its file
        if "LUCH_TEST_KEYRING" not in os.environ:
            raise RuntimeError("no LUCH_TEST_KEYRING")
        return 1

    @property
    def file(self) -> Path:
        return Path(os.environ["LUCH_TEST_KEYRING"])

    def _all(self) -> dict:
        return json.loads(self.file.read_text()) if self.file.exists() else {}

    def get_password(self, service, username):
        return self._all().get(f"{service}\0{username}")

    def set_password(self, service, username, password):
        items = self._all()
        items[f"{service}\0{username}"] = password
        self.file.write_text(json.dumps(items))

    def delete_password(self, service, username):
        items = self._all()
        if items.pop(f"{service}\0{username}", None) is None:
            raise PasswordDeleteError(username)
        self.file.write_text(json.dumps(items))


@pytest.fixture
def shared_keyring(tmp_path, monkeypatch):
    """A :class:`FileKeyring` for this process and the processes it starts."""
    monkeypatch.setenv("LUCH_TEST_KEYRING", str(tmp_path / "keyring.json"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{__name__}.FileKeyring")
    previous = keyring.get_keyring()
    backend = FileKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def failing_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)
