"""One study through the service: find its CT series, skip it if the archive already holds
its pre-read by this model version, else fetch the series, pre-read it, build the SEG, the
TID 1500 SR and the flat AI SR, and store those the archive still lacks (STOW-RS).

The fetched images are sealed (AES-256-GCM) in the temporary folder under a key kept in
this process's memory only: no plain copy of a study on the server's disk, even for the
minutes of its pre-read or after a crash. The archive is checked again just before
storing, and only missing objects are sent: a restart after kill -9 between two stores, or a
second process that got there first, sends nothing twice.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path

from archive.credentials import ArchiveConfig
from archive.dicomweb import DicomWebClient, dataset_bytes, tag_value
from archive.errors import ArchiveRejected
from core import crypto
from inference.dicom_out import source_datasets
from inference.preread import PreReadOptions, analyze
from prereads.archived import SOP_UID, PreReadIds, locate, present
from prereads.outputs import build_outputs
from studies import open_volume

log = logging.getLogger(__name__)
FETCH_THREADS = 4
FETCH_STORED, FETCH_COMPRESSED = "stored", "compressed"  # how the images are fetched


class Outcome(Enum):
    DONE = "done"  # pre-read here and stored
    PRESENT = "present"  # the archive already held it
    NOT_CT = "not-ct"  # no CT series to read


@dataclass
class StudyResult:
    outcome: Outcome
    grade: str = ""
    sent: int = 0  # objects stored by this run
    seconds: float = 0.0  # the pre-read itself


def service_client(config: ArchiveConfig, fetch: str = FETCH_STORED) -> DicomWebClient:
    """The service's archive client. ``stored`` (the default): the images as the archive
    stored them and not gzipped; beside the archive this costs the least CPU on both sides
    (Orthanc's JPEG-LS transcoding and its decoding here cost about 3 CPU s a chest,
    benchmarks/README.md). ``compressed``: the configured lossless syntaxes (JPEG-LS first),
    fewer bytes over a slow link."""
    if fetch == FETCH_COMPRESSED:
        return DicomWebClient(config)
    client = DicomWebClient(replace(config, transfer_syntaxes=()))
    client.session.headers["Accept-Encoding"] = "identity"
    return client


def fetch_series(client: DicomWebClient, ids: PreReadIds, folder: Path,
                 cancel: threading.Event | None = None, key: bytes | None = None) -> int:
    """The series' images into ``folder`` over WADO-RS, sealed with ``key`` when given (the
    file's stem as associated data); returns how many."""
    sops = [str(tag_value(i, SOP_UID)) for i in client.search_instances(
        ids.study_uid, series_uid=ids.series_uid)]
    if not sops:
        raise ArchiveRejected("the archive lists no images for the series to pre-read")

    def one(n_sop: tuple[int, str]) -> None:
        if cancel is not None and cancel.is_set():
            return
        n, sop = n_sop
        data = client.retrieve_instance(ids.study_uid, ids.series_uid, sop)
        if key is not None:
            data = crypto.seal(key, data, f"{n:05d}".encode())
        (folder / f"{n:05d}.dcm").write_bytes(data)

    with ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="luch-preread-fetch") as pool:
        list(pool.map(one, enumerate(sops)))
    return len(sops)


def preread_study(client: DicomWebClient, study_uid: str, model_version: str,
                  options: PreReadOptions, cancel: threading.Event | None = None
                  ) -> StudyResult:
    """Pre-read one study into the archive (see the module docstring). Raises LuchError
    subclasses (archive, loading, inference, DICOM output) for the caller to count."""
    ids = locate(client, study_uid, model_version)
    if ids is None:
        return StudyResult(Outcome.NOT_CT)
    if present(client, ids) == set(ids.objects):
        return StudyResult(Outcome.PRESENT)
    key = crypto.new_key()  # this study's, in memory only
    with tempfile.TemporaryDirectory(prefix="luch-preread-") as tmp:
        folder = Path(tmp)
        if fetch_series(client, ids, folder, cancel, key) != ids.images:  # grew since
            ids = replace(ids, images=len(list(folder.iterdir())))
        volume = open_volume(folder, key=key)
        result = analyze(volume, options, cancel=cancel)
        if result.model_version != model_version:  # e.g. the weights failed: classical fallback
            ids = replace(ids, model_version=result.model_version)
        datasets = build_outputs(result, source_datasets(folder, volume, key), ids)
    held = present(client, ids)
    missing = [ds for ds in datasets if str(ds.SOPInstanceUID) not in held]
    sent = 0
    if missing:
        stored = client.store([dataset_bytes(ds) for ds in missing])
        if stored.failed:
            raise ArchiveRejected(f"the archive refused {len(stored.failed)} of the pre-read's "
                                  "objects")
        sent = len(stored.stored)
    if present(client, ids) != set(ids.objects):
        raise ArchiveRejected("the archive does not list the pre-read's objects after storing")
    return StudyResult(Outcome.DONE, str(result.measures.grade), sent, result.seconds)
