"""Fixtures for records tests: a fresh store, an archive client for the test Orthanc."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient
from records import Store, open_store
from records.sync import Backoff, SyncEngine

FAST = Backoff(base_s=0.01, cap_s=0.05)
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = open_store(tmp_path / "records.sqlite3")
    yield s
    s.close()


def client_for(server, url: str | None = None) -> DicomWebClient:
    return DicomWebClient(ArchiveConfig(url=url or server.dicomweb_url, user=server.user,
                                        password=server.password, timeout_s=10))


def engine_for(store: Store, client: DicomWebClient, **kwargs) -> SyncEngine:
    kwargs.setdefault("backoff", FAST)
    return SyncEngine(store, client, **kwargs)
